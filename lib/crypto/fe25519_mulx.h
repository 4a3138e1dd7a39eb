/* lib/crypto/fe25519_mulx.h — GF(2^255 - 19) on four 64-bit limbs with
 * MULX, ADCX and ADOX (BMI2 + ADX), private to the crypto module: the
 * field operations of x25519_mulx.c, in a header so that
 * tests/x25519_mulx_test.c can check each one against the portable
 * 51-bit arithmetic on edge values.
 *
 * Why a second representation: with 51-bit limbs a product is 25 64x64
 * multiplies whose 128-bit sums gcc and clang chain through one carry
 * flag. Here a product is 16 multiplies plus 4 for the reduction, and
 * each row of the schoolbook product runs two independent carry chains
 * (ADCX uses only CF, ADOX only OF, MULX touches neither), which no C
 * compiler emits from C; hence inline assembly, one block per operation.
 *
 * Measured on an AMD EPYC (Zen 4) against libsodium's AVX X25519, what
 * mattered besides the multiply itself: adding and subtracting the same
 * pair in one block (fe64_addsub: 0.87x libsodium -> 0.98x), and storing
 * results from inside the assembly rather than handing registers back
 * to C (0.92x with C stores). Rows with MULX and plain ADC (one carry
 * chain, two passes) were slower than ADCX/ADOX: 13.4 ns against 11.5
 * ns per product.
 *
 * A value is any 256-bit number (four limbs, little endian), congruent
 * to the field element mod p = 2^255 - 19 but not reduced below p, nor
 * even below 2^255. Every operation accepts any such value and returns
 * one, using 2^256 = 38 (mod p): whatever carries out of bit 256
 * re-enters limb 0 times 38. Only fe64_tobytes makes it canonical.
 *
 * Constant time: the assembly has no branches and no data-dependent
 * addresses; carries are absorbed with SBB masks, never tested. MULX's
 * timing does not depend on its operands.
 *
 * x86-64 only. The assembler accepts these instructions whatever -m
 * flags the build uses; running them is the caller's business (only
 * when v_cpu_features report BMI2 and ADX). */
#ifndef V_CRYPTO_FE25519_MULX_H
#define V_CRYPTO_FE25519_MULX_H

#include <stdint.h>

#include "fe25519.h"

#if defined(__x86_64__)

typedef struct fe64 {
    uint64_t v[4];
} fe64;

/* h = f g. Rows 0-3 form the 512-bit product t0..t7: row i adds f[i] g
 * into the window of five registers holding t_i..t_(i+4), low halves on
 * the CF chain and high halves on the OF chain; t0..t2, final after their
 * row, go to the stack so that five registers suffice for the window.
 * After row 3, t3..t7 are in D, E, A, B, C. The reduction then adds
 * 38 (t4..t7) to t0..t3 (again one chain for low halves, one for high),
 * leaving a top word below 40, and folds that in times 38; a last carry
 * out (possible only when the low part wrapped, so limb 0 is small) adds
 * a final 38. h may alias f or g: it is written after the last read,
 * as in every operation here. */
__attribute__((always_inline)) static inline void fe64_mul(fe64 *h,
                                                           const fe64 *f,
                                                           const fe64 *g)
{
    uint64_t t[3], a, b, c, d, e, lo, hi, z;
#define ROW(off, ra, rb, rc, rd, re)                                     \
    "movq " off "(%[f]), %%rdx\n\t"                                      \
    "xorl %k[z], %k[z]\n\t"                                              \
    "mulxq 0(%[g]), %[lo], %[hi]\n\t"                                    \
    "adcxq %[lo], %[" ra "]\n\t"                                         \
    "adoxq %[hi], %[" rb "]\n\t"                                         \
    "mulxq 8(%[g]), %[lo], %[hi]\n\t"                                    \
    "adcxq %[lo], %[" rb "]\n\t"                                         \
    "adoxq %[hi], %[" rc "]\n\t"                                         \
    "mulxq 16(%[g]), %[lo], %[hi]\n\t"                                   \
    "adcxq %[lo], %[" rc "]\n\t"                                         \
    "adoxq %[hi], %[" rd "]\n\t"                                         \
    "mulxq 24(%[g]), %[lo], %[" re "]\n\t"                               \
    "adcxq %[lo], %[" rd "]\n\t"                                         \
    "adoxq %[z], %[" re "]\n\t"                                          \
    "adcxq %[z], %[" re "]\n\t"
    __asm__(
        /* Row 0: t0..t4 = f0 g, one chain. */
        "movq 0(%[f]), %%rdx\n\t"
        "xorl %k[z], %k[z]\n\t"
        "mulxq 0(%[g]), %[a], %[b]\n\t"
        "mulxq 8(%[g]), %[lo], %[c]\n\t"
        "adcxq %[lo], %[b]\n\t"
        "mulxq 16(%[g]), %[lo], %[d]\n\t"
        "adcxq %[lo], %[c]\n\t"
        "mulxq 24(%[g]), %[lo], %[e]\n\t"
        "adcxq %[lo], %[d]\n\t"
        "adcxq %[z], %[e]\n\t"
        "movq %[a], %[t0]\n\t"
        ROW("8", "b", "c", "d", "e", "a")
        "movq %[b], %[t1]\n\t"
        ROW("16", "c", "d", "e", "a", "b")
        "movq %[c], %[t2]\n\t"
        ROW("24", "d", "e", "a", "b", "c")
        /* h = t0..t3 + 38 t4..t7 (t4..t7 = e, a, b, c; t3 = d). */
        "movl $38, %%edx\n\t"
        "xorl %k[z], %k[z]\n\t"
        "mulxq %[e], %[lo], %[hi]\n\t"
        "adcxq %[t0], %[lo]\n\t"
        "mulxq %[a], %[e], %[a]\n\t"
        "adoxq %[e], %[hi]\n\t"
        "adcxq %[t1], %[hi]\n\t"
        "mulxq %[b], %[e], %[b]\n\t"
        "adoxq %[e], %[a]\n\t"
        "adcxq %[t2], %[a]\n\t"
        "mulxq %[c], %[e], %[c]\n\t"
        "adoxq %[e], %[b]\n\t"
        "adcxq %[d], %[b]\n\t"
        "adoxq %[z], %[c]\n\t"
        "adcxq %[z], %[c]\n\t"
        "imulq $38, %[c], %[c]\n\t"
        "addq %[c], %[lo]\n\t"
        "adcq %[z], %[hi]\n\t"
        "adcq %[z], %[a]\n\t"
        "adcq %[z], %[b]\n\t"
        "sbbq %[c], %[c]\n\t"
        "andq $38, %[c]\n\t"
        "addq %[c], %[lo]\n\t"
        "movq %[lo], 0(%[h])\n\t"
        "movq %[hi], 8(%[h])\n\t"
        "movq %[a], 16(%[h])\n\t"
        "movq %[b], 24(%[h])\n\t"
        : "=m"(*h), [t0] "=m"(t[0]), [t1] "=m"(t[1]), [t2] "=m"(t[2]),
          [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d),
          [e] "=&r"(e), [lo] "=&r"(lo), [hi] "=&r"(hi), [z] "=&r"(z)
        : [h] "r"(h), [f] "r"(f), [g] "r"(g), "m"(*f), "m"(*g)
        : "rdx", "cc");
#undef ROW
}

/* h = f^2: the six cross products f_i f_j (i < j) once, doubled by a
 * shift, plus the four squares f_i^2: 10 multiplies instead of 16. The
 * 512-bit result t0..t7 stays in registers, and is reduced as in
 * fe64_mul. */
__attribute__((always_inline)) static inline void fe64_sq(fe64 *h,
                                                          const fe64 *f)
{
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
    __asm__(
        /* Cross products into t1..t6. f0 (f1, f2, f3): one chain. */
        "movq 0(%[f]), %%rdx\n\t"
        "mulxq 8(%[f]), %[t1], %[t2]\n\t"
        "mulxq 16(%[f]), %[lo], %[t3]\n\t"
        "addq %[lo], %[t2]\n\t"
        "mulxq 24(%[f]), %[lo], %[t4]\n\t"
        "adcq %[lo], %[t3]\n\t"
        "adcq $0, %[t4]\n\t"
        /* f1 (f3, then f2). */
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %[lo], %[t5]\n\t"
        "addq %[lo], %[t4]\n\t"
        "adcq $0, %[t5]\n\t"
        "mulxq 16(%[f]), %[lo], %[hi]\n\t"
        "addq %[lo], %[t3]\n\t"
        "adcq %[hi], %[t4]\n\t"
        "adcq $0, %[t5]\n\t"
        /* f2 f3. */
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq 24(%[f]), %[lo], %[t6]\n\t"
        "addq %[lo], %[t5]\n\t"
        "adcq $0, %[t6]\n\t"
        /* Double: t1..t7 = 2 (t1..t6). */
        "xorl %k[t7], %k[t7]\n\t"
        "addq %[t1], %[t1]\n\t"
        "adcq %[t2], %[t2]\n\t"
        "adcq %[t3], %[t3]\n\t"
        "adcq %[t4], %[t4]\n\t"
        "adcq %[t5], %[t5]\n\t"
        "adcq %[t6], %[t6]\n\t"
        "adcq $0, %[t7]\n\t"
        /* Add the squares f_i^2 at limbs 2i, 2i + 1: one chain (MULX and
         * MOV leave the flags alone). */
        "movq 0(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[t0], %[hi]\n\t"
        "addq %[hi], %[t1]\n\t"
        "movq 8(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adcq %[lo], %[t2]\n\t"
        "adcq %[hi], %[t3]\n\t"
        "movq 16(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adcq %[lo], %[t4]\n\t"
        "adcq %[hi], %[t5]\n\t"
        "movq 24(%[f]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adcq %[lo], %[t6]\n\t"
        "adcq %[hi], %[t7]\n\t"
        /* h = t0..t3 + 38 t4..t7, as in fe64_mul; lo is zeroed by MOV,
         * which keeps the flags, to serve as the zero ADOX/ADCX add. */
        "movl $38, %%edx\n\t"
        "xorl %k[lo], %k[lo]\n\t"
        "mulxq %[t4], %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t0]\n\t"
        "adoxq %[hi], %[t1]\n\t"
        "mulxq %[t5], %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t1]\n\t"
        "adoxq %[hi], %[t2]\n\t"
        "mulxq %[t6], %[lo], %[hi]\n\t"
        "adcxq %[lo], %[t2]\n\t"
        "adoxq %[hi], %[t3]\n\t"
        "mulxq %[t7], %[lo], %[t4]\n\t"
        "adcxq %[lo], %[t3]\n\t"
        "movl $0, %k[lo]\n\t"
        "adoxq %[lo], %[t4]\n\t"
        "adcxq %[lo], %[t4]\n\t"
        "imulq $38, %[t4], %[t4]\n\t"
        "addq %[t4], %[t0]\n\t"
        "adcq %[lo], %[t1]\n\t"
        "adcq %[lo], %[t2]\n\t"
        "adcq %[lo], %[t3]\n\t"
        "sbbq %[t4], %[t4]\n\t"
        "andq $38, %[t4]\n\t"
        "addq %[t4], %[t0]\n\t"
        "movq %[t0], 0(%[h])\n\t"
        "movq %[t1], 8(%[h])\n\t"
        "movq %[t2], 16(%[h])\n\t"
        "movq %[t3], 24(%[h])\n\t"
        : "=m"(*h), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2),
          [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5), [t6] "=&r"(t6),
          [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [h] "r"(h), [f] "r"(f), "m"(*f)
        : "rdx", "cc");
}

/* h = f - g: a borrow out of bit 256 means 2^256 was added, so 38 is
 * taken away; a second borrow is possible only if the first subtraction
 * left less than 38, and then the value is close to 2^256, so a second
 * 38 comes off without a third. */
__attribute__((always_inline)) static inline void fe64_sub(fe64 *h,
                                                           const fe64 *f,
                                                           const fe64 *g)
{
    uint64_t a, b, c, d, m;
    __asm__("movq 0(%[f]), %[a]\n\t"
            "subq 0(%[g]), %[a]\n\t"
            "movq 8(%[f]), %[b]\n\t"
            "sbbq 8(%[g]), %[b]\n\t"
            "movq 16(%[f]), %[c]\n\t"
            "sbbq 16(%[g]), %[c]\n\t"
            "movq 24(%[f]), %[d]\n\t"
            "sbbq 24(%[g]), %[d]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[a]\n\t"
            "sbbq $0, %[b]\n\t"
            "sbbq $0, %[c]\n\t"
            "sbbq $0, %[d]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[a]\n\t"
        "movq %[a], 0(%[h])\n\t"
        "movq %[b], 8(%[h])\n\t"
        "movq %[c], 16(%[h])\n\t"
        "movq %[d], 24(%[h])\n\t"
            : "=m"(*h), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d),
              [m] "=&r"(m)
            : [h] "r"(h), [f] "r"(f), [g] "r"(g), "m"(*f), "m"(*g)
            : "cc");
}

/* s = f + g and d = f - g. The sum's carry out of bit 256 re-enters as
 * 38, twice (the second time only when the first wrapped, leaving limb 0
 * below 38); the difference is as fe64_sub. The ladder
 * always wants both, and one block loads f and g once and lets the two
 * carry chains overlap (each starts with a fresh ADD or SUB, so the CPU
 * renames the flags apart). */
__attribute__((always_inline)) static inline void fe64_addsub(fe64 *s,
                                                              fe64 *d,
                                                              const fe64 *f,
                                                              const fe64 *g)
{
    uint64_t s0, s1, s2, s3, d0, d1, d2, d3, m;
    __asm__("movq 0(%[f]), %[s0]\n\t"
            "movq 8(%[f]), %[s1]\n\t"
            "movq 16(%[f]), %[s2]\n\t"
            "movq 24(%[f]), %[s3]\n\t"
            "movq %[s0], %[d0]\n\t"
            "movq %[s1], %[d1]\n\t"
            "movq %[s2], %[d2]\n\t"
            "movq %[s3], %[d3]\n\t"
            "addq 0(%[g]), %[s0]\n\t"
            "adcq 8(%[g]), %[s1]\n\t"
            "adcq 16(%[g]), %[s2]\n\t"
            "adcq 24(%[g]), %[s3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "addq %[m], %[s0]\n\t"
            "adcq $0, %[s1]\n\t"
            "adcq $0, %[s2]\n\t"
            "adcq $0, %[s3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "addq %[m], %[s0]\n\t"
            "subq 0(%[g]), %[d0]\n\t"
            "sbbq 8(%[g]), %[d1]\n\t"
            "sbbq 16(%[g]), %[d2]\n\t"
            "sbbq 24(%[g]), %[d3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[d0]\n\t"
            "sbbq $0, %[d1]\n\t"
            "sbbq $0, %[d2]\n\t"
            "sbbq $0, %[d3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "andq $38, %[m]\n\t"
            "subq %[m], %[d0]\n\t"
            "movq %[s0], 0(%[s])\n\t"
            "movq %[s1], 8(%[s])\n\t"
            "movq %[s2], 16(%[s])\n\t"
            "movq %[s3], 24(%[s])\n\t"
            "movq %[d0], 0(%[d])\n\t"
            "movq %[d1], 8(%[d])\n\t"
            "movq %[d2], 16(%[d])\n\t"
            "movq %[d3], 24(%[d])\n\t"
            : "=m"(*s), "=m"(*d), [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3),
              [d0] "=&r"(d0), [d1] "=&r"(d1), [d2] "=&r"(d2), [d3] "=&r"(d3),
              [m] "=&r"(m)
            : [s] "r"(s), [d] "r"(d), [f] "r"(f), [g] "r"(g), "m"(*f),
              "m"(*g)
            : "cc");
}

/* h = g + 121665 f, the (A - 2) / 4 step of the ladder in one pass: the
 * product is five limbs (the top below 2^17), g is added in, and the top
 * folds in times 38 as in fe64_add. */
__attribute__((always_inline)) static inline void fe64_a24_add(fe64 *h,
                                                               const fe64 *f,
                                                               const fe64 *g)
{
    uint64_t a, b, c, d, e, lo;
    __asm__("movl $121665, %%edx\n\t"
            "mulxq 0(%[f]), %[a], %[b]\n\t"
            "mulxq 8(%[f]), %[lo], %[c]\n\t"
            "addq %[lo], %[b]\n\t"
            "mulxq 16(%[f]), %[lo], %[d]\n\t"
            "adcq %[lo], %[c]\n\t"
            "mulxq 24(%[f]), %[lo], %[e]\n\t"
            "adcq %[lo], %[d]\n\t"
            "adcq $0, %[e]\n\t"
            "addq 0(%[g]), %[a]\n\t"
            "adcq 8(%[g]), %[b]\n\t"
            "adcq 16(%[g]), %[c]\n\t"
            "adcq 24(%[g]), %[d]\n\t"
            "adcq $0, %[e]\n\t"
            "imulq $38, %[e], %[e]\n\t"
            "addq %[e], %[a]\n\t"
            "adcq $0, %[b]\n\t"
            "adcq $0, %[c]\n\t"
            "adcq $0, %[d]\n\t"
            "sbbq %[e], %[e]\n\t"
            "andq $38, %[e]\n\t"
            "addq %[e], %[a]\n\t"
        "movq %[a], 0(%[h])\n\t"
        "movq %[b], 8(%[h])\n\t"
        "movq %[c], 16(%[h])\n\t"
        "movq %[d], 24(%[h])\n\t"
            : "=m"(*h), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d),
              [e] "=&r"(e), [lo] "=&r"(lo)
            : [h] "r"(h), [f] "r"(f), [g] "r"(g), "m"(*f), "m"(*g)
            : "rdx", "cc");
}

/* Swap f and g when b is 1 (b is 0 or 1). */
__attribute__((always_inline)) static inline void fe64_cswap(fe64 *f,
                                                             fe64 *g,
                                                             uint64_t b)
{
    uint64_t mask = v_ct_barrier64(0 - b);
    for (int i = 0; i < 4; i++) {
        uint64_t x = (f->v[i] ^ g->v[i]) & mask;
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

/* The canonical encoding: fold bit 255 in as 19 (the value is then below
 * 2^255 + 19 < 2p), then subtract p once if h + 19 reaches 2^255. */
static inline void fe64_tobytes(uint8_t s[32], const fe64 *f)
{
    uint64_t h[4];
    fe_u128 c = (fe_u128)19 * (f->v[3] >> 63);
    h[3] = f->v[3] & 0x7fffffffffffffff;
    for (int i = 0; i < 3; i++) {
        c += f->v[i];
        h[i] = (uint64_t)c;
        c >>= 64;
    }
    h[3] += (uint64_t)c;
    /* q = 1 exactly when h >= p, i.e. h + 19 >= 2^255. */
    c = 19;
    for (int i = 0; i < 3; i++) {
        c += h[i];
        c >>= 64;
    }
    uint64_t q = (h[3] + (uint64_t)c) >> 63;
    c = (fe_u128)19 * q;
    for (int i = 0; i < 4; i++) {
        c += h[i];
        h[i] = (uint64_t)c;
        c >>= 64;
    }
    h[3] &= 0x7fffffffffffffff;
    for (int i = 0; i < 4; i++)
        v_store64_le(s + 8 * i, h[i]);
    fe_wipe(h, sizeof h);
}

#endif

#endif
