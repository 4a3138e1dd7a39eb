/* Device objects for driver Tasks (include/vx/io.h, docs/substrate.md
 * §9a, §12): I/O-port ranges and ISA IRQ lines. Only the kernel makes
 * them; a Task gets them as initial handles from its creator. */
#ifndef K_IOPORT_H
#define K_IOPORT_H

#include <stdint.h>
#include <k/object.h>
#include <v/status.h>
#include <vx/io.h>

struct task;

/* The serial port the kernel hands the first Task (and logs to itself). */
#define IO_COM1_BASE 0x3f8
#define IO_COM1_COUNT 8
#define IO_COM1_IRQ 4
#define IO_ISA_IRQS 16

#define IOPORT_RIGHTS (VX_RIGHT_READ | VX_RIGHT_WRITE | VX_RIGHT_DUPLICATE | \
                       VX_RIGHT_TRANSFER)
#define IRQ_RIGHTS (VX_RIGHT_WAIT | VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE | \
                    VX_RIGHT_TRANSFER)

/* A range object for ports [base, base + count): INVALID_ARGS if empty
 * or past port 0xffff; NO_MEMORY. */
v_status ioport_create(uint32_t base, uint32_t count, kobject **out);
/* The object for ISA IRQ line isa (< IO_ISA_IRQS), routed through the I/O
 * APIC to the boot CPU and unmasked: each interrupt masks the line and
 * asserts VX_COND_IRQ until acknowledged. One object per line:
 * BAD_STATE while another exists (dup its handle instead) or while the
 * kernel uses the vector; INVALID_ARGS; NOT_SUPPORTED without an I/O
 * APIC. */
v_status irq_obj_create(unsigned isa, kobject **out);
/* Whether o's IRQ has fired and is not yet acknowledged. */
vx_conditions irq_obj_conditions(kobject *o);

/* The first Task's devices: "com1" (ports 0x3f8-0x3ff) and "com1.irq"
 * (ISA IRQ 4) as initial handles of t, before task_start. */
v_status ioport_add_boot_handles(struct task *t);

/* Syscalls (k/syscall_nr.h). */
int64_t sys_ioport_read(uint64_t h, uint64_t port, uint64_t width,
                        uint64_t out);
int64_t sys_ioport_write(uint64_t h, uint64_t port, uint64_t width,
                         uint64_t value);
int64_t sys_irq_ack(uint64_t h);

#endif
