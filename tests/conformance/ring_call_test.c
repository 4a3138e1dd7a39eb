/* Ring: vx_ring_send_recv, a send and a receive in one call
 * (docs/substrate.md §6). The flag VX_MSG_IN_SENT tells a failed send
 * (nothing sent, nothing received) from a failed receive after a send. */
#include "child.h"
#include "images/child.h"

#define FLAG_JUNK 0xdeadu /* what flags holds before a call writes it */

static vx_msg_in msg_in(void *buf, uint32_t cap)
{
    vx_msg_in m = {0};
    m.buf = buf;
    m.cap = cap;
    m.flags = FLAG_JUNK;
    return m;
}

static void close_ring(v_test_ctx *v_t, vx_ring_tx tx, vx_ring_rx rx)
{
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
}

/* The queue of rx holds exactly the one message `want` (len bytes). */
static void expect_one(v_test_ctx *v_t, vx_ring_rx rx, const char *want,
                       uint32_t len)
{
    char got[16];
    uint32_t n = 0;
    V_EXPECT_OK(conf_recv(rx, got, sizeof got, &n));
    V_EXPECT_EQ(n, len);
    V_EXPECT_MEM_EQ(got, want, len);
    V_EXPECT_STATUS(conf_recv(rx, got, sizeof got, &n), VX_ERR_SHOULD_WAIT);
}

static void expect_empty(v_test_ctx *v_t, vx_ring_rx rx)
{
    char got[16];
    uint32_t n = 0;
    V_EXPECT_STATUS(conf_recv(rx, got, sizeof got, &n), VX_ERR_SHOULD_WAIT);
}

V_TEST(conf_ring_call, one_ring_receives_its_own_message)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    char buf[16] = {0};
    vx_msg_out out = {"hello", 5, 0, {{0}}};
    vx_msg_in in = msg_in(buf, sizeof buf);
    V_ASSERT_OK(vx_ring_send_recv(tx, &out, rx, &in, VX_TIME_INFINITE));
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    V_EXPECT_EQ(in.len, 5u);
    V_EXPECT_EQ(in.handle_count, 0u);
    V_EXPECT_EQ(in.badge, 0u);
    V_EXPECT_MEM_EQ(buf, "hello", 5);
    expect_empty(v_t, rx);
    close_ring(v_t, tx, rx);
    CONF_END();
}

/* Two Rings, a reply already queued: the call sends the request (its
 * handle moves out) and takes the reply (its handle moves in, badge
 * stamped by the replier's TX). */
V_TEST(conf_ring_call, handles_move_both_ways_with_badge)
{
    CONF_BEGIN();
    vx_ring_tx req_tx, rep_tx, badged;
    vx_ring_rx req_rx, rep_rx;
    V_ASSERT(conf_ring(v_t, 16, 4, &req_tx, &req_rx));
    V_ASSERT(conf_ring(v_t, 16, 4, &rep_tx, &rep_rx));
    V_ASSERT_OK(vx_ring_tx_mint(rep_tx, 0x77, VX_RIGHT_SEND, &badged));
    vx_region a, b;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &a));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &b));
    V_ASSERT_OK(vx_region_write(b, 0, "bee", 3));
    vx_msg_out reply = {"rep", 3, 1, {b.h}};
    V_ASSERT_OK(vx_ring_send(badged, &reply));
    V_EXPECT(!conf_alive(b.h));
    char buf[16] = {0};
    vx_msg_out req = {"req", 3, 1, {a.h}};
    vx_msg_in in = msg_in(buf, sizeof buf);
    V_ASSERT_OK(vx_ring_send_recv(req_tx, &req, rep_rx, &in, VX_TIME_INFINITE));
    V_EXPECT(!conf_alive(a.h)); /* moved out with the request */
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    V_EXPECT_EQ(in.len, 3u);
    V_EXPECT_MEM_EQ(buf, "rep", 3);
    V_EXPECT_EQ(in.badge, 0x77u);
    V_ASSERT_EQ(in.handle_count, 1u);
    char back[4] = {0};
    V_EXPECT_OK(vx_region_read((vx_region){in.handles[0]}, 0, back, 3));
    V_EXPECT_MEM_EQ(back, "bee", 3);
    for (uint32_t i = 1; i < VX_MSG_HANDLES_MAX; i++)
        V_EXPECT_EQ(in.handles[i].value, 0u);
    /* The request is on the other Ring with its handle. */
    vx_msg_in got = msg_in(buf, sizeof buf);
    V_ASSERT_OK(vx_ring_recv(req_rx, &got));
    V_EXPECT_MEM_EQ(buf, "req", 3);
    V_ASSERT_EQ(got.handle_count, 1u);
    V_EXPECT_EQ(vx_handle_info_get(got.handles[0], &(vx_handle_info){0}),
                VX_OK);
    conf_close(v_t, got.handles[0]);
    conf_close(v_t, in.handles[0]);
    conf_close(v_t, badged.h);
    close_ring(v_t, req_tx, req_rx);
    close_ring(v_t, rep_tx, rep_rx);
    CONF_END();
}

/* A real round trip: the child Task echoes; the call sleeps until the
 * answer comes. */
V_TEST(conf_ring_call, round_trips_with_a_child)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    for (uint32_t i = 0; i < 20; i++) {
        uint8_t cmd[8] = {CHILD_ECHO, 0, 0, 0, 'x', (uint8_t)i, 'y', 'z'};
        uint8_t ans[32] = {0};
        vx_msg_out out = {cmd, sizeof cmd, 0, {{0}}};
        vx_msg_in in = msg_in(ans, sizeof ans);
        V_ASSERT_OK(vx_ring_send_recv(c.cmd, &out, c.reply, &in,
                                      vx_clock_monotonic() + 10000 * CONF_MS));
        V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
        /* i32 status, u64 badge, the bytes after the command code. */
        V_ASSERT_EQ(in.len, 4u + 8u + 4u);
        V_EXPECT_EQ(ans[0] | ans[1] | ans[2] | ans[3], 0);
        V_EXPECT_EQ(ans[12], 'x');
        V_EXPECT_EQ(ans[13], (uint8_t)i);
    }
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

/* A server thread that only uses the call: it announces itself, then
 * each call replies to one request and takes the next. */
struct server {
    vx_ring_tx rep;
    vx_ring_rx req;
    vx_status last;   /* the status that ended its loop */
    uint32_t flags;   /* with that status */
    uint32_t served;
};

static void serve(void *arg)
{
    struct server *s = arg;
    char buf[16];
    vx_msg_out out = {"ready", 5, 0, {{0}}};
    for (;;) {
        vx_msg_in in = {0};
        in.buf = buf;
        in.cap = sizeof buf;
        vx_status st = vx_ring_send_recv(s->rep, &out, s->req, &in,
                                         VX_TIME_INFINITE);
        if (st != VX_OK) {
            s->last = st;
            s->flags = in.flags;
            break;
        }
        s->served++;
        out.data = buf; /* the echo of what came */
        out.len = in.len;
    }
    /* Closing rep tells the client this thread is done (a failure shows
     * as the client never seeing PEER_CLOSED). */
    if (vx_handle_close(s->req.h) != VX_OK)
        s->last = VX_ERR_BAD_HANDLE;
    if (vx_handle_close(s->rep.h) != VX_OK)
        s->last = VX_ERR_BAD_HANDLE;
}

V_TEST(conf_ring_call, server_thread_replies_and_waits_in_one_call)
{
    CONF_BEGIN();
    static struct server s;
    vx_ring_tx req_tx;
    vx_ring_rx rep_rx;
    V_ASSERT(conf_ring(v_t, 16, 2, &req_tx, &s.req));
    V_ASSERT(conf_ring(v_t, 16, 2, &s.rep, &rep_rx));
    s.served = 0;
    s.last = VX_OK;
    V_ASSERT_OK(vx_thread_start(serve, &s));
    /* Replies come one behind: "ready", then the echo of request 0... */
    for (uint32_t i = 0; i < 50; i++) {
        char req[4] = {'r', (char)i, 0, 0}, rep[16] = {0};
        vx_msg_out out = {req, sizeof req, 0, {{0}}};
        vx_msg_in in = msg_in(rep, sizeof rep);
        V_ASSERT_OK(vx_ring_send_recv(req_tx, &out, rep_rx, &in,
                                      VX_TIME_INFINITE));
        if (i == 0) {
            V_EXPECT_EQ(in.len, 5u);
            V_EXPECT_MEM_EQ(rep, "ready", 5);
        } else {
            V_EXPECT_EQ(in.len, 4u);
            V_EXPECT_EQ(rep[1], (char)(i - 1));
        }
    }
    /* No more requests: the server's last call sends the echo of request
     * 49 and then finds PEER_CLOSED, and says so with the flag set. */
    conf_close(v_t, req_tx.h);
    char rep[16];
    vx_msg_in in = msg_in(rep, sizeof rep);
    V_ASSERT_STATUS(vx_ring_send_recv((vx_ring_tx){VX_HANDLE_INVALID}, NULL,
                                      rep_rx, &in, 0),
                    VX_ERR_BAD_HANDLE);
    V_EXPECT_EQ(in.flags, 0u);
    V_ASSERT_OK(vx_signal_bind(rep_rx.h, VX_COND_PEER_CLOSED, 9));
    uint64_t pend;
    V_ASSERT_OK(vx_wait(1u << 9, vx_clock_monotonic() + 10000 * CONF_MS,
                        &pend));
    V_EXPECT_OK(vx_signal_unbind(9));
    in = msg_in(rep, sizeof rep);
    V_EXPECT_OK(vx_ring_recv(rep_rx, &in));
    V_EXPECT_EQ(rep[1], (char)49);
    V_EXPECT_STATUS(vx_ring_recv(rep_rx, &in), VX_ERR_PEER_CLOSED);
    V_EXPECT_EQ(s.served, 50u);
    V_EXPECT_STATUS(s.last, VX_ERR_PEER_CLOSED);
    V_EXPECT_EQ(s.flags, VX_MSG_IN_SENT);
    conf_close(v_t, rep_rx.h);
    CONF_END();
}

/* Every way the send can fail: that status, flags 0, nothing sent and
 * nothing received (the reply waiting on rx stays queued). */
V_TEST(conf_ring_call, send_errors_receive_nothing)
{
    CONF_BEGIN();
    vx_ring_tx tx, rep_tx, no_send, gone_tx;
    vx_ring_rx rx, rep_rx, gone_rx;
    V_ASSERT(conf_ring(v_t, 8, 1, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 4, &rep_tx, &rep_rx));
    V_ASSERT(conf_ring(v_t, 8, 1, &gone_tx, &gone_rx));
    conf_close(v_t, gone_rx.h);
    V_ASSERT_OK(conf_send(rep_tx, "rep", 3));
    V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_WAIT, &no_send.h));
    vx_region r, ro;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ, &ro.h));
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    vx_ring_tx stale = tx;
    V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_SEND, &stale.h));
    conf_close(v_t, stale.h);
    char buf[8];
    vx_msg_out ok = {"q", 1, 0, {{0}}};
    vx_msg_out too_long = {"123456789", 9, 0, {{0}}};
    vx_msg_out null_data = {NULL, 1, 0, {{0}}};
    vx_msg_out five = {NULL, 0, 5, {{0}}};
    vx_msg_out no_transfer = {NULL, 0, 1, {ro.h}};
    vx_msg_out twice = {NULL, 0, 2, {r.h, r.h}};
    vx_msg_out itself = {NULL, 0, 1, {tx.h}};
    vx_msg_out own_rx = {NULL, 0, 1, {rx.h}};
    vx_msg_out stale_h = {NULL, 0, 1, {stale.h}};
    struct {
        vx_ring_tx tx;
        const vx_msg_out *out;
        vx_status want;
    } cases[] = {
        {stale, &ok, VX_ERR_BAD_HANDLE},
        {{VX_HANDLE_INVALID}, &ok, VX_ERR_BAD_HANDLE},
        {{t.h}, &ok, VX_ERR_BAD_HANDLE},
        {{rx.h}, &ok, VX_ERR_BAD_HANDLE},
        {tx, &stale_h, VX_ERR_BAD_HANDLE},
        {no_send, &ok, VX_ERR_ACCESS_DENIED},
        {tx, &no_transfer, VX_ERR_ACCESS_DENIED},
        {tx, NULL, VX_ERR_INVALID_ARGS},
        {tx, &too_long, VX_ERR_INVALID_ARGS},
        {tx, &null_data, VX_ERR_INVALID_ARGS},
        {tx, &five, VX_ERR_INVALID_ARGS},
        {tx, &twice, VX_ERR_INVALID_ARGS},
        {tx, &itself, VX_ERR_INVALID_ARGS},
        {tx, &own_rx, VX_ERR_INVALID_ARGS},
        {gone_tx, &ok, VX_ERR_PEER_CLOSED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vx_msg_in in = msg_in(buf, sizeof buf);
        V_EXPECT_STATUS(vx_ring_send_recv(cases[i].tx, cases[i].out, rep_rx,
                                          &in, VX_TIME_INFINITE),
                        cases[i].want);
        V_EXPECT_EQ(in.flags, 0u);
        V_EXPECT_EQ(in.len, 0u); /* nothing received */
    }
    V_EXPECT(conf_alive(r.h));
    V_EXPECT(conf_alive(ro.h));
    expect_empty(v_t, rx);
    /* A full Ring: SHOULD_WAIT, as vx_ring_send. */
    V_ASSERT_OK(conf_send(tx, "a", 1));
    vx_msg_in in = msg_in(buf, sizeof buf);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &ok, rep_rx, &in, VX_TIME_INFINITE),
                    VX_ERR_SHOULD_WAIT);
    V_EXPECT_EQ(in.flags, 0u);
    expect_one(v_t, rx, "a", 1);
    expect_one(v_t, rep_rx, "rep", 3); /* still there */
    conf_close(v_t, t.h);
    conf_close(v_t, r.h);
    conf_close(v_t, ro.h);
    conf_close(v_t, no_send.h);
    conf_close(v_t, gone_tx.h);
    close_ring(v_t, tx, rx);
    close_ring(v_t, rep_tx, rep_rx);
    CONF_END();
}

/* rx and in are checked before anything is sent. */
V_TEST(conf_ring_call, bad_rx_or_in_sends_nothing)
{
    CONF_BEGIN();
    vx_ring_tx tx, rep_tx;
    vx_ring_rx rx, rep_rx, wait_only, stale;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 4, &rep_tx, &rep_rx));
    V_ASSERT_OK(vx_handle_dup(rep_rx.h, VX_RIGHT_WAIT, &wait_only.h));
    V_ASSERT_OK(vx_handle_dup(rep_rx.h, VX_RIGHT_RECV, &stale.h));
    conf_close(v_t, stale.h);
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_msg_out out = {"q", 1, 1, {r.h}};
    char buf[8];
    struct {
        vx_ring_rx rx;
        vx_status want;
    } cases[] = {
        {stale, VX_ERR_BAD_HANDLE},
        {{VX_HANDLE_INVALID}, VX_ERR_BAD_HANDLE},
        {{t.h}, VX_ERR_BAD_HANDLE},
        {{rep_tx.h}, VX_ERR_BAD_HANDLE},
        {wait_only, VX_ERR_ACCESS_DENIED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vx_msg_in in = msg_in(buf, sizeof buf);
        V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, cases[i].rx, &in,
                                          VX_TIME_INFINITE),
                        cases[i].want);
        V_EXPECT_EQ(in.flags, 0u);
    }
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, NULL, 0),
                    VX_ERR_INVALID_ARGS);
    vx_msg_in bad = msg_in(NULL, 4);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, &bad, 0),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_EQ(bad.flags, 0u);
    /* rx is checked before anything of the send. */
    vx_msg_in in = msg_in(buf, sizeof buf);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, NULL, wait_only, &in, 0),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_ring_send_recv((vx_ring_tx){VX_HANDLE_INVALID}, &out,
                                      wait_only, &in, 0),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT(conf_alive(r.h)); /* never sent */
    expect_empty(v_t, rx);
    conf_close(v_t, t.h);
    conf_close(v_t, r.h);
    conf_close(v_t, wait_only.h);
    close_ring(v_t, tx, rx);
    close_ring(v_t, rep_tx, rep_rx);
    CONF_END();
}

V_TEST(conf_ring_call, receive_times_out_after_the_send)
{
    CONF_BEGIN();
    vx_ring_tx tx, rep_tx;
    vx_ring_rx rx, rep_rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 4, &rep_tx, &rep_rx));
    char buf[8];
    vx_msg_out out = {"one", 3, 0, {{0}}};
    vx_msg_in in = msg_in(buf, sizeof buf);
    vx_time deadline = vx_clock_monotonic() + 20 * CONF_MS;
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, &in, deadline),
                    VX_ERR_TIMED_OUT);
    V_EXPECT_GE(vx_clock_monotonic(), deadline);
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    expect_one(v_t, rx, "one", 3);
    /* A past deadline: a poll after the send. */
    out.data = "two";
    in = msg_in(buf, sizeof buf);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, &in, 0),
                    VX_ERR_TIMED_OUT);
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    expect_one(v_t, rx, "two", 3);
    /* With a message there, a past deadline still receives it. */
    V_ASSERT_OK(conf_send(rep_tx, "rep", 3));
    in = msg_in(buf, sizeof buf);
    V_EXPECT_OK(vx_ring_send_recv(tx, &out, rep_rx, &in, 0));
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    V_EXPECT_MEM_EQ(buf, "rep", 3);
    expect_one(v_t, rx, "two", 3);
    close_ring(v_t, tx, rx);
    close_ring(v_t, rep_tx, rep_rx);
    CONF_END();
}

/* Errors of the receive after a successful send carry the flag. */
V_TEST(conf_ring_call, receive_errors_after_the_send)
{
    CONF_BEGIN();
    vx_ring_tx tx, rep_tx;
    vx_ring_rx rx, rep_rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 4, &rep_tx, &rep_rx));
    char buf[8];
    vx_msg_out out = {"q", 1, 0, {{0}}};
    /* Too long for cap: OUT_OF_RANGE, len set, the reply stays. */
    V_ASSERT_OK(conf_send(rep_tx, "long", 4));
    vx_msg_in in = msg_in(buf, 2);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, &in, 0),
                    VX_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    V_EXPECT_EQ(in.len, 4u);
    expect_one(v_t, rx, "q", 1);
    /* Queued replies come before PEER_CLOSED, then PEER_CLOSED. */
    conf_close(v_t, rep_tx.h);
    in = msg_in(buf, sizeof buf);
    V_EXPECT_OK(vx_ring_send_recv(tx, &out, rep_rx, &in, VX_TIME_INFINITE));
    V_EXPECT_MEM_EQ(buf, "long", 4);
    in = msg_in(buf, sizeof buf);
    V_EXPECT_STATUS(vx_ring_send_recv(tx, &out, rep_rx, &in,
                                      VX_TIME_INFINITE),
                    VX_ERR_PEER_CLOSED);
    V_EXPECT_EQ(in.flags, VX_MSG_IN_SENT);
    char got[8];
    uint32_t n;
    V_EXPECT_OK(conf_recv(rx, got, sizeof got, &n));
    V_EXPECT_OK(conf_recv(rx, got, sizeof got, &n));
    expect_empty(v_t, rx);
    close_ring(v_t, tx, rx);
    conf_close(v_t, rep_rx.h);
    CONF_END();
}

/* The wait uses no binding: bindings and raised bits are as they were. */
V_TEST(conf_ring_call, signal_word_untouched)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE, 12));
    V_ASSERT_OK(vx_signal_raise_self(1u << 13));
    char buf[8];
    vx_msg_out out = {"q", 1, 0, {{0}}};
    vx_msg_in in = msg_in(buf, sizeof buf);
    V_EXPECT_OK(vx_ring_send_recv(tx, &out, rx, &in, VX_TIME_INFINITE));
    V_EXPECT_STATUS(vx_signal_bind(rx.h, VX_COND_READABLE, 12),
                    VX_ERR_BAD_STATE); /* still bound */
    V_EXPECT_EQ(conf_poll(v_t, (1u << 12) | (1u << 13)), 1u << 13);
    V_EXPECT_OK(vx_signal_unbind(12));
    close_ring(v_t, tx, rx);
    CONF_END();
}
