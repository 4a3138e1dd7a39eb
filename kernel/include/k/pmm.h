/* The physical frame allocator: 4 KiB frames from the cleaned memory map.
 * A bitmap (one bit per frame up to the highest usable byte) because it
 * needs no memory beyond itself, detects double frees exactly, and can be
 * scanned for use reports. Safe from any context (irqsave lock). */
#ifndef K_PMM_H
#define K_PMM_H

#include <stddef.h>
#include <stdint.h>
#include <k/memmap.h>

/* Takes the usable ranges (sorted, disjoint, page-aligned: the output of
 * memmap_clean). The bitmap is carved out of the first range that holds
 * it below early_limit (the boot page tables reach only that far). */
void pmm_init(const mem_range *usable, size_t n, uint64_t early_limit);

/* A free frame's physical address, or 0 when none is left (frame 0 is
 * never handed out: the first MiB is always reserved). */
uint64_t pmm_alloc(void);
/* As pmm_alloc, with the frame zeroed. */
uint64_t pmm_alloc_zeroed(void);
/* Panics on a frame that is not allocated: a double free or a wild
 * address is a kernel bug that must not pass silently. */
void pmm_free(uint64_t pa);

uint64_t pmm_total_frames(void);
uint64_t pmm_free_frames(void);

#endif
