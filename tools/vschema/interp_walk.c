/* interp_walk.c — the walk over a schema type that JSON and msgpack share
 * (interp_walk.h). Mirrors gen_walk.c, check for check. */
#include <stdint.h>
#include <v/mem.h>

#include "interp_walk.h"

#define SKIP_UNKNOWN 1u /* V_SCHEMA_SKIP_UNKNOWN */

v_status vsi_fail(vsi_in *in, const vsi_token *t, const char *why)
{
    return vs_value_fail(in->err, in->ops->offset(t), why, NULL);
}

v_status vsi_no_memory(vsi_in *in, const vsi_token *t, v_status s)
{
    vsi_fail(in, t, "allocation failed");
    return s;
}

v_status vsi_next(vsi_in *in, vsi_token *t)
{
    v_status s = in->ops->next(in, t);
    if (s == V_ERR_END)
        return vs_value_fail(in->err, in->len, "document ended early",
                             NULL);
    return s;
}

static v_status get_decl(vsi_in *in, const vs_decl *d, const vsi_token *t,
                         vs_value *v);

/* A bool or an integer within its type's range. */
static v_status get_number(vsi_in *in, const vs_type *type,
                           const vsi_token *t, vs_value *v)
{
    vsi_number n;
    int64_t min, max;
    in->ops->number(t, &n);
    switch (type->kind) {
    case VS_BOOL:
        if (!n.is_bool)
            return vsi_fail(in, t, in->ops->not_bool);
        v->n.b = n.boolean;
        return V_OK;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        if (!n.is_int)
            return vsi_fail(in, t, "expected an integer");
        if (!n.fits_u64 || n.u64 > vs_value_uint_max(type->kind))
            return vsi_fail(in, t, "integer out of range");
        v->n.u = n.u64;
        return V_OK;
    default: /* VS_I8 to VS_I64 */
        vs_value_int_range(type->kind, &min, &max);
        if (!n.is_int)
            return vsi_fail(in, t, "expected an integer");
        if (!n.fits_i64 || n.i64 < min || n.i64 > max)
            return vsi_fail(in, t, "integer out of range");
        v->n.i = n.i64;
        return V_OK;
    }
}

/* The value that starts at token t, of a type that is not a container. */
static v_status get_value(vsi_in *in, const vs_type *type,
                          const vsi_token *t, vs_value *v)
{
    v->present = true;
    switch (type->kind) {
    case VS_BOOL: case VS_U8: case VS_U16: case VS_U32: case VS_U64:
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        return get_number(in, type, t, v);
    case VS_NAMED:
        if (type->decl->kind != VS_ENUM)
            return get_decl(in, type->decl, t, v);
        return in->ops->scalar(in, type, t, v);
    default:
        return in->ops->scalar(in, type, t, v);
    }
}

/* A field's or variant's value: containers are arrays of values. */
static v_status get_field(vsi_in *in, const vs_type *type, vsi_token *e,
                          vs_value *v)
{
    size_t count;
    vs_value *items;
    v_status s;
    if (type->kind != VS_ARRAY && type->kind != VS_LIST)
        return get_value(in, type, e, v);
    v->present = true;
    if ((s = in->ops->array(in, e, &count)) != V_OK)
        return s;
    if (type->kind == VS_ARRAY && count != type->max)
        return vsi_fail(in, e, "array count is not its length");
    if (type->kind == VS_LIST && count > type->max)
        return vsi_fail(in, e, "list longer than its maximum");
    /* The count is checked against the schema's maximum before anything
     * is allocated for it. */
    if ((s = vs_value_alloc(in->a, count, &items)) != V_OK)
        return vsi_no_memory(in, e, s);
    v->ptr = items;
    v->len = count;
    for (size_t i = 0; i < count; i++) {
        vsi_token el;
        if ((s = vsi_next(in, &el)) != V_OK ||
            (s = get_value(in, type->elem, &el, &items[i])) != V_OK)
            return s;
    }
    return vsi_next(in, e); /* the array's end */
}

/* Member k's name as a sorted index of d, or -1. */
static long lookup(const vs_decl *d, const vsi_name *name)
{
    return name->len == SIZE_MAX
               ? -1
               : vs_value_field_named(d, name->ptr, name->len);
}

static v_status get_struct(vsi_in *in, const vs_decl *d, const vsi_token *t,
                           vs_value *v)
{
    vsi_token k, e;
    vs_value *items;
    v_status s;
    if ((s = in->ops->open(in, t, false)) != V_OK)
        return s;
    if ((s = vs_value_alloc(in->a, d->n_fields, &items)) != V_OK)
        return vsi_no_memory(in, t, s);
    v->ptr = items;
    v->len = d->n_fields;
    for (uint32_t n = 0;; n++) {
        vsi_name name;
        bool end;
        long i;
        if ((s = in->ops->key(in, t, n, false, &k, &name, &end)) != V_OK)
            return s;
        if (end)
            break;
        if ((s = vsi_next(in, &e)) != V_OK)
            return s;
        if ((i = lookup(d, &name)) >= 0) {
            if (items[i].present)
                return vsi_fail(in, &k, "duplicate field");
            if ((s = get_field(in, d->sorted[i]->type, &e, &items[i])) !=
                V_OK)
                return s;
            continue;
        }
        if (!(in->flags & SKIP_UNKNOWN))
            return vsi_fail(in, &k, "unknown field");
        if ((s = in->ops->skip(in, &e)) != V_OK)
            return s;
    }
    if ((s = in->ops->close(in, false, &e)) != V_OK)
        return s;
    for (size_t i = 0; i < d->n_fields; i++)
        if (!d->sorted[i]->optional && !items[i].present)
            return vs_value_fail(in->err, in->ops->offset(t),
                                 "missing required field %s",
                                 d->sorted[i]->name);
    return V_OK;
}

static v_status get_union(vsi_in *in, const vs_decl *d, const vsi_token *t,
                          vs_value *v)
{
    vsi_token k, e;
    vsi_name name;
    bool end;
    long i;
    vs_value *item;
    v_status s;
    if ((s = in->ops->open(in, t, true)) != V_OK ||
        (s = in->ops->key(in, t, 0, true, &k, &name, &end)) != V_OK ||
        (s = vsi_next(in, &e)) != V_OK)
        return s;
    if ((i = lookup(d, &name)) < 0)
        return vsi_fail(in, &k, "unknown union variant");
    v->tag = (uint32_t)i + 1;
    if ((s = vs_value_alloc(in->a, 1, &item)) != V_OK)
        return vsi_no_memory(in, &e, s);
    v->ptr = item;
    v->len = 1;
    if ((s = get_field(in, d->sorted[i]->type, &e, item)) != V_OK)
        return s;
    return in->ops->close(in, true, &e);
}

static v_status get_decl(vsi_in *in, const vs_decl *d, const vsi_token *t,
                         vs_value *v)
{
    v->present = true;
    return d->kind == VS_UNION ? get_union(in, d, t, v)
                               : get_struct(in, d, t, v);
}

v_status vsi_decode(vsi_in *in, const vs_decl *d, vs_value *out)
{
    vsi_token t;
    v_status s;
    if ((s = vsi_next(in, &t)) != V_OK ||
        (s = get_decl(in, d, &t, out)) != V_OK)
        return s;
    s = in->ops->next(in, &t); /* only whitespace may follow */
    if (s == V_ERR_END)
        return V_OK;
    if (s == V_OK)
        return vsi_fail(in, &t, "data after the value");
    return s;
}

/* ---- encoding ---- */

static v_status put_value(const vsi_writer_ops *ops, void *w,
                          const vs_type *t, const vs_value *v)
{
    v_status s;
    switch (t->kind) {
    case VS_ARRAY: case VS_LIST: {
        const vs_value *items = v->ptr;
        s = ops->array_begin(w, v->len);
        for (size_t i = 0; s == V_OK && i < v->len; i++)
            s = put_value(ops, w, t->elem, &items[i]);
        return s == V_OK ? ops->array_end(w) : s;
    }
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            const char *name = vs_value_enum_member(t->decl, v->n.u)->name;
            return ops->str(w, name, v_cstr_len(name));
        }
        return vsi_encode(ops, w, t->decl, v);
    case VS_HANDLE:
        return V_ERR_INVALID_ARGS; /* not in structs or unions */
    default:
        return ops->scalar(w, t, v);
    }
}

static v_status put_field(const vsi_writer_ops *ops, void *w,
                          const vs_field *f, const vs_value *v)
{
    v_status s = ops->key(w, f->name, v_cstr_len(f->name));
    return s == V_OK ? put_value(ops, w, f->type, v) : s;
}

v_status vsi_encode(const vsi_writer_ops *ops, void *w, const vs_decl *d,
                    const vs_value *v)
{
    const vs_value *items = v->ptr;
    uint32_t pairs = 0;
    v_status s;
    if (d->kind == VS_UNION) {
        if ((s = ops->map_begin(w, 1)) == V_OK)
            s = put_field(ops, w, d->sorted[v->tag - 1], &items[0]);
        return s == V_OK ? ops->map_end(w) : s;
    }
    for (size_t i = 0; i < d->n_fields; i++)
        pairs += items[i].present;
    s = ops->map_begin(w, pairs);
    for (size_t i = 0; s == V_OK && i < d->n_fields; i++)
        if (items[i].present)
            s = put_field(ops, w, d->sorted[i], &items[i]);
    return s == V_OK ? ops->map_end(w) : s;
}
