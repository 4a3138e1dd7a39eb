/* TLB invalidation: invlpg here, and on every other online CPU by IPI
 * (shootdown) before returning. Never call with a spinlock held. */
#ifndef K_TLB_H
#define K_TLB_H

#include <stddef.h>
#include <stdint.h>

void tlb_flush_page(uintptr_t va);
/* The same for pages consecutive pages from va, with one IPI round. */
void tlb_flush_range(uintptr_t va, size_t pages);
/* Shootdowns done (for tests). */
uint64_t tlb_shootdowns(void);

#endif
