/* ChaCha20 on many blocks at once: SSE2 and SSE4.1 (4 blocks), AVX2 (8
 * blocks), from one template (chacha20_lanes.inc). Only on x86-64 builds
 * whose baseline includes SSE2; kernel builds (-mno-sse) compile none of
 * this and use the scalar path alone. SSE2 is part of x86-64 and needs no
 * detection; the others run only when the caller's v_cpu_features (one
 * CPUID query the program keeps) says the CPU has them.
 *
 * The SSE4.1 variant differs from SSE2 only in doing the rotations by 16
 * and 8 with byte shuffles (pshufb, an SSSE3 instruction; every SSE4.1
 * CPU has SSSE3) instead of two shifts and an OR. */
#include <v/crypto.h>

#include "chacha20_impl.h"

#if V_CHACHA20_SIMD

typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x32 __attribute__((vector_size(32)));

#ifdef __clang__
#define SHUF(T, a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define SHUF(T, a, b, ...) __builtin_shuffle(a, b, (T){__VA_ARGS__})
#endif

/* Byte indices rotating each 32-bit word left by 16 and by 8. */
#define R16 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
#define R8 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14
#define R16_HI 18, 19, 16, 17, 22, 23, 20, 21, 26, 27, 24, 25, 30, 31, 28, 29
#define R8_HI 19, 16, 17, 18, 23, 20, 21, 22, 27, 24, 25, 26, 31, 28, 29, 30

#define SHIFT_ROT(v, k) (((v) << (k)) | ((v) >> (32 - (k))))

/* 4 lanes: rows[g][j] is bytes 16g..16g+15 of block j. */
#define STORE4(rows, in, out)                                             \
    do {                                                                  \
        for (int g = 0; g < 4; g++)                                       \
            for (int j = 0; j < 4; j++) {                                 \
                size_t at = (size_t)(64 * j + 16 * g);                    \
                u32x4 r = rows[g][j];                                     \
                if (in) {                                                 \
                    u32x4 m;                                              \
                    __builtin_memcpy(&m, (in) + at, 16);                  \
                    r ^= m;                                               \
                }                                                         \
                __builtin_memcpy((out) + at, &r, 16);                     \
            }                                                             \
    } while (0)

/* 8 lanes: joining the low (high) halves of rows[2p][j] and
 * rows[2p+1][j] gives bytes 32p..32p+31 of block j (j + 4), so every
 * load and store is a whole 32-byte vector. */
#define STORE8(rows, in, out)                                             \
    do {                                                                  \
        for (int p = 0; p < 2; p++)                                       \
            for (int j = 0; j < 4; j++) {                                 \
                u32x8 x = rows[2 * p][j], y = rows[2 * p + 1][j];         \
                u32x8 r[2] = {SHUF(u32x8, x, y, 0, 1, 2, 3, 8, 9, 10, 11), \
                              SHUF(u32x8, x, y, 4, 5, 6, 7, 12, 13, 14, 15)}; \
                for (int h = 0; h < 2; h++) {                             \
                    size_t at = (size_t)(64 * (j + 4 * h) + 32 * p);      \
                    if (in) {                                             \
                        u32x8 m;                                          \
                        __builtin_memcpy(&m, (in) + at, 32);              \
                        r[h] ^= m;                                        \
                    }                                                     \
                    __builtin_memcpy((out) + at, &r[h], 32);              \
                }                                                         \
            }                                                             \
    } while (0)

/* ---- 4 lanes: 128-bit vectors ---- */
#define CH_LANES 4
#define CH_VEC u32x4
#define CH_LANE_INDEX ((u32x4){0, 1, 2, 3})
#define CH_LO32(a, b) SHUF(u32x4, a, b, 0, 4, 1, 5)
#define CH_HI32(a, b) SHUF(u32x4, a, b, 2, 6, 3, 7)
#define CH_LO64(a, b) SHUF(u32x4, a, b, 0, 1, 4, 5)
#define CH_HI64(a, b) SHUF(u32x4, a, b, 2, 3, 6, 7)
#define CH_STORE STORE4

#define CH_FN v_chacha20_blocks4_sse2
#define CH_TARGET "sse2"
#define CH_ROT16(v) SHIFT_ROT(v, 16)
#define CH_ROT8(v) SHIFT_ROT(v, 8)
#include "chacha20_lanes.inc"
#undef CH_FN
#undef CH_TARGET
#undef CH_ROT16
#undef CH_ROT8

#define CH_FN v_chacha20_blocks4_sse41
#define CH_TARGET "sse4.1"
#define CH_ROT16(v) ((u32x4)SHUF(u8x16, (u8x16)(v), (u8x16)(v), R16))
#define CH_ROT8(v) ((u32x4)SHUF(u8x16, (u8x16)(v), (u8x16)(v), R8))
#include "chacha20_lanes.inc"
#undef CH_FN
#undef CH_TARGET
#undef CH_ROT16
#undef CH_ROT8
#undef CH_LANES
#undef CH_VEC
#undef CH_LANE_INDEX
#undef CH_LO32
#undef CH_HI32
#undef CH_LO64
#undef CH_HI64
#undef CH_STORE

/* ---- 8 lanes: 256-bit vectors, interleaves within each 128-bit half
 * (as vpunpck* do) ---- */
#define CH_LANES 8
#define CH_VEC u32x8
#define CH_LANE_INDEX ((u32x8){0, 1, 2, 3, 4, 5, 6, 7})
#define CH_LO32(a, b) SHUF(u32x8, a, b, 0, 8, 1, 9, 4, 12, 5, 13)
#define CH_HI32(a, b) SHUF(u32x8, a, b, 2, 10, 3, 11, 6, 14, 7, 15)
#define CH_LO64(a, b) SHUF(u32x8, a, b, 0, 1, 8, 9, 4, 5, 12, 13)
#define CH_HI64(a, b) SHUF(u32x8, a, b, 2, 3, 10, 11, 6, 7, 14, 15)
#define CH_STORE STORE8
#define CH_FN v_chacha20_blocks8_avx2
#define CH_TARGET "avx2"
#define CH_ROT16(v) ((u32x8)SHUF(u8x32, (u8x32)(v), (u8x32)(v), R16, R16_HI))
#define CH_ROT8(v) ((u32x8)SHUF(u8x32, (u8x32)(v), (u8x32)(v), R8, R8_HI))
#include "chacha20_lanes.inc"

#endif
