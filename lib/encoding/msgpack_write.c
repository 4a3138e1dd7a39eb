/* msgpack writer: the smallest encoding of every value, with the counts
 * containers declare checked against the items actually written. */
#include <v/encoding.h>
#include "internal.h"

static v_status fail(v_msgpack_writer *w, v_status s, size_t offset,
                     const char *reason)
{
    w->status = s;
    w->top = &w->none;
    w->error.offset = offset;
    w->error.reason = reason;
    return s;
}

static v_status out_status(v_msgpack_writer *w, v_status s)
{
    if (s != V_OK)
        fail(w, s, 0, s == V_ERR_TRUNCATED ? "output buffer full"
                                           : "sink failed");
    return s;
}

v_status v_msgpack_writer_init(v_msgpack_writer *w, void *buf, size_t cap,
                               const v_encoding_sink *sink,
                               v_msgpack_frame *stack, size_t max_depth)
{
    if (!w || (!buf && cap) || (!stack && max_depth) ||
        (sink && !sink->write))
        return V_ERR_INVALID_ARGS;
    v_enc_out_init(&w->out, buf, cap, sink);
    w->stack = stack;
    w->max_depth = max_depth;
    w->depth = 0;
    w->none.remaining = 0;
    w->none.is_map = false;
    w->top = &w->none;
    w->done = false;
    w->status = V_OK;
    w->error.offset = 0;
    w->error.reason = NULL;
    return V_OK;
}

/* Claims the next item slot: the top-level value or one declared item
 * of the innermost container. */
static v_status begin_item(v_msgpack_writer *w)
{
    if (w->status != V_OK)
        return w->status;
    if (w->depth == 0) {
        if (w->done)
            return fail(w, V_ERR_BAD_STATE, 0,
                        "document already has its value");
        return V_OK;
    }
    v_msgpack_frame *f = &w->stack[w->depth - 1];
    if (f->remaining == 0)
        return fail(w, V_ERR_BAD_STATE, 0,
                    "more items than the container declared");
    f->remaining--;
    return V_OK;
}

/* Stores the low n (0, 1, 2, 4 or 8) bytes of v big-endian at p, each
 * width as one store. */
static inline void put_be(uint8_t *p, uint64_t v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n == 8) {
        uint64_t x = __builtin_bswap64(v);
        __builtin_memcpy(p, &x, 8);
    } else if (n == 4) {
        uint32_t x = __builtin_bswap32((uint32_t)v);
        __builtin_memcpy(p, &x, 4);
    } else if (n == 2) {
        uint16_t x = __builtin_bswap16((uint16_t)v);
        __builtin_memcpy(p, &x, 2);
    } else if (n == 1) {
        p[0] = (uint8_t)v;
    }
#else
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
#endif
}

/* Writes a type byte and an n-byte big-endian argument (n may be 0);
 * completes the item when it is a scalar at the top level. */
static inline v_status emit(v_msgpack_writer *w, uint8_t type,
                            uint64_t arg, size_t n)
{
    uint8_t *p = v_enc_out_room(&w->out, 1 + n);
    if (p) { /* the common case: straight into the buffer */
        p[0] = type;
        put_be(p + 1, arg, n);
        v_enc_out_commit(&w->out, 1 + n);
        return V_OK;
    }
    uint8_t b[9];
    b[0] = type;
    for (size_t i = 0; i < n; i++)
        b[1 + i] = (uint8_t)(arg >> (8 * (n - 1 - i)));
    return out_status(w, v_enc_out_put(&w->out, b, 1 + n));
}

static void end_scalar(v_msgpack_writer *w)
{
    if (w->depth == 0)
        w->done = true;
}

v_status v_msgpack__open(v_msgpack_writer *w, bool map, uint32_t n)
{
    v_status s = begin_item(w);
    if (s != V_OK)
        return s;
    if (w->depth >= w->max_depth)
        return fail(w, V_ERR_LIMIT, 0, "nesting deeper than max_depth");
    if (n < 16)
        s = emit(w, (uint8_t)((map ? 0x80 : 0x90) | n), 0, 0);
    else if (n <= 0xffff)
        s = emit(w, map ? 0xde : 0xdc, n, 2);
    else
        s = emit(w, map ? 0xdf : 0xdd, n, 4);
    if (s != V_OK)
        return s;
    w->stack[w->depth].remaining = map ? 2 * (uint64_t)n : n;
    w->stack[w->depth].is_map = map;
    w->top = &w->stack[w->depth];
    w->depth++;
    return V_OK;
}

v_status v_msgpack__close(v_msgpack_writer *w, bool map)
{
    if (w->status != V_OK)
        return w->status;
    if (w->depth == 0 || w->stack[w->depth - 1].is_map != map)
        return fail(w, V_ERR_BAD_STATE, 0,
                    map ? "end does not close a map"
                        : "end does not close an array");
    if (w->stack[w->depth - 1].remaining)
        return fail(w, V_ERR_BAD_STATE, 0,
                    "fewer items than the container declared");
    w->depth--;
    w->top = w->depth ? &w->stack[w->depth - 1] : &w->none;
    end_scalar(w);
    return V_OK;
}

v_status v_msgpack__scalar(v_msgpack_writer *w, uint8_t type, uint64_t arg,
                           unsigned n)
{
    v_status s = begin_item(w);
    if (s == V_OK && (s = emit(w, type, arg, n)) == V_OK)
        end_scalar(w);
    return s;
}

/* v_msgpack__int's table (v/encoding_msgpack_inline.h), by sign and by
 * the index of the highest set bit of the value (of -v - 1 when
 * negative): the boundaries of the smallest forms as bit positions, so
 * that the inline write looks its form up instead of branching on the
 * value. */
#define FIX 0x0000ff00u
#define ARG(type, n) ((type) | (n) << 16 | ((64 - 8 * (n)) & 63) << 24)
const uint32_t v_msgpack__int_forms[2][64] = {
    {   /* u: 0..7F fixint (top bit 0..6), then uint 8, 16, 32, 64 */
        [0 ... 6] = FIX, [7] = ARG(0xccu, 1u), [8 ... 15] = ARG(0xcdu, 2u),
        [16 ... 31] = ARG(0xceu, 4u), [32 ... 63] = ARG(0xcfu, 8u),
    },
    {   /* -u - 1: -32..-1 fixint (top bit 0..4), then int 8, 16, 32, 64 */
        [0 ... 4] = FIX, [5 ... 6] = ARG(0xd0u, 1u),
        [7 ... 14] = ARG(0xd1u, 2u), [15 ... 30] = ARG(0xd2u, 4u),
        [31 ... 63] = ARG(0xd3u, 8u),
    },
};
#undef FIX
#undef ARG

v_status v_msgpack_write_f32(v_msgpack_writer *w, float v)
{
    union { float f; uint32_t u; } pun = {v};
    return v_msgpack__scalar(w, 0xca, pun.u, 4);
}

/* A header from the family (smallest first) then the payload. */
static v_status sized(v_msgpack_writer *w, const uint8_t types[3],
                      const void *b, size_t len, bool has_ext_type,
                      int8_t ext_type)
{
    if (!b && len)
        return fail(w, V_ERR_INVALID_ARGS, 0, "NULL payload");
    if ((uint64_t)len > 0xffffffff)
        return fail(w, V_ERR_INVALID_ARGS, 0, "payload longer than 2^32-1");
    v_status s = begin_item(w);
    if (s != V_OK)
        return s;
    if (len <= 0xff)
        s = emit(w, types[0], len, 1);
    else if (len <= 0xffff)
        s = emit(w, types[1], len, 2);
    else
        s = emit(w, types[2], len, 4);
    if (s == V_OK && has_ext_type)
        s = out_status(w, v_enc_out_byte(&w->out, (uint8_t)ext_type));
    if (s == V_OK)
        s = out_status(w, v_enc_out_put(&w->out, b, len));
    if (s == V_OK)
        end_scalar(w);
    return s;
}

v_status v_msgpack__str(v_msgpack_writer *w, const void *s, size_t len)
{
    static const uint8_t str_types[3] = {0xd9, 0xda, 0xdb};
    size_t bad;
    if (w->status != V_OK)
        return w->status;
    if (!s && len)
        return fail(w, V_ERR_INVALID_ARGS, 0, "NULL string");
    if (!v_enc_is_ascii(s, len) && v_enc_utf8_check(s, len, &bad) != V_OK)
        return fail(w, V_ERR_INVALID_ARGS, bad, "str is not valid UTF-8");
    if (len > 0xffff)
        return sized(w, str_types, s, len, false, 0);
    v_status st = begin_item(w);
    if (st != V_OK)
        return st;
    /* Header and payload straight into the buffer when they fit. */
    size_t h = len < 32 ? 1 : len <= 0xff ? 2 : 3;
    uint8_t *p = v_enc_out_room(&w->out, h + len);
    if (!p) {
        if (len < 32)
            st = emit(w, (uint8_t)(0xa0 | len), 0, 0);
        else
            st = emit(w, len <= 0xff ? 0xd9 : 0xda, len, h - 1);
        if (st == V_OK)
            st = out_status(w, v_enc_out_put(&w->out, s, len));
        if (st == V_OK)
            end_scalar(w);
        return st;
    }
    if (h == 1)
        p[0] = (uint8_t)(0xa0 | len);
    else
        p[0] = h == 2 ? 0xd9 : 0xda;
    put_be(p + 1, len, h - 1);
    v_mem_copy(p + h, s, len);
    v_enc_out_commit(&w->out, h + len);
    end_scalar(w);
    return V_OK;
}

v_status v_msgpack_write_bin(v_msgpack_writer *w, const void *b, size_t len)
{
    static const uint8_t bin_types[3] = {0xc4, 0xc5, 0xc6};
    if (w->status != V_OK)
        return w->status;
    return sized(w, bin_types, b, len, false, 0);
}

v_status v_msgpack_write_ext(v_msgpack_writer *w, int8_t type,
                             const void *b, size_t len)
{
    static const uint8_t ext_types[3] = {0xc7, 0xc8, 0xc9};
    if (w->status != V_OK)
        return w->status;
    uint8_t fixext = 0;
    switch (len) {
    case 1: fixext = 0xd4; break;
    case 2: fixext = 0xd5; break;
    case 4: fixext = 0xd6; break;
    case 8: fixext = 0xd7; break;
    case 16: fixext = 0xd8; break;
    }
    if (!fixext)
        return sized(w, ext_types, b, len, true, type);
    if (!b)
        return fail(w, V_ERR_INVALID_ARGS, 0, "NULL payload");
    v_status s = begin_item(w);
    if (s == V_OK)
        s = emit(w, fixext, (uint8_t)type, 1);
    if (s == V_OK)
        s = out_status(w, v_enc_out_put(&w->out, b, len));
    if (s == V_OK)
        end_scalar(w);
    return s;
}

v_status v_msgpack_writer_finish(v_msgpack_writer *w, size_t *total_len)
{
    if (w->status != V_OK)
        return w->status;
    if (!w->done)
        return fail(w, V_ERR_BAD_STATE, 0,
                    w->depth ? "unclosed array or map" : "empty document");
    v_status s = out_status(w, v_enc_out_flush(&w->out));
    if (s == V_OK && total_len)
        *total_len = v_enc_out_total(&w->out);
    return s;
}

/* The external definitions of the inline writes and their helpers
 * (v/encoding_msgpack_inline.h). */
extern inline bool v_msgpack__claim(v_msgpack_writer *w, size_t n);
extern inline void v_msgpack__commit(v_msgpack_writer *w, size_t n);
extern inline v_status v_msgpack__put(v_msgpack_writer *w, uint8_t type,
                                      uint64_t arg, unsigned n);
extern inline uint64_t v_msgpack__mv8(uint8_t *d, const uint8_t *s);
extern inline bool v_msgpack__copy_ascii(uint8_t *d, const uint8_t *s,
                                         size_t n);
extern inline v_status v_msgpack__begin(v_msgpack_writer *w, bool map,
                                        uint32_t n);
extern inline v_status v_msgpack__end(v_msgpack_writer *w, bool map);
extern inline v_status v_msgpack__int(v_msgpack_writer *w, uint64_t u,
                                      unsigned neg);
extern inline v_status v_msgpack_write_nil(v_msgpack_writer *w);
extern inline v_status v_msgpack_write_bool(v_msgpack_writer *w, bool v);
extern inline v_status v_msgpack_write_u64(v_msgpack_writer *w, uint64_t v);
extern inline v_status v_msgpack_write_i64(v_msgpack_writer *w, int64_t v);
extern inline v_status v_msgpack_write_f64(v_msgpack_writer *w, double v);
extern inline v_status v_msgpack_write_str(v_msgpack_writer *w,
                                           const void *s, size_t len);
extern inline v_status v_msgpack_write_array_begin(v_msgpack_writer *w,
                                                   uint32_t count);
extern inline v_status v_msgpack_write_map_begin(v_msgpack_writer *w,
                                                 uint32_t pairs);
extern inline v_status v_msgpack_write_array_end(v_msgpack_writer *w);
extern inline v_status v_msgpack_write_map_end(v_msgpack_writer *w);
