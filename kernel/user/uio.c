/* utest's device checks (include/vx/io.h, docs/substrate.md §9a): with
 * the COM1 port range and IRQ 4 as initial handles "com1" and
 * "com1.irq" (kernel/tests/ioport_test.c gives them), port I/O works
 * inside the range and is refused outside it, rights are enforced, and a
 * real interrupt from the UART asserts VX_COND_IRQ until acknowledged.
 * Returns 0, or the number of the first check that failed. */
#include <vx/vx.h>
#include "usys.h"

int uio(void);
int uio_none(void);

#define COM1 0x3f8
#define COM1_IER (COM1 + 1)
#define COM1_IIR (COM1 + 2)
#define COM1_MCR (COM1 + 4)
#define COM1_SCRATCH (COM1 + 7)
#define IER_THR_EMPTY 0x02
#define MCR_OUT2 0x08     /* gates the UART's interrupt on a PC */
#define IIR_NONE 0x01
#define IRQ_BIT 5

static int64_t raw_write(uint64_t h, uint64_t port, uint64_t width,
                         uint64_t value)
{
    int64_t r;
    register uint64_t r10 __asm__("r10") = value;
    __asm__ volatile("syscall"
                     : "=a"(r), "+r"(r10)
                     : "a"((uint64_t)SYS_IOPORT_WRITE), "D"(h), "S"(port),
                       "d"(width)
                     : "rcx", "r11", "memory");
    return r;
}

static int ports(vx_ioport p)
{
    uint32_t v = 0;
    /* The scratch register: written and read back, nothing printed. */
    if (vx_ioport_write(p, COM1_SCRATCH, 1, 0x5a) != VX_OK ||
        vx_ioport_read(p, COM1_SCRATCH, 1, &v) != VX_OK || v != 0x5a)
        return 1;
    if (vx_ioport_write(p, COM1_SCRATCH, 1, 0xa5) != VX_OK ||
        vx_ioport_read(p, COM1_SCRATCH, 1, &v) != VX_OK || v != 0xa5)
        return 2;
    /* Outside the range, or running past its end. */
    if (vx_ioport_read(p, COM1 - 1, 1, &v) != VX_ERR_OUT_OF_RANGE ||
        vx_ioport_write(p, COM1 + 8, 1, 0) != VX_ERR_OUT_OF_RANGE ||
        vx_ioport_read(p, COM1 + 7, 2, &v) != VX_ERR_OUT_OF_RANGE ||
        vx_ioport_read(p, COM1 + 6, 4, &v) != VX_ERR_OUT_OF_RANGE ||
        vx_ioport_write(p, 0x80, 1, 0) != VX_ERR_OUT_OF_RANGE ||
        vx_ioport_write(p, 0xcf8, 4, 0) != VX_ERR_OUT_OF_RANGE)
        return 3;
    /* A port number above 16 bits, through the raw call (the library
     * takes 16 bits). */
    if (raw_write(p.h.value, 0x10000 | COM1_SCRATCH, 1, 0) !=
        VX_ERR_OUT_OF_RANGE)
        return 4;
    /* Widths, values, pointers. */
    if (vx_ioport_read(p, COM1, 3, &v) != VX_ERR_INVALID_ARGS ||
        vx_ioport_read(p, COM1, 0, &v) != VX_ERR_INVALID_ARGS ||
        vx_ioport_write(p, COM1_SCRATCH, 1, 0x100) != VX_ERR_INVALID_ARGS ||
        vx_ioport_read(p, COM1_SCRATCH, 1, 0) != VX_ERR_INVALID_ARGS ||
        vx_ioport_read(p, COM1_SCRATCH, 1,
                       (uint32_t *)0xffffffff80100000ull) !=
            VX_ERR_INVALID_ARGS)
        return 5;
    /* INVALID_ARGS comes before OUT_OF_RANGE (§1's order). */
    if (vx_ioport_write(p, COM1 + 8, 3, 0) != VX_ERR_INVALID_ARGS ||
        vx_ioport_write(p, COM1 + 8, 1, 0x100) != VX_ERR_INVALID_ARGS ||
        vx_ioport_read(p, COM1 + 8, 1, 0) != VX_ERR_INVALID_ARGS)
        return 6;
    return 0;
}

static int rights(vx_ioport p, vx_irq irq)
{
    vx_handle_info info;
    if (vx_handle_info_get(p.h, &info) != VX_OK ||
        info.type != VX_OBJ_IOPORT ||
        info.rights != (VX_RIGHT_READ | VX_RIGHT_WRITE |
                        VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER))
        return 10;
    if (vx_handle_info_get(irq.h, &info) != VX_OK || info.type != VX_OBJ_IRQ ||
        info.rights != (VX_RIGHT_WAIT | VX_RIGHT_MANAGE |
                        VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER))
        return 11;
    vx_handle ro, wo, nomanage;
    uint32_t v;
    if (vx_handle_dup(p.h, VX_RIGHT_READ, &ro) != VX_OK ||
        vx_handle_dup(p.h, VX_RIGHT_WRITE, &wo) != VX_OK ||
        vx_handle_dup(irq.h, VX_RIGHT_WAIT, &nomanage) != VX_OK)
        return 12;
    if (vx_ioport_write((vx_ioport){ro}, COM1_SCRATCH, 1, 1) !=
            VX_ERR_ACCESS_DENIED ||
        vx_ioport_read((vx_ioport){wo}, COM1_SCRATCH, 1, &v) !=
            VX_ERR_ACCESS_DENIED ||
        vx_ioport_read((vx_ioport){ro}, COM1_SCRATCH, 1, &v) != VX_OK ||
        vx_ioport_write((vx_ioport){wo}, COM1_SCRATCH, 1, 1) != VX_OK ||
        vx_irq_ack((vx_irq){nomanage}) != VX_ERR_ACCESS_DENIED)
        return 13;
    /* Handles of the wrong type, and none at all. */
    if (vx_ioport_read((vx_ioport){irq.h}, COM1, 1, &v) !=
            VX_ERR_BAD_HANDLE ||
        vx_irq_ack((vx_irq){p.h}) != VX_ERR_BAD_HANDLE ||
        vx_ioport_write((vx_ioport){VX_HANDLE_INVALID}, COM1, 1, 0) !=
            VX_ERR_BAD_HANDLE ||
        vx_irq_ack((vx_irq){VX_HANDLE_INVALID}) != VX_ERR_BAD_HANDLE)
        return 14;
    /* Only VX_COND_IRQ can be bound, and only with WAIT. */
    if (vx_signal_bind(irq.h, VX_COND_READABLE, IRQ_BIT) !=
            VX_ERR_INVALID_ARGS ||
        vx_signal_bind(p.h, VX_COND_IRQ, IRQ_BIT) != VX_ERR_ACCESS_DENIED)
        return 15;
    /* A closed handle is stale like any other. */
    if (vx_handle_close(ro) != VX_OK ||
        vx_ioport_read((vx_ioport){ro}, COM1_SCRATCH, 1, &v) !=
            VX_ERR_BAD_HANDLE)
        return 16;
    if (vx_handle_close(wo) != VX_OK || vx_handle_close(nomanage) != VX_OK)
        return 17;
    return 0;
}

/* A real interrupt: the UART raises IRQ 4 when its transmit register is
 * empty and that interrupt is enabled, which it is at once. */
static int interrupt(vx_ioport p, vx_irq irq)
{
    uint32_t mcr = 0, iir = 0;
    uint64_t pending = 0;
    if (vx_irq_ack(irq) != VX_OK) /* nothing pending: still fine */
        return 20;
    if (vx_signal_bind(irq.h, VX_COND_IRQ, IRQ_BIT) != VX_OK)
        return 21;
    if (vx_ioport_read(p, COM1_MCR, 1, &mcr) != VX_OK ||
        vx_ioport_write(p, COM1_MCR, 1, mcr | MCR_OUT2) != VX_OK ||
        vx_ioport_write(p, COM1_IER, 1, IER_THR_EMPTY) != VX_OK)
        return 22;
    vx_time limit = vx_clock_monotonic() + 2000000000ull;
    vx_status st = vx_wait(1ull << IRQ_BIT, limit, &pending);
    /* Quiet the UART again before anything else: the kernel logs to it. */
    int r = 0;
    if (vx_ioport_write(p, COM1_IER, 1, 0) != VX_OK ||
        vx_ioport_read(p, COM1_IIR, 1, &iir) != VX_OK ||
        vx_ioport_write(p, COM1_MCR, 1, mcr) != VX_OK)
        r = 23;
    if (r == 0 && (st != VX_OK || !(pending & (1ull << IRQ_BIT))))
        r = 24;
    /* Level: it holds until the ack, then stops. */
    vx_handle_info info;
    if (r == 0 && (vx_handle_info_get(irq.h, &info) != VX_OK ||
                   !(info.conditions & VX_COND_IRQ)))
        r = 25;
    if (r == 0 && (vx_irq_ack(irq) != VX_OK ||
                   vx_handle_info_get(irq.h, &info) != VX_OK ||
                   (info.conditions & VX_COND_IRQ)))
        r = 26;
    if (vx_signal_unbind(IRQ_BIT) != VX_OK && r == 0)
        r = 27;
    return r;
}

int uio(void)
{
    vx_handle p, irq;
    if (vx_task_initial_handle("com1", VX_OBJ_IOPORT, &p) != VX_OK ||
        vx_task_initial_handle("com1.irq", VX_OBJ_IRQ, &irq) != VX_OK)
        return 30;
    int r = ports((vx_ioport){p});
    if (r == 0)
        r = rights((vx_ioport){p}, (vx_irq){irq});
    if (r == 0)
        r = interrupt((vx_ioport){p}, (vx_irq){irq});
    return r;
}

/* Without the handles: nothing to name the ports with. (A port
 * instruction itself is a fault: UTEST_IO_INSTRUCTION.) */
int uio_none(void)
{
    vx_handle h;
    if (vx_task_initial_handle("com1", VX_OBJ_IOPORT, &h) !=
        VX_ERR_OUT_OF_RANGE)
        return 1;
    uint32_t v;
    /* Guessing a handle value names nothing. */
    for (uint32_t g = 1; g < 4; g++)
        if (vx_ioport_read((vx_ioport){{g << 16 | 1}}, COM1_SCRATCH, 1,
                           &v) != VX_ERR_BAD_HANDLE)
            return 2;
    return 0;
}
