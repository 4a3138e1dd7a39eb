/* X25519 on four 64-bit limbs with MULX, ADCX and ADOX (BMI2 + ADX):
 * the ladder of x25519.c over the field operations of fe25519_mulx.h.
 * The conversions and the final inversion (the shared divsteps
 * fe_invert, reached through bytes) stay in C.
 *
 * Constant time as the portable ladder: 255 steps whatever the scalar,
 * each choice a masked swap; the field operations are branch-free.
 *
 * Compiled on x86-64 only; v_x25519_cpu calls in here only when the
 * caller's v_cpu_features report BMI2 and ADX. */
#include <v/crypto.h>

#include "fe25519.h"
#include "fe25519_mulx.h"
#include "x25519_mulx.h"

#if V_X25519_MULX

void x25519_mulx(uint8_t out[32], const uint8_t k[32],
                 const uint8_t point[32])
{
    fe64 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    for (int i = 0; i < 4; i++)
        x1.v[i] = v_load64_le(point + 8 * i);
    x1.v[3] &= 0x7fffffffffffffff; /* RFC 7748 §5: ignore bit 255 */
    x2 = (fe64){{1, 0, 0, 0}};
    z2 = (fe64){{0, 0, 0, 0}};
    x3 = x1;
    z3 = (fe64){{1, 0, 0, 0}};
    uint64_t swap = 0;
    /* The same steps as the portable ladder in x25519.c. */
    for (int pos = 254; pos >= 3; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe64_cswap(&x2, &x3, swap);
        fe64_cswap(&z2, &z3, swap);
        swap = bit;

        fe64_addsub(&a, &b, &x2, &z2);
        fe64_addsub(&c, &d, &x3, &z3);
        fe64_sq(&aa, &a);
        fe64_sq(&bb, &b);
        fe64_sub(&e, &aa, &bb);
        fe64_mul(&da, &d, &a);
        fe64_mul(&cb, &c, &b);
        fe64_addsub(&x3, &t, &da, &cb);
        fe64_sq(&x3, &x3);
        fe64_sq(&t, &t);
        fe64_mul(&z3, &x1, &t);
        fe64_mul(&x2, &aa, &bb);
        fe64_a24_add(&t, &e, &aa);
        fe64_mul(&z2, &e, &t);
    }
    fe64_cswap(&x2, &x3, swap);
    fe64_cswap(&z2, &z3, swap);
    for (int i = 0; i < 3; i++) {
        fe64_addsub(&a, &b, &x2, &z2);
        fe64_sq(&aa, &a);
        fe64_sq(&bb, &b);
        fe64_mul(&x2, &aa, &bb);
        fe64_sub(&e, &aa, &bb);
        fe64_a24_add(&t, &e, &aa);
        fe64_mul(&z2, &e, &t);
    }

    /* x2 / z2 through the shared 51-bit code: the inversion is a few
     * percent of the total, and reusing it keeps one tested copy. */
    uint8_t bx[32], bz[32];
    fe fx, fz;
    fe64_tobytes(bx, &x2);
    fe64_tobytes(bz, &z2);
    fe_frombytes(&fx, bx);
    fe_frombytes(&fz, bz);
    fe_invert(&fz, &fz);
    fe_mul(&fx, &fx, &fz);
    fe_tobytes(out, &fx);

    fe_wipe(bx, sizeof bx);
    fe_wipe(bz, sizeof bz);
    fe_wipe(&fx, sizeof fx);
    fe_wipe(&fz, sizeof fz);
    fe64 *secrets[] = {&x2, &z2, &x3, &z3, &a, &aa, &b, &bb, &e, &c, &d,
                       &da, &cb, &t};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        fe_wipe(secrets[i], sizeof(fe64));
}

#endif
