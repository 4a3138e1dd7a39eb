/* Many producers through their own lanes (docs/substrate.md §11): four
 * spawned producers stream numbers into one Ring through TXs minted with
 * their own badges, while this consumer (the root Task, which drains all
 * four lanes directly) keeps sealing the lanes under them. Each
 * producer's numbers arrive once and in order, under its badge. */
#include "../../tests/conformance/child.h"
#include "../../tests/conformance/images/child.h"

#define PRODUCERS 4u
#define STREAM_COUNT 100000u /* hosted/tests/scribbler.c */

V_TEST(hosted, producers_lanes_lose_and_reorder_nothing)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 64, &tx, &rx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_task t[PRODUCERS];
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        vx_ring_tx mine;
        V_ASSERT_OK(vx_ring_tx_mint(tx, i + 1,
                                    VX_RIGHT_SEND | VX_RIGHT_WAIT |
                                        VX_RIGHT_TRANSFER,
                                    &mine));
        vx_named_handle hs[] = {{"stream", mine.h}};
        vx_spawn_args a = {{image}, "streamer", 1u << 20, 16, 1, hs};
        V_ASSERT_OK(vx_task_spawn(&a, &t[i]));
    }
    conf_close(v_t, tx.h); /* the producers hold every TX now */
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                               52));
    uint32_t next[PRODUCERS] = {0}, disorder = 0, strangers = 0, seals = 0;
    uint32_t nums[16];
    vx_time until = vx_clock_monotonic() + 60000 * CONF_MS;
    for (uint32_t round = 0;; round++) {
        vx_msg_in in[16];
        size_t want = round % 3 == 0 ? 16 : 1, done = 0;
        for (size_t i = 0; i < want; i++)
            in[i] = (vx_msg_in){&nums[i], 4, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv_batch(rx, in, want, &done);
        if (st == VX_OK) {
            for (size_t i = 0; i < done; i++) {
                uint64_t b = in[i].badge;
                if (b < 1 || b > PRODUCERS) {
                    strangers++;
                    continue;
                }
                disorder += in[i].len != 4 || nums[i] != next[b - 1]++;
            }
        } else if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t p;
            V_ASSERT_OK(vx_wait(UINT64_C(1) << 52, until, &p));
        } else {
            V_ASSERT_STATUS(st, VX_ERR_PEER_CLOSED);
            break;
        }
        if (round % 997 == 0) {
            vx_handle d; /* a second RX seals the lanes for a while */
            V_ASSERT_OK(vx_handle_dup(rx.h, VX_RIGHT_RECV, &d));
            conf_close(v_t, d);
            seals++;
        }
    }
    for (uint32_t i = 0; i < PRODUCERS; i++)
        V_EXPECT_EQ(next[i], STREAM_COUNT);
    V_EXPECT_EQ(disorder, 0u);
    V_EXPECT_EQ(strangers, 0u);
    V_EXPECT_GT(seals, 10u);
    V_EXPECT_OK(vx_signal_unbind(52));
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        V_ASSERT_OK(vx_signal_bind(t[i].h, VX_COND_TASK_EXITED, 50));
        uint64_t p;
        V_ASSERT_OK(vx_wait(UINT64_C(1) << 50,
                            vx_clock_monotonic() + 10000 * CONF_MS, &p));
        V_EXPECT_OK(vx_signal_unbind(50));
        vx_task_status s;
        V_EXPECT_OK(vx_task_status_get(t[i], &s));
        V_EXPECT_EQ(s.state, VX_TASK_EXITED);
        V_EXPECT_EQ(s.exit_code, 0);
        conf_close(v_t, t[i].h);
    }
    conf_close(v_t, rx.h);
    CONF_END();
}

/* A producer of a Ring with several lanes asks for every lane and gets
 * only its own (it could otherwise read or change the others' messages
 * under their badges), then writes garbage over the credit page all ends
 * share: the Ring breaks (PEER_CLOSED for every end, §6) and nothing
 * else does. */
V_TEST(hosted, a_crowded_producer_gets_only_its_own_lane)
{
    CONF_BEGIN();
    conf_child bystander;
    V_ASSERT(conf_child_start(v_t, &bystander));
    vx_ring_tx tx, crowd_tx, done_tx;
    vx_ring_rx rx, done_rx;
    V_ASSERT(conf_ring(v_t, 8, 8, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 4, &done_tx, &done_rx));
    V_ASSERT_OK(vx_ring_tx_mint(tx, 7, VX_RIGHT_SEND | VX_RIGHT_TRANSFER,
                                &crowd_tx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_named_handle hs[] = {{"crowd", crowd_tx.h}, {"done", done_tx.h}};
    vx_spawn_args a = {{image}, "crowd", 1u << 20, 16, 2, hs};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    V_ASSERT_OK(vx_signal_bind(done_rx.h, VX_COND_READABLE, 52));
    uint32_t r[2] = {99, 0}, len = 0;
    vx_time until = vx_clock_monotonic() + 10000 * CONF_MS;
    vx_status st;
    while ((st = conf_recv(done_rx, r, sizeof r, &len)) == VX_ERR_SHOULD_WAIT) {
        uint64_t p;
        V_ASSERT_OK(vx_wait(UINT64_C(1) << 52, until, &p));
    }
    V_ASSERT_OK(st);
    V_EXPECT_OK(vx_signal_unbind(52));
    V_EXPECT_LT(r[0], 2u); /* one of the two lanes ... */
    V_EXPECT_EQ(r[1], 1u); /* ... and always that one */
    /* The credit is nonsense: the next use of the lanes finds it. */
    V_EXPECT_STATUS(conf_send(tx, "x", 1), VX_ERR_PEER_CLOSED);
    char b[8];
    V_EXPECT_STATUS(conf_recv(rx, b, sizeof b, &len), VX_ERR_PEER_CLOSED);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(rx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_PEER_CLOSED);
    /* Everybody else carries on. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&bystander, CHILD_ECHO, "ok", 2, NULL, 0, out,
                                sizeof out, &len));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TASK_EXITED, 50));
    uint64_t p;
    V_ASSERT_OK(vx_wait(UINT64_C(1) << 50,
                        vx_clock_monotonic() + 10000 * CONF_MS, &p));
    V_EXPECT_OK(vx_signal_unbind(50));
    vx_task_status s;
    V_EXPECT_OK(vx_task_status_get(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0);
    conf_close(v_t, t.h);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    conf_close(v_t, done_rx.h);
    conf_child_finish(v_t, &bystander, VX_TASK_EXITED, 0);
    CONF_END();
}
