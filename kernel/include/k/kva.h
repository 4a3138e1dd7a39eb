/* The kernel virtual area (KVA_BASE, KVA_SIZE): page-granular address
 * ranges for large heap blocks and, later, thread stacks. Each range is
 * followed by one unmapped guard page, so running off the end faults
 * instead of corrupting the neighbour. Addresses only: callers map. */
#ifndef K_KVA_H
#define K_KVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reserves pages (+1 guard) and returns the first address, 0 if the area
 * is full or pages is 0. */
uintptr_t kva_alloc(size_t pages);
/* Releases a range from kva_alloc; returns its page count (no guard).
 * Panics on an address that does not start a range. */
size_t kva_free(uintptr_t va);
/* Page count of the range starting at va, 0 if va starts none. */
size_t kva_pages(uintptr_t va);
bool kva_contains(uintptr_t va);
/* Pages reserved (guards included) and ranges live, for mm_report. */
void kva_usage(size_t *pages, size_t *ranges);

#endif
