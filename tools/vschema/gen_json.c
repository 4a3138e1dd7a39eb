/* gen_json.c — JSON codecs for structs and unions, on the schema-less
 * reader and writer of lib/encoding (docs/schema.md §6).
 *
 * The same shapes as msgpack: a struct is an object keyed by field name
 * (number order on output, absent optional fields left out), a union an
 * object of one member, an enum its value's name. bytes are an array of
 * integers 0..255: the writer takes a string only whole, so hex would
 * need scratch memory the encoder does not have. Output is canonical
 * JSON (no whitespace, shortest numbers); input may be any valid JSON of
 * the right shape. A list's length is learnt before allocating by
 * scanning it with a copy of the reader. */
#include <string.h>

#include "gen.h"

const char vs_gen_json_helpers[] =
"VS_HELPER v_status vs_json_fail(v_schema_json_in *in,\n"
"                                const v_json_token *t, const char *why)\n"
"{\n"
"    in->err->offset = t->offset;\n"
"    in->err->reason = why;\n"
"    return V_ERR_MALFORMED;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_next(v_schema_json_in *in, v_json_token *t)\n"
"{\n"
"    v_status s = v_json_next(&in->r, t);\n"
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
"VS_HELPER v_status vs_json_skip(v_schema_json_in *in, const v_json_token *t)\n"
"{\n"
"    v_status s = v_json_skip(&in->r, t);\n"
"    if (s != V_OK)\n"
"        *in->err = in->r.error;\n"
"    return s;\n"
"}\n"
"\n"
"/* A member name, unescaped into key[0..64]; *n is SIZE_MAX for names\n"
" * longer than any schema name (they match nothing). */\n"
"VS_HELPER void vs_json_key(const v_json_token *k, char key[64], size_t *n)\n"
"{\n"
"    if (k->decoded_len > 64 ||\n"
"        v_json_unescape(k->text, k->len, key, 64, n) != V_OK)\n"
"        *n = SIZE_MAX;\n"
"}\n"
"\n"
"VS_HELPER bool vs_json_is(const char *key, size_t n, const char *name,\n"
"                          size_t len)\n"
"{\n"
"    return n == len && v_mem_equal(key, name, len);\n"
"}\n"
"\n"
"/* Counts the elements of the array that t opens without consuming them,\n"
" * by running a copy of the reader over it; the copy keeps its open\n"
" * containers in in->scratch, as large as the reader's own stack. */\n"
"VS_HELPER v_status vs_json_count(v_schema_json_in *in, const v_json_token *t,\n"
"                                 size_t *count)\n"
"{\n"
"    v_json_reader copy = in->r;\n"
"    v_json_token e;\n"
"    v_status s;\n"
"    v_mem_copy(in->scratch, in->r.stack, in->r.depth * sizeof *in->scratch);\n"
"    copy.stack = in->scratch;\n"
"    *count = 0;\n"
"    for (;;) {\n"
"        if ((s = v_json_next(&copy, &e)) != V_OK) {\n"
"            *in->err = copy.error;\n"
"            return s == V_ERR_END ? V_ERR_MALFORMED : s;\n"
"        }\n"
"        if (e.kind == V_JSON_ARRAY_END && e.depth == t->depth)\n"
"            return V_OK;\n"
"        ++*count;\n"
"        if ((s = v_json_skip(&copy, &e)) != V_OK) {\n"
"            *in->err = copy.error;\n"
"            return s;\n"
"        }\n"
"    }\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_items(v_schema_json_in *in, const v_json_token *t,\n"
"                                 size_t count, size_t size, size_t align,\n"
"                                 void **out)\n"
"{\n"
"    *out = NULL;\n"
"    if (count == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_array(in->a, size, align, count, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    v_mem_set(*out, 0, size * count);\n"
"    return V_OK;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_string(v_schema_json_in *in, const v_json_token *t,\n"
"                                  void **out)\n"
"{\n"
"    size_t n;\n"
"    *out = NULL;\n"
"    if (t->decoded_len == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_bytes(in->a, t->decoded_len, 1, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    /* Cannot fail: the reader validated every escape. */\n"
"    v_json_unescape(t->text, t->len, *out, t->decoded_len, &n);\n"
"    return V_OK;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_put_bytes(v_json_writer *w, const uint8_t *p,\n"
"                                     size_t n)\n"
"{\n"
"    v_status s = v_json_write_array_begin(w);\n"
"    for (size_t i = 0; s == V_OK && i < n; i++)\n"
"        s = v_json_write_u64(w, p[i]);\n"
"    return s == V_OK ? v_json_write_array_end(w) : s;\n"
"}\n";

static unsigned type_depth(const vs_type *t);

/* Depth of JSON containers in a value of d (bytes are arrays). */
static unsigned decl_depth(const vs_decl *d)
{
    unsigned max = 0;
    for (size_t i = 0; i < d->n_fields; i++) {
        unsigned t = d->fields[i].type ? type_depth(d->fields[i].type) : 0;
        if (t > max)
            max = t;
    }
    return 1 + max;
}

static unsigned type_depth(const vs_type *t)
{
    if (vs_is_container(t))
        return 1 + type_depth(t->elem);
    if (vs_is_aggregate(t))
        return decl_depth(t->decl);
    return t->kind == VS_BYTES;
}

void vs_gen_json_protos(vs_out *h, const vs_decl *d)
{
    const char *n = vs_ctype_decl(h->c, d);
    vs_emit(h,
            "/* JSON: containers nested in a value, at most. */\n"
            "#define %s_JSON_DEPTH %u\n"
            "v_status %s_encode_json(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err);\n"
            "v_status %s_decode_json(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err);\n"
            "v_status %s__json_put(v_json_writer *w, const %s *v);\n"
            "v_status %s__json_get(v_schema_json_in *in, const v_json_token *t,\n"
            "    %s *v);\n\n",
            n, decl_depth(d), n, n, n, n, n, n, n, n);
}

#define TRY "if ((s = "
#define OR_RETURN ") != V_OK)\n%s    return s;\n"

static void put_value(vs_out *o, const vs_type *t, const char *x,
                      const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        vs_emit(o, "%s" TRY "v_json_write_bool(w, %s)" OR_RETURN, ind, x, ind);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_emit(o, "%s" TRY "v_json_write_u64(w, %s)" OR_RETURN, ind, x, ind);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_emit(o, "%s" TRY "v_json_write_i64(w, %s)" OR_RETURN, ind, x, ind);
        break;
    case VS_F64:
        vs_emit(o, "%s" TRY "v_json_write_f64(w, %s)" OR_RETURN, ind, x, ind);
        break;
    case VS_STRING:
        vs_emit(o, "%s" TRY "v_json_write_string(w, %s.ptr, %s.len)"
                OR_RETURN, ind, x, x, ind);
        break;
    case VS_BYTES:
        vs_emit(o, "%s" TRY "vs_json_put_bytes(w, %s.ptr, %s.len)" OR_RETURN,
                ind, x, x, ind);
        break;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM)
            vs_emit(o, "%s" TRY "v_json_write_string(w, %s_name(%s),\n"
                    "%s        v_cstr_len(%s_name(%s)))" OR_RETURN, ind, n, x,
                    ind, n, x, ind);
        else
            vs_emit(o, "%s" TRY "%s__json_put(w, &%s)" OR_RETURN, ind, n, x,
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
    vs_emit(o, "%s" TRY "v_json_write_key(w, \"%s\", %zu)" OR_RETURN, ind,
            f->name, strlen(f->name), ind);
    if (!vs_is_container(t)) {
        put_value(o, t, x, ind);
        return;
    }
    vs_emit(o, "%s" TRY "v_json_write_array_begin(w)" OR_RETURN, ind, ind);
    vs_emit(o, "%sfor (size_t i = 0; i < %s; i++) {\n", ind,
            vs_count_of(c, t, x));
    put_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
    vs_emit(o, "%s}\n", ind);
    vs_emit(o, "%s" TRY "v_json_write_array_end(w)" OR_RETURN, ind, ind);
}

static const char *const limits[][2] = {
    [VS_U8] = {"0", "UINT8_MAX"}, [VS_U16] = {"0", "UINT16_MAX"},
    [VS_U32] = {"0", "UINT32_MAX"}, [VS_U64] = {"0", "UINT64_MAX"},
    [VS_I8] = {"INT8_MIN", "INT8_MAX"}, [VS_I16] = {"INT16_MIN", "INT16_MAX"},
    [VS_I32] = {"INT32_MIN", "INT32_MAX"},
    [VS_I64] = {"INT64_MIN", "INT64_MAX"}};

static void expect_kind(vs_out *o, const char *tok, const char *kind,
                        const char *what, const char *ind)
{
    vs_emit(o, "%sif (%s.kind != %s)\n%s    return vs_json_fail(in, &%s, "
            "\"expected %s\");\n", ind, tok, kind, ind, tok, what);
}

/* Decodes the value starting at token `tok` into x. */
static void get_value(vs_out *o, const vs_type *t, const char *x,
                      const char *tok, const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        expect_kind(o, tok, "V_JSON_BOOL", "true or false", ind);
        vs_emit(o, "%s%s = %s.boolean;\n", ind, x, tok);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        expect_kind(o, tok, "V_JSON_INTEGER", "an integer", ind);
        vs_emit(o, "%sif (!(%s.fits & V_JSON_FITS_U64) || %s.u64 > %s)\n"
                "%s    return vs_json_fail(in, &%s, \"integer out of "
                "range\");\n%s%s = (%s)%s.u64;\n", ind, tok, tok,
                limits[t->kind][1], ind, tok, ind, x, vs_ctype(c, t), tok);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        expect_kind(o, tok, "V_JSON_INTEGER", "an integer", ind);
        vs_emit(o, "%sif (!(%s.fits & V_JSON_FITS_I64) || %s.i64 < %s ||\n"
                "%s    %s.i64 > %s)\n"
                "%s    return vs_json_fail(in, &%s, \"integer out of "
                "range\");\n%s%s = (%s)%s.i64;\n", ind, tok, tok,
                limits[t->kind][0], ind, tok, limits[t->kind][1], ind, tok,
                ind, x, vs_ctype(c, t), tok);
        break;
    case VS_F64:
        vs_emit(o, "%sif (%s.kind != V_JSON_INTEGER && %s.kind != "
                "V_JSON_NUMBER)\n%s    return vs_json_fail(in, &%s, "
                "\"expected a number\");\n", ind, tok, tok, ind, tok);
        vs_emit(o, "%sif (v_json_number_to_f64(%s.text, %s.len, &%s) != "
                "V_OK)\n%s    return vs_json_fail(in, &%s, \"number out of "
                "range\");\n", ind, tok, tok, x, ind, tok);
        break;
    case VS_STRING:
        expect_kind(o, tok, "V_JSON_STRING", "a string", ind);
        vs_emit(o, "%sif (%s.decoded_len > %u)\n%s    return vs_json_fail("
                "in, &%s, \"string longer than its maximum\");\n", ind, tok,
                (unsigned)t->max, ind, tok);
        vs_emit(o, "%s{\n%s    void *p;\n%s    " TRY "vs_json_string(in, &%s, "
                "&p)) != V_OK)\n%s        return s;\n%s    %s.ptr = p;\n"
                "%s    %s.len = %s.decoded_len;\n%s}\n", ind, ind, ind, tok,
                ind, ind, x, ind, x, tok, ind);
        break;
    case VS_BYTES:
        expect_kind(o, tok, "V_JSON_ARRAY_BEGIN", "an array of bytes", ind);
        vs_emit(o, "%s{\n%s    size_t count;\n%s    uint8_t *p;\n"
                "%s    void *items;\n"
                "%s    " TRY "vs_json_count(in, &%s, &count)) != V_OK)\n"
                "%s        return s;\n"
                "%s    if (count > %u)\n%s        return vs_json_fail(in, &%s, "
                "\"bytes longer than their maximum\");\n"
                "%s    " TRY "vs_json_items(in, &%s, count, 1, 1, &items)) "
                "!= V_OK)\n%s        return s;\n"
                "%s    p = items;\n%s    %s.ptr = p;\n%s    %s.len = count;\n"
                "%s    for (size_t b = 0; b <= count; b++) {\n"
                "%s        v_json_token bt;\n"
                "%s        " TRY "vs_json_next(in, &bt)) != V_OK)\n"
                "%s            return s;\n"
                "%s        if (b == count)\n%s            break; /* the end */\n"
                "%s        if (bt.kind != V_JSON_INTEGER || !(bt.fits & "
                "V_JSON_FITS_U64) ||\n%s            bt.u64 > 255)\n"
                "%s            return vs_json_fail(in, &bt, \"expected a byte "
                "(0 to 255)\");\n"
                "%s        p[b] = (uint8_t)bt.u64;\n%s    }\n%s}\n",
                ind, ind, ind, ind, ind, tok, ind, ind, (unsigned)t->max, ind,
                tok, ind, tok, ind, ind, ind, x, ind, x, ind, ind, ind, ind,
                ind, ind, ind, ind, ind, ind, ind, ind);
        break;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM) {
            expect_kind(o, tok, "V_JSON_STRING", "an enum name", ind);
            vs_emit(o, "%s{\n%s    char name[64];\n%s    size_t len;\n"
                    "%s    vs_json_key(&%s, name, &len);\n"
                    "%s    if (len == SIZE_MAX || !%s_from_name(name, len, &%s))\n"
                    "%s        return vs_json_fail(in, &%s, \"unknown enum "
                    "value\");\n%s}\n", ind, ind, ind, ind, tok, ind, n, x,
                    ind, tok, ind);
        } else {
            vs_emit(o, "%s" TRY "%s__json_get(in, &%s, &%s)" OR_RETURN, ind,
                    n, tok, x, ind);
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
    expect_kind(o, "e", "V_JSON_ARRAY_BEGIN", "an array", ind);
    vs_emit(o, "%s{\n%s    size_t count;\n"
            "%s    " TRY "vs_json_count(in, &e, &count)" OR_RETURN, ind, ind,
            ind, vs_printf(c, "%s    ", ind));
    if (t->kind == VS_ARRAY) {
        vs_emit(o, "%s    if (count != %u)\n%s        return vs_json_fail("
                "in, &e, \"array count is not its length\");\n", ind,
                (unsigned)t->max, ind);
    } else {
        const char *et = vs_ctype(c, t->elem);
        vs_emit(o, "%s    if (count > %u)\n%s        return vs_json_fail(in, "
                "&e, \"list longer than its maximum\");\n", ind,
                (unsigned)t->max, ind);
        vs_emit(o, "%s    void *items;\n%s    " TRY "vs_json_items(in, &e, "
                "count, sizeof(%s), _Alignof(%s), &items)) != V_OK)\n"
                "%s        return s;\n%s    %s.items = items;\n"
                "%s    %s.count = count;\n", ind, ind, et, et, ind, ind, x,
                ind, x);
    }
    vs_emit(o, "%s    for (size_t i = 0; i < count; i++) {\n"
            "%s        v_json_token el;\n"
            "%s        " TRY "vs_json_next(in, &el)) != V_OK)\n"
            "%s            return s;\n", ind, ind, ind, ind);
    get_value(o, t->elem, vs_item(c, t, x), "el",
              vs_printf(c, "%s        ", ind));
    vs_emit(o, "%s    }\n%s    " TRY "vs_json_next(in, &e)) != V_OK) "
            "/* ']' */\n%s        return s;\n%s}\n", ind, ind, ind, ind);
}

static void emit_struct(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    vs_emit(o, "v_status %s__json_put(v_json_writer *w, const %s *v)\n{\n"
            "    v_status s;\n", n, n);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n");
    vs_emit(o, "    " TRY "v_json_write_object_begin(w)" OR_RETURN, "    ");
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
    vs_emit(o, "    return v_json_write_object_end(w);\n}\n\n");

    vs_emit(o, "v_status %s__json_get(v_schema_json_in *in, const v_json_token "
            "*t, %s *v)\n{\n    v_status s;\n    v_json_token k, e;\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++)
        vs_emit(o, "    bool seen_%s = false;\n", d->fields[i].name);
    vs_emit(o, "    if (t->kind != V_JSON_OBJECT_BEGIN)\n"
            "        return vs_json_fail(in, t, \"expected an object\");\n"
            "    for (;;) {\n"
            "        char key[64];\n        size_t n;\n"
            "        if ((s = vs_json_next(in, &k)) != V_OK)\n"
            "            return s;\n"
            "        if (k.kind == V_JSON_OBJECT_END)\n            break;\n"
            "        vs_json_key(&k, key, &n);\n"
            "        if ((s = vs_json_next(in, &e)) != V_OK)\n"
            "            return s;\n        ");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "if (vs_json_is(key, n, \"%s\", %zu)) {\n"
                "            if (seen_%s)\n                return vs_json_fail("
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
            "                return vs_json_fail(in, &k, \"unknown field\");\n"
            "            if ((s = vs_json_skip(in, &e)) != V_OK)\n"
            "                return s;\n"
            "        }\n    }\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (!f->optional)
            vs_emit(o, "    if (!seen_%s)\n        return vs_json_fail(in, t, "
                    "\"missing required field %s\");\n", f->name, f->name);
    }
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n    (void)e;\n");
    vs_emit(o, "    return V_OK;\n}\n\n");
}

static void emit_union(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    vs_emit(o, "v_status %s__json_put(v_json_writer *w, const %s *v)\n{\n"
            "    v_status s;\n"
            "    " TRY "v_json_write_object_begin(w)" OR_RETURN
            "    switch (v->tag) {\n", n, n, "    ");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        put_field(o, d, f, "        ");
        vs_emit(o, "        break;\n");
    }
    vs_emit(o, "    default:\n        return V_ERR_INVALID_ARGS;\n    }\n"
            "    return v_json_write_object_end(w);\n}\n\n");

    vs_emit(o, "v_status %s__json_get(v_schema_json_in *in, const v_json_token "
            "*t, %s *v)\n{\n    v_status s;\n    v_json_token k, e;\n"
            "    char key[64];\n    size_t n;\n"
            "    if (t->kind != V_JSON_OBJECT_BEGIN)\n"
            "        return vs_json_fail(in, t, \"expected an object\");\n"
            "    if ((s = vs_json_next(in, &k)) != V_OK)\n        return s;\n"
            "    if (k.kind != V_JSON_KEY)\n"
            "        return vs_json_fail(in, &k, \"union without a variant\");\n"
            "    vs_json_key(&k, key, &n);\n"
            "    if ((s = vs_json_next(in, &e)) != V_OK)\n        return s;\n"
            "    ", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "if (vs_json_is(key, n, \"%s\", %zu)) {\n"
                "        v->tag = %s;\n", f->name, strlen(f->name),
                vs_constant(c, d, f));
        get_field(o, d, f, "        ");
        vs_emit(o, "    } else ");
    }
    vs_emit(o, "{\n        return vs_json_fail(in, &k, \"unknown union "
            "variant\");\n    }\n"
            "    if ((s = vs_json_next(in, &e)) != V_OK)\n        return s;\n"
            "    if (e.kind != V_JSON_OBJECT_END)\n"
            "        return vs_json_fail(in, &e, \"union with more than one "
            "variant\");\n    return V_OK;\n}\n\n");
}

void vs_gen_json_code(vs_out *o, const vs_decl *d)
{
    const char *n = vs_ctype_decl(o->c, d);
    if (d->kind == VS_UNION)
        emit_union(o, d);
    else
        emit_struct(o, d);
    vs_emit(o,
            "v_status %s_encode_json(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err)\n{\n"
            "    v_json_writer w;\n"
            "    v_json_frame stack[%s_JSON_DEPTH];\n"
            "    v_status s = %s_validate(v, err);\n"
            "    if (s != V_OK)\n        return s;\n"
            "    if (!buf)\n        return vs_invalid(err, \"NULL buffer\");\n"
            "    if ((s = v_json_writer_init(&w, buf, cap, NULL, stack,\n"
            "                                %s_JSON_DEPTH)) == V_OK &&\n"
            "        (s = %s__json_put(&w, v)) == V_OK)\n"
            "        s = v_json_writer_finish(&w, len);\n"
            "    if (s == V_ERR_TRUNCATED)\n"
            "        vs_invalid(err, \"buffer too small\");\n"
            "    else if (s == V_ERR_INVALID_ARGS)\n"
            "        vs_invalid(err, \"infinity has no JSON form\");\n"
            "    else if (s != V_OK && err)\n"
            "        *err = w.error;\n"
            "    return s;\n}\n\n", n, n, n, n, n, n);
    vs_emit(o,
            "v_status %s_decode_json(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err)\n"
            "{\n"
            "    v_encoding_error ignored;\n"
            "    /* Unknown fields (skipped on request) may nest a little\n"
            "     * deeper than the type itself. */\n"
            "    v_json_frame stack[%s_JSON_DEPTH + 8];\n"
            "    v_json_frame scratch[%s_JSON_DEPTH + 8];\n"
            "    v_json_limits lim = {len, %s_JSON_DEPTH + 8, SIZE_MAX,\n"
            "                         SIZE_MAX, SIZE_MAX};\n"
            "    v_schema_json_in in;\n"
            "    v_json_token t;\n"
            "    v_mem_set(out, 0, sizeof *out);\n"
            "    if ((!buf && len) || !a)\n"
            "        return vs_invalid(err, \"NULL buffer or allocator\");\n"
            "    in.scratch = scratch;\n"
            "    in.flags = flags;\n"
            "    in.a = a;\n"
            "    in.err = err ? err : &ignored;\n"
            "    v_status s = v_json_reader_init(&in.r, buf ? buf : \"\", len, "
            "&lim,\n"
            "                                    stack);\n"
            "    if (s != V_OK)\n"
            "        *in.err = in.r.error;\n"
            "    if (s == V_OK && (s = vs_json_next(&in, &t)) == V_OK &&\n"
            "        (s = %s__json_get(&in, &t, out)) == V_OK) {\n"
            "        s = v_json_next(&in.r, &t); /* only whitespace follows */\n"
            "        if (s == V_ERR_END)\n"
            "            s = V_OK;\n"
            "        else if (s == V_OK)\n"
            "            s = vs_json_fail(&in, &t, \"data after the value\");\n"
            "        else\n"
            "            *in.err = in.r.error;\n"
            "    }\n"
            "    if (s != V_OK)\n"
            "        %s_free(a, out);\n"
            "    return s;\n}\n\n", n, n, n, n, n, n, n);
}
