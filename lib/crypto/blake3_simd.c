/* BLAKE3 many-chunk hashing: SSE2 and SSE4.1 (4 lanes) and AVX2 (8
 * lanes). Only on x86-64 builds whose baseline includes SSE2 (hosted and
 * user code); kernel builds (-mno-sse) get the portable path alone, since
 * the kernel does not save vector state.
 *
 * SSE2 is part of x86-64, so it is the default and needs no detection.
 * SSE4.1 and AVX2 need CPUID, which can cost tens of microseconds under a
 * hypervisor and whose answer libv may not keep in a global: a program
 * passes a v_cpu_features value (v/cpu.h) to v_blake3_use_cpu. */
#include <v/crypto.h>
#include <v/mem.h>

#include "blake3_impl.h"
#include "bytes.h"

#if V_BLAKE3_SIMD

typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x32 __attribute__((vector_size(32)));

/* Rotations right by 16 and 8 as byte shuffles (pshufb, SSSE3 and up). */
#ifdef __clang__
#define BYTE_SHUF(T, v, ...) ((T)__builtin_shufflevector(v, v, __VA_ARGS__))
#else
#define BYTE_SHUF(T, v, ...) ((T)__builtin_shuffle(v, v, (T){__VA_ARGS__}))
#endif
#define RR16 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
#define RR8 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12
#define RR16_HI 18, 19, 16, 17, 22, 23, 20, 21, 26, 27, 24, 25, 30, 31, 28, 29
#define RR8_HI 17, 18, 19, 16, 21, 22, 23, 20, 25, 26, 27, 24, 29, 30, 31, 28

#define B3_LANES 4
#define B3_VEC u32x4
#define B3_FN v_blake3_hash4_sse2
#define B3_TARGET "sse2"
#include "blake3_lanes.inc"
#undef B3_FN
#undef B3_TARGET

#define B3_FN v_blake3_hash4_sse41
#define B3_TARGET "sse4.1"
#define B3_ROTR16(x) ((u32x4)BYTE_SHUF(u8x16, (u8x16)(x), RR16))
#define B3_ROTR8(x) ((u32x4)BYTE_SHUF(u8x16, (u8x16)(x), RR8))
#include "blake3_lanes.inc"
#undef B3_LANES
#undef B3_VEC
#undef B3_FN
#undef B3_TARGET

#define B3_LANES 8
#define B3_VEC u32x8
#define B3_FN v_blake3_hash8_avx2
#define B3_TARGET "avx2"
#define B3_ROTR16(x) ((u32x8)BYTE_SHUF(u8x32, (u8x32)(x), RR16, RR16_HI))
#define B3_ROTR8(x) ((u32x8)BYTE_SHUF(u8x32, (u8x32)(x), RR8, RR8_HI))
#include "blake3_lanes.inc"

#endif

/* The widest path the features allow; SSE2 is this build's baseline. */
int v_blake3_impl_for_cpu(v_cpu_features f)
{
#if V_BLAKE3_SIMD
    if (v_cpu_has(f, V_CPU_AVX2))
        return V_BLAKE3_IMPL_AVX2;
    if (v_cpu_has(f, V_CPU_SSE41))
        return V_BLAKE3_IMPL_SSE41;
    return V_BLAKE3_IMPL_SSE2;
#else
    (void)f;
    return V_BLAKE3_IMPL_PORTABLE;
#endif
}

int v_blake3_detect_impl(void)
{
    return v_blake3_impl_for_cpu(v_cpu_detect());
}
