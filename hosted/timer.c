/* hosted/timer.c — Timers (docs/substrate.md §8). The core evaluates a
 * timer against the clock whenever its condition is asked for, and
 * vx_wait sleeps no later than the next bound timer: no timer thread. The
 * slack is honoured by firing at the deadline exactly. */
#include "kern.h"

#define TIMER_RIGHTS (VX_RIGHT_WRITE | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |  \
                      VX_RIGHT_TRANSFER)

vx_status vx_timer_create(vx_timer *out)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (out == NULL)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0)
        goto done;
    st = k_table_reserve(t, 1);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    k_object *o = k_object_new(K_TIMER);
    if (o == NULL)
        goto done;
    k_node *n = k_node_new(o, VX_OBJ_TIMER, TIMER_RIGHTS, NULL);
    if (n == NULL) {
        k_object_unref(o);
        goto done;
    }
    out->h = k_install(t, n);
    st = VX_OK;
done:
    k_leave();
    return st;
}

static vx_status arm(vx_timer timer, bool armed, vx_time deadline)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, timer.h, VX_OBJ_TIMER, &n);
    if (st == VX_OK && !(n->rights & VX_RIGHT_WRITE))
        st = VX_ERR_ACCESS_DENIED;
    if (st == VX_OK) {
        n->obj->u.timer.armed = armed;
        n->obj->u.timer.fire_at = deadline;
        /* A waiter may be sleeping until a later instant than this one. */
        k_wake_all();
    }
    k_leave();
    return st;
}

vx_status vx_timer_set(vx_timer t, vx_time deadline, vx_duration slack)
{
    (void)slack;
    return arm(t, true, deadline);
}

vx_status vx_timer_cancel(vx_timer t)
{
    return arm(t, false, 0);
}
