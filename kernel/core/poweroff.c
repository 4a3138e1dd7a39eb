/* Switching the machine off once the first Task has ended (k/poweroff.h).
 *
 * ACPI's way is to write SLP_TYP(S5) | SLP_EN into the PM1a control
 * register. Where that register lives, and which SLP_TYP value means S5,
 * come from the FADT and the DSDT's \_S5 object; reading them needs an
 * AML walk this kernel does not have yet. QEMU's `pc` and `q35` machines
 * put PM1a control at I/O port 0x604 (PM base 0x600, as the firmware
 * programs it) and their \_S5 is SLP_TYP 0, so 0x2000 (SLP_EN alone)
 * powers them off: QEMU then exits. On hardware where the write reaches
 * nothing, the CPU halts with interrupts off, as a shutdown that did not
 * happen should look: nothing runs, nothing is lost (every Task ended).
 *
 * Only the normal image calls this (kernel/core/idle.c). The test images
 * end through isa-debug-exit with their status (machine_exit), which this
 * must not replace: their runners read QEMU's exit code. */
#include <stdint.h>

#include <arch/cpu.h>
#include <k/clock.h>
#include <k/log.h>
#include <k/poweroff.h>

#define QEMU_PM1A_CNT 0x604
#define PM1_SLP_EN 0x2000 /* SLP_TYP 0 (S5 on QEMU) | SLP_EN */

static void outw16(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

_Noreturn void machine_poweroff(void)
{
    kinfo("vectra: nothing more to run; powering off");
    irq_disable();
    outw16(QEMU_PM1A_CNT, PM1_SLP_EN);
    /* QEMU acts on the request between instructions of its own choosing,
     * not at once: give it time before saying it did not happen. */
    clock_spin_ns(UINT64_C(500000000));
    kwarn("vectra: the ACPI power-off did not happen; halting");
    for (;;)
        cpu_halt();
}
