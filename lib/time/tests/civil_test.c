/* libv time: civil dates. */
#include <v/test.h>
#include <v/time.h>

static void expect_civil(v_test_ctx *v_t, int64_t utc, int32_t y, int mo,
                         int d, int h, int mi, int s, uint32_t ns)
{
    v_civil c;
    v_civil_from_utc(utc, &c);
    V_EXPECT_EQ(c.year, y);
    V_EXPECT_EQ(c.month, mo);
    V_EXPECT_EQ(c.day, d);
    V_EXPECT_EQ(c.hour, h);
    V_EXPECT_EQ(c.minute, mi);
    V_EXPECT_EQ(c.second, s);
    V_EXPECT_EQ(c.nanosecond, ns);
    int64_t back = 0;
    V_EXPECT_OK(v_civil_to_utc(&c, &back));
    V_EXPECT_EQ(back, utc);
}

#define S(x) ((int64_t)(x) * (int64_t)V_NS_PER_SEC)

V_TEST(time, civil_known_dates)
{
    expect_civil(v_t, 0, 1970, 1, 1, 0, 0, 0, 0);
    expect_civil(v_t, -1, 1969, 12, 31, 23, 59, 59, 999999999);
    expect_civil(v_t, S(951782400), 2000, 2, 29, 0, 0, 0, 0);
    expect_civil(v_t, S(951868799), 2000, 2, 29, 23, 59, 59, 0);
    expect_civil(v_t, S(2147483647), 2038, 1, 19, 3, 14, 7, 0);
    expect_civil(v_t, S(4107542400), 2100, 3, 1, 0, 0, 0, 0);
    expect_civil(v_t, S(-2208988800), 1900, 1, 1, 0, 0, 0, 0);
    expect_civil(v_t, INT64_MAX, 2262, 4, 11, 23, 47, 16, 854775807);
    expect_civil(v_t, INT64_MIN, 1677, 9, 21, 0, 12, 43, 145224192);
}

V_TEST(time, civil_round_trips_every_day)
{
    /* Every day from 1677-09-22 to 2262-04-10, at a varying time of day:
     * dates step by one, months and years roll over correctly. */
    v_civil prev;
    v_civil_from_utc(S(-9223286400), &prev);
    int bad = 0;
    for (int64_t day = -106750; day <= 106750; day++) {
        int64_t utc = S(day * 86400 + (day & 0xffff)) + (day & 0x3ff);
        v_civil c;
        v_civil_from_utc(utc, &c);
        int64_t back = 0;
        bad += v_civil_to_utc(&c, &back) != V_OK || back != utc;
        bool next_day = c.day == prev.day + 1 && c.month == prev.month;
        bool next_month = c.day == 1 && (c.month == prev.month + 1 ||
                                         (c.month == 1 && prev.month == 12));
        bad += !(next_day || next_month);
        bad += c.month == 1 && c.day == 1 && c.year != prev.year + 1;
        prev = c;
    }
    V_EXPECT_EQ(bad, 0);
}

V_TEST(time, civil_rejects_impossible_dates)
{
    static const v_civil bad[] = {
        {2024, 0, 1, 0, 0, 0, 0},  {2024, 13, 1, 0, 0, 0, 0},
        {2024, 1, 0, 0, 0, 0, 0},  {2024, 1, 32, 0, 0, 0, 0},
        {2023, 2, 29, 0, 0, 0, 0}, {1900, 2, 29, 0, 0, 0, 0},
        {2024, 4, 31, 0, 0, 0, 0}, {2024, 1, 1, 24, 0, 0, 0},
        {2024, 1, 1, 0, 60, 0, 0}, {2024, 1, 1, 0, 0, 60, 0},
        {2024, 1, 1, 0, 0, 0, 1000000000},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t utc = 42;
        V_EXPECT_STATUS(v_civil_to_utc(&bad[i], &utc), V_ERR_INVALID_ARGS);
        V_EXPECT_EQ(utc, 42);
    }
    int64_t utc;
    const v_civil leap2024 = {2024, 2, 29, 0, 0, 0, 0};
    const v_civil leap2000 = {2000, 2, 29, 0, 0, 0, 0};
    V_EXPECT_OK(v_civil_to_utc(&leap2024, &utc));
    V_EXPECT_OK(v_civil_to_utc(&leap2000, &utc));
}

V_TEST(time, civil_out_of_range)
{
    static const v_civil far[] = {
        {2262, 4, 11, 23, 47, 16, 854775808}, {2263, 1, 1, 0, 0, 0, 0},
        {1677, 9, 21, 0, 12, 43, 145224191},  {INT32_MIN, 1, 1, 0, 0, 0, 0},
        {INT32_MAX, 12, 31, 23, 59, 59, 999999999},
    };
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        int64_t utc = 42;
        V_EXPECT_STATUS(v_civil_to_utc(&far[i], &utc), V_ERR_OUT_OF_RANGE);
        V_EXPECT_EQ(utc, 42);
    }
}
