/* v/cpu.h — which optional CPU features a program may use.
 *
 * libv keeps no global state, so it cannot remember a CPUID answer.
 * Instead a program asks once with v_cpu_detect, keeps the value, and
 * passes it to the functions that have faster paths (v_blake3_use_cpu,
 * the v_*_cpu forms of ChaCha20 and the AEADs). CPUID can take tens of
 * microseconds under a hypervisor, so asking per call would cost more
 * than it saves on small inputs.
 *
 * A value only ever enables a path the build contains: kernel builds
 * (-mno-sse) have no vector paths and ignore the vector bits (BMI2 and
 * ADX are integer instructions, usable wherever x86-64 code runs, but
 * still only when the CPU reports them). Bits may be
 * cleared (e.g. to test the portable path) but must not be set beyond
 * what v_cpu_detect reported, or the program may fault. */
#ifndef V_CPU_H
#define V_CPU_H

#include <stdbool.h>
#include <stdint.h>

enum {
    V_CPU_SSE2 = 1u << 0,   /* x86-64 baseline */
    V_CPU_SSSE3 = 1u << 1,
    V_CPU_SSE41 = 1u << 2,
    V_CPU_AVX = 1u << 3,    /* and the OS saves YMM state */
    V_CPU_AVX2 = 1u << 4,   /* and the OS saves YMM state */
    V_CPU_BMI2 = 1u << 5,   /* MULX (flag-free 64x64 multiply) etc. */
    V_CPU_ADX = 1u << 6,    /* ADCX/ADOX: two independent carry chains */
};

typedef struct v_cpu_features {
    uint32_t bits; /* V_CPU_* */
} v_cpu_features;

/* The baseline every build may assume without asking: SSE2 on x86-64
 * builds with SSE enabled, nothing elsewhere. */
v_cpu_features v_cpu_baseline(void);

/* Runs CPUID (and XGETBV) once and reports the usable features. */
v_cpu_features v_cpu_detect(void);

static inline bool v_cpu_has(v_cpu_features f, uint32_t bits)
{
    return (f.bits & bits) == bits;
}

#endif
