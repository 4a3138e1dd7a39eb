/* Signal: bind, raise, wait (docs/substrate.md §7). Bits 0..15 are used
 * by these tests for raised bits, 16..63 for bindings; every test unbinds
 * and drains what it used. */
#include "conf.h"

#define BIT(n) (UINT64_C(1) << (n))

V_TEST(conf_signal, raised_bits_are_returned_then_cleared)
{
    V_ASSERT_OK(vx_signal_raise_self(BIT(1) | BIT(2)));
    uint64_t p = 0;
    V_ASSERT_OK(vx_wait(BIT(1), VX_TIME_INFINITE, &p));
    V_EXPECT_EQ(p, BIT(1)); /* only bits of the mask */
    V_EXPECT_EQ(conf_poll(v_t, BIT(1)), 0u);
    V_EXPECT_EQ(conf_poll(v_t, BIT(1) | BIT(2)), BIT(2));
    V_EXPECT_EQ(conf_poll(v_t, ~UINT64_C(0) >> 48), 0u);
}

V_TEST(conf_signal, raising_twice_is_one_pending_bit)
{
    V_ASSERT_OK(vx_signal_raise_self(BIT(3)));
    V_ASSERT_OK(vx_signal_raise_self(BIT(3)));
    V_EXPECT_EQ(conf_poll(v_t, BIT(3)), BIT(3));
    V_EXPECT_EQ(conf_poll(v_t, BIT(3)), 0u);
}

V_TEST(conf_signal, wait_bad_args)
{
    uint64_t p = 5;
    V_EXPECT_STATUS(vx_wait(0, 0, &p), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_wait(BIT(1), 0, NULL), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_raise_self(0), VX_ERR_INVALID_ARGS);
    V_EXPECT_EQ(p, 5u);
}

V_TEST(conf_signal, wait_times_out_at_the_deadline_not_before)
{
    uint64_t p = 77;
    vx_time deadline = vx_clock_monotonic() + 3 * CONF_MS;
    V_EXPECT_STATUS(vx_wait(BIT(4), deadline, &p), VX_ERR_TIMED_OUT);
    V_EXPECT_GE(vx_clock_monotonic(), deadline);
    V_EXPECT_EQ(p, 77u); /* untouched */
}

V_TEST(conf_signal, past_deadline_is_a_poll)
{
    uint64_t p;
    V_EXPECT_STATUS(vx_wait(BIT(4), 0, &p), VX_ERR_TIMED_OUT);
    V_EXPECT_STATUS(vx_wait(BIT(4), vx_clock_monotonic(), &p),
                    VX_ERR_TIMED_OUT);
    V_ASSERT_OK(vx_signal_raise_self(BIT(4)));
    V_EXPECT_OK(vx_wait(BIT(4), 0, &p)); /* pending beats an old deadline */
    V_EXPECT_EQ(p, BIT(4));
}

V_TEST(conf_signal, bound_bits_are_level)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE, 20));
    V_EXPECT_EQ(conf_poll(v_t, BIT(20)), 0u);
    V_ASSERT_OK(conf_send(tx, "x", 1));
    V_EXPECT_EQ(conf_poll(v_t, BIT(20)), BIT(20));
    V_EXPECT_EQ(conf_poll(v_t, BIT(20)), BIT(20)); /* still holds */
    char c;
    uint32_t len;
    V_ASSERT_OK(conf_recv(rx, &c, 1, &len));
    V_EXPECT_EQ(conf_poll(v_t, BIT(20)), 0u);
    V_EXPECT_OK(vx_signal_unbind(20));
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_signal, raised_and_bound_states_are_independent)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 21));
    V_ASSERT_OK(vx_signal_raise_self(BIT(21)));
    V_EXPECT_EQ(conf_poll(v_t, BIT(21)), BIT(21)); /* raised */
    V_EXPECT_EQ(conf_poll(v_t, BIT(21)), 0u);      /* timer disarmed */
    V_ASSERT_OK(vx_timer_set(t, 0, 0));
    V_EXPECT_EQ(conf_poll(v_t, BIT(21)), BIT(21)); /* bound, level */
    V_EXPECT_EQ(conf_poll(v_t, BIT(21)), BIT(21));
    V_EXPECT_OK(vx_signal_unbind(21));
    V_EXPECT_EQ(conf_poll(v_t, BIT(21)), 0u);
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_signal, one_binding_many_conditions)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                               22));
    V_EXPECT_EQ(conf_poll(v_t, BIT(22)), 0u);
    conf_close(v_t, tx.h);
    V_EXPECT_EQ(conf_poll(v_t, BIT(22)), BIT(22));
    V_EXPECT_OK(vx_signal_unbind(22));
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_signal, tx_sees_peer_closed)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    V_ASSERT_OK(vx_signal_bind(tx.h, VX_COND_PEER_CLOSED, 23));
    V_ASSERT_OK(vx_signal_bind(tx.h, VX_COND_WRITABLE, 24));
    V_EXPECT_EQ(conf_poll(v_t, BIT(23) | BIT(24)), BIT(24));
    conf_close(v_t, rx.h);
    uint64_t p = 0;
    V_EXPECT_OK(vx_wait(BIT(23) | BIT(24), VX_TIME_INFINITE, &p));
    V_EXPECT_EQ(p, BIT(23));
    V_EXPECT_OK(vx_signal_unbind(23));
    V_EXPECT_OK(vx_signal_unbind(24));
    conf_close(v_t, tx.h);
    CONF_END();
}

V_TEST(conf_signal, bind_errors)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_handle nowait;
    V_ASSERT_OK(vx_handle_dup(rx.h, VX_RIGHT_RECV, &nowait));
    V_EXPECT_STATUS(vx_signal_bind(rx.h, VX_COND_READABLE, 64),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_bind(rx.h, 0, 25), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_bind(rx.h, VX_COND_WRITABLE, 25),
                    VX_ERR_INVALID_ARGS); /* an RX is never writable */
    V_EXPECT_STATUS(vx_signal_bind(rx.h, VX_COND_TIMER_FIRED, 25),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_bind(rx.h, 1u << 20, 25), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_bind(r.h, VX_COND_READABLE, 25),
                    VX_ERR_ACCESS_DENIED); /* a Region has no WAIT */
    V_EXPECT_STATUS(vx_signal_bind(nowait, VX_COND_READABLE, 25),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_signal_bind(VX_HANDLE_INVALID, VX_COND_READABLE, 25),
                    VX_ERR_BAD_HANDLE);
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE, 25));
    V_EXPECT_STATUS(vx_signal_bind(tx.h, VX_COND_WRITABLE, 25),
                    VX_ERR_BAD_STATE);
    V_EXPECT_OK(vx_signal_unbind(25));
    conf_close(v_t, nowait);
    conf_close(v_t, r.h);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_signal, unbind_errors)
{
    V_EXPECT_STATUS(vx_signal_unbind(64), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_unbind(UINT32_MAX), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_signal_unbind(26), VX_ERR_BAD_STATE);
}

V_TEST(conf_signal, closing_the_handle_ends_the_binding)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_timer_set(t, 0, 0));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 27));
    V_EXPECT_EQ(conf_poll(v_t, BIT(27)), BIT(27));
    conf_close(v_t, t.h);
    V_EXPECT_EQ(conf_poll(v_t, BIT(27)), 0u);
    V_EXPECT_STATUS(vx_signal_unbind(27), VX_ERR_BAD_STATE);
    V_ASSERT_OK(vx_timer_create(&t)); /* the bit is free again */
    V_EXPECT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 27));
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_signal, revoke_ends_bindings_of_derived_handles)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(t.h, VX_RIGHT_WAIT, &d));
    V_ASSERT_OK(vx_signal_bind(d, VX_COND_TIMER_FIRED, 28));
    V_ASSERT_OK(vx_handle_revoke(t.h));
    V_EXPECT_STATUS(vx_signal_unbind(28), VX_ERR_BAD_STATE);
    conf_close(v_t, t.h);
    CONF_END();
}

V_TEST(conf_signal, raise_on_other_task_needs_a_task_handle)
{
    CONF_BEGIN();
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_EXPECT_STATUS(vx_signal_raise((vx_task){t.h}, 1), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_signal_raise((vx_task){VX_HANDLE_INVALID}, 1),
                    VX_ERR_BAD_HANDLE);
    conf_close(v_t, t.h);
    CONF_END();
}

struct raiser {
    uint64_t bits;
};

static void raise_later(void *arg)
{
    const struct raiser *r = arg;
    /* A failure shows as the waiter never waking: the suite's timeout. */
    if (vx_signal_raise_self(r->bits) != VX_OK)
        return;
}

V_TEST(conf_signal, another_thread_wakes_a_waiter)
{
    static struct raiser r = {BIT(5)};
    V_ASSERT_OK(vx_thread_start(raise_later, &r));
    uint64_t p = 0;
    V_ASSERT_OK(vx_wait(BIT(5), VX_TIME_INFINITE, &p));
    V_EXPECT_EQ(p, BIT(5));
}

/* A producer thread pushes many numbered messages through a small Ring,
 * sleeping on WRITABLE when full; the consumer sleeps on READABLE. Proves
 * that SHOULD_WAIT plus a wait loses and reorders nothing. */
struct pipeline {
    vx_ring_tx tx;
    uint32_t count;
    vx_status result;
};

static void producer(void *arg)
{
    struct pipeline *p = arg;
    p->result = VX_OK;
    for (uint32_t i = 0; i < p->count;) {
        vx_status st = conf_send(p->tx, &i, 4);
        if (st == VX_OK) {
            i++;
        } else if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t pending;
            st = vx_wait(BIT(30), VX_TIME_INFINITE, &pending);
        }
        if (st != VX_OK) {
            p->result = st;
            break;
        }
    }
    if (vx_handle_close(p->tx.h) != VX_OK && p->result == VX_OK)
        p->result = VX_ERR_BAD_HANDLE;
}

V_TEST(conf_signal, producer_consumer_threads)
{
    CONF_BEGIN();
    static struct pipeline p;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 8, &p.tx, &rx));
    p.count = 20000;
    V_ASSERT_OK(vx_signal_bind(p.tx.h, VX_COND_WRITABLE, 30));
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                               31));
    V_ASSERT_OK(vx_thread_start(producer, &p));
    uint32_t expect = 0;
    int disorder = 0;
    for (;;) {
        uint32_t got, len;
        vx_status st = conf_recv(rx, &got, 4, &len);
        if (st == VX_OK) {
            disorder += got != expect;
            expect++;
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED)
            break;
        V_ASSERT_STATUS(st, VX_ERR_SHOULD_WAIT);
        uint64_t pending;
        V_ASSERT_OK(vx_wait(BIT(31), VX_TIME_INFINITE, &pending));
    }
    V_EXPECT_EQ(expect, p.count);
    V_EXPECT_EQ(disorder, 0);
    V_EXPECT_OK(p.result);
    /* Closing the TX in the producer ended binding 30 with it. */
    V_EXPECT_STATUS(vx_signal_unbind(30), VX_ERR_BAD_STATE);
    V_EXPECT_OK(vx_signal_unbind(31));
    conf_close(v_t, rx.h);
    CONF_END();
}
