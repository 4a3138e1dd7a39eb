/* Ring: create, send/recv, full and empty, PEER_CLOSED, badges
 * (docs/substrate.md §6). */
#include "conf.h"

static void close_ring(v_test_ctx *v_t, vx_ring_tx tx, vx_ring_rx rx)
{
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
}

V_TEST(conf_ring, create_charges_quota_and_reports_params)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_ring_params p = {100, 16, 0x1234567890abcdefu}, q = {0};
    V_ASSERT_OK(vx_ring_create(&p, &tx, &rx));
    vx_task_usage u;
    V_EXPECT_OK(vx_task_usage_get(&u));
    V_EXPECT_EQ(u.used_bytes, conf_before_.usage.used_bytes + 1600);
    V_EXPECT_EQ(u.handles_used, conf_before_.usage.handles_used + 2);
    V_EXPECT_OK(vx_ring_params_get(tx.h, &q));
    V_EXPECT_EQ(q.slot_size, 100u);
    V_EXPECT_EQ(q.slot_count, 16u);
    V_EXPECT_EQ(q.schema_id, 0x1234567890abcdefu);
    q.slot_size = 0;
    V_EXPECT_OK(vx_ring_params_get(rx.h, &q));
    V_EXPECT_EQ(q.slot_size, 100u);
    V_EXPECT_STATUS(vx_ring_params_get(rx.h, NULL), VX_ERR_INVALID_ARGS);
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    V_EXPECT_STATUS(vx_ring_params_get(t.h, &q), VX_ERR_BAD_HANDLE);
    conf_close(v_t, t.h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, create_bad_params)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    static const vx_ring_params bad[] = {
        {0, 4, 0}, {4097, 4, 0}, {8, 0, 0}, {8, 3, 0}, {8, 6, 0},
        {8, 8192, 0}, {8, 0x80000000u, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        V_EXPECT_STATUS(vx_ring_create(&bad[i], &tx, &rx),
                        VX_ERR_INVALID_ARGS);
    vx_ring_params ok = {4096, 1, 0};
    V_EXPECT_STATUS(vx_ring_create(NULL, &tx, &rx), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_create(&ok, NULL, &rx), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_create(&ok, &tx, NULL), VX_ERR_INVALID_ARGS);
    CONF_END();
    V_ASSERT_OK(vx_ring_create(&ok, &tx, &rx)); /* the limits themselves */
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, create_over_quota_is_limit)
{
    CONF_BEGIN();
    vx_task_usage u = conf_before_.usage;
    uint64_t left = (u.quota_bytes - u.used_bytes) / VX_PAGE_SIZE *
                    VX_PAGE_SIZE;
    vx_region fill;
    V_ASSERT_OK(vx_region_create(left, &fill));
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_ring_params p = {VX_PAGE_SIZE, 2, 0};
    V_EXPECT_STATUS(vx_ring_create(&p, &tx, &rx), VX_ERR_LIMIT);
    conf_close(v_t, fill.h);
    CONF_END();
}

V_TEST(conf_ring, send_recv_round_trip)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 64, 4, &tx, &rx));
    V_EXPECT_OK(conf_send(tx, "hello, ring", 11));
    char buf[64];
    vx_msg_in in = {0};
    in.buf = buf;
    in.cap = sizeof buf;
    in.badge = 99;
    in.handle_count = 99;
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_EXPECT_EQ(in.len, 11u);
    V_EXPECT_MEM_EQ(buf, "hello, ring", 11);
    V_EXPECT_EQ(in.badge, 0u);
    V_EXPECT_EQ(in.handle_count, 0u);
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_SHOULD_WAIT);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, empty_and_full_sized_messages)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 32, 2, &tx, &rx));
    char full[32];
    for (int i = 0; i < 32; i++)
        full[i] = (char)('a' + i % 26);
    V_EXPECT_OK(conf_send(tx, NULL, 0));
    V_EXPECT_OK(conf_send(tx, full, 32));
    char buf[32];
    uint32_t len = 99;
    V_EXPECT_OK(conf_recv(rx, NULL, 0, &len));
    V_EXPECT_EQ(len, 0u);
    V_EXPECT_OK(conf_recv(rx, buf, 32, &len));
    V_EXPECT_EQ(len, 32u);
    V_EXPECT_MEM_EQ(buf, full, 32);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, messages_arrive_in_order)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    /* Several laps around the slots, with the queue partly full. */
    uint32_t next_send = 0, next_recv = 0;
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 3; i++, next_send++)
            V_ASSERT_OK(conf_send(tx, &next_send, 4));
        for (int i = 0; i < 3; i++, next_recv++) {
            uint32_t got = 0, len;
            V_ASSERT_OK(conf_recv(rx, &got, 4, &len));
            V_EXPECT_EQ(got, next_recv);
        }
    }
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, full_is_should_wait_and_drops_nothing)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 8, &tx, &rx));
    for (uint32_t i = 0; i < 8; i++)
        V_ASSERT_OK(conf_send(tx, &i, 4));
    uint32_t extra = 1000;
    V_EXPECT_STATUS(conf_send(tx, &extra, 4), VX_ERR_SHOULD_WAIT);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(tx.h, &info));
    V_EXPECT_EQ(info.conditions & VX_COND_WRITABLE, 0u);
    uint32_t got, len;
    V_ASSERT_OK(conf_recv(rx, &got, 4, &len));
    V_EXPECT_EQ(got, 0u);
    V_EXPECT_OK(vx_handle_info_get(tx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_WRITABLE);
    V_EXPECT_OK(conf_send(tx, &extra, 4));
    for (uint32_t i = 1; i < 8; i++) {
        V_ASSERT_OK(conf_recv(rx, &got, 4, &len));
        V_EXPECT_EQ(got, i);
    }
    V_ASSERT_OK(conf_recv(rx, &got, 4, &len));
    V_EXPECT_EQ(got, 1000u);
    V_EXPECT_STATUS(conf_recv(rx, &got, 4, &len), VX_ERR_SHOULD_WAIT);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, send_bad_args)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    char buf[16] = {0};
    V_EXPECT_STATUS(conf_send(tx, buf, 9), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(conf_send(tx, NULL, 1), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_send(tx, NULL), VX_ERR_INVALID_ARGS);
    vx_msg_out m = {buf, 1, VX_MSG_HANDLES_MAX + 1, {{0}}};
    V_EXPECT_STATUS(vx_ring_send(tx, &m), VX_ERR_INVALID_ARGS);
    uint32_t len;
    V_EXPECT_STATUS(conf_recv(rx, buf, 16, &len), VX_ERR_SHOULD_WAIT);
    V_EXPECT_STATUS(conf_send((vx_ring_tx){rx.h}, buf, 1), VX_ERR_BAD_HANDLE);
    close_ring(v_t, tx, rx);
    V_EXPECT_STATUS(conf_send(tx, buf, 1), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_ring, recv_bad_args)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_EXPECT_STATUS(vx_ring_recv(rx, NULL), VX_ERR_INVALID_ARGS);
    vx_msg_in in = {0};
    in.cap = 4; /* with no buffer */
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_INVALID_ARGS);
    in.cap = 0;
    V_EXPECT_STATUS(vx_ring_recv((vx_ring_rx){tx.h}, &in), VX_ERR_BAD_HANDLE);
    close_ring(v_t, tx, rx);
    V_EXPECT_STATUS(vx_ring_recv(rx, &in), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_ring, recv_into_small_buffer_keeps_message)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    V_ASSERT_OK(conf_send(tx, "0123456789", 10));
    char buf[16];
    uint32_t len = 0;
    V_EXPECT_STATUS(conf_recv(rx, buf, 4, &len), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(len, 10u); /* the size it needs */
    V_EXPECT_OK(conf_recv(rx, buf, 10, &len));
    V_EXPECT_EQ(len, 10u);
    V_EXPECT_MEM_EQ(buf, "0123456789", 10);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, send_and_recv_need_rights)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_handle tx_nosend, rx_norecv;
    V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_WAIT, &tx_nosend));
    V_ASSERT_OK(vx_handle_dup(rx.h, VX_RIGHT_WAIT, &rx_norecv));
    V_EXPECT_STATUS(conf_send((vx_ring_tx){tx_nosend}, "x", 1),
                    VX_ERR_ACCESS_DENIED);
    V_ASSERT_OK(conf_send(tx, "x", 1));
    char c;
    uint32_t len;
    V_EXPECT_STATUS(conf_recv((vx_ring_rx){rx_norecv}, &c, 1, &len),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_OK(conf_recv(rx, &c, 1, &len)); /* still queued */
    conf_close(v_t, tx_nosend);
    conf_close(v_t, rx_norecv);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, rx_closed_send_is_peer_closed)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    conf_close(v_t, rx.h);
    V_EXPECT_STATUS(conf_send(tx, "x", 1), VX_ERR_PEER_CLOSED);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(tx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_PEER_CLOSED); /* not WRITABLE */
    conf_close(v_t, tx.h);
    CONF_END();
}

V_TEST(conf_ring, tx_closed_recv_drains_then_peer_closed)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    V_ASSERT_OK(conf_send(tx, "a", 1));
    V_ASSERT_OK(conf_send(tx, "b", 1));
    conf_close(v_t, tx.h);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(rx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_READABLE | VX_COND_PEER_CLOSED);
    char c;
    uint32_t len;
    V_EXPECT_OK(conf_recv(rx, &c, 1, &len));
    V_EXPECT_EQ(c, 'a');
    V_EXPECT_OK(conf_recv(rx, &c, 1, &len));
    V_EXPECT_EQ(c, 'b');
    V_EXPECT_STATUS(conf_recv(rx, &c, 1, &len), VX_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(conf_recv(rx, &c, 1, &len), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_ring, peer_closed_only_after_last_tx)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_handle tx2;
    V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_SEND, &tx2));
    conf_close(v_t, tx.h);
    char c;
    uint32_t len;
    V_EXPECT_STATUS(conf_recv(rx, &c, 1, &len), VX_ERR_SHOULD_WAIT);
    V_EXPECT_OK(conf_send((vx_ring_tx){tx2}, "z", 1));
    conf_close(v_t, tx2);
    V_EXPECT_OK(conf_recv(rx, &c, 1, &len));
    V_EXPECT_STATUS(conf_recv(rx, &c, 1, &len), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_ring, rx_duplicate_keeps_ring_open)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_handle rx2;
    V_ASSERT_OK(vx_handle_dup(rx.h, conf_rights(rx.h), &rx2));
    conf_close(v_t, rx.h);
    V_EXPECT_OK(conf_send(tx, "k", 1));
    char c = 0;
    uint32_t len;
    V_EXPECT_OK(conf_recv((vx_ring_rx){rx2}, &c, 1, &len));
    V_EXPECT_EQ(c, 'k');
    conf_close(v_t, rx2);
    V_EXPECT_STATUS(conf_send(tx, "k", 1), VX_ERR_PEER_CLOSED);
    conf_close(v_t, tx.h);
    CONF_END();
}

V_TEST(conf_ring, revoking_client_txs_closes_the_ring_for_rx)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_ring_tx client;
    V_ASSERT_OK(vx_ring_tx_mint(tx, 5, VX_RIGHT_SEND, &client));
    V_ASSERT_OK(conf_send(client, "c", 1));
    V_EXPECT_OK(vx_handle_revoke(tx.h));
    V_EXPECT_STATUS(conf_send(client, "c", 1), VX_ERR_BAD_HANDLE);
    conf_close(v_t, tx.h);
    char c;
    uint32_t len;
    V_EXPECT_OK(conf_recv(rx, &c, 1, &len)); /* sent before the revoke */
    V_EXPECT_STATUS(conf_recv(rx, &c, 1, &len), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_ring, badge_is_stamped_by_the_substrate)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_ring_tx alice, bob;
    V_ASSERT_OK(vx_ring_tx_mint(tx, 0xa11ce, VX_RIGHT_SEND, &alice));
    V_ASSERT_OK(vx_ring_tx_mint(tx, UINT64_MAX, VX_RIGHT_SEND |
                                VX_RIGHT_DUPLICATE, &bob));
    vx_handle bob2;
    V_ASSERT_OK(vx_handle_dup(bob.h, VX_RIGHT_SEND, &bob2));
    V_ASSERT_OK(conf_send(alice, "a", 1));
    V_ASSERT_OK(conf_send(bob, "b", 1));
    V_ASSERT_OK(conf_send((vx_ring_tx){bob2}, "B", 1));
    V_ASSERT_OK(conf_send(tx, "t", 1));
    static const uint64_t want[] = {0xa11ce, UINT64_MAX, UINT64_MAX, 0};
    for (int i = 0; i < 4; i++) {
        char c;
        vx_msg_in in = {0};
        in.buf = &c;
        in.cap = 1;
        V_ASSERT_OK(vx_ring_recv(rx, &in));
        V_EXPECT_EQ(in.badge, want[i]);
    }
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(bob2, &info));
    V_EXPECT_EQ(info.badge, UINT64_MAX);
    conf_close(v_t, alice.h);
    conf_close(v_t, bob.h);
    conf_close(v_t, bob2);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring, mint_errors)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    vx_ring_tx m, plain;
    V_EXPECT_STATUS(vx_ring_tx_mint(tx, 0, VX_RIGHT_SEND, &m),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_tx_mint(tx, 1, VX_RIGHT_SEND, NULL),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_tx_mint(tx, 1, VX_RIGHT_RECV, &m),
                    VX_ERR_ACCESS_DENIED); /* rights only shrink */
    V_EXPECT_STATUS(vx_ring_tx_mint((vx_ring_tx){rx.h}, 1, 0, &m),
                    VX_ERR_BAD_HANDLE);
    /* No MANAGE: may not mint. */
    V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_SEND, &plain.h));
    V_EXPECT_STATUS(vx_ring_tx_mint(plain, 1, VX_RIGHT_SEND, &m),
                    VX_ERR_ACCESS_DENIED);
    /* A badge is never replaced, even by a holder with MANAGE. */
    V_ASSERT_OK(vx_ring_tx_mint(tx, 7, conf_rights(tx.h), &m));
    vx_ring_tx m2;
    V_EXPECT_STATUS(vx_ring_tx_mint(m, 8, VX_RIGHT_SEND, &m2),
                    VX_ERR_BAD_STATE);
    conf_close(v_t, m.h);
    conf_close(v_t, plain.h);
    close_ring(v_t, tx, rx);
    V_EXPECT_STATUS(vx_ring_tx_mint(tx, 1, 0, &m), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_ring, conditions_follow_the_queue)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 1, &tx, &rx));
    vx_handle_info ti, ri;
    V_EXPECT_OK(vx_handle_info_get(tx.h, &ti));
    V_EXPECT_OK(vx_handle_info_get(rx.h, &ri));
    V_EXPECT_EQ(ti.conditions, VX_COND_WRITABLE);
    V_EXPECT_EQ(ri.conditions, 0u);
    V_ASSERT_OK(conf_send(tx, "1", 1));
    V_EXPECT_OK(vx_handle_info_get(tx.h, &ti));
    V_EXPECT_OK(vx_handle_info_get(rx.h, &ri));
    V_EXPECT_EQ(ti.conditions, 0u);
    V_EXPECT_EQ(ri.conditions, VX_COND_READABLE);
    char c;
    uint32_t len;
    V_ASSERT_OK(conf_recv(rx, &c, 1, &len));
    V_EXPECT_OK(vx_handle_info_get(tx.h, &ti));
    V_EXPECT_OK(vx_handle_info_get(rx.h, &ri));
    V_EXPECT_EQ(ti.conditions, VX_COND_WRITABLE);
    V_EXPECT_EQ(ri.conditions, 0u);
    close_ring(v_t, tx, rx);
    CONF_END();
}
