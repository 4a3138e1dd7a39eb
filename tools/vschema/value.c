/* value.c — the interpreter's value model: dispatch, validation, freeing,
 * and the small lookups the three codecs share (value.h). */
#include <stdint.h>
#include <v/mem.h>
#include <v/text.h>

#include "value.h"

bool vs_value_has_format(const vs_decl *d, vs_format f)
{
    if (d->kind == VS_ENUM)
        return false;
    return d->kind != VS_MESSAGE || f == VS_FORMAT_BINARY;
}

const vs_decl *vs_value_find_decl(const vs_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_decls; i++)
        if (v_cstr_compare(s->decls[i]->name, name) == 0 ||
            v_cstr_compare(s->decls[i]->qname, name) == 0)
            return s->decls[i];
    for (size_t j = 0; j < s->n_imports; j++) {
        const vs_schema *im = s->imports[j].schema;
        for (size_t i = 0; i < im->n_decls; i++)
            if (v_cstr_compare(im->decls[i]->qname, name) == 0)
                return im->decls[i];
    }
    return NULL;
}

/* ---- depths: the generators' too (gen_walk.c) ---- */

static bool is_container(const vs_type *t)
{
    return t->kind == VS_ARRAY || t->kind == VS_LIST;
}

static bool is_aggregate(const vs_type *t)
{
    return t->kind == VS_NAMED && t->decl->kind != VS_ENUM;
}

static unsigned type_depth(const vs_type *t, bool json);

static unsigned decl_depth(const vs_decl *d, bool json)
{
    unsigned max = 0;
    for (size_t i = 0; i < d->n_fields; i++) {
        unsigned n = d->fields[i].type ? type_depth(d->fields[i].type, json)
                                       : 0;
        if (n > max)
            max = n;
    }
    return 1 + max;
}

static unsigned type_depth(const vs_type *t, bool json)
{
    if (is_container(t))
        return 1 + type_depth(t->elem, json);
    if (is_aggregate(t))
        return decl_depth(t->decl, json);
    return json && t->kind == VS_BYTES;
}

unsigned vs_value_tree_depth(const vs_decl *d)
{
    return decl_depth(d, false);
}

unsigned vs_value_json_depth(const vs_decl *d)
{
    return decl_depth(d, true);
}

/* ---- lookups ---- */

void vs_value_int_range(vs_kind k, int64_t *min, int64_t *max)
{
    switch (k) {
    case VS_I8: *min = INT8_MIN; *max = INT8_MAX; break;
    case VS_I16: *min = INT16_MIN; *max = INT16_MAX; break;
    case VS_I32: *min = INT32_MIN; *max = INT32_MAX; break;
    default: *min = INT64_MIN; *max = INT64_MAX; break;
    }
}

uint64_t vs_value_uint_max(vs_kind k)
{
    switch (k) {
    case VS_BOOL: return 1;
    case VS_U8: return UINT8_MAX;
    case VS_U16: return UINT16_MAX;
    case VS_U32: return UINT32_MAX;
    default: return UINT64_MAX;
    }
}

const vs_field *vs_value_enum_member(const vs_decl *e, uint64_t v)
{
    for (size_t i = 0; i < e->n_fields; i++)
        if (e->sorted[i]->number == v)
            return e->sorted[i];
    return NULL;
}

long vs_value_field_named(const vs_decl *d, const void *name, size_t len)
{
    for (size_t i = 0; i < d->n_fields; i++) {
        const char *n = d->sorted[i]->name;
        if (v_cstr_len(n) == len && v_mem_equal(n, name, len))
            return (long)i;
    }
    return -1;
}

/* ---- errors and storage ---- */

v_status vs_value_fail(vs_value_error *err, size_t at, const char *why,
                       const char *arg)
{
    size_t n = 0;
    err->offset = at;
    for (const char *p = why; *p && n + 1 < VS_VALUE_REASON; p++) {
        if (p[0] == '%' && p[1] == 's' && arg) {
            for (const char *q = arg; *q && n + 1 < VS_VALUE_REASON; q++)
                err->reason[n++] = *q;
            p++;
        } else {
            err->reason[n++] = *p;
        }
    }
    err->reason[n] = '\0';
    return V_ERR_MALFORMED;
}

void vs_value_take(vs_value_error *err, const v_encoding_error *e)
{
    vs_value_fail(err, e->offset, e->reason ? e->reason : "invalid input",
                  NULL);
}

static v_status invalid(vs_value_error *err, const char *why)
{
    vs_value_fail(err, 0, why, NULL);
    return V_ERR_INVALID_ARGS;
}

v_status vs_value_alloc(v_alloc *a, size_t n, vs_value **out)
{
    void *p = NULL;
    *out = NULL;
    if (n == 0)
        return V_OK;
    v_status s = v_alloc_array(a, sizeof(vs_value), _Alignof(vs_value), n,
                               &p);
    if (s != V_OK)
        return s;
    v_mem_set(p, 0, n * sizeof(vs_value));
    *out = p;
    return V_OK;
}

/* ---- free ---- */

static void free_decl(const vs_decl *d, v_alloc *a, vs_value *v);

static void free_type(const vs_type *t, v_alloc *a, vs_value *v)
{
    switch (t->kind) {
    case VS_STRING: case VS_BYTES:
        if (v->ptr && v->len)
            v_alloc_free(a, v->ptr, v->len);
        break;
    case VS_ARRAY: case VS_LIST:
        if (v->ptr && v->len) {
            vs_value *items = v->ptr;
            for (size_t i = 0; i < v->len; i++)
                free_type(t->elem, a, &items[i]);
            v_alloc_free(a, v->ptr, v->len * sizeof(vs_value));
        }
        break;
    case VS_NAMED:
        if (t->decl->kind != VS_ENUM)
            free_decl(t->decl, a, v);
        break;
    default:
        break;
    }
    v_mem_set(v, 0, sizeof *v);
}

static void free_decl(const vs_decl *d, v_alloc *a, vs_value *v)
{
    vs_value *items = v->ptr;
    if (!items || !v->len)
        return;
    if (d->kind == VS_UNION) {
        if (v->tag >= 1 && v->tag <= d->n_fields)
            free_type(d->sorted[v->tag - 1]->type, a, &items[0]);
    } else {
        for (size_t i = 0; i < v->len && i < d->n_fields; i++)
            free_type(d->sorted[i]->type, a, &items[i]);
    }
    v_alloc_free(a, v->ptr, v->len * sizeof(vs_value));
}

void vs_value_free(const vs_decl *d, v_alloc *a, vs_value *v)
{
    free_decl(d, a, v);
    v_mem_set(v, 0, sizeof *v);
}

/* ---- validate: the generated __check, over the tree ---- */

static v_status check_decl(const vs_decl *d, const vs_value *v,
                           uint32_t *slot, vs_value_error *err);

static v_status check_type(const vs_type *t, const vs_value *v,
                           uint32_t *slot, vs_value_error *err)
{
    const vs_value *items = v->ptr;
    v_status s;
    switch (t->kind) {
    case VS_BOOL: case VS_U64: case VS_I64:
        return V_OK;
    case VS_U8: case VS_U16: case VS_U32:
        if (v->n.u > vs_value_uint_max(t->kind))
            return invalid(err, "integer out of range");
        return V_OK;
    case VS_I8: case VS_I16: case VS_I32: {
        int64_t min, max;
        vs_value_int_range(t->kind, &min, &max);
        if (v->n.i < min || v->n.i > max)
            return invalid(err, "integer out of range");
        return V_OK;
    }
    case VS_F64:
        if (v->n.f != v->n.f)
            return invalid(err, "NaN is not allowed");
        return V_OK;
    case VS_STRING: case VS_BYTES:
        if (v->len > t->max)
            return invalid(err, t->kind == VS_STRING
                                    ? "string longer than its maximum"
                                    : "bytes longer than their maximum");
        if (v->len && !v->ptr)
            return invalid(err, "NULL pointer with a non-zero length");
        if (t->kind == VS_STRING &&
            v_utf8_validate(v->ptr, v->len, NULL) != V_OK)
            return invalid(err, "invalid UTF-8");
        return V_OK;
    case VS_ARRAY: case VS_LIST:
        if (t->kind == VS_ARRAY && v->len != t->max)
            return invalid(err, "array count is not its length");
        if (v->len > t->max)
            return invalid(err, "list longer than its maximum");
        if (v->len && !v->ptr)
            return invalid(err, "NULL pointer with a non-zero length");
        for (size_t i = 0; i < v->len; i++)
            if ((s = check_type(t->elem, &items[i], slot, err)) != V_OK)
                return s;
        return V_OK;
    case VS_HANDLE:
        if (v->n.u != (*slot)++)
            return invalid(err, "handle slot out of order");
        return V_OK;
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            if (!vs_value_enum_member(t->decl, v->n.u))
                return invalid(err, "unknown enum value");
            return V_OK;
        }
        return check_decl(t->decl, v, slot, err);
    }
    return V_OK;
}

static v_status check_decl(const vs_decl *d, const vs_value *v,
                           uint32_t *slot, vs_value_error *err)
{
    const vs_value *items = v->ptr;
    if (d->kind == VS_UNION) {
        if (v->tag < 1 || v->tag > d->n_fields)
            return invalid(err, "no union variant set");
        if (!items || v->len != 1)
            return invalid(err, "NULL pointer with a non-zero length");
        return check_type(d->sorted[v->tag - 1]->type, &items[0], slot, err);
    }
    if (v->len != d->n_fields || (d->n_fields && !items))
        return invalid(err, "struct value without its fields");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        v_status s;
        if (!f->optional && !items[i].present)
            return invalid(err, "required field not present");
        if (items[i].present &&
            (s = check_type(f->type, &items[i], slot, err)) != V_OK)
            return s;
    }
    return V_OK;
}

v_status vs_value_validate(const vs_decl *d, const vs_value *v,
                           vs_value_error *err)
{
    uint32_t slot = 0;
    if (d->kind == VS_ENUM)
        return invalid(err, "an enum is not a top-level value");
    return check_decl(d, v, &slot, err);
}

/* ---- dispatch ---- */

v_status vs_value_decode(const vs_decl *d, vs_format f, const void *buf,
                         size_t len, unsigned flags, v_alloc *a,
                         vs_value *out, vs_value_error *err)
{
    v_status s;
    v_mem_set(out, 0, sizeof *out);
    if ((!buf && len) || !a)
        return invalid(err, "NULL buffer or allocator");
    if (!vs_value_has_format(d, f))
        return invalid(err, d->kind == VS_ENUM
                                ? "an enum is not a top-level value"
                                : "a message has only the binary form");
    if (!buf)
        buf = "";
    switch (f) {
    case VS_FORMAT_BINARY:
        s = vsi_bin_decode(d, buf, len, flags, a, out, err);
        break;
    case VS_FORMAT_JSON:
        s = vsi_json_decode(d, buf, len, flags, a, out, err);
        break;
    default:
        s = vsi_mp_decode(d, buf, len, flags, a, out, err);
        break;
    }
    if (s != V_OK)
        vs_value_free(d, a, out);
    return s;
}

v_status vs_value_encode(const vs_decl *d, vs_format f, const vs_value *v,
                         void *buf, size_t cap, const v_encoding_sink *sink,
                         size_t *len, vs_value_error *err)
{
    if (!vs_value_has_format(d, f))
        return invalid(err, d->kind == VS_ENUM
                                ? "an enum is not a top-level value"
                                : "a message has only the binary form");
    v_status s = vs_value_validate(d, v, err);
    if (s != V_OK)
        return s;
    if (f == VS_FORMAT_JSON)
        return vsi_json_encode(d, v, buf, cap, sink, len, err);
    if (f == VS_FORMAT_MSGPACK)
        return vsi_mp_encode(d, v, buf, cap, sink, len, err);
    if (sink)
        return invalid(err, "binary output needs no sink");
    size_t n = vsi_bin_size(d, v);
    *len = n;
    if (!buf)
        return cap == 0 ? V_OK : invalid(err, "NULL buffer");
    if (n > cap) {
        invalid(err, "buffer too small");
        return V_ERR_TRUNCATED;
    }
    vsi_bin_put(d, v, buf);
    return V_OK;
}
