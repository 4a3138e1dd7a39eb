/* Kernel threads and the scheduler.
 *
 * Preemptive, priority round-robin: SCHED_PRIOS levels (0 is the most
 * urgent), FIFO within a level, a time slice of SCHED_SLICE_NS. Each CPU
 * has its own run queue; a CPU with nothing to run steals a queued thread
 * from another CPU. Threads are preempted only on the way out of an
 * interrupt, so code running with interrupts off (which includes every
 * spinlock holder) is never switched away involuntarily.
 * Locking rules: docs/kernel.md. */
#ifndef K_SCHED_H
#define K_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <k/cpu.h>
#include <k/timer.h>
#include <k/waitq.h>

#define SCHED_PRIOS 4
#define SCHED_PRIO_DEFAULT 2
#define SCHED_SLICE_NS 10000000u /* 10 ms */
#define THREAD_STACK_PAGES 4

typedef enum thread_state {
    THREAD_RUNNABLE, /* on a run queue */
    THREAD_RUNNING,  /* some CPU's current */
    THREAD_BLOCKED,  /* waiting for a wakeup */
    THREAD_DEAD,     /* exited; join frees it */
} thread_state;

typedef struct thread {
    uint64_t rsp;              /* saved by switch_context */
    volatile int on_cpu;       /* 1 until its context is fully saved */
    volatile thread_state state;
    int prio;
    int cpu;                   /* run queue it is on / CPU it runs on */
    int pin;                   /* the only CPU it may run on, or -1 */
    bool queued;
    struct thread *rq_next;
    struct thread *wq_next;    /* link on a waitq */
    uintptr_t stack;           /* kva range base, 0 for the boot thread */
    void (*entry)(void *);
    void *arg;
    char name[24];
    uint64_t runtime_ns;       /* CPU time used */
    uint64_t last_start;
    uint64_t switches_in;
    ktimer sleep_timer;
    waitq exit_wq;
    volatile bool exited;
    struct trap_catch *catcher; /* armed TRAP_CATCH, see arch/trap.h */
    uint64_t user_root;        /* its Task's page tables; 0: kernel only */
    struct task *task;         /* the Task it runs for, or NULL */
    uint32_t task_slot;        /* its slot in task->threads */
    ktimer wait_timer;         /* ends its vx_wait at a deadline */
    void *fpu;                 /* FXSAVE area (user threads), or NULL */
} thread;

/* The first thread waiting on q, taken off it, or NULL; q->lock held.
 * Here rather than in k/waitq.h, which does not see a thread's link. */
static inline thread *waitq_pop_locked(waitq *q)
{
    thread *t = q->head;
    if (t) {
        q->head = t->wq_next;
        if (!q->head)
            q->tail = 0;
        t->wq_next = 0;
    }
    return t;
}

/* Makes the boot context thread 0 on CPU 0 and starts scheduling. */
void sched_init(void);
/* Per application processor: its idle thread; then enters the idle loop. */
_Noreturn void sched_start_ap(void);

/* A new thread, runnable at once; NULL without memory. prio is clamped. */
thread *thread_create(const char *name, void (*fn)(void *), void *arg,
                      int prio);
/* As thread_create, but the thread only ever runs on CPU cpu_index
 * (NULL also when that CPU is not online). */
thread *thread_create_on(const char *name, void (*fn)(void *), void *arg,
                         int prio, unsigned cpu_index);
/* A thread of a user Task: runs on the page tables user_root (its kernel
 * part starts fn(arg), which enters ring 3). */
thread *thread_create_user(const char *name, void (*fn)(void *), void *arg,
                           uint64_t user_root, struct task *task);
/* CPU time the calling thread has used, including the current slice. */
uint64_t thread_runtime_ns(void);
/* Ends the calling thread; its joiner frees it. */
_Noreturn void thread_exit(void);
/* Waits for t to exit, then frees it. Each thread is joined once. */
void thread_join(thread *t);
/* Inline: it is on every syscall's path, several times. */
static inline thread *thread_current(void)
{
    return this_cpu()->current;
}

void thread_yield(void);
void thread_sleep_ns(uint64_t ns);
void thread_sleep_until(uint64_t deadline);

/* Makes a blocked thread runnable (no effect on others). Callable from
 * interrupt handlers and with any waitq lock held. True if it was woken
 * onto this CPU's queue and is at least as urgent as the thread running
 * here: a caller in thread context may then hand the CPU over at once
 * (thread_yield) instead of waiting for its own block or slice end. */
bool sched_wakeup(thread *t);
/* Wakes every thread waiting on q (whose lock the caller holds, taken
 * with interrupts off), then releases the lock. The direct handoff of a
 * Ring send or a raise: the first of them that last ran on this CPU and
 * is at least as urgent as the caller is not queued but switched to at
 * once, the caller queued behind it (as thread_yield), with interrupts
 * off from the wakeup to the switch. Returns, with interrupts still off,
 * when the caller runs again (at once if nobody took the CPU). The
 * caller holds no other spinlock. */
void sched_wake_all_yield(waitq *q);
/* Switches to the next thread if one should run; the caller's state must
 * already say what happens to it (RUNNING = stays runnable). Interrupts
 * must be off; they are off again on return. */
void schedule(void);
/* Per-architecture state switched with a thread (kernel stack for ring-3
 * entries, address space, FPU/SSE registers of user threads); called by
 * schedule() with interrupts off, prev still current. */
void arch_switch_to(thread *prev, thread *next);
/* The preemption point at interrupt exit (arch/x86_64/trap.c). */
void sched_preempt(void);

/* Threads queued on this CPU's run queue (not counting current). */
unsigned sched_queued(unsigned cpu);
uint64_t sched_context_switches(void);

#endif
