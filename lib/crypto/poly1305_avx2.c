/* Poly1305 four blocks at a time with AVX2 (only on x86-64 builds with
 * SSE2 as the baseline, and only run when the caller's v_cpu_features has
 * AVX2; kernel builds compile none of it).
 *
 * Lane i of the vectors accumulates blocks i, i+4, i+8, ...: each step
 * computes H = H * r^4 + (next four blocks), and at the end lane i is
 * multiplied by r^(4-i) and the lanes are added. Block j of N thus gets
 * the factor r^(N-j), as in the sequential h = (h + m) * r, so the result
 * is identical. Limbs are 26 bits in 64-bit lanes, so every product is a
 * 32 x 32 -> 64-bit vpmuludq and a sum of five stays below 2^59.
 *
 * Constant time: multiplications, additions, shifts and masks only; the
 * length (public) is the only thing any branch looks at. The vectors
 * holding powers of r and the state are cleared before returning. */
#include <v/crypto.h>

#include "poly1305_impl.h"

#if V_POLY1305_SIMD

typedef uint64_t u64x4 __attribute__((vector_size(32)));
typedef int i32x8 __attribute__((vector_size(32)));
typedef unsigned __int128 u128;

#define M26 ((uint64_t)0x3ffffff)
#define M44 ((uint64_t)0xfffffffffff)
#define M42 ((uint64_t)0x3ffffffffff)

/* Low 32 bits of each lane multiplied into 64 (gcc does not see through
 * masks to emit this by itself). */
#define MUL(a, b) ((u64x4)__builtin_ia32_pmuludq256((i32x8)(a), (i32x8)(b)))

#ifdef __clang__
#define SHUF4(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#else
#define SHUF4(a, b, i, j, k, l) __builtin_shuffle(a, b, (u64x4){i, j, k, l})
#endif

/* a * b mod 2^130 - 5 in 44/44/42-bit limbs, carried (scalar; used only
 * for the powers of r). */
static void mul44(uint64_t out[3], const uint64_t a[3], const uint64_t b[3])
{
    uint64_t s1 = b[1] * 20, s2 = b[2] * 20;
    u128 d0 = (u128)a[0] * b[0] + (u128)a[1] * s2 + (u128)a[2] * s1;
    u128 d1 = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * s2;
    u128 d2 = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0];
    uint64_t c = (uint64_t)(d0 >> 44), h0 = (uint64_t)d0 & M44;
    d1 += c;
    c = (uint64_t)(d1 >> 44);
    uint64_t h1 = (uint64_t)d1 & M44;
    d2 += c;
    c = (uint64_t)(d2 >> 42);
    uint64_t h2 = (uint64_t)d2 & M42;
    h0 += c * 5;
    c = h0 >> 44;
    h0 &= M44;
    h1 += c;
    out[0] = h0;
    out[1] = h1;
    out[2] = h2;
}

/* 44-bit limbs (possibly a little over their widths) to 26-bit ones. */
static void to26(uint64_t out[5], const uint64_t l[3])
{
    u128 t = (u128)l[0] + ((u128)l[1] << 44);
    out[0] = (uint64_t)t & M26;
    t >>= 26;
    out[1] = (uint64_t)t & M26;
    t >>= 26;
    t += (u128)l[2] << 36; /* 2^88 = 2^52 * 2^36 */
    out[2] = (uint64_t)t & M26;
    t >>= 26;
    out[3] = (uint64_t)t & M26;
    t >>= 26;
    out[4] = (uint64_t)t;
}

__attribute__((target("avx2"))) static inline void
mul_vec(u64x4 d[5], const u64x4 h[5], const u64x4 r[5], const u64x4 s[5])
{
    /* s = 5r: limb products landing at 2^130 and above wrap round with
     * 2^130 = 5 (mod p). */
    d[0] = MUL(h[0], r[0]) + MUL(h[1], s[4]) + MUL(h[2], s[3]) +
           MUL(h[3], s[2]) + MUL(h[4], s[1]);
    d[1] = MUL(h[0], r[1]) + MUL(h[1], r[0]) + MUL(h[2], s[4]) +
           MUL(h[3], s[3]) + MUL(h[4], s[2]);
    d[2] = MUL(h[0], r[2]) + MUL(h[1], r[1]) + MUL(h[2], r[0]) +
           MUL(h[3], s[4]) + MUL(h[4], s[3]);
    d[3] = MUL(h[0], r[3]) + MUL(h[1], r[2]) + MUL(h[2], r[1]) +
           MUL(h[3], r[0]) + MUL(h[4], s[4]);
    d[4] = MUL(h[0], r[4]) + MUL(h[1], r[3]) + MUL(h[2], r[2]) +
           MUL(h[3], r[1]) + MUL(h[4], r[0]);
    /* Partial carry: every limb ends below 2^26 + 2^4, so that adding
     * a message limb keeps it below 2^27. */
    const u64x4 m26 = (u64x4){0} + M26;
    u64x4 c;
    c = d[0] >> 26; d[0] &= m26; d[1] += c;
    c = d[1] >> 26; d[1] &= m26; d[2] += c;
    c = d[2] >> 26; d[2] &= m26; d[3] += c;
    c = d[3] >> 26; d[3] &= m26; d[4] += c;
    c = d[4] >> 26; d[4] &= m26; d[0] += c * 5;
    c = d[0] >> 26; d[0] &= m26; d[1] += c;
}

/* The four blocks at m as 26-bit limbs, block i in lane i, with the
 * 2^128 bit of full blocks. */
__attribute__((target("avx2"))) static inline void load4(u64x4 out[5],
                                                        const uint8_t *m)
{
    u64x4 x, y;
    __builtin_memcpy(&x, m, 32);
    __builtin_memcpy(&y, m + 32, 32);
    u64x4 lo = SHUF4(x, y, 0, 2, 4, 6), hi = SHUF4(x, y, 1, 3, 5, 7);
    const u64x4 m26 = (u64x4){0} + M26;
    out[0] = lo & m26;
    out[1] = (lo >> 26) & m26;
    out[2] = ((lo >> 52) | (hi << 12)) & m26;
    out[3] = (hi >> 14) & m26;
    out[4] = (hi >> 40) | ((u64x4){0} + ((uint64_t)1 << 24));
}

__attribute__((target("avx2"))) size_t
v_poly1305_blocks_avx2(uint64_t h[3], const uint64_t r[3], const uint8_t *m,
                       size_t n)
{
    n &= ~(size_t)63;
    if (n < 128)
        return 0;
    uint64_t pw[4][3], limbs[4][5], h26[5];
    pw[0][0] = r[0]; pw[0][1] = r[1]; pw[0][2] = r[2];
    for (int i = 1; i < 4; i++)
        mul44(pw[i], pw[i - 1], r); /* pw[i] = r^(i+1) */
    for (int i = 0; i < 4; i++)
        to26(limbs[i], pw[i]);
    to26(h26, h);

    u64x4 R4[5], S4[5], RF[5], SF[5], H[5], M[5], D[5];
    for (int k = 0; k < 5; k++) {
        R4[k] = (u64x4){0} + limbs[3][k];
        S4[k] = R4[k] * 5;
        /* Final factors: lane i gets r^(4-i). */
        RF[k] = (u64x4){limbs[3][k], limbs[2][k], limbs[1][k], limbs[0][k]};
        SF[k] = RF[k] * 5;
    }
    load4(H, m);
    for (int k = 0; k < 5; k++)
        H[k] += (u64x4){h26[k], 0, 0, 0};
    size_t done = 64;
    for (; done < n; done += 64) {
        mul_vec(D, H, R4, S4);
        load4(M, m + done);
        for (int k = 0; k < 5; k++)
            H[k] = D[k] + M[k];
    }
    mul_vec(D, H, RF, SF);
    /* Add the lanes (each limb < 2^27, so sums < 2^29) and return to
     * 44-bit limbs through 128-bit arithmetic. */
    uint64_t a[5];
    for (int k = 0; k < 5; k++)
        a[k] = D[k][0] + D[k][1] + D[k][2] + D[k][3];
    u128 t = (u128)a[0] + ((u128)a[1] << 26) + ((u128)a[2] << 52);
    h[0] = (uint64_t)t & M44;
    t >>= 44;
    t += ((u128)a[3] << 34) + ((u128)a[4] << 60); /* 2^78, 2^104 over 2^44 */
    h[1] = (uint64_t)t & M44;
    t >>= 44;
    uint64_t h2 = (uint64_t)t, c = h2 >> 42;
    h[2] = h2 & M42;
    h[0] += c * 5;
    c = h[0] >> 44;
    h[0] &= M44;
    h[1] += c;

    volatile u64x4 *wipe[] = {R4, S4, RF, SF, H, M, D};
    for (int w = 0; w < 7; w++)
        for (int k = 0; k < 5; k++)
            wipe[w][k] = (u64x4){0};
    volatile uint64_t *vp = &pw[0][0], *vl = &limbs[0][0];
    for (int i = 0; i < 12; i++)
        vp[i] = 0;
    for (int i = 0; i < 20; i++)
        vl[i] = 0;
    for (int i = 0; i < 5; i++)
        ((volatile uint64_t *)h26)[i] = 0;
    for (int i = 0; i < 5; i++)
        ((volatile uint64_t *)a)[i] = 0;
    return n;
}

#endif
