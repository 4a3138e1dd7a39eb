/* Physical memory as the kernel sees it: the direct map, and the boot-time
 * setup of every memory subsystem. */
#ifndef K_MM_H
#define K_MM_H

#include <arch/layout.h>
#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + PHYSMAP_BASE);
}

static inline uint64_t virt_to_phys_direct(const void *va)
{
    return (uint64_t)(uintptr_t)va - PHYSMAP_BASE;
}

/* Kernel image addresses (linked at KERNEL_VMA + physical). */
static inline uint64_t kimage_to_phys(const void *va)
{
    return (uint64_t)(uintptr_t)va - KERNEL_VMA;
}

/* Cleans the boot memory map, starts the frame allocator, builds the
 * kernel's page tables and the heap. Panics if there is no usable memory. */
void mm_init(void);

/* Prints what memory is used where: frames, page tables, slab caches and
 * large allocations. Called on allocation failure and by panics. */
void mm_report(void);

#endif
