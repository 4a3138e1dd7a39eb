/* libv's side of the cross-checks: value trees to and from our writers
 * and pull parsers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <v/encoding.h>

#include "cross.h"

enum { DEPTH = 64 };

/* A sink that appends to a growing malloc'd buffer. */
typedef struct growbuf {
    char *p;
    size_t len, cap;
} growbuf;

static v_status grow_write(void *ctx, const void *buf, size_t len, size_t *n)
{
    growbuf *g = ctx;
    if (g->len + len > g->cap) {
        g->cap = 2 * (g->len + len) + 64;
        g->p = realloc(g->p, g->cap);
        if (!g->p)
            abort();
    }
    memcpy(g->p + g->len, buf, len);
    g->len += len;
    *n = len;
    return V_OK;
}

static v_status json_put(v_json_writer *w, const xval *v)
{
    v_status s = V_OK;
    switch (v->kind) {
    case XV_NULL: return v_json_write_null(w);
    case XV_BOOL: return v_json_write_bool(w, v->b);
    case XV_UINT: return v_json_write_u64(w, v->u);
    case XV_INT: return v_json_write_i64(w, v->i);
    case XV_F64: return v_json_write_f64(w, v->d);
    case XV_F32: return v_json_write_f64(w, v->f);
    case XV_NUMTEXT: return v_json_write_number_text(w, v->s, v->len);
    case XV_STR: return v_json_write_string(w, v->s, v->len);
    case XV_BIN:
    case XV_EXT: return V_ERR_INVALID_ARGS; /* JSON has no bytes */
    case XV_ARRAY:
    case XV_OBJECT:
        s = v->kind == XV_ARRAY ? v_json_write_array_begin(w)
                                : v_json_write_object_begin(w);
        for (size_t k = 0; k < v->n && s == V_OK; k++) {
            if (v->kind == XV_OBJECT)
                s = v_json_write_key(w, v->items[k].key, v->items[k].key_len);
            if (s == V_OK)
                s = json_put(w, &v->items[k]);
        }
        if (s == V_OK)
            s = v->kind == XV_ARRAY ? v_json_write_array_end(w)
                                    : v_json_write_object_end(w);
    }
    return s;
}

char *ours_json_write(const xval *v, size_t *len)
{
    static v_json_frame stack[DEPTH];
    char stage[256];
    growbuf g = {0};
    v_encoding_sink sink = {grow_write, &g};
    v_json_writer w;
    if (v_json_writer_init(&w, stage, sizeof stage, &sink, stack, DEPTH) !=
            V_OK ||
        json_put(&w, v) != V_OK || v_json_writer_finish(&w, len) != V_OK) {
        free(g.p);
        return NULL;
    }
    return g.p ? g.p : calloc(1, 1);
}

static v_status mp_put(v_msgpack_writer *w, const xval *v)
{
    v_status s = V_OK;
    switch (v->kind) {
    case XV_NULL: return v_msgpack_write_nil(w);
    case XV_BOOL: return v_msgpack_write_bool(w, v->b);
    case XV_UINT: return v_msgpack_write_u64(w, v->u);
    case XV_INT: return v_msgpack_write_i64(w, v->i);
    case XV_F64: return v_msgpack_write_f64(w, v->d);
    case XV_F32: return v_msgpack_write_f32(w, v->f);
    case XV_NUMTEXT:
        if (!v->has_double)
            return V_ERR_INVALID_ARGS;
        return v_msgpack_write_f64(w, v->d);
    case XV_STR: return v_msgpack_write_str(w, v->s, v->len);
    case XV_BIN: return v_msgpack_write_bin(w, v->s, v->len);
    case XV_EXT: return v_msgpack_write_ext(w, v->ext_type, v->s, v->len);
    case XV_ARRAY:
    case XV_OBJECT:
        s = v->kind == XV_ARRAY ? v_msgpack_write_array_begin(w, (uint32_t)v->n)
                                : v_msgpack_write_map_begin(w, (uint32_t)v->n);
        for (size_t k = 0; k < v->n && s == V_OK; k++) {
            if (v->kind == XV_OBJECT)
                s = v_msgpack_write_str(w, v->items[k].key,
                                        v->items[k].key_len);
            if (s == V_OK)
                s = mp_put(w, &v->items[k]);
        }
        if (s == V_OK)
            s = v->kind == XV_ARRAY ? v_msgpack_write_array_end(w)
                                    : v_msgpack_write_map_end(w);
    }
    return s;
}

uint8_t *ours_msgpack_write(const xval *v, size_t *len)
{
    static v_msgpack_frame stack[DEPTH];
    growbuf g = {0};
    v_encoding_sink sink = {grow_write, &g};
    v_msgpack_writer w;
    /* A zero-size staging buffer: every piece goes straight out. */
    if (v_msgpack_writer_init(&w, NULL, 0, &sink, stack, DEPTH) != V_OK ||
        mp_put(&w, v) != V_OK || v_msgpack_writer_finish(&w, len) != V_OK) {
        free(g.p);
        return NULL;
    }
    return (uint8_t *)(g.p ? g.p : calloc(1, 1));
}

/* Where the next parsed value goes: the root, or a new item of the
 * innermost open container (whose key, for objects, is pending). */
typedef struct builder {
    xval *root;
    xval *open[DEPTH + 1];
    size_t depth;
    bool started;
    char *key;
    size_t key_len;
} builder;

static xval *slot(builder *b)
{
    if (!b->started) {
        b->started = true;
        return b->root;
    }
    xval *v = xval_push(b->open[b->depth - 1]);
    v->key = b->key;
    v->key_len = b->key_len;
    b->key = NULL;
    return v;
}

static const v_json_limits json_lim = {
    .max_input = 1u << 30, .max_depth = DEPTH, .max_string = 1u << 30,
    .max_number = 4096, .max_elements = 1u << 30,
};

bool ours_json_read(const char *s, size_t len, xval *out)
{
    static v_json_frame stack[DEPTH];
    v_json_reader r;
    v_json_token t;
    v_status st;
    builder b = {.root = out};
    memset(out, 0, sizeof *out);
    if (v_json_reader_init(&r, s, len, &json_lim, stack) != V_OK)
        return false;
    while ((st = v_json_next(&r, &t)) == V_OK) {
        if (t.kind == V_JSON_OBJECT_END || t.kind == V_JSON_ARRAY_END) {
            b.depth--;
            continue;
        }
        char *text = NULL;
        size_t n = 0;
        if (t.kind == V_JSON_KEY || t.kind == V_JSON_STRING) {
            text = malloc(t.decoded_len + 1);
            if (v_json_unescape(t.text, t.len, text, t.decoded_len, &n) !=
                V_OK)
                abort(); /* cannot fail on parser output */
            text[n] = 0;
        }
        if (t.kind == V_JSON_KEY) {
            b.key = text;
            b.key_len = n;
            continue;
        }
        xval *v = slot(&b);
        switch (t.kind) {
        case V_JSON_OBJECT_BEGIN:
        case V_JSON_ARRAY_BEGIN:
            v->kind = t.kind == V_JSON_OBJECT_BEGIN ? XV_OBJECT : XV_ARRAY;
            b.open[b.depth++] = v;
            break;
        case V_JSON_STRING:
            v->kind = XV_STR;
            v->s = text;
            v->len = n;
            break;
        case V_JSON_INTEGER:
            if (t.text[0] == '-' && t.u64 == 0 && (t.fits & V_JSON_FITS_U64)) {
                /* "-0": the integer 0, but written for the double -0.0
                 * (libv writes -0.0 so), which is what cJSON reads. */
                v->kind = XV_NUMTEXT;
                v->s = xdup(t.text, t.len);
                v->len = t.len;
                v->d = -0.0;
                v->has_double = true;
            } else if (t.fits & V_JSON_FITS_U64) {
                v->kind = XV_UINT;
                v->u = t.u64;
            } else {
                v->kind = XV_INT;
                v->i = t.i64;
            }
            break;
        case V_JSON_NUMBER: {
            v->kind = XV_NUMTEXT;
            v->s = xdup(t.text, t.len);
            v->len = t.len;
            v_status c = v_json_number_to_f64(t.text, t.len, &v->d);
            v->has_double = true;
            if (c == V_ERR_OUT_OF_RANGE) /* beyond the doubles: as strtod */
                v->d = t.text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
            else if (c != V_OK)
                abort();
            break;
        }
        case V_JSON_BOOL:
            v->kind = XV_BOOL;
            v->b = t.boolean;
            break;
        default:
            v->kind = XV_NULL;
        }
    }
    free(b.key);
    if (st != V_ERR_END) {
        xval_free(out);
        return false;
    }
    return true;
}

static const v_msgpack_limits mp_lim = {
    .max_input = 1u << 30, .max_depth = DEPTH, .max_string = 1u << 30,
    .max_elements = 1u << 30,
};

bool ours_msgpack_read(const uint8_t *s, size_t len, xval *out)
{
    static v_msgpack_frame stack[DEPTH];
    v_msgpack_reader r;
    v_msgpack_token t;
    v_status st;
    builder b = {.root = out};
    memset(out, 0, sizeof *out);
    if (v_msgpack_reader_init(&r, s, len, &mp_lim, stack) != V_OK)
        return false;
    while ((st = v_msgpack_next(&r, &t)) == V_OK) {
        if (t.kind == V_MSGPACK_MAP_END || t.kind == V_MSGPACK_ARRAY_END) {
            b.depth--;
            continue;
        }
        if (t.is_key) {
            /* The cross-checks only use str keys. */
            if (t.kind != V_MSGPACK_STR)
                abort();
            b.key = xdup(t.data, t.len);
            b.key_len = t.len;
            continue;
        }
        xval *v = slot(&b);
        switch (t.kind) {
        case V_MSGPACK_MAP_BEGIN:
        case V_MSGPACK_ARRAY_BEGIN:
            v->kind = t.kind == V_MSGPACK_MAP_BEGIN ? XV_OBJECT : XV_ARRAY;
            b.open[b.depth++] = v;
            break;
        case V_MSGPACK_STR:
        case V_MSGPACK_BIN:
        case V_MSGPACK_EXT:
            v->kind = t.kind == V_MSGPACK_STR   ? XV_STR
                      : t.kind == V_MSGPACK_BIN ? XV_BIN
                                                : XV_EXT;
            v->s = xdup(t.data, t.len);
            v->len = t.len;
            v->ext_type = t.ext_type;
            break;
        case V_MSGPACK_INT:
            if (t.fits & V_MSGPACK_FITS_U64) {
                v->kind = XV_UINT;
                v->u = t.u64;
            } else {
                v->kind = XV_INT;
                v->i = t.i64;
            }
            break;
        case V_MSGPACK_FLOAT32:
            v->kind = XV_F32;
            v->f = t.f32;
            break;
        case V_MSGPACK_FLOAT64:
            v->kind = XV_F64;
            v->d = t.f64;
            break;
        case V_MSGPACK_BOOL:
            v->kind = XV_BOOL;
            v->b = t.boolean;
            break;
        default:
            v->kind = XV_NULL;
        }
    }
    free(b.key);
    if (st != V_ERR_END) {
        xval_free(out);
        return false;
    }
    return true;
}
