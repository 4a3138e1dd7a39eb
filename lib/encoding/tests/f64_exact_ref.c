/* The exact shortest-double method that v_json_format_f64 used before
 * the Ryu-style one (f64_shortest.c), kept as the tests' reference:
 * obviously correct rather than fast. The first 17 digits of the double
 * and the sign of the rest against a half come from one exact
 * big-integer division; from them the n-digit decimal nearest the double
 * (ties to even) follows for any n, and is read back with the correctly
 * rounded parser. The least n that reads back is the answer (binary
 * search: reading back is monotonic in n). Because the rounding
 * interval is lopsided at powers of two, the neighbours of the nearest
 * candidate are tried as well. 17 digits always suffice. */
#include <v/encoding.h>

#include "../bigint.h"
#include "f64_exact_ref.h"

static const uint64_t pow10_u64[18] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
    10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
    100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull,
    100000000000000000ull,
};

/* The value as a fraction a/b. */
typedef struct fraction {
    v_enc_big a, b;
} fraction;

/* 1 if a/b >= 10^e, 0 if not, -1 if a big integer overflowed (cannot
 * happen for doubles). */
static int at_least_pow10(const fraction *f, int e)
{
    v_enc_big x = f->a, y = f->b;
    if (!(e >= 0 ? v_enc_big_mul_pow10(&y, (uint32_t)e)
                 : v_enc_big_mul_pow10(&x, (uint32_t)-e)))
        return -1;
    return v_enc_big_cmp(&x, &y) >= 0;
}

/* The first 17 significant digits of the value, exactly: q = floor(v *
 * 10^(16-e10)) (in [10^16, 10^17) when e10 = floor(log10 v)), and how
 * the rest compares: rest_nonzero, and half = sign of (rest - 1/2).
 * false if a big integer overflowed (cannot happen for doubles). */
typedef struct digits17 {
    uint64_t q;
    bool rest_nonzero;
    int half;
} digits17;

static bool exact_digits(const fraction *f, int e10, digits17 *out)
{
    v_enc_big num = f->a, den = f->b, dens;
    int s = 16 - e10;
    if (!(s >= 0 ? v_enc_big_mul_pow10(&num, (uint32_t)s)
                 : v_enc_big_mul_pow10(&den, (uint32_t)-s)))
        return false;
    /* The quotient is below 10^17 < 2^57. */
    dens = den;
    if (!v_enc_big_shl(&dens, 57))
        return false;
    uint64_t q = 0;
    for (int bit = 57; bit >= 0; bit--) {
        if (v_enc_big_cmp(&num, &dens) >= 0) {
            v_enc_big_sub(&num, &dens);
            q |= (uint64_t)1 << bit;
        }
        v_enc_big_shr1(&dens);
    }
    out->q = q;
    out->rest_nonzero = num.n != 0;
    /* Compare twice the remainder with the divisor. */
    if (!v_enc_big_shl(&num, 1))
        return false;
    out->half = v_enc_big_cmp(&num, &den);
    return true;
}

/* The nd-digit decimal nearest the value (ties to even), from its exact
 * first 17 digits: whatever lies beyond digit nd is the integer tail of
 * q plus a rest known only by its sign against a half, which is all
 * rounding needs. */
static uint64_t nearest(const digits17 *x, int nd)
{
    uint64_t t = pow10_u64[17 - nd], d = x->q / t, tail = x->q % t;
    bool up;
    if (nd == 17) {
        up = x->half > 0 || (x->half == 0 && (d & 1));
    } else {
        uint64_t half = t / 2;
        up = tail > half || (tail == half && (x->rest_nonzero || (d & 1)));
    }
    return d + up;
}

/* Whether digits d (nd of them, first at 10^e10) read back as bits. */
static bool reads_back(uint64_t d, int nd, int e10, uint64_t bits)
{
    char buf[40];
    size_t n = 0;
    char tmp[20];
    size_t t = 0;
    do {
        tmp[t++] = (char)('0' + d % 10);
        d /= 10;
    } while (d);
    while (t)
        buf[n++] = tmp[--t];
    int e = e10 - nd + 1;
    buf[n++] = 'e';
    if (e < 0) {
        buf[n++] = '-';
        e = -e;
    }
    t = 0;
    do {
        tmp[t++] = (char)('0' + e % 10);
        e /= 10;
    } while (e);
    while (t)
        buf[n++] = tmp[--t];
    double back;
    if (v_json_number_to_f64(buf, n, &back) != V_OK)
        return false;
    union { double d; uint64_t u; } pun = {back};
    return pun.u == bits;
}

/* An nd-digit decimal (digits *d, first at 10^*e) that reads back as
 * bits: the nearest one, or failing that one of its neighbours, which
 * can be inside the rounding interval when that is lopsided. */
static bool candidate(const digits17 *x, int e10, int nd, uint64_t bits,
                      uint64_t *d_out, int *e_out)
{
    uint64_t d = nearest(x, nd);
    int e = e10;
    if (d == pow10_u64[nd]) { /* rounded up to one more digit */
        d = pow10_u64[nd - 1];
        e++;
    }
    *e_out = e;
    if (reads_back(d, nd, e, bits)) {
        *d_out = d;
        return true;
    }
    if (d + 1 < pow10_u64[nd] && reads_back(d + 1, nd, e, bits)) {
        *d_out = d + 1;
        return true;
    }
    if (d - 1 >= pow10_u64[nd - 1] && reads_back(d - 1, nd, e, bits)) {
        *d_out = d - 1;
        return true;
    }
    return false;
}

bool f64_exact_ref(uint64_t bits, uint64_t *digits, int *e10_out)
{
    unsigned ef = (unsigned)(bits >> 52);
    uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
    uint64_t m = ef ? frac | (uint64_t)1 << 52 : frac;
    int q2 = ef ? (int)ef - 1075 : -1074;
    fraction f;
    f.a.w[0] = (uint32_t)m;
    f.a.w[1] = (uint32_t)(m >> 32);
    f.a.n = f.a.w[1] ? 2 : 1;
    v_enc_big_set(&f.b, 1);
    if (!(q2 >= 0 ? v_enc_big_shl(&f.a, (size_t)q2)
                  : v_enc_big_shl(&f.b, (size_t)-q2)))
        return false;
    int l2 = (int)(63 - __builtin_clzll(m)) + q2;
    int e10 = l2 * 30103 / 100000;
    int c;
    while ((c = at_least_pow10(&f, e10 + 1)) > 0)
        e10++;
    while (c >= 0 && (c = at_least_pow10(&f, e10)) == 0)
        e10--;
    if (c < 0)
        return false;
    digits17 x;
    if (!exact_digits(&f, e10, &x))
        return false;
    uint64_t d;
    int e, lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (candidate(&x, e10, mid, bits, &d, &e))
            hi = mid;
        else
            lo = mid + 1;
    }
    if (!candidate(&x, e10, lo, bits, &d, &e))
        return false;
    /* d has lo digits, the first at 10^e. */
    int last = e - lo + 1;
    while (d % 10 == 0) {
        d /= 10;
        last++;
    }
    *digits = d;
    *e10_out = last;
    return true;
}
