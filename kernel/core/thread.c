/* Thread lifetime: stacks, creation, the first instructions of a thread,
 * exit and join. Stacks come from the kernel virtual area with an
 * unmapped guard page below (and kva's guard above): an overflow faults
 * instead of corrupting a neighbour. */
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <k/clock.h>
#include <k/cpu.h>
#include <k/heap.h>
#include <k/kva.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/smp.h>
#include <k/vm.h>
#include <v/mem.h>
#include "sched_internal.h"

void thread_start(void);
_Noreturn void thread_entry(thread *t);

void thread_free_stack(thread *t)
{
    if (!t->stack)
        return;
    vm_unmap_free_range(t->stack, THREAD_STACK_PAGES + 1);
    kva_free(t->stack);
    t->stack = 0;
}

bool thread_init_stack(thread *t, void (*fn)(void *), void *arg)
{
    /* One page more than the stack, left unmapped at the bottom: the
     * guard below. kva adds another guard above. */
    uintptr_t base = kva_alloc(THREAD_STACK_PAGES + 1);
    if (!base)
        return false;
    t->stack = base;
    for (unsigned i = 1; i <= THREAD_STACK_PAGES; i++) {
        uint64_t pa = pmm_alloc();
        if (!pa || vm_map(base + i * PAGE_SIZE, pa, VM_WRITE) != V_OK) {
            if (pa)
                pmm_free(pa);
            thread_free_stack(t);
            return false;
        }
    }
    t->entry = fn;
    t->arg = arg;
    /* The frame switch_context pops: r15 r14 r13 r12 rbx rbp, then the
     * return address. rbx carries the thread to thread_start; rbp = 0
     * ends backtraces. The top stays 16-byte aligned for the call. */
    uint64_t *sp = (uint64_t *)(base + (THREAD_STACK_PAGES + 1) * PAGE_SIZE);
    *--sp = 0;                                   /* fake return slot */
    *--sp = (uint64_t)(uintptr_t)thread_start;
    *--sp = 0;                                   /* rbp */
    *--sp = (uint64_t)(uintptr_t)t;              /* rbx */
    *--sp = 0;                                   /* r12 */
    *--sp = 0;                                   /* r13 */
    *--sp = 0;                                   /* r14 */
    *--sp = 0;                                   /* r15 */
    t->rsp = (uint64_t)(uintptr_t)sp;
    return true;
}

void thread_entry(thread *t)
{
    /* schedule() switched here with interrupts off. */
    irq_enable();
    t->entry(t->arg);
    thread_exit();
}

static thread *create(const char *name, void (*fn)(void *), void *arg,
                      int prio, int pin, uint64_t user_root,
                      struct task *task)
{
    thread *t = kzalloc(sizeof *t);
    if (!t)
        return 0;
    /* A user thread's FPU/SSE state starts clean (arch/fpu.h). */
    if (task && !(t->fpu = fpu_area_alloc())) {
        kfree(t);
        return 0;
    }
    if (!thread_init_stack(t, fn, arg)) {
        fpu_area_free(t->fpu);
        kfree(t);
        return 0;
    }
    size_t n = v_cstr_len(name);
    if (n >= sizeof t->name)
        n = sizeof t->name - 1;
    v_mem_copy(t->name, name, n);
    t->prio = prio < 0 ? 0 : prio >= SCHED_PRIOS ? SCHED_PRIOS - 1 : prio;
    t->sleep_timer = (ktimer)KTIMER_INIT;
    t->wait_timer = (ktimer)KTIMER_INIT;
    t->pin = pin;
    t->user_root = user_root; /* before it can run: see arch_switch_to */
    t->task = task;
    waitq_init(&t->exit_wq);
    sched_add(t);
    return t;
}

thread *thread_create(const char *name, void (*fn)(void *), void *arg,
                      int prio)
{
    return create(name, fn, arg, prio, -1, 0, 0);
}

thread *thread_create_on(const char *name, void (*fn)(void *), void *arg,
                         int prio, unsigned cpu_index)
{
    if (cpu_index >= smp_cpu_count())
        return 0;
    return create(name, fn, arg, prio, (int)cpu_index, 0, 0);
}

thread *thread_create_user(const char *name, void (*fn)(void *), void *arg,
                           uint64_t user_root, struct task *task)
{
    return create(name, fn, arg, SCHED_PRIO_DEFAULT, -1, user_root, task);
}

uint64_t thread_runtime_ns(void)
{
    uint64_t f = read_rflags();
    irq_disable();
    thread *t = thread_current();
    uint64_t r = t->runtime_ns + (clock_ns() - t->last_start);
    if (f & RFLAGS_IF)
        irq_enable();
    return r;
}

void thread_exit(void)
{
    thread *t = thread_current();
    if (!t->stack)
        kpanic("thread_exit: thread '%s' cannot exit", t->name);
    irq_disable(); /* for good: the next thing is the final switch */
    spin_lock(&t->exit_wq.lock);
    t->exited = true;
    t->state = THREAD_DEAD;
    waitq_wake_all_locked(&t->exit_wq);
    spin_unlock(&t->exit_wq.lock);
    schedule();
    kpanic("thread_exit: a dead thread was scheduled");
}

void thread_join(thread *t)
{
    WAIT_EVENT(&t->exit_wq, t->exited);
    /* exited is set while the thread still runs on its stack; on_cpu
     * drops only once switch_context has left that stack for good. */
    while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
        cpu_relax();
    thread_free_stack(t);
    fpu_area_free(t->fpu);
    kfree(t);
}
