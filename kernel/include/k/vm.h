/* The kernel address space: 4 KiB mappings with protections.
 *
 * Calls that change a mapping invalidate the TLB entry on this CPU (and,
 * once other CPUs run, on all of them). Page tables are never freed while
 * the kernel runs, so lookups need no lock (vm_query is used by crash
 * reports, which cannot take locks). */
#ifndef K_VM_H
#define K_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <k/memmap.h>
#include <v/status.h>

enum vm_prot {
    VM_READ = 0,        /* every mapping is readable */
    VM_WRITE = 1 << 0,
    VM_EXEC = 1 << 1,
    VM_USER = 1 << 2,
    VM_NOCACHE = 1 << 3, /* device memory */
};

/* Builds the kernel's page tables (direct map of physical memory up to
 * phys_top, the kernel image with per-section protections) and switches to
 * them. */
void vm_init(uint64_t phys_top);

/* Maps the page at va to frame pa. INVALID_ARGS: unaligned or
 * non-canonical; BAD_STATE: already mapped (or inside a large page);
 * NO_MEMORY: no frame for a page table. */
v_status vm_map(uintptr_t va, uint64_t pa, unsigned prot);
/* Removes the mapping; *pa (if non-NULL) gets the frame, which the caller
 * still owns. BAD_STATE if va was not mapped. */
v_status vm_unmap(uintptr_t va, uint64_t *pa);
/* Unmaps every mapped page in [va, va + pages * 4 KiB) and frees its
 * frame (unmapped pages are skipped): the cheap way to drop a block. */
void vm_unmap_free_range(uintptr_t va, size_t pages);
/* Changes the protection of a mapped page. BAD_STATE if not mapped. */
v_status vm_protect(uintptr_t va, unsigned prot);
/* Looks va up (any page size). False if not mapped. */
bool vm_query(uintptr_t va, uint64_t *pa, unsigned *prot);
bool vm_is_mapped(uintptr_t va);

/* The kernel's own top-level table (physical address). */
uint64_t vm_kernel_root(void);

/* User address spaces by their top-level table (physical address):
 * create one sharing the kernel half; map a user page (VM_USER is
 * implied; va must be in the lower half); look one up; free the whole
 * user half, leaf frames included (so frames the address space does not
 * own must be unmapped first), once no CPU runs on it. */
uint64_t vm_root_create(void);
v_status vm_root_map(uint64_t root, uintptr_t va, uint64_t pa, unsigned prot);
bool vm_root_query(uint64_t root, uintptr_t va, uint64_t *pa, unsigned *prot);
/* Removes a user mapping (the frame stays the caller's; *pa gets it) and
 * flushes it from every CPU's TLB: no spinlock may be held. BAD_STATE if
 * nothing was mapped there. */
v_status vm_root_unmap(uint64_t root, uintptr_t va, uint64_t *pa);
void vm_root_destroy(uint64_t root);

/* Frames used by page tables since vm_init (for mm_report). */
uint64_t vm_table_frames(void);

#endif
