/* The kernel's virtual address layout. Shared by C, assembly and the
 * linker script, so it holds only plain constants.
 *
 *   0xffff800000000000  direct map of physical memory (PML4 slot 256)
 *   0xffffc00000000000  kernel virtual area: large heap allocations, stacks
 *   0xffffffff80000000  the kernel image (top 2 GiB, for -mcmodel=kernel)
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_PHYS_BASE 0x100000
#define PHYSMAP_BASE 0xffff800000000000
#define PHYSMAP_PML4_SLOT 256
#define KVA_BASE 0xffffc00000000000
#define KVA_SIZE 0x40000000 /* 1 GiB of kernel virtual area */
#define BOOT_STACK_SIZE 16384
#define PAGE_SIZE 4096

#endif
