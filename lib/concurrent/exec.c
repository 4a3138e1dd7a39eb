/* The cooperative executor (include/v/concurrent.h).
 *
 * One iteration = one vx_wait, then one pass over the futures chosen by
 * what that wait returned. The set to poll is fixed before the first poll
 * (the `due` flags), so a future woken during the pass, or spawned by it,
 * waits for the next iteration: a pair of futures that keep waking each
 * other still goes through vx_wait every round, and a Ring that became
 * readable meanwhile is never starved by local work. The list is walked by
 * searching for the next due future after every poll, because a poll may
 * spawn, cancel or complete any future, including the next in line. */
#include <v/concurrent.h>
#include <vx/clock.h>
#include <vx/signal.h>

static v_status unbind(uint32_t bit);

static bool handed_out(const v_exec *e, uint32_t bit)
{
    return bit < 64u && bit != e->kick_bit &&
           (e->allocated & (UINT64_C(1) << bit)) != 0;
}

v_status v_exec_init(v_exec *e, uint64_t usable)
{
    if (e == NULL || usable == 0)
        return V_ERR_INVALID_ARGS;
    uint32_t kick = 0;
    while ((usable & (UINT64_C(1) << kick)) == 0)
        kick++;
    *e = (v_exec){0};
    e->usable = usable;
    e->kick_bit = kick;
    e->allocated = UINT64_C(1) << kick;
    return V_OK;
}

v_status v_exec_fini(v_exec *e)
{
    if (e == NULL)
        return V_ERR_INVALID_ARGS;
    if (e->live != 0)
        return V_ERR_BAD_STATE;
    v_status first = V_OK;
    for (uint32_t b = 0; b < 64u; b++) {
        if ((e->bound & (UINT64_C(1) << b)) == 0)
            continue;
        v_status st = unbind(b);
        if (first == V_OK)
            first = st;
    }
    e->bound = 0;
    e->allocated = UINT64_C(1) << e->kick_bit;
    return first;
}

v_status v_exec_bit_alloc(v_exec *e, uint32_t *bit)
{
    if (e == NULL || bit == NULL)
        return V_ERR_INVALID_ARGS;
    uint64_t free_bits = e->usable & ~e->allocated;
    if (free_bits == 0)
        return V_ERR_LIMIT;
    uint32_t b = (uint32_t)__builtin_ctzll(free_bits);
    e->allocated |= UINT64_C(1) << b;
    *bit = b;
    return V_OK;
}

v_status v_exec_bind_handle(v_exec *e, vx_handle h, vx_conditions conditions,
                            uint32_t *bit)
{
    uint32_t b;
    v_status st = v_exec_bit_alloc(e, bit == NULL ? NULL : &b);
    if (st != V_OK)
        return st;
    st = vx_signal_bind(h, conditions, b);
    if (st != V_OK) {
        e->allocated &= ~(UINT64_C(1) << b);
        return st;
    }
    e->bound |= UINT64_C(1) << b;
    *bit = b;
    return V_OK;
}

v_status v_exec_bit_free(v_exec *e, uint32_t bit)
{
    if (e == NULL || !handed_out(e, bit))
        return V_ERR_INVALID_ARGS;
    uint64_t m = UINT64_C(1) << bit;
    v_status st = V_OK;
    if (e->bound & m)
        st = unbind(bit);
    e->bound &= ~m;
    e->allocated &= ~m;
    return st;
}

v_status v_exec_kick(const v_exec *e)
{
    if (e == NULL)
        return V_ERR_INVALID_ARGS;
    return vx_signal_raise_self(UINT64_C(1) << e->kick_bit);
}

/* Unbinds a bound bit. Closing, moving or revoking the handle already
 * removed the binding (docs/substrate.md §7), which the substrate reports
 * as BAD_STATE: the bit is free either way. */
static v_status unbind(uint32_t bit)
{
    v_status st = vx_signal_unbind(bit);
    return st == V_ERR_BAD_STATE ? V_OK : st;
}

static bool holds(const v_exec *e, const v_future *f)
{
    for (const v_future *i = e->head; i != NULL; i = i->next)
        if (i == f)
            return f->live;
    return false;
}

static void set_runnable(v_exec *e, v_future *f)
{
    if (!f->runnable) {
        f->runnable = true;
        e->runnable++;
    }
}

/* Unlinks f, forgets joins that point at it, and wakes its joiner. */
static void forget(v_exec *e, v_future *f)
{
    for (v_future **p = &e->head; *p != NULL; p = &(*p)->next) {
        if (*p == f) {
            *p = f->next;
            break;
        }
    }
    for (v_future *i = e->head; i != NULL; i = i->next)
        if (i->joiner == f)
            i->joiner = NULL;
    if (f->runnable)
        e->runnable--;
    f->runnable = false;
    f->due = false;
    f->live = false;
    f->next = NULL;
    e->live--;
    v_future *j = f->joiner;
    f->joiner = NULL;
    if (j != NULL && j->live)
        set_runnable(e, j);
}

v_status v_exec_spawn(v_exec *e, v_future *f, v_future_fn fn, void *ctx)
{
    if (e == NULL || f == NULL || fn == NULL)
        return V_ERR_INVALID_ARGS;
    if (holds(e, f))
        return V_ERR_BAD_STATE;
    *f = (v_future){0};
    f->poll = fn;
    f->ctx = ctx;
    f->live = true;
    f->next = e->head;
    e->head = f;
    e->live++;
    set_runnable(e, f);
    return V_OK;
}

v_status v_exec_await(v_exec *e, v_future *f, uint32_t bit)
{
    if (e == NULL || f == NULL || !handed_out(e, bit) || !holds(e, f))
        return V_ERR_INVALID_ARGS;
    f->await_bits |= UINT64_C(1) << bit;
    return V_OK;
}

v_status v_exec_join(v_exec *e, v_future *waiter, v_future *target)
{
    if (e == NULL || waiter == NULL || target == NULL || waiter == target ||
        !holds(e, waiter) || !holds(e, target))
        return V_ERR_INVALID_ARGS;
    if (target->joiner != NULL && target->joiner != waiter)
        return V_ERR_BAD_STATE;
    target->joiner = waiter;
    waiter->awaited_future = true;
    return V_OK;
}

v_status v_exec_wake(v_exec *e, v_future *f)
{
    if (e == NULL || f == NULL || !holds(e, f))
        return V_ERR_INVALID_ARGS;
    set_runnable(e, f);
    return V_OK;
}

v_status v_exec_cancel(v_exec *e, v_future *f)
{
    if (e == NULL || f == NULL || !holds(e, f))
        return V_ERR_INVALID_ARGS;
    forget(e, f);
    return V_OK;
}

static v_future *next_due(const v_exec *e)
{
    for (v_future *f = e->head; f != NULL; f = f->next)
        if (f->due)
            return f;
    return NULL;
}

v_status v_exec_run_once(v_exec *e, vx_time deadline)
{
    if (e == NULL)
        return V_ERR_INVALID_ARGS;
    if (e->live == 0)
        return V_ERR_BAD_STATE;
    uint64_t mask = UINT64_C(1) << e->kick_bit;
    for (const v_future *f = e->head; f != NULL; f = f->next)
        mask |= f->await_bits;
    bool local_work = e->runnable > 0;
    uint64_t pending = 0;
    vx_status st = vx_wait(mask, local_work ? 0 : deadline, &pending);
    e->stats.iterations++;
    e->stats.waits++;
    if (st == VX_ERR_TIMED_OUT) {
        pending = 0;
        if (!local_work)
            e->stats.timeouts++;
    } else if (st != VX_OK) {
        return st;
    }
    for (v_future *f = e->head; f != NULL; f = f->next)
        f->due = f->runnable || (f->await_bits & pending) != 0;

    v_status result = V_OK;
    for (v_future *f; (f = next_due(e)) != NULL;) {
        f->due = false;
        if (f->runnable) {
            f->runnable = false;
            e->runnable--;
        }
        f->await_bits = 0;
        f->awaited_future = false;
        v_poll r = f->poll(e, f);
        e->stats.polls++;
        if (!f->live)
            continue; /* it cancelled itself */
        if (r == V_POLL_DONE) {
            forget(e, f);
        } else if (f->await_bits == 0 && !f->awaited_future &&
                   !f->runnable) {
            /* Pending on nothing: nothing could ever poll it again. */
            forget(e, f);
            result = V_ERR_BAD_STATE;
        }
    }
    return result;
}

v_status v_exec_run(v_exec *e, vx_time deadline)
{
    if (e == NULL)
        return V_ERR_INVALID_ARGS;
    while (e->live > 0) {
        v_status st = v_exec_run_once(e, deadline);
        if (st != V_OK)
            return st;
        if (e->live > 0 && deadline != VX_TIME_INFINITE &&
            vx_clock_monotonic() >= deadline)
            return V_ERR_TIMED_OUT;
    }
    return V_OK;
}
