/* Shortest round-trip digits of a double, by Ulf Adams' Ryu method
 * (PLDI 2018), written from the paper's description.
 *
 * A double is m2 * 2^e2. The decimals that read back as it are those
 * strictly inside (or, for even m2, also on the edges of) the interval
 * between the midpoints to its neighbours, whose ends are (4*m2 - 1 -
 * mm_shift) and (4*m2 + 2) in units of 2^(e2-2) (mm_shift: the lower
 * neighbour is half as far at a power of two). All three points are
 * scaled by one power of ten at once, multiplying by a 125-bit
 * approximation of 5^±q and shifting, which the paper proves exact
 * enough to give floor() of each scaled point: vm, vr, vp. Digits are
 * then dropped from all three while vp and vm still differ above the
 * dropped digit, which leaves the shortest decimal in the interval; vr's
 * dropped digits say which way to round it. The exact edge and tie cases
 * need to know whether the dropped parts were all zero (vm_tz, vr_tz),
 * which is decided by divisibility of the unscaled points by 5^q or 2^q.
 *
 * Cross-checked against the exact big-integer method it replaced
 * (lib/encoding/tests/f64_exact_ref.c) on random and boundary doubles. */
#include "f64_shortest.h"

#include <stdbool.h>

#define POW5_BITS 125     /* bits kept of each power of five */
#define POW5_INV_BITS 125

__extension__ typedef unsigned __int128 u128;

/* ceil(log2(5^e)) for 1 <= e <= 3528; 1 for e = 0. */
static int32_t pow5bits(int32_t e)
{
    return (int32_t)(((uint32_t)e * 1217359u) >> 19) + 1;
}

/* floor(log10(2^e)) for 0 <= e <= 1650. */
static uint32_t log10pow2(int32_t e)
{
    return ((uint32_t)e * 78913u) >> 18;
}

/* floor(log10(5^e)) for 0 <= e <= 2620. */
static uint32_t log10pow5(int32_t e)
{
    return ((uint32_t)e * 732923u) >> 20;
}

static bool multiple_of_pow5(uint64_t v, uint32_t p)
{
    uint32_t count = 0;
    while (v % 5 == 0 && count < p) { /* v > 0 here */
        v /= 5;
        count++;
    }
    return count >= p;
}

static bool multiple_of_pow2(uint64_t v, uint32_t p)
{
    return (v & (((uint64_t)1 << p) - 1)) == 0;
}

/* floor(m * mul / 2^j) for a 128-bit mul and 64 < j < 192. */
static uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int32_t j)
{
    u128 lo = (u128)m * mul[0], hi = (u128)m * mul[1];
    return (uint64_t)(((lo >> 64) + hi) >> (j - 64));
}

void v_enc_f64_shortest(uint64_t bits, uint64_t *digits, int *e10_out)
{
    uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
    uint32_t ef = (uint32_t)(bits >> 52) & 0x7ff;
    int32_t e2;
    uint64_t m2;
    if (ef == 0) { /* subnormal */
        e2 = 1 - 1023 - 52 - 2;
        m2 = frac;
    } else {
        e2 = (int32_t)ef - 1023 - 52 - 2;
        m2 = (uint64_t)1 << 52 | frac;
    }
    bool accept_edges = (m2 & 1) == 0; /* reading back rounds to even */
    uint64_t mv = 4 * m2;
    uint32_t mm_shift = frac != 0 || ef <= 1;
    uint64_t vr, vp, vm;
    int32_t e10;
    bool vm_tz = false, vr_tz = false;
    if (e2 >= 0) {
        /* Scale down by 10^q: multiply by 2^k / 5^q, shift by e2 less. */
        uint32_t q = log10pow2(e2) - (e2 > 3);
        int32_t k = POW5_INV_BITS + pow5bits((int32_t)q) - 1;
        int32_t i = -e2 + (int32_t)q + k;
        e10 = (int32_t)q;
        vr = mul_shift(mv, v_enc_pow5_inv[q], i);
        vp = mul_shift(mv + 2, v_enc_pow5_inv[q], i);
        vm = mul_shift(mv - 1 - mm_shift, v_enc_pow5_inv[q], i);
        if (q <= 21) {
            /* Only then can one of the points be a multiple of 10^q
             * (5^22 > 4 * 2^53); exactly one of them at most. */
            if (mv % 5 == 0)
                vr_tz = multiple_of_pow5(mv, q);
            else if (accept_edges)
                vm_tz = multiple_of_pow5(mv - 1 - mm_shift, q);
            else
                vp -= multiple_of_pow5(mv + 2, q); /* exclude the edge */
        }
    } else {
        /* Scale up by 10^-e2 / 2^-e2 = 5^-e2 ... in two parts: 5^i
         * times 2^(q - k) with i = -e2 - q. */
        uint32_t q = log10pow5(-e2) - (-e2 > 1);
        int32_t i = -e2 - (int32_t)q;
        int32_t k = pow5bits(i) - POW5_BITS;
        int32_t j = (int32_t)q - k;
        e10 = (int32_t)q + e2;
        vr = mul_shift(mv, v_enc_pow5[i], j);
        vp = mul_shift(mv + 2, v_enc_pow5[i], j);
        vm = mul_shift(mv - 1 - mm_shift, v_enc_pow5[i], j);
        if (q <= 1) {
            /* mv has two trailing zero bits, mv + 2 one, and mv - 1 -
             * mm_shift one exactly when mm_shift is 1. */
            vr_tz = true;
            if (accept_edges)
                vm_tz = mm_shift == 1;
            else
                vp--;
        } else if (q < 63) {
            vr_tz = multiple_of_pow2(mv, q);
        }
    }

    int32_t removed = 0;
    unsigned last = 0; /* the last digit dropped from vr */
    uint64_t out;
    if (vm_tz || vr_tz) {
        /* The rare exact cases: track whether everything dropped from vm
         * and vr was zero. */
        while (vp / 10 > vm / 10) {
            vm_tz &= vm % 10 == 0;
            vr_tz &= last == 0;
            last = (unsigned)(vr % 10);
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        if (vm_tz) {
            /* vm itself is inside: drop its zeros too. */
            while (vm % 10 == 0) {
                vr_tz &= last == 0;
                last = (unsigned)(vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
        }
        if (vr_tz && last == 5 && vr % 2 == 0)
            last = 4; /* an exact tie: round to even */
        out = vr + ((vr == vm && (!accept_edges || !vm_tz)) || last >= 5);
    } else {
        bool up = false;
        while (vp / 10 > vm / 10) {
            up = vr % 10 >= 5;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }
        out = vr + (vr == vm || up);
    }
    int e = e10 + removed;
    while (out % 10 == 0) {
        out /= 10;
        e++;
    }
    *digits = out;
    *e10_out = e;
}
