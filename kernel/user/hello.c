/* The first Task `make run` starts (boot/init in the boot Bundle): proves
 * ring 3, the syscall path and the loader work on a real boot, looks at
 * its initial handles (the Bundle it came from, read-only; the serial
 * port and its IRQ), writes a line through the port itself, then exits 0.
 * Any failed check is a nonzero exit code naming it. */
#include <vx/vx.h>
#include "usys.h"

#define COM1_DATA 0x3f8
#define COM1_LSR 0x3fd   /* line status */
#define LSR_THR_EMPTY 0x20

static int check_bundle(void)
{
    vx_handle h;
    if (vx_task_initial_handle("boot.bundle", VX_OBJ_REGION, &h) != VX_OK)
        return 10;
    vx_region r = {h};
    uint64_t size = 0;
    char magic[8];
    if (vx_region_size(r, &size) != VX_OK ||
        vx_region_read(r, 0, magic, sizeof magic) != VX_OK)
        return 11;
    static const char want[8] = "VBUNDLE";
    for (unsigned i = 0; i < sizeof magic; i++)
        if (magic[i] != want[i])
            return 12;
    /* Read-only: the kernel's copy is not the Task's to change. */
    if (vx_region_write(r, 0, magic, 1) != VX_ERR_ACCESS_DENIED)
        return 13;
    uputs("boot.bundle is a Bundle, read-only");
    return 0;
}

/* One line straight to the UART, waiting for room before each byte. */
static int com1_line(vx_ioport p, const char *s)
{
    for (; *s; s++) {
        uint32_t lsr = 0;
        for (int spins = 0; !(lsr & LSR_THR_EMPTY); spins++) {
            if (spins > 1000000 ||
                vx_ioport_read(p, COM1_LSR, 1, &lsr) != VX_OK)
                return 21;
        }
        if (vx_ioport_write(p, COM1_DATA, 1, (uint8_t)*s) != VX_OK)
            return 22;
    }
    return 0;
}

static int check_com1(void)
{
    vx_handle h, irq;
    if (vx_task_initial_handle("com1", VX_OBJ_IOPORT, &h) != VX_OK ||
        vx_task_initial_handle("com1.irq", VX_OBJ_IRQ, &irq) != VX_OK)
        return 20;
    return com1_line((vx_ioport){h},
                     "init: this line went out through COM1 from ring 3\r\n");
}

int umain(uint64_t arg)
{
    (void)arg;
    uputs("hello from the first user Task (ring 3)");
    vx_time t0 = vx_clock_monotonic(), t1 = vx_clock_monotonic();
    if (t1 < t0)
        return 1;
    int r = check_bundle();
    if (r == 0)
        r = check_com1();
    return r;
}
