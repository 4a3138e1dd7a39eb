/* interp_bin.c — the canonical binary encoding (docs/schema.md §4) of
 * values of a run-time schema. Each step mirrors the code gen_c.c emits
 * (its helpers are in gen_runtime.inc): the same checks, in the same
 * order, failing at the same offset with the same reason, so that the
 * interpreter and generated decoders agree on every input. */
#include <v/mem.h>
#include <v/text.h>

#include "value.h"

#define SKIP_UNKNOWN 1u /* V_SCHEMA_SKIP_UNKNOWN */

typedef struct bin_in {
    const uint8_t *p;
    size_t pos;
    size_t end;        /* end of the innermost length-delimited part */
    unsigned flags;
    uint32_t handles;  /* handle slots seen so far */
    v_alloc *a;
    vs_value_error *err;
} bin_in;

static v_status fail(bin_in *in, size_t at, const char *why)
{
    return vs_value_fail(in->err, at, why, NULL);
}

static v_status no_memory(bin_in *in, size_t at, v_status s)
{
    vs_value_fail(in->err, at, "allocation failed", NULL);
    return s;
}

/* LEB128, accepted only in its shortest form. */
static v_status get_varint(bin_in *in, uint64_t *out)
{
    size_t at = in->pos;
    uint64_t v = 0;
    for (unsigned i = 0;; i++) {
        if (in->pos >= in->end)
            return fail(in, in->end, "truncated varint");
        uint8_t b = in->p[in->pos++];
        if (i == 9 && b > 1)
            return fail(in, at, "varint overflows 64 bits");
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return fail(in, at, "varint not in its shortest form");
            *out = v;
            return V_OK;
        }
    }
}

/* A field key: number above `last` (fields ascend), wire type 0..2. */
static v_status get_key(bin_in *in, uint32_t last, uint32_t *number,
                        unsigned *wire)
{
    size_t at = in->pos;
    uint64_t k;
    v_status s = get_varint(in, &k);
    if (s != V_OK)
        return s;
    if ((k & 7) > 2)
        return fail(in, at, "invalid wire type");
    if ((k >> 3) == 0 || (k >> 3) > VS_MAX_FIELD_NUMBER)
        return fail(in, at, "invalid field number");
    if ((k >> 3) <= last)
        return fail(in, at, "field out of order or repeated");
    *number = (uint32_t)(k >> 3);
    *wire = (unsigned)(k & 7);
    return V_OK;
}

/* Reads a length and narrows in->end to it; leave() insists the content
 * used every byte and restores the outer end. */
static v_status enter(bin_in *in, size_t *outer)
{
    size_t at = in->pos;
    uint64_t n;
    v_status s = get_varint(in, &n);
    if (s != V_OK)
        return s;
    if (n > in->end - in->pos)
        return fail(in, at, "length runs past its container");
    *outer = in->end;
    in->end = in->pos + (size_t)n;
    return V_OK;
}

static v_status leave(bin_in *in, size_t outer)
{
    if (in->pos != in->end)
        return fail(in, in->pos, "bytes left over in a length");
    in->end = outer;
    return V_OK;
}

/* An unknown field, checked at the wire level only. */
static v_status skip(bin_in *in, unsigned wire)
{
    uint64_t u;
    size_t outer;
    v_status s;
    if (wire == 0)
        return get_varint(in, &u);
    if (wire == 1) {
        if (in->end - in->pos < 8)
            return fail(in, in->end, "truncated f64");
        in->pos += 8;
        return V_OK;
    }
    if ((s = enter(in, &outer)) != V_OK)
        return s;
    in->pos = in->end;
    return leave(in, outer);
}

static unsigned wire_of(const vs_type *t)
{
    switch (t->kind) {
    case VS_F64:
        return 1;
    case VS_STRING: case VS_BYTES: case VS_ARRAY: case VS_LIST:
        return 2;
    case VS_NAMED:
        return t->decl->kind == VS_ENUM ? 0 : 2;
    default:
        return 0;
    }
}

static v_status get_body(const vs_decl *d, bin_in *in, vs_value *v);

/* One value of type t (no key): what the generated get_value does. */
static v_status get_value(const vs_type *t, bin_in *in, vs_value *v)
{
    size_t at = in->pos, outer, count, bad;
    uint64_t u;
    v_status s;
    v->present = true;
    switch (t->kind) {
    case VS_BOOL:
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        if (u > 1)
            return fail(in, at, "bool is not 0 or 1");
        v->n.b = u == 1;
        return V_OK;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        if (u > vs_value_uint_max(t->kind))
            return fail(in, at, "integer out of range");
        v->n.u = u;
        return V_OK;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64: {
        int64_t min, max, i;
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        i = (u & 1) ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
        vs_value_int_range(t->kind, &min, &max);
        if (i < min || i > max)
            return fail(in, at, "integer out of range");
        v->n.i = i;
        return V_OK;
    }
    case VS_F64: {
        union { uint64_t u; double d; } b = {0};
        if (in->end - in->pos < 8)
            return fail(in, in->end, "truncated f64");
        for (unsigned i = 0; i < 8; i++)
            b.u |= (uint64_t)in->p[in->pos + i] << (8 * i);
        if (b.d != b.d)
            return fail(in, in->pos, "NaN is not allowed");
        in->pos += 8;
        v->n.f = b.d;
        return V_OK;
    }
    case VS_STRING: case VS_BYTES: {
        bool utf8 = t->kind == VS_STRING;
        void *copy = NULL;
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        if (u > in->end - in->pos)
            return fail(in, at, "length runs past its container");
        if (u > t->max)
            return fail(in, at, utf8 ? "string longer than its maximum"
                                     : "bytes longer than their maximum");
        if (utf8 &&
            v_utf8_validate(in->p + in->pos, (size_t)u, &bad) != V_OK)
            return fail(in, in->pos + bad, "invalid UTF-8");
        if (u > 0) {
            if ((s = v_alloc_bytes(in->a, (size_t)u, 1, &copy)) != V_OK)
                return no_memory(in, at, s);
            v_mem_copy(copy, in->p + in->pos, (size_t)u);
        }
        in->pos += (size_t)u;
        v->ptr = copy;
        v->len = (size_t)u;
        return V_OK;
    }
    case VS_ARRAY: case VS_LIST: {
        bool exact = t->kind == VS_ARRAY;
        vs_value *items;
        if ((s = enter(in, &outer)) != V_OK)
            return s;
        at = in->pos;
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        if (exact ? u != t->max : u > t->max)
            return fail(in, at, exact ? "array count is not its length"
                                      : "list longer than its maximum");
        /* Every element takes at least one byte: the input bounds what a
         * count can make the decoder allocate. */
        if (u > in->end - in->pos)
            return fail(in, at, "count exceeds the bytes that follow");
        count = (size_t)u;
        if ((s = vs_value_alloc(in->a, count, &items)) != V_OK)
            return no_memory(in, in->pos, s);
        v->ptr = items;
        v->len = count;
        for (size_t i = 0; i < count; i++)
            if ((s = get_value(t->elem, in, &items[i])) != V_OK)
                return s;
        return leave(in, outer);
    }
    case VS_HANDLE:
        if ((s = get_varint(in, &u)) != V_OK)
            return s;
        if (u != in->handles)
            return fail(in, at, "handle slot out of order");
        in->handles++;
        v->n.u = u;
        return V_OK;
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            if ((s = get_varint(in, &u)) != V_OK)
                return s;
            if (!vs_value_enum_member(t->decl, u))
                return fail(in, at, "unknown enum value");
            v->n.u = u;
            return V_OK;
        }
        if ((s = enter(in, &outer)) != V_OK ||
            (s = get_body(t->decl, in, v)) != V_OK)
            return s;
        return leave(in, outer);
    }
    return V_OK;
}

static v_status get_union(const vs_decl *d, bin_in *in, vs_value *v)
{
    size_t at = in->pos;
    uint32_t number;
    unsigned wire;
    vs_value *item;
    v_status s;
    if (in->pos >= in->end)
        return fail(in, at, "union without a variant");
    if ((s = get_key(in, 0, &number, &wire)) != V_OK)
        return s;
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (f->number != number)
            continue;
        /* The tag first, so that a failure below frees the variant. */
        v->tag = (uint32_t)i + 1;
        if (wire != wire_of(f->type))
            return fail(in, at, "wrong wire type for field");
        if ((s = vs_value_alloc(in->a, 1, &item)) != V_OK)
            return no_memory(in, in->pos, s);
        v->ptr = item;
        v->len = 1;
        if ((s = get_value(f->type, in, item)) != V_OK)
            return s;
        if (in->pos != in->end)
            return fail(in, in->pos, "union with more than one variant");
        return V_OK;
    }
    return fail(in, at, "unknown union variant");
}

static v_status get_struct(const vs_decl *d, bin_in *in, vs_value *v)
{
    uint32_t last = 0, number;
    unsigned wire;
    vs_value *items;
    v_status s;
    if ((s = vs_value_alloc(in->a, d->n_fields, &items)) != V_OK)
        return no_memory(in, in->pos, s);
    v->ptr = items;
    v->len = d->n_fields;
    /* Fields ascend, so the next known one is found by walking forward. */
    size_t next = 0;
    while (in->pos < in->end) {
        size_t at = in->pos;
        if ((s = get_key(in, last, &number, &wire)) != V_OK)
            return s;
        last = number;
        while (next < d->n_fields && d->sorted[next]->number < number)
            next++;
        if (next < d->n_fields && d->sorted[next]->number == number) {
            const vs_field *f = d->sorted[next];
            if (wire != wire_of(f->type))
                return fail(in, at, "wrong wire type for field");
            if ((s = get_value(f->type, in, &items[next])) != V_OK)
                return s;
            continue;
        }
        if (!(in->flags & SKIP_UNKNOWN))
            return fail(in, at, "unknown field");
        if ((s = skip(in, wire)) != V_OK)
            return s;
    }
    for (size_t i = 0; i < d->n_fields; i++)
        if (!d->sorted[i]->optional && !items[i].present)
            return vs_value_fail(in->err, in->pos,
                                 "missing required field %s",
                                 d->sorted[i]->name);
    return V_OK;
}

/* The body of a struct, message or union, up to in->end. */
static v_status get_body(const vs_decl *d, bin_in *in, vs_value *v)
{
    v->present = true;
    return d->kind == VS_UNION ? get_union(d, in, v) : get_struct(d, in, v);
}

v_status vsi_bin_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                        unsigned flags, v_alloc *a, vs_value *out,
                        vs_value_error *err)
{
    bin_in in = {buf, 0, len, flags, 0, a, err};
    return get_body(d, &in, out);
}

/* ---- encoding: sizes first, then the bytes into a buffer that fits ---- */

static size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static size_t len_size(size_t n)
{
    return varint_size(n) + n;
}

static uint64_t zigzag(int64_t v)
{
    return v < 0 ? ((uint64_t)(-(v + 1)) << 1) | 1 : (uint64_t)v << 1;
}

static size_t content_size(const vs_type *t, const vs_value *v);

/* Bytes of one value without its key. */
static size_t value_size(const vs_type *t, const vs_value *v)
{
    switch (t->kind) {
    case VS_BOOL:
        return 1;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        return varint_size(zigzag(v->n.i));
    case VS_F64:
        return 8;
    case VS_STRING: case VS_BYTES: case VS_ARRAY: case VS_LIST:
        return len_size(content_size(t, v));
    case VS_NAMED:
        if (t->decl->kind != VS_ENUM)
            return len_size(content_size(t, v));
        return varint_size(v->n.u);
    default: /* unsigned, handles */
        return varint_size(v->n.u);
    }
}

/* Bytes after the length prefix of a length-delimited value. */
static size_t content_size(const vs_type *t, const vs_value *v)
{
    const vs_value *items = v->ptr;
    size_t n;
    switch (t->kind) {
    case VS_ARRAY: case VS_LIST:
        n = varint_size(v->len);
        for (size_t i = 0; i < v->len; i++)
            n += value_size(t->elem, &items[i]);
        return n;
    case VS_NAMED:
        return vsi_bin_size(t->decl, v);
    default:
        return v->len;
    }
}

size_t vsi_bin_size(const vs_decl *d, const vs_value *v)
{
    const vs_value *items = v->ptr;
    size_t n = 0;
    if (d->kind == VS_UNION) {
        const vs_field *f = d->sorted[v->tag - 1];
        return varint_size((uint64_t)f->number << 3) +
               value_size(f->type, &items[0]);
    }
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (items[i].present)
            n += varint_size((uint64_t)f->number << 3) +
                 value_size(f->type, &items[i]);
    }
    return n;
}

typedef struct bin_out {
    uint8_t *p;
    size_t pos;
} bin_out;

static void put_varint(bin_out *o, uint64_t v)
{
    while (v >= 0x80) {
        o->p[o->pos++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    o->p[o->pos++] = (uint8_t)v;
}

static void put_body(const vs_decl *d, const vs_value *v, bin_out *o);

static void put_value(const vs_type *t, const vs_value *v, bin_out *o)
{
    const vs_value *items = v->ptr;
    switch (t->kind) {
    case VS_BOOL:
        put_varint(o, v->n.b);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        put_varint(o, zigzag(v->n.i));
        break;
    case VS_F64: {
        union { double d; uint64_t u; } b = {v->n.f};
        for (unsigned i = 0; i < 8; i++)
            o->p[o->pos++] = (uint8_t)(b.u >> (8 * i));
        break;
    }
    case VS_STRING: case VS_BYTES:
        put_varint(o, v->len);
        if (v->len)
            v_mem_copy(o->p + o->pos, v->ptr, v->len);
        o->pos += v->len;
        break;
    case VS_ARRAY: case VS_LIST:
        put_varint(o, content_size(t, v));
        put_varint(o, v->len);
        for (size_t i = 0; i < v->len; i++)
            put_value(t->elem, &items[i], o);
        break;
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            put_varint(o, v->n.u);
        } else {
            put_varint(o, vsi_bin_size(t->decl, v));
            put_body(t->decl, v, o);
        }
        break;
    default: /* unsigned, handles */
        put_varint(o, v->n.u);
        break;
    }
}

static void put_field(const vs_field *f, const vs_value *v, bin_out *o)
{
    put_varint(o, ((uint64_t)f->number << 3) | wire_of(f->type));
    put_value(f->type, v, o);
}

static void put_body(const vs_decl *d, const vs_value *v, bin_out *o)
{
    const vs_value *items = v->ptr;
    if (d->kind == VS_UNION) {
        put_field(d->sorted[v->tag - 1], &items[0], o);
        return;
    }
    for (size_t i = 0; i < d->n_fields; i++)
        if (items[i].present)
            put_field(d->sorted[i], &items[i], o);
}

void vsi_bin_put(const vs_decl *d, const vs_value *v, uint8_t *out)
{
    bin_out o = {out, 0};
    put_body(d, v, &o);
}
