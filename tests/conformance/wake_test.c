/* Waking (docs/substrate.md §7): many waiters at once, each on its own
 * object, must each be woken by a change of that object — none lost, none
 * answered with another's message — and deadlines and Timers stay exact
 * however many others wait. A lost wake-up shows as a waiter reaching its
 * 10 s patience (TIMED_OUT), so these tests fail rather than hang. Bits
 * 16..60 are used and released; 61 and 62 belong to child.c. */
#include "child.h"

#include "images/child.h"

#define BIT(n) (UINT64_C(1) << (n))
#define PATIENCE (10000 * CONF_MS)
#define WAITERS 8u
#define ROUNDS 200u

/* Collects the raised bits of `want` within PATIENCE; returns those seen. */
static uint64_t collect(uint64_t want)
{
    uint64_t seen = 0;
    vx_time until = vx_clock_monotonic() + PATIENCE;
    while ((seen & want) != want) {
        uint64_t p;
        if (vx_wait(want & ~seen, until, &p) != VX_OK)
            break;
        seen |= p;
    }
    return seen;
}

/* ---- each waiter woken by its own Ring ---- */

struct ring_waiter {
    uint32_t id;
    vx_ring_rx rx;
    uint32_t got;       /* messages received */
    uint32_t wrong;     /* messages that were not its own, or out of order */
    vx_status result;
};

static void ring_waiter_main(void *arg)
{
    struct ring_waiter *w = arg;
    vx_time until = vx_clock_monotonic() + PATIENCE;
    w->result = VX_OK;
    for (;;) {
        uint8_t m[2];
        uint32_t len;
        vx_status st = conf_recv(w->rx, m, sizeof m, &len);
        if (st == VX_OK) {
            w->wrong += len != 2 || m[0] != w->id || m[1] != (uint8_t)w->got;
            w->got++;
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED)
            break;
        uint64_t p;
        if (st == VX_ERR_SHOULD_WAIT)
            st = vx_wait(BIT(16 + w->id), until, &p);
        if (st != VX_OK) {
            w->result = st;
            break;
        }
    }
    vx_status st = vx_signal_raise_self(BIT(40 + w->id));
    if (w->result == VX_OK)
        w->result = st;
}

V_TEST(conf_wake, each_waiter_is_woken_by_its_own_ring)
{
    CONF_BEGIN();
    static struct ring_waiter w[WAITERS];
    vx_ring_tx tx[WAITERS];
    uint64_t done = 0;
    for (uint32_t i = 0; i < WAITERS; i++) {
        w[i] = (struct ring_waiter){i, {{0}}, 0, 0, VX_ERR_BAD_STATE};
        V_ASSERT(conf_ring(v_t, 2, 256, &tx[i], &w[i].rx));
        V_ASSERT_OK(vx_signal_bind(w[i].rx.h,
                                   VX_COND_READABLE | VX_COND_PEER_CLOSED,
                                   16 + i));
        done |= BIT(40 + i);
    }
    for (uint32_t i = 0; i < WAITERS; i++)
        V_ASSERT_OK(vx_thread_start(ring_waiter_main, &w[i]));
    /* Rounds in a scrambled order of Rings, so that every waiter sees
     * others' Rings change while it sleeps. */
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t k = 0; k < WAITERS; k++) {
            uint32_t i = (k * 5 + r) % WAITERS;
            uint8_t m[2] = {(uint8_t)i, (uint8_t)r};
            V_ASSERT_OK(conf_send(tx[i], m, 2));
        }
    }
    for (uint32_t i = 0; i < WAITERS; i++)
        conf_close(v_t, tx[i].h); /* PEER_CLOSED ends each waiter */
    V_EXPECT_EQ(collect(done), done);
    for (uint32_t i = 0; i < WAITERS; i++) {
        V_EXPECT_OK(w[i].result);
        V_EXPECT_EQ(w[i].got, ROUNDS);
        V_EXPECT_EQ(w[i].wrong, 0);
        V_EXPECT_OK(vx_signal_unbind(16 + i));
        conf_close(v_t, w[i].rx.h);
    }
    CONF_END();
}

/* ---- deadlines and Timers among many waiters ---- */

struct timed_waiter {
    uint32_t bit;       /* waited for */
    vx_time deadline;
    vx_status result;
    uint64_t pending;
    vx_time returned_at;
    uint32_t done_bit;
};

static void timed_waiter_main(void *arg)
{
    struct timed_waiter *w = arg;
    uint64_t p = 0;
    w->result = vx_wait(BIT(w->bit), w->deadline, &p);
    w->returned_at = vx_clock_monotonic();
    w->pending = p;
    if (vx_signal_raise_self(BIT(w->done_bit)) != VX_OK)
        w->result = VX_ERR_BAD_STATE;
}

V_TEST(conf_wake, deadlines_stay_exact_among_many_waiters)
{
    CONF_BEGIN();
    static struct timed_waiter w[6];
    uint64_t done = 0;
    vx_time now = vx_clock_monotonic();
    for (uint32_t i = 0; i < 6; i++) {
        /* Bits nobody raises: each returns at its own deadline. */
        w[i] = (struct timed_waiter){20 + i, now + (6 - i) * 3 * CONF_MS,
                                     VX_ERR_BAD_STATE, 0, 0, 40 + i};
        done |= BIT(40 + i);
        V_ASSERT_OK(vx_thread_start(timed_waiter_main, &w[i]));
    }
    V_EXPECT_EQ(collect(done), done);
    for (uint32_t i = 0; i < 6; i++) {
        V_EXPECT_STATUS(w[i].result, VX_ERR_TIMED_OUT);
        V_EXPECT_GE(w[i].returned_at, w[i].deadline);
        V_EXPECT_EQ(w[i].pending, 0);
    }
    CONF_END();
}

V_TEST(conf_wake, all_waiters_on_one_timer_wake_not_early)
{
    CONF_BEGIN();
    static struct timed_waiter w[4];
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 30));
    uint64_t done = 0;
    for (uint32_t i = 0; i < 4; i++) {
        w[i] = (struct timed_waiter){30, VX_TIME_INFINITE, VX_ERR_BAD_STATE,
                                     0, 0, 40 + i};
        done |= BIT(40 + i);
        V_ASSERT_OK(vx_thread_start(timed_waiter_main, &w[i]));
    }
    vx_time at = vx_clock_monotonic() + 5 * CONF_MS;
    V_ASSERT_OK(vx_timer_set(t, at, 0));
    V_EXPECT_EQ(collect(done), done);
    for (uint32_t i = 0; i < 4; i++) {
        V_EXPECT_OK(w[i].result);
        V_EXPECT_EQ(w[i].pending, BIT(30));
        V_EXPECT_GE(w[i].returned_at, at);
    }
    V_EXPECT_OK(vx_signal_unbind(30));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_wake, rearming_a_timer_moves_its_wakeup)
{
    CONF_BEGIN();
    static struct timed_waiter w;
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 31));
    /* Earlier: from an hour away to a few milliseconds, while waited on. */
    V_ASSERT_OK(vx_timer_set(t, vx_clock_monotonic() + 3600000 * CONF_MS, 0));
    w = (struct timed_waiter){31, VX_TIME_INFINITE, VX_ERR_BAD_STATE, 0, 0,
                              40};
    V_ASSERT_OK(vx_thread_start(timed_waiter_main, &w));
    vx_time at = vx_clock_monotonic() + 3 * CONF_MS;
    V_ASSERT_OK(vx_timer_set(t, at, 0));
    V_EXPECT_EQ(collect(BIT(40)), BIT(40));
    V_EXPECT_OK(w.result);
    V_EXPECT_EQ(w.pending, BIT(31));
    V_EXPECT_GE(w.returned_at, at);
    /* Later: set soon, then moved further out before it fires; the wait
     * must not return at the first instant. */
    vx_time first = vx_clock_monotonic() + 2 * CONF_MS;
    V_ASSERT_OK(vx_timer_set(t, first, 0));
    vx_time later = vx_clock_monotonic() + 20 * CONF_MS;
    V_ASSERT_OK(vx_timer_set(t, later, 0));
    uint64_t p = 0;
    V_ASSERT_OK(vx_wait(BIT(31), vx_clock_monotonic() + PATIENCE, &p));
    V_EXPECT_EQ(p, BIT(31));
    V_EXPECT_GE(vx_clock_monotonic(), later);
    /* Cancelled while waited on: only the deadline ends the wait. */
    V_ASSERT_OK(vx_timer_set(t, vx_clock_monotonic() + 2 * CONF_MS, 0));
    V_ASSERT_OK(vx_timer_cancel(t));
    vx_time deadline = vx_clock_monotonic() + 10 * CONF_MS;
    V_EXPECT_STATUS(vx_wait(BIT(31), deadline, &p), VX_ERR_TIMED_OUT);
    V_EXPECT_GE(vx_clock_monotonic(), deadline);
    V_EXPECT_OK(vx_signal_unbind(31));
    conf_close(v_t, t.h);
    CONF_END();
}

/* ---- TASK_EXITED, however a Task ends, with several at once ---- */

V_TEST(conf_wake, task_exited_for_exit_kill_and_crash_at_once)
{
    CONF_BEGIN();
    conf_child c[3];
    for (uint32_t i = 0; i < 3; i++) {
        V_ASSERT(conf_child_start(v_t, &c[i]));
        V_ASSERT_OK(vx_signal_bind(c[i].task.h, VX_COND_TASK_EXITED, 50 + i));
    }
    V_ASSERT_OK(conf_child_call(&c[1], CHILD_SLEEP, NULL, 0, NULL, 0, NULL,
                                0, NULL));
    int32_t code = 77;
    V_ASSERT_OK(conf_child_send(&c[0], CHILD_EXIT, &code, 4, NULL, 0));
    V_ASSERT_OK(vx_task_kill(c[1].task));
    V_ASSERT_OK(conf_child_send(&c[2], CHILD_CRASH, NULL, 0, NULL, 0));
    /* Bound bits are level: wait until all three hold. */
    uint64_t all = BIT(50) | BIT(51) | BIT(52), seen = 0;
    vx_time until = vx_clock_monotonic() + PATIENCE;
    while (seen != all) {
        uint64_t p;
        if (!V_EXPECT_OK(vx_wait(all & ~seen, until, &p)))
            break;
        seen |= p;
    }
    for (uint32_t i = 0; i < 3; i++)
        V_EXPECT_OK(vx_signal_unbind(50 + i));
    conf_child_finish(v_t, &c[0], VX_TASK_EXITED, 77);
    conf_child_finish(v_t, &c[1], VX_TASK_KILLED, 0);
    conf_child_finish(v_t, &c[2], VX_TASK_CRASHED, 0);
    CONF_END();
}

V_TEST(conf_wake, a_thread_waits_for_a_task_while_another_waits_for_a_ring)
{
    CONF_BEGIN();
    static struct ring_waiter rw;
    vx_ring_tx tx;
    rw = (struct ring_waiter){0, {{0}}, 0, 0, VX_ERR_BAD_STATE};
    V_ASSERT(conf_ring(v_t, 2, 8, &tx, &rw.rx));
    V_ASSERT_OK(vx_signal_bind(rw.rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                               16));
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    V_ASSERT_OK(vx_signal_bind(c.task.h, VX_COND_TASK_EXITED, 50));
    V_ASSERT_OK(vx_thread_start(ring_waiter_main, &rw));
    /* The Task ends first: only this thread's bit; the Ring's waiter
     * must still be asleep and then woken by its Ring alone. */
    int32_t code = 3;
    V_ASSERT_OK(conf_child_send(&c, CHILD_EXIT, &code, 4, NULL, 0));
    uint64_t p = 0;
    V_EXPECT_OK(vx_wait(BIT(50), vx_clock_monotonic() + PATIENCE, &p));
    V_EXPECT_EQ(p, BIT(50));
    uint8_t m[2] = {0, 0};
    V_EXPECT_OK(conf_send(tx, m, 2));
    conf_close(v_t, tx.h);
    V_EXPECT_EQ(collect(BIT(40)), BIT(40));
    V_EXPECT_OK(rw.result);
    V_EXPECT_EQ(rw.got, 1);
    V_EXPECT_EQ(rw.wrong, 0);
    V_EXPECT_OK(vx_signal_unbind(50));
    V_EXPECT_OK(vx_signal_unbind(16));
    conf_close(v_t, rw.rx.h);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 3);
    CONF_END();
}
