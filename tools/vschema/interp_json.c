/* interp_json.c — JSON (docs/schema.md §6) for values of a run-time
 * schema, over libv's pull parser and writer. Mirrors what gen_json.c
 * emits, check for check, so that its acceptance, offsets and reasons
 * are those of the generated decoders. */
#include <stdint.h>
#include <v/mem.h>

#include "value.h"

#define SKIP_UNKNOWN 1u /* V_SCHEMA_SKIP_UNKNOWN */

typedef struct json_in {
    v_json_reader r;
    v_json_frame *scratch;  /* as large as r's stack */
    unsigned flags;
    v_alloc *a;
    vs_value_error *err;
} json_in;

static v_status fail(json_in *in, const v_json_token *t, const char *why)
{
    return vs_value_fail(in->err, t->offset, why, NULL);
}

static v_status no_memory(json_in *in, const v_json_token *t, v_status s)
{
    vs_value_fail(in->err, t->offset, "allocation failed", NULL);
    return s;
}

/* The next token; the document ending early is an error here. */
static v_status next(json_in *in, v_json_token *t)
{
    v_status s = v_json_next(&in->r, t);
    if (s == V_ERR_END)
        return vs_value_fail(in->err, in->r.len, "document ended early",
                             NULL);
    if (s != V_OK)
        vs_value_take(in->err, &in->r.error);
    return s;
}

static v_status skip(json_in *in, const v_json_token *t)
{
    v_status s = v_json_skip(&in->r, t);
    if (s != V_OK)
        vs_value_take(in->err, &in->r.error);
    return s;
}

/* A member or enum name, unescaped into key[0..64]; *n is SIZE_MAX for
 * names longer than any schema name (they match nothing). */
static void key_of(const v_json_token *k, char key[VS_MAX_NAME], size_t *n)
{
    if (k->decoded_len > VS_MAX_NAME ||
        v_json_unescape(k->text, k->len, key, VS_MAX_NAME, n) != V_OK)
        *n = SIZE_MAX;
}

/* Counts the elements of the array t opens without consuming them, by
 * running a copy of the reader over it (its open containers kept in
 * in->scratch): a list's storage is allocated before its elements. */
static v_status count_items(json_in *in, const v_json_token *t,
                            size_t *count)
{
    v_json_reader copy = in->r;
    v_json_token e;
    v_status s;
    v_mem_copy(in->scratch, in->r.stack, in->r.depth * sizeof *in->scratch);
    copy.stack = in->scratch;
    *count = 0;
    for (;;) {
        if ((s = v_json_next(&copy, &e)) != V_OK) {
            vs_value_take(in->err, &copy.error);
            return s == V_ERR_END ? V_ERR_MALFORMED : s;
        }
        if (e.kind == V_JSON_ARRAY_END && e.depth == t->depth)
            return V_OK;
        ++*count;
        if ((s = v_json_skip(&copy, &e)) != V_OK) {
            vs_value_take(in->err, &copy.error);
            return s;
        }
    }
}

static v_status get_decl(const vs_decl *d, json_in *in, const v_json_token *t,
                         vs_value *v);

/* The value that starts at token t, of a type that is not a container. */
static v_status get_value(const vs_type *t, json_in *in,
                          const v_json_token *tok, vs_value *v)
{
    v_status s;
    v->present = true;
    switch (t->kind) {
    case VS_BOOL:
        if (tok->kind != V_JSON_BOOL)
            return fail(in, tok, "expected true or false");
        v->n.b = tok->boolean;
        return V_OK;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        if (tok->kind != V_JSON_INTEGER)
            return fail(in, tok, "expected an integer");
        if (!(tok->fits & V_JSON_FITS_U64) ||
            tok->u64 > vs_value_uint_max(t->kind))
            return fail(in, tok, "integer out of range");
        v->n.u = tok->u64;
        return V_OK;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64: {
        int64_t min, max;
        vs_value_int_range(t->kind, &min, &max);
        if (tok->kind != V_JSON_INTEGER)
            return fail(in, tok, "expected an integer");
        if (!(tok->fits & V_JSON_FITS_I64) || tok->i64 < min ||
            tok->i64 > max)
            return fail(in, tok, "integer out of range");
        v->n.i = tok->i64;
        return V_OK;
    }
    case VS_F64:
        if (tok->kind != V_JSON_INTEGER && tok->kind != V_JSON_NUMBER)
            return fail(in, tok, "expected a number");
        if (v_json_number_to_f64(tok->text, tok->len, &v->n.f) != V_OK)
            return fail(in, tok, "number out of range");
        return V_OK;
    case VS_STRING: {
        size_t n;
        void *p = NULL;
        if (tok->kind != V_JSON_STRING)
            return fail(in, tok, "expected a string");
        if (tok->decoded_len > t->max)
            return fail(in, tok, "string longer than its maximum");
        if (tok->decoded_len) {
            if ((s = v_alloc_bytes(in->a, tok->decoded_len, 1, &p)) != V_OK)
                return no_memory(in, tok, s);
            /* Cannot fail: the reader validated every escape. */
            v_json_unescape(tok->text, tok->len, p, tok->decoded_len, &n);
        }
        v->ptr = p;
        v->len = tok->decoded_len;
        return V_OK;
    }
    case VS_BYTES: {
        size_t count;
        uint8_t *p = NULL;
        v_json_token bt;
        if (tok->kind != V_JSON_ARRAY_BEGIN)
            return fail(in, tok, "expected an array of bytes");
        if ((s = count_items(in, tok, &count)) != V_OK)
            return s;
        if (count > t->max)
            return fail(in, tok, "bytes longer than their maximum");
        if (count) {
            void *q;
            if ((s = v_alloc_bytes(in->a, count, 1, &q)) != V_OK)
                return no_memory(in, tok, s);
            p = q;
            v_mem_set(p, 0, count);
        }
        v->ptr = p;
        v->len = count;
        for (size_t b = 0; b <= count; b++) {
            if ((s = next(in, &bt)) != V_OK)
                return s;
            if (b == count)
                break; /* the end */
            if (bt.kind != V_JSON_INTEGER || !(bt.fits & V_JSON_FITS_U64) ||
                bt.u64 > 255)
                return fail(in, &bt, "expected a byte (0 to 255)");
            p[b] = (uint8_t)bt.u64;
        }
        return V_OK;
    }
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            char name[VS_MAX_NAME];
            size_t len;
            const vs_decl *e = t->decl;
            long i;
            if (tok->kind != V_JSON_STRING)
                return fail(in, tok, "expected an enum name");
            key_of(tok, name, &len);
            if (len == SIZE_MAX ||
                (i = vs_value_field_named(e, name, len)) < 0)
                return fail(in, tok, "unknown enum value");
            v->n.u = e->sorted[i]->number;
            return V_OK;
        }
        return get_decl(t->decl, in, tok, v);
    default:
        return fail(in, tok, "handles have no JSON form");
    }
}

/* A field's or variant's value: containers are arrays of values. */
static v_status get_field(const vs_type *t, json_in *in, v_json_token *e,
                          vs_value *v)
{
    size_t count;
    vs_value *items;
    v_status s;
    if (t->kind != VS_ARRAY && t->kind != VS_LIST)
        return get_value(t, in, e, v);
    v->present = true;
    if (e->kind != V_JSON_ARRAY_BEGIN)
        return fail(in, e, "expected an array");
    if ((s = count_items(in, e, &count)) != V_OK)
        return s;
    if (t->kind == VS_ARRAY && count != t->max)
        return fail(in, e, "array count is not its length");
    if (t->kind == VS_LIST && count > t->max)
        return fail(in, e, "list longer than its maximum");
    if ((s = vs_value_alloc(in->a, count, &items)) != V_OK)
        return no_memory(in, e, s);
    v->ptr = items;
    v->len = count;
    for (size_t i = 0; i < count; i++) {
        v_json_token el;
        if ((s = next(in, &el)) != V_OK ||
            (s = get_value(t->elem, in, &el, &items[i])) != V_OK)
            return s;
    }
    return next(in, e); /* ']' */
}

static v_status get_struct(const vs_decl *d, json_in *in,
                           const v_json_token *t, vs_value *v)
{
    v_json_token k, e;
    vs_value *items;
    v_status s;
    if (t->kind != V_JSON_OBJECT_BEGIN)
        return fail(in, t, "expected an object");
    if ((s = vs_value_alloc(in->a, d->n_fields, &items)) != V_OK)
        return no_memory(in, t, s);
    v->ptr = items;
    v->len = d->n_fields;
    for (;;) {
        char key[VS_MAX_NAME];
        size_t n;
        long i;
        if ((s = next(in, &k)) != V_OK)
            return s;
        if (k.kind == V_JSON_OBJECT_END)
            break;
        key_of(&k, key, &n);
        if ((s = next(in, &e)) != V_OK)
            return s;
        i = n == SIZE_MAX ? -1 : vs_value_field_named(d, key, n);
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
    for (size_t i = 0; i < d->n_fields; i++)
        if (!d->sorted[i]->optional && !items[i].present)
            return vs_value_fail(in->err, t->offset,
                                 "missing required field %s",
                                 d->sorted[i]->name);
    return V_OK;
}

static v_status get_union(const vs_decl *d, json_in *in,
                          const v_json_token *t, vs_value *v)
{
    v_json_token k, e;
    char key[VS_MAX_NAME];
    size_t n;
    long i;
    vs_value *item;
    v_status s;
    if (t->kind != V_JSON_OBJECT_BEGIN)
        return fail(in, t, "expected an object");
    if ((s = next(in, &k)) != V_OK)
        return s;
    if (k.kind != V_JSON_KEY)
        return fail(in, &k, "union without a variant");
    key_of(&k, key, &n);
    if ((s = next(in, &e)) != V_OK)
        return s;
    i = n == SIZE_MAX ? -1 : vs_value_field_named(d, key, n);
    if (i < 0)
        return fail(in, &k, "unknown union variant");
    v->tag = (uint32_t)i + 1;
    if ((s = vs_value_alloc(in->a, 1, &item)) != V_OK)
        return no_memory(in, &e, s);
    v->ptr = item;
    v->len = 1;
    if ((s = get_field(d->sorted[i]->type, in, &e, item)) != V_OK)
        return s;
    if ((s = next(in, &e)) != V_OK)
        return s;
    if (e.kind != V_JSON_OBJECT_END)
        return fail(in, &e, "union with more than one variant");
    return V_OK;
}

static v_status get_decl(const vs_decl *d, json_in *in, const v_json_token *t,
                         vs_value *v)
{
    v->present = true;
    return d->kind == VS_UNION ? get_union(d, in, t, v)
                               : get_struct(d, in, t, v);
}

v_status vsi_json_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                         unsigned flags, v_alloc *a, vs_value *out,
                         vs_value_error *err)
{
    /* Unknown members (skipped on request) may nest a little deeper than
     * the type itself. */
    v_json_frame stack[VS_VALUE_MAX_STACK], scratch[VS_VALUE_MAX_STACK];
    size_t depth = vs_value_json_depth(d) + 8;
    v_json_limits lim = {len, depth, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    json_in in;
    v_json_token t;
    v_status s;
    if (depth > VS_VALUE_MAX_STACK)
        return vs_value_fail(err, 0, "type nested too deeply", NULL);
    in.scratch = scratch;
    in.flags = flags;
    in.a = a;
    in.err = err;
    if ((s = v_json_reader_init(&in.r, buf, len, &lim, stack)) != V_OK) {
        vs_value_take(err, &in.r.error);
        return s;
    }
    if ((s = next(&in, &t)) != V_OK ||
        (s = get_decl(d, &in, &t, out)) != V_OK)
        return s;
    s = v_json_next(&in.r, &t); /* only whitespace follows */
    if (s == V_ERR_END)
        return V_OK;
    if (s == V_OK)
        return fail(&in, &t, "data after the value");
    vs_value_take(err, &in.r.error);
    return s;
}

/* ---- encoding ---- */

static v_status put_decl(const vs_decl *d, const vs_value *v,
                         v_json_writer *w);

static v_status put_value(const vs_type *t, const vs_value *v,
                          v_json_writer *w)
{
    const uint8_t *p = v->ptr;
    v_status s;
    switch (t->kind) {
    case VS_BOOL:
        return v_json_write_bool(w, v->n.b);
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        return v_json_write_u64(w, v->n.u);
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        return v_json_write_i64(w, v->n.i);
    case VS_F64:
        return v_json_write_f64(w, v->n.f);
    case VS_STRING:
        return v_json_write_string(w, v->ptr, v->len);
    case VS_BYTES:
        s = v_json_write_array_begin(w);
        for (size_t i = 0; s == V_OK && i < v->len; i++)
            s = v_json_write_u64(w, p[i]);
        return s == V_OK ? v_json_write_array_end(w) : s;
    case VS_ARRAY: case VS_LIST: {
        const vs_value *items = v->ptr;
        s = v_json_write_array_begin(w);
        for (size_t i = 0; s == V_OK && i < v->len; i++)
            s = put_value(t->elem, &items[i], w);
        return s == V_OK ? v_json_write_array_end(w) : s;
    }
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            const char *name = vs_value_enum_member(t->decl, v->n.u)->name;
            return v_json_write_string(w, name, v_cstr_len(name));
        }
        return put_decl(t->decl, v, w);
    default:
        return V_ERR_INVALID_ARGS; /* handles: not in structs or unions */
    }
}

static v_status put_field(const vs_field *f, const vs_value *v,
                          v_json_writer *w)
{
    v_status s = v_json_write_key(w, f->name, v_cstr_len(f->name));
    return s == V_OK ? put_value(f->type, v, w) : s;
}

static v_status put_decl(const vs_decl *d, const vs_value *v,
                         v_json_writer *w)
{
    const vs_value *items = v->ptr;
    v_status s = v_json_write_object_begin(w);
    if (d->kind == VS_UNION) {
        if (s == V_OK)
            s = put_field(d->sorted[v->tag - 1], &items[0], w);
    } else {
        for (size_t i = 0; s == V_OK && i < d->n_fields; i++)
            if (items[i].present)
                s = put_field(d->sorted[i], &items[i], w);
    }
    return s == V_OK ? v_json_write_object_end(w) : s;
}

v_status vsi_json_encode(const vs_decl *d, const vs_value *v, void *buf,
                         size_t cap, const v_encoding_sink *sink, size_t *len,
                         vs_value_error *err)
{
    v_json_writer w;
    v_json_frame stack[VS_VALUE_MAX_STACK];
    size_t depth = vs_value_json_depth(d);
    v_status s;
    if (!buf) {
        vs_value_fail(err, 0, "NULL buffer", NULL);
        return V_ERR_INVALID_ARGS;
    }
    if ((s = v_json_writer_init(&w, buf, cap, sink, stack, depth)) == V_OK &&
        (s = put_decl(d, v, &w)) == V_OK)
        s = v_json_writer_finish(&w, len);
    if (s == V_ERR_TRUNCATED)
        vs_value_fail(err, 0, "buffer too small", NULL);
    else if (s == V_ERR_INVALID_ARGS) /* validated: only infinities */
        vs_value_fail(err, 0, "infinity has no JSON form", NULL);
    else if (s != V_OK)
        vs_value_take(err, &w.error);
    return s;
}
