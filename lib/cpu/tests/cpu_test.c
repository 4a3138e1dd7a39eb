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
