/* hosted/ring.c — Rings (docs/substrate.md §6). The queue is core memory;
 * messages are copied in on send and out on receive, so a sender can never
 * change a message after it was queued, and no index or length is ever in
 * memory a Task can write. */
#include "kern.h"

#include <stdlib.h>
#include <string.h>

#define TX_RIGHTS (VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_MANAGE |        \
                   VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER)
#define RX_RIGHTS (VX_RIGHT_RECV | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |     \
                   VX_RIGHT_TRANSFER)

void k_ring_touch(k_object *o)
{
    if (o->kind != K_RING)
        return;
    k_lane_seal(o);
    /* Messages queued before this change may come from another holder of
     * a TX: a future lane must not show them to the next one (lane.c). */
    o->u.ring.epoch++;
}

void k_ring_destroy(k_object *o)
{
    k_lane_destroy(o);
    free(o->u.ring.msgs);
    free(o->u.ring.data);
}

void k_ring_side_closed(k_object *o, vx_obj_type side)
{
    if (side != VX_OBJ_RING_RX)
        return; /* no TX left: PEER_CLOSED on RX is evaluated, not stored */
    /* Nobody can receive any more: destroy the queue and the handles in
     * it. Pin the Ring meanwhile, because a queued handle may be one of its
     * own TXs, the last reference to it. One message at a time, so the
     * queue is consistent whatever a destroyed handle sets off. */
    o->refs++;
    while (o->u.ring.count != 0) {
        k_msg *m = &o->u.ring.msgs[o->u.ring.head];
        o->u.ring.head = (o->u.ring.head + 1) & (o->u.ring.params.slot_count - 1);
        o->u.ring.count--;
        for (uint32_t i = 0; i < m->handle_count; i++) {
            k_node *h = m->handles[i];
            m->handles[i] = NULL;
            if (h != NULL) {
                h->flight_slot = NULL;
                k_node_destroy(h);
            }
        }
    }
    k_object_unref(o);
}

vx_status vx_ring_create(const vx_ring_params *params, vx_ring_tx *tx,
                         vx_ring_rx *rx)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    k_object *o = NULL;
    if (params == NULL || tx == NULL || rx == NULL)
        goto done;
    vx_ring_params p = *params;
    if (p.slot_size == 0 || p.slot_size > VX_RING_SLOT_SIZE_MAX ||
        p.slot_count == 0 || p.slot_count > VX_RING_SLOT_COUNT_MAX ||
        (p.slot_count & (p.slot_count - 1)) != 0)
        goto done;
    uint64_t bytes = (uint64_t)p.slot_size * p.slot_count;
    st = k_charge(t, bytes);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) < 2)
        goto done;
    st = k_table_reserve(t, 2);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    o = k_object_new(K_RING);
    if (o == NULL)
        goto done;
    o->u.ring.params = p;
    o->u.ring.msgs = calloc(p.slot_count, sizeof(k_msg));
    o->u.ring.data = malloc((size_t)bytes);
    if (o->u.ring.msgs == NULL || o->u.ring.data == NULL)
        goto fail;
    k_node *txn = k_node_new(o, VX_OBJ_RING_TX, TX_RIGHTS, NULL);
    if (txn == NULL)
        goto fail;
    k_node *rxn = k_node_new(o, VX_OBJ_RING_RX, RX_RIGHTS, NULL);
    if (rxn == NULL) {
        free(txn);
        goto fail;
    }
    k_object_charge(o, t, bytes);
    tx->h = k_install(t, txn);
    rx->h = k_install(t, rxn);
    st = VX_OK;
    goto done;
fail:
    k_ring_destroy(o);
    free(o);
done:
    k_leave();
    return st;
}

vx_status vx_ring_params_get(vx_handle endpoint, vx_ring_params *out)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, endpoint, &n);
    if (st == VX_OK && n->type != VX_OBJ_RING_TX &&
        n->type != VX_OBJ_RING_RX)
        st = VX_ERR_BAD_HANDLE;
    if (st == VX_OK && out == NULL)
        st = VX_ERR_INVALID_ARGS;
    if (st == VX_OK)
        *out = n->obj->u.ring.params;
    k_leave();
    return st;
}

vx_status vx_ring_tx_mint(vx_ring_tx tx, uint64_t badge, vx_rights rights,
                          vx_ring_tx *out)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, tx.h, VX_OBJ_RING_TX, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_ACCESS_DENIED;
    if (!(n->rights & VX_RIGHT_MANAGE) || (rights & ~n->rights) != 0)
        goto done;
    st = VX_ERR_INVALID_ARGS;
    if (out == NULL || badge == 0)
        goto done;
    st = VX_ERR_BAD_STATE;
    if (n->badge != 0)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0)
        goto done;
    st = k_table_reserve(t, 1);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    k_node *m = k_node_new(n->obj, VX_OBJ_RING_TX, rights, n);
    if (m == NULL)
        goto done;
    m->badge = badge;
    out->h = k_install(t, m);
    st = VX_OK;
done:
    k_leave();
    return st;
}

/* ---- send ---- */

/* Validates one outgoing message; returns the first error by the spec's
 * order. Marks every handle with `mark` to find repeats across a batch. */
static vx_status check_msg(k_task *t, const k_node *txn, const vx_msg_out *m,
                           uint64_t mark)
{
    vx_status st = VX_OK;
    const vx_ring_params *p = &txn->obj->u.ring.params;
    /* A count past the array makes the handle list itself malformed. */
    if (m->handle_count > VX_MSG_HANDLES_MAX)
        return VX_ERR_INVALID_ARGS;
    if (m->len > p->slot_size || (m->data == NULL && m->len > 0))
        st = VX_ERR_INVALID_ARGS;
    for (uint32_t i = 0; i < m->handle_count; i++) {
        k_node *h;
        vx_status hs = k_lookup(t, m->handles[i], &h);
        if (hs == VX_OK && !(h->rights & VX_RIGHT_TRANSFER))
            hs = VX_ERR_ACCESS_DENIED;
        if (hs == VX_OK &&
            (h == txn || h->mark == mark ||
             (h->type == VX_OBJ_RING_RX && h->obj == txn->obj)))
            hs = VX_ERR_INVALID_ARGS;
        if (hs == VX_OK)
            h->mark = mark;
        st = k_first_error(st, hs);
    }
    return st;
}

/* Queues one validated message; the core lock is held. */
static void put_msg(k_task *t, k_node *txn, const vx_msg_out *m)
{
    k_object *o = txn->obj;
    uint32_t mask = o->u.ring.params.slot_count - 1;
    uint32_t slot = (o->u.ring.head + o->u.ring.count) & mask;
    k_msg *q = &o->u.ring.msgs[slot];
    if (m->len > 0)
        memcpy(o->u.ring.data + (size_t)slot * o->u.ring.params.slot_size,
               m->data, m->len);
    q->len = m->len;
    q->epoch = o->u.ring.epoch;
    q->badge = txn->badge;
    q->handle_count = m->handle_count;
    for (uint32_t i = 0; i < m->handle_count; i++) {
        k_node *h;
        (void)k_lookup(t, m->handles[i], &h); /* validated by check_msg */
        k_uninstall(h);
        q->handles[i] = h;
        h->flight_slot = &q->handles[i];
    }
    o->u.ring.count++;
}

static vx_status send_locked(k_task *t, vx_ring_tx tx, const vx_msg_out *msgs,
                             size_t count, size_t *done)
{
    k_node *txn;
    vx_status st = k_lookup_type(t, tx.h, VX_OBJ_RING_TX, &txn);
    if (st != VX_OK)
        return st;
    if (!(txn->rights & VX_RIGHT_SEND))
        return VX_ERR_ACCESS_DENIED;
    if (msgs == NULL || count == 0)
        return VX_ERR_INVALID_ARGS;
    uint64_t mark = k_next_mark();
    for (size_t i = 0; i < count; i++)
        st = k_first_error(st, check_msg(t, txn, &msgs[i], mark));
    if (st != VX_OK)
        return st;
    k_object *o = txn->obj;
    if (o->u.ring.lane != NULL) {
        /* The root Task is the core: with the lane engaged, its own
         * handle-free sends go straight into the lane. Anything else takes
         * the queue back first, so that order is kept. */
        bool handles = false;
        for (size_t i = 0; i < count; i++)
            handles |= msgs[i].handle_count != 0;
        if (!handles && t == k_root()) {
            st = k_lane_root_send(o, txn, msgs, count, done);
            if (st != VX_ERR_BAD_STATE)
                return st;
        }
        k_lane_seal(o);
    }
    if (o->u.ring.rx_count == 0 || o->u.ring.broken)
        return VX_ERR_PEER_CLOSED;
    uint32_t space = o->u.ring.params.slot_count - o->u.ring.count;
    if (space == 0)
        return VX_ERR_SHOULD_WAIT;
    size_t n = count < space ? count : space;
    for (size_t i = 0; i < n; i++)
        put_msg(t, txn, &msgs[i]);
    *done = n;
    k_wake(&o->waiters);
    return VX_OK;
}

vx_status vx_ring_send(vx_ring_tx tx, const vx_msg_out *msg)
{
    k_task *t = k_enter();
    size_t done;
    vx_status st = send_locked(t, tx, msg, 1, &done);
    k_leave();
    return st;
}

vx_status vx_ring_send_batch(vx_ring_tx tx, const vx_msg_out *msgs,
                             size_t count, size_t *done)
{
    k_task *t = k_enter();
    size_t n = 0;
    vx_status st = done == NULL ? VX_ERR_INVALID_ARGS : VX_OK;
    /* A bad tx outranks a NULL `done` (docs/substrate.md §1). */
    vx_status s2 = send_locked(t, tx, done == NULL ? NULL : msgs,
                               done == NULL ? 0 : count, &n);
    st = k_first_error(st, s2);
    if (st == VX_OK)
        *done = n;
    k_leave();
    return st;
}

/* ---- receive ---- */

/* Moves the oldest message into m. `report_len`: on OUT_OF_RANGE, tell the
 * caller the length it needs (a batch does not, past its first message). */
static vx_status get_msg(k_task *t, k_object *o, vx_msg_in *m,
                         bool report_len)
{
    if (o->u.ring.count == 0)
        return o->u.ring.tx_count == 0 || o->u.ring.broken
                   ? VX_ERR_PEER_CLOSED
                   : VX_ERR_SHOULD_WAIT;
    uint32_t slot = o->u.ring.head;
    k_msg *q = &o->u.ring.msgs[slot];
    if (q->len > m->cap) {
        if (report_len)
            m->len = q->len;
        return VX_ERR_OUT_OF_RANGE;
    }
    uint32_t live = 0;
    for (uint32_t i = 0; i < q->handle_count; i++)
        live += q->handles[i] != NULL;
    if (live > k_table_free(t))
        return VX_ERR_LIMIT;
    vx_status st = k_table_reserve(t, live);
    if (st != VX_OK)
        return st;
    if (q->len > 0)
        memcpy(m->buf,
               o->u.ring.data + (size_t)slot * o->u.ring.params.slot_size,
               q->len);
    m->len = q->len;
    m->badge = q->badge;
    m->handle_count = q->handle_count;
    m->flags = 0;
    for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++) {
        k_node *h = i < q->handle_count ? q->handles[i] : NULL;
        q->handles[i] = NULL;
        m->handles[i] = h != NULL ? k_install(t, h) : VX_HANDLE_INVALID;
    }
    o->u.ring.head = (slot + 1) & (o->u.ring.params.slot_count - 1);
    o->u.ring.count--;
    return VX_OK;
}

static vx_status recv_locked(k_task *t, vx_ring_rx rx, vx_msg_in *msgs,
                             size_t count, size_t *done)
{
    k_node *rxn;
    vx_status st = k_lookup_type(t, rx.h, VX_OBJ_RING_RX, &rxn);
    if (st != VX_OK)
        return st;
    if (!(rxn->rights & VX_RIGHT_RECV))
        return VX_ERR_ACCESS_DENIED;
    if (msgs == NULL || count == 0 || done == NULL)
        return VX_ERR_INVALID_ARGS;
    for (size_t i = 0; i < count; i++)
        if (msgs[i].buf == NULL && msgs[i].cap > 0)
            return VX_ERR_INVALID_ARGS;
    k_object *o = rxn->obj;
    if (o->u.ring.lane != NULL) {
        if (t == k_root()) {
            st = k_lane_root_recv(o, msgs, count, done);
            if (st != VX_ERR_BAD_STATE)
                return st;
        }
        k_lane_seal(o);
    }
    size_t n = 0;
    while (n < count) {
        st = get_msg(t, o, &msgs[n], n == 0);
        if (st != VX_OK)
            break;
        n++;
    }
    if (n == 0)
        return st;
    *done = n;
    k_wake(&o->waiters);
    return VX_OK;
}

vx_status vx_ring_recv(vx_ring_rx rx, vx_msg_in *msg)
{
    k_task *t = k_enter();
    size_t done;
    vx_status st = recv_locked(t, rx, msg, 1, &done);
    k_leave();
    return st;
}

vx_status vx_ring_recv_batch(vx_ring_rx rx, vx_msg_in *msgs, size_t count,
                             size_t *done)
{
    k_task *t = k_enter();
    vx_status st = recv_locked(t, rx, msgs, count, done);
    k_leave();
    return st;
}
