/* A Ring with several producers (docs/substrate.md §6): a service inbox
 * whose clients hold TXs minted with their own badges. The Ring's slots
 * are shared by all of them (full is full, whichever TX sends), messages
 * arrive in the order they were sent whatever TX they came through, each
 * with its own TX's badge. On the hosted backend these TXs get a lane
 * each when a spawned Task uses them (§11), so the suite's in-Task run
 * checks the lanes against the same rules. */
#include "conf.h"

#define PRODUCERS 4u

/* The original TX plus three minted ones, badges 0, 1, 2, 3. */
static bool producers(v_test_ctx *v_t, uint32_t slot_count,
                      vx_ring_tx tx[PRODUCERS], vx_ring_rx *rx)
{
    if (!conf_ring(v_t, 8, slot_count, &tx[0], rx))
        return false;
    for (uint32_t i = 1; i < PRODUCERS; i++)
        if (!V_EXPECT_OK(vx_ring_tx_mint(tx[0], i,
                                         VX_RIGHT_SEND | VX_RIGHT_WAIT |
                                             VX_RIGHT_TRANSFER,
                                         &tx[i])))
            return false;
    return true;
}

static void close_all(v_test_ctx *v_t, vx_ring_tx tx[PRODUCERS], vx_ring_rx rx)
{
    for (uint32_t i = 0; i < PRODUCERS; i++)
        conf_close(v_t, tx[i].h);
    conf_close(v_t, rx.h);
}

/* Receives one message: its number and badge. */
static vx_status recv_one(vx_ring_rx rx, uint32_t *num, uint64_t *badge)
{
    uint8_t b[8];
    vx_msg_in m = {0};
    m.buf = b;
    m.cap = sizeof b;
    vx_status st = vx_ring_recv(rx, &m);
    if (st == VX_OK) {
        *num = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
               (uint32_t)b[3] << 24;
        *badge = m.badge;
    }
    return st;
}

V_TEST(conf_ring_producers, interleave_in_send_order_with_their_badges)
{
    CONF_BEGIN();
    vx_ring_tx tx[PRODUCERS];
    vx_ring_rx rx;
    V_ASSERT(producers(v_t, 16, tx, &rx));
    uint32_t sent = 0, got = 0;
    uint64_t from[64];
    /* Bursts from producers in a changing order, partly drained between
     * them, so that every producer's messages sit among the others'. */
    for (uint32_t round = 0; round < 8; round++) {
        for (uint32_t k = 0; k < 6; k++, sent++) {
            uint32_t who = (k * 3 + round) % PRODUCERS;
            from[sent % 64] = who;
            V_ASSERT_OK(conf_send(tx[who], &sent, 4));
        }
        for (uint32_t k = 0; k < 5; k++, got++) {
            uint32_t num = 0;
            uint64_t badge = 99;
            V_ASSERT_OK(recv_one(rx, &num, &badge));
            V_EXPECT_EQ(num, got);
            V_EXPECT_EQ(badge, from[got % 64]);
        }
    }
    for (; got < sent; got++) {
        uint32_t num = 0;
        uint64_t badge = 99;
        V_ASSERT_OK(recv_one(rx, &num, &badge));
        V_EXPECT_EQ(num, got);
        V_EXPECT_EQ(badge, from[got % 64]);
    }
    uint32_t num;
    uint64_t badge;
    V_EXPECT_STATUS(recv_one(rx, &num, &badge), VX_ERR_SHOULD_WAIT);
    close_all(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_producers, share_the_slots)
{
    CONF_BEGIN();
    vx_ring_tx tx[PRODUCERS];
    vx_ring_rx rx;
    V_ASSERT(producers(v_t, 8, tx, &rx));
    /* Two each fill the eight slots: then no producer may send. */
    for (uint32_t i = 0; i < 8; i++)
        V_ASSERT_OK(conf_send(tx[i % PRODUCERS], &i, 4));
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        uint32_t extra = 100 + i;
        V_EXPECT_STATUS(conf_send(tx[i], &extra, 4), VX_ERR_SHOULD_WAIT);
        vx_handle_info info;
        V_EXPECT_OK(vx_handle_info_get(tx[i].h, &info));
        V_EXPECT_EQ(info.conditions & VX_COND_WRITABLE, 0u);
    }
    /* One slot freed: exactly one more message fits, from anyone. */
    uint32_t num;
    uint64_t badge;
    V_ASSERT_OK(recv_one(rx, &num, &badge));
    V_EXPECT_EQ(num, 0u);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(tx[3].h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_WRITABLE);
    uint32_t late = 8;
    V_EXPECT_OK(conf_send(tx[3], &late, 4));
    V_EXPECT_STATUS(conf_send(tx[1], &late, 4), VX_ERR_SHOULD_WAIT);
    /* A batch takes what fits and keeps the rest. */
    V_ASSERT_OK(recv_one(rx, &num, &badge));
    V_ASSERT_OK(recv_one(rx, &num, &badge));
    uint32_t b[3] = {9, 10, 11};
    vx_msg_out m[3] = {{&b[0], 4, 0, {{0}}}, {&b[1], 4, 0, {{0}}},
                       {&b[2], 4, 0, {{0}}}};
    size_t done = 0;
    V_EXPECT_OK(vx_ring_send_batch(tx[2], m, 3, &done));
    V_EXPECT_EQ(done, 2u);
    /* Nothing was dropped, and the order is the send order. */
    for (uint32_t want = 3; want <= 10; want++) {
        V_ASSERT_OK(recv_one(rx, &num, &badge));
        V_EXPECT_EQ(num, want);
    }
    V_EXPECT_STATUS(recv_one(rx, &num, &badge), VX_ERR_SHOULD_WAIT);
    close_all(v_t, tx, rx);
    CONF_END();
}

V_TEST(conf_ring_producers, closing_producers_one_by_one)
{
    CONF_BEGIN();
    vx_ring_tx tx[PRODUCERS];
    vx_ring_rx rx;
    V_ASSERT(producers(v_t, 8, tx, &rx));
    for (uint32_t i = 0; i < PRODUCERS; i++)
        V_ASSERT_OK(conf_send(tx[i], &i, 4));
    /* Their messages outlive them; PEER_CLOSED only after the last one
     * is gone and the queue is drained. */
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        uint32_t num;
        uint64_t badge;
        conf_close(v_t, tx[i].h);
        V_ASSERT_OK(recv_one(rx, &num, &badge));
        V_EXPECT_EQ(num, i);
        V_EXPECT_EQ(badge, i);
    }
    uint32_t num;
    uint64_t badge;
    V_EXPECT_STATUS(recv_one(rx, &num, &badge), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    CONF_END();
}
