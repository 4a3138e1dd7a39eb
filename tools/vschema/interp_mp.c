/* interp_mp.c — msgpack (docs/schema.md §6) for values of a run-time
 * schema, over libv's pull parser and writer. Mirrors what gen_mp.c
 * emits, check for check (see interp_bin.c for why). */
#include <stdint.h>
#include <v/mem.h>

#include "value.h"

#define SKIP_UNKNOWN 1u /* V_SCHEMA_SKIP_UNKNOWN */

typedef struct mp_in {
    v_msgpack_reader r;
    unsigned flags;
    v_alloc *a;
    vs_value_error *err;
} mp_in;

static v_status fail(mp_in *in, const v_msgpack_token *t, const char *why)
{
    return vs_value_fail(in->err, t->offset, why, NULL);
}

static v_status no_memory(mp_in *in, const v_msgpack_token *t, v_status s)
{
    vs_value_fail(in->err, t->offset, "allocation failed", NULL);
    return s;
}

/* The next token; the document ending early is an error here. */
static v_status next(mp_in *in, v_msgpack_token *t)
{
    v_status s = v_msgpack_next(&in->r, t);
    if (s == V_ERR_END)
        return vs_value_fail(in->err, in->r.len, "document ended early",
                             NULL);
    if (s != V_OK)
        vs_value_take(in->err, &in->r.error);
    return s;
}

static v_status skip(mp_in *in, const v_msgpack_token *t)
{
    v_status s = v_msgpack_skip(&in->r, t);
    if (s != V_OK)
        vs_value_take(in->err, &in->r.error);
    return s;
}

/* A str or bin payload, copied into in->a (NULL when empty). */
static v_status copy_payload(mp_in *in, const v_msgpack_token *t,
                             vs_value *v)
{
    void *p = NULL;
    if (t->len) {
        v_status s = v_alloc_bytes(in->a, t->len, 1, &p);
        if (s != V_OK)
            return no_memory(in, t, s);
        v_mem_copy(p, t->data, t->len);
    }
    v->ptr = p;
    v->len = t->len;
    return V_OK;
}

static v_status get_decl(const vs_decl *d, mp_in *in,
                         const v_msgpack_token *t, vs_value *v);

/* The value that starts at token t, of a type that is not a container. */
static v_status get_value(const vs_type *t, mp_in *in,
                          const v_msgpack_token *tok, vs_value *v)
{
    v->present = true;
    switch (t->kind) {
    case VS_BOOL:
        if (tok->kind != V_MSGPACK_BOOL)
            return fail(in, tok, "expected a bool");
        v->n.b = tok->boolean;
        return V_OK;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        if (tok->kind != V_MSGPACK_INT)
            return fail(in, tok, "expected an integer");
        if (!(tok->fits & V_MSGPACK_FITS_U64) ||
            tok->u64 > vs_value_uint_max(t->kind))
            return fail(in, tok, "integer out of range");
        v->n.u = tok->u64;
        return V_OK;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64: {
        int64_t min, max;
        vs_value_int_range(t->kind, &min, &max);
        if (tok->kind != V_MSGPACK_INT)
            return fail(in, tok, "expected an integer");
        if (!(tok->fits & V_MSGPACK_FITS_I64) || tok->i64 < min ||
            tok->i64 > max)
            return fail(in, tok, "integer out of range");
        v->n.i = tok->i64;
        return V_OK;
    }
    case VS_F64:
        if (tok->kind == V_MSGPACK_FLOAT64)
            v->n.f = tok->f64;
        else if (tok->kind == V_MSGPACK_FLOAT32)
            v->n.f = tok->f32;
        else
            return fail(in, tok, "expected a float");
        return V_OK;
    case VS_STRING: case VS_BYTES: {
        bool str = t->kind == VS_STRING;
        if (tok->kind != (str ? V_MSGPACK_STR : V_MSGPACK_BIN))
            return fail(in, tok, str ? "expected a str" : "expected a bin");
        if (tok->len > t->max)
            return fail(in, tok, str ? "string longer than its maximum"
                                     : "bytes longer than their maximum");
        return copy_payload(in, tok, v);
    }
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            long i;
            if (tok->kind != V_MSGPACK_STR)
                return fail(in, tok, "expected an enum name");
            if ((i = vs_value_field_named(t->decl, tok->data, tok->len)) < 0)
                return fail(in, tok, "unknown enum value");
            v->n.u = t->decl->sorted[i]->number;
            return V_OK;
        }
        return get_decl(t->decl, in, tok, v);
    default:
        return fail(in, tok, "handles have no msgpack form");
    }
}

/* A field's or variant's value: containers are arrays of values. */
static v_status get_field(const vs_type *t, mp_in *in, v_msgpack_token *e,
                          vs_value *v)
{
    vs_value *items;
    v_status s;
    if (t->kind != VS_ARRAY && t->kind != VS_LIST)
        return get_value(t, in, e, v);
    v->present = true;
    if (e->kind != V_MSGPACK_ARRAY_BEGIN)
        return fail(in, e, "expected an array");
    if (t->kind == VS_ARRAY && e->count != t->max)
        return fail(in, e, "array count is not its length");
    if (t->kind == VS_LIST && e->count > t->max)
        return fail(in, e, "list longer than its maximum");
    /* The count is checked against the schema's maximum before anything
     * is allocated for it. */
    if ((s = vs_value_alloc(in->a, e->count, &items)) != V_OK)
        return no_memory(in, e, s);
    v->ptr = items;
    v->len = e->count;
    for (size_t i = 0; i < v->len; i++) {
        v_msgpack_token el;
        if ((s = next(in, &el)) != V_OK ||
            (s = get_value(t->elem, in, &el, &items[i])) != V_OK)
            return s;
    }
    return next(in, e); /* the array's end */
}

static v_status get_struct(const vs_decl *d, mp_in *in,
                           const v_msgpack_token *t, vs_value *v)
{
    v_msgpack_token k, e;
    vs_value *items;
    v_status s;
    if (t->kind != V_MSGPACK_MAP_BEGIN)
        return fail(in, t, "expected a map");
    if ((s = vs_value_alloc(in->a, d->n_fields, &items)) != V_OK)
        return no_memory(in, t, s);
    v->ptr = items;
    v->len = d->n_fields;
    for (uint32_t n = 0; n < t->count; n++) {
        long i;
        if ((s = next(in, &k)) != V_OK)
            return s;
        if (k.kind != V_MSGPACK_STR)
            return fail(in, &k, "expected a field name");
        if ((s = next(in, &e)) != V_OK)
            return s;
        i = vs_value_field_named(d, k.data, k.len);
        if (i >= 0) {
            if (items[i].present)
                return fail(in, &k, "duplicate field");
            if ((s = get_field(d->sorted[i]->type, in, &e, &items[i])) !=
                V_OK)
                return s;
            continue;
        }
        if (!(in->flags & SKIP_UNKNOWN))
            return fail(in, &k, "unknown field");
        if ((s = skip(in, &e)) != V_OK)
            return s;
    }
    if ((s = next(in, &e)) != V_OK) /* the map's end */
        return s;
    for (size_t i = 0; i < d->n_fields; i++)
        if (!d->sorted[i]->optional && !items[i].present)
            return vs_value_fail(in->err, t->offset,
                                 "missing required field %s",
                                 d->sorted[i]->name);
    return V_OK;
}

static v_status get_union(const vs_decl *d, mp_in *in,
                          const v_msgpack_token *t, vs_value *v)
{
    v_msgpack_token k, e;
    vs_value *item;
    long i;
    v_status s;
    if (t->kind != V_MSGPACK_MAP_BEGIN || t->count != 1)
        return fail(in, t, "expected a map of one variant");
    if ((s = next(in, &k)) != V_OK)
        return s;
    if (k.kind != V_MSGPACK_STR)
        return fail(in, &k, "expected a variant name");
    if ((s = next(in, &e)) != V_OK)
        return s;
    if ((i = vs_value_field_named(d, k.data, k.len)) < 0)
        return fail(in, &k, "unknown union variant");
    v->tag = (uint32_t)i + 1;
    if ((s = vs_value_alloc(in->a, 1, &item)) != V_OK)
        return no_memory(in, &e, s);
    v->ptr = item;
    v->len = 1;
    if ((s = get_field(d->sorted[i]->type, in, &e, item)) != V_OK)
        return s;
    return next(in, &e); /* the map's end */
}

static v_status get_decl(const vs_decl *d, mp_in *in,
                         const v_msgpack_token *t, vs_value *v)
{
    v->present = true;
    return d->kind == VS_UNION ? get_union(d, in, t, v)
                               : get_struct(d, in, t, v);
}

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
    mp_in in;
    v_msgpack_token t;
    v_status s;
    if (depth > VS_VALUE_MAX_STACK)
        return vs_value_fail(err, 0, "type nested too deeply", NULL);
    in.flags = flags;
    in.a = a;
    in.err = err;
    if ((s = v_msgpack_reader_init(&in.r, buf, len, &lim, stack)) != V_OK) {
        vs_value_take(err, &in.r.error);
        return s;
    }
    if ((s = next(&in, &t)) != V_OK ||
        (s = get_decl(d, &in, &t, out)) != V_OK)
        return s;
    s = v_msgpack_next(&in.r, &t); /* nothing may follow */
    if (s == V_ERR_END)
        return V_OK;
    if (s == V_OK)
        return fail(&in, &t, "data after the value");
    vs_value_take(err, &in.r.error);
    return s;
}

/* ---- encoding ---- */

static v_status put_decl(const vs_decl *d, const vs_value *v,
                         v_msgpack_writer *w);

static v_status put_value(const vs_type *t, const vs_value *v,
                          v_msgpack_writer *w)
{
    v_status s;
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
    case VS_ARRAY: case VS_LIST: {
        const vs_value *items = v->ptr;
        s = v_msgpack_write_array_begin(w, (uint32_t)v->len);
        for (size_t i = 0; s == V_OK && i < v->len; i++)
            s = put_value(t->elem, &items[i], w);
        return s == V_OK ? v_msgpack_write_array_end(w) : s;
    }
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            const char *name = vs_value_enum_member(t->decl, v->n.u)->name;
            return v_msgpack_write_str(w, name, v_cstr_len(name));
        }
        return put_decl(t->decl, v, w);
    default:
        return V_ERR_INVALID_ARGS; /* handles: not in structs or unions */
    }
}

static v_status put_field(const vs_field *f, const vs_value *v,
                          v_msgpack_writer *w)
{
    v_status s = v_msgpack_write_str(w, f->name, v_cstr_len(f->name));
    return s == V_OK ? put_value(f->type, v, w) : s;
}

static v_status put_decl(const vs_decl *d, const vs_value *v,
                         v_msgpack_writer *w)
{
    const vs_value *items = v->ptr;
    uint32_t pairs = 0;
    v_status s;
    if (d->kind == VS_UNION) {
        if ((s = v_msgpack_write_map_begin(w, 1)) == V_OK)
            s = put_field(d->sorted[v->tag - 1], &items[0], w);
        return s == V_OK ? v_msgpack_write_map_end(w) : s;
    }
    for (size_t i = 0; i < d->n_fields; i++)
        pairs += items[i].present;
    s = v_msgpack_write_map_begin(w, pairs);
    for (size_t i = 0; s == V_OK && i < d->n_fields; i++)
        if (items[i].present)
            s = put_field(d->sorted[i], &items[i], w);
    return s == V_OK ? v_msgpack_write_map_end(w) : s;
}

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
        (s = put_decl(d, v, &w)) == V_OK)
        s = v_msgpack_writer_finish(&w, len);
    if (s == V_ERR_TRUNCATED)
        vs_value_fail(err, 0, "buffer too small", NULL);
    else if (s != V_OK)
        vs_value_take(err, &w.error);
    return s;
}
