/* FPU/SSE state of user threads (arch/fpu.h). */
#include <arch/fpu.h>
#include <k/heap.h>
#include <k/panic.h>
#include <v/mem.h>
#include <stdint.h>

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)

#define FCW_DEFAULT 0x037f   /* every x87 exception masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80 /* every SSE exception masked, round to nearest */

void fpu_init_cpu(void)
{
    uint64_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS);
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
    /* Nothing of a previous owner (firmware) survives into ring 3: the
     * first user thread here loads its own area anyway. */
    __asm__ volatile("fninit");
}

void *fpu_area_alloc(void)
{
    /* kmalloc aligns objects to their size class: 512 here. */
    uint8_t *a = kmalloc(FPU_AREA_SIZE);
    if (!a)
        return 0;
    if ((uintptr_t)a & 15)
        kpanic("fpu: area 0x%lx not 16-byte aligned", (uint64_t)(uintptr_t)a);
    v_mem_set(a, 0, FPU_AREA_SIZE);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    v_mem_copy(a, &fcw, sizeof fcw);        /* FCW at offset 0 */
    v_mem_copy(a + 24, &mxcsr, sizeof mxcsr); /* MXCSR at offset 24 */
    return a;
}

void fpu_area_free(void *area)
{
    kfree(area);
}

