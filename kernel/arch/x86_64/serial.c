/* COM1 as the kernel console: 115200 8N1, polled. Polling (not interrupts)
 * because the console must work before interrupts exist and inside a
 * crash report, when nothing else can be trusted. */
#include <arch/cpu.h>
#include <k/console.h>

#define COM1 0x3F8
#define LSR_THR_EMPTY 0x20

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB: set the divisor */
    outb(COM1 + 0, 0x01); /* 115200 / 1 */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xC7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR | RTS */
}

static void put_byte(uint8_t b)
{
    /* Bounded wait: a missing UART must not hang the kernel. */
    for (unsigned i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THR_EMPTY); i++)
        cpu_relax();
    outb(COM1, b);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte((uint8_t)s[i]);
}
