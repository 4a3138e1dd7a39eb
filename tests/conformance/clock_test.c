/* Clock and timers (docs/substrate.md §8). No test asserts how late
 * anything happens, only that nothing happens early. */
#include "conf.h"

#define BIT(n) (UINT64_C(1) << (n))

V_TEST(conf_clock, monotonic_never_decreases)
{
    vx_time last = vx_clock_monotonic();
    int backwards = 0;
    for (int i = 0; i < 10000; i++) {
        vx_time now = vx_clock_monotonic();
        backwards += now < last;
        last = now;
    }
    V_EXPECT_EQ(backwards, 0);
    V_EXPECT_NE(last, VX_TIME_INFINITE);
}

V_TEST(conf_timer, created_disarmed)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 40));
    V_EXPECT_EQ(conf_poll(v_t, BIT(40)), 0u);
    V_EXPECT_OK(vx_signal_unbind(40));
    conf_close(v_t, t.h);
    V_EXPECT_STATUS(vx_timer_create(NULL), VX_ERR_INVALID_ARGS);
    CONF_END();
}

V_TEST(conf_timer, fires_not_before_its_deadline)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 41));
    vx_time deadline = vx_clock_monotonic() + 2 * CONF_MS;
    V_ASSERT_OK(vx_timer_set(t, deadline, CONF_MS));
    uint64_t p = 0;
    V_ASSERT_OK(vx_wait(BIT(41), VX_TIME_INFINITE, &p));
    V_EXPECT_EQ(p, BIT(41));
    V_EXPECT_GE(vx_clock_monotonic(), deadline);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(t.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_TIMER_FIRED);
    V_EXPECT_EQ(conf_poll(v_t, BIT(41)), BIT(41)); /* level until re-set */
    V_EXPECT_OK(vx_signal_unbind(41));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_timer, past_deadline_fires_at_once)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 42));
    V_ASSERT_OK(vx_timer_set(t, 0, 0));
    V_EXPECT_EQ(conf_poll(v_t, BIT(42)), BIT(42));
    V_EXPECT_OK(vx_signal_unbind(42));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_timer, cancel_and_reset_clear_fired)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 43));
    V_ASSERT_OK(vx_timer_set(t, 0, 0));
    V_EXPECT_EQ(conf_poll(v_t, BIT(43)), BIT(43));
    V_ASSERT_OK(vx_timer_cancel(t));
    V_EXPECT_EQ(conf_poll(v_t, BIT(43)), 0u);
    V_ASSERT_OK(vx_timer_set(t, 0, 0));
    V_EXPECT_EQ(conf_poll(v_t, BIT(43)), BIT(43));
    V_ASSERT_OK(vx_timer_set(t, vx_clock_monotonic() + 3600 * 1000 * CONF_MS,
                             0));
    V_EXPECT_EQ(conf_poll(v_t, BIT(43)), 0u);
    V_ASSERT_OK(vx_timer_cancel(t));
    V_ASSERT_OK(vx_timer_cancel(t)); /* cancelling a disarmed timer is fine */
    V_EXPECT_OK(vx_signal_unbind(43));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_timer, wait_deadline_before_timer_times_out)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 44));
    vx_time now = vx_clock_monotonic();
    V_ASSERT_OK(vx_timer_set(t, now + 3600 * 1000 * CONF_MS, 0));
    uint64_t p;
    V_EXPECT_STATUS(vx_wait(BIT(44), now + 2 * CONF_MS, &p),
                    VX_ERR_TIMED_OUT);
    V_EXPECT_GE(vx_clock_monotonic(), now + 2 * CONF_MS);
    V_EXPECT_OK(vx_signal_unbind(44));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_timer, earliest_of_two_timers_wakes_first)
{
    CONF_BEGIN();
    vx_timer a, b;
    V_ASSERT_OK(vx_timer_create(&a));
    V_ASSERT_OK(vx_timer_create(&b));
    V_ASSERT_OK(vx_signal_bind(a.h, VX_COND_TIMER_FIRED, 45));
    V_ASSERT_OK(vx_signal_bind(b.h, VX_COND_TIMER_FIRED, 46));
    vx_time now = vx_clock_monotonic();
    V_ASSERT_OK(vx_timer_set(a, now + 3600 * 1000 * CONF_MS, 0));
    V_ASSERT_OK(vx_timer_set(b, now + 2 * CONF_MS, 0));
    uint64_t p = 0;
    V_ASSERT_OK(vx_wait(BIT(45) | BIT(46), VX_TIME_INFINITE, &p));
    V_EXPECT_EQ(p, BIT(46));
    V_EXPECT_OK(vx_signal_unbind(45));
    V_EXPECT_OK(vx_signal_unbind(46));
    conf_close(v_t, a.h);
    conf_close(v_t, b.h);
    CONF_END();
}

V_TEST(conf_timer, needs_write_right)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    vx_handle waitonly;
    V_ASSERT_OK(vx_handle_dup(t.h, VX_RIGHT_WAIT, &waitonly));
    V_EXPECT_STATUS(vx_timer_set((vx_timer){waitonly}, 0, 0),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_timer_cancel((vx_timer){waitonly}),
                    VX_ERR_ACCESS_DENIED);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(t.h, &info));
    V_EXPECT_EQ(info.conditions, 0u); /* the refused set did nothing */
    conf_close(v_t, waitonly);
    conf_close(v_t, t.h);
    V_EXPECT_STATUS(vx_timer_set(t, 0, 0), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_timer_cancel(t), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_timer, huge_slack_saturates)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_timer_set(t, 0, UINT64_MAX));
    uint64_t p;
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 47));
    /* May fire any time from now on; it must at least be armed. */
    vx_status st = vx_wait(BIT(47), 0, &p);
    V_EXPECT(st == VX_OK || st == VX_ERR_TIMED_OUT);
    V_EXPECT_OK(vx_signal_unbind(47));
    conf_close(v_t, t.h);
    CONF_END();
}
