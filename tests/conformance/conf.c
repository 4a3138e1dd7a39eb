/* tests/conformance/conf.c — helpers shared by the conformance tests. */
#include "conf.h"

void conf_check_unchanged(v_test_ctx *v_t, const conf_snapshot *before)
{
    vx_task_usage now;
    if (!V_EXPECT_OK(vx_task_usage_get(&now)))
        return;
    V_EXPECT_EQ(now.handles_used, before->usage.handles_used);
    V_EXPECT_EQ(now.used_bytes, before->usage.used_bytes);
    V_EXPECT_EQ(now.quota_bytes, before->usage.quota_bytes);
}

bool conf_ring(v_test_ctx *v_t, uint32_t slot_size, uint32_t slot_count,
               vx_ring_tx *tx, vx_ring_rx *rx)
{
    vx_ring_params p = {slot_size, slot_count, 0x5eed};
    return V_EXPECT_OK(vx_ring_create(&p, tx, rx));
}

vx_status conf_send(vx_ring_tx tx, const void *data, uint32_t len)
{
    vx_msg_out m = {data, len, 0, {{0}}};
    return vx_ring_send(tx, &m);
}

vx_status conf_recv(vx_ring_rx rx, void *buf, uint32_t cap, uint32_t *len)
{
    vx_msg_in m = {0};
    m.buf = buf;
    m.cap = cap;
    vx_status st = vx_ring_recv(rx, &m);
    if (st == VX_OK || st == VX_ERR_OUT_OF_RANGE)
        *len = m.len;
    return st;
}

void conf_close(v_test_ctx *v_t, vx_handle h)
{
    V_EXPECT_OK(vx_handle_close(h));
}

uint64_t conf_poll(v_test_ctx *v_t, uint64_t mask)
{
    uint64_t pending = 0;
    vx_status st = vx_wait(mask, 0, &pending);
    if (st == VX_ERR_TIMED_OUT)
        return 0;
    V_EXPECT_OK(st);
    return pending;
}

vx_rights conf_rights(vx_handle h)
{
    vx_handle_info info;
    return vx_handle_info_get(h, &info) == VX_OK ? info.rights : 0;
}

bool conf_alive(vx_handle h)
{
    vx_handle_info info;
    return vx_handle_info_get(h, &info) == VX_OK;
}
