/* interp_mp.c — msgpack (docs/schema.md §6) for values of a run-time
 * schema, over libv's pull parser and writer: the format's side of the
 * walk in interp_walk.c. Mirrors the msgpack hooks of gen_mp.c, check
 * for check (see interp_bin.c for why). */
#include <stdint.h>
#include <v/mem.h>

#include "interp_walk.h"

static v_status fail(vsi_in *in, const v_msgpack_token *t, const char *why)
{
    return vs_value_fail(in->err, t->offset, why, NULL);
}

static v_status next(vsi_in *in, vsi_token *t)
{
    v_msgpack_reader *r = in->r;
    v_status s = v_msgpack_next(r, &t->mp);
    if (s != V_OK && s != V_ERR_END)
        vs_value_take(in->err, &r->error);
    return s;
}

static v_status skip(vsi_in *in, const vsi_token *t)
{
    v_msgpack_reader *r = in->r;
    v_status s = v_msgpack_skip(r, &t->mp);
    if (s != V_OK)
        vs_value_take(in->err, &r->error);
    return s;
}

static size_t offset(const vsi_token *t)
{
    return t->mp.offset;
}

/* A str or bin payload, copied into in->a (NULL when empty). */
static v_status copy_payload(vsi_in *in, const vsi_token *t, vs_value *v)
{
    void *p = NULL;
    if (t->mp.len) {
        v_status s = v_alloc_bytes(in->a, t->mp.len, 1, &p);
        if (s != V_OK)
            return vsi_no_memory(in, t, s);
        v_mem_copy(p, t->mp.data, t->mp.len);
    }
    v->ptr = p;
    v->len = t->mp.len;
    return V_OK;
}

/* Bools and integers: the walk checks them (get_number). */
static void number(const vsi_token *t, vsi_number *n)
{
    const v_msgpack_token *tok = &t->mp;
    n->is_bool = tok->kind == V_MSGPACK_BOOL;
    n->is_int = tok->kind == V_MSGPACK_INT;
    n->boolean = n->is_bool && tok->boolean;
    n->fits_u64 = n->is_int && (tok->fits & V_MSGPACK_FITS_U64);
    n->fits_i64 = n->is_int && (tok->fits & V_MSGPACK_FITS_I64);
    n->u64 = n->fits_u64 ? tok->u64 : 0;
    n->i64 = n->fits_i64 ? tok->i64 : 0;
}

static v_status get_scalar(vsi_in *in, const vs_type *type,
                           const vsi_token *t, vs_value *v)
{
    const v_msgpack_token *tok = &t->mp;
    switch (type->kind) {
    case VS_F64:
        if (tok->kind == V_MSGPACK_FLOAT64)
            v->n.f = tok->f64;
        else if (tok->kind == V_MSGPACK_FLOAT32)
            v->n.f = tok->f32;
        else
            return fail(in, tok, "expected a float");
        return V_OK;
    case VS_STRING: case VS_BYTES: {
        bool str = type->kind == VS_STRING;
        if (tok->kind != (str ? V_MSGPACK_STR : V_MSGPACK_BIN))
            return fail(in, tok, str ? "expected a str" : "expected a bin");
        if (tok->len > type->max)
            return fail(in, tok, str ? "string longer than its maximum"
                                     : "bytes longer than their maximum");
        return copy_payload(in, t, v);
    }
    case VS_NAMED: { /* an enum */
        long i;
        if (tok->kind != V_MSGPACK_STR)
            return fail(in, tok, "expected an enum name");
        if ((i = vs_value_field_named(type->decl, tok->data, tok->len)) < 0)
            return fail(in, tok, "unknown enum value");
        v->n.u = type->decl->sorted[i]->number;
        return V_OK;
    }
    default:
        return fail(in, tok, "handles have no msgpack form");
    }
}

/* An array's header holds its count. */
static v_status get_array(vsi_in *in, const vsi_token *t, size_t *count)
{
    if (t->mp.kind != V_MSGPACK_ARRAY_BEGIN)
        return fail(in, &t->mp, "expected an array");
    *count = t->mp.count;
    return V_OK;
}

static v_status open_map(vsi_in *in, const vsi_token *t, bool is_union)
{
    if (is_union && (t->mp.kind != V_MSGPACK_MAP_BEGIN || t->mp.count != 1))
        return fail(in, &t->mp, "expected a map of one variant");
    if (t->mp.kind != V_MSGPACK_MAP_BEGIN)
        return fail(in, &t->mp, "expected a map");
    return V_OK;
}

/* A map's header holds its count of pairs; keys are strs. */
static v_status get_key(vsi_in *in, const vsi_token *open_tok, uint32_t n,
                        bool is_union, vsi_token *k, vsi_name *name,
                        bool *end)
{
    v_status s;
    *end = n == open_tok->mp.count;
    if (*end)
        return V_OK;
    if ((s = vsi_next(in, k)) != V_OK)
        return s;
    if (k->mp.kind != V_MSGPACK_STR)
        return fail(in, &k->mp, is_union ? "expected a variant name"
                                         : "expected a field name");
    name->ptr = k->mp.data;
    name->len = k->mp.len;
    return V_OK;
}

/* Every map has an end token. */
static v_status close_map(vsi_in *in, bool is_union, vsi_token *e)
{
    (void)is_union;
    return vsi_next(in, e);
}

static const vsi_reader_ops mp_reader = {
    .not_bool = "expected a bool", .number = number, .next = next,
    .skip = skip, .offset = offset, .scalar = get_scalar,
    .array = get_array, .open = open_map, .key = get_key,
    .close = close_map};

v_status vsi_mp_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                       unsigned flags, v_alloc *a, vs_value *out,
                       vs_value_error *err)
{
    /* Unknown fields (skipped on request) may nest a little deeper than
     * the type itself. Lengths and counts are bounded by the input; the
     * schema's own limits are checked per value. */
    v_msgpack_frame stack[VS_VALUE_MAX_STACK];
    size_t depth = vs_value_tree_depth(d) + 8;
    v_msgpack_limits lim = {len, depth, SIZE_MAX, SIZE_MAX, true};
    v_msgpack_reader r;
    vsi_in in = {&mp_reader, &r, 0, flags, a, err};
    v_status s;
    if (depth > VS_VALUE_MAX_STACK)
        return vs_value_fail(err, 0, "type nested too deeply", NULL);
    if ((s = v_msgpack_reader_init(&r, buf, len, &lim, stack)) != V_OK) {
        vs_value_take(err, &r.error);
        return s;
    }
    in.len = r.len;
    return vsi_decode(&in, d, out);
}

/* ---- encoding ---- */

static v_status put_scalar(void *w, const vs_type *t, const vs_value *v)
{
    switch (t->kind) {
    case VS_BOOL:
        return v_msgpack_write_bool(w, v->n.b);
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        return v_msgpack_write_u64(w, v->n.u);
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        return v_msgpack_write_i64(w, v->n.i);
    case VS_F64:
        return v_msgpack_write_f64(w, v->n.f);
    case VS_STRING:
        return v_msgpack_write_str(w, v->ptr, v->len);
    case VS_BYTES:
        return v_msgpack_write_bin(w, v->ptr, v->len);
    default:
        return V_ERR_INVALID_ARGS;
    }
}

/* Keys and enum names are both strs. */
static v_status put_str(void *w, const char *s, size_t n)
{
    return v_msgpack_write_str(w, s, n);
}

static v_status array_begin(void *w, size_t count)
{
    return v_msgpack_write_array_begin(w, (uint32_t)count);
}

static v_status array_end(void *w)
{
    return v_msgpack_write_array_end(w);
}

static v_status map_begin(void *w, uint32_t pairs)
{
    return v_msgpack_write_map_begin(w, pairs);
}

static v_status map_end(void *w)
{
    return v_msgpack_write_map_end(w);
}

static const vsi_writer_ops mp_writer = {
    .scalar = put_scalar, .str = put_str, .key = put_str,
    .array_begin = array_begin, .array_end = array_end,
    .map_begin = map_begin, .map_end = map_end};

v_status vsi_mp_encode(const vs_decl *d, const vs_value *v, void *buf,
                       size_t cap, const v_encoding_sink *sink, size_t *len,
                       vs_value_error *err)
{
    v_msgpack_writer w;
    v_msgpack_frame stack[VS_VALUE_MAX_STACK];
    v_status s;
    if (!buf) {
        vs_value_fail(err, 0, "NULL buffer", NULL);
        return V_ERR_INVALID_ARGS;
    }
    if ((s = v_msgpack_writer_init(&w, buf, cap, sink, stack,
                                   vs_value_tree_depth(d))) == V_OK &&
        (s = vsi_encode(&mp_writer, &w, d, v)) == V_OK)
        s = v_msgpack_writer_finish(&w, len);
    if (s == V_ERR_TRUNCATED)
        vs_value_fail(err, 0, "buffer too small", NULL);
    else if (s != V_OK)
        vs_value_take(err, &w.error);
    return s;
}
