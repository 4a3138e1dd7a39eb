/* Per-CPU GDT and TSS. Each CPU needs its own TSS (its own RSP0 and IST
 * stacks) and so its own GDT, since a TSS descriptor is marked busy when
 * loaded. */
#include <arch/gdt.h>
#include <arch/user.h>
#include <k/cpu.h>
#include <v/mem.h>

#define IST_STACK_SIZE 8192

typedef struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss64;

typedef struct cpu_segments {
    uint64_t gdt[8];
    tss64 tss;
    _Alignas(16) uint8_t df_stack[IST_STACK_SIZE];
    _Alignas(16) uint8_t nmi_stack[IST_STACK_SIZE];
} cpu_segments;

static cpu_segments segs[MAX_CPUS];

static void load_gdt(uint64_t *gdt, uint16_t limit)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } ptr = {limit, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0" : : "m"(ptr));
    /* Reload CS with a far return, then the data segments. */
    __asm__ volatile("pushq %0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %1, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movw %%ax, %%ss\n\t"
                     : : "i"((uint64_t)SEL_KCODE), "i"(SEL_KDATA)
                     : "rax", "memory");
}

void gdt_init_cpu(unsigned index)
{
    cpu_segments *s = &segs[index];
    v_mem_set(&s->tss, 0, sizeof s->tss);
    s->tss.iomap_base = sizeof s->tss; /* no I/O bitmap */
    s->tss.ist[IST_DOUBLE_FAULT - 1] =
        (uint64_t)(uintptr_t)(s->df_stack + IST_STACK_SIZE);
    s->tss.ist[IST_NMI - 1] =
        (uint64_t)(uintptr_t)(s->nmi_stack + IST_STACK_SIZE);

    s->gdt[0] = 0;
    s->gdt[1] = 0x00af9a000000ffff; /* kernel code, 64-bit */
    s->gdt[2] = 0x00cf92000000ffff; /* kernel data */
    s->gdt[3] = 0x00cffa000000ffff; /* user code, 32-bit (sysret layout) */
    s->gdt[4] = 0x00cff2000000ffff; /* user data */
    s->gdt[5] = 0x00affa000000ffff; /* user code, 64-bit */
    uint64_t base = (uint64_t)(uintptr_t)&s->tss;
    uint64_t limit = sizeof s->tss - 1;
    s->gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                (0x89ull << 40) /* present, available 64-bit TSS */ |
                (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    s->gdt[7] = base >> 32;

    cpus[index].tss_rsp0 =
        (uint8_t *)&s->tss + __builtin_offsetof(tss64, rsp); /* rsp[0] */

    load_gdt(s->gdt, sizeof s->gdt - 1);
    __asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
    user_init_cpu();
}

void tss_set_rsp0(unsigned index, uint64_t rsp0)
{
    segs[index].tss.rsp[0] = rsp0;
}
