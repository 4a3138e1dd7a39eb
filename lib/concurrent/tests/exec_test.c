/* The executor: one vx_wait per iteration (counted through a link-time
 * wrapper), every ready source drained in that iteration, Rings and
 * PEER_CLOSED, channels with backpressure, timers as futures, joins,
 * cancellation, kicks from another thread, and every error path. */
#include <v/concurrent.h>
#include <v/test.h>
#include <vx/vx.h>

#include "wait_count.h"

#define ALL_BITS UINT64_C(0x0000ffffffffff00) /* leave some to the program */

static uint32_t handles_used(void)
{
    vx_task_usage u = {0};
    if (vx_task_usage_get(&u) != VX_OK)
        return UINT32_MAX;
    return u.handles_used;
}

static vx_status ring(uint32_t slots, vx_ring_tx *tx, vx_ring_rx *rx)
{
    vx_ring_params p = {64, slots, 0x5eed};
    return vx_ring_create(&p, tx, rx);
}

static vx_status send_u32(vx_ring_tx tx, uint32_t v)
{
    vx_msg_out m = {&v, 4, 0, {{0}}};
    return vx_ring_send(tx, &m);
}

/* ---- a future that drains one Ring ---- */
typedef struct reader {
    v_future f;
    vx_ring_rx rx;
    uint32_t bit;
    uint32_t got;
    uint32_t polls;
    uint32_t next; /* the value expected next */
    bool in_order;
    bool peer_closed;
} reader;

static v_poll read_ring(v_exec *e, v_future *f)
{
    reader *r = f->ctx;
    r->polls++;
    for (;;) {
        uint32_t v = 0;
        vx_msg_in m = {&v, 4, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(r->rx, &m);
        if (st == VX_OK) {
            if (v != r->next)
                r->in_order = false;
            r->next++;
            r->got++;
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED) {
            r->peer_closed = true;
            return V_POLL_DONE;
        }
        if (st != VX_ERR_SHOULD_WAIT)
            return V_POLL_DONE;
        (void)v_exec_await(e, f, r->bit);
        return V_POLL_PENDING;
    }
}

static v_status reader_start(v_exec *e, reader *r, vx_ring_rx rx)
{
    *r = (reader){.rx = rx, .in_order = true};
    v_status st = v_exec_bind_handle(
        e, rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, &r->bit);
    if (st != V_OK)
        return st;
    return v_exec_spawn(e, &r->f, read_ring, r);
}

/* ---- a future that drains a channel ---- */
typedef struct consumer {
    v_future f;
    v_chan *c;
    uint32_t bit;
    uint32_t got;
    uint32_t next;
    bool in_order;
    bool closed;
} consumer;

static v_poll consume(v_exec *e, v_future *f)
{
    consumer *k = f->ctx;
    for (;;) {
        uint32_t v = 0, len = 0;
        v_status st = v_chan_recv(k->c, &v, sizeof v, &len);
        if (st == V_OK) {
            if (v != k->next)
                k->in_order = false;
            k->next++;
            k->got++;
        } else if (st == V_ERR_SHOULD_WAIT) {
            (void)v_exec_await(e, f, k->bit);
            return V_POLL_PENDING;
        } else {
            k->closed = st == V_ERR_PEER_CLOSED;
            return V_POLL_DONE;
        }
    }
}

/* ---- a producer future with backpressure ---- */
typedef struct feeder {
    v_future f;
    v_chan *c;
    uint32_t bit; /* the channel's writable bit */
    uint32_t sent;
    uint32_t total;
    uint32_t refused;
} feeder;

static v_poll feed(v_exec *e, v_future *f)
{
    feeder *p = f->ctx;
    while (p->sent < p->total) {
        v_status st = v_chan_send(p->c, &p->sent, sizeof p->sent);
        if (st == V_ERR_SHOULD_WAIT) {
            p->refused++;
            (void)v_exec_await(e, f, p->bit);
            return V_POLL_PENDING;
        }
        if (st != V_OK)
            return V_POLL_DONE;
        p->sent++;
    }
    (void)v_chan_sender_close(p->c);
    return V_POLL_DONE;
}

V_TEST(concurrent, exec_init_and_bits)
{
    v_exec e;
    V_EXPECT_STATUS(v_exec_init(NULL, 1), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_init(&e, 0), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_exec_init(&e, UINT64_C(0x70))); /* bits 4, 5, 6 */
    V_EXPECT_EQ(e.kick_bit, 4u);
    uint32_t a = 99, b = 99, c = 99;
    V_EXPECT_OK(v_exec_bit_alloc(&e, &a));
    V_EXPECT_OK(v_exec_bit_alloc(&e, &b));
    V_EXPECT_EQ(a, 5u);
    V_EXPECT_EQ(b, 6u);
    V_EXPECT_STATUS(v_exec_bit_alloc(&e, &c), V_ERR_LIMIT);
    V_EXPECT_EQ(c, 99u);
    V_EXPECT_STATUS(v_exec_bit_alloc(&e, NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_bit_alloc(NULL, &c), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_bit_free(&e, 4), V_ERR_INVALID_ARGS); /* kick */
    V_EXPECT_STATUS(v_exec_bit_free(&e, 7), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_bit_free(&e, 64), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_bit_free(NULL, 5), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_bit_free(&e, 5));
    V_EXPECT_STATUS(v_exec_bit_free(&e, 5), V_ERR_INVALID_ARGS); /* twice */
    /* A failed bind gives its bit back. */
    V_EXPECT_STATUS(v_exec_bind_handle(&e, VX_HANDLE_INVALID,
                                       VX_COND_READABLE, &c),
                    V_ERR_BAD_HANDLE);
    V_EXPECT_OK(v_exec_bit_alloc(&e, &c));
    V_EXPECT_EQ(c, 5u);
    V_EXPECT_STATUS(v_exec_bind_handle(&e, VX_HANDLE_INVALID,
                                       VX_COND_READABLE, NULL),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_run_once(&e, 0), V_ERR_BAD_STATE); /* idle */
    V_EXPECT_STATUS(v_exec_run_once(NULL, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE)); /* nothing to run */
    V_EXPECT_STATUS(v_exec_run(NULL, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_STATUS(v_exec_fini(NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_kick(NULL), V_ERR_INVALID_ARGS);
}

static v_poll done_at_once(v_exec *e, v_future *f)
{
    (*(int *)f->ctx)++;
    return V_POLL_DONE;
}

static v_poll pending_on_nothing(v_exec *e, v_future *f)
{
    (*(int *)f->ctx)++;
    return V_POLL_PENDING;
}

V_TEST(concurrent, exec_spawn_await_errors)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    int n = 0;
    v_future f, g;
    V_EXPECT_STATUS(v_exec_spawn(NULL, &f, done_at_once, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_spawn(&e, NULL, done_at_once, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_spawn(&e, &f, NULL, &n), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_exec_spawn(&e, &f, done_at_once, &n));
    V_EXPECT_STATUS(v_exec_spawn(&e, &f, done_at_once, &n),
                    V_ERR_BAD_STATE);
    V_EXPECT_STATUS(v_exec_await(&e, &f, e.kick_bit), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_await(&e, &f, 63), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_await(&e, &g, 9), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_wake(&e, &g), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_cancel(&e, &g), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_join(&e, &f, &f), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_join(&e, &f, &g), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_exec_fini(&e), V_ERR_BAD_STATE); /* f is live */
    V_EXPECT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(n, 1);
    V_EXPECT_EQ(e.live, 0u);
    V_EXPECT(!f.live);
    /* PENDING on nothing would never be polled again: dropped, reported. */
    V_ASSERT_OK(v_exec_spawn(&e, &g, pending_on_nothing, &n));
    V_EXPECT_STATUS(v_exec_run_once(&e, VX_TIME_INFINITE), V_ERR_BAD_STATE);
    V_EXPECT_EQ(n, 2);
    V_EXPECT_EQ(e.live, 0u);
    V_EXPECT_OK(v_exec_fini(&e));
}

V_TEST(concurrent, exec_drains_every_ready_source_in_one_wait)
{
    uint32_t before = handles_used();
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    enum { RINGS = 3, PER_RING = 6 };
    vx_ring_tx tx[RINGS];
    vx_ring_rx rx[RINGS];
    reader r[RINGS];
    for (int i = 0; i < RINGS; i++) {
        V_ASSERT_OK(ring(8, &tx[i], &rx[i]));
        V_ASSERT_OK(reader_start(&e, &r[i], rx[i]));
    }
    _Alignas(8) uint8_t store[16 * 8];
    v_chan ch;
    consumer k = {.in_order = true};
    uint32_t rbit;
    V_ASSERT_OK(v_exec_bit_alloc(&e, &rbit));
    v_chan_params cp = {4, 16, rbit, V_CHAN_NO_BIT};
    V_ASSERT_OK(v_chan_init(&ch, &cp, store, sizeof store));
    k.c = &ch;
    k.bit = rbit;
    V_ASSERT_OK(v_exec_spawn(&e, &k.f, consume, &k));
    v_sleep s;
    vx_time soon = vx_clock_monotonic() + 1000000u;
    V_ASSERT_OK(v_sleep_start(&e, &s, soon));

    /* Settle: every new future is polled once and finds nothing. */
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(e.live, (uint32_t)RINGS + 2u);

    /* Make every source ready at once, then one iteration. */
    for (int i = 0; i < RINGS; i++)
        for (uint32_t m = 0; m < PER_RING; m++)
            V_ASSERT_OK(send_u32(tx[i], m));
    for (uint32_t m = 0; m < 10; m++)
        V_ASSERT_OK(v_chan_send(&ch, &m, 4));
    while (vx_clock_monotonic() < soon) {
    }
    uint64_t w0 = wait_count(), it0 = e.stats.iterations;
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(wait_count() - w0, 1u);
    V_EXPECT_EQ(e.stats.iterations - it0, 1u);
    for (int i = 0; i < RINGS; i++) {
        V_EXPECT_EQ(r[i].got, (uint32_t)PER_RING);
        V_EXPECT(r[i].in_order);
        V_EXPECT_EQ(r[i].polls, 2u);
    }
    V_EXPECT_EQ(k.got, 10u);
    V_EXPECT(k.in_order);
    V_EXPECT(v_sleep_fired(&s));
    V_EXPECT(!s.f.live);
    V_EXPECT_GE(vx_clock_monotonic(), soon);

    /* PEER_CLOSED ends each reader; the last sender ends the consumer. */
    for (int i = 0; i < RINGS; i++)
        V_EXPECT_OK(vx_handle_close(tx[i].h));
    V_EXPECT_OK(v_chan_sender_close(&ch));
    w0 = wait_count();
    it0 = e.stats.iterations;
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(e.live, 0u);
    V_EXPECT_EQ(wait_count() - w0, e.stats.iterations - it0);
    for (int i = 0; i < RINGS; i++) {
        V_EXPECT(r[i].peer_closed);
        V_EXPECT_OK(vx_handle_close(rx[i].h));
    }
    V_EXPECT(k.closed);
    V_EXPECT_EQ(e.stats.waits, e.stats.iterations);
    V_EXPECT_OK(v_sleep_fini(&e, &s));
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(concurrent, exec_ring_messages_before_peer_closed)
{
    uint32_t before = handles_used();
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(ring(4, &tx, &rx));
    reader r;
    V_ASSERT_OK(send_u32(tx, 0));
    V_ASSERT_OK(send_u32(tx, 1));
    V_ASSERT_OK(vx_handle_close(tx.h)); /* gone before the reader starts */
    V_ASSERT_OK(reader_start(&e, &r, rx));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(wait_count() - w0, 1u);
    V_EXPECT_EQ(r.got, 2u);
    V_EXPECT(r.in_order);
    V_EXPECT(r.peer_closed);
    V_EXPECT_OK(vx_handle_close(rx.h));
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_EQ(handles_used(), before);
}

/* A Ring full of messages meets a reader future; a producer future keeps
 * sending while the Ring is full (SHOULD_WAIT: waits for WRITABLE). */
typedef struct ring_feeder {
    v_future f;
    vx_ring_tx tx;
    uint32_t bit;
    uint32_t sent, total, refused;
} ring_feeder;

static v_poll feed_ring(v_exec *e, v_future *f)
{
    ring_feeder *p = f->ctx;
    while (p->sent < p->total) {
        vx_status st = send_u32(p->tx, p->sent);
        if (st == VX_ERR_SHOULD_WAIT) {
            p->refused++;
            (void)v_exec_await(e, f, p->bit);
            return V_POLL_PENDING;
        }
        if (st != VX_OK)
            return V_POLL_DONE;
        p->sent++;
    }
    (void)v_exec_bit_free(e, p->bit);
    (void)!vx_handle_close(p->tx.h);
    return V_POLL_DONE;
}

V_TEST(concurrent, exec_ring_backpressure_loses_nothing)
{
    uint32_t before = handles_used();
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(ring(2, &tx, &rx));
    ring_feeder p = {.tx = tx, .total = 500};
    V_ASSERT_OK(v_exec_bind_handle(&e, tx.h, VX_COND_WRITABLE, &p.bit));
    V_ASSERT_OK(v_exec_spawn(&e, &p.f, feed_ring, &p));
    reader r;
    V_ASSERT_OK(reader_start(&e, &r, rx));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(r.got, 500u);
    V_EXPECT(r.in_order);
    V_EXPECT(r.peer_closed);
    V_EXPECT_GT(p.refused, 0u);
    V_EXPECT_EQ(wait_count() - w0, e.stats.iterations);
    V_EXPECT_EQ(e.stats.waits, e.stats.iterations);
    V_EXPECT_OK(vx_handle_close(rx.h));
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(concurrent, exec_channel_backpressure_loses_nothing)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    uint32_t rbit, wbit;
    V_ASSERT_OK(v_exec_bit_alloc(&e, &rbit));
    V_ASSERT_OK(v_exec_bit_alloc(&e, &wbit));
    _Alignas(8) uint8_t store[3 * 8];
    v_chan ch;
    v_chan_params cp = {4, 3, rbit, wbit};
    V_ASSERT_OK(v_chan_init(&ch, &cp, store, sizeof store));
    feeder p = {.c = &ch, .bit = wbit, .total = 1000};
    consumer k = {.c = &ch, .bit = rbit, .in_order = true};
    V_ASSERT_OK(v_exec_spawn(&e, &p.f, feed, &p));
    V_ASSERT_OK(v_exec_spawn(&e, &k.f, consume, &k));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(k.got, 1000u);
    V_EXPECT(k.in_order);
    V_EXPECT(k.closed);
    V_EXPECT_GT(p.refused, 0u);
    V_EXPECT_EQ(wait_count() - w0, e.stats.iterations);
    V_EXPECT_OK(v_exec_fini(&e));
}

/* Two futures that wake each other: each round trip still goes through
 * one vx_wait per iteration (a poll, since work is runnable). */
typedef struct pingpong {
    v_future a, b;
    uint32_t rounds;
    uint32_t limit;
    uint32_t a_polls, b_polls;
} pingpong;

static v_poll ping(v_exec *e, v_future *f)
{
    pingpong *pp = f->ctx;
    pp->a_polls++;
    if (pp->rounds >= pp->limit) {
        (void)v_exec_wake(e, &pp->b);
        return V_POLL_DONE;
    }
    pp->rounds++;
    (void)v_exec_wake(e, &pp->b);
    (void)v_exec_join(e, f, &pp->b);
    return V_POLL_PENDING;
}

static v_poll pong_wait(v_exec *e, v_future *f);

V_TEST(concurrent, exec_local_wakes_wait_for_the_next_iteration)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    pingpong pp = {.limit = 20};
    V_ASSERT_OK(v_exec_spawn(&e, &pp.a, ping, &pp));
    V_ASSERT_OK(v_exec_spawn(&e, &pp.b, pong_wait, &pp));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(pp.rounds, 20u);
    /* Each wake lands in a later iteration, never the current one. */
    V_EXPECT_GE(e.stats.iterations, 20u);
    V_EXPECT_EQ(wait_count() - w0, e.stats.iterations);
    V_EXPECT_EQ(e.stats.timeouts, 0u);
    V_EXPECT_OK(v_exec_fini(&e));
}

/* The other half: wakes a, then waits for a's next round by joining it
 * (a wakes it explicitly each round, and by finishing at the end). */
static v_poll pong_wait(v_exec *e, v_future *f)
{
    pingpong *pp = f->ctx;
    pp->b_polls++;
    if (!pp->a.live || pp->rounds >= pp->limit)
        return V_POLL_DONE;
    (void)v_exec_wake(e, &pp->a);
    (void)v_exec_join(e, f, &pp->a);
    return V_POLL_PENDING;
}

/* ---- timers as futures ---- */
typedef struct sleeper {
    v_future f;
    v_sleep *s;
    uint32_t polls;
    bool saw_fired;
} sleeper;

static v_poll wait_sleep(v_exec *e, v_future *f)
{
    sleeper *w = f->ctx;
    w->polls++;
    if (!w->s->f.live) {
        w->saw_fired = v_sleep_fired(w->s);
        return V_POLL_DONE;
    }
    (void)v_exec_join(e, f, &w->s->f);
    return V_POLL_PENDING;
}

V_TEST(concurrent, exec_sleep_is_a_future)
{
    uint32_t before = handles_used();
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    v_sleep s;
    vx_time deadline = vx_clock_monotonic() + 3000000u;
    V_ASSERT_OK(v_sleep_start(&e, &s, deadline));
    V_EXPECT(!v_sleep_fired(&s));
    sleeper w = {.s = &s};
    V_ASSERT_OK(v_exec_spawn(&e, &w.f, wait_sleep, &w));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT_GE(vx_clock_monotonic(), deadline);
    V_EXPECT(w.saw_fired);
    V_EXPECT_EQ(w.polls, 2u); /* once to join, once when it was done */
    V_EXPECT_EQ(wait_count() - w0, e.stats.iterations);
    V_EXPECT_OK(v_sleep_fini(&e, &s));
    V_EXPECT_STATUS(v_sleep_fini(&e, &s), V_ERR_INVALID_ARGS); /* bit gone */
    V_EXPECT_STATUS(v_sleep_start(NULL, &s, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_sleep_start(&e, NULL, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_sleep_fini(NULL, &s), V_ERR_INVALID_ARGS);
    V_EXPECT(!v_sleep_fired(NULL));
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(concurrent, exec_run_deadline_and_cancelled_sleep)
{
    uint32_t before = handles_used();
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    v_sleep s;
    V_ASSERT_OK(v_sleep_start(&e, &s, VX_TIME_INFINITE - 1));
    sleeper w = {.s = &s};
    V_ASSERT_OK(v_exec_spawn(&e, &w.f, wait_sleep, &w));
    vx_time until = vx_clock_monotonic() + 2000000u;
    V_EXPECT_STATUS(v_exec_run(&e, until), V_ERR_TIMED_OUT);
    V_EXPECT_GE(vx_clock_monotonic(), until);
    V_EXPECT_GE(e.stats.timeouts, 1u);
    V_EXPECT_EQ(e.live, 2u);
    /* Cancelling the sleep wakes its joiner, which sees it never fired. */
    V_EXPECT_OK(v_sleep_fini(&e, &s));
    V_EXPECT_OK(v_exec_run(&e, VX_TIME_INFINITE));
    V_EXPECT(!w.saw_fired);
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_EQ(handles_used(), before);
}

/* ---- a kick from another thread ---- */
typedef struct kicker {
    v_exec *e;
    vx_status st;
    uint32_t done;
} kicker;

static void kick_later(void *arg)
{
    kicker *k = arg;
    vx_time t = vx_clock_monotonic() + 5000000u;
    while (vx_clock_monotonic() < t) {
    }
    k->st = v_exec_kick(k->e);
    __atomic_store_n(&k->done, 1u, __ATOMIC_RELEASE);
}

static v_poll await_forever(v_exec *e, v_future *f)
{
    (*(uint32_t *)f->ctx)++;
    uint32_t *bit = (uint32_t *)f->ctx + 1;
    (void)v_exec_await(e, f, *bit);
    return V_POLL_PENDING;
}

V_TEST(concurrent, exec_kick_from_another_thread)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    uint32_t st[2] = {0, 0}; /* polls, bit */
    V_ASSERT_OK(v_exec_bit_alloc(&e, &st[1]));
    v_future f;
    V_ASSERT_OK(v_exec_spawn(&e, &f, await_forever, st));
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(st[0], 1u);
    kicker k = {&e, VX_ERR_BAD_STATE, 0};
    V_ASSERT_OK(vx_thread_start(kick_later, &k));
    uint64_t w0 = wait_count();
    V_EXPECT_OK(v_exec_run_once(&e, VX_TIME_INFINITE)); /* returns */
    V_EXPECT_EQ(wait_count() - w0, 1u);
    V_EXPECT_EQ(st[0], 1u); /* the kick polls nobody */
    while (__atomic_load_n(&k.done, __ATOMIC_ACQUIRE) == 0) {
    }
    V_EXPECT_EQ(k.st, VX_OK);
    /* A raised bit the future awaits polls it. */
    V_EXPECT_OK(vx_signal_raise_self(UINT64_C(1) << st[1]));
    V_EXPECT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(st[0], 2u);
    V_EXPECT_OK(v_exec_cancel(&e, &f));
    V_EXPECT_OK(v_exec_fini(&e));
}

/* ---- joins and cancellation ---- */
typedef struct joiners {
    v_future target, first, second, self;
    uint32_t first_polls, second_polls, self_polls;
    v_status second_join;
    uint32_t bit;
} joiners;

static v_poll target_waits(v_exec *e, v_future *f)
{
    joiners *j = f->ctx;
    (void)v_exec_await(e, f, j->bit);
    return V_POLL_PENDING;
}

static v_poll first_joins(v_exec *e, v_future *f)
{
    joiners *j = f->ctx;
    j->first_polls++;
    if (!j->target.live)
        return V_POLL_DONE;
    (void)v_exec_join(e, f, &j->target);
    return V_POLL_PENDING;
}

static v_poll second_joins(v_exec *e, v_future *f)
{
    joiners *j = f->ctx;
    j->second_polls++;
    /* A future has one joiner: a second is refused, not silently lost. */
    j->second_join = v_exec_join(e, f, &j->target);
    (void)v_exec_await(e, f, j->bit);
    return V_POLL_PENDING;
}

static v_poll cancels_itself(v_exec *e, v_future *f)
{
    joiners *j = f->ctx;
    j->self_polls++;
    (void)v_exec_cancel(e, f);
    return V_POLL_PENDING; /* ignored: it is no longer live */
}

V_TEST(concurrent, exec_join_conflicts_and_cancellation)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, ALL_BITS));
    joiners j = {0};
    V_ASSERT_OK(v_exec_bit_alloc(&e, &j.bit));
    V_ASSERT_OK(v_exec_spawn(&e, &j.target, target_waits, &j));
    V_ASSERT_OK(v_exec_spawn(&e, &j.first, first_joins, &j));
    V_ASSERT_OK(v_exec_spawn(&e, &j.self, cancels_itself, &j));
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(j.first_polls, 1u);
    V_EXPECT_EQ(j.self_polls, 1u);
    V_EXPECT(!j.self.live);
    V_EXPECT_EQ(e.live, 2u);
    V_ASSERT_OK(v_exec_spawn(&e, &j.second, second_joins, &j));
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(j.second_join, V_ERR_BAD_STATE);
    /* Cancelling the target wakes its joiner, which then ends. */
    V_EXPECT_OK(v_exec_cancel(&e, &j.target));
    V_EXPECT_STATUS(v_exec_cancel(&e, &j.target), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_EQ(j.first_polls, 2u);
    V_EXPECT(!j.first.live);
    /* Cancelling a joiner forgets its join: the target can be joined
     * again and finishing it wakes nobody stale. */
    V_ASSERT_OK(v_exec_spawn(&e, &j.target, target_waits, &j));
    V_ASSERT_OK(v_exec_spawn(&e, &j.first, first_joins, &j));
    V_ASSERT_OK(v_exec_run_once(&e, VX_TIME_INFINITE));
    V_EXPECT_PTR_EQ(j.target.joiner, &j.first);
    V_EXPECT_OK(v_exec_cancel(&e, &j.first));
    V_EXPECT_NULL(j.target.joiner);
    V_EXPECT_OK(v_exec_cancel(&e, &j.target));
    V_EXPECT_OK(v_exec_cancel(&e, &j.second));
    V_EXPECT_EQ(e.live, 0u);
    V_EXPECT_STATUS(v_exec_join(NULL, &j.first, &j.target),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_fini(&e));
}
