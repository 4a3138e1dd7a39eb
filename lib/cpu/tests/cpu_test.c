/* CPU feature detection: stable, consistent, and never below the
 * baseline the build assumes. */
#include <v/cpu.h>
#include <v/test.h>

V_TEST(cpu, detect_is_stable_and_covers_baseline)
{
    v_cpu_features a = v_cpu_detect(), b = v_cpu_detect();
    V_EXPECT_EQ(a.bits, b.bits);
    v_cpu_features base = v_cpu_baseline();
    V_EXPECT_EQ(a.bits & base.bits, base.bits);
#if defined(__x86_64__)
    V_EXPECT(v_cpu_has(a, V_CPU_SSE2));
#endif
}

V_TEST(cpu, features_imply_their_prerequisites)
{
    v_cpu_features f = v_cpu_detect();
    if (v_cpu_has(f, V_CPU_AVX2))
        V_EXPECT(v_cpu_has(f, V_CPU_AVX));
    V_EXPECT(v_cpu_has(f, 0));
    V_EXPECT(!v_cpu_has((v_cpu_features){0}, V_CPU_SSE2));
}

/* BMI2 and ADX agree with the compiler's own CPUID reading (gcc knows
 * both names; clang only "bmi2"). */
V_TEST(cpu, bmi2_and_adx_match_the_compiler_builtin)
{
#if defined(__x86_64__)
    v_cpu_features f = v_cpu_detect();
    __builtin_cpu_init();
    V_EXPECT_EQ(v_cpu_has(f, V_CPU_BMI2),
                __builtin_cpu_supports("bmi2") != 0);
#if !defined(__clang__)
    V_EXPECT_EQ(v_cpu_has(f, V_CPU_ADX), __builtin_cpu_supports("adx") != 0);
#endif
#else
    V_EXPECT_EQ(v_cpu_detect().bits, 0u);
#endif
}
