/* hosted/ring_call.c — vx_ring_send_recv on the hosted backend, composed
 * from vx_ring_send, vx_ring_recv and a wait on the rx end that needs no
 * binding (docs/substrate.md §6, §11).
 *
 * Linked into both the broker library (the root Task) and the client
 * library (spawned Tasks), over whichever vx_ring_send, vx_ring_recv and
 * hosted_ring_wait (ring_wait.h) that library has. The wait is the core's
 * targeted wake-up on the Ring itself, as vx_wait's, so a reply wakes the
 * caller at once and the Task's signal word is never touched. */
#include "ring_wait.h"

vx_status vx_ring_send_recv(vx_ring_tx tx, const vx_msg_out *out,
                            vx_ring_rx rx, vx_msg_in *in, vx_time deadline)
{
    /* Before anything is sent: rx (its type and RECV, through a handle
     * info that changes nothing), then in. */
    vx_handle_info info;
    vx_status st = VX_OK;
    if (vx_handle_info_get(rx.h, &info) != VX_OK ||
        info.type != VX_OBJ_RING_RX)
        st = VX_ERR_BAD_HANDLE;
    else if (!(info.rights & VX_RIGHT_RECV))
        st = VX_ERR_ACCESS_DENIED;
    else if (in == NULL || (in->buf == NULL && in->cap > 0))
        st = VX_ERR_INVALID_ARGS;
    else
        st = vx_ring_send(tx, out);
    if (st != VX_OK) {
        if (in != NULL)
            in->flags = 0; /* nothing sent, so nothing received */
        return st;
    }
    for (;;) {
        st = vx_ring_recv(rx, in);
        in->flags = VX_MSG_IN_SENT; /* the receive clears it */
        if (st != VX_ERR_SHOULD_WAIT)
            return st;
        /* OK or BAD_HANDLE: the receive above, once more, says which. */
        st = hosted_ring_wait(rx, deadline);
        if (st == VX_ERR_TIMED_OUT || st == VX_ERR_BAD_STATE)
            return st;
    }
}
