/* vx/ring.h — Ring: a bounded one-way queue of whole messages.
 * Normative text: docs/substrate.md §6. */
#ifndef VX_RING_H
#define VX_RING_H

#include <stddef.h>
#include <vx/status.h>
#include <vx/types.h>

#define VX_RING_SLOT_SIZE_MAX 4096u  /* bytes of one message, at most */
#define VX_RING_SLOT_COUNT_MAX 4096u /* slots of one Ring, at most */
#define VX_MSG_HANDLES_MAX 4u        /* handles carried by one message */

typedef struct vx_ring_params {
    uint32_t slot_size;  /* 1..VX_RING_SLOT_SIZE_MAX */
    uint32_t slot_count; /* power of two, 1..VX_RING_SLOT_COUNT_MAX */
    uint64_t schema_id;  /* names the message format; any value */
} vx_ring_params;

/* A message to send. The handles move: on success they leave the sender. */
typedef struct vx_msg_out {
    const void *data;
    uint32_t len;          /* 0..slot_size */
    uint32_t handle_count; /* 0..VX_MSG_HANDLES_MAX */
    vx_handle handles[VX_MSG_HANDLES_MAX];
} vx_msg_out;

/* A message received. The caller sets buf and cap; the call fills the rest.
 * handles[i] is VX_HANDLE_INVALID for a handle revoked while in flight. */
typedef struct vx_msg_in {
    void *buf;
    uint32_t cap;          /* in: bytes buf can hold */
    uint32_t len;          /* out: message bytes (also on OUT_OF_RANGE) */
    uint32_t handle_count; /* out */
    uint32_t flags;        /* out, vx_ring_send_recv only: VX_MSG_IN_SENT */
    uint64_t badge;        /* out: badge of the TX it was sent through */
    vx_handle handles[VX_MSG_HANDLES_MAX];
} vx_msg_in;

/* Creates a Ring and its two endpoints. The TX carries MANAGE (it may mint
 * badged TX handles) and badge 0. */
VX_CALL vx_status vx_ring_create(const vx_ring_params *params,
                                 vx_ring_tx *tx, vx_ring_rx *rx);

/* The Ring's parameters, through either endpoint. */
VX_CALL vx_status vx_ring_params_get(vx_handle endpoint, vx_ring_params *out);

/* A new TX to the same Ring, derived from tx, stamping `badge` (non-zero)
 * on every message sent through it or through handles duplicated from it. */
VX_CALL vx_status vx_ring_tx_mint(vx_ring_tx tx, uint64_t badge,
                                  vx_rights rights, vx_ring_tx *out);

VX_CALL vx_status vx_ring_send(vx_ring_tx tx, const vx_msg_out *msg);
VX_CALL vx_status vx_ring_recv(vx_ring_rx rx, vx_msg_in *msg);

/* vx_ring_send_recv sets flags to this when its message was sent (on
 * VX_OK and on an error of the receive), to 0 when it was not. */
#define VX_MSG_IN_SENT 1u

/* Send and receive in one call (docs/substrate.md §6): sends *out on tx
 * as vx_ring_send, then waits until rx has a message, PEER_CLOSED holds
 * or `deadline` passes, and receives as vx_ring_recv. A client's round
 * trip, or a server's reply-and-wait-for-the-next, is one call. */
VX_CALL vx_status vx_ring_send_recv(vx_ring_tx tx, const vx_msg_out *out,
                                    vx_ring_rx rx, vx_msg_in *in,
                                    vx_time deadline);

/* Batch forms: all-or-prefix. Every message is validated before any is
 * sent; then as many as fit are sent in order and *done says how many. */
VX_CALL vx_status vx_ring_send_batch(vx_ring_tx tx, const vx_msg_out *msgs,
                                     size_t count, size_t *done);
VX_CALL vx_status vx_ring_recv_batch(vx_ring_rx rx, vx_msg_in *msgs,
                                     size_t count, size_t *done);

#endif
