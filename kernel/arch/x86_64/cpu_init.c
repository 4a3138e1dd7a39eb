/* The boot CPU's descriptor tables, set up before memory management so a
 * fault anywhere after this point is reported instead of triple-faulting. */
#include <arch/gdt.h>
#include <k/cpu.h>
#include <k/kmain.h>
#include <k/log.h>

void arch_cpu_init(void)
{
    percpu_init(0, 0); /* the APIC id is filled in once the APIC is up */
    gdt_init_cpu(0);
    idt_init();
    idt_load();
    kdebug("cpu: GDT, TSS and IDT loaded");
}
