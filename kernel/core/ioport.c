/* I/O-port range objects and their calls (k/ioport.h). A range is fixed
 * at creation and never changes, so a call needs no lock: the handle
 * lookup pins the object, the range check uses constant fields, and the
 * port instruction runs with the caller's arguments only. */
#include <arch/cpu.h>
#include <arch/user.h>
#include <k/heap.h>
#include <k/ioport.h>
#include <k/task.h>

typedef struct kioport {
    kobject base;  /* first: handles point here */
    uint32_t first, count;
} kioport;

static void ioport_destroy(kobject *o)
{
    kfree(o);
}

static vx_conditions no_conditions(kobject *o)
{
    (void)o;
    return 0;
}

static const kobject_ops ioport_ops = {
    .type = VX_OBJ_IOPORT,
    .create_rights = IOPORT_RIGHTS,
    .can_assert = 0,
    .conditions = no_conditions,
    .destroy = ioport_destroy,
};

v_status ioport_create(uint32_t base, uint32_t count, kobject **out)
{
    if (count == 0 || base > 0xffff || count > 0x10000 - base)
        return V_ERR_INVALID_ARGS;
    kioport *p = kmalloc(sizeof *p);
    if (!p)
        return V_ERR_NO_MEMORY;
    kobject_init(&p->base, &ioport_ops);
    p->first = base;
    p->count = count;
    *out = &p->base;
    return V_OK;
}

/* The 16- and 32-bit port instructions (arch/cpu.h has the 8-bit ones). */
static inline void out16(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t in16(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void out32(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t in32(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* The checks both calls share, in §1's order: the handle and its right,
 * the arguments (width, and bad_arg from the caller), then the range.
 * Nothing else can fail afterwards except a user pointer. */
static int64_t check(uint64_t h, vx_rights need, uint64_t port,
                     uint64_t width, bool bad_arg)
{
    kobject *o;
    vx_rights have;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&task_current()->handles, (uint32_t)h,
                             VX_OBJ_IOPORT, &o, &have);
    if (st != V_OK)
        return (int64_t)st;
    int64_t r = VX_OK;
    const kioport *p = (const kioport *)o;
    if (!(have & need))
        r = VX_ERR_ACCESS_DENIED;
    else if (bad_arg)
        r = VX_ERR_INVALID_ARGS;
    else if (port < p->first || port - p->first >= p->count ||
             width > p->count - (port - p->first))
        r = VX_ERR_OUT_OF_RANGE;
    /* The range is fixed, so the object is not needed for the I/O. */
    kobject_unref(o);
    return r;
}

static bool width_ok(uint64_t width)
{
    return width == 1 || width == 2 || width == 4;
}

int64_t sys_ioport_read(uint64_t h, uint64_t port, uint64_t width,
                        uint64_t out)
{
    int64_t r = check(h, VX_RIGHT_READ, port, width,
                      !width_ok(width) || !out);
    if (r != VX_OK)
        return r;
    /* Prove the out-pointer writable before reading: a device read may
     * have effects (a UART's receive register pops a byte). */
    uint32_t v = 0;
    if (copy_to_user(out, &v, sizeof v) != V_OK)
        return VX_ERR_INVALID_ARGS;
    uint16_t p16 = (uint16_t)port;
    v = width == 1 ? inb(p16) : width == 2 ? in16(p16) : in32(p16);
    if (copy_to_user(out, &v, sizeof v) != V_OK)
        return VX_ERR_INVALID_ARGS; /* unmapped meanwhile by another thread */
    return VX_OK;
}

int64_t sys_ioport_write(uint64_t h, uint64_t port, uint64_t width,
                         uint64_t value)
{
    int64_t r = check(h, VX_RIGHT_WRITE, port, width,
                      !width_ok(width) || (value >> (8 * width)));
    if (r != VX_OK)
        return r;
    uint16_t p16 = (uint16_t)port;
    if (width == 1)
        outb(p16, (uint8_t)value);
    else if (width == 2)
        out16(p16, (uint16_t)value);
    else
        out32(p16, (uint32_t)value);
    return VX_OK;
}

v_status ioport_add_boot_handles(struct task *t)
{
    kobject *port, *irq;
    v_status st = ioport_create(IO_COM1_BASE, IO_COM1_COUNT, &port);
    if (st != V_OK)
        return st;
    st = task_add_initial(t, "com1", port, IOPORT_RIGHTS);
    if (st != V_OK)
        return st;
    st = irq_obj_create(IO_COM1_IRQ, &irq);
    if (st != V_OK)
        return st;
    return task_add_initial(t, "com1.irq", irq, IRQ_RIGHTS);
}
