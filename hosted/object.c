/* hosted/object.c — objects: reference counts, quota charges, conditions. */
#include "kern.h"

#include <stdlib.h>

k_object *k_object_new(enum k_kind kind)
{
    k_object *o = calloc(1, sizeof *o);
    if (o != NULL)
        o->kind = kind;
    return o;
}

/* Lanes (lane.c) live in the room objects leave: when an object needs
 * that room, the lanes t pays for are sealed (their Rings carry on through
 * the core, and may engage a lane again once there is room). So a lane
 * never makes a create fail, and objects plus lanes never exceed the
 * quota. */
vx_status k_charge(k_task *t, uint64_t bytes)
{
    if (bytes > t->quota || t->charged > t->quota - bytes)
        return VX_ERR_LIMIT;
    if (t->lane_charged > t->quota - bytes - t->charged)
        k_lane_reclaim(t);
    return VX_OK;
}

void k_object_charge(k_object *o, k_task *t, uint64_t bytes)
{
    t->charged += bytes;
    o->charged_to = t;
    o->charge = bytes;
    k_task_ref(t);
}

void k_object_unref(k_object *o)
{
    if (--o->refs != 0)
        return;
    if (o->kind == K_REGION)
        k_region_destroy(o);
    else if (o->kind == K_RING)
        k_ring_destroy(o);
    else if (o->kind == K_TASK)
        k_task_unref(o->u.task.task);
    else if (o->kind == K_TIMER)
        k_timer_destroy(o);
    if (o->charged_to != NULL) {
        o->charged_to->charged -= o->charge;
        k_task_unref(o->charged_to);
    }
    free(o);
}

vx_conditions k_conditions_possible(vx_obj_type type)
{
    switch (type) {
    case VX_OBJ_RING_TX: return VX_COND_WRITABLE | VX_COND_PEER_CLOSED;
    case VX_OBJ_RING_RX: return VX_COND_READABLE | VX_COND_PEER_CLOSED;
    case VX_OBJ_TIMER: return VX_COND_TIMER_FIRED;
    case VX_OBJ_TASK: return VX_COND_TASK_EXITED;
    default: return 0;
    }
}

vx_conditions k_conditions(const k_node *n)
{
    const k_object *o = n->obj;
    vx_conditions c = 0;
    switch (n->type) {
    case VX_OBJ_RING_TX:
    case VX_OBJ_RING_RX: {
        /* With a lane engaged the messages are in it (the queue is empty);
         * a malformed lane reads as the peer gone, as it will be. */
        bool bad = false, full = false;
        uint32_t queued = o->u.ring.count;
        if (o->u.ring.lane != NULL) {
            queued += k_lane_pending(o, &bad);
            full = k_lane_full(o); /* slots reserved, maybe not yet filled */
        }
        bool dead = bad || o->u.ring.broken;
        if (n->type == VX_OBJ_RING_TX) {
            if (o->u.ring.rx_count == 0 || dead)
                c |= VX_COND_PEER_CLOSED;
            else if (queued < o->u.ring.params.slot_count && !full)
                c |= VX_COND_WRITABLE;
        } else {
            if (queued != 0 && !dead)
                c |= VX_COND_READABLE;
            if (o->u.ring.tx_count == 0 || dead)
                c |= VX_COND_PEER_CLOSED;
        }
        break;
    }
    case VX_OBJ_TIMER:
        if (o->u.timer.armed && k_now() >= o->u.timer.fire_at)
            c |= VX_COND_TIMER_FIRED;
        break;
    case VX_OBJ_TASK:
        if (o->u.task.task == NULL ||
            o->u.task.task->state != VX_TASK_RUNNING)
            c |= VX_COND_TASK_EXITED;
        break;
    default:
        break;
    }
    return c;
}

uint64_t k_next_mark(void)
{
    static uint64_t mark; /* core lock held */
    return ++mark;
}

static int rank(vx_status s)
{
    static const vx_status order[] = {
        VX_ERR_BAD_HANDLE, VX_ERR_ACCESS_DENIED, VX_ERR_INVALID_ARGS,
        VX_ERR_OUT_OF_RANGE, VX_ERR_BAD_STATE, VX_ERR_PEER_CLOSED,
        VX_ERR_LIMIT, VX_ERR_NO_MEMORY, VX_ERR_SHOULD_WAIT,
    };
    for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
        if (order[i] == s)
            return i;
    return s == VX_OK ? 1000 : 999;
}

vx_status k_first_error(vx_status a, vx_status b)
{
    /* The common case first: batches call this once per message. */
    if (b == VX_OK)
        return a;
    if (a == VX_OK)
        return b;
    return rank(a) <= rank(b) ? a : b;
}
