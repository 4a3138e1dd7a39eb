/* Doubles to JSON text: the shortest decimal that reads back as the same
 * double, laid out as ECMAScript's Number::toString does (the form RFC
 * 8785 canonical JSON uses), except that -0 keeps its sign. The digits
 * come from f64_shortest.c (Ryu-style: a few 128-bit multiplications);
 * integers below 2^53 are printed directly. */
#include <v/encoding.h>
#include "f64_shortest.h"
#include "internal.h"

/* Lays out digits (k of them, no trailing zeros) with the decimal point
 * after n of them, ECMAScript style. Returns the length written. */
static size_t layout(const char *s, int k, int n, bool neg, char *out)
{
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (k <= n && n <= 21) {
        for (int i = 0; i < k; i++)
            out[o++] = s[i];
        for (int i = k; i < n; i++)
            out[o++] = '0';
    } else if (0 < n && n <= 21) {
        for (int i = 0; i < k; i++) {
            if (i == n)
                out[o++] = '.';
            out[o++] = s[i];
        }
    } else if (-6 < n && n <= 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = n; i < 0; i++)
            out[o++] = '0';
        for (int i = 0; i < k; i++)
            out[o++] = s[i];
    } else {
        out[o++] = s[0];
        if (k > 1) {
            out[o++] = '.';
            for (int i = 1; i < k; i++)
                out[o++] = s[i];
        }
        int e = n - 1;
        out[o++] = 'e';
        out[o++] = e < 0 ? '-' : '+';
        if (e < 0)
            e = -e;
        char tmp[5];
        int t = 0;
        do {
            tmp[t++] = (char)('0' + e % 10);
            e /= 10;
        } while (e);
        while (t)
            out[o++] = tmp[--t];
    }
    return o;
}

v_status v_json_format_f64(double v, char out[V_JSON_F64_MAX], size_t *len)
{
    union { double d; uint64_t u; } pun = {v};
    uint64_t bits = pun.u & ~((uint64_t)1 << 63);
    bool neg = pun.u >> 63;
    unsigned ef = (unsigned)(bits >> 52);
    uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
    if (ef == 0x7ff)
        return V_ERR_INVALID_ARGS; /* NaN or infinity */
    if (bits == 0) {
        *len = layout("0", 1, 1, neg, out);
        return V_OK;
    }
    uint64_t m = ef ? frac | (uint64_t)1 << 52 : frac;
    int q2 = ef ? (int)ef - 1075 : -1074;
    if (q2 <= 0 && q2 > -53 && (m & ((((uint64_t)1) << -q2) - 1)) == 0) {
        /* An integer below 2^53: neighbours are at least 1 away, so its
         * own digits (less trailing zeros) are the shortest. */
        uint64_t iv = m >> -q2;
        char s[17];
        int nd = 0, k;
        for (uint64_t t = iv; t; t /= 10)
            nd++;
        for (int i = nd - 1; i >= 0; i--, iv /= 10)
            s[i] = (char)('0' + iv % 10);
        for (k = nd; s[k - 1] == '0'; k--)
            ;
        *len = layout(s, k, nd, neg, out);
        return V_OK;
    }
    uint64_t d;
    int e;
    v_enc_f64_shortest(bits, &d, &e);
    /* d has no trailing zeros; its last digit is at 10^e. */
    char s[17];
    int k = 0;
    for (uint64_t t = d; t; t /= 10)
        k++;
    for (int i = k - 1; i >= 0; i--, d /= 10)
        s[i] = (char)('0' + d % 10);
    *len = layout(s, k, e + k, neg, out);
    return V_OK;
}
