/* hosted/ring_wait.h — the wait inside vx_ring_send_recv (ring_call.c).
 * Each library has its own: the core waits on the Ring itself
 * (signal.c), a spawned Task asks the core to (client.c, OP_RING_WAIT). */
#ifndef VECTRA_HOSTED_RING_WAIT_H
#define VECTRA_HOSTED_RING_WAIT_H

#include <vx/vx.h>

/* Sleeps until the Ring end `rx` is readable or its peer is gone, or
 * `deadline` passes, without touching the Task's signal bindings. VX_OK
 * when the condition holds (the receive that follows says what it is);
 * TIMED_OUT; BAD_HANDLE when rx is not (or no longer) an RX of the Task,
 * which the receive then reports as it would; BAD_STATE when the Task is
 * ending. */
vx_status hosted_ring_wait(vx_ring_rx rx, vx_time deadline);

#endif
