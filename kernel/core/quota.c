/* Memory quotas (k/quota.h). */
#include <k/heap.h>
#include <k/panic.h>
#include <k/quota.h>

kquota *quota_create(uint64_t limit)
{
    kquota *q = kzalloc(sizeof *q);
    if (!q)
        return 0;
    q->lock = (spinlock)SPINLOCK_INIT;
    q->limit = limit;
    q->refs = 1;
    return q;
}

void quota_ref(kquota *q)
{
    __atomic_add_fetch(&q->refs, 1, __ATOMIC_RELAXED);
}

void quota_unref(kquota *q)
{
    if (__atomic_sub_fetch(&q->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(q);
}

bool quota_charge(kquota *q, uint64_t n)
{
    uint64_t f = spin_lock_irqsave(&q->lock);
    bool ok = n <= q->limit - q->used;
    if (ok)
        q->used += n;
    spin_unlock_irqrestore(&q->lock, f);
    return ok;
}

void quota_uncharge(kquota *q, uint64_t n)
{
    uint64_t f = spin_lock_irqsave(&q->lock);
    if (n > q->used)
        kpanic("quota: returning %lu bytes, only %lu charged", n, q->used);
    q->used -= n;
    spin_unlock_irqrestore(&q->lock, f);
}

uint64_t quota_used(kquota *q)
{
    uint64_t f = spin_lock_irqsave(&q->lock);
    uint64_t u = q->used;
    spin_unlock_irqrestore(&q->lock, f);
    return u;
}
