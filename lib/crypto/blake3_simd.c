/* BLAKE3 many-chunk hashing: SSE2 and SSE4.1 (4 lanes) and AVX2 (8
 * lanes). Only on x86-64 builds whose baseline includes SSE2 (hosted and
 * user code); kernel builds (-mno-sse) get the portable path alone, since
 * the kernel does not save vector state.
 *
 * SSE2 is part of x86-64, so it is the default and needs no detection.
 * SSE4.1 and AVX2 need CPUID, which can cost tens of microseconds under a
 * hypervisor and whose answer libv may not keep in a global: a program
 * selects them once with v_blake3_use_impl and copies that hasher. */
#include <v/crypto.h>
#include <v/mem.h>

#include "blake3_impl.h"
#include "bytes.h"

#if V_BLAKE3_SIMD

typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));

#define B3_LANES 4
#define B3_VEC u32x4
#define B3_FN v_blake3_hash4_sse2
#define B3_TARGET "sse2"
#include "blake3_lanes.inc"
#undef B3_FN
#undef B3_TARGET

#define B3_FN v_blake3_hash4_sse41
#define B3_TARGET "sse4.1"
#include "blake3_lanes.inc"
#undef B3_LANES
#undef B3_VEC
#undef B3_FN
#undef B3_TARGET

#define B3_LANES 8
#define B3_VEC u32x8
#define B3_FN v_blake3_hash8_avx2
#define B3_TARGET "avx2"
#include "blake3_lanes.inc"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

int v_blake3_detect_impl(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    int sse41 = (r[2] >> 19) & 1;
    int osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1;
    int avx2 = 0;
    if (max_leaf >= 7 && osxsave && avx) {
        /* AVX2 needs the OS to save YMM state: XCR0 bits 1 and 2. */
        uint32_t lo, hi;
        __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        uint32_t r7[4];
        cpuid(7, 0, r7);
        avx2 = (lo & 6) == 6 && ((r7[1] >> 5) & 1);
    }
    if (avx2)
        return V_BLAKE3_IMPL_AVX2;
    if (sse41)
        return V_BLAKE3_IMPL_SSE41;
    return V_BLAKE3_IMPL_SSE2;
}

#else

int v_blake3_detect_impl(void)
{
    return V_BLAKE3_IMPL_PORTABLE;
}

#endif
