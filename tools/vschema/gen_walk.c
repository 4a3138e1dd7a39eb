/* gen_walk.c — the JSON and msgpack codecs of structs and unions, emitted
 * once for both formats (gen_walk.h); the format's table fills in its
 * calls. Mirrored, check for check, by interp_walk.c. */
#include <string.h>

#include "gen_walk.h"
#include "value.h"

#define TRY "if ((s = "
#define OR_RETURN ") != V_OK)\n%s    return s;\n"

/* What every format's helpers do alike: fail at a token, read the next
 * one (the document ending there is an error), skip a value, allocate
 * zeroed storage for a list. */
void vs_gen_text_helpers(vs_out *o, const vs_gen_format *f)
{
    int fail_pad = (int)(strlen("VS_HELPER v_status vs__fail(") +
                         strlen(f->tag));
    int items_pad = (int)(strlen("VS_HELPER v_status vs__items(") +
                          strlen(f->tag));
    vs_emit(o,
            "VS_HELPER v_status vs_%s_fail(%s *in,\n"
            "%*sconst %s *t, const char *why)\n"
            "{\n"
            "    in->err->offset = t->offset;\n"
            "    in->err->reason = why;\n"
            "    return V_ERR_MALFORMED;\n"
            "}\n\n", f->tag, f->in, fail_pad, "", f->token);
    vs_emit(o,
            "/* The next token; the document ending early is an error here. */\n"
            "VS_HELPER v_status vs_%s_next(%s *in, %s *t)\n"
            "{\n"
            "    v_status s = %s(&in->r, t);\n"
            "    if (s == V_ERR_END) {\n"
            "        in->err->offset = in->r.len;\n"
            "        in->err->reason = \"document ended early\";\n"
            "        return V_ERR_MALFORMED;\n"
            "    }\n"
            "    if (s != V_OK)\n"
            "        *in->err = in->r.error;\n"
            "    return s;\n"
            "}\n\n", f->tag, f->in, f->token, f->reader_next);
    vs_emit(o,
            "VS_HELPER v_status vs_%s_skip(%s *in, const %s *t)\n"
            "{\n"
            "    v_status s = %s(&in->r, t);\n"
            "    if (s != V_OK)\n"
            "        *in->err = in->r.error;\n"
            "    return s;\n"
            "}\n\n", f->tag, f->in, f->token, f->reader_skip);
    vs_emit(o,
            "/* Zeroed storage for count items (NULL when count is 0). */\n"
            "VS_HELPER v_status vs_%s_items(%s *in, const %s *t,\n"
            "%*ssize_t count, size_t size, size_t align,\n"
            "%*svoid **out)\n"
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
            "}\n\n%s", f->tag, f->in, f->token, items_pad, "", items_pad, "",
            f->helpers);
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

void vs_gen_text_protos(vs_out *h, const vs_gen_format *f, const vs_decl *d)
{
    const char *n = vs_ctype_decl(h->c, d);
    vs_emit(h,
            "/* %s: containers nested in a value, at most. */\n"
            "#define %s_%s %u\n"
            "v_status %s_encode_%s(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err);\n"
            "v_status %s_decode_%s(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err);\n"
            "v_status %s__%s_put(%s *w, const %s *v);\n"
            "v_status %s__%s_get(%s *in, const %s *t,\n"
            "    %s *v);\n\n",
            f->label, n, f->depth,
            f->bytes_nest ? vs_value_json_depth(d) : vs_value_tree_depth(d),
            n,
            f->suffix, n, n, f->suffix, n, n, f->tag, f->writer, n, n,
            f->tag, f->in, f->token, n);
}

/* ---- encoding ---- */

static void put_value(vs_out *o, const vs_gen_format *f, const vs_type *t,
                      const char *x, const char *ind)
{
    const char *call;
    switch (t->kind) {
    case VS_BOOL:
        call = f->put_bool;
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        call = f->put_u64;
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        call = f->put_i64;
        break;
    case VS_F64:
        call = f->put_f64;
        break;
    case VS_STRING: case VS_BYTES:
        vs_emit(o, "%s" TRY "%s(w, %s.ptr, %s.len)" OR_RETURN, ind,
                t->kind == VS_STRING ? f->put_str : f->put_bytes, x, x, ind);
        return;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(o->c, t->decl);
        if (t->decl->kind == VS_ENUM)
            vs_emit(o, "%s" TRY "%s(w, %s_name(%s),\n"
                    "%s        v_cstr_len(%s_name(%s)))" OR_RETURN, ind,
                    f->put_str, n, x, ind, n, x, ind);
        else
            vs_emit(o, "%s" TRY "%s__%s_put(w, &%s)" OR_RETURN, ind, n,
                    f->tag, x, ind);
        return;
    }
    default:
        return; /* handles: never in structs or unions */
    }
    vs_emit(o, "%s" TRY "%s(w, %s)" OR_RETURN, ind, call, x, ind);
}

static void put_field(vs_out *o, const vs_gen_format *f, const vs_decl *d,
                      const vs_field *fd, const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = fd->type;
    const char *x = vs_lvalue(c, d, fd);
    vs_emit(o, "%s" TRY "%s(w, \"%s\", %zu)" OR_RETURN, ind, f->put_key,
            fd->name, strlen(fd->name), ind);
    if (!vs_is_container(t)) {
        put_value(o, f, t, x, ind);
        return;
    }
    if (f->array_counted)
        vs_emit(o, "%s" TRY "%s(w, (uint32_t)%s)" OR_RETURN, ind,
                f->put_array_begin, vs_count_of(c, t, x), ind);
    else
        vs_emit(o, "%s" TRY "%s(w)" OR_RETURN, ind, f->put_array_begin,
                ind);
    vs_emit(o, "%sfor (size_t i = 0; i < %s; i++) {\n", ind,
            vs_count_of(c, t, x));
    put_value(o, f, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
    vs_emit(o, "%s}\n", ind);
    vs_emit(o, "%s" TRY "%s(w)" OR_RETURN, ind, f->put_array_end, ind);
}

static void emit_put(vs_out *o, const vs_gen_format *f, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    vs_emit(o, "v_status %s__%s_put(%s *w, const %s *v)\n{\n"
            "    v_status s;\n", n, f->tag, f->writer, n);
    if (d->kind == VS_UNION) {
        vs_emit(o, "    " TRY "%s" OR_RETURN "    switch (v->tag) {\n",
                f->map_begin_union, "    ");
        for (size_t i = 0; i < d->n_fields; i++) {
            const vs_field *fd = d->sorted[i];
            vs_emit(o, "    case %s:\n", vs_constant(c, d, fd));
            put_field(o, f, d, fd, "        ");
            vs_emit(o, "        break;\n");
        }
        vs_emit(o, "    default:\n        return V_ERR_INVALID_ARGS;\n"
                "    }\n");
    } else {
        if (f->struct_put_prologue)
            f->struct_put_prologue(o, d);
        if (d->n_fields == 0)
            vs_emit(o, "    (void)v;\n");
        vs_emit(o, "    " TRY "%s" OR_RETURN, f->map_begin_struct, "    ");
        for (size_t i = 0; i < d->n_fields; i++) {
            const vs_field *fd = d->sorted[i];
            if (fd->optional) {
                vs_emit(o, "    if (v->has_%s) {\n", fd->name);
                put_field(o, f, d, fd, "        ");
                vs_emit(o, "    }\n");
            } else {
                put_field(o, f, d, fd, "    ");
            }
        }
    }
    vs_emit(o, "    return %s(w);\n}\n\n", f->put_map_end);
}

/* ---- decoding ---- */

static const char *const limits[][2] = {
    [VS_U8] = {"0", "UINT8_MAX"}, [VS_U16] = {"0", "UINT16_MAX"},
    [VS_U32] = {"0", "UINT32_MAX"}, [VS_U64] = {"0", "UINT64_MAX"},
    [VS_I8] = {"INT8_MIN", "INT8_MAX"}, [VS_I16] = {"INT16_MIN", "INT16_MAX"},
    [VS_I32] = {"INT32_MIN", "INT32_MAX"},
    [VS_I64] = {"INT64_MIN", "INT64_MAX"}};

void vs_gen_expect(vs_out *o, const vs_gen_format *f, const char *tok,
                   const char *kind, const char *what, const char *ind)
{
    vs_emit(o, "%sif (%s.kind != %s)\n%s    return vs_%s_fail(in, &%s, "
            "\"expected %s\");\n", ind, tok, kind, ind, f->tag, tok, what);
}

void vs_gen_get_blob(vs_out *o, const vs_gen_format *f, const vs_type *t,
                     const char *x, const char *tok, const char *kind,
                     const char *what, const char *too_long,
                     const char *ind)
{
    vs_gen_expect(o, f, tok, kind, what, ind);
    vs_emit(o, "%sif (%s.%s > %u)\n%s    return vs_%s_fail(in, &%s, "
            "\"%s\");\n", ind, tok, f->str_len, (unsigned)t->max, ind,
            f->tag, tok, too_long);
    vs_emit(o, "%s{\n%s    void *p;\n%s    " TRY "%s(in, &%s, &p)) != V_OK)\n"
            "%s        return s;\n%s    %s.ptr = p;\n"
            "%s    %s.len = %s.%s;\n%s}\n", ind, ind, ind, f->copy_str, tok,
            ind, ind, x, ind, x, tok, f->str_len, ind);
}

/* Decodes the value starting at token `tok` (a variable) into x. */
static void get_value(vs_out *o, const vs_gen_format *f, const vs_type *t,
                      const char *x, const char *tok, const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        vs_gen_expect(o, f, tok, f->tok_bool, f->bool_what, ind);
        vs_emit(o, "%s%s = %s.boolean;\n", ind, x, tok);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_gen_expect(o, f, tok, f->tok_int, "an integer", ind);
        vs_emit(o, "%sif (!(%s.fits & %s_U64) || %s.u64 > %s)\n"
                "%s    return vs_%s_fail(in, &%s, \"integer out of "
                "range\");\n%s%s = (%s)%s.u64;\n", ind, tok, f->fits, tok,
                limits[t->kind][1], ind, f->tag, tok, ind, x,
                vs_ctype(c, t), tok);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_gen_expect(o, f, tok, f->tok_int, "an integer", ind);
        vs_emit(o, "%sif (!(%s.fits & %s_I64) || %s.i64 < %s ||\n"
                "%s    %s.i64 > %s)\n"
                "%s    return vs_%s_fail(in, &%s, \"integer out of "
                "range\");\n%s%s = (%s)%s.i64;\n", ind, tok, f->fits, tok,
                limits[t->kind][0], ind, tok, limits[t->kind][1], ind,
                f->tag, tok, ind, x, vs_ctype(c, t), tok);
        break;
    case VS_F64:
        f->get_f64(o, t, x, tok, ind);
        break;
    case VS_STRING:
        vs_gen_get_blob(o, f, t, x, tok, f->tok_str, f->str_what,
                        "string longer than its maximum", ind);
        break;
    case VS_BYTES:
        f->get_bytes(o, t, x, tok, ind);
        break;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM) {
            vs_gen_expect(o, f, tok, f->tok_str, "an enum name", ind);
            f->get_enum(o, n, x, tok, ind);
        } else {
            vs_emit(o, "%s" TRY "%s__%s_get(in, &%s, &%s)" OR_RETURN, ind,
                    n, f->tag, tok, x, ind);
        }
        break;
    }
    default:
        break; /* handles: never in structs or unions */
    }
}

/* The value of field fd, from token e. */
static void get_field(vs_out *o, const vs_gen_format *f, const vs_decl *d,
                      const vs_field *fd, const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = fd->type;
    const char *x = vs_lvalue(c, d, fd);
    const char *in4 = vs_printf(c, "%s    ", ind);
    if (!vs_is_container(t)) {
        get_value(o, f, t, x, "e", ind);
        return;
    }
    vs_gen_expect(o, f, "e", f->tok_array, "an array", ind);
    vs_emit(o, "%s{\n", ind);
    f->get_count(o, in4);
    if (t->kind == VS_ARRAY) {
        vs_emit(o, "%sif (count != %u)\n%s    return vs_%s_fail(in, &e, "
                "\"array count is not its length\");\n", in4,
                (unsigned)t->max, in4, f->tag);
    } else {
        /* The count is checked against the schema's maximum before
         * anything is allocated for it. */
        const char *et = vs_ctype(c, t->elem);
        vs_emit(o, "%sif (count > %u)\n%s    return vs_%s_fail(in, &e, "
                "\"list longer than its maximum\");\n", in4,
                (unsigned)t->max, in4, f->tag);
        vs_emit(o, "%svoid *items;\n%s" TRY "vs_%s_items(in, &e, count, "
                "sizeof(%s), _Alignof(%s), &items)) != V_OK)\n"
                "%s    return s;\n%s%s.items = items;\n"
                "%s%s.count = count;\n", in4, in4, f->tag, et, et, in4, in4,
                x, in4, x);
    }
    vs_emit(o, "%sfor (size_t i = 0; i < count; i++) {\n"
            "%s    %s el;\n"
            "%s    " TRY "vs_%s_next(in, &el)) != V_OK)\n"
            "%s        return s;\n", in4, in4, f->token, in4, f->tag, in4);
    get_value(o, f, t->elem, vs_item(c, t, x), "el",
              vs_printf(c, "%s        ", ind));
    vs_emit(o, "%s}\n%s" TRY "vs_%s_next(in, &e)) != V_OK) /* the array's "
            "end */\n%s    return s;\n%s}\n", in4, in4, f->tag, in4, ind);
}

static void emit_get_struct(vs_out *o, const vs_gen_format *f,
                            const vs_decl *d)
{
    for (size_t i = 0; i < d->n_fields; i++)
        vs_emit(o, "    bool seen_%s = false;\n", d->fields[i].name);
    vs_emit(o, "%s        if ((s = vs_%s_next(in, &e)) != V_OK)\n"
            "            return s;\n        ", f->struct_head, f->tag);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *fd = d->sorted[i];
        vs_emit(o, "if (%s\"%s\", %zu)) {\n"
                "            if (seen_%s)\n                return vs_%s_fail("
                "in, &k, \"duplicate field\");\n"
                "            seen_%s = true;\n", f->match, fd->name,
                strlen(fd->name), fd->name, f->tag, fd->name);
        if (fd->optional)
            vs_emit(o, "            v->has_%s = true;\n", fd->name);
        get_field(o, f, d, fd, "            ");
        vs_emit(o, "        } else ");
    }
    vs_emit(o, "{\n"
            "            if (!(in->flags & V_SCHEMA_SKIP_UNKNOWN))\n"
            "                return vs_%s_fail(in, &k, \"unknown field\");\n"
            "            if ((s = vs_%s_skip(in, &e)) != V_OK)\n"
            "                return s;\n"
            "        }\n    }\n%s", f->tag, f->tag, f->struct_tail);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *fd = d->sorted[i];
        if (!fd->optional)
            vs_emit(o, "    if (!seen_%s)\n        return vs_%s_fail(in, t, "
                    "\"missing required field %s\");\n", fd->name, f->tag,
                    fd->name);
    }
    if (d->n_fields == 0)
        vs_emit(o, "%s", f->no_fields);
    vs_emit(o, "    return V_OK;\n");
}

static void emit_get_union(vs_out *o, const vs_gen_format *f,
                           const vs_decl *d)
{
    vs_ctx *c = o->c;
    vs_emit(o, "%s    if ((s = vs_%s_next(in, &e)) != V_OK)\n"
            "        return s;\n    ", f->union_head, f->tag);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *fd = d->sorted[i];
        vs_emit(o, "if (%s\"%s\", %zu)) {\n        v->tag = %s;\n", f->match,
                fd->name, strlen(fd->name), vs_constant(c, d, fd));
        get_field(o, f, d, fd, "        ");
        vs_emit(o, "    } else ");
    }
    vs_emit(o, "{\n        return vs_%s_fail(in, &k, \"unknown union "
            "variant\");\n    }\n%s", f->tag, f->union_tail);
}

static void emit_get(vs_out *o, const vs_gen_format *f, const vs_decl *d)
{
    const char *n = vs_ctype_decl(o->c, d);
    vs_emit(o, "v_status %s__%s_get(%s *in, const %s *t, %s *v)\n{\n"
            "    v_status s;\n    %s k, e;\n", n, f->tag, f->in, f->token, n,
            f->token);
    if (d->kind == VS_UNION)
        emit_get_union(o, f, d);
    else
        emit_get_struct(o, f, d);
    vs_emit(o, "}\n\n");
}

/* ---- the public entry points ---- */

static void emit_encode(vs_out *o, const vs_gen_format *f, const char *n)
{
    vs_emit(o,
            "v_status %s_encode_%s(const %s *v, void *buf, size_t cap,\n"
            "    size_t *len, v_encoding_error *err)\n{\n"
            "    %s w;\n"
            "    %s stack[%s_%s];\n"
            "    v_status s = %s_validate(v, err);\n"
            "    if (s != V_OK)\n        return s;\n"
            "    if (!buf)\n        return vs_invalid(err, \"NULL buffer\");\n"
            "    if ((s = %s(&w, buf, cap, NULL, stack,\n"
            "%*s%s_%s)) == V_OK &&\n"
            "        (s = %s__%s_put(&w, v)) == V_OK)\n"
            "        s = %s(&w, len);\n"
            "    if (s == V_ERR_TRUNCATED)\n"
            "        vs_invalid(err, \"buffer too small\");\n"
            "%s"
            "    else if (s != V_OK && err)\n"
            "        *err = w.error;\n"
            "    return s;\n}\n\n", n, f->suffix, n, f->writer, f->frame, n,
            f->depth, n, f->writer_init,
            (int)(strlen("    if ((s = (") + strlen(f->writer_init)), "", n,
            f->depth, n, f->tag, f->writer_finish, f->encode_fail);
}

static void emit_decode(vs_out *o, const vs_gen_format *f, const char *n)
{
    vs_emit(o,
            "v_status %s_decode_%s(const void *buf, size_t len,\n"
            "    unsigned flags, v_alloc *a, %s *out, v_encoding_error *err)\n"
            "{\n"
            "    v_encoding_error ignored;\n"
            "    /* Unknown fields (skipped on request) may nest a little\n"
            "     * deeper than the type itself. */\n"
            "    %s stack[%s_%s + 8];\n", n, f->suffix, n, f->frame, n,
            f->depth);
    f->decode_locals(o, n);
    vs_emit(o,
            "    %s in;\n"
            "    %s t;\n"
            "    v_mem_set(out, 0, sizeof *out);\n"
            "    if ((!buf && len) || !a)\n"
            "        return vs_invalid(err, \"NULL buffer or allocator\");\n"
            "%s"
            "    in.flags = flags;\n"
            "    in.a = a;\n"
            "    in.err = err ? err : &ignored;\n"
            "    v_status s = %s(&in.r, buf ? buf : \"\", len, &lim,\n"
            "%*sstack);\n"
            "    if (s != V_OK)\n"
            "        *in.err = in.r.error;\n"
            "    if (s == V_OK && (s = vs_%s_next(&in, &t)) == V_OK &&\n"
            "        (s = %s__%s_get(&in, &t, out)) == V_OK) {\n"
            "        s = %s(&in.r, &t); /* %s */\n"
            "        if (s == V_ERR_END)\n"
            "            s = V_OK;\n"
            "        else if (s == V_OK)\n"
            "            s = vs_%s_fail(&in, &t, \"data after the value\");\n"
            "        else\n"
            "            *in.err = in.r.error;\n"
            "    }\n"
            "    if (s != V_OK)\n"
            "        %s_free(a, out);\n"
            "    return s;\n}\n\n", f->in, f->token, f->in_init,
            f->reader_init,
            (int)(strlen("    v_status s = (") + strlen(f->reader_init)), "",
            f->tag, n, f->tag, f->reader_next, f->end_note, f->tag, n);
}

void vs_gen_text_code(vs_out *o, const vs_gen_format *f, const vs_decl *d)
{
    const char *n = vs_ctype_decl(o->c, d);
    emit_put(o, f, d);
    emit_get(o, f, d);
    emit_encode(o, f, n);
    emit_decode(o, f, n);
}
