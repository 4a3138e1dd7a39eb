/* Signals and vx_wait (k/signal.h, docs/substrate.md §7). */
#include <arch/cpu.h>
#include <arch/user.h>
#include <k/clock.h>
#include <k/signal.h>
#include <k/sys.h>
#include <k/task.h>
#include <k/timer_obj.h>
#include <k/waitq.h>

/* Every change that may satisfy a wait advances cond_gen; a waiter
 * sleeps on cond_wq only while the generation it evaluated at is
 * current. cond_sleepers counts waiters from just before that last
 * check (under the queue lock) until they leave; a broadcast that sees
 * none skips the lock, which is most of them (a reply to a Task that is
 * running, not waiting). The two sides are Dekker's: the waiter
 * increments cond_sleepers, then reads cond_gen; the waker increments
 * cond_gen, then reads cond_sleepers; both increments are full barriers
 * (locked instructions), so one side sees the other's. If the waker
 * sees no sleeper, the waiter sees the new generation and does not
 * sleep; if it sees one, it takes the lock, which that waiter holds
 * until it is queued, and wakes it. */
static waitq cond_wq = WAITQ_INIT;
static uint64_t cond_gen; /* atomic */
static unsigned cond_sleepers; /* atomic; changed under cond_wq.lock */

/* True if some waiter may have to be woken (see above). */
static bool advance(void)
{
    __atomic_fetch_add(&cond_gen, 1, __ATOMIC_SEQ_CST);
    return __atomic_load_n(&cond_sleepers, __ATOMIC_SEQ_CST) != 0;
}

void signal_broadcast(void)
{
    if (!advance())
        return;
    uint64_t f = spin_lock_irqsave(&cond_wq.lock);
    waitq_wake_all_locked(&cond_wq);
    spin_unlock_irqrestore(&cond_wq.lock, f);
}

/* Called only from syscalls (a Ring send, a raise), with interrupts
 * on and no spinlock held: the cheaper lock pair (k/spinlock.h). */
bool signal_broadcast_handoff(void)
{
    if (!advance())
        return false;
    spin_lock_irq(&cond_wq.lock);
    bool handoff = waitq_wake_all_handoff_locked(&cond_wq);
    spin_unlock_irq(&cond_wq.lock);
    return handoff;
}

void signal_broadcast_yield(void)
{
    if (!advance())
        return;
    spin_lock_irq(&cond_wq.lock);
    sched_wake_all_yield(&cond_wq); /* unlocks; interrupts stay off */
    irq_enable();
}

/* Sleeps until the generation moves past gen (WAIT_EVENT, with the
 * sleeper count of the protocol above). sys_wait's and signal_sleep's,
 * so interrupts are on: the cheaper lock pair. Inline in both, as it
 * was in sys_wait alone. */
static inline __attribute__((always_inline)) void wait_past(uint64_t gen)
{
    spin_lock_irq(&cond_wq.lock);
    __atomic_fetch_add(&cond_sleepers, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&cond_gen, __ATOMIC_SEQ_CST) == gen)
        waitq_wait_locked(&cond_wq);
    __atomic_fetch_sub(&cond_sleepers, 1, __ATOMIC_RELAXED);
    spin_unlock_irq(&cond_wq.lock);
}

static void timer_fired(ktimer *t, void *ctx)
{
    (void)t, (void)ctx;
    signal_broadcast();
}

uint64_t signal_gen(void)
{
    return __atomic_load_n(&cond_gen, __ATOMIC_ACQUIRE);
}

/* wait_past until deadline at most; inline in sys_wait's loop. */
static inline __attribute__((always_inline)) void sleep_until(uint64_t gen,
                                                              vx_time deadline)
{
    /* The timer is the thread's: threads of a Task wait apart. */
    ktimer *tm = &thread_current()->wait_timer;
    bool timed = deadline != VX_TIME_INFINITE;
    if (timed)
        timer_arm(tm, deadline, timer_fired, 0);
    wait_past(gen);
    if (timed)
        timer_cancel(tm);
}

void signal_sleep(uint64_t gen, vx_time deadline)
{
    sleep_until(gen, deadline);
}

/* The bound bits of mask pending now; drops bindings whose handle is
 * gone. *next gets the earliest deadline of a bound armed Timer. Under
 * the table's lock, taken once for every binding, and without
 * references: closing, revoking or moving a handle takes that lock, so
 * an object found through it lives until the unlock (as htable_use),
 * and every condition function is a few atomic reads (k/object.h), so
 * nothing here sleeps or takes another lock. A syscall's path: the
 * interrupts-on lock pair. */
static uint64_t bound_pending(task *t, uint64_t mask, uint64_t *next)
{
    htable *h = &t->handles;
    uint64_t p = 0;
    bool locked = false;
    /* Only the bits asked for: usually one or two of the 64. */
    for (uint64_t m = mask; m; m &= m - 1) {
        unsigned b = (unsigned)__builtin_ctzll(m);
        signal_binding *sb = &t->signals.bind[b];
        if (!sb->value)
            continue;
        if (!locked) {
            spin_lock_irq(&h->lock);
            locked = true;
        }
        hentry *e = htable_entry_locked(h, sb->value);
        if (!e) {
            sb->value = 0; /* closed or moved away: the binding ends */
            continue;
        }
        kobject *o = e->node->obj;
        if (kobject_conditions(o) & sb->conditions)
            p |= 1ull << b;
        else if (o->ops->type == VX_OBJ_TIMER) {
            vx_time d;
            if (timer_obj_deadline(o, &d) && d < *next)
                *next = d;
        }
    }
    if (locked)
        spin_unlock_irq(&h->lock);
    return p;
}

int64_t sys_wait(uint64_t mask, uint64_t deadline, uint64_t out)
{
    if (!out || !mask)
        return VX_ERR_INVALID_ARGS;
    task *t = thread_current()->task;
    for (;;) {
        /* Read before evaluating: a change made after this read bumps
         * the generation, which wait_past re-checks, so no wakeup is
         * lost. */
        uint64_t gen = __atomic_load_n(&cond_gen, __ATOMIC_ACQUIRE);
        uint64_t next = deadline;
        uint64_t p = bound_pending(t, mask, &next);
        /* Raised bits are taken atomically: with several threads waiting
         * on one word, each raised bit goes to exactly one of them. */
        uint64_t took = 0;
        if (__atomic_load_n(&t->signals.raised, __ATOMIC_ACQUIRE) & mask)
            took = __atomic_fetch_and(&t->signals.raised, ~mask,
                                      __ATOMIC_ACQ_REL) & mask;
        p |= took;
        if (p) {
            if (copy_to_user(out, &p, sizeof p) != V_OK) {
                __atomic_or_fetch(&t->signals.raised, took, __ATOMIC_ACQ_REL);
                signal_broadcast(); /* another waiter may want them */
                return VX_ERR_INVALID_ARGS;
            }
            return VX_OK;
        }
        if (deadline != VX_TIME_INFINITE && clock_ns() >= deadline)
            return VX_ERR_TIMED_OUT;
        if (__atomic_load_n(&t->kill_requested, __ATOMIC_ACQUIRE))
            return VX_ERR_TIMED_OUT; /* never seen: the exit path ends it */
        sleep_until(gen, next);
    }
}

static int64_t bit_ok(uint64_t bit)
{
    return bit < SIGNAL_BITS ? VX_OK : VX_ERR_INVALID_ARGS;
}

/* A binding whose handle is gone counts as unbound. */
static bool bound(task *t, unsigned bit)
{
    signal_binding *sb = &t->signals.bind[bit];
    kobject *o;
    vx_rights r;
    if (!sb->value)
        return false;
    if (htable_get(&t->handles, sb->value, VX_OBJ_NONE, &o, &r) != V_OK) {
        sb->value = 0;
        return false;
    }
    kobject_unref(o);
    return true;
}

int64_t sys_signal_bind(uint64_t h, uint64_t conditions, uint64_t bit)
{
    task *t = task_current();
    kobject *o;
    vx_rights r;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&t->handles, (uint32_t)h, VX_OBJ_NONE, &o, &r);
    if (st != V_OK)
        return st;
    int64_t res = VX_OK;
    if (!(r & VX_RIGHT_WAIT))
        res = VX_ERR_ACCESS_DENIED;
    else if (bit_ok(bit) != VX_OK || conditions == 0 ||
             (conditions & ~(uint64_t)o->ops->can_assert))
        res = VX_ERR_INVALID_ARGS;
    else if (bound(t, (unsigned)bit))
        res = VX_ERR_BAD_STATE;
    else {
        t->signals.bind[bit].value = (uint32_t)h;
        t->signals.bind[bit].conditions = (vx_conditions)conditions;
    }
    kobject_unref(o);
    return res;
}

int64_t sys_signal_unbind(uint64_t bit)
{
    task *t = task_current();
    if (bit_ok(bit) != VX_OK)
        return VX_ERR_INVALID_ARGS;
    if (!bound(t, (unsigned)bit))
        return VX_ERR_BAD_STATE;
    t->signals.bind[bit].value = 0;
    return VX_OK;
}

/* yield: a woken waiter may take the CPU at once (the raise is a
 * syscall with nothing held). */
static int64_t raise_in(task *t, uint64_t bits, bool yield)
{
    if (!bits)
        return VX_ERR_INVALID_ARGS;
    if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != TASK_RUNNING)
        return VX_ERR_BAD_STATE;
    __atomic_or_fetch(&t->signals.raised, bits, __ATOMIC_ACQ_REL);
    if (yield)
        signal_broadcast_yield();
    else
        signal_broadcast();
    return VX_OK;
}

int64_t sys_signal_raise(uint64_t h, uint64_t bits)
{
    kobject *o;
    vx_rights r;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&task_current()->handles, (uint32_t)h,
                             VX_OBJ_TASK, &o, &r);
    if (st != V_OK)
        return st;
    /* The raised Task's waiter runs next on this CPU (as a reply would
     * make it): a direct handoff instead of a wait for our next block.
     * Our reference to the Task is no lock: it may be held meanwhile. */
    int64_t res = r & VX_RIGHT_SIGNAL ? raise_in((task *)o, bits, true)
                                      : VX_ERR_ACCESS_DENIED;
    kobject_unref(o);
    return res;
}

int64_t sys_signal_raise_self(uint64_t bits)
{
    return raise_in(task_current(), bits, false);
}
