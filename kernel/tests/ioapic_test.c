/* A device interrupt end to end: PIT channel 0 (ISA IRQ 0, which the MADT
 * usually moves to GSI 2) routed through the I/O APIC to a vector on this
 * CPU. With the legacy PICs masked, every tick counted here came through
 * the I/O APIC. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <k/clock.h>
#include <k/sched.h>
#include <v/test.h>

#define PIT_VECTOR (VEC_IRQ_BASE + 0)

static volatile unsigned pit_ticks;

static void on_pit(trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    pit_ticks++;
}

static void count_ticks(void *arg)
{
    extern madt_info g_madt;
    unsigned *got = arg;
    uint32_t gsi = g_madt.isa_gsi[0];
    pit_ticks = 0;
    /* PIT channel 0, mode 2, 1 kHz. */
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)(1193u & 0xff));
    outb(0x40, (uint8_t)(1193u >> 8));
    ioapic_route(gsi, PIT_VECTOR, lapic_id(), g_madt.isa_flags[0], true);
    uint64_t until = clock_ns() + 2000000000u;
    while (pit_ticks < 20 && clock_ns() < until)
        __asm__ volatile("pause");
    ioapic_route(gsi, PIT_VECTOR, lapic_id(), g_madt.isa_flags[0], false);
    *got = pit_ticks;
}

V_TEST(kernel, ioapic_delivers_a_device_interrupt)
{
    V_ASSERT(trap_set_handler(PIT_VECTOR, on_pit, 0));
    V_EXPECT(!trap_set_handler(PIT_VECTOR, on_pit, 0)); /* taken */
    unsigned got = 0;
    /* Pinned, so lapic_id() is the CPU that waits for the ticks. */
    thread *t = thread_create_on("pit", count_ticks, &got, 0, 0);
    V_ASSERT_NOT_NULL(t);
    thread_join(t);
    trap_clear_handler(PIT_VECTOR);
    V_EXPECT_GE(got, 20u);
    /* Masked again: no more ticks arrive. */
    unsigned after = pit_ticks;
    clock_spin_ns(5000000);
    V_EXPECT_EQ(pit_ticks, after);
}
