/* The kernel heap: kmalloc/kfree over slab caches (16..1024 bytes) and
 * page-granular blocks in the kernel virtual area (anything larger, each
 * followed by a guard page). On failure it logs an mm_report and returns
 * NULL: callers must handle NULL; nothing in the heap ever waits. */
#ifndef K_HEAP_H
#define K_HEAP_H

#include <stddef.h>
#include <v/alloc.h>

void heap_init(void);

/* NULL for size 0 or when memory is exhausted. Blocks are aligned to
 * their size class (power of two up to 1024) or to a page. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* NULL is ignored; anything not from kmalloc panics. */
void kfree(void *p);

/* The heap as a libv allocator (alignment up to a page). */
v_alloc *kheap_alloc(void);

/* Gives cached empty slabs back to the frame allocator. */
void heap_trim(void);

/* Prints per-cache and large-block usage (part of mm_report). */
void heap_report(void);
/* Frames the heap holds: slabs plus mapped large-block pages. */
uint64_t heap_frames(void);

/* Quiets the out-of-memory report (tests that exhaust memory on purpose
 * count reports instead of printing each one). */
extern unsigned heap_oom_reports;

#endif
