/* vx/io.h — device access for driver Tasks: I/O-port ranges and IRQ
 * lines. Normative text: docs/substrate.md §9a; the native backend's
 * specifics (which Task gets which devices): §12. A backend without
 * devices (hosted) returns VX_ERR_NOT_SUPPORTED from every call here.
 *
 * Nothing creates these objects: a Task gets them only as initial
 * handles from its creator (the kernel gives the first Task the serial
 * port COM1), and passes them on like any handle (dup, Ring, spawn). */
#ifndef VX_IO_H
#define VX_IO_H

#include <stdint.h>
#include <vx/status.h>
#include <vx/types.h>

/* A range of x86 I/O ports [base, base + count). Rights: READ (in),
 * WRITE (out), DUPLICATE, TRANSFER. No conditions. */
typedef struct vx_ioport { vx_handle h; } vx_ioport;
/* One interrupt line. Rights: WAIT (vx_signal_bind with VX_COND_IRQ),
 * MANAGE (vx_irq_ack), DUPLICATE, TRANSFER. Condition: VX_COND_IRQ. */
typedef struct vx_irq { vx_handle h; } vx_irq;

/* Object types of these handles (vx_handle_info, vx_task_initial_handle),
 * after those of vx/types.h. */
enum {
    VX_OBJ_IOPORT = 6,
    VX_OBJ_IRQ = 7,
};

/* Reads width (1, 2 or 4) bytes from port; the ports [port, port+width)
 * must lie in the handle's range. */
VX_CALL vx_status vx_ioport_read(vx_ioport p, uint16_t port, uint32_t width,
                                 uint32_t *value);
/* Writes the low width (1, 2 or 4) bytes of value (the rest must be 0) to
 * port; the ports [port, port+width) must lie in the handle's range. */
VX_CALL vx_status vx_ioport_write(vx_ioport p, uint16_t port, uint32_t width,
                                  uint32_t value);
/* Ends one interrupt: VX_COND_IRQ stops holding and the line is unmasked,
 * so the next interrupt can assert it again. */
VX_CALL vx_status vx_irq_ack(vx_irq irq);

#endif
