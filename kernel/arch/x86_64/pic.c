/* The legacy 8259 PICs: remapped away from the exception vectors (a
 * spurious PIC interrupt must never look like a CPU fault) and then fully
 * masked, because the APICs take over all delivery. */
#include <arch/apic.h>
#include <arch/cpu.h>

void pic_disable(void)
{
    outb(0x20, 0x11); /* ICW1: init, ICW4 follows */
    outb(0xA0, 0x11);
    outb(0x21, VEC_PIC_BASE);
    outb(0xA1, VEC_PIC_BASE + 8);
    outb(0x21, 0x04); /* slave on IRQ2 */
    outb(0xA1, 0x02);
    outb(0x21, 0x01); /* 8086 mode */
    outb(0xA1, 0x01);
    outb(0x21, 0xFF); /* mask everything */
    outb(0xA1, 0xFF);
}
