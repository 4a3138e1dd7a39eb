/* hosted/ring_call.c — vx_ring_send_recv on the hosted backend, composed
 * from vx_ring_send and vx_ring_recv (docs/substrate.md §6, §11).
 *
 * Linked into both the broker library (the root Task) and the client
 * library (spawned Tasks), over whichever vx_ring_send/vx_ring_recv that
 * library has. The wait between the two needs no binding: it polls the
 * receive, yielding the CPU at first and then sleeping for doubling
 * spans of at most POLL_MAX_NS, never past the deadline. So the result
 * is exactly the native one — the same statuses, the same flag — and a
 * reply is seen up to POLL_MAX_NS late; the hosted backend trades that
 * latency for not touching the Task's signal word (§11, Known edges). */
#define _GNU_SOURCE
#include <stddef.h>
#include <time.h>
#include <sched.h>
#include <vx/vx.h>

#define POLL_YIELDS 64          /* sched_yield rounds before sleeping */
#define POLL_MIN_NS 1000u       /* first sleep */
#define POLL_MAX_NS 1000000u    /* longest sleep: 1 ms */

static void nap(vx_time ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000u),
                          (long)(ns % 1000000000u)};
    nanosleep(&ts, NULL);
}

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
    vx_time span = POLL_MIN_NS;
    for (unsigned round = 0;; round++) {
        st = vx_ring_recv(rx, in);
        in->flags = VX_MSG_IN_SENT; /* the receive clears it */
        if (st != VX_ERR_SHOULD_WAIT)
            return st;
        vx_time now = vx_clock_monotonic();
        if (now >= deadline)
            return VX_ERR_TIMED_OUT;
        if (round < POLL_YIELDS) {
            sched_yield();
            continue;
        }
        nap(deadline - now < span ? deadline - now : span);
        if (span < POLL_MAX_NS)
            span *= 2;
    }
}
