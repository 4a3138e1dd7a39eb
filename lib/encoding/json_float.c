/* JSON number text to a correctly rounded double.
 *
 * Three paths, all exact:
 * - fast: at most 19 significant digits forming an integer w <= 2^53 and
 *   a decimal scale that exact powers of ten cover; then one IEEE
 *   multiplication or division of exact operands rounds once, correctly
 *   (Clinger). Needs arithmetic without excess precision.
 * - extended: up to 19 digits and scales up to 10^27 in x86's 80-bit
 *   long double, when its one rounding provably gives the double's
 *   (extended_path).
 * - slow: the value as a fraction N/D of big integers; 54 quotient bits
 *   by long division, the remainder as the sticky bit, round half to even
 *   by hand, and the double assembled from its bits. No floating-point
 *   arithmetic at all.
 * Digits beyond the 780th only ever matter as "something non-zero
 * follows" (a halfway point between two doubles has at most 767
 * significant digits), so they are replaced by one sticky digit; that
 * bounds every big integer below 2^3800. */
#include <v/encoding.h>
#include "bigint.h"
#include "internal.h"

#define MAX_DIGITS 780
#define TWO_POW_53 ((uint64_t)1 << 53)

/* 10^0 .. 10^22 are exact doubles (5^22 < 2^53). */
static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The digits of the integer and fraction parts as one sequence. */
static char digit_at(const v_enc_number *p, size_t i)
{
    return i < p->int_len ? p->int_digits[i] : p->frac_digits[i - p->int_len];
}

static double from_bits(uint64_t bits)
{
    union { uint64_t u; double d; } pun = {bits};
    return pun.d;
}

/* Clinger's fast path; false when it does not apply. */
static bool fast_path(uint64_t w, int64_t e10, double *out)
{
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0
    if (w > TWO_POW_53)
        return false;
    /* Move exact powers into w while it stays an exact double. */
    while (e10 > 22 && e10 <= 22 + 16 && w <= TWO_POW_53 / 10) {
        w *= 10;
        e10--;
    }
    if (e10 < -22 || e10 > 22)
        return false;
    double d = (double)w;
    *out = e10 < 0 ? d / exact_pow10[-e10] : d * exact_pow10[e10];
    return true;
#else
    (void)w, (void)e10, (void)out;
    return false;
#endif
}

/* The second fast path, for up to 19 digits (w < 2^64) and scales up to
 * 10^27, where x86's 80-bit long double holds both operands exactly
 * (5^27 < 2^64): one extended-precision operation rounds the exact
 * result once, to 64 bits. Rounding that to the double's 53 bits again
 * gives the correctly rounded double unless the 64-bit result lies
 * exactly on a midpoint between two doubles (the 11 dropped bits are
 * 10000000000): any other midpoint the exact value lay beyond would have
 * been a nearer 64-bit value. In that one case, false: the slow path
 * decides. Needs the x87 unit in its default 64-bit precision. */
static bool extended_path(uint64_t w, int64_t e10, double *out)
{
#if defined(__x86_64__) && defined(__LDBL_MANT_DIG__) && __LDBL_MANT_DIG__ == 64
    static const long double pow10_ld[28] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
    };
    if (e10 < -27 || e10 > 27)
        return false;
    long double x = (long double)w;
    x = e10 < 0 ? x / pow10_ld[-e10] : x * pow10_ld[e10];
    union { long double ld; uint64_t m; } pun;
    pun.ld = x; /* the explicit 64-bit significand comes first */
    if ((pun.m & 0x7ff) == 0x400)
        return false;
    *out = (double)x;
    return true;
#else
    (void)w, (void)e10, (void)out;
    return false;
#endif
}

/* digits[first..first+nd) (plus a sticky 1 when `sticky`) times 10^e10,
 * as IEEE double bits (without the sign). V_ERR_OUT_OF_RANGE above the
 * largest double. */
static v_status slow_path(const v_enc_number *p, size_t first, size_t nd,
                          bool sticky, int64_t e10, uint64_t *bits)
{
    v_enc_big n, d, bs;
    v_enc_big_set(&n, 0);
    for (size_t i = 0; i < nd;) {
        /* Nine digits per step. */
        uint32_t chunk = 0, scale = 1;
        for (size_t k = 0; k < 9 && i < nd; k++, i++) {
            chunk = chunk * 10 + (uint32_t)(digit_at(p, first + i) - '0');
            scale *= 10;
        }
        if (!v_enc_big_mul_add(&n, scale, chunk))
            return V_ERR_NOT_SUPPORTED; /* unreachable: bounded above */
    }
    if (sticky && !v_enc_big_mul_add(&n, 10, 1))
        return V_ERR_NOT_SUPPORTED;
    v_enc_big_set(&d, 1);
    bool ok = e10 >= 0 ? v_enc_big_mul_pow10(&n, (uint32_t)e10)
                       : v_enc_big_mul_pow10(&d, (uint32_t)-e10);
    if (!ok)
        return V_ERR_NOT_SUPPORTED;
    /* Pick k so that q = floor(n / (d * 2^k)) has exactly 54 bits. */
    v_enc_big a = n, b = d;
    int64_t k = (int64_t)v_enc_big_bits(&a) - (int64_t)v_enc_big_bits(&b) - 54;
    if (!(k >= 0 ? v_enc_big_shl(&b, (size_t)k) : v_enc_big_shl(&a, (size_t)-k)))
        return V_ERR_NOT_SUPPORTED;
    bs = b;
    if (!v_enc_big_shl(&bs, 54))
        return V_ERR_NOT_SUPPORTED;
    if (v_enc_big_cmp(&a, &bs) >= 0) {
        if (!v_enc_big_shl(&b, 1))
            return V_ERR_NOT_SUPPORTED;
        k++;
    }
    /* Below the normal range the quotient keeps fewer bits: fix the
     * scale at that of the smallest subnormal's half. */
    if (k < -1075) {
        a = n;
        b = d;
        k = -1075;
        if (!v_enc_big_shl(&a, 1075))
            return V_ERR_NOT_SUPPORTED;
    }
    bs = b;
    if (!v_enc_big_shl(&bs, 53))
        return V_ERR_NOT_SUPPORTED;
    uint64_t q = 0;
    for (int bit = 53; bit >= 0; bit--) {
        if (v_enc_big_cmp(&a, &bs) >= 0) {
            v_enc_big_sub(&a, &bs);
            q |= (uint64_t)1 << bit;
        }
        v_enc_big_shr1(&bs);
    }
    /* value = q * 2^k + rest; the double is m * 2^(k+1). */
    uint64_t m = q >> 1;
    bool half = q & 1, rest = a.n != 0;
    if (half && (rest || (m & 1)))
        m++;
    if (m == TWO_POW_53) {
        m >>= 1;
        k++;
    }
    if (m < TWO_POW_53 / 2) { /* subnormal (or zero): exponent field 0 */
        *bits = m;
        return V_OK;
    }
    int64_t e = k + 1 + 52; /* unbiased exponent of m * 2^(k+1) */
    if (e > 1023)
        return V_ERR_OUT_OF_RANGE;
    *bits = (uint64_t)(e + 1023) << 52 | (m - TWO_POW_53 / 2);
    return V_OK;
}

v_status v_json_number_to_f64(const char *text, size_t len, double *out)
{
    v_enc_number p;
    v_status s = v_enc_json_split(text, len, &p);
    if (s != V_OK)
        return s;
    size_t total = p.int_len + p.frac_len, first = 0, last = total;
    while (first < total && digit_at(&p, first) == '0')
        first++;
    if (first == total) {
        *out = p.neg ? -0.0 : 0.0;
        return V_OK;
    }
    while (digit_at(&p, last - 1) == '0')
        last--;
    /* Saturate the exponent at a bound so far beyond the digit count
     * that the result is decided (overflow or zero) either way. */
    int64_t cap = len < ((size_t)1 << 60) ? (int64_t)len + 1000 : (int64_t)1 << 61;
    int64_t exp = 0;
    for (size_t k = 0; k < p.exp_len && exp <= cap; k++)
        exp = exp * 10 + (p.exp_digits[k] - '0');
    if (p.exp_neg)
        exp = -exp;
    /* value = digits[first..last) * 10^e10 */
    size_t nd = last - first;
    int64_t e10 = (int64_t)p.int_len - (int64_t)last + exp;
    bool sticky = false;
    if (nd > MAX_DIGITS) {
        e10 += (int64_t)(nd - MAX_DIGITS) - 1;
        nd = MAX_DIGITS;
        sticky = true; /* digits[last-1] is non-zero */
    }
    int64_t magnitude = (int64_t)(nd + sticky) + e10; /* value < 10^this */
    if (magnitude > 310)
        return V_ERR_OUT_OF_RANGE;
    uint64_t bits = 0;
    if (magnitude < -324) {
        bits = 0; /* below half the smallest subnormal: rounds to zero */
    } else {
        if (nd <= 19 && !sticky) {
            uint64_t w = 0;
            for (size_t i = first; i < last; i++)
                w = w * 10 + (uint64_t)(digit_at(&p, i) - '0');
            double d;
            if (fast_path(w, e10, &d) || extended_path(w, e10, &d)) {
                *out = p.neg ? -d : d;
                return V_OK;
            }
        }
        s = slow_path(&p, first, nd, sticky, e10, &bits);
        if (s != V_OK)
            return s;
    }
    double d = from_bits(bits);
    *out = p.neg ? -d : d;
    return V_OK;
}
