/* Targeted wake-ups in the hosted core (docs/substrate.md §11, "Waiting"):
 * a change wakes the waiters of the object that changed and no others.
 * The conformance suite proves no wake-up is lost; this counts the ones
 * made, through the core's own statistics (k_wake_stats). */
#define _GNU_SOURCE
#include "../../tests/conformance/conf.h"
#include "../kern.h"

#include <time.h>

#define BIT(n) (UINT64_C(1) << (n))
#define WAITERS 8u

struct solo {
    vx_ring_rx rx;
    uint32_t bit;
    uint32_t got;  /* atomic: messages received */
    uint32_t waits; /* atomic: returns from vx_wait */
    uint32_t done; /* atomic: the thread has finished */
    vx_status result;
};

static void solo_main(void *arg)
{
    struct solo *s = arg;
    vx_time until = vx_clock_monotonic() + 10000 * CONF_MS;
    s->result = VX_OK;
    for (;;) {
        uint8_t m;
        uint32_t len;
        vx_status st = conf_recv(s->rx, &m, 1, &len);
        if (st == VX_OK) {
            __atomic_add_fetch(&s->got, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED)
            break;
        uint64_t p;
        if (st == VX_ERR_SHOULD_WAIT) {
            st = vx_wait(BIT(s->bit), until, &p);
            __atomic_add_fetch(&s->waits, 1, __ATOMIC_SEQ_CST);
        }
        if (st != VX_OK) {
            s->result = st;
            break;
        }
    }
    __atomic_store_n(&s->done, 1, __ATOMIC_SEQ_CST);
}

static void nap(void)
{
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

/* Waits (at most 10 s) until exactly `n` waiters sleep in the core. */
static bool asleep_becomes(uint32_t n)
{
    for (int i = 0; i < 10000; i++) {
        uint64_t woken;
        uint32_t asleep;
        k_wake_stats(&woken, &asleep);
        if (asleep == n)
            return true;
        nap();
    }
    return false;
}

static uint64_t woken_so_far(void)
{
    uint64_t woken;
    uint32_t asleep;
    k_wake_stats(&woken, &asleep);
    return woken;
}

V_TEST(hosted, a_change_wakes_only_the_waiters_of_its_object)
{
    CONF_BEGIN();
    static struct solo s[WAITERS];
    vx_ring_tx tx[WAITERS];
    for (uint32_t i = 0; i < WAITERS; i++) {
        s[i] = (struct solo){{{0}}, 16 + i, 0, 0, 0, VX_ERR_BAD_STATE};
        V_ASSERT(conf_ring(v_t, 1, 8, &tx[i], &s[i].rx));
        V_ASSERT_OK(vx_signal_bind(s[i].rx.h,
                                   VX_COND_READABLE | VX_COND_PEER_CLOSED,
                                   16 + i));
        V_ASSERT_OK(vx_thread_start(solo_main, &s[i]));
    }
    V_ASSERT(asleep_becomes(WAITERS));
    /* One message on Ring 3: exactly one waiter is woken. */
    uint64_t before = woken_so_far();
    V_ASSERT_OK(conf_send(tx[3], "x", 1));
    for (int i = 0; i < 10000 && __atomic_load_n(&s[3].got, __ATOMIC_SEQ_CST) == 0;
         i++)
        nap();
    V_EXPECT_EQ(s[3].got, 1u);
    V_ASSERT(asleep_becomes(WAITERS));
    V_EXPECT_EQ(woken_so_far() - before, 1u);
    /* A raised bit nobody waits for wakes nobody; one a thread waits for
     * wakes that thread only. */
    before = woken_so_far();
    V_EXPECT_OK(vx_signal_raise_self(BIT(60)));
    V_EXPECT_EQ(woken_so_far() - before, 0u);
    V_EXPECT_OK(vx_signal_raise_self(BIT(16 + 5)));
    for (int i = 0; i < 10000 && __atomic_load_n(&s[5].waits,
                                                 __ATOMIC_SEQ_CST) == 0;
         i++)
        nap();
    V_EXPECT_EQ(s[5].waits, 1u);
    V_ASSERT(asleep_becomes(WAITERS));
    V_EXPECT_EQ(woken_so_far() - before, 1u);
    uint64_t p;
    V_EXPECT_OK(vx_wait(BIT(60), 0, &p)); /* drain what was raised */
    V_EXPECT_EQ(p, BIT(60));
    V_EXPECT_STATUS(vx_wait(BIT(21), 0, &p), VX_ERR_TIMED_OUT); /* taken */
    /* A Timer nobody is bound to wakes nobody when it fires. */
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    before = woken_so_far();
    V_ASSERT_OK(vx_timer_set(t, vx_clock_monotonic() + 2 * CONF_MS, 0));
    for (int i = 0; i < 5; i++)
        nap();
    V_EXPECT_EQ(woken_so_far() - before, 0u);
    conf_close(v_t, t.h);
    /* Closing each TX wakes its own waiter, which ends. */
    before = woken_so_far();
    for (uint32_t i = 0; i < WAITERS; i++)
        conf_close(v_t, tx[i].h);
    for (uint32_t i = 0; i < WAITERS; i++) {
        for (int k = 0; k < 10000 && !__atomic_load_n(&s[i].done,
                                                      __ATOMIC_SEQ_CST);
             k++)
            nap();
        V_EXPECT_EQ(s[i].done, 1u);
        V_EXPECT_OK(s[i].result);
        V_EXPECT_OK(vx_signal_unbind(16 + i));
        conf_close(v_t, s[i].rx.h);
    }
    V_EXPECT_EQ(woken_so_far() - before, WAITERS);
    CONF_END();
}
