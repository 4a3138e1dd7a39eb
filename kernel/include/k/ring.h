/* Ring objects (docs/substrate.md §6): a bounded queue of messages copied
 * into the kernel, with moved handles and the sender's badge.
 *
 * A Ring has endpoint objects: TX endpoints (one per badge; handles made
 * by dup share theirs, mint makes a new one) and one RX endpoint. Each
 * endpoint holds a reference to the Ring; a handle (in a table or in
 * flight in a message) holds a reference to its endpoint. When the last
 * TX endpoint is destroyed the RX sees PEER_CLOSED, and the reverse;
 * when the RX goes, queued messages are destroyed with their handles.
 * All state is under the Ring's spinlock; objects are released outside
 * it. */
#ifndef K_RING_H
#define K_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <k/object.h>
#include <k/quota.h>
#include <v/status.h>
#include <vx/ring.h>

typedef struct kmsg {
    struct kmsg *next;
    uint64_t badge;
    uint32_t len, handle_count;
    /* Handles in flight (k/handle.h), owned by the message; a node
     * whose obj is NULL was revoked, an entry NULL was received. */
    struct hnode *h[VX_MSG_HANDLES_MAX];
    uint8_t data[];
} kmsg;

/* A Ring charged slot_count * slot_size to q: *tx and *rx get one
 * reference each. Parameters already checked. LIMIT, NO_MEMORY. */
v_status ring_create(const vx_ring_params *p, kquota *q, kobject **tx,
                     kobject **rx);
bool ring_is_tx(kobject *o);
bool ring_is_rx(kobject *o);
/* Either endpoint's Ring parameters. */
vx_ring_params ring_params(kobject *endpoint);
uint64_t ring_badge(kobject *endpoint); /* 0 for an RX */
/* True if a and b are endpoints of the same Ring. */
bool ring_same(kobject *a, kobject *b);
/* A TX endpoint on tx's Ring with badge (one reference), or NULL. */
kobject *ring_mint(kobject *tx, uint64_t badge);

/* Queues m (its handle references move in) through tx: PEER_CLOSED
 * without an RX, SHOULD_WAIT when full (m stays the caller's). Sets
 * *handoff if a waiter it woke should run next on this CPU (the caller
 * yields once it holds nothing: k/signal.h). */
v_status ring_send(kobject *tx, kmsg *m, bool *handoff);
/* A message buffer for up to len bytes (len <= slot_size) for tx's
 * Ring, or NULL; give it back with ring_msg_free or kmsg_free. */
kmsg *ring_msg_alloc(kobject *tx, uint32_t len);
/* kmsg_free, but a message without handles may be kept for reuse. */
void ring_msg_free(kobject *endpoint, kmsg *m);
/* Free slots right now (for batches). */
uint32_t ring_free_slots(kobject *tx);
/* Receivers hold this around peek ... pop, so a message is delivered
 * once even when several Tasks hold the RX. */
void ring_recv_lock(kobject *rx);
void ring_recv_unlock(kobject *rx);
/* The oldest message, still queued, or NULL: *closed says whether no TX
 * is left. ring_pop removes exactly that message. */
kmsg *ring_peek(kobject *rx, bool *closed);
void ring_pop(kobject *rx, kmsg *m);
/* The two common calls in one step each, for a caller that holds tx's
 * or rx's handle table lock instead of a reference (htable_use, so
 * interrupts are off); they take only the Ring's spinlock, never sleep,
 * allocate or free, and leave what needs any of that to the caller once
 * it holds nothing. The result is 16 bytes, so it comes back in two
 * registers. */
typedef struct ring_fast {
    kmsg *drop;   /* a buffer the Ring could not keep: kfree it */
    v_status st;
    bool done;    /* false: nothing done, use the general path */
    bool signal;  /* send: READABLE turned on (signal_broadcast_yield);
                     receive: WRITABLE turned on (signal_broadcast) */
} ring_fast;
/* Send of m (a vx_msg_out without handles, its first 16 bytes read):
 * INVALID_ARGS (length, NULL data, unreadable data); PEER_CLOSED;
 * SHOULD_WAIT; V_OK with the message queued and stamped with tx's badge.
 * Not done when the Ring has no spare buffer (large slots, or one in
 * use): the caller allocates, as ring_msg_alloc. */
ring_fast ring_send_plain(kobject *tx, const vx_msg_out *m);
/* Receive: not done when the head carries handles or does not fit
 * in->cap, or a general receive is under way. Otherwise SHOULD_WAIT or
 * PEER_CLOSED when empty; INVALID_ARGS if in->buf or user_msg could not
 * be written (the message stays queued); V_OK with the data at in->buf
 * and *in (filled) at user_msg. */
ring_fast ring_recv_plain(kobject *rx, uint64_t user_msg, vx_msg_in *in);
/* Destroys a message and the handles it still holds (closing each:
 * call with no handle lock held). */
void kmsg_free(kmsg *m);

#endif
