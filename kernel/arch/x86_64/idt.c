/* The IDT: one interrupt gate per vector, all pointing at isr.S stubs.
 * Interrupt gates (not trap gates) so that interrupts are off on entry:
 * the handler decides when it is safe to take another. */
#include <arch/gdt.h>
#include <stdint.h>

typedef struct __attribute__((packed)) idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
} idt_gate;

extern const uint64_t isr_stub_table[256];
static idt_gate idt[256];

static void set_gate(unsigned v, uint64_t addr, uint8_t ist)
{
    idt[v].off_lo = (uint16_t)addr;
    idt[v].sel = SEL_KCODE;
    idt[v].ist = ist;
    idt[v].type = 0x8E; /* present, DPL 0, 64-bit interrupt gate */
    idt[v].off_mid = (uint16_t)(addr >> 16);
    idt[v].off_hi = (uint32_t)(addr >> 32);
    idt[v].zero = 0;
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        set_gate(v, isr_stub_table[v], 0);
    set_gate(8, isr_stub_table[8], IST_DOUBLE_FAULT);
    set_gate(2, isr_stub_table[2], IST_NMI);
}

void idt_load(void)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } ptr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(ptr));
}
