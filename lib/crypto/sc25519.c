/* Scalar arithmetic mod L for Ed25519.
 *
 * Reduction takes the input 16 bits at a time from the top: with r < L,
 * r' = 2^16 r + digit < 2^269; the quotient estimate q = floor(r' / 2^252)
 * (below 2^17, so q L[k] fits easily in 64 bits) is at most one too big,
 * because L exceeds 2^252 by less than 2^125 and r' 2^125 / 2^504 < 1.
 * So r' - q L lies in (-L, L) and one masked addition of L finishes the
 * step. Every step does the same work whatever the value, so time does not
 * depend on secrets. (Byte steps, as first written, cost a fifth of a
 * signature; 16-bit steps halve that.) */
#include "sc25519.h"

#include <v/mem.h>

#include "bytes.h"

/* L in 32-bit limbs, with a ninth zero limb for the 288-bit working r. */
static const uint32_t L[9] = {
    0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
    0x00000000, 0x00000000, 0x00000000, 0x10000000, 0,
};

/* Reduces an n-byte little-endian number (n even). */
static void reduce(uint8_t out[32], const uint8_t *in, int n)
{
    uint32_t r[9] = {0};
    for (int i = n - 2; i >= 0; i -= 2) {
        for (int k = 8; k > 0; k--)
            r[k] = r[k] << 16 | r[k - 1] >> 16;
        r[0] = r[0] << 16 | (uint32_t)in[i + 1] << 8 | in[i];
        uint64_t q = (r[7] >> 28) | (uint64_t)r[8] << 4; /* r >> 252 */
        /* r -= q L, limb by limb with a borrow. */
        uint64_t borrow = 0;
        for (int k = 0; k < 9; k++) {
            uint64_t sub = q * L[k] + borrow;
            uint64_t v = (uint64_t)r[k] - (uint32_t)sub;
            r[k] = (uint32_t)v;
            borrow = (sub >> 32) + ((v >> 32) & 1);
        }
        /* A borrow out means r went negative (by less than L): add L. */
        uint32_t add = v_ct_barrier32((uint32_t)0 - (uint32_t)(borrow != 0));
        uint64_t carry = 0;
        for (int k = 0; k < 9; k++) {
            carry += (uint64_t)r[k] + (L[k] & add);
            r[k] = (uint32_t)carry;
            carry >>= 32;
        }
    }
    for (int i = 0; i < 8; i++)
        v_store32_le(out + 4 * i, r[i]);
    v_mem_wipe(r, sizeof r);
}

void sc_reduce64(uint8_t out[32], const uint8_t in[64])
{
    reduce(out, in, 64);
}

void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
               const uint8_t c[32])
{
    uint32_t x[8], y[8];
    uint64_t acc[17] = {0};
    for (int i = 0; i < 8; i++) {
        x[i] = v_load32_le(a + 4 * i);
        y[i] = v_load32_le(b + 4 * i);
    }
    /* Schoolbook product in 32-bit columns; each column sum is carried
     * as it goes so no accumulator overflows. */
    uint8_t wide[68];
    for (int i = 0; i < 8; i++)
        acc[i] = v_load32_le(c + 4 * i);
    for (int i = 0; i < 8; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t lo = acc[i + j] + (uint64_t)x[i] * y[j] + carry;
            /* x*y < 2^64 - 2^33 + 1, acc < 2^32 and carry < 2^32, so the
             * sum fits in 64 bits. */
            acc[i + j] = lo & 0xffffffff;
            carry = lo >> 32;
        }
        acc[i + 8] += carry;
    }
    for (int i = 0; i < 17; i++)
        v_store32_le(wide + 4 * i, (uint32_t)acc[i]);
    reduce(out, wide, 64); /* a, b, c < 2^256, so a*b + c < 2^512 */
    v_mem_wipe(x, sizeof x);
    v_mem_wipe(y, sizeof y);
    v_mem_wipe(acc, sizeof acc);
    v_mem_wipe(wide, sizeof wide);
}

int sc_is_canonical(const uint8_t s[32])
{
    for (int i = 7; i >= 0; i--) {
        uint32_t w = v_load32_le(s + 4 * i);
        if (w < L[i])
            return 1;
        if (w > L[i])
            return 0;
    }
    return 0; /* s == L */
}
