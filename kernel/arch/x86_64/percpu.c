/* Per-CPU data through the GS base MSR (see k/cpu.h). */
#include <arch/cpu.h>
#include <k/cpu.h>

#define MSR_GS_BASE 0xC0000101u

cpu cpus[MAX_CPUS];

void percpu_init(unsigned index, uint32_t apic_id)
{
    cpu *c = &cpus[index];
    c->self = c;
    c->index = index;
    c->apic_id = apic_id;
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
}
