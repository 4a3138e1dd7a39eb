/* msgpack pull parser. Containers declare their sizes up front, so the
 * frame stack holds a countdown per open container; an END token is made
 * when one reaches zero. As with JSON, depth is bounded by the caller's
 * stack and nothing recurses. */
#include <v/encoding.h>
#include "internal.h"

static v_status fail(v_msgpack_reader *r, v_status s, size_t offset,
                     const char *reason)
{
    r->status = s;
    r->error.offset = offset;
    r->error.reason = reason;
    return s;
}

static v_status eof(v_msgpack_reader *r)
{
    return fail(r, V_ERR_MALFORMED, r->len, "unexpected end of input");
}

v_status v_msgpack_reader_init(v_msgpack_reader *r, const void *input,
                               size_t len, const v_msgpack_limits *lim,
                               v_msgpack_frame *stack)
{
    if (!r || !lim || (!input && len) || (!stack && lim->max_depth))
        return V_ERR_INVALID_ARGS;
    r->in = input;
    r->len = len;
    r->pos = 0;
    r->lim = *lim;
    r->stack = stack;
    r->depth = 0;
    r->started = false;
    r->status = V_OK;
    r->error.offset = 0;
    r->error.reason = NULL;
    if (len > lim->max_input)
        return fail(r, V_ERR_LIMIT, lim->max_input,
                    "document longer than max_input");
    return V_OK;
}

/* Big-endian unsigned of n bytes at in[pos]; the caller checked bounds. */
static uint64_t be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Reads an n-byte big-endian field after the type byte. */
static v_status field(v_msgpack_reader *r, size_t n, uint64_t *v)
{
    if (r->len - r->pos < n)
        return eof(r);
    *v = be(r->in + r->pos, n);
    r->pos += n;
    return V_OK;
}

static v_status payload(v_msgpack_reader *r, uint64_t n, size_t start,
                        v_msgpack_token *tok)
{
    if (n > r->lim.max_string)
        return fail(r, V_ERR_LIMIT, start,
                    "payload longer than max_string");
    if (r->len - r->pos < n)
        return eof(r);
    tok->data = r->in + r->pos;
    tok->len = (size_t)n;
    r->pos += (size_t)n;
    return V_OK;
}

static v_status container(v_msgpack_reader *r, bool map, uint64_t n,
                          size_t start, v_msgpack_token *tok)
{
    if (n > r->lim.max_elements)
        return fail(r, V_ERR_LIMIT, start,
                    map ? "map has more than max_elements pairs"
                        : "array has more than max_elements items");
    uint64_t items = map ? 2 * n : n;
    /* Every item takes at least one byte: fail now, not after n steps. */
    if (items > r->len - r->pos)
        return eof(r);
    if (r->depth >= r->lim.max_depth)
        return fail(r, V_ERR_LIMIT, start, "nesting deeper than max_depth");
    r->stack[r->depth].remaining = items;
    r->stack[r->depth].is_map = map;
    r->depth++;
    tok->kind = map ? V_MSGPACK_MAP_BEGIN : V_MSGPACK_ARRAY_BEGIN;
    tok->count = (uint32_t)n;
    return V_OK;
}

static v_status integer(v_msgpack_token *tok, bool neg, uint64_t raw)
{
    tok->kind = V_MSGPACK_INT;
    if (!neg) {
        tok->u64 = raw;
        tok->fits = V_MSGPACK_FITS_U64;
        if (raw <= INT64_MAX) {
            tok->i64 = (int64_t)raw;
            tok->fits |= V_MSGPACK_FITS_I64;
        }
        return V_OK;
    }
    /* raw is the two's complement bit pattern, sign-extended to 64. */
    tok->i64 = (int64_t)raw;
    tok->fits = V_MSGPACK_FITS_I64;
    if (tok->i64 >= 0) {
        tok->u64 = raw;
        tok->fits |= V_MSGPACK_FITS_U64;
    }
    return V_OK;
}

/* Sign-extends an n-byte two's complement value. */
static uint64_t sign_extend(uint64_t v, size_t n)
{
    if (n < 8 && (v >> (8 * n - 1) & 1))
        v |= ~(uint64_t)0 << (8 * n);
    return v;
}

static v_status scalar_or_open(v_msgpack_reader *r, v_msgpack_token *tok)
{
    size_t start = r->pos;
    uint8_t b = r->in[r->pos++];
    uint64_t v;
    v_status s;
    if (b <= 0x7f)
        return integer(tok, false, b);
    if (b >= 0xe0)
        return integer(tok, true, sign_extend(b, 1));
    if (b <= 0x8f)
        return container(r, true, b & 0x0f, start, tok);
    if (b <= 0x9f)
        return container(r, false, b & 0x0f, start, tok);
    if (b <= 0xbf) {
        tok->kind = V_MSGPACK_STR;
        v = b & 0x1f;
        goto str;
    }
    switch (b) {
    case 0xc0:
        tok->kind = V_MSGPACK_NIL;
        return V_OK;
    case 0xc2:
    case 0xc3:
        tok->kind = V_MSGPACK_BOOL;
        tok->boolean = b == 0xc3;
        return V_OK;
    case 0xc4: case 0xc5: case 0xc6:
        tok->kind = V_MSGPACK_BIN;
        if ((s = field(r, (size_t)1 << (b - 0xc4), &v)) != V_OK)
            return s;
        return payload(r, v, start, tok);
    case 0xc7: case 0xc8: case 0xc9:
        tok->kind = V_MSGPACK_EXT;
        if ((s = field(r, (size_t)1 << (b - 0xc7), &v)) != V_OK)
            return s;
        goto ext;
    case 0xca: case 0xcb: {
        tok->kind = b == 0xca ? V_MSGPACK_FLOAT32 : V_MSGPACK_FLOAT64;
        if ((s = field(r, b == 0xca ? 4 : 8, &v)) != V_OK)
            return s;
        /* NaN by its bits (all-ones exponent, non-zero fraction): no
         * floating-point arithmetic needed. */
        bool nan;
        if (b == 0xca) {
            union { uint32_t u; float f; } pun = {(uint32_t)v};
            tok->f32 = pun.f;
            nan = (v & 0x7fffffffu) > 0x7f800000u;
        } else {
            union { uint64_t u; double d; } pun = {v};
            tok->f64 = pun.d;
            nan = (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
        }
        if (nan && r->lim.forbid_nan)
            return fail(r, V_ERR_MALFORMED, start, "NaN is not allowed");
        return V_OK;
    }
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
        if ((s = field(r, (size_t)1 << (b - 0xcc), &v)) != V_OK)
            return s;
        return integer(tok, false, v);
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        size_t n = (size_t)1 << (b - 0xd0);
        if ((s = field(r, n, &v)) != V_OK)
            return s;
        v = sign_extend(v, n);
        return integer(tok, (int64_t)v < 0, v);
    }
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
        tok->kind = V_MSGPACK_EXT;
        v = (uint64_t)1 << (b - 0xd4);
        goto ext;
    case 0xd9: case 0xda: case 0xdb:
        tok->kind = V_MSGPACK_STR;
        if ((s = field(r, (size_t)1 << (b - 0xd9), &v)) != V_OK)
            return s;
        goto str;
    case 0xdc: case 0xdd:
        if ((s = field(r, b == 0xdc ? 2 : 4, &v)) != V_OK)
            return s;
        return container(r, false, v, start, tok);
    case 0xde: case 0xdf:
        if ((s = field(r, b == 0xde ? 2 : 4, &v)) != V_OK)
            return s;
        return container(r, true, v, start, tok);
    default: /* 0xc1 */
        return fail(r, V_ERR_MALFORMED, start, "byte 0xc1 is never used");
    }
ext:
    if (r->pos >= r->len)
        return eof(r);
    tok->ext_type = (int8_t)r->in[r->pos++];
    return payload(r, v, start, tok);
str:
    if ((s = payload(r, v, start, tok)) != V_OK)
        return s;
    size_t bad;
    if (!v_enc_is_ascii(tok->data, tok->len) &&
        v_enc_utf8_check(tok->data, tok->len, &bad) != V_OK)
        return fail(r, V_ERR_MALFORMED, (size_t)(tok->data - r->in) + bad,
                    "invalid UTF-8 in str");
    return V_OK;
}

v_status v_msgpack_next(v_msgpack_reader *r, v_msgpack_token *tok)
{
    if (r->status != V_OK)
        return r->status;
    *tok = (v_msgpack_token){0};
    tok->offset = r->pos;
    if (r->depth && r->stack[r->depth - 1].remaining == 0) {
        r->depth--;
        tok->kind = r->stack[r->depth].is_map ? V_MSGPACK_MAP_END
                                              : V_MSGPACK_ARRAY_END;
        tok->depth = r->depth;
        return V_OK;
    }
    if (r->depth == 0 && r->started) {
        if (r->pos == r->len) {
            r->status = V_ERR_END;
            return V_ERR_END;
        }
        return fail(r, V_ERR_MALFORMED, r->pos,
                    "trailing bytes after the document");
    }
    if (r->pos >= r->len)
        return eof(r);
    r->started = true;
    tok->depth = r->depth;
    if (r->depth) {
        v_msgpack_frame *f = &r->stack[r->depth - 1];
        tok->is_key = f->is_map && f->remaining % 2 == 0;
        f->remaining--;
    }
    return scalar_or_open(r, tok);
}

v_status v_msgpack_skip(v_msgpack_reader *r, const v_msgpack_token *tok)
{
    v_msgpack_token t;
    v_status s;
    if (r->status != V_OK)
        return r->status;
    if (tok->kind != V_MSGPACK_ARRAY_BEGIN && tok->kind != V_MSGPACK_MAP_BEGIN)
        return V_OK;
    size_t depth = tok->depth;
    do {
        if ((s = v_msgpack_next(r, &t)) != V_OK)
            return s;
    } while (!((t.kind == V_MSGPACK_ARRAY_END || t.kind == V_MSGPACK_MAP_END)
               && t.depth == depth));
    return V_OK;
}
