/* Segments: a flat 64-bit GDT and a TSS per CPU. Long mode ignores segment
 * bases and limits for code and data; the GDT exists for the privilege
 * levels, and the TSS for the stacks the CPU switches to (RSP0 on entry
 * from user mode, IST stacks for faults that must not trust the current
 * stack: double fault and NMI). */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE32 0x1B
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2B
#define SEL_TSS 0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2

#define MAX_CPUS 16

/* Loads the GDT, TSS and segment registers for CPU index cpu. */
void gdt_init_cpu(unsigned cpu);
/* The stack the CPU switches to on entry from user mode. */
void tss_set_rsp0(unsigned cpu, uint64_t rsp0);

void idt_init(void);
/* Loads the (shared) IDT on the calling CPU. */
void idt_load(void);

#endif
