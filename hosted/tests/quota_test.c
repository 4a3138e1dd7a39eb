/* Quotas on the hosted backend (docs/substrate.md §11, "Quota"): a
 * spawned Task's own memory is bounded by the quota its creator lent it,
 * and a Ring's lane is paid out of the quota of the Task the Ring is
 * charged to, without ever making a create fail. */
#include "../../tests/conformance/child.h"
#include "../../tests/conformance/images/child.h"
#include "../kern.h"

#include <errno.h>
#include <string.h>

#define BIT(n) (UINT64_C(1) << (n))
#define PATIENCE (10000 * CONF_MS)

/* Receives one message from rx within PATIENCE (bit 53). */
static vx_status recv_patiently(vx_ring_rx rx, void *buf, uint32_t cap,
                                uint32_t *len)
{
    vx_status st = vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                                  53);
    if (st != VX_OK)
        return st;
    vx_time until = vx_clock_monotonic() + PATIENCE;
    for (;;) {
        st = conf_recv(rx, buf, cap, len);
        if (st != VX_ERR_SHOULD_WAIT)
            break;
        uint64_t p;
        st = vx_wait(BIT(53), until, &p);
        if (st != VX_OK)
            break;
    }
    vx_status un = vx_signal_unbind(53);
    return st != VX_OK ? st : un;
}

static vx_status wait_exit(vx_task t, vx_task_status *s)
{
    vx_status st = vx_signal_bind(t.h, VX_COND_TASK_EXITED, 54);
    uint64_t p;
    if (st == VX_OK)
        st = vx_wait(BIT(54), vx_clock_monotonic() + PATIENCE, &p);
    if (st == VX_OK)
        st = vx_signal_unbind(54);
    if (st == VX_OK)
        st = vx_task_status_get(t, s);
    return st;
}

V_TEST(hosted, a_task_cannot_malloc_past_its_quota)
{
    CONF_BEGIN();
    conf_child bystander;
    V_ASSERT(conf_child_start(v_t, &bystander));
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_named_handle hs[] = {{"hog", tx.h}};
    const uint64_t quota = 8u << 20;
    vx_spawn_args a = {{image}, "hog", quota, 16, 1, hs};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    uint8_t r[16];
    uint32_t len = 0;
    V_ASSERT_OK(recv_patiently(rx, r, sizeof r, &len));
    V_ASSERT_EQ(len, 16u);
    uint64_t got;
    uint32_t flag, raise_errno;
    memcpy(&got, r, 8);
    memcpy(&flag, r + 8, 4);
    memcpy(&raise_errno, r + 12, 4);
    V_EXPECT_EQ(raise_errno, (uint32_t)EPERM); /* the sandbox says no */
    V_EXPECT_EQ(flag, 1u);       /* malloc failed ... */
    V_EXPECT_LT(got, quota);     /* ... before it had the quota's worth */
    V_EXPECT_GT(got, quota / 2); /* and not much before */
    /* The Task carries on: freed, it can allocate again, and it exits. */
    V_ASSERT_OK(recv_patiently(rx, r, sizeof r, &len));
    memcpy(&flag, r + 8, 4);
    V_EXPECT_EQ(flag, 1u);
    vx_task_status s;
    V_ASSERT_OK(wait_exit(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0);
    /* And so does everybody else. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&bystander, CHILD_ECHO, "on", 2, NULL, 0,
                                out, sizeof out, &len));
    V_EXPECT_MEM_EQ(out + 8, "on", 2);
    conf_close(v_t, t.h);
    conf_close(v_t, rx.h);
    conf_child_finish(v_t, &bystander, VX_TASK_EXITED, 0);
    CONF_END();
}

static uint64_t lane_charged(void)
{
    k_enter();
    uint64_t c = k_root()->lane_charged;
    k_leave();
    return c;
}

/* A spawned producer streams numbers through a Ring this root Task made
 * (and pays for): its lane is charged to the root. Then the root takes
 * every byte of its quota for a Region: the create succeeds (the lane is
 * sealed to make room), further creates are LIMIT, and the stream goes on
 * through the core with nothing lost; once the Region is gone a lane
 * comes back. */
V_TEST(hosted, lanes_are_paid_by_the_ring_payer_and_yield_to_objects)
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
    uint32_t expect = 0, disorder = 0, num, len;
    bool lane_seen = false, lane_back = false;
    vx_region big = {{0}};
    bool have_big = false;
    for (;;) {
        vx_status st = recv_patiently(rx, &num, sizeof num, &len);
        if (st == VX_ERR_PEER_CLOSED)
            break;
        V_ASSERT_OK(st);
        disorder += len != 4 || num != expect++;
        if (expect < 1000) {
            lane_seen |= lane_charged() > 0;
        } else if (expect == 1000) {
            vx_task_usage u;
            V_ASSERT_OK(vx_task_usage_get(&u));
            uint64_t left = (u.quota_bytes - u.used_bytes) / VX_PAGE_SIZE *
                            VX_PAGE_SIZE;
            V_ASSERT_OK(vx_region_create(left, &big));
            have_big = true;
            V_EXPECT_EQ(lane_charged(), 0u);
            vx_region r;
            V_EXPECT_STATUS(vx_region_create(VX_PAGE_SIZE, &r), VX_ERR_LIMIT);
            vx_ring_tx t2;
            vx_ring_rx r2;
            vx_ring_params p = {VX_PAGE_SIZE, 1, 0};
            V_EXPECT_STATUS(vx_ring_create(&p, &t2, &r2), VX_ERR_LIMIT);
        } else if (expect < 50000) {
            /* No room: the Ring works through the core. */
            V_EXPECT_EQ(lane_charged(), 0u);
        } else if (expect == 50000) {
            conf_close(v_t, big.h);
            have_big = false;
        } else {
            lane_back |= lane_charged() > 0;
        }
    }
    if (have_big)
        conf_close(v_t, big.h);
    V_EXPECT_EQ(expect, 100000u);
    V_EXPECT_EQ(disorder, 0u);
    V_EXPECT(lane_seen);
    V_EXPECT(lane_back);
    vx_task_status s;
    V_ASSERT_OK(wait_exit(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0);
    conf_close(v_t, t.h);
    conf_close(v_t, rx.h);
    V_EXPECT_EQ(lane_charged(), 0u);
    CONF_END();
}
