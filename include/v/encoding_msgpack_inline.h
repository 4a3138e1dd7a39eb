/* The msgpack writer's common case, inline; included by v/encoding.h.
 *
 * Why inline: a document is thousands of one-value writes, and a call per
 * value (prologue, reloading the writer, re-checking its state) cost more
 * than the bytes themselves. msgpack-c's packer is inline header code for
 * the same reason. Here each write first asks v_msgpack__claim for room:
 * the writer healthy, inside a container with an item still to come, and
 * n bytes free in the buffer. Anything else — an error, the top-level
 * value, a full buffer or a sink to drain, a string of 64 KiB or more or
 * one that is not UTF-8 — goes to the general path in
 * lib/encoding/msgpack_write.c, which makes every check and gives the
 * same bytes and the same errors.
 *
 * These are C99 inline definitions (helpers included: an inline definition
 * may not use internal-linkage names): msgpack_write.c emits the one
 * external definition of each, so a call that is not inlined still links. */
#ifndef V_ENCODING_MSGPACK_INLINE_H
#define V_ENCODING_MSGPACK_INLINE_H

/* From v/text.h, declared here so encoding.h does not pull in <limits.h>
 * and its macros for every user. */
v_status v_utf8_validate(const void *bytes, size_t len, size_t *bad_offset);

/* The general paths (lib/encoding/msgpack_write.c). */
v_status v_msgpack__open(v_msgpack_writer *w, bool map, uint32_t n);
v_status v_msgpack__close(v_msgpack_writer *w, bool map);
v_status v_msgpack__scalar(v_msgpack_writer *w, uint8_t type, uint64_t arg,
                           unsigned n);
v_status v_msgpack__str(v_msgpack_writer *w, const void *s, size_t len);

/* Claims the next item of the innermost container when there is room for
 * n bytes at w->out.buf + w->out.len; false (nothing claimed) when the
 * general path must decide. One branch for both tests, and a flag rather
 * than a pointer so that no NULL test follows. */
inline bool v_msgpack__claim(v_msgpack_writer *w, size_t n)
{
    v_msgpack_frame *f = w->top;
    if ((f->remaining == 0) | (w->out.cap - w->out.len < n))
        return false;
    f->remaining--;
    return true;
}

inline void v_msgpack__commit(v_msgpack_writer *w, size_t n)
{
    w->out.len += n;
}

/* A type byte then the low n (0, 1, 2, 4, 8) bytes of arg, big-endian. */
inline v_status v_msgpack__put(v_msgpack_writer *w, uint8_t type,
                                      uint64_t arg, unsigned n)
{
    if (!v_msgpack__claim(w, 9))
        return v_msgpack__scalar(w, type, arg, n);
    uint8_t *p = w->out.buf + w->out.len;
    p[0] = type;
    uint64_t be = __builtin_bswap64(arg << (8 * (8 - n) & 63));
    __builtin_memcpy(p + 1, &be, 8); /* 9 bytes claimed; 1 + n are kept */
    v_msgpack__commit(w, 1 + n);
    return V_OK;
}

inline v_status v_msgpack_write_nil(v_msgpack_writer *w)
{
    return v_msgpack__put(w, 0xc0, 0, 0);
}

inline v_status v_msgpack_write_bool(v_msgpack_writer *w, bool v)
{
    return v_msgpack__put(w, v ? 0xc3 : 0xc2, 0, 0);
}

/* The form of each integer size (msgpack_write.c): [neg][top], top the
 * index of the highest set bit of u, or of -u - 1 when negative (of 1 for
 * 0 and -1). Byte 0 the type byte (0 for a fixint, which is its own type
 * byte), byte 1 0xff for a fixint, byte 2 the argument bytes (0, 1, 2, 4,
 * 8), byte 3 the shift that moves them to the top of a word: 64 - 8 *
 * bytes, mod 64. */
extern const uint32_t v_msgpack__int_forms[2][64];

/* An integer in its smallest form, without a branch on its value: sign
 * and magnitude vary from one value to the next in real data (a column
 * of samples), and a mispredicted branch costs more than the table
 * lookup. neg is 1 for a negative u (as int64). */
inline v_status v_msgpack__int(v_msgpack_writer *w, uint64_t u, unsigned neg)
{
    uint64_t m = u ^ (0 - (uint64_t)neg); /* negative: -v - 1 */
    uint32_t f = v_msgpack__int_forms[neg][63 ^ __builtin_clzll(m | 1)];
    uint8_t type = (uint8_t)(f | (u & (f >> 8)));
    unsigned n = f >> 16 & 0xff;
    if (!v_msgpack__claim(w, 9))
        return v_msgpack__scalar(w, type, u, n);
    uint8_t *p = w->out.buf + w->out.len;
    uint64_t be = __builtin_bswap64(u << (f >> 24));
    p[0] = type;
    __builtin_memcpy(p + 1, &be, 8); /* 9 bytes claimed; 1 + n are kept */
    v_msgpack__commit(w, 1 + n);
    return V_OK;
}

inline v_status v_msgpack_write_u64(v_msgpack_writer *w, uint64_t v)
{
    return v_msgpack__int(w, v, 0);
}

inline v_status v_msgpack_write_i64(v_msgpack_writer *w, int64_t v)
{
    return v_msgpack__int(w, (uint64_t)v, (unsigned)((uint64_t)v >> 63));
}

inline v_status v_msgpack_write_f64(v_msgpack_writer *w, double v)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &v, 8);
    return v_msgpack__put(w, 0xcb, bits, 8);
}

/* gcc, seeing a short string literal passed in, warns that the word loads
 * below would overrun it — on the n >= 8 branch that such a call never
 * takes. The warning is about a dead path, so it is silenced here only. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
/* Moves 8 bytes and returns them. */
inline uint64_t v_msgpack__mv8(uint8_t *d, const uint8_t *s)
{
    uint64_t x;
    __builtin_memcpy(&x, s, 8);
    __builtin_memcpy(d, &x, 8);
    return x;
}

/* Copies n bytes and says whether they were all ASCII: one pass instead
 * of a check and then a copy. Words, overlapping rather than a byte loop,
 * so a short string costs a few instructions and at most two branches on
 * its length. */
inline bool v_msgpack__copy_ascii(uint8_t *d, const uint8_t *s, size_t n)
{
    uint64_t acc = 0;
    if (n > 32) {
#if defined(__SSE2__)
        /* 16 bytes a move when the target has SSE2 (the kernel, built
         * without it, takes the word loop below). */
        typedef uint64_t v_msgpack__u64x2 __attribute__((vector_size(16)));
        v_msgpack__u64x2 a = {0, 0}, y;
        for (size_t i = 0; n - i > 16; i += 16) {
            __builtin_memcpy(&y, s + i, 16);
            __builtin_memcpy(d + i, &y, 16);
            a |= y;
        }
        __builtin_memcpy(&y, s + n - 16, 16);
        __builtin_memcpy(d + n - 16, &y, 16);
        a |= y;
        acc = a[0] | a[1];
#else
        uint64_t x;
        for (size_t i = 0; n - i > 8; i += 8) {
            __builtin_memcpy(&x, s + i, 8);
            __builtin_memcpy(d + i, &x, 8);
            acc |= x;
        }
        __builtin_memcpy(&x, s + n - 8, 8);
        __builtin_memcpy(d + n - 8, &x, 8);
        acc |= x;
#endif
    } else if (n >= 8) {
        /* 8 to 32 bytes without a branch on the length: four words at
         * 0, q, n - 8 - q and n - 8, q = min(8, n - 8), which cover the
         * string, overlapping as much as it is short. */
        size_t q = n - 8 < 8 ? n - 8 : 8;
        acc = v_msgpack__mv8(d, s) | v_msgpack__mv8(d + q, s + q) |
              v_msgpack__mv8(d + n - 8 - q, s + n - 8 - q) |
              v_msgpack__mv8(d + n - 8, s + n - 8);
    } else if (n >= 4) {
        uint32_t a, b;
        __builtin_memcpy(&a, s, 4);
        __builtin_memcpy(&b, s + n - 4, 4);
        __builtin_memcpy(d, &a, 4);
        __builtin_memcpy(d + n - 4, &b, 4);
        acc = a | b;
    } else if (n) {
        /* 1 to 3 bytes: first, middle and last cover them, without a
         * loop whose exit a key like "id" or "x" would mispredict. */
        uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
        d[0] = a;
        d[n / 2] = b;
        d[n - 1] = c;
        acc = a | b | c;
    }
    return (acc & 0x8080808080808080ull) == 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Always inline: clang otherwise keeps this one out of line (it is the
 * largest), and a call per string cost it 9 % of the encode time. */
inline __attribute__((always_inline)) v_status
v_msgpack_write_str(v_msgpack_writer *w, const void *s, size_t len)
{
    /* The header's bytes (fixstr, str8 or str16) go out as three stores
     * every time, which the compiler merges; the payload copied after the
     * header overwrites the ones it does not use, which is why the claim
     * asks for 2 bytes more than it keeps. */
    size_t h;
    uint32_t hw; /* byte i of the header in bits 8i.. */
    uint8_t *p;
    if (len < 32) {
        h = 1;
        hw = 0xa0u | (uint32_t)len;
    } else if (len <= 0xff) {
        h = 2;
        hw = 0xd9u | (uint32_t)len << 8;
    } else {
        h = 3;
        hw = 0xdau | (uint32_t)(len >> 8 & 0xff) << 8 |
             (uint32_t)(len & 0xff) << 16;
    }
    if (len - 1 >= 0xffff || !s || !v_msgpack__claim(w, h + len + 2))
        return v_msgpack__str(w, s, len);
    p = w->out.buf + w->out.len;
    p[0] = (uint8_t)hw;
    p[1] = (uint8_t)(hw >> 8);
    p[2] = (uint8_t)(hw >> 16);
    if (!v_msgpack__copy_ascii(p + h, (const uint8_t *)s, len) &&
        v_utf8_validate(s, len, NULL) != V_OK) {
        /* Give the slot back; the general path reports the error. */
        w->top->remaining++;
        return v_msgpack__str(w, s, len);
    }
    v_msgpack__commit(w, h + len);
    return V_OK;
}

/* A container of fewer than 2^16 items inside another, under max_depth. */
inline v_status v_msgpack__begin(v_msgpack_writer *w, bool map, uint32_t n)
{
    v_msgpack_frame *f = w->top;
    if (f->remaining == 0 || n > 0xffff ||
        w->depth >= w->max_depth || w->out.cap - w->out.len < 3)
        return v_msgpack__open(w, map, n);
    uint8_t *p = w->out.buf + w->out.len; /* only now: buf may be NULL */
    f->remaining--;
    if (n < 16) {
        p[0] = (uint8_t)((map ? 0x80 : 0x90) | n);
        v_msgpack__commit(w, 1);
    } else {
        p[0] = map ? 0xde : 0xdc;
        p[1] = (uint8_t)(n >> 8);
        p[2] = (uint8_t)n;
        v_msgpack__commit(w, 3);
    }
    f[1].remaining = map ? 2 * (uint64_t)n : n;
    f[1].is_map = map;
    w->depth++;
    w->top = f + 1;
    return V_OK;
}

inline v_status v_msgpack_write_array_begin(v_msgpack_writer *w,
                                            uint32_t count)
{
    return v_msgpack__begin(w, false, count);
}

inline v_status v_msgpack_write_map_begin(v_msgpack_writer *w,
                                          uint32_t pairs)
{
    return v_msgpack__begin(w, true, pairs);
}

/* An end that closes a full container of the right kind, inside another. */
inline v_status v_msgpack__end(v_msgpack_writer *w, bool map)
{
    v_msgpack_frame *f = w->top;
    if (f != &w->none && w->depth > 1 && f->remaining == 0 &&
        f->is_map == map) {
        w->depth--;
        w->top = f - 1;
        return V_OK;
    }
    return v_msgpack__close(w, map);
}

inline v_status v_msgpack_write_array_end(v_msgpack_writer *w)
{
    return v_msgpack__end(w, false);
}

inline v_status v_msgpack_write_map_end(v_msgpack_writer *w)
{
    return v_msgpack__end(w, true);
}

#endif
