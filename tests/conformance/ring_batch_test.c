/* Ring: batch send and receive (docs/substrate.md §6). */
#include "conf.h"

static void close_ring(v_test_ctx *v_t, vx_ring_tx tx, vx_ring_rx rx)
{
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
}

V_TEST(conf_ring_batch, sends_what_fits_in_order)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    uint32_t v[6] = {10, 11, 12, 13, 14, 15};
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_msg_out out[6];
    for (int i = 0; i < 6; i++)
        out[i] = (vx_msg_out){&v[i], 4, 0, {{0}}};
    out[5].handle_count = 1; /* not sent: must keep its handle */
    out[5].handles[0] = r.h;
    size_t done = 0;
    V_ASSERT_OK(vx_ring_send_batch(tx, out, 6, &done));
    V_EXPECT_EQ(done, 4u);
    V_EXPECT(conf_alive(r.h));
    size_t none = 77;
    V_EXPECT_STATUS(vx_ring_send_batch(tx, out + 4, 2, &none),
                    VX_ERR_SHOULD_WAIT);
    V_EXPECT_EQ(none, 77u);
    uint32_t got[8] = {0};
    vx_msg_in in[8];
    for (int i = 0; i < 8; i++) {
        in[i] = (vx_msg_in){0};
        in[i].buf = &got[i];
        in[i].cap = 4;
    }
    V_ASSERT_OK(vx_ring_recv_batch(rx, in, 8, &done));
    V_EXPECT_EQ(done, 4u);
    for (int i = 0; i < 4; i++)
        V_EXPECT_EQ(got[i], 10u + (uint32_t)i);
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, in, 8, &none), VX_ERR_SHOULD_WAIT);
    conf_close(v_t, r.h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_batch, validates_everything_first)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 8, &tx, &rx));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    char big[5] = {0};
    vx_msg_out out[3] = {
        {"ok", 2, 1, {r.h}},
        {big, 5, 0, {{0}}}, /* too long */
        {"ok", 2, 0, {{0}}},
    };
    size_t done = 0;
    V_EXPECT_STATUS(vx_ring_send_batch(tx, out, 3, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT(conf_alive(r.h));
    /* The same handle in two messages of one batch. */
    out[1] = (vx_msg_out){"ok", 2, 1, {r.h}};
    V_EXPECT_STATUS(vx_ring_send_batch(tx, out, 3, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT(conf_alive(r.h));
    uint32_t len;
    char c[4];
    V_EXPECT_STATUS(conf_recv(rx, c, 4, &len), VX_ERR_SHOULD_WAIT);
    conf_close(v_t, r.h);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_batch, bad_args)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 8, &tx, &rx));
    vx_msg_out out = {"x", 1, 0, {{0}}};
    vx_msg_in in = {0};
    size_t done;
    V_EXPECT_STATUS(vx_ring_send_batch(tx, NULL, 1, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_send_batch(tx, &out, 0, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_send_batch(tx, &out, 1, NULL),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, NULL, 1, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, &in, 0, &done),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, &in, 1, NULL),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_ring_send_batch((vx_ring_tx){rx.h}, &out, 1, NULL),
                    VX_ERR_BAD_HANDLE); /* the handle is checked first */
    V_EXPECT_STATUS(vx_ring_recv_batch((vx_ring_rx){tx.h}, &in, 1, &done),
                    VX_ERR_BAD_HANDLE);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_batch, recv_stops_before_a_message_that_does_not_fit)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 16, 8, &tx, &rx));
    V_ASSERT_OK(conf_send(tx, "ab", 2));
    V_ASSERT_OK(conf_send(tx, "0123456789", 10));
    char b0[4], b1[4];
    vx_msg_in in[2] = {{0}, {0}};
    in[0].buf = b0;
    in[0].cap = 4;
    in[1].buf = b1;
    in[1].cap = 4;
    size_t done = 0;
    V_ASSERT_OK(vx_ring_recv_batch(rx, in, 2, &done));
    V_EXPECT_EQ(done, 1u);
    V_EXPECT_MEM_EQ(b0, "ab", 2);
    /* Now it is first: the error, with the length it needs. */
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, in, 2, &done), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(in[0].len, 10u);
    close_ring(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_batch, recv_reports_peer_closed_when_drained)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 4, &tx, &rx));
    V_ASSERT_OK(conf_send(tx, "x", 1));
    conf_close(v_t, tx.h);
    char b[2][4];
    vx_msg_in in[2] = {{0}, {0}};
    in[0].buf = b[0];
    in[0].cap = 4;
    in[1].buf = b[1];
    in[1].cap = 4;
    size_t done = 0;
    V_ASSERT_OK(vx_ring_recv_batch(rx, in, 2, &done));
    V_EXPECT_EQ(done, 1u);
    V_EXPECT_STATUS(vx_ring_recv_batch(rx, in, 2, &done), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}
