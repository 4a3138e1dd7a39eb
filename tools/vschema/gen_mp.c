/* gen_mp.c — msgpack codecs for structs and unions, on the schema-less
 * reader and writer of lib/encoding (docs/schema.md §6).
 *
 * A struct is a map keyed by field name (fields in number order on
 * output, absent optional fields left out), a union a map of one pair,
 * an enum its value's name, bytes a bin, lists and arrays arrays. The
 * writer emits the smallest encodings; the reader accepts any valid
 * msgpack of the right shape (keys in any order, non-minimal forms),
 * rejects duplicate and (unless skipping) unknown keys. */
#include <string.h>

#include "gen.h"

const char vs_gen_mp_helpers[] =
"VS_HELPER v_status vs_mp_fail(v_schema_mp_in *in,\n"
"                              const v_msgpack_token *t, const char *why)\n"
"{\n"
"    in->err->offset = t->offset;\n"
"    in->err->reason = why;\n"
"    return V_ERR_MALFORMED;\n"
"}\n"
"\n"
"/* The next token; the document ending early is an error here. */\n"
"VS_HELPER v_status vs_mp_next(v_schema_mp_in *in, v_msgpack_token *t)\n"
"{\n"
"    v_status s = v_msgpack_next(&in->r, t);\n"
"    if (s == V_ERR_END) {\n"
"        in->err->offset = in->r.len;\n"
"        in->err->reason = \"document ended early\";\n"
"        return V_ERR_MALFORMED;\n"
"    }\n"
"    if (s != V_OK)\n"
"        *in->err = in->r.error;\n"
"    return s;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_mp_skip(v_schema_mp_in *in, const v_msgpack_token *t)\n"
"{\n"
"    v_status s = v_msgpack_skip(&in->r, t);\n"
"    if (s != V_OK)\n"
"        *in->err = in->r.error;\n"
"    return s;\n"
"}\n"
"\n"
"VS_HELPER bool vs_mp_is(const v_msgpack_token *t, const char *name,\n"
"                        size_t n)\n"
"{\n"
"    return t->len == n && v_mem_equal(t->data, name, n);\n"
"}\n"
"\n"
"/* A str or bin payload, copied into in->a (NULL when empty). */\n"
"VS_HELPER v_status vs_mp_copy(v_schema_mp_in *in, const v_msgpack_token *t,\n"
"                              void **out)\n"
"{\n"
"    *out = NULL;\n"
"    if (t->len == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_bytes(in->a, t->len, 1, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    v_mem_copy(*out, t->data, t->len);\n"
"    return V_OK;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_mp_items(v_schema_mp_in *in, const v_msgpack_token *t,\n"
"                               size_t size, size_t align, void **out)\n"
"{\n"
"    *out = NULL;\n"
"    if (t->count == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_array(in->a, size, align, t->count, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    v_mem_set(*out, 0, size * t->count);\n"
"    return V_OK;\n"
"}\n";

/* Depth of containers (maps, arrays) in a value of d. */
static unsigned type_tree_depth(const vs_type *t);

static unsigned tree_depth(const vs_decl *d)
{
    unsigned max = 0;
    for (size_t i = 0; i < d->n_fields; i++) {
        unsigned t = d->fields[i].type ? type_tree_depth(d->fields[i].type)
                                       : 0;
        if (t > max)
            max = t;
    }
    return 1 + max;
}

static unsigned type_tree_depth(const vs_type *t)
{
    if (vs_is_container(t))
        return 1 + type_tree_depth(t->elem);
    if (vs_is_aggregate(t))
        return tree_depth(t->decl);
    return 0;
}

void vs_gen_enum_names(vs_out *h, vs_out *o, const vs_decl *d)
{
    vs_ctx *c = h->c;
    const char *n = vs_ctype_decl(c, d);
    vs_emit(h, "/* The name of a value (\"\" if not declared), and back. */\n"
            "const char *%s_name(%s v);\n"
            "bool %s_from_name(const void *s, size_t len, %s *out);\n\n",
            n, n, n, n);
    vs_emit(o, "const char *%s_name(%s v)\n{\n    switch (v) {\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++)
        vs_emit(o, "    case %s:\n        return \"%s\";\n",
                vs_constant(c, d, d->sorted[i]), d->sorted[i]->name);
    vs_emit(o, "    default:\n        return \"\";\n    }\n}\n\n");
    vs_emit(o, "bool %s_from_name(const void *s, size_t len, %s *out)\n{\n",
            n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    if (len == %zu && v_mem_equal(s, \"%s\", %zu)) {\n"
                "        *out = %s;\n        return true;\n    }\n",
                strlen(f->name), f->name, strlen(f->name),
                vs_constant(c, d, f));
    }
    vs_emit(o, "    return false;\n}\n\n");
}

void vs_gen_mp_protos(vs_out *h, const vs_decl *d)
{
    const char *n = vs_ctype_decl(h->c, d);
    vs_emit(h,
            "/* msgpack: containers nested in a value, at most. */\n"
            "#define %s_TREE_DEPTH %u\n"
            "v_status %s_encode_msgpack(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err);\n"
            "v_status %s_decode_msgpack(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err);\n"
            "v_status %s__mp_put(v_msgpack_writer *w, const %s *v);\n"
            "v_status %s__mp_get(v_schema_mp_in *in, const v_msgpack_token *t,\n"
            "    %s *v);\n\n",
            n, tree_depth(d), n, n, n, n, n, n, n, n);
}

#define TRY "if ((s = "
#define OR_RETURN ") != V_OK)\n%s    return s;\n"

static void put_value(vs_out *o, const vs_type *t, const char *x,
                      const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        vs_emit(o, "%s" TRY "v_msgpack_write_bool(w, %s)" OR_RETURN, ind, x,
                ind);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_emit(o, "%s" TRY "v_msgpack_write_u64(w, %s)" OR_RETURN, ind, x,
                ind);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_emit(o, "%s" TRY "v_msgpack_write_i64(w, %s)" OR_RETURN, ind, x,
                ind);
        break;
    case VS_F64:
        vs_emit(o, "%s" TRY "v_msgpack_write_f64(w, %s)" OR_RETURN, ind, x,
                ind);
        break;
    case VS_STRING:
        vs_emit(o, "%s" TRY "v_msgpack_write_str(w, %s.ptr, %s.len)"
                OR_RETURN, ind, x, x, ind);
        break;
    case VS_BYTES:
        vs_emit(o, "%s" TRY "v_msgpack_write_bin(w, %s.ptr, %s.len)"
                OR_RETURN, ind, x, x, ind);
        break;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM)
            vs_emit(o, "%s" TRY "v_msgpack_write_str(w, %s_name(%s),\n"
                    "%s        v_cstr_len(%s_name(%s)))" OR_RETURN, ind, n,
                    x, ind, n, x, ind);
        else
            vs_emit(o, "%s" TRY "%s__mp_put(w, &%s)" OR_RETURN, ind, n, x,
                    ind);
        break;
    }
    default:
        break;
    }
}

static void put_field(vs_out *o, const vs_decl *d, const vs_field *f,
                      const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    vs_emit(o, "%s" TRY "v_msgpack_write_str(w, \"%s\", %zu)" OR_RETURN, ind,
            f->name, strlen(f->name), ind);
    if (!vs_is_container(t)) {
        put_value(o, t, x, ind);
        return;
    }
    vs_emit(o, "%s" TRY "v_msgpack_write_array_begin(w, (uint32_t)%s)"
            OR_RETURN, ind, vs_count_of(c, t, x), ind);
    vs_emit(o, "%sfor (size_t i = 0; i < %s; i++) {\n", ind,
            vs_count_of(c, t, x));
    put_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
    vs_emit(o, "%s}\n", ind);
    vs_emit(o, "%s" TRY "v_msgpack_write_array_end(w)" OR_RETURN, ind, ind);
}

static const char *const limits[][2] = {
    [VS_U8] = {"0", "UINT8_MAX"}, [VS_U16] = {"0", "UINT16_MAX"},
    [VS_U32] = {"0", "UINT32_MAX"}, [VS_U64] = {"0", "UINT64_MAX"},
    [VS_I8] = {"INT8_MIN", "INT8_MAX"}, [VS_I16] = {"INT16_MIN", "INT16_MAX"},
    [VS_I32] = {"INT32_MIN", "INT32_MAX"},
    [VS_I64] = {"INT64_MIN", "INT64_MAX"}};

/* Decodes token `tok` (a v_msgpack_token variable) into x. */
static void get_value(vs_out *o, const vs_type *t, const char *x,
                      const char *tok, const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        vs_emit(o, "%sif (%s.kind != V_MSGPACK_BOOL)\n%s    return "
                "vs_mp_fail(in, &%s, \"expected a bool\");\n%s%s = %s.boolean;\n",
                ind, tok, ind, tok, ind, x, tok);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_emit(o, "%sif (%s.kind != V_MSGPACK_INT)\n%s    return vs_mp_fail("
                "in, &%s, \"expected an integer\");\n", ind, tok, ind, tok);
        vs_emit(o, "%sif (!(%s.fits & V_MSGPACK_FITS_U64) || %s.u64 > %s)\n"
                "%s    return vs_mp_fail(in, &%s, \"integer out of range\");\n"
                "%s%s = (%s)%s.u64;\n", ind, tok, tok, limits[t->kind][1],
                ind, tok, ind, x, vs_ctype(c, t), tok);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_emit(o, "%sif (%s.kind != V_MSGPACK_INT)\n%s    return vs_mp_fail("
                "in, &%s, \"expected an integer\");\n", ind, tok, ind, tok);
        vs_emit(o, "%sif (!(%s.fits & V_MSGPACK_FITS_I64) || %s.i64 < %s ||\n"
                "%s    %s.i64 > %s)\n"
                "%s    return vs_mp_fail(in, &%s, \"integer out of range\");\n"
                "%s%s = (%s)%s.i64;\n", ind, tok, tok, limits[t->kind][0],
                ind, tok, limits[t->kind][1], ind, tok, ind, x,
                vs_ctype(c, t), tok);
        break;
    case VS_F64:
        vs_emit(o, "%sif (%s.kind == V_MSGPACK_FLOAT64)\n%s    %s = %s.f64;\n"
                "%selse if (%s.kind == V_MSGPACK_FLOAT32)\n%s    %s = %s.f32;\n"
                "%selse\n%s    return vs_mp_fail(in, &%s, \"expected a "
                "float\");\n", ind, tok, ind, x, tok, ind, tok, ind, x, tok,
                ind, ind, tok);
        break;
    case VS_STRING: case VS_BYTES: {
        bool str = t->kind == VS_STRING;
        vs_emit(o, "%sif (%s.kind != %s)\n%s    return vs_mp_fail(in, &%s, "
                "\"expected %s\");\n", ind, tok,
                str ? "V_MSGPACK_STR" : "V_MSGPACK_BIN", ind, tok,
                str ? "a str" : "a bin");
        vs_emit(o, "%sif (%s.len > %u)\n%s    return vs_mp_fail(in, &%s, "
                "\"%s\");\n", ind, tok, (unsigned)t->max, ind, tok,
                str ? "string longer than its maximum"
                    : "bytes longer than their maximum");
        vs_emit(o, "%s{\n%s    void *p;\n%s    " TRY "vs_mp_copy(in, &%s, &p)"
                ") != V_OK)\n%s        return s;\n%s    %s.ptr = p;\n"
                "%s    %s.len = %s.len;\n%s}\n", ind, ind, ind, tok, ind, ind,
                x, ind, x, tok, ind);
        break;
    }
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM) {
            vs_emit(o, "%sif (%s.kind != V_MSGPACK_STR)\n%s    return "
                    "vs_mp_fail(in, &%s, \"expected an enum name\");\n",
                    ind, tok, ind, tok);
            vs_emit(o, "%sif (!%s_from_name(%s.data, %s.len, &%s))\n%s    "
                    "return vs_mp_fail(in, &%s, \"unknown enum value\");\n",
                    ind, n, tok, tok, x, ind, tok);
        } else {
            vs_emit(o, "%s" TRY "%s__mp_get(in, &%s, &%s)" OR_RETURN, ind, n,
                    tok, x, ind);
        }
        break;
    }
    default:
        break;
    }
}

static void get_field(vs_out *o, const vs_decl *d, const vs_field *f,
                      const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    if (!vs_is_container(t)) {
        get_value(o, t, x, "e", ind);
        return;
    }
    vs_emit(o, "%sif (e.kind != V_MSGPACK_ARRAY_BEGIN)\n%s    return "
            "vs_mp_fail(in, &e, \"expected an array\");\n", ind, ind);
    if (t->kind == VS_ARRAY) {
        vs_emit(o, "%sif (e.count != %u)\n%s    return vs_mp_fail(in, &e, "
                "\"array count is not its length\");\n", ind,
                (unsigned)t->max, ind);
    } else {
        const char *et = vs_ctype(c, t->elem);
        vs_emit(o, "%sif (e.count > %u)\n%s    return vs_mp_fail(in, &e, "
                "\"list longer than its maximum\");\n", ind, (unsigned)t->max,
                ind);
        vs_emit(o, "%s{\n%s    void *items;\n%s    " TRY "vs_mp_items(in, &e, "
                "sizeof(%s), _Alignof(%s), &items)" ") != V_OK)\n"
                "%s        return s;\n%s    %s.items = items;\n"
                "%s    %s.count = e.count;\n%s}\n", ind, ind, ind, et, et, ind,
                ind, x, ind, x, ind);
    }
    vs_emit(o, "%sfor (size_t i = 0; i < e.count; i++) {\n"
            "%s    v_msgpack_token el;\n"
            "%s    " TRY "vs_mp_next(in, &el)" ") != V_OK)\n"
            "%s        return s;\n", ind, ind, ind, ind);
    get_value(o, t->elem, vs_item(c, t, x), "el",
              vs_printf(c, "%s    ", ind));
    vs_emit(o, "%s}\n%s" TRY "vs_mp_next(in, &e)" OR_RETURN, ind, ind, ind);
}

static void emit_struct(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    size_t required = 0;
    for (size_t i = 0; i < d->n_fields; i++)
        required += !d->fields[i].optional;

    vs_emit(o, "v_status %s__mp_put(v_msgpack_writer *w, const %s *v)\n{\n"
            "    v_status s;\n    uint32_t pairs = %zu;\n", n, n, required);
    for (size_t i = 0; i < d->n_fields; i++)
        if (d->sorted[i]->optional)
            vs_emit(o, "    pairs += v->has_%s;\n", d->sorted[i]->name);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n");
    vs_emit(o, "    " TRY "v_msgpack_write_map_begin(w, pairs)" OR_RETURN,
            "    ");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (f->optional) {
            vs_emit(o, "    if (v->has_%s) {\n", f->name);
            put_field(o, d, f, "        ");
            vs_emit(o, "    }\n");
        } else {
            put_field(o, d, f, "    ");
        }
    }
    vs_emit(o, "    return v_msgpack_write_map_end(w);\n}\n\n");

    vs_emit(o, "v_status %s__mp_get(v_schema_mp_in *in, const v_msgpack_token "
            "*t, %s *v)\n{\n    v_status s;\n    v_msgpack_token k, e;\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++)
        vs_emit(o, "    bool seen_%s = false;\n", d->fields[i].name);
    vs_emit(o, "    if (t->kind != V_MSGPACK_MAP_BEGIN)\n"
            "        return vs_mp_fail(in, t, \"expected a map\");\n"
            "    for (uint32_t n = 0; n < t->count; n++) {\n"
            "        if ((s = vs_mp_next(in, &k)) != V_OK)\n"
            "            return s;\n"
            "        if (k.kind != V_MSGPACK_STR)\n"
            "            return vs_mp_fail(in, &k, \"expected a field name\");\n"
            "        if ((s = vs_mp_next(in, &e)) != V_OK)\n"
            "            return s;\n        ");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "if (vs_mp_is(&k, \"%s\", %zu)) {\n"
                "            if (seen_%s)\n                return vs_mp_fail("
                "in, &k, \"duplicate field\");\n"
                "            seen_%s = true;\n", f->name, strlen(f->name),
                f->name, f->name);
        if (f->optional)
            vs_emit(o, "            v->has_%s = true;\n", f->name);
        get_field(o, d, f, "            ");
        vs_emit(o, "        } else ");
    }
    vs_emit(o, "{\n"
            "            if (!(in->flags & V_SCHEMA_SKIP_UNKNOWN))\n"
            "                return vs_mp_fail(in, &k, \"unknown field\");\n"
            "            if ((s = vs_mp_skip(in, &e)) != V_OK)\n"
            "                return s;\n"
            "        }\n    }\n"
            "    if ((s = vs_mp_next(in, &e)) != V_OK) /* the map's end */\n"
            "        return s;\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (!f->optional)
            vs_emit(o, "    if (!seen_%s)\n        return vs_mp_fail(in, t, "
                    "\"missing required field %s\");\n", f->name, f->name);
    }
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n");
    vs_emit(o, "    return V_OK;\n}\n\n");
}

static void emit_union(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    vs_emit(o, "v_status %s__mp_put(v_msgpack_writer *w, const %s *v)\n{\n"
            "    v_status s;\n"
            "    " TRY "v_msgpack_write_map_begin(w, 1)" OR_RETURN
            "    switch (v->tag) {\n", n, n, "    ");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        put_field(o, d, f, "        ");
        vs_emit(o, "        break;\n");
    }
    vs_emit(o, "    default:\n        return V_ERR_INVALID_ARGS;\n    }\n"
            "    return v_msgpack_write_map_end(w);\n}\n\n");

    vs_emit(o, "v_status %s__mp_get(v_schema_mp_in *in, const v_msgpack_token "
            "*t, %s *v)\n{\n    v_status s;\n    v_msgpack_token k, e;\n"
            "    if (t->kind != V_MSGPACK_MAP_BEGIN || t->count != 1)\n"
            "        return vs_mp_fail(in, t, \"expected a map of one "
            "variant\");\n"
            "    if ((s = vs_mp_next(in, &k)) != V_OK)\n        return s;\n"
            "    if (k.kind != V_MSGPACK_STR)\n"
            "        return vs_mp_fail(in, &k, \"expected a variant name\");\n"
            "    if ((s = vs_mp_next(in, &e)) != V_OK)\n        return s;\n"
            "    ", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "if (vs_mp_is(&k, \"%s\", %zu)) {\n        v->tag = %s;\n",
                f->name, strlen(f->name), vs_constant(c, d, f));
        get_field(o, d, f, "        ");
        vs_emit(o, "    } else ");
    }
    vs_emit(o, "{\n        return vs_mp_fail(in, &k, \"unknown union "
            "variant\");\n    }\n"
            "    return vs_mp_next(in, &e); /* the map's end */\n}\n\n");
}

void vs_gen_mp_code(vs_out *o, const vs_decl *d)
{
    const char *n = vs_ctype_decl(o->c, d);
    if (d->kind == VS_UNION)
        emit_union(o, d);
    else
        emit_struct(o, d);
    vs_emit(o,
            "v_status %s_encode_msgpack(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err)\n{\n"
            "    v_msgpack_writer w;\n"
            "    v_msgpack_frame stack[%s_TREE_DEPTH];\n"
            "    v_status s = %s_validate(v, err);\n"
            "    if (s != V_OK)\n        return s;\n"
            "    if (!buf)\n        return vs_invalid(err, \"NULL buffer\");\n"
            "    if ((s = v_msgpack_writer_init(&w, buf, cap, NULL, stack,\n"
            "                                   %s_TREE_DEPTH)) == V_OK &&\n"
            "        (s = %s__mp_put(&w, v)) == V_OK)\n"
            "        s = v_msgpack_writer_finish(&w, len);\n"
            "    if (s == V_ERR_TRUNCATED)\n"
            "        vs_invalid(err, \"buffer too small\");\n"
            "    else if (s != V_OK && err)\n"
            "        *err = w.error;\n"
            "    return s;\n}\n\n", n, n, n, n, n, n);
    vs_emit(o,
            "v_status %s_decode_msgpack(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err)\n"
            "{\n"
            "    v_encoding_error ignored;\n"
            "    /* Unknown fields (skipped on request) may nest a little\n"
            "     * deeper than the type itself. */\n"
            "    v_msgpack_frame stack[%s_TREE_DEPTH + 8];\n"
            "    /* Lengths and counts are bounded by the input itself; the\n"
            "     * schema's own limits are checked per value. */\n"
            "    v_msgpack_limits lim = {len, %s_TREE_DEPTH + 8, SIZE_MAX,\n"
            "                            SIZE_MAX, true};\n"
            "    v_schema_mp_in in;\n"
            "    v_msgpack_token t;\n"
            "    v_mem_set(out, 0, sizeof *out);\n"
            "    if ((!buf && len) || !a)\n"
            "        return vs_invalid(err, \"NULL buffer or allocator\");\n"
            "    in.flags = flags;\n"
            "    in.a = a;\n"
            "    in.err = err ? err : &ignored;\n"
            "    v_status s = v_msgpack_reader_init(&in.r, buf ? buf : \"\", "
            "len, &lim,\n"
            "                                       stack);\n"
            "    if (s != V_OK)\n"
            "        *in.err = in.r.error;\n"
            "    if (s == V_OK && (s = vs_mp_next(&in, &t)) == V_OK &&\n"
            "        (s = %s__mp_get(&in, &t, out)) == V_OK) {\n"
            "        s = v_msgpack_next(&in.r, &t); /* nothing may follow */\n"
            "        if (s == V_ERR_END)\n"
            "            s = V_OK;\n"
            "        else if (s == V_OK)\n"
            "            s = vs_mp_fail(&in, &t, \"data after the value\");\n"
            "        else\n"
            "            *in.err = in.r.error;\n"
            "    }\n"
            "    if (s != V_OK)\n"
            "        %s_free(a, out);\n"
            "    return s;\n}\n\n", n, n, n, n, n, n);
}
