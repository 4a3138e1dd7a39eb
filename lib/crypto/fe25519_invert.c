/* Inversion in GF(2^255 - 19) by constant-time "divsteps" (Bernstein and
 * Yang, "Fast constant-time gcd computation and modular inversion", 2019),
 * in the delta = 1/2 variant, for which 590 steps always suffice for
 * 256-bit inputs. Fermat's z^(p - 2) takes 254 squarings and 11
 * multiplications, a tenth of an X25519 and a fifth of a signature; this
 * takes about a third of that time.
 *
 * The idea: run the binary-gcd-like step
 *     if delta > 0 and g odd:  delta, f, g = 1 - delta, g, (g - f) / 2
 *     else:                    delta, f, g = 1 + delta, f, (g + (g&1) f) / 2
 * from f = p, g = x. It ends with g = 0 and f = +-1. Alongside, d and e
 * with d x = f and e x = g (mod p) follow the same linear maps, so at the
 * end x^-1 = f d. The steps are done 59 at a time on the low 64 bits of f
 * and g only, giving a 2x2 matrix that is then applied to the full f, g,
 * d, e.
 *
 * Numbers are five signed 62-bit limbs (value = sum v[i] 2^(62 i)); for
 * f and g, limbs 0-3 are kept in [0, 2^62) and limb 4 carries the sign.
 *
 * Constant time: 10 batches of 59 steps, always; every choice is a mask.
 * Bounds: the matrix entries satisfy |u| + |v| <= 2^62 and |q| + |r| <=
 * 2^62 (8 = 2^3, doubled or summed 59 times). |f|, |g| <= p throughout. Each batch maps |d|, |e|
 * < B to below B + p/2 (the added multiple of p is at most 2^61 p, then
 * everything is divided by 2^62), so after 10 batches |d| < 6p < 2^258:
 * every 128-bit sum below stays under 2^126. */
#include "fe25519.h"

typedef __int128 i128;

#define M62 (((uint64_t)1 << 62) - 1)

/* p = 2^255 - 19 in signed 62-bit limbs, and p^-1 mod 2^62. */
static const int64_t P62[5] = {(int64_t)(M62 - 18), (int64_t)M62,
                               (int64_t)M62, (int64_t)M62, 127};
#define PINV62 ((uint64_t)0x39435e50d79435e5)

typedef struct matrix {
    int64_t u, v, q, r;
} matrix;

/* 59 divsteps on the low bits of f and g (59 steps look at 59 bits).
 * theta is delta - 1/2 (an integer: delta > 0 exactly when theta >= 0).
 * Returns the new theta; t maps (f, g) to (2^62 f', 2^62 g'): the matrix
 * starts at 8 I so that ten batches (590 steps) always divide by 2^62.
 *
 * Per step, with odd = (g odd) and sw = (theta >= 0 and g odd):
 *     g' = (g + (sw ? -f : f) & odd) / 2,  f' = sw ? g : f,
 * and the rows of the matrix the same way (the f row doubles instead of
 * halving the g row). Written so each step's chain of dependent
 * operations is short: this loop is most of the inversion's time. */
static int64_t divsteps59(int64_t theta, uint64_t f, uint64_t g, matrix *t)
{
    uint64_t u = 8, v = 0, q = 0, r = 8;
    for (int i = 0; i < 59; i++) {
        uint64_t odd = 0 - (g & 1);
        uint64_t sw = v_ct_barrier64(~(uint64_t)(theta >> 63) & odd);
        uint64_t fs = (f ^ sw) - sw, us = (u ^ sw) - sw, vs = (v ^ sw) - sw;
        uint64_t nf = f ^ ((f ^ g) & sw), nu = u ^ ((u ^ q) & sw),
                 nv = v ^ ((v ^ r) & sw);
        g = (g + (fs & odd)) >> 1;
        q += us & odd;
        r += vs & odd;
        f = nf;
        u = nu << 1;
        v = nv << 1;
        /* theta = sw ? -theta : theta + 1 */
        theta = (int64_t)(((uint64_t)theta ^ sw) - sw) + (int64_t)(~sw & 1);
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return theta;
}

/* (f, g) = t (f, g) / 2^62, exactly (the low 62 bits cancel). */
static void update_fg(int64_t f[5], int64_t g[5], const matrix *t)
{
    i128 cf = (i128)t->u * f[0] + (i128)t->v * g[0];
    i128 cg = (i128)t->q * f[0] + (i128)t->r * g[0];
    cf >>= 62;
    cg >>= 62;
    for (int i = 1; i < 5; i++) {
        cf += (i128)t->u * f[i] + (i128)t->v * g[i];
        cg += (i128)t->q * f[i] + (i128)t->r * g[i];
        f[i - 1] = (int64_t)((uint64_t)cf & M62);
        g[i - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f[4] = (int64_t)cf;
    g[4] = (int64_t)cg;
}

/* The 62-bit two's-complement value m as a signed number in
 * [-2^61, 2^61). */
static int64_t signed62(uint64_t m)
{
    return (int64_t)(m << 2) >> 2;
}

/* (d, e) = t (d, e) / 2^62 mod p: before dividing, add the multiple of p
 * that clears the low 62 bits. */
static void update_de(int64_t d[5], int64_t e[5], const matrix *t)
{
    i128 cd = (i128)t->u * d[0] + (i128)t->v * e[0];
    i128 ce = (i128)t->q * d[0] + (i128)t->r * e[0];
    int64_t md = signed62(0 - (uint64_t)cd * PINV62);
    int64_t me = signed62(0 - (uint64_t)ce * PINV62);
    cd += (i128)md * P62[0];
    ce += (i128)me * P62[0];
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < 5; i++) {
        cd += (i128)t->u * d[i] + (i128)t->v * e[i] + (i128)md * P62[i];
        ce += (i128)t->q * d[i] + (i128)t->r * e[i] + (i128)me * P62[i];
        d[i - 1] = (int64_t)((uint64_t)cd & M62);
        e[i - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62;
        ce >>= 62;
    }
    d[4] = (int64_t)cd;
    e[4] = (int64_t)ce;
}

void fe_invert(fe *out, const fe *z)
{
    uint8_t s[32];
    fe_tobytes(s, z);
    uint64_t w0 = v_load64_le(s), w1 = v_load64_le(s + 8),
             w2 = v_load64_le(s + 16), w3 = v_load64_le(s + 24);
    int64_t f[5], g[5], d[5] = {0, 0, 0, 0, 0}, e[5] = {1, 0, 0, 0, 0};
    for (int i = 0; i < 5; i++)
        f[i] = P62[i];
    g[0] = (int64_t)(w0 & M62);
    g[1] = (int64_t)((w0 >> 62 | w1 << 2) & M62);
    g[2] = (int64_t)((w1 >> 60 | w2 << 4) & M62);
    g[3] = (int64_t)((w2 >> 58 | w3 << 6) & M62);
    g[4] = (int64_t)(w3 >> 56);

    int64_t theta = 0;
    matrix t;
    for (int i = 0; i < 10; i++) {
        theta = divsteps59(theta, (uint64_t)f[0], (uint64_t)g[0], &t);
        update_fg(f, g, &t);
        update_de(d, e, &t);
    }

    /* f = +-1 now (or p, when x = 0, and then d = 0): x^-1 = f d. Make
     * it positive by adding 8p (|d| < 6p), then carry limbs 0-3 into
     * [0, 2^62). */
    uint64_t neg = (uint64_t)(f[4] >> 63);
    int64_t r[5];
    i128 c = 0;
    for (int i = 0; i < 5; i++) {
        c += (i128)(int64_t)(((uint64_t)d[i] ^ neg) - neg) +
             (i128)8 * P62[i];
        r[i] = i < 4 ? (int64_t)((uint64_t)c & M62) : (int64_t)c;
        c >>= 62;
    }
    /* To 51-bit limbs; limb 4 takes bits 204 and up (below 2^56), which
     * the carry folds back times 19. */
    uint64_t r0 = (uint64_t)r[0], r1 = (uint64_t)r[1], r2 = (uint64_t)r[2],
             r3 = (uint64_t)r[3], r4 = (uint64_t)r[4];
    out->v[0] = r0 & FE_MASK51;
    out->v[1] = (r0 >> 51 | r1 << 11) & FE_MASK51;
    out->v[2] = (r1 >> 40 | r2 << 22) & FE_MASK51;
    out->v[3] = (r2 >> 29 | r3 << 33) & FE_MASK51;
    out->v[4] = r3 >> 18 | r4 << 44;
    fe_carry(out);

    fe_wipe(s, sizeof s);
    fe_wipe(f, sizeof f);
    fe_wipe(g, sizeof g);
    fe_wipe(d, sizeof d);
    fe_wipe(e, sizeof e);
    fe_wipe(r, sizeof r);
    fe_wipe(&t, sizeof t);
}
