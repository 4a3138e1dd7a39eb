/* Interrupt bring-up on the boot CPU: find the APICs (ACPI MADT), mask
 * the legacy PICs, enable the local APIC and its timer, mask every I/O
 * APIC input, then allow interrupts. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/timer.h>

madt_info g_madt;

void arch_interrupts_init(void)
{
    v_status s = acpi_init(&g_madt);
    if (s != V_OK)
        kpanic("acpi: no usable MADT (%s); an APIC system is required",
               v_status_name(s));
    kinfo("acpi: %u CPUs, local APIC at 0x%lx, I/O APIC at 0x%lx",
          g_madt.cpu_count, g_madt.lapic_phys, g_madt.ioapic_phys);
    pic_disable();
    lapic_init(g_madt.lapic_phys);
    if (g_madt.ioapic_phys)
        ioapic_init(g_madt.ioapic_phys, g_madt.ioapic_gsi_base);
    lapic_timer_calibrate();
    timer_init_cpu();
    irq_enable();
}
