/* hosted/signal.c — the signal word, bindings and vx_wait
 * (docs/substrate.md §7). Bound bits are level: they are computed from
 * the objects' conditions each time, never stored, so they can never go
 * stale. Raised bits are stored and cleared when a wait returns them. */
#include "kern.h"

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

/* The earliest instant a bound, armed, not yet fired timer fires: the
 * only way a bit can become pending without another thread waking us. */
static vx_time next_timer(k_task *t, vx_time now)
{
    vx_time next = VX_TIME_INFINITE;
    for (uint32_t bit = 0; bit < VX_SIGNAL_BITS; bit++) {
        const k_binding *b = &t->bindings[bit];
        if (b->node == NULL || b->node->type != VX_OBJ_TIMER)
            continue;
        const k_object *o = b->node->obj;
        if (o->u.timer.armed && o->u.timer.fire_at > now &&
            o->u.timer.fire_at < next)
            next = o->u.timer.fire_at;
    }
    return next;
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
    k_wake_all();
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
        k_wake_all();
        st = VX_OK;
    }
    k_leave();
    return st;
}

/* A thread about to sleep counts itself as a sleeper on each Ring end it
 * is bound to, so that an end using the Ring's lane (lane.h) rings the
 * doorbell for it; each Ring is pinned until the count is undone. */
typedef struct sleeps {
    k_object *obj[VX_SIGNAL_BITS];
    bool rx[VX_SIGNAL_BITS];
    uint32_t n;
} sleeps;

static void sleeps_add(k_task *t, uint64_t mask, sleeps *s)
{
    s->n = 0;
    for (uint32_t bit = 0; bit < VX_SIGNAL_BITS; bit++) {
        const k_binding *b = &t->bindings[bit];
        if (!(mask & (UINT64_C(1) << bit)) || b->node == NULL)
            continue;
        bool rx = b->node->type == VX_OBJ_RING_RX &&
                  (b->conditions & VX_COND_READABLE);
        bool tx = b->node->type == VX_OBJ_RING_TX &&
                  (b->conditions & VX_COND_WRITABLE);
        if (!rx && !tx)
            continue;
        k_object *o = b->node->obj;
        o->refs++;
        if (rx)
            o->u.ring.rx_sleepers++;
        else
            o->u.ring.tx_sleepers++;
        k_lane_sleepers(o);
        s->obj[s->n] = o;
        s->rx[s->n] = rx;
        s->n++;
    }
}

static void sleeps_drop(sleeps *s)
{
    for (uint32_t i = 0; i < s->n; i++) {
        k_object *o = s->obj[i];
        if (s->rx[i])
            o->u.ring.rx_sleepers--;
        else
            o->u.ring.tx_sleepers--;
        k_lane_sleepers(o);
        k_object_unref(o);
    }
    s->n = 0;
}

vx_status vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (pending == NULL || mask == 0)
        goto done;
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
        vx_time now = k_now();
        if (now >= deadline) {
            st = VX_ERR_TIMED_OUT;
            break;
        }
        vx_time until = next_timer(t, now);
        /* Count as a sleeper, then look again: an end that published a
         * message before seeing the count is seen here (lane.h). */
        sleeps s;
        sleeps_add(t, mask, &s);
        if ((pending_bits(t) & mask) == 0)
            k_sleep(until < deadline ? until : deadline);
        sleeps_drop(&s);
    }
done:
    k_leave();
    return st;
}
