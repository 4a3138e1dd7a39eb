/* The synchronous client call (include/v/service.h): one request, a
 * one-shot reply Ring whose only TX travels with it, one wait. */
#include <v/service.h>
#include <vx/vx.h>

v_status v_service_call_sync(vx_ring_tx inbox, uint64_t schema_id,
                             const void *req, size_t len,
                             const vx_handle *handles, uint32_t count,
                             uint32_t bit, vx_time deadline,
                             v_service_reply_in *reply)
{
    if (reply == NULL || (req == NULL && len > 0) || count > 3 ||
        (handles == NULL && count > 0) || bit >= 64 ||
        len > V_SERVICE_MSG_MAX)
        return V_ERR_INVALID_ARGS;
    vx_ring_params p = {V_SERVICE_MSG_MAX, 1, schema_id};
    vx_ring_tx tx;
    vx_ring_rx rx;
    v_status st = (v_status)vx_ring_create(&p, &tx, &rx);
    if (st != V_OK)
        return st;
    vx_msg_out out = {req, (uint32_t)len, count + 1, {{0}}};
    out.handles[0] = tx.h;
    for (uint32_t i = 0; i < count; i++)
        out.handles[i + 1] = handles[i];
    st = (v_status)vx_ring_send(inbox, &out);
    if (st != V_OK) {
        (void)!vx_handle_close(tx.h);
        (void)!vx_handle_close(rx.h);
        return st;
    }
    /* Only the service holds the reply TX now: if it ends without
     * answering, the Ring reports PEER_CLOSED. */
    st = (v_status)vx_signal_bind(rx.h, VX_COND_READABLE |
                                            VX_COND_PEER_CLOSED, bit);
    if (st != V_OK) {
        (void)!vx_handle_close(rx.h);
        return st;
    }
    for (;;) {
        vx_msg_in m = {reply->buf, (uint32_t)reply->cap, 0, 0, 0, 0, {{0}}};
        st = (v_status)vx_ring_recv(rx, &m);
        if (st == V_OK) {
            reply->len = m.len;
            reply->handle_count = m.handle_count;
            for (uint32_t i = 0; i < m.handle_count; i++)
                reply->handles[i] = m.handles[i];
            break;
        }
        if (st != V_ERR_SHOULD_WAIT)
            break;
        uint64_t pending;
        st = (v_status)vx_wait(UINT64_C(1) << bit, deadline, &pending);
        if (st != V_OK)
            break;
    }
    (void)!vx_handle_close(rx.h); /* also removes the binding */
    return st;
}
