/* X25519, RFC 7748 §5: the Montgomery ladder on u-coordinates.
 *
 * Constant time: the ladder runs the same 255 steps whatever the scalar
 * (the last three, for bits clamping clears, only double), and each
 * step's choice is a masked swap (fe_cswap), never a branch or an index.
 * The scalar copy and ladder state are wiped before returning.
 *
 * Two implementations of the ladder give identical output: the portable
 * one below (51-bit limbs, 128-bit products) and, on x86-64 CPUs with
 * BMI2 and ADX, x25519_mulx.c (64-bit limbs, two carry chains). Which one
 * runs depends only on the caller's v_cpu_features, never on data. */
#include <v/crypto.h>
#include <v/mem.h>

#include "fe25519.h"
#include "x25519_mulx.h"

/* out = X25519(k, point) for a clamped k, on 51-bit limbs. */
static void ladder_portable(uint8_t out[32], const uint8_t k[32],
                            const uint8_t point[32])
{
    fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    fe_frombytes(&x1, point); /* drops bit 255, as §5 requires */
    fe_1(&x2);
    fe_0(&z2);
    fe_copy(&x3, &x1);
    fe_1(&z3);
    uint64_t swap = 0;
    for (int pos = 254; pos >= 3; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe_cswap(&x2, &x3, swap);
        fe_cswap(&z2, &z3, swap);
        swap = bit;

        /* Every add/sub input here is a fresh product (or the input
         * point, reduced by fe_frombytes), and every result feeds a
         * multiplication, so the uncarried forms are safe. */
        fe_add_nc(&a, &x2, &z2);
        fe_sq(&aa, &a);
        fe_sub_nc(&b, &x2, &z2);
        fe_sq(&bb, &b);
        fe_sub_nc(&e, &aa, &bb);
        fe_add_nc(&c, &x3, &z3);
        fe_sub_nc(&d, &x3, &z3);
        fe_mul(&da, &d, &a);
        fe_mul(&cb, &c, &b);
        fe_add_nc(&t, &da, &cb);
        fe_sq(&x3, &t);
        fe_sub_nc(&t, &da, &cb);
        fe_sq(&t, &t);
        fe_mul(&z3, &x1, &t);
        fe_mul(&x2, &aa, &bb);
        fe_mul_small(&t, &e, 121665);
        fe_add_nc(&t, &aa, &t);
        fe_mul(&z2, &e, &t);
    }
    fe_cswap(&x2, &x3, swap);
    fe_cswap(&z2, &z3, swap);
    /* Bits 2, 1 and 0 are clear after clamping: those steps only double
     * (x2 : z2), and their other half, x3, is never used again. */
    for (int i = 0; i < 3; i++) {
        fe_add_nc(&a, &x2, &z2);
        fe_sq(&aa, &a);
        fe_sub_nc(&b, &x2, &z2);
        fe_sq(&bb, &b);
        fe_mul(&x2, &aa, &bb);
        fe_sub_nc(&e, &aa, &bb);
        fe_mul_small(&t, &e, 121665);
        fe_add_nc(&t, &aa, &t);
        fe_mul(&z2, &e, &t);
    }
    fe_invert(&z2, &z2);
    fe_mul(&x2, &x2, &z2);
    fe_tobytes(out, &x2);

    fe *secrets[] = {&x2, &z2, &x3, &z3, &a, &aa, &b, &bb, &e, &c, &d, &da,
                     &cb, &t};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        fe_wipe(secrets[i], sizeof(fe));
}

v_status v_x25519_cpu(v_cpu_features cpu, uint8_t out[V_X25519_KEY_LEN],
                      const uint8_t scalar[V_X25519_KEY_LEN],
                      const uint8_t point[V_X25519_KEY_LEN])
{
    uint8_t k[32];
    v_mem_copy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;

#if V_X25519_MULX
    if (v_cpu_has(cpu, V_CPU_BMI2 | V_CPU_ADX))
        x25519_mulx(out, k, point);
    else
        ladder_portable(out, k, point);
#else
    (void)cpu;
    ladder_portable(out, k, point);
#endif

    /* Whether the result is zero is public (it depends on the peer's
     * point), so branching on it afterwards is fine. */
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= out[i];
    fe_wipe(k, sizeof k);
    return acc ? V_OK : V_ERR_MALFORMED;
}

v_status v_x25519(uint8_t out[V_X25519_KEY_LEN],
                  const uint8_t scalar[V_X25519_KEY_LEN],
                  const uint8_t point[V_X25519_KEY_LEN])
{
    return v_x25519_cpu(v_cpu_baseline(), out, scalar, point);
}

void v_x25519_public_cpu(v_cpu_features cpu, uint8_t out[V_X25519_KEY_LEN],
                         const uint8_t scalar[V_X25519_KEY_LEN])
{
    static const uint8_t nine[32] = {9};
    (void)v_x25519_cpu(cpu, out, scalar, nine);
}

void v_x25519_public(uint8_t out[V_X25519_KEY_LEN],
                     const uint8_t scalar[V_X25519_KEY_LEN])
{
    v_x25519_public_cpu(v_cpu_baseline(), out, scalar);
}
