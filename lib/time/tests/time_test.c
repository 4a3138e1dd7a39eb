/* libv time: monotonic arithmetic and the wall clock's confidence. */
#include <v/test.h>
#include <v/time.h>

#define SEC V_NS_PER_SEC

V_TEST(time, elapsed_and_after)
{
    uint64_t ns = 7;
    V_EXPECT_OK(v_time_elapsed((v_instant){100}, (v_instant){350}, &ns));
    V_EXPECT_EQ(ns, 250u);
    V_EXPECT_OK(v_time_elapsed((v_instant){5}, (v_instant){5}, &ns));
    V_EXPECT_EQ(ns, 0u);
    ns = 7;
    V_EXPECT_STATUS(v_time_elapsed((v_instant){6}, (v_instant){5}, &ns),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(ns, 7u);
    V_EXPECT_EQ(v_time_after((v_instant){10}, 5).ns, 15u);
    V_EXPECT_EQ(v_time_after((v_instant){10}, UINT64_MAX).ns, UINT64_MAX);
    V_EXPECT_EQ(v_time_after(V_INSTANT_NEVER, 1).ns, UINT64_MAX);
}

V_TEST(time, unset_clock_gives_no_date)
{
    v_wallclock w;
    v_wall_init(&w);
    v_walltime t = {123, 456, V_WALL_SYNCHRONISED};
    V_EXPECT_STATUS(v_wall_now(&w, (v_instant){SEC}, &t), V_ERR_BAD_STATE);
    V_EXPECT_EQ(t.utc_ns, 123); /* untouched: nothing that looks like 1970 */
    V_EXPECT_EQ(t.error_ns, 456u);
    V_EXPECT_EQ(w.ref.confidence, V_WALL_UNKNOWN);
}

V_TEST(time, set_rejects_bad_samples)
{
    v_wallclock w;
    v_wall_init(&w);
    v_wall_sample s = {{SEC}, 0, 0, 0, V_WALL_UNKNOWN};
    V_EXPECT_STATUS(v_wall_set(&w, &s), V_ERR_INVALID_ARGS);
    s.confidence = (v_wall_confidence)3;
    V_EXPECT_STATUS(v_wall_set(&w, &s), V_ERR_INVALID_ARGS);
    s.confidence = V_WALL_ESTIMATED;
    s.drift_ppb = V_WALL_DRIFT_MAX_PPB + 1;
    V_EXPECT_STATUS(v_wall_set(&w, &s), V_ERR_INVALID_ARGS);
    s.drift_ppb = 0;
    s.at = V_INSTANT_NEVER;
    V_EXPECT_STATUS(v_wall_set(&w, &s), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(w.ref.confidence, V_WALL_UNKNOWN); /* still unset */
}

V_TEST(time, reading_extrapolates_and_widens_the_bound)
{
    v_wallclock w;
    v_wall_init(&w);
    /* At monotonic 100 s it was 2026-01-01T00:00:00Z +- 2 ms; the
     * oscillator may drift 50 ppm (50000 ppb). */
    const int64_t date = INT64_C(1767225600) * (int64_t)SEC;
    v_wall_sample s = {{100 * SEC}, date, 2000000, 50000, V_WALL_SYNCHRONISED};
    V_ASSERT_OK(v_wall_set(&w, &s));
    v_walltime t;
    V_ASSERT_OK(v_wall_now(&w, (v_instant){100 * SEC}, &t));
    V_EXPECT_EQ(t.utc_ns, date);
    V_EXPECT_EQ(t.error_ns, 2000000u);
    V_EXPECT_EQ(t.confidence, V_WALL_SYNCHRONISED);
    /* 1000 s later: +1000 s, bound + 50 ms. */
    V_ASSERT_OK(v_wall_now(&w, (v_instant){1100 * SEC}, &t));
    V_EXPECT_EQ(t.utc_ns, date + 1000 * (int64_t)SEC);
    V_EXPECT_EQ(t.error_ns, 2000000u + 50000000u);
    /* 10 s before the sample: just as uncertain, the other way. */
    V_ASSERT_OK(v_wall_now(&w, (v_instant){90 * SEC}, &t));
    V_EXPECT_EQ(t.utc_ns, date - 10 * (int64_t)SEC);
    V_EXPECT_EQ(t.error_ns, 2000000u + 500000u);
    /* Sub-second elapsed time still counts. */
    V_ASSERT_OK(v_wall_now(&w, (v_instant){100 * SEC + SEC / 2}, &t));
    V_EXPECT_EQ(t.error_ns, 2000000u + 25000u);
}

V_TEST(time, bound_saturates_and_date_overflow_is_reported)
{
    v_wallclock w;
    v_wall_init(&w);
    v_wall_sample s = {{0}, INT64_MAX - 10, UINT64_MAX - 5,
                       V_WALL_DRIFT_MAX_PPB, V_WALL_ESTIMATED};
    V_ASSERT_OK(v_wall_set(&w, &s));
    v_walltime t;
    V_ASSERT_OK(v_wall_now(&w, (v_instant){10}, &t));
    V_EXPECT_EQ(t.utc_ns, INT64_MAX);
    V_EXPECT_EQ(t.error_ns, UINT64_MAX);
    V_EXPECT_STATUS(v_wall_now(&w, (v_instant){11}, &t), V_ERR_OUT_OF_RANGE);
    s = (v_wall_sample){{UINT64_MAX - 1}, INT64_MIN + 5, 0, 0,
                        V_WALL_ESTIMATED};
    V_ASSERT_OK(v_wall_set(&w, &s));
    V_EXPECT_STATUS(v_wall_now(&w, (v_instant){UINT64_MAX - 7}, &t),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_wall_now(&w, (v_instant){0}, &t), V_ERR_OUT_OF_RANGE);
    V_ASSERT_OK(v_wall_now(&w, (v_instant){UINT64_MAX - 6}, &t));
    V_EXPECT_EQ(t.utc_ns, INT64_MIN);
}

V_TEST(time, offer_keeps_the_better_clock)
{
    v_wallclock w;
    v_wall_init(&w);
    bool taken = false;
    v_wall_sample rtc = {{0}, 1000 * (int64_t)SEC, SEC, 100000,
                         V_WALL_ESTIMATED};
    V_ASSERT_OK(v_wall_offer(&w, &rtc, (v_instant){0}, &taken));
    V_EXPECT(taken); /* anything beats unset */
    /* A worse estimate is refused. */
    v_wall_sample rough = {{0}, 1001 * (int64_t)SEC, 2 * SEC, 0,
                           V_WALL_ESTIMATED};
    V_ASSERT_OK(v_wall_offer(&w, &rough, (v_instant){0}, &taken));
    V_EXPECT(!taken);
    /* Much later the RTC's drift has widened its bound past rough's. */
    V_ASSERT_OK(v_wall_offer(&w, &rough, (v_instant){20000 * SEC}, &taken));
    V_EXPECT(taken);
    /* A synchronised sample wins even with a wider bound ... */
    v_wall_sample ntp = {{SEC}, 1002 * (int64_t)SEC, 3 * SEC, 0,
                         V_WALL_SYNCHRONISED};
    V_ASSERT_OK(v_wall_offer(&w, &ntp, (v_instant){SEC}, &taken));
    V_EXPECT(taken);
    /* ... and an estimate never lowers the confidence again. */
    v_wall_sample sharp = {{SEC}, 1002 * (int64_t)SEC, 1, 0,
                           V_WALL_ESTIMATED};
    V_ASSERT_OK(v_wall_offer(&w, &sharp, (v_instant){SEC}, &taken));
    V_EXPECT(!taken);
    v_walltime t;
    V_ASSERT_OK(v_wall_now(&w, (v_instant){SEC}, &t));
    V_EXPECT_EQ(t.confidence, V_WALL_SYNCHRONISED);
    V_EXPECT_EQ(t.error_ns, 3 * SEC);
    /* Bad samples are refused with the clock unchanged. */
    sharp.confidence = V_WALL_UNKNOWN;
    taken = true;
    V_EXPECT_STATUS(v_wall_offer(&w, &sharp, (v_instant){SEC}, &taken),
                    V_ERR_INVALID_ARGS);
    V_EXPECT(taken);
    V_EXPECT_EQ(w.ref.confidence, V_WALL_SYNCHRONISED);
}
