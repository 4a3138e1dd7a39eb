/* Fast UTF-8 validation: a word-at-a-time ASCII path and a shift-based DFA.
 *
 * This is v_utf8_validate where the compiler does not target SSE2 (the
 * kernel builds libv with SSE off); elsewhere utf8_validate_sse2.c is, and
 * the tests check the two against each other. Here the speed comes from
 * two scalar tricks:
 *  - ASCII: OR 8-byte words together and test their high bits; prose is
 *    mostly ASCII, so most bytes are checked 32 at a time.
 *  - Everything else: a DFA for Unicode Table 3-7 whose transition row for
 *    a byte packs the next state of all 9 states into one 64-bit word, each
 *    state being the bit offset of its own 6-bit slot. One step is then
 *    `state = row[byte] >> state`: a table load that does not depend on the
 *    state, and one shift that does. No branch per byte, so mixed scripts
 *    cost the same whatever their mix.
 * Strings of at most SHORT bytes skip the ASCII tests and run the DFA
 * straight through: for them the tests' branches cost more than they save.
 * The DFA only says "bad somewhere in this block". Errors are rare, so to
 * name the first bad byte we re-read from the last position known to start
 * a sequence with the byte-by-byte reference decoder (utf8.c). Each byte
 * is thus read at most twice. */
#include <v/text.h>

#include "utf8_internal.h"
#include "utf8_validate_internal.h"

/* States: bit offsets of 6-bit slots. ERR must be 0 so that it is sticky:
 * every row has zeros in bits 0..5. */
#define S_ERR 0u
#define S_ACC 6u  /* between sequences */
#define S_T1 12u  /* one more 80..BF to go */
#define S_T2 18u  /* two more */
#define S_T3 24u  /* three more */
#define S_E0 30u  /* after E0: A0..BF then one more */
#define S_ED 36u  /* after ED: 80..9F then one more */
#define S_F0 42u  /* after F0: 90..BF then two more */
#define S_F4 48u  /* after F4: 80..8F then two more */

#define GO(from, to) ((uint64_t)(to) << (from))

/* Continuation bytes are split by which second-byte ranges accept them. */
#define ROW_CONT_COMMON                                                    \
    (GO(S_T1, S_ACC) | GO(S_T2, S_T1) | GO(S_T3, S_T2))
#define ROW_80_8F (ROW_CONT_COMMON | GO(S_ED, S_T1) | GO(S_F4, S_T2))
#define ROW_90_9F (ROW_CONT_COMMON | GO(S_ED, S_T1) | GO(S_F0, S_T2))
#define ROW_A0_BF (ROW_CONT_COMMON | GO(S_E0, S_T1) | GO(S_F0, S_T2))

static const uint64_t dfa_row[256] = {
    [0x00 ... 0x7F] = GO(S_ACC, S_ACC),
    [0x80 ... 0x8F] = ROW_80_8F,
    [0x90 ... 0x9F] = ROW_90_9F,
    [0xA0 ... 0xBF] = ROW_A0_BF,
    [0xC0 ... 0xC1] = 0, /* overlong two-byte forms */
    [0xC2 ... 0xDF] = GO(S_ACC, S_T1),
    [0xE0] = GO(S_ACC, S_E0),
    [0xE1 ... 0xEC] = GO(S_ACC, S_T2),
    [0xED] = GO(S_ACC, S_ED),
    [0xEE ... 0xEF] = GO(S_ACC, S_T2),
    [0xF0] = GO(S_ACC, S_F0),
    [0xF1 ... 0xF3] = GO(S_ACC, S_T3),
    [0xF4] = GO(S_ACC, S_F4),
    [0xF5 ... 0xFF] = 0, /* above U+10FFFF or never valid */
};

#define HIGH_BITS 0x8080808080808080ull

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    __builtin_memcpy(&w, p, sizeof w); /* one unaligned load */
    return w;
}

/* Count of leading ASCII bytes (in memory order) of a word whose high-bit
 * mask `m` is non-zero. */
static inline size_t ascii_prefix(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(m) / 8;
#else
    return (size_t)__builtin_ctzll(m) / 8;
#endif
}

/* Up to this many bytes, no ASCII fast path. */
#define SHORT 32

#define STEP(k) st = dfa_row[p[i + (k)]] >> (st & 63)

v_status v_text_utf8_validate_scalar(const unsigned char *p, size_t len,
                                     size_t *bad_offset)
{
    size_t i = 0;
    size_t resume = 0; /* a sequence start at or before any open sequence */
    uint64_t st = S_ACC;

    if (len <= SHORT) {
        /* Short strings (keys, names, words): the DFA alone. The ASCII
         * tests would cost more in branches than they skip. */
        for (; len - i >= 4; i += 4) {
            STEP(0); STEP(1); STEP(2); STEP(3);
        }
        for (; i < len; i++)
            STEP(0);
        if ((st & 63) == S_ACC)
            return V_OK;
        return v_text_utf8_validate_slow(p, len, 0, bad_offset);
    }
    while (i < len) {
        if ((st & 63) == S_ACC) {
            resume = i;
            /* ASCII run: 32 bytes per test, then 8. */
            while (len - i >= 32) {
                uint64_t m = (load64(p + i) | load64(p + i + 8) |
                              load64(p + i + 16) | load64(p + i + 24)) &
                             HIGH_BITS;
                if (m)
                    break;
                i += 32;
            }
            while (len - i >= 8) {
                uint64_t m = load64(p + i) & HIGH_BITS;
                if (m) {
                    i += ascii_prefix(m);
                    break;
                }
                i += 8;
            }
            resume = i;
        }
        if (len - i >= 16) {
            STEP(0); STEP(1); STEP(2); STEP(3);
            STEP(4); STEP(5); STEP(6); STEP(7);
            STEP(8); STEP(9); STEP(10); STEP(11);
            STEP(12); STEP(13); STEP(14); STEP(15);
            i += 16;
        } else {
            while (i < len) {
                STEP(0);
                i++;
            }
        }
        if ((st & 63) == S_ERR)
            break;
    }
    if ((st & 63) == S_ACC)
        return V_OK;
    /* Bad or truncated somewhere after `resume`: find exactly where. */
    return v_text_utf8_validate_slow(p, len, resume, bad_offset);
}

/* SSE2 when compiled for it (utf8_validate_sse2.c), this file otherwise. */
v_status v_utf8_validate(const void *bytes, size_t len, size_t *bad_offset)
{
#if V_TEXT_UTF8_SSE2
    return v_text_utf8_validate_sse2(bytes, len, bad_offset);
#else
    return v_text_utf8_validate_scalar(bytes, len, bad_offset);
#endif
}
