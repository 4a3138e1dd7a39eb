/* Timer objects (k/timer_obj.h). */
#include <stdbool.h>
#include <k/clock.h>
#include <k/heap.h>
#include <k/signal.h>
#include <k/timer_obj.h>

typedef struct timer_obj {
    kobject base;
    bool armed;
    vx_time deadline;
} timer_obj;

static vx_conditions conditions(kobject *o)
{
    timer_obj *t = (timer_obj *)o;
    bool armed = __atomic_load_n(&t->armed, __ATOMIC_ACQUIRE);
    vx_time d = __atomic_load_n(&t->deadline, __ATOMIC_RELAXED);
    return armed && clock_ns() >= d ? VX_COND_TIMER_FIRED : 0;
}

static void destroy(kobject *o)
{
    kfree(o);
}

static const kobject_ops ops = {
    .type = VX_OBJ_TIMER,
    .create_rights = VX_RIGHT_WRITE | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |
                     VX_RIGHT_TRANSFER,
    .can_assert = VX_COND_TIMER_FIRED,
    .conditions = conditions,
    .destroy = destroy,
};

kobject *timer_obj_create(void)
{
    timer_obj *t = kzalloc(sizeof *t);
    if (!t)
        return 0;
    kobject_init(&t->base, &ops);
    return &t->base;
}

void timer_obj_set(kobject *o, vx_time deadline, vx_duration slack)
{
    (void)slack; /* fires at the deadline exactly: within any slack */
    timer_obj *t = (timer_obj *)o;
    /* Disarm first, so no reader pairs the old armed state with the new
     * deadline. */
    __atomic_store_n(&t->armed, false, __ATOMIC_RELEASE);
    __atomic_store_n(&t->deadline, deadline, __ATOMIC_RELAXED);
    __atomic_store_n(&t->armed, true, __ATOMIC_RELEASE);
    signal_broadcast(); /* waiters re-read the deadline */
}

bool timer_obj_deadline(kobject *o, vx_time *deadline)
{
    timer_obj *t = (timer_obj *)o;
    *deadline = __atomic_load_n(&t->deadline, __ATOMIC_RELAXED);
    return __atomic_load_n(&t->armed, __ATOMIC_ACQUIRE);
}

void timer_obj_cancel(kobject *o)
{
    __atomic_store_n(&((timer_obj *)o)->armed, false, __ATOMIC_RELEASE);
}
