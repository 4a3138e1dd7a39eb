/* Deadline timers: one sorted list per CPU, and the local APIC timer in
 * one-shot mode set for the earliest deadline. Sorted insertion is O(n)
 * but n is small (a few timers per CPU: sleepers and the scheduler's
 * slice), and the interrupt path only ever looks at the head. */
#include <arch/apic.h>
#include <arch/trap.h>
#include <k/clock.h>
#include <k/cpu.h>
#include <k/spinlock.h>
#include <k/timer.h>

typedef struct timer_cpu {
    spinlock lock;
    ktimer *head;
    uint64_t interrupts;
} timer_cpu;

static timer_cpu tcpu[MAX_CPUS];

/* Lock held. Programs the APIC for the head (or leaves it idle). */
static void program(timer_cpu *tc)
{
    if (!tc->head)
        return;
    uint64_t now = clock_ns();
    uint64_t d = tc->head->deadline;
    lapic_timer_oneshot(d > now ? d - now : 0);
}

static void unlink_locked(timer_cpu *tc, ktimer *t)
{
    for (ktimer **pp = &tc->head; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = 0;
    t->cpu = -1;
}

bool timer_cancel(ktimer *t)
{
    for (;;) {
        int c = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
        if (c < 0)
            return false;
        timer_cpu *tc = &tcpu[c];
        uint64_t f = spin_lock_irqsave(&tc->lock);
        if (t->cpu == c) { /* still armed there */
            unlink_locked(tc, t);
            spin_unlock_irqrestore(&tc->lock, f);
            return true;
        }
        spin_unlock_irqrestore(&tc->lock, f);
    }
}

void timer_arm(ktimer *t, uint64_t deadline, ktimer_fn fn, void *ctx)
{
    timer_cancel(t);
    uint64_t f = read_rflags();
    irq_disable(); /* stay on this CPU while choosing its list */
    timer_cpu *tc = &tcpu[this_cpu()->index];
    spin_lock(&tc->lock);
    t->deadline = deadline;
    t->fn = fn;
    t->ctx = ctx;
    ktimer **pp = &tc->head;
    while (*pp && (*pp)->deadline <= deadline)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    __atomic_store_n(&t->cpu, (int)this_cpu()->index, __ATOMIC_RELEASE);
    if (tc->head == t)
        program(tc);
    spin_unlock(&tc->lock);
    if (f & RFLAGS_IF)
        irq_enable();
}

static void on_timer(trap_frame *frame, void *ctx)
{
    (void)frame;
    (void)ctx;
    timer_cpu *tc = &tcpu[this_cpu()->index];
    spin_lock(&tc->lock);
    tc->interrupts++;
    uint64_t now = clock_ns();
    while (tc->head && tc->head->deadline <= now) {
        ktimer *t = tc->head;
        unlink_locked(tc, t);
        /* Unlocked while the callback runs, so it may re-arm (even t). */
        spin_unlock(&tc->lock);
        t->fn(t, t->ctx);
        spin_lock(&tc->lock);
        now = clock_ns();
    }
    program(tc);
    spin_unlock(&tc->lock);
}

void timer_init_cpu(void)
{
    if (this_cpu()->index == 0)
        trap_set_handler(VEC_TIMER, on_timer, 0);
}

uint64_t timer_interrupts(void)
{
    return tcpu[this_cpu()->index].interrupts;
}
