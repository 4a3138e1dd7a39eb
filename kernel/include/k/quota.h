/* Memory quotas (docs/substrate.md §3): a byte budget charged by the
 * objects a Task creates until they are destroyed. Objects keep a
 * reference to the quota they charged, so a charge can be returned after
 * its Task has ended. */
#ifndef K_QUOTA_H
#define K_QUOTA_H

#include <stdbool.h>
#include <stdint.h>
#include <k/spinlock.h>

typedef struct kquota {
    spinlock lock;
    uint64_t limit, used;
    uint32_t refs;
} kquota;

/* A quota of limit bytes with one reference, or NULL. */
kquota *quota_create(uint64_t limit);
void quota_ref(kquota *q);
void quota_unref(kquota *q);
/* False (and nothing charged) if n bytes would exceed the limit. */
bool quota_charge(kquota *q, uint64_t n);
void quota_uncharge(kquota *q, uint64_t n);
uint64_t quota_used(kquota *q);

#endif
