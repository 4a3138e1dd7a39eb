/* interp_json.c — JSON (docs/schema.md §6) for values of a run-time
 * schema, over libv's pull parser and writer: the format's side of the
 * walk in interp_walk.c. Mirrors the JSON hooks of gen_json.c, check for
 * check, so that its acceptance, offsets and reasons are those of the
 * generated decoders. */
#include <stdint.h>
#include <v/mem.h>

#include "interp_walk.h"

/* The reader, and room for the copy that counts an array's elements. */
typedef struct json_in {
    v_json_reader r;
    v_json_frame *scratch;  /* as large as r's stack */
} json_in;

static v_json_reader *reader(vsi_in *in)
{
    return &((json_in *)in->r)->r;
}

static v_status fail(vsi_in *in, const v_json_token *t, const char *why)
{
    return vs_value_fail(in->err, t->offset, why, NULL);
}

static v_status next(vsi_in *in, vsi_token *t)
{
    v_status s = v_json_next(reader(in), &t->json);
    if (s != V_OK && s != V_ERR_END)
        vs_value_take(in->err, &reader(in)->error);
    return s;
}

static v_status skip(vsi_in *in, const vsi_token *t)
{
    v_status s = v_json_skip(reader(in), &t->json);
    if (s != V_OK)
        vs_value_take(in->err, &reader(in)->error);
    return s;
}

static size_t offset(const vsi_token *t)
{
    return t->json.offset;
}

/* A member or enum name, unescaped into name->buf; len SIZE_MAX for
 * names longer than any schema name (they match nothing). */
static void name_of(const v_json_token *k, vsi_name *name)
{
    name->ptr = name->buf;
    if (k->decoded_len > VS_MAX_NAME ||
        v_json_unescape(k->text, k->len, name->buf, VS_MAX_NAME,
                        &name->len) != V_OK)
        name->len = SIZE_MAX;
}

/* Counts the elements of the array t opens without consuming them, by
 * running a copy of the reader over it (its open containers kept in
 * scratch): a list's storage is allocated before its elements. */
static v_status count_items(vsi_in *in, const v_json_token *t,
                            size_t *count)
{
    json_in *j = in->r;
    v_json_reader copy = j->r;
    v_json_token e;
    v_status s;
    v_mem_copy(j->scratch, j->r.stack, j->r.depth * sizeof *j->scratch);
    copy.stack = j->scratch;
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

/* bytes: an array of integers 0..255. */
static v_status get_bytes(vsi_in *in, const vs_type *type,
                          const vsi_token *t, vs_value *v)
{
    const v_json_token *tok = &t->json;
    size_t count;
    uint8_t *p = NULL;
    vsi_token bt;
    v_status s;
    if (tok->kind != V_JSON_ARRAY_BEGIN)
        return fail(in, tok, "expected an array of bytes");
    if ((s = count_items(in, tok, &count)) != V_OK)
        return s;
    if (count > type->max)
        return fail(in, tok, "bytes longer than their maximum");
    if (count) {
        void *q;
        if ((s = v_alloc_bytes(in->a, count, 1, &q)) != V_OK)
            return vsi_no_memory(in, t, s);
        p = q;
        v_mem_set(p, 0, count);
    }
    v->ptr = p;
    v->len = count;
    for (size_t b = 0; b <= count; b++) {
        if ((s = vsi_next(in, &bt)) != V_OK)
            return s;
        if (b == count)
            break; /* the end */
        if (bt.json.kind != V_JSON_INTEGER ||
            !(bt.json.fits & V_JSON_FITS_U64) || bt.json.u64 > 255)
            return fail(in, &bt.json, "expected a byte (0 to 255)");
        p[b] = (uint8_t)bt.json.u64;
    }
    return V_OK;
}

/* Bools and integers: the walk checks them (get_number). */
static void number(const vsi_token *t, vsi_number *n)
{
    const v_json_token *tok = &t->json;
    n->is_bool = tok->kind == V_JSON_BOOL;
    n->is_int = tok->kind == V_JSON_INTEGER;
    n->boolean = n->is_bool && tok->boolean;
    n->fits_u64 = n->is_int && (tok->fits & V_JSON_FITS_U64);
    n->fits_i64 = n->is_int && (tok->fits & V_JSON_FITS_I64);
    n->u64 = n->fits_u64 ? tok->u64 : 0;
    n->i64 = n->fits_i64 ? tok->i64 : 0;
}

static v_status get_scalar(vsi_in *in, const vs_type *type,
                           const vsi_token *t, vs_value *v)
{
    const v_json_token *tok = &t->json;
    v_status s;
    switch (type->kind) {
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
        if (tok->decoded_len > type->max)
            return fail(in, tok, "string longer than its maximum");
        if (tok->decoded_len) {
            if ((s = v_alloc_bytes(in->a, tok->decoded_len, 1, &p)) != V_OK)
                return vsi_no_memory(in, t, s);
            /* Cannot fail: the reader validated every escape. */
            v_json_unescape(tok->text, tok->len, p, tok->decoded_len, &n);
        }
        v->ptr = p;
        v->len = tok->decoded_len;
        return V_OK;
    }
    case VS_BYTES:
        return get_bytes(in, type, t, v);
    case VS_NAMED: { /* an enum */
        vsi_name name;
        long i;
        if (tok->kind != V_JSON_STRING)
            return fail(in, tok, "expected an enum name");
        name_of(tok, &name);
        if (name.len == SIZE_MAX ||
            (i = vs_value_field_named(type->decl, name.ptr, name.len)) < 0)
            return fail(in, tok, "unknown enum value");
        v->n.u = type->decl->sorted[i]->number;
        return V_OK;
    }
    default:
        return fail(in, tok, "handles have no JSON form");
    }
}

static v_status get_array(vsi_in *in, const vsi_token *t, size_t *count)
{
    if (t->json.kind != V_JSON_ARRAY_BEGIN)
        return fail(in, &t->json, "expected an array");
    return count_items(in, &t->json, count);
}

static v_status open_map(vsi_in *in, const vsi_token *t, bool is_union)
{
    (void)is_union;
    if (t->json.kind != V_JSON_OBJECT_BEGIN)
        return fail(in, &t->json, "expected an object");
    return V_OK;
}

/* The object's end is a token of its own. */
static v_status get_key(vsi_in *in, const vsi_token *open_tok, uint32_t n,
                    bool is_union, vsi_token *k, vsi_name *name, bool *end)
{
    v_status s;
    (void)open_tok;
    (void)n;
    *end = false;
    if ((s = vsi_next(in, k)) != V_OK)
        return s;
    if (is_union && k->json.kind != V_JSON_KEY)
        return fail(in, &k->json, "union without a variant");
    if (k->json.kind == V_JSON_OBJECT_END) {
        *end = true;
        return V_OK;
    }
    name_of(&k->json, name);
    return V_OK;
}

/* A struct's '}' ended its members; a union's must follow its one. */
static v_status close_map(vsi_in *in, bool is_union, vsi_token *e)
{
    v_status s;
    if (!is_union)
        return V_OK;
    if ((s = vsi_next(in, e)) != V_OK)
        return s;
    if (e->json.kind != V_JSON_OBJECT_END)
        return fail(in, &e->json, "union with more than one variant");
    return V_OK;
}

static const vsi_reader_ops json_reader = {
    .not_bool = "expected true or false", .number = number, .next = next,
    .skip = skip, .offset = offset, .scalar = get_scalar,
    .array = get_array, .open = open_map, .key = get_key,
    .close = close_map};

v_status vsi_json_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                         unsigned flags, v_alloc *a, vs_value *out,
                         vs_value_error *err)
{
    /* Unknown members (skipped on request) may nest a little deeper than
     * the type itself. */
    v_json_frame stack[VS_VALUE_MAX_STACK], scratch[VS_VALUE_MAX_STACK];
    size_t depth = vs_value_json_depth(d) + 8;
    v_json_limits lim = {len, depth, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    json_in j;
    vsi_in in = {&json_reader, &j, 0, flags, a, err};
    v_status s;
    if (depth > VS_VALUE_MAX_STACK)
        return vs_value_fail(err, 0, "type nested too deeply", NULL);
    j.scratch = scratch;
    if ((s = v_json_reader_init(&j.r, buf, len, &lim, stack)) != V_OK) {
        vs_value_take(err, &j.r.error);
        return s;
    }
    in.len = j.r.len;
    return vsi_decode(&in, d, out);
}

/* ---- encoding ---- */

static v_status put_scalar(void *w, const vs_type *t, const vs_value *v)
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
    default:
        return V_ERR_INVALID_ARGS;
    }
}

static v_status put_str(void *w, const char *s, size_t n)
{
    return v_json_write_string(w, s, n);
}

static v_status put_key(void *w, const char *s, size_t n)
{
    return v_json_write_key(w, s, n);
}

static v_status array_begin(void *w, size_t count)
{
    (void)count;
    return v_json_write_array_begin(w);
}

static v_status array_end(void *w)
{
    return v_json_write_array_end(w);
}

static v_status map_begin(void *w, uint32_t pairs)
{
    (void)pairs;
    return v_json_write_object_begin(w);
}

static v_status map_end(void *w)
{
    return v_json_write_object_end(w);
}

static const vsi_writer_ops json_writer = {
    .scalar = put_scalar, .str = put_str, .key = put_key,
    .array_begin = array_begin, .array_end = array_end,
    .map_begin = map_begin, .map_end = map_end};

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
        (s = vsi_encode(&json_writer, &w, d, v)) == V_OK)
        s = v_json_writer_finish(&w, len);
    if (s == V_ERR_TRUNCATED)
        vs_value_fail(err, 0, "buffer too small", NULL);
    else if (s == V_ERR_INVALID_ARGS) /* validated: only infinities */
        vs_value_fail(err, 0, "infinity has no JSON form", NULL);
    else if (s != V_OK)
        vs_value_take(err, &w.error);
    return s;
}
