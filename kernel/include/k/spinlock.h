/* Spinlocks with interrupt discipline.
 *
 * Rule (docs/kernel.md): a lock that an interrupt handler may take must be
 * held with interrupts off on the CPU holding it, or the handler would spin
 * forever on its own CPU. spin_lock_irqsave does that and remembers
 * whether interrupts were on; spin_unlock_irqrestore puts them back. The
 * plain pair is for locks that interrupt handlers never touch. */
#ifndef K_SPINLOCK_H
#define K_SPINLOCK_H

#include <arch/cpu.h>
#include <stdint.h>

typedef struct spinlock {
    volatile uint32_t locked;
} spinlock;

#define SPINLOCK_INIT {0}

static inline void spin_lock(spinlock *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            cpu_relax();
    }
}

static inline int spin_trylock(spinlock *l)
{
    return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* Spins with interrupts as they were (so a CPU waiting here still takes
 * IPIs such as TLB shootdowns); only the holder runs with them off. */
static inline uint64_t spin_lock_irqsave(spinlock *l)
{
    uint64_t flags = read_rflags();
    for (;;) {
        irq_disable();
        if (spin_trylock(l))
            return flags;
        if (flags & RFLAGS_IF)
            irq_enable();
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            cpu_relax();
    }
}

static inline void spin_unlock_irqrestore(spinlock *l, uint64_t flags)
{
    spin_unlock(l);
    if (flags & RFLAGS_IF)
        irq_enable();
}

/* The pair for code that runs only with interrupts on and no spinlock
 * held (a syscall's own path: the entry turns them on): as irqsave and
 * irqrestore without reading and testing the flags, which is most of
 * their cost. spin_unlock_irq always turns interrupts on, so a caller
 * with them off would be a bug; use these only on the few hottest
 * paths, where every caller is visibly a syscall. */
static inline void spin_lock_irq(spinlock *l)
{
    for (;;) {
        irq_disable();
        if (spin_trylock(l))
            return;
        irq_enable();
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            cpu_relax();
    }
}

static inline void spin_unlock_irq(spinlock *l)
{
    spin_unlock(l);
    irq_enable();
}

#endif
