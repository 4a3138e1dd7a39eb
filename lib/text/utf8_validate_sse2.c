/* UTF-8 validation 16 bytes at a time with SSE2, when the compiler
 * targets it (hosted and user builds; the kernel builds with -mno-sse and
 * keeps the scalar DFA of utf8_validate.c, and the tests check the two
 * against each other). GCC vector extensions and builtins, not intrinsics
 * headers, as the freestanding rules allow only the compiler's own.
 *
 * Why: the DFA takes one dependent step per byte (about two cycles), and
 * text that mixes ASCII words with a few 2- to 4-byte characters (names,
 * tags, the free text of a record) is where that shows. Here a block of
 * 16 bytes costs the same whatever it holds, about 30 vector operations
 * with no branch and no chain from byte to byte: 3.5 times the DFA on
 * mixed text.
 *
 * How: each byte is checked against the three bytes before it, loaded as
 * three more (overlapping, unaligned) blocks. SSE2 has no byte shuffle,
 * so no table lookup; a few compares do it:
 *  - a continuation (80..BF) must be exactly where a lead needs one: the
 *    byte before is >= C0, or the one two before >= E0, or three before
 *    >= F0. That one equality catches a missing continuation, a stray
 *    one and a lead inside a sequence.
 *  - C0, C1 and F5..FF are never valid.
 *  - after the four leads whose second byte has a narrower range (Table
 *    3-7: E0 needs A0..BF, ED 80..9F, F0 90..BF, F4 80..8F), the byte is
 *    compared with the bound.
 * So blocks carry nothing from one to the next and may overlap: the last
 * block of an input is its last 16 bytes, so nothing is read outside it,
 * and an input under 16 bytes is gathered into a zero-padded block with
 * word loads. The first block takes its "bytes before" as zeros (a byte
 * shift). What no block sees is a sequence cut by the end: three bytes
 * checked at the end (cut_at). A block only says "bad somewhere here";
 * the exact offset comes from the byte-by-byte decoder, restarted at a
 * sequence start before the block. Pure ASCII runs skip 64 bytes per
 * test, as in the scalar path. */
#include <v/text.h>

#include "utf8_internal.h"
#include "utf8_validate_internal.h"

#if V_TEXT_UTF8_SSE2

typedef signed char s8x16 __attribute__((vector_size(16)));
typedef char c8x16 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));

static inline s8x16 load16(const unsigned char *p)
{
    s8x16 v;
    __builtin_memcpy(&v, p, sizeof v); /* one unaligned load */
    return v;
}

/* One bit per byte: its top bit (compare results are all ones or zero). */
static inline uint32_t bits(s8x16 v)
{
    return (uint32_t)__builtin_ia32_pmovmskb128((c8x16)v);
}

/* Signed byte compares: as signed bytes the non-ASCII ones are negative
 * and keep their order, so one pcmpgtb splits them at a threshold. */
#define S8(t) ((signed char)(t))

typedef unsigned char u8x16 __attribute__((vector_size(16)));

/* Saturating subtract (psubusb): zero exactly where a <= b. */
static inline u8x16 sub_sat(s8x16 a, unsigned char b)
{
    return (u8x16)__builtin_ia32_psubusb128((c8x16)a,
                                             (c8x16)((u8x16){0} + b));
}

/* Checks the 16 bytes v given the bytes before each of them: p1 one
 * before, p2 two, p3 three (zero before the input). Returns a vector that
 * is non-zero in each bad byte (zero when all is well): a mix of compare
 * masks and saturated differences, as only "zero or not" is ever asked,
 * so no compare is spent turning a difference into a mask, and callers
 * OR several blocks together before one test. Every byte is checked on
 * its own neighbours, so blocks may overlap and carry nothing; a sequence
 * cut by the end of the input is the caller's check (cut_at). */
static inline __attribute__((always_inline)) s8x16
block_bad(s8x16 v, s8x16 p1, s8x16 p2, s8x16 p3)
{
    /* A continuation must be exactly where a lead needs one: after a
     * lead >= C0, two after one >= E0, three after one >= F0. As signed
     * bytes, v > BF is "not a continuation" (ASCII or a lead). */
    u8x16 needed = sub_sat(p1, 0xBF) | sub_sat(p2, 0xDF) |
                   sub_sat(p3, 0xEF);                /* non-zero: needed */
    s8x16 bad = (needed == 0) ^ (v > S8(0xBF)); /* free XOR continuation */
    /* Never valid: F5..FF, and C0, C1 (overlong). */
    bad |= (s8x16)sub_sat(v, 0xF4);
    bad |= (v & S8(0xFE)) == S8(0xC0);
    /* E0 and F0 need the next byte at least A0 and 90, ED and F4 below:
     * after an E0 or ED, bad when "below A0" is the same as "after E0"
     * (likewise F0, F4 and 90). */
    s8x16 is_e0 = p1 == S8(0xE0), is_ed = p1 == S8(0xED);
    s8x16 is_f0 = p1 == S8(0xF0), is_f4 = p1 == S8(0xF4);
    bad |= (is_e0 | is_ed) & ((S8(0xA0) > v) ^ is_ed);
    bad |= (is_f0 | is_f4) & ((S8(0x90) > v) ^ is_f4);
    return bad;
}

/* Whether a sequence begun before p[i] needs bytes from p[i] on: a lead
 * among the three bytes before i that needs that far (i >= 3). */
static inline bool cut_at(const unsigned char *p, size_t i)
{
    return (p[i - 1] >= 0xC0) | (p[i - 2] >= 0xE0) | (p[i - 3] >= 0xF0);
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    __builtin_memcpy(&w, p, sizeof w);
    return w;
}

static inline uint32_t load32(const unsigned char *p)
{
    uint32_t w;
    __builtin_memcpy(&w, p, sizeof w);
    return w;
}

/* The len < 16 bytes at p as a block padded with zero bytes, built from
 * overlapping word loads (never reading outside p[0..len)). A zero is not
 * a continuation, so the block sees a sequence cut by the end. */
static inline s8x16 short_block(const unsigned char *p, size_t len)
{
    uint64_t lo = 0, hi = 0;
    if (len >= 8) {
        lo = load64(p);
        /* The last len - 8 bytes; two shifts as len may be 8. */
        hi = load64(p + len - 8) >> (8 * (15 - len)) >> 8;
    } else if (len >= 4) {
        lo = load32(p) | (uint64_t)load32(p + len - 4) << (8 * (len - 4));
    } else {
        for (size_t k = 0; k < len; k++)
            lo |= (uint64_t)p[k] << (8 * k);
    }
    return (s8x16)(u64x2){lo, hi};
}

/* v moved up 1, 2, 3 bytes, zeros below (one pslldq each): the bytes
 * before each byte of the first block of the input. */
#ifdef __clang__
#define SHUF2(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define SHUF2(a, b, ...) __builtin_shuffle(a, b, (s8x16){__VA_ARGS__})
#endif
#define UP1(v) SHUF2(v, (s8x16){0}, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, \
                     11, 12, 13, 14)
#define UP2(v) SHUF2(v, (s8x16){0}, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \
                     10, 11, 12, 13)
#define UP3(v) SHUF2(v, (s8x16){0}, 16, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7, \
                     8, 9, 10, 11, 12)

static inline __attribute__((always_inline)) s8x16
block_first(s8x16 v)
{
    return block_bad(v, UP1(v), UP2(v), UP3(v));
}

/* The block at p, whose three bytes before are readable. */
static inline __attribute__((always_inline)) s8x16
block_at(const unsigned char *p)
{
    return block_bad(load16(p), load16(p - 1), load16(p - 2),
                     load16(p - 3));
}

#define HIGH(v) bits(v)
/* Whether a block_bad result (or several ORed) has a bad byte. */
#define ANY_BAD(b) (bits((b) == 0) != 0xffff)

v_status v_text_utf8_validate_sse2(const unsigned char *p, size_t len,
                                   size_t *bad_offset)
{
    size_t i = 0;
    if (len < 16) {
        /* Zero padding: a sequence cut by the end meets a zero where it
         * needs a continuation, so the block sees it. */
        if (ANY_BAD(block_first(short_block(p, len))))
            goto bad;
        return V_OK;
    }
    if (len < 19) /* too short for the last block's three bytes before */
        return v_text_utf8_validate_scalar(p, len, bad_offset);
    if (len <= 32) {
        /* Keys, names, words: two blocks (overlapping unless len is 32),
         * without a loop, so without a branch on the length. */
        if (ANY_BAD(block_first(load16(p)) | block_at(p + len - 16)) ||
            cut_at(p, len))
            goto bad;
        return V_OK;
    }
    if (ANY_BAD(block_first(load16(p))))
        goto bad;
    i = 16;
    /* Four blocks at a time: one test skips them when they are ASCII and
     * no sequence runs into them; otherwise all four are checked, with
     * no branch between. */
    while (len - i >= 64) {
        s8x16 v0 = load16(p + i), v1 = load16(p + i + 16);
        s8x16 v2 = load16(p + i + 32), v3 = load16(p + i + 48);
        if (!HIGH(v0 | v1 | v2 | v3)) {
            if (cut_at(p, i))
                goto bad;
            i += 64;
            continue;
        }
        if (ANY_BAD(block_at(p + i) | block_at(p + i + 16) |
                    block_at(p + i + 32) | block_at(p + i + 48)))
            goto bad;
        i += 64;
    }
    for (; len - i >= 16; i += 16)
        if (ANY_BAD(block_at(p + i)))
            goto bad;
    if (i < len) { /* the last 16 bytes, overlapping checked ones */
        i = len - 16;
        if (ANY_BAD(block_at(p + i)))
            goto bad;
    }
    if (!cut_at(p, len))
        return V_OK;
    /* Truncated at the end: the decoder finds the cut sequence. */
    i = len;
bad:
    /* Everything before i was checked except the continuations that a
     * sequence begun before i still needs from i on: restart at the start
     * of the last sequence begun before i (at most four bytes back). The
     * ones before it are whole and well-formed. */
    if (i > 0) {
        i--;
        while (i > 0 && (p[i] & 0xC0) == 0x80)
            i--;
    }
    return v_text_utf8_validate_slow(p, len, i, bad_offset);
}

#endif
