/* tests/conformance/child.c — driving the child Task image (images/). */
#include "child.h"

#include "images/child.h"

#define BIT_REPLY 62
#define BIT_EXIT 61
#define PATIENCE (10000 * CONF_MS) /* a child that hangs fails the test */

bool conf_child_start_with(v_test_ctx *v_t, conf_child *c, uint64_t quota)
{
    vx_handle image;
    if (!V_EXPECT_OK(vx_task_initial_handle("conf_child", VX_OBJ_REGION,
                                            &image)))
        return false;
    vx_ring_params p = {CHILD_SLOT_SIZE, 8, 0xc417d};
    vx_ring_rx cmd_rx;
    vx_ring_tx reply_tx;
    if (!V_EXPECT_OK(vx_ring_create(&p, &c->cmd, &cmd_rx)))
        return false;
    if (!V_EXPECT_OK(vx_ring_create(&p, &reply_tx, &c->reply))) {
        V_EXPECT_OK(vx_handle_close(c->cmd.h));
        V_EXPECT_OK(vx_handle_close(cmd_rx.h));
        return false;
    }
    vx_named_handle hs[] = {{"cmd", cmd_rx.h}, {"reply", reply_tx.h}};
    vx_spawn_args a = {{image}, "conf-child", quota, 64, 2, hs};
    if (!V_EXPECT_OK(vx_task_spawn(&a, &c->task))) {
        V_EXPECT_OK(vx_handle_close(c->cmd.h));
        V_EXPECT_OK(vx_handle_close(cmd_rx.h));
        V_EXPECT_OK(vx_handle_close(reply_tx.h));
        V_EXPECT_OK(vx_handle_close(c->reply.h));
        return false;
    }
    return true;
}

bool conf_child_start(v_test_ctx *v_t, conf_child *c)
{
    return conf_child_start_with(v_t, c, 16u << 20);
}

vx_status conf_child_send(conf_child *c, uint32_t cmd, const void *arg,
                          uint32_t len, const vx_handle *h, uint32_t hc)
{
    uint8_t b[CHILD_SLOT_SIZE];
    if (len + 4 > sizeof b || hc > VX_MSG_HANDLES_MAX)
        return VX_ERR_INVALID_ARGS;
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(cmd >> (8 * i));
    const uint8_t *a = arg;
    for (uint32_t i = 0; i < len; i++)
        b[4 + i] = a[i];
    vx_msg_out m = {b, 4 + len, hc, {{0}}};
    for (uint32_t i = 0; i < hc; i++)
        m.handles[i] = h[i];
    return vx_ring_send(c->cmd, &m);
}

vx_status conf_child_reply(conf_child *c, void *out, uint32_t cap,
                           uint32_t *len, vx_msg_in *in)
{
    uint8_t b[CHILD_SLOT_SIZE];
    vx_msg_in local = {0};
    vx_msg_in *m = in != NULL ? in : &local;
    *m = (vx_msg_in){0};
    m->buf = b;
    m->cap = sizeof b;
    vx_status st = vx_signal_bind(c->reply.h, VX_COND_READABLE |
                                                  VX_COND_PEER_CLOSED,
                                  BIT_REPLY);
    if (st != VX_OK)
        return st;
    vx_time deadline = vx_clock_monotonic() + PATIENCE;
    for (;;) {
        st = vx_ring_recv(c->reply, m);
        if (st != VX_ERR_SHOULD_WAIT)
            break;
        uint64_t p;
        st = vx_wait(UINT64_C(1) << BIT_REPLY, deadline, &p);
        if (st != VX_OK)
            break;
    }
    if (vx_signal_unbind(BIT_REPLY) != VX_OK && st == VX_OK)
        st = VX_ERR_BAD_STATE;
    if (st != VX_OK)
        return st;
    if (m->len < 4)
        return VX_ERR_BAD_STATE;
    uint32_t n = m->len - 4 < cap ? m->len - 4 : cap;
    uint8_t *o = out;
    for (uint32_t i = 0; i < n; i++)
        o[i] = b[4 + i];
    if (len != NULL)
        *len = n;
    return (vx_status)((uint32_t)b[0] | (uint32_t)b[1] << 8 |
                       (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
}

vx_status conf_child_call(conf_child *c, uint32_t cmd, const void *arg,
                          uint32_t len, const vx_handle *h, uint32_t hc,
                          void *out, uint32_t cap, uint32_t *out_len)
{
    vx_status st = conf_child_send(c, cmd, arg, len, h, hc);
    if (st != VX_OK)
        return st;
    return conf_child_reply(c, out, cap, out_len, NULL);
}

vx_status conf_child_wait_exit(conf_child *c, vx_task_status *s)
{
    vx_status st = vx_signal_bind(c->task.h, VX_COND_TASK_EXITED, BIT_EXIT);
    if (st != VX_OK)
        return st;
    uint64_t p;
    st = vx_wait(UINT64_C(1) << BIT_EXIT, vx_clock_monotonic() + PATIENCE, &p);
    if (vx_signal_unbind(BIT_EXIT) != VX_OK && st == VX_OK)
        st = VX_ERR_BAD_STATE;
    if (st != VX_OK)
        return st;
    return vx_task_status_get(c->task, s);
}

void conf_child_finish(v_test_ctx *v_t, conf_child *c, vx_task_state state,
                       int32_t code)
{
    /* Closing its command Ring tells a live child to return from main. */
    V_EXPECT_OK(vx_handle_close(c->cmd.h));
    vx_task_status s = {99, 99, 0, 0};
    V_EXPECT_OK(conf_child_wait_exit(c, &s));
    V_EXPECT_EQ(s.state, state);
    V_EXPECT_EQ(s.exit_code, code);
    V_EXPECT_OK(vx_handle_close(c->reply.h));
    V_EXPECT_OK(vx_handle_close(c->task.h));
}
