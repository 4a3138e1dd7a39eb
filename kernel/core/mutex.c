/* Sleeping mutexes (see k/mutex.h). The owner is handed directly to the
 * first waiter on unlock; the waiter's loop checks `owner == self`. */
#include <k/mutex.h>
#include <k/panic.h>
#include <k/sched.h>

void kmutex_lock(kmutex *m)
{
    thread *self = thread_current();
    uint64_t f = spin_lock_irqsave(&m->wq.lock);
    if (!m->owner) {
        m->owner = self;
    } else {
        if (m->owner == self) {
            spin_unlock_irqrestore(&m->wq.lock, f);
            kpanic("kmutex: thread '%s' locks a mutex it holds", self->name);
        }
        while (m->owner != self)
            waitq_wait_locked(&m->wq);
    }
    spin_unlock_irqrestore(&m->wq.lock, f);
}

bool kmutex_trylock(kmutex *m)
{
    uint64_t f = spin_lock_irqsave(&m->wq.lock);
    bool ok = !m->owner;
    if (ok)
        m->owner = thread_current();
    spin_unlock_irqrestore(&m->wq.lock, f);
    return ok;
}

void kmutex_unlock(kmutex *m)
{
    thread *self = thread_current();
    uint64_t f = spin_lock_irqsave(&m->wq.lock);
    if (m->owner != self) {
        spin_unlock_irqrestore(&m->wq.lock, f);
        kpanic("kmutex: unlock by '%s', which does not own it", self->name);
    }
    /* Hand over to the first waiter, if any, while still locked. */
    thread *next = m->wq.head;
    m->owner = next;
    if (next)
        waitq_wake_one_locked(&m->wq);
    spin_unlock_irqrestore(&m->wq.lock, f);
}
