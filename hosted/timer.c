/* hosted/timer.c — Timers (docs/substrate.md §8).
 *
 * TIMER_FIRED is evaluated against the clock whenever it is asked for, so
 * it is exact and never early. What makes a sleeping waiter look is one
 * timerfd (CLOCK_MONOTONIC, absolute) watched by the core's event thread
 * (events.c): every armed Timer whose instant is still ahead sits in the
 * core's timer queue, the timerfd is set to the earliest of them, and
 * when it expires the thread wakes the waiters of each Timer that is due
 * (only those) and sets it to the next. The slack is honoured by firing at
 * the deadline exactly. */
#define _GNU_SOURCE
#include "kern.h"

#include <sys/timerfd.h>
#include <unistd.h>

#define TIMER_RIGHTS (VX_RIGHT_WRITE | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |  \
                      VX_RIGHT_TRANSFER)

/* The queue: unordered (a Task arms few timers; the scan is short), with
 * the instant the timerfd is set for. Core lock held throughout. */
static k_object *queue;
static int tfd = -1;
static k_event *tfd_event;
static vx_time tfd_at = VX_TIME_INFINITE;

static void dequeue(k_object *o)
{
    if (!o->u.timer.queued)
        return;
    if (o->u.timer.q_prev != NULL)
        o->u.timer.q_prev->u.timer.q_next = o->u.timer.q_next;
    else
        queue = o->u.timer.q_next;
    if (o->u.timer.q_next != NULL)
        o->u.timer.q_next->u.timer.q_prev = o->u.timer.q_prev;
    o->u.timer.queued = false;
    o->u.timer.q_prev = o->u.timer.q_next = NULL;
}

static void enqueue(k_object *o)
{
    o->u.timer.queued = true;
    o->u.timer.q_prev = NULL;
    o->u.timer.q_next = queue;
    if (queue != NULL)
        queue->u.timer.q_prev = o;
    queue = o;
}

/* Sets the timerfd to the earliest queued instant. */
static void rearm(void)
{
    vx_time next = VX_TIME_INFINITE;
    for (k_object *o = queue; o != NULL; o = o->u.timer.q_next)
        if (o->u.timer.fire_at < next)
            next = o->u.timer.fire_at;
    if (next == tfd_at || tfd < 0)
        return;
    struct itimerspec its = {{0, 0}, {0, 0}};
    if (next != VX_TIME_INFINITE) {
        /* 0 would disarm: an instant at the clock's zero is long past. */
        vx_time at = next == 0 ? 1 : next;
        its.it_value.tv_sec = (time_t)(at / 1000000000u);
        its.it_value.tv_nsec = (long)(at % 1000000000u);
    }
    if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
        tfd_at = next;
}

/* The event thread: the timerfd expired. */
static void expire(void *ctx)
{
    (void)ctx;
    uint64_t n;
    if (read(tfd, &n, sizeof n) < 0) {
        /* EAGAIN: re-set since it expired; the scan below decides. */
    }
    tfd_at = VX_TIME_INFINITE; /* expired: not set any more */
    vx_time now = k_now();
    k_object *o = queue;
    while (o != NULL) {
        k_object *next = o->u.timer.q_next;
        if (o->u.timer.fire_at <= now) {
            dequeue(o);
            k_wake(&o->waiters);
        }
        o = next;
    }
    rearm();
}

/* The timerfd and its event, made on first use. */
static bool timerfd_ready(void)
{
    if (tfd_event != NULL)
        return true;
    if (tfd < 0)
        tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (tfd < 0)
        return false;
    tfd_event = k_event_add(tfd, expire, NULL);
    return tfd_event != NULL;
}

void k_timer_destroy(k_object *o)
{
    dequeue(o);
    rearm();
}

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
    /* Without the timerfd a set could never wake anyone: refuse now. */
    st = VX_ERR_NO_MEMORY;
    if (!timerfd_ready())
        goto done;
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
        k_object *o = n->obj;
        o->u.timer.armed = armed;
        o->u.timer.fire_at = deadline;
        dequeue(o);
        if (armed && deadline > k_now())
            enqueue(o);
        rearm();
        /* A past deadline holds now: its waiters look at once. */
        if (armed && !o->u.timer.queued)
            k_wake(&o->waiters);
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
