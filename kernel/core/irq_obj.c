/* IRQ objects (k/ioport.h): one per ISA line, at vector VEC_IRQ_BASE +
 * line. An interrupt masks its line at the I/O APIC and marks the object
 * pending, which is the level condition VX_COND_IRQ; the global signal
 * wake-up (k/signal.h) lets a vx_wait bound to it see that. vx_irq_ack
 * clears pending and unmasks. Masking until the ack keeps a level-
 * triggered device from storming a driver that has not serviced it yet;
 * an edge that arrives while masked is lost, so a driver services
 * everything its device reports before it acks. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <k/cpu.h>
#include <k/ioport.h>
#include <k/signal.h>
#include <k/spinlock.h>
#include <k/task.h>

extern madt_info g_madt;

typedef struct kirq {
    kobject base;  /* first: handles point here */
    unsigned isa;
    uint32_t gsi, apic_id;
    uint16_t flags;
    uint8_t vector;
    volatile bool pending;
} kirq;

/* One record per line, never freed: an interrupt already on its way
 * into on_irq when the object is destroyed (on another CPU) then only
 * marks a dead or newer record pending (a spurious IRQ, which drivers
 * tolerate) instead of touching freed memory. */
static spinlock lines_lock;
static kirq lines[IO_ISA_IRQS];
static bool line_used[IO_ISA_IRQS];

static void route(kirq *q, bool enable)
{
    ioapic_route(q->gsi, q->vector, q->apic_id, q->flags, enable);
}

static void on_irq(trap_frame *f, void *ctx)
{
    (void)f;
    kirq *q = ctx;
    route(q, false); /* until the driver acks */
    __atomic_store_n(&q->pending, true, __ATOMIC_RELEASE);
    signal_broadcast();
}

vx_conditions irq_obj_conditions(kobject *o)
{
    const kirq *q = (const kirq *)o;
    return __atomic_load_n(&q->pending, __ATOMIC_ACQUIRE) ? VX_COND_IRQ : 0;
}

static void irq_destroy(kobject *o)
{
    kirq *q = (kirq *)o;
    route(q, false);
    trap_clear_handler(q->vector);
    uint64_t f = spin_lock_irqsave(&lines_lock);
    line_used[q->isa] = false;
    spin_unlock_irqrestore(&lines_lock, f);
}

static const kobject_ops irq_ops = {
    .type = VX_OBJ_IRQ,
    .create_rights = IRQ_RIGHTS,
    .can_assert = VX_COND_IRQ,
    .conditions = irq_obj_conditions,
    .destroy = irq_destroy,
};

v_status irq_obj_create(unsigned isa, kobject **out)
{
    if (isa >= IO_ISA_IRQS)
        return V_ERR_INVALID_ARGS;
    if (!g_madt.ioapic_phys)
        return V_ERR_NOT_SUPPORTED;
    kirq *q = &lines[isa];
    uint64_t f = spin_lock_irqsave(&lines_lock);
    bool taken = line_used[isa];
    line_used[isa] = true;
    spin_unlock_irqrestore(&lines_lock, f);
    if (taken)
        return V_ERR_BAD_STATE;
    kobject_init(&q->base, &irq_ops);
    q->isa = isa;
    q->gsi = g_madt.isa_gsi[isa];
    q->flags = g_madt.isa_flags[isa];
    q->apic_id = cpus[0].apic_id;
    q->vector = (uint8_t)(VEC_IRQ_BASE + isa);
    __atomic_store_n(&q->pending, false, __ATOMIC_RELEASE);
    /* The vector may also be held by a kernel user of the line. */
    if (!trap_set_handler(q->vector, on_irq, q)) {
        f = spin_lock_irqsave(&lines_lock);
        line_used[isa] = false;
        spin_unlock_irqrestore(&lines_lock, f);
        return V_ERR_BAD_STATE;
    }
    route(q, true);
    *out = &q->base;
    return V_OK;
}

int64_t sys_irq_ack(uint64_t h)
{
    kobject *o;
    vx_rights have;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&task_current()->handles, (uint32_t)h,
                             VX_OBJ_IRQ, &o, &have);
    if (st != V_OK)
        return (int64_t)st;
    int64_t r = VX_ERR_ACCESS_DENIED;
    if (have & VX_RIGHT_MANAGE) {
        kirq *q = (kirq *)o;
        __atomic_store_n(&q->pending, false, __ATOMIC_RELEASE);
        route(q, true);
        r = VX_OK;
    }
    kobject_unref(o);
    return r;
}
