/* A Task's Region mappings (vx_region_map/unmap). Addresses come from a
 * bump pointer in [UMAP_BASE, UMAP_TOP) with an unmapped page after each
 * mapping; they are not reused (2^46 bytes last a long time; reuse would
 * need a free-range search). Each mapping holds a Region reference, and
 * its pages are the Region's frames, not the address space's: they are
 * unmapped before the address space is freed. Thread context. */
#ifndef K_UMAP_H
#define K_UMAP_H

#include <stdint.h>
#include <k/mutex.h>
#include <k/object.h>
#include <v/status.h>

#define UMAP_BASE 0x0000100000000000ull
#define UMAP_TOP 0x00007fff00000000ull

typedef struct umap {
    struct umap *next;
    uint64_t addr, len;
    kobject *region;
} umap;

typedef struct umaps {
    kmutex lock;
    umap *head;
    uint64_t next_addr;
} umaps;

void umaps_init(umaps *m);
/* Maps [offset, offset + len) of region (range already checked) with
 * VM_* prot; takes its own reference. LIMIT when the area is used up. */
v_status umaps_map(umaps *m, uint64_t root, kobject *region, uint64_t offset,
                   uint64_t len, unsigned prot, uint64_t *addr);
/* INVALID_ARGS unless [addr, addr + len) is exactly one live mapping. */
v_status umaps_unmap(umaps *m, uint64_t root, uint64_t addr, uint64_t len);
/* Unmaps everything (the Task has ended). */
void umaps_fini(umaps *m, uint64_t root);

#endif
