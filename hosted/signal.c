/* hosted/signal.c — the signal word, bindings and vx_wait
 * (docs/substrate.md §7). Bound bits are level: they are computed from
 * the objects' conditions each time, never stored, so they can never go
 * stale. Raised bits are stored and cleared when a wait returns them. */
#include "kern.h"
#include "ring_wait.h"

static uint64_t pending_bits(k_task *t)
{
    uint64_t p = t->raised;
    for (uint32_t bit = 0; bit < VX_SIGNAL_BITS; bit++) {
        const k_binding *b = &t->bindings[bit];
        if (b->node != NULL && (k_conditions(b->node) & b->conditions))
            p |= UINT64_C(1) << bit;
    }
    return p;
}

vx_status vx_signal_bind(vx_handle h, vx_conditions conditions, uint32_t bit)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_ACCESS_DENIED;
    if (!(n->rights & VX_RIGHT_WAIT))
        goto done;
    st = VX_ERR_INVALID_ARGS;
    if (bit >= VX_SIGNAL_BITS || conditions == 0 ||
        (conditions & ~k_conditions_possible(n->type)) != 0)
        goto done;
    st = VX_ERR_BAD_STATE;
    if (t->bindings[bit].node != NULL)
        goto done;
    t->bindings[bit].node = n;
    t->bindings[bit].conditions = conditions;
    /* Another thread of this Task may be waiting for this bit already. */
    k_wake_bits(&t->waiters, UINT64_C(1) << bit);
    st = VX_OK;
done:
    k_leave();
    return st;
}

vx_status vx_signal_unbind(uint32_t bit)
{
    k_task *t = k_enter();
    vx_status st = VX_OK;
    if (bit >= VX_SIGNAL_BITS)
        st = VX_ERR_INVALID_ARGS;
    else if (t->bindings[bit].node == NULL)
        st = VX_ERR_BAD_STATE;
    else
        t->bindings[bit] = (k_binding){NULL, 0};
    k_leave();
    return st;
}

vx_status vx_signal_raise(vx_task task, uint64_t bits)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, task.h, VX_OBJ_TASK, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_ACCESS_DENIED;
    if (!(n->rights & VX_RIGHT_SIGNAL))
        goto done;
    st = VX_ERR_INVALID_ARGS;
    if (bits == 0)
        goto done;
    k_task *target = n->obj->u.task.task;
    st = VX_ERR_BAD_STATE;
    if (target == NULL || target->state != VX_TASK_RUNNING)
        goto done;
    target->raised |= bits;
    k_wake_bits(&target->waiters, bits);
    st = VX_OK;
done:
    k_leave();
    return st;
}

vx_status vx_signal_raise_self(uint64_t bits)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (bits != 0) {
        t->raised |= bits;
        k_wake_bits(&t->waiters, bits);
        st = VX_OK;
    }
    k_leave();
    return st;
}

/* A thread about to sleep links its wake object onto the wait list of
 * every object a bit of `mask` is bound to (wake.c), pinning each until
 * it is unlinked, and counts itself as a sleeper on each Ring end it waits
 * on, so that an end using the Ring's lane (lane.h) rings the doorbell for
 * it. Its own Task's list catches raised bits and new bindings. */
typedef struct sleeps {
    k_waiter w;
    k_object *obj[VX_SIGNAL_BITS]; /* pinned objects */
    uint8_t ring_side[VX_SIGNAL_BITS]; /* 0 none, 1 RX sleeper, 2 TX */
    uint32_t n;
    k_task *tasks[VX_SIGNAL_BITS]; /* pinned Tasks watched */
    uint32_t nt;
} sleeps;

static void sleeps_add(k_task *t, uint64_t mask, sleeps *s)
{
    s->n = 0;
    s->nt = 0;
    k_waiter_link(&s->w, &t->waiters);
    for (uint32_t bit = 0; bit < VX_SIGNAL_BITS; bit++) {
        const k_binding *b = &t->bindings[bit];
        if (!(mask & (UINT64_C(1) << bit)) || b->node == NULL)
            continue;
        k_object *o = b->node->obj;
        if (o->kind == K_TASK) {
            k_task *target = o->u.task.task;
            k_task_ref(target);
            k_waiter_link(&s->w, &target->watchers);
            s->tasks[s->nt++] = target;
            continue;
        }
        if (o->kind != K_RING && o->kind != K_TIMER)
            continue; /* asserts nothing */
        o->refs++;
        k_waiter_link(&s->w, &o->waiters);
        bool rx = b->node->type == VX_OBJ_RING_RX &&
                  (b->conditions & VX_COND_READABLE);
        bool tx = b->node->type == VX_OBJ_RING_TX &&
                  (b->conditions & VX_COND_WRITABLE);
        if (rx)
            o->u.ring.rx_sleepers++;
        else if (tx)
            o->u.ring.tx_sleepers++;
        if (rx || tx)
            k_lane_sleepers(o);
        s->ring_side[s->n] = rx ? 1 : tx ? 2 : 0;
        s->obj[s->n++] = o;
    }
}

static void sleeps_drop(sleeps *s)
{
    k_waiter_unlink_all(&s->w);
    for (uint32_t i = 0; i < s->n; i++) {
        k_object *o = s->obj[i];
        if (s->ring_side[i] == 1)
            o->u.ring.rx_sleepers--;
        else if (s->ring_side[i] == 2)
            o->u.ring.tx_sleepers--;
        if (s->ring_side[i] != 0)
            k_lane_sleepers(o);
        k_object_unref(o);
    }
    for (uint32_t i = 0; i < s->nt; i++)
        k_task_unref(s->tasks[i]);
    s->n = s->nt = 0;
}

vx_status vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (pending == NULL || mask == 0)
        goto done;
    sleeps s;
    k_waiter_init(&s.w);
    s.w.mask = mask;
    for (;;) {
        /* A broker thread waiting for a Task whose process has died. */
        if (t->state != VX_TASK_RUNNING || t->process_gone) {
            st = VX_ERR_BAD_STATE;
            break;
        }
        uint64_t p = pending_bits(t) & mask;
        if (p != 0) {
            t->raised &= ~p;
            *pending = p;
            st = VX_OK;
            break;
        }
        if (k_now() >= deadline) {
            st = VX_ERR_TIMED_OUT;
            break;
        }
        /* Link and count as a sleeper, then look again: a change under
         * the lock after this finds us linked, and an end that published
         * a message on a lane before seeing the count is seen here. A
         * bound Timer wakes us through the timer queue (timer.c), so the
         * sleep lasts until the deadline at most. */
        sleeps_add(t, mask, &s);
        if ((pending_bits(t) & mask) == 0)
            k_waiter_sleep(&s.w, deadline);
        sleeps_drop(&s);
    }
    k_waiter_fini(&s.w);
done:
    k_leave();
    return st;
}

/* vx_ring_send_recv's wait (ring_wait.h): vx_wait's protocol on one Ring
 * end with no binding. The waiter links itself onto the Ring's list and
 * its Task's (a dying process wakes that one), counts as an RX sleeper so
 * that a producer on the Ring's lane rings the doorbell, and looks once
 * more before it sleeps. The handle is looked up again after each sleep:
 * another thread may have closed it meanwhile. */
vx_status hosted_ring_wait(vx_ring_rx rx, vx_time deadline)
{
    const vx_conditions want = VX_COND_READABLE | VX_COND_PEER_CLOSED;
    k_task *t = k_enter();
    k_waiter w;
    k_waiter_init(&w);
    w.mask = ~UINT64_C(0); /* woken by any change to what it is linked to */
    vx_status st;
    for (;;) {
        if (t->state != VX_TASK_RUNNING || t->process_gone) {
            st = VX_ERR_BAD_STATE;
            break;
        }
        k_node *n;
        st = k_lookup_type(t, rx.h, VX_OBJ_RING_RX, &n);
        if (st != VX_OK || (k_conditions(n) & want) != 0)
            break;
        if (k_now() >= deadline) {
            st = VX_ERR_TIMED_OUT;
            break;
        }
        k_object *o = n->obj;
        o->refs++;
        k_waiter_link(&w, &o->waiters);
        k_waiter_link(&w, &t->waiters);
        o->u.ring.rx_sleepers++;
        k_lane_sleepers(o);
        if ((k_conditions(n) & want) == 0)
            k_waiter_sleep(&w, deadline);
        k_waiter_unlink_all(&w);
        o->u.ring.rx_sleepers--;
        k_lane_sleepers(o);
        k_object_unref(o);
    }
    k_waiter_fini(&w);
    k_leave();
    return st;
}
