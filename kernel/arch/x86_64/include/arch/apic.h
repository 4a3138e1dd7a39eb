/* The local APIC (one per CPU: its timer, EOI, inter-processor
 * interrupts), the I/O APIC (device interrupts) and the legacy PICs,
 * which are remapped and masked so that only the APICs deliver. */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdbool.h>
#include <stdint.h>

/* Interrupt vectors. 0x20-0x2f catch spurious interrupts from the masked
 * PICs; device interrupts start at 0x30; the kernel's own are at the top
 * (higher vector = higher priority). */
#define VEC_PIC_BASE 0x20
#define VEC_IRQ_BASE 0x30
#define VEC_TIMER 0xF0
#define VEC_RESCHED 0xF1
#define VEC_TLB 0xF2
#define VEC_STOP 0xF3
#define VEC_SPURIOUS 0xFF

void pic_disable(void);

void lapic_init(uint64_t phys); /* boot CPU: maps the registers */
void lapic_init_cpu(void);      /* every CPU: enables its APIC */
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Sends an IPI: icr is the low ICR word (vector | delivery mode ...). */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr);
/* Waits for the previous IPI to be accepted; false on timeout. */
bool lapic_ipi_wait(void);

/* Measures the APIC timer rate against the calibrated TSC clock. */
void lapic_timer_calibrate(void);
/* Fires VEC_TIMER once, ns from now (clamped to the counter's range). */
void lapic_timer_oneshot(uint64_t ns);
uint64_t lapic_timer_hz(void);

void ioapic_init(uint64_t phys, uint32_t gsi_base);
unsigned ioapic_inputs(void);
/* Routes input gsi to vector on the CPU with apic_id; masked if !enable.
 * Flags are the MADT's MPS INTI flags (polarity and trigger mode). */
bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id,
                  uint16_t flags, bool enable);
/* The raw redirection entry (for tests). */
uint64_t ioapic_entry(uint32_t gsi);

#endif
