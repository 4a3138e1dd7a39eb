/* The scheduler core: per-CPU run queues, schedule(), wakeups, time
 * slices, work stealing and the idle loop. See k/sched.h and the locking
 * rules in docs/kernel.md.
 *
 * The one subtle point is handing a thread between CPUs: a thread that
 * blocks or is preempted may be woken or stolen by another CPU before its
 * own CPU has finished switching away from it. `on_cpu` closes that
 * window: switch_context clears it only after the registers are saved,
 * and a CPU about to run a thread first waits for it to be clear. */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <k/clock.h>
#include <k/cpu.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/sched.h>
#include <k/smp.h>
#include <v/mem.h>
#include "sched_internal.h"

void switch_context(uint64_t *prev_rsp, uint64_t next_rsp,
                    volatile int *prev_on_cpu);

typedef struct runqueue {
    spinlock lock;
    thread *head[SCHED_PRIOS], *tail[SCHED_PRIOS];
    unsigned count;
    ktimer slice;
    uint64_t slice_start;      /* when the current thread's slice began */
    bool slice_armed;          /* this CPU only: schedule, slice_expired */
    uint64_t switches;
} runqueue;

static runqueue rqs[MAX_CPUS];
static thread idle_threads[MAX_CPUS];
static thread boot_thread;

/* rq->lock held. */
static void enqueue(runqueue *rq, thread *t)
{
    int p = t->prio;
    t->rq_next = 0;
    if (rq->tail[p])
        rq->tail[p]->rq_next = t;
    else
        rq->head[p] = t;
    rq->tail[p] = t;
    t->queued = true;
    rq->count++;
}

static thread *dequeue_from(runqueue *rq, int p)
{
    thread *t = rq->head[p];
    if (!t)
        return 0;
    rq->head[p] = t->rq_next;
    if (!rq->head[p])
        rq->tail[p] = 0;
    t->rq_next = 0;
    t->queued = false;
    rq->count--;
    return t;
}

static thread *dequeue(runqueue *rq)
{
    for (int p = 0; p < SCHED_PRIOS; p++) {
        thread *t = dequeue_from(rq, p);
        if (t)
            return t;
    }
    return 0;
}

/* The most urgent thread that may move, or NULL. Pinned threads stay.
 * So does a thread still being switched out on its CPU (on_cpu): if two
 * CPUs each took the other's half-switched thread, each would wait for
 * the other to finish switching, forever. A thread only ever sits on the
 * queue of the CPU it last ran on, so local picks never wait. */
static thread *dequeue_movable(runqueue *rq)
{
    for (int p = 0; p < SCHED_PRIOS; p++) {
        thread *prev = 0;
        for (thread *t = rq->head[p]; t; prev = t, t = t->rq_next) {
            if (t->pin >= 0 || __atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
                continue;
            if (prev)
                prev->rq_next = t->rq_next;
            else
                rq->head[p] = t->rq_next;
            if (rq->tail[p] == t)
                rq->tail[p] = prev;
            t->rq_next = 0;
            t->queued = false;
            rq->count--;
            return t;
        }
    }
    return 0;
}

/* Takes a movable thread from another CPU's queue holding more than
 * `more_than` threads. Our rq lock is held; other queues are only
 * try-locked, so two CPUs stealing from each other cannot deadlock. */
static thread *steal(unsigned self, unsigned more_than)
{
    unsigned n = smp_cpu_count();
    for (unsigned k = 1; k < n; k++) {
        runqueue *victim = &rqs[(self + k) % n];
        if (__atomic_load_n(&victim->count, __ATOMIC_RELAXED) <= more_than)
            continue;
        if (!spin_trylock(&victim->lock))
            continue;
        thread *t = victim->count > more_than ? dequeue_movable(victim) : 0;
        spin_unlock(&victim->lock);
        if (t)
            return t;
    }
    return 0;
}

/* Puts a new thread on its pinned CPU's queue, or on this CPU's, and
 * gets it running soon if it is more urgent than what runs there. */
void sched_add(thread *t)
{
    uint64_t f = read_rflags();
    irq_disable(); /* this_cpu() must stay this CPU */
    unsigned target = t->pin >= 0 ? (unsigned)t->pin : this_cpu()->index;
    runqueue *rq = &rqs[target];
    spin_lock(&rq->lock);
    t->cpu = (int)target;
    t->state = THREAD_RUNNABLE;
    enqueue(rq, t);
    thread *cur = cpus[target].current;
    bool urgent = !cur || cur == cpus[target].idle || t->prio < cur->prio;
    spin_unlock(&rq->lock);
    if (target == this_cpu()->index) {
        if (urgent && cur != cpus[target].idle)
            this_cpu()->need_resched = 1;
        sched_kick_idle();
    } else if (urgent) {
        smp_kick(target);
    }
    if (f & RFLAGS_IF)
        irq_enable();
}

/* The slice timer stays armed across switches between threads (arming
 * and cancelling it on every switch cost more than the switch itself):
 * each switch only moves slice_start, and the timer, when it fires,
 * either ends the slice or re-arms for the slice's real end. Interrupt
 * context on this CPU, so schedule() (interrupts off) never races it. */
static void slice_expired(ktimer *t, void *ctx)
{
    runqueue *rq = ctx;
    uint64_t end = rq->slice_start + SCHED_SLICE_NS;
    if (clock_ns() >= end) {
        rq->slice_armed = false;
        this_cpu()->need_resched = 1;
    } else {
        timer_arm(t, end, slice_expired, rq);
    }
}

/* The end of a switch: next (RUNNABLE and on no queue, or prev itself)
 * becomes current. rq->lock held, interrupts off; the lock is released
 * before the registers are switched. picked: next came from a queue
 * (maybe another CPU's), so it is checked and its cpu set; a direct
 * handoff's thread is known to be both fine and ours, and prev was just
 * queued for it, so an idle CPU is told it may take prev (as a wakeup
 * that queues a thread does). */
__attribute__((always_inline)) static inline void
switch_to_locked(cpu *c, runqueue *rq, thread *prev, thread *next,
                 bool picked)
{
    if (picked) {
        if (next != prev && (next->state != THREAD_RUNNABLE || !next->rsp))
            kpanic("sched: picked thread %p '%s' in state %d, rsp 0x%lx "
                   "(prev '%s' state %d)", (void *)next, next->name,
                   next->state, next->rsp, prev->name, prev->state);
        next->cpu = (int)c->index;
    }
    next->state = THREAD_RUNNING;
    c->current = next;
    c->need_resched = 0;
    uint64_t now = clock_ns();
    prev->runtime_ns += now - prev->last_start;
    next->last_start = now;
    if (next != prev) {
        rq->switches++;
        next->switches_in++;
    }
    spin_unlock(&rq->lock);
    if (!picked && smp_cpu_count() > 1)
        sched_kick_idle();

    /* A slice only matters when something else could run. */
    if (next != c->idle) {
        rq->slice_start = now;
        if (!rq->slice_armed) {
            rq->slice_armed = true;
            timer_arm(&rq->slice, now + SCHED_SLICE_NS, slice_expired, rq);
        }
    } else if (rq->slice_armed) {
        rq->slice_armed = false;
        timer_cancel(&rq->slice);
    }

    if (next == prev)
        return;
    while (__atomic_load_n(&next->on_cpu, __ATOMIC_ACQUIRE))
        cpu_relax();
    next->on_cpu = 1;
    arch_switch_to(prev, next);
    switch_context(&prev->rsp, next->rsp, &prev->on_cpu);
}

void schedule(void)
{
    cpu *c = this_cpu();
    runqueue *rq = &rqs[c->index];
    thread *prev = c->current;
    spin_lock(&rq->lock);
    if (prev->state == THREAD_RUNNING) {
        prev->state = THREAD_RUNNABLE;
        if (prev != c->idle)
            enqueue(rq, prev);
        /* Balancing: at the end of a slice, with prev queued, our load
         * is rq->count and another CPU's is its count plus the thread it
         * runs. Pull one thread from a CPU whose load exceeds ours by two
         * or more, so threads created on one CPU spread out even when no
         * CPU is idle (stealing alone only helps idle CPUs). */
        if (smp_cpu_count() > 1) {
            thread *t = steal(c->index, rq->count);
            if (t) {
                t->cpu = (int)c->index;
                enqueue(rq, t);
            }
        }
    }
    thread *next = dequeue(rq);
    if (!next)
        next = steal(c->index, 0);
    if (!next) {
        if (prev->state == THREAD_RUNNABLE && prev == c->idle)
            next = prev;
        else
            next = c->idle;
    }
    switch_to_locked(c, rq, prev, next, true);
}

void sched_preempt(void)
{
    if (this_cpu()->current)
        schedule();
}

void thread_yield(void)
{
    uint64_t f = read_rflags();
    irq_disable();
    schedule();
    if (f & RFLAGS_IF)
        irq_enable();
}

bool sched_wakeup(thread *t)
{
    for (;;) {
        int c = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
        runqueue *rq = &rqs[c];
        uint64_t f = spin_lock_irqsave(&rq->lock);
        if (t->cpu != c) { /* moved while we waited for the lock */
            spin_unlock_irqrestore(&rq->lock, f);
            continue;
        }
        bool preempt = false, woken = false;
        thread *cur = cpus[c].current;
        if (t->state == THREAD_BLOCKED) {
            t->state = THREAD_RUNNABLE;
            enqueue(rq, t);
            woken = true;
            preempt = !cur || cur == cpus[c].idle || t->prio < cur->prio;
        }
        spin_unlock_irqrestore(&rq->lock, f);
        bool here = (unsigned)c == this_cpu()->index;
        if (preempt) {
            if (here)
                this_cpu()->need_resched = 1;
            else
                smp_kick((unsigned)c);
        } else if (smp_cpu_count() > 1) { /* the call only on SMP */
            sched_kick_idle();
        }
        return woken && here && cur && t->prio <= cur->prio;
    }
}

void sched_wake_all_yield(waitq *q)
{
    cpu *c = this_cpu();
    runqueue *rq = &rqs[c->index];
    thread *prev = c->current, *direct = 0, *t;
    while ((t = waitq_pop_locked(q)) != 0) {
        /* A blocked thread's cpu is stable (it is on no queue, so nobody
         * steals it): if it is ours, ours is the lock that guards it,
         * and it has finished switching out (we run here). */
        if (!direct && t->cpu == (int)c->index && t->prio <= prev->prio) {
            spin_lock(&rq->lock);
            bool mine = t->state == THREAD_BLOCKED;
            if (mine)
                t->state = THREAD_RUNNABLE; /* on no queue: we run it */
            spin_unlock(&rq->lock);
            if (mine) {
                direct = t;
                continue;
            }
        }
        sched_wakeup(t);
    }
    spin_unlock(&q->lock);
    if (!direct)
        return;
    spin_lock(&rq->lock);
    prev->state = THREAD_RUNNABLE; /* a syscall's thread: never idle */
    enqueue(rq, prev);
    switch_to_locked(c, rq, prev, direct, false);
}

static void sleep_done(ktimer *tm, void *ctx)
{
    (void)tm;
    sched_wakeup(ctx);
}

void thread_sleep_until(uint64_t deadline)
{
    thread *t = thread_current();
    uint64_t f = read_rflags();
    irq_disable();
    /* BLOCKED before the timer exists: if it fires at once, the wakeup
     * finds us blocked and queues us, and schedule() sees that. */
    t->state = THREAD_BLOCKED;
    timer_arm(&t->sleep_timer, deadline, sleep_done, t);
    schedule();
    if (f & RFLAGS_IF)
        irq_enable();
}

void thread_sleep_ns(uint64_t ns)
{
    thread_sleep_until(clock_ns() + ns);
}

unsigned sched_queued(unsigned cpu_index)
{
    return __atomic_load_n(&rqs[cpu_index].count, __ATOMIC_RELAXED);
}

uint64_t sched_context_switches(void)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < MAX_CPUS; i++)
        n += rqs[i].switches;
    return n;
}

/* The idle loop: look for work (local or stolen), else halt until an
 * interrupt. sti;hlt cannot lose a wakeup: sti takes effect only after
 * the next instruction, so an interrupt that arrives after the check is
 * still delivered and ends the hlt. */
static _Noreturn void idle_loop(void)
{
    for (;;) {
        irq_disable();
        schedule();
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

static void idle_entry(void *arg)
{
    (void)arg;
    idle_loop();
}

/* Wakes one idle CPU other than this one, so queued work is stolen
 * promptly instead of waiting for the busy CPU's next slice. */
void sched_kick_idle(void)
{
    unsigned n = smp_cpu_count(), self = this_cpu()->index;
    if (n == 1)
        return;
    for (unsigned i = 0; i < n; i++) {
        if (i != self && cpus[i].online && cpus[i].current == cpus[i].idle) {
            smp_kick(i);
            return;
        }
    }
}

static void init_idle(unsigned index)
{
    thread *t = &idle_threads[index];
    t->state = THREAD_RUNNING;
    t->on_cpu = 1;
    t->prio = SCHED_PRIOS - 1;
    t->cpu = (int)index;
    t->pin = (int)index;
    v_mem_copy(t->name, "idle", 5);
    t->sleep_timer = (ktimer)KTIMER_INIT;
    rqs[index].slice = (ktimer)KTIMER_INIT;
    cpus[index].idle = t;
}

/* CPU 0: the boot context becomes a real thread ("boot", on the boot
 * stack), so kernel_run can sleep and join like any other. CPU 0's idle
 * thread gets a stack of its own and first runs when CPU 0 has nothing
 * else to do. (An application processor's idle thread is instead the
 * context it starts in: sched_start_ap.) */
void sched_init(void)
{
    thread *b = &boot_thread;
    b->state = THREAD_RUNNING;
    b->on_cpu = 1;
    b->prio = SCHED_PRIO_DEFAULT;
    b->cpu = 0;
    b->pin = -1;
    v_mem_copy(b->name, "boot", 5);
    b->sleep_timer = (ktimer)KTIMER_INIT;
    waitq_init(&b->exit_wq);
    b->last_start = clock_ns();
    init_idle(0);
    if (!thread_init_stack(&idle_threads[0], idle_entry, 0))
        kpanic("sched: no memory for the idle thread's stack");
    idle_threads[0].on_cpu = 0; /* not running: it starts on first switch */
    idle_threads[0].state = THREAD_RUNNABLE;
    cpus[0].current = b;
    cpus[0].online = 1;
    smp_init_ipis();
    kinfo("sched: boot thread running, %d priorities, %u ms slices",
          SCHED_PRIOS, SCHED_SLICE_NS / 1000000u);
}

void sched_start_ap(void)
{
    unsigned i = this_cpu()->index;
    init_idle(i);
    cpus[i].current = &idle_threads[i];
    idle_threads[i].last_start = clock_ns();
    idle_loop();
}
