/* CPU feature detection (see v/cpu.h). One CPUID sweep, no caching: the
 * caller keeps the answer. Only x86-64 has optional paths so far. */
#include <v/cpu.h>

#if defined(__x86_64__)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

v_cpu_features v_cpu_baseline(void)
{
#if defined(__SSE2__)
    return (v_cpu_features){V_CPU_SSE2};
#else
    return (v_cpu_features){0};
#endif
}

v_cpu_features v_cpu_detect(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    uint32_t bits = 0;
    if ((r[3] >> 26) & 1)
        bits |= V_CPU_SSE2;
    if ((r[2] >> 9) & 1)
        bits |= V_CPU_SSSE3;
    if ((r[2] >> 19) & 1)
        bits |= V_CPU_SSE41;
    /* AVX registers are usable only if the OS saves them on context
     * switch: OSXSAVE set and XCR0 enabling SSE and AVX state (bits 1, 2). */
    bool osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1;
    bool os_avx = false;
    if (osxsave && avx) {
        uint32_t lo, hi;
        __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        (void)hi;
        if ((lo & 6) == 6) {
            bits |= V_CPU_AVX;
            os_avx = true;
        }
    }
    /* Leaf 7, EBX: AVX2 (bit 5; needs the OS's YMM support above), BMI2
     * (bit 8) and ADX (bit 19). The last two are integer instructions
     * and need nothing from the OS. */
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        if (os_avx && ((r[1] >> 5) & 1))
            bits |= V_CPU_AVX2;
        if ((r[1] >> 8) & 1)
            bits |= V_CPU_BMI2;
        if ((r[1] >> 19) & 1)
            bits |= V_CPU_ADX;
    }
    return (v_cpu_features){bits};
}

#else

v_cpu_features v_cpu_baseline(void)
{
    return (v_cpu_features){0};
}

v_cpu_features v_cpu_detect(void)
{
    return (v_cpu_features){0};
}

#endif
