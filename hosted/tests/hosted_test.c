/* Tests of what only the hosted backend promises (docs/substrate.md §11):
 * the sandbox around spawned Tasks, and a broker that survives a hostile
 * Task. The conformance suite covers the ABI itself. */
#include "../../tests/conformance/child.h"
#include "../../tests/conformance/images/child.h"

#include <errno.h>

V_TEST(hosted, sandbox_denies_ambient_authority)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    int32_t e[5] = {0};
    uint32_t len = 0;
    V_ASSERT_OK(conf_child_call(&c, CHILD_PROBE, NULL, 0, NULL, 0, e,
                                sizeof e, &len));
    V_ASSERT_EQ(len, sizeof e);
    V_EXPECT_EQ(e[0], EPERM); /* open a host file */
    V_EXPECT_EQ(e[1], EPERM); /* create a socket */
    V_EXPECT_EQ(e[2], EPERM); /* signal a process it has no handle to */
    V_EXPECT_EQ(e[3], EPERM); /* fork */
    V_EXPECT_EQ(e[4], EPERM); /* exec a host program */
    /* Probing is not fatal: the Task carries on. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&c, CHILD_ECHO, "ok", 2, NULL, 0, out,
                                sizeof out, NULL));
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(hosted, broker_survives_a_hostile_task)
{
    CONF_BEGIN();
    /* A bystander with a Ring in use throughout. */
    conf_child bystander;
    V_ASSERT(conf_child_start(v_t, &bystander));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_spawn_args a = {{image}, "scribbler", 1u << 20, 64, 0, NULL};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TASK_EXITED, 50));
    uint64_t p;
    V_ASSERT_OK(vx_wait(UINT64_C(1) << 50,
                        vx_clock_monotonic() + 20000 * CONF_MS, &p));
    V_EXPECT_OK(vx_signal_unbind(50));
    vx_task_status s;
    V_EXPECT_OK(vx_task_status_get(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0); /* it got to write everything */
    conf_close(v_t, t.h);
    uint8_t out[16];
    uint32_t len;
    V_EXPECT_OK(conf_child_call(&bystander, CHILD_ECHO, "still", 5, NULL, 0,
                                out, sizeof out, &len));
    V_EXPECT_MEM_EQ(out + 8, "still", 5);
    conf_child_finish(v_t, &bystander, VX_TASK_EXITED, 0);
    CONF_END(); /* whatever it created is gone with it */
}

/* Receives one message from rx within 10 s. */
static vx_status recv_within(vx_ring_rx rx, void *buf, uint32_t cap,
                             uint32_t *len)
{
    vx_status st = vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                                  51);
    if (st != VX_OK)
        return st;
    vx_time until = vx_clock_monotonic() + 10000 * CONF_MS;
    for (;;) {
        st = conf_recv(rx, buf, cap, len);
        if (st != VX_ERR_SHOULD_WAIT)
            break;
        uint64_t p;
        st = vx_wait(UINT64_C(1) << 51, until, &p);
        if (st != VX_OK)
            break;
    }
    vx_status un = vx_signal_unbind(51);
    return st != VX_OK ? st : un;
}

/* A Task writes garbage over the shared memory of two Rings' lanes (as
 * producer of one, consumer of the other). Its peer — this root Task,
 * hosting the core under ASan — gets PEER_CLOSED on exactly those two
 * (docs/substrate.md §11), while the scribbler's other Rings and an
 * unrelated Task's Rings keep working. */
V_TEST(hosted, ring_scribbler_breaks_only_its_rings)
{
    CONF_BEGIN();
    conf_child bystander;
    V_ASSERT(conf_child_start(v_t, &bystander));
    vx_ring_tx v_tx, u_tx, cmd_tx, done_tx;
    vx_ring_rx v_rx, u_rx, cmd_rx, done_rx;
    V_ASSERT(conf_ring(v_t, 64, 16, &v_tx, &v_rx));
    V_ASSERT(conf_ring(v_t, 64, 16, &u_tx, &u_rx));
    V_ASSERT(conf_ring(v_t, 64, 16, &cmd_tx, &cmd_rx));
    V_ASSERT(conf_ring(v_t, 64, 16, &done_tx, &done_rx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_named_handle hs[] = {{"v_tx", v_tx.h}, {"u_rx", u_rx.h},
                            {"cmd", cmd_rx.h}, {"done", done_tx.h}};
    vx_spawn_args a = {{image}, "scribbler", 1u << 20, 64, 4, hs};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    char got[64];
    uint32_t len = 0;
    V_ASSERT_OK(recv_within(done_rx, got, sizeof got, &len));
    V_ASSERT_EQ(len, 4u);
    V_EXPECT_MEM_EQ(got, "done", 4);

    /* The scribbled Rings: broken for their peer, which carries on. */
    V_EXPECT_STATUS(conf_recv(v_rx, got, sizeof got, &len),
                    VX_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(conf_send(u_tx, "x", 1), VX_ERR_PEER_CLOSED);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(v_rx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_PEER_CLOSED);
    V_EXPECT_OK(vx_handle_info_get(u_tx.h, &info));
    V_EXPECT_EQ(info.conditions, VX_COND_PEER_CLOSED);
    /* ... for good, although the scribbler still holds its ends. */
    V_EXPECT_STATUS(conf_recv(v_rx, got, sizeof got, &len),
                    VX_ERR_PEER_CLOSED);
    vx_task_status s;
    V_EXPECT_OK(vx_task_status_get(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_RUNNING);

    /* Its other Rings, both on lanes, still work both ways. */
    for (int i = 0; i < 20; i++) {
        char ping[8] = {'p', 'i', 'n', 'g', (char)('0' + i % 10)};
        V_ASSERT_OK(conf_send(cmd_tx, ping, 5));
        V_ASSERT_OK(recv_within(done_rx, got, sizeof got, &len));
        V_EXPECT_EQ(len, 5u);
        V_EXPECT_MEM_EQ(got, ping, 5);
    }
    /* So do another Task's. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&bystander, CHILD_ECHO, "still", 5, NULL, 0,
                                out, sizeof out, &len));
    V_EXPECT_MEM_EQ(out + 8, "still", 5);

    /* Closing its command Ring ends the scribbler normally. */
    conf_close(v_t, cmd_tx.h);
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TASK_EXITED, 50));
    uint64_t p;
    V_ASSERT_OK(vx_wait(UINT64_C(1) << 50,
                        vx_clock_monotonic() + 10000 * CONF_MS, &p));
    V_EXPECT_OK(vx_signal_unbind(50));
    V_EXPECT_OK(vx_task_status_get(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0);
    conf_close(v_t, t.h);
    conf_close(v_t, v_rx.h);
    conf_close(v_t, u_tx.h);
    conf_close(v_t, done_rx.h);
    conf_child_finish(v_t, &bystander, VX_TASK_EXITED, 0);
    CONF_END();
}

/* A spawned producer streams numbers through a Ring's lane while this
 * consumer keeps sealing the lane under it (each dup and close of the RX
 * hands the queue back to the core; the next sends engage a new lane).
 * Every number arrives once, in order: the hand-over loses and repeats
 * nothing, whichever side was mid-step when the seal came. */
V_TEST(hosted, lane_handover_loses_nothing)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 64, &tx, &rx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_named_handle hs[] = {{"stream", tx.h}};
    vx_spawn_args a = {{image}, "streamer", 1u << 20, 16, 1, hs};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                               52));
    uint32_t expect = 0, disorder = 0, seals = 0;
    uint32_t nums[16];
    vx_time until = vx_clock_monotonic() + 60000 * CONF_MS;
    for (uint32_t round = 0;; round++) {
        vx_msg_in in[16];
        size_t want = round % 3 == 0 ? 16 : 1, done = 0;
        for (size_t i = 0; i < want; i++)
            in[i] = (vx_msg_in){&nums[i], 4, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv_batch(rx, in, want, &done);
        if (st == VX_OK) {
            for (size_t i = 0; i < done; i++)
                disorder += in[i].len != 4 || nums[i] != expect++;
        } else if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t p;
            V_ASSERT_OK(vx_wait(UINT64_C(1) << 52, until, &p));
        } else {
            V_ASSERT_STATUS(st, VX_ERR_PEER_CLOSED);
            break;
        }
        if (round % 97 == 0) {
            vx_handle d;
            V_ASSERT_OK(vx_handle_dup(rx.h, VX_RIGHT_RECV, &d));
            conf_close(v_t, d);
            seals++;
        }
    }
    V_EXPECT_EQ(expect, 100000u);
    V_EXPECT_EQ(disorder, 0u);
    V_EXPECT_GT(seals, 10u);
    V_EXPECT_OK(vx_signal_unbind(52));
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
    conf_close(v_t, rx.h);
    CONF_END();
}

/* The other way round: this Task streams numbers to a spawned consumer
 * and keeps sealing the lane from the producer's side (dup and close of
 * the TX) while the consumer is mid-receive. */
V_TEST(hosted, lane_handover_loses_nothing_for_the_consumer)
{
    CONF_BEGIN();
    vx_ring_tx tx, done_tx;
    vx_ring_rx rx, done_rx;
    V_ASSERT(conf_ring(v_t, 4, 64, &tx, &rx));
    V_ASSERT(conf_ring(v_t, 8, 1, &done_tx, &done_rx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_named_handle hs[] = {{"sink", rx.h}, {"done", done_tx.h}};
    vx_spawn_args a = {{image}, "sink", 1u << 20, 16, 2, hs};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    V_ASSERT_OK(vx_signal_bind(tx.h, VX_COND_WRITABLE | VX_COND_PEER_CLOSED,
                               53));
    vx_time until = vx_clock_monotonic() + 60000 * CONF_MS;
    uint32_t seals = 0;
    for (uint32_t next = 0, round = 0; next < 100000u; round++) {
        uint32_t nums[8];
        vx_msg_out m[8];
        size_t want = round % 3 == 0 ? 8 : 1, done = 0;
        if (want > 100000u - next)
            want = 100000u - next;
        for (size_t i = 0; i < want; i++) {
            nums[i] = next + (uint32_t)i;
            m[i] = (vx_msg_out){&nums[i], 4, 0, {{0}}};
        }
        vx_status st = vx_ring_send_batch(tx, m, want, &done);
        if (st == VX_OK) {
            next += (uint32_t)done;
        } else {
            V_ASSERT_STATUS(st, VX_ERR_SHOULD_WAIT);
            uint64_t p;
            V_ASSERT_OK(vx_wait(UINT64_C(1) << 53, until, &p));
        }
        if (round % 89 == 0) {
            vx_handle d;
            V_ASSERT_OK(vx_handle_dup(tx.h, VX_RIGHT_SEND, &d));
            conf_close(v_t, d);
            seals++;
        }
    }
    V_EXPECT_OK(vx_signal_unbind(53));
    conf_close(v_t, tx.h); /* the consumer drains, sees PEER_CLOSED, reports */
    uint32_t report[2] = {0, 1};
    uint32_t len = 0;
    V_ASSERT_OK(recv_within(done_rx, report, sizeof report, &len));
    V_EXPECT_EQ(len, 8u);
    V_EXPECT_EQ(report[0], 100000u);
    V_EXPECT_EQ(report[1], 0u);
    V_EXPECT_GT(seals, 10u);
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
    conf_close(v_t, done_rx.h);
    CONF_END();
}
