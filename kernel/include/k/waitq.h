/* Wait queues: threads sleeping until another thread or an interrupt
 * says a condition may have changed.
 *
 * No lost wakeups: the waiter checks its condition and queues itself under
 * the queue's lock, and the waker changes the condition before taking that
 * lock to wake. WAIT_EVENT packages the waiter's side:
 *
 *     WAIT_EVENT(&q, done);           waker:  done = true;
 *                                             waitq_wake_all(&q);
 */
#ifndef K_WAITQ_H
#define K_WAITQ_H

#include <stdbool.h>
#include <k/spinlock.h>

struct thread;

typedef struct waitq {
    spinlock lock;
    struct thread *head, *tail;
} waitq;

#define WAITQ_INIT {SPINLOCK_INIT, 0, 0}

void waitq_init(waitq *q);
/* Caller holds q->lock with interrupts off (spin_lock_irqsave). Sleeps,
 * releasing the lock while asleep; holds it again on return. */
void waitq_wait_locked(waitq *q);
/* Caller holds q->lock. Wake the first / every waiter. */
bool waitq_wake_one_locked(waitq *q);
unsigned waitq_wake_all_locked(waitq *q);
/* As waitq_wake_all_locked; true if a woken thread may take over this
 * CPU at once (sched_wakeup). */
bool waitq_wake_all_handoff_locked(waitq *q);
bool waitq_wake_one(waitq *q);
unsigned waitq_wake_all(waitq *q);

#define WAIT_EVENT(q, cond)                                                 \
    do {                                                                    \
        uint64_t wait_flags_ = spin_lock_irqsave(&(q)->lock);               \
        while (!(cond))                                                     \
            waitq_wait_locked(q);                                           \
        spin_unlock_irqrestore(&(q)->lock, wait_flags_);                    \
    } while (0)

#endif
