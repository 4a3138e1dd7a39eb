/* lib/crypto/ge25519.h — points of the Ed25519 curve -x^2 + y^2 =
 * 1 + d x^2 y^2 and the formulas that add and double them. Private to the
 * crypto module; inline, because they are the inner loops.
 *
 * Four forms, as in Hisil-Wong-Carter-Dawson "Twisted Edwards curves
 * revisited" (2008), all complete (no special cases for the identity,
 * doubling or inverses):
 *   ge_p2    (X:Y:Z)      x = X/Z, y = Y/Z: enough to double.
 *   ge_p3    (X:Y:Z:T)    also T = XY/Z: needed to add.
 *   ge_p1p1  (X:Z),(Y:T)  x = X/Z, y = Y/T: what an addition or doubling
 *                         yields before its last multiplications, so a
 *                         caller pays for T only when it will add next.
 *   ge_cached (Y+X, Y-X, Z, 2dT), ge_niels (y+x, y-x, 2dxy) with Z = 1:
 *                         addends prepared once for many additions.
 *
 * Sums and differences skip their carry (fe_add_nc, fe_sub_nc) where the
 * bounds allow: products and table entries have limbs below 2^51 + 2^13,
 * a sum of two below 2^52.1, a difference (f + 4p - g, with g a product)
 * below 2^53.1; every multiplication below multiplies two factors whose
 * limb bounds multiply to under 2^107, inside fe_mul's limit (2^108). The
 * one difference whose subtrahend is itself a difference (T in ge_dbl)
 * takes the carried fe_sub first. */
#ifndef V_CRYPTO_GE25519_H
#define V_CRYPTO_GE25519_H

#include "fe25519.h"

typedef struct ge_p2 {
    fe X, Y, Z;
} ge_p2;

typedef struct ge_p3 {
    fe X, Y, Z, T;
} ge_p3;

typedef struct ge_p1p1 {
    fe X, Y, Z, T;
} ge_p1p1;

typedef struct ge_cached {
    fe ypx, ymx, Z, t2d;
} ge_cached;

/* An affine point as (y + x, y - x, 2 d x y): what mixed addition needs. */
typedef struct ge_niels {
    fe ypx, ymx, xy2d;
} ge_niels;

#define ge_frombytes v_crypto_ge_frombytes
#define ge_tobytes v_crypto_ge_tobytes

/* Strict decoding (RFC 8032 §5.1.3): y must be below p, x must exist, and
 * x = 0 with the sign bit set is refused. For public data only (it
 * returns early). Returns 1 on success, 0 for a bad encoding. */
int ge_frombytes(ge_p3 *p, const uint8_t s[32]);
/* The canonical encoding. Constant time. */
void ge_tobytes(uint8_t s[32], const ge_p2 *p);

/* 2d, d = -121665/121666. */
static const fe GE_D2 = {{0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052,
                          0x6738cc7407977, 0x2406d9dc56dff}};

static inline void ge_p2_identity(ge_p2 *r)
{
    fe_0(&r->X);
    fe_1(&r->Y);
    fe_1(&r->Z);
}

static inline void ge_p3_identity(ge_p3 *r)
{
    fe_0(&r->X);
    fe_1(&r->Y);
    fe_1(&r->Z);
    fe_0(&r->T);
}

FE_INLINE void ge_p1p1_to_p2(ge_p2 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
}

FE_INLINE void ge_p1p1_to_p3(ge_p3 *r, const ge_p1p1 *p)
{
    fe_mul(&r->X, &p->X, &p->T);
    fe_mul(&r->Y, &p->Y, &p->Z);
    fe_mul(&r->Z, &p->Z, &p->T);
    fe_mul(&r->T, &p->X, &p->Y);
}

/* r = 2p (4 squarings). p's limbs must be products' (below 2^51 + 2^13). */
FE_INLINE void ge_dbl(ge_p1p1 *r, const ge_p2 *p)
{
    fe xx, yy, b, a;
    fe_sq(&xx, &p->X);
    fe_sq(&yy, &p->Y);
    fe_sq(&b, &p->Z);
    fe_add_nc(&b, &b, &b);            /* 2 Z^2 */
    fe_add_nc(&a, &p->X, &p->Y);
    fe_sq(&a, &a);                    /* (X + Y)^2 */
    fe_add_nc(&r->Y, &yy, &xx);       /* below 2^52.1 */
    fe_sub(&r->Z, &yy, &xx);          /* carried: T subtracts it */
    fe_sub_nc(&r->X, &a, &r->Y);      /* 2XY */
    fe_sub_nc(&r->T, &b, &r->Z);
}

/* Drops T (a copy: reading a ge_p3 through a ge_p2 pointer would break
 * C's aliasing rules). */
static inline void ge_p3_to_p2(ge_p2 *r, const ge_p3 *p)
{
    r->X = p->X;
    r->Y = p->Y;
    r->Z = p->Z;
}

/* r = p + q (8 multiplications with the conversion to p3 or p2). */
FE_INLINE void ge_add(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q)
{
    fe a, b, c, d;
    fe_add_nc(&a, &p->Y, &p->X);
    fe_mul(&a, &a, &q->ypx);
    fe_sub_nc(&b, &p->Y, &p->X);
    fe_mul(&b, &b, &q->ymx);
    fe_mul(&c, &p->T, &q->t2d);
    fe_mul(&d, &p->Z, &q->Z);
    fe_add_nc(&d, &d, &d);
    fe_sub_nc(&r->X, &a, &b);
    fe_add_nc(&r->Y, &a, &b);
    fe_add_nc(&r->Z, &d, &c);
    fe_sub_nc(&r->T, &d, &c);
}

/* r = p - q: as ge_add with q negated ((x, y) -> (-x, y) swaps Y+X and
 * Y-X and negates T). */
FE_INLINE void ge_sub(ge_p1p1 *r, const ge_p3 *p, const ge_cached *q)
{
    fe a, b, c, d;
    fe_add_nc(&a, &p->Y, &p->X);
    fe_mul(&a, &a, &q->ymx);
    fe_sub_nc(&b, &p->Y, &p->X);
    fe_mul(&b, &b, &q->ypx);
    fe_mul(&c, &p->T, &q->t2d);
    fe_mul(&d, &p->Z, &q->Z);
    fe_add_nc(&d, &d, &d);
    fe_sub_nc(&r->X, &a, &b);
    fe_add_nc(&r->Y, &a, &b);
    fe_sub_nc(&r->Z, &d, &c);
    fe_add_nc(&r->T, &d, &c);
}

/* r = p + q for an affine q (Z = 1). */
FE_INLINE void ge_madd(ge_p1p1 *r, const ge_p3 *p, const ge_niels *q)
{
    fe a, b, c, d;
    fe_add_nc(&a, &p->Y, &p->X);
    fe_mul(&a, &a, &q->ypx);
    fe_sub_nc(&b, &p->Y, &p->X);
    fe_mul(&b, &b, &q->ymx);
    fe_mul(&c, &p->T, &q->xy2d);
    fe_add_nc(&d, &p->Z, &p->Z);
    fe_sub_nc(&r->X, &a, &b);
    fe_add_nc(&r->Y, &a, &b);
    fe_add_nc(&r->Z, &d, &c);
    fe_sub_nc(&r->T, &d, &c);
}

/* r = p - q for an affine q. */
FE_INLINE void ge_msub(ge_p1p1 *r, const ge_p3 *p, const ge_niels *q)
{
    fe a, b, c, d;
    fe_add_nc(&a, &p->Y, &p->X);
    fe_mul(&a, &a, &q->ymx);
    fe_sub_nc(&b, &p->Y, &p->X);
    fe_mul(&b, &b, &q->ypx);
    fe_mul(&c, &p->T, &q->xy2d);
    fe_add_nc(&d, &p->Z, &p->Z);
    fe_sub_nc(&r->X, &a, &b);
    fe_add_nc(&r->Y, &a, &b);
    fe_sub_nc(&r->Z, &d, &c);
    fe_add_nc(&r->T, &d, &c);
}

/* The cached form of p, with every coordinate carried. */
static inline void ge_p3_to_cached(ge_cached *r, const ge_p3 *p)
{
    fe_add(&r->ypx, &p->Y, &p->X);
    fe_sub(&r->ymx, &p->Y, &p->X);
    fe_copy(&r->Z, &p->Z);
    fe_mul(&r->t2d, &p->T, &GE_D2);
}

#endif
