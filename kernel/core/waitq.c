/* Wait queues (see k/waitq.h). FIFO, so wakeups are fair. */
#include <k/cpu.h>
#include <k/sched.h>
#include <k/waitq.h>

void waitq_init(waitq *q)
{
    q->lock = (spinlock)SPINLOCK_INIT;
    q->head = q->tail = 0;
}

void waitq_wait_locked(waitq *q)
{
    thread *t = thread_current();
    t->wq_next = 0;
    if (q->tail)
        q->tail->wq_next = t;
    else
        q->head = t;
    q->tail = t;
    /* BLOCKED while the queue lock is held: a waker must take that lock
     * to find us, so it cannot wake us before we are marked. */
    t->state = THREAD_BLOCKED;
    spin_unlock(&q->lock);
    schedule(); /* interrupts are off (the caller took the lock irqsave) */
    spin_lock(&q->lock);
}

bool waitq_wake_one_locked(waitq *q)
{
    thread *t = waitq_pop_locked(q);
    if (t)
        sched_wakeup(t);
    return t != 0;
}

unsigned waitq_wake_all_locked(waitq *q)
{
    unsigned n = 0;
    thread *t;
    while ((t = waitq_pop_locked(q)) != 0) {
        sched_wakeup(t);
        n++;
    }
    return n;
}

bool waitq_wake_all_handoff_locked(waitq *q)
{
    bool handoff = false;
    thread *t;
    while ((t = waitq_pop_locked(q)) != 0)
        handoff |= sched_wakeup(t);
    return handoff;
}

bool waitq_wake_one(waitq *q)
{
    uint64_t f = spin_lock_irqsave(&q->lock);
    bool r = waitq_wake_one_locked(q);
    spin_unlock_irqrestore(&q->lock, f);
    return r;
}

unsigned waitq_wake_all(waitq *q)
{
    uint64_t f = spin_lock_irqsave(&q->lock);
    unsigned n = waitq_wake_all_locked(q);
    spin_unlock_irqrestore(&q->lock, f);
    return n;
}
