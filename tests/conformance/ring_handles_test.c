/* Ring: handles move with messages (docs/substrate.md §6). */
#include "conf.h"

static void close_ring(v_test_ctx *v_t, vx_ring_tx tx, vx_ring_rx rx)
{
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
}

static vx_msg_in msg_in(void *buf, uint32_t cap)
{
    vx_msg_in m = {0};
    m.buf = buf;
    m.cap = cap;
    return m;
}

V_TEST(conf_ring_handles, sender_loses_receiver_gains)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_region r;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_region_write(r, 0, "payload", 7));
    vx_rights before = conf_rights(r.h);
    vx_msg_out out = {"r", 1, 1, {r.h}};
    V_ASSERT_OK(vx_ring_send(tx, &out));
    V_EXPECT(!conf_alive(r.h)); /* moved: the sender's value is stale */
    vx_task_usage u;
    V_EXPECT_OK(vx_task_usage_get(&u));
    /* Ring (8*4) + region charged; the region's handle is in flight. */
    V_EXPECT_EQ(u.handles_used, conf_before_.usage.handles_used + 2);
    char c;
    vx_msg_in in = msg_in(&c, 1);
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_ASSERT_EQ(in.handle_count, 1u);
    vx_region got = {in.handles[0]};
    V_EXPECT_EQ(conf_rights(got.h), before);
    char back[8] = {0};
    V_EXPECT_OK(vx_region_read(got, 0, back, 7));
    V_EXPECT_MEM_EQ(back, "payload", 7);
    for (uint32_t i = 1; i < VX_MSG_HANDLES_MAX; i++)
        V_EXPECT_EQ(in.handles[i].value, 0u);
    conf_close(v_t, got.h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_handles, rights_travel_unchanged)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_region r;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_handle ro;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_TRANSFER, &ro));
    vx_msg_out out = {NULL, 0, 1, {ro}};
    V_ASSERT_OK(vx_ring_send(tx, &out));
    vx_msg_in in = msg_in(NULL, 0);
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_EXPECT_EQ(conf_rights(in.handles[0]),
                VX_RIGHT_READ | VX_RIGHT_TRANSFER);
    conf_close(v_t, in.handles[0]);
    conf_close(v_t, r.h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_handles, four_handles_in_order)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_region r[4];
    vx_msg_out out = {NULL, 0, 4, {{0}}};
    for (uint8_t i = 0; i < 4; i++) {
        V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE * (i + 1u), &r[i]));
        out.handles[i] = r[i].h;
    }
    V_ASSERT_OK(vx_ring_send(tx, &out));
    vx_msg_in in = msg_in(NULL, 0);
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_ASSERT_EQ(in.handle_count, 4u);
    for (uint8_t i = 0; i < 4; i++) {
        uint64_t size = 0;
        V_EXPECT_OK(vx_region_size((vx_region){in.handles[i]}, &size));
        V_EXPECT_EQ(size, VX_PAGE_SIZE * (i + 1u));
        conf_close(v_t, in.handles[i]);
    }
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_handles, refused_sends_keep_handles)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_region r, dead;
    V_ASSERT(conf_ring(v_t, 8, 1, &tx, &rx));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &dead));
    conf_close(v_t, dead.h);
    vx_handle notransfer;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ, &notransfer));
    /* A stale handle: BAD_HANDLE, and the valid one is not moved. */
    vx_msg_out m1 = {NULL, 0, 2, {r.h, dead.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m1), VX_ERR_BAD_HANDLE);
    V_EXPECT(conf_alive(r.h));
    vx_msg_out m2 = {NULL, 0, 2, {r.h, notransfer}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m2), VX_ERR_ACCESS_DENIED);
    V_EXPECT(conf_alive(r.h));
    V_EXPECT(conf_alive(notransfer));
    vx_msg_out m3 = {NULL, 0, 2, {r.h, r.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m3), VX_ERR_INVALID_ARGS);
    V_EXPECT(conf_alive(r.h));
    /* Too long a message carrying a handle: nothing moves either. */
    char big[9] = {0};
    vx_msg_out m4 = {big, 9, 1, {r.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m4), VX_ERR_INVALID_ARGS);
    V_EXPECT(conf_alive(r.h));
    /* Full ring. */
    V_ASSERT_OK(conf_send(tx, "f", 1));
    vx_msg_out m5 = {NULL, 0, 1, {r.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m5), VX_ERR_SHOULD_WAIT);
    V_EXPECT(conf_alive(r.h));
    /* Closed peer. */
    vx_handle rx_h = rx.h;
    conf_close(v_t, rx_h);
    V_EXPECT_STATUS(vx_ring_send(tx, &m5), VX_ERR_PEER_CLOSED);
    V_EXPECT(conf_alive(r.h));
    conf_close(v_t, notransfer);
    conf_close(v_t, r.h);
    conf_close(v_t, tx.h);
    CONF_END();
}

V_TEST(conf_ring_handles, cannot_send_endpoint_through_itself)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_msg_out m1 = {NULL, 0, 1, {tx.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m1), VX_ERR_INVALID_ARGS);
    vx_msg_out m2 = {NULL, 0, 1, {rx.h}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m2), VX_ERR_INVALID_ARGS);
    vx_handle rx2;
    V_ASSERT_OK(vx_handle_dup(rx.h, conf_rights(rx.h), &rx2));
    vx_msg_out m3 = {NULL, 0, 1, {rx2}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m3), VX_ERR_INVALID_ARGS);
    V_EXPECT(conf_alive(tx.h));
    V_EXPECT(conf_alive(rx2));
    conf_close(v_t, rx2);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_handles, tx_in_flight_keeps_ring_open)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_handle tx2;
    V_ASSERT_OK(vx_handle_dup(tx.h, conf_rights(tx.h), &tx2));
    vx_msg_out m = {NULL, 0, 1, {tx2}};
    V_ASSERT_OK(vx_ring_send(tx, &m));
    conf_close(v_t, tx.h);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(rx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_READABLE); /* no PEER_CLOSED */
    vx_msg_in in = msg_in(NULL, 0);
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_SHOULD_WAIT);
    conf_close(v_t, in.handles[0]);
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_ring_handles, closing_rx_releases_queued_handles)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_region r;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_region_create(64 * VX_PAGE_SIZE, &r));
    vx_handle tx2;
    V_ASSERT_OK(vx_handle_dup(tx.h, conf_rights(tx.h), &tx2));
    /* The queue holds the Region and a TX of the Ring itself. */
    vx_msg_out m = {NULL, 0, 2, {r.h, tx2}};
    V_ASSERT_OK(vx_ring_send(tx, &m));
    conf_close(v_t, rx.h);
    conf_close(v_t, tx.h);
    CONF_END(); /* both charges and all handles are back */
}

V_TEST(conf_ring_handles, recv_with_full_table_is_limit)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_region r;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_msg_out m = {"h", 1, 1, {r.h}};
    V_ASSERT_OK(vx_ring_send(tx, &m));
    vx_task_usage u;
    V_ASSERT_OK(vx_task_usage_get(&u));
    uint32_t room = u.handle_limit - u.handles_used;
    static vx_timer fill[65535];
    for (uint32_t i = 0; i < room; i++)
        V_ASSERT_OK(vx_timer_create(&fill[i]));
    char c;
    vx_msg_in in = msg_in(&c, 1);
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_LIMIT);
    conf_close(v_t, fill[--room].h);
    V_ASSERT_OK(vx_ring_recv(rx, &in)); /* the message stayed */
    V_EXPECT_EQ(c, 'h');
    V_EXPECT_EQ(in.handle_count, 1u);
    conf_close(v_t, in.handles[0]);
    while (room > 0)
        conf_close(v_t, fill[--room].h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_handles, moving_a_handle_ends_its_binding)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_timer t;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(vx_timer_create(&t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 40));
    vx_msg_out m = {NULL, 0, 1, {t.h}};
    V_ASSERT_OK(vx_ring_send(tx, &m));
    V_EXPECT_STATUS(vx_signal_unbind(40), VX_ERR_BAD_STATE);
    vx_msg_in in = msg_in(NULL, 0);
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    conf_close(v_t, in.handles[0]);
    close_ring(v_t, tx, rx);
    CONF_END();
}
