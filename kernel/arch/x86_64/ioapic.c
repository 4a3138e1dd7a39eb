/* The I/O APIC: device interrupt inputs (GSIs) routed to CPU vectors.
 * Everything starts masked; drivers route what they own. One lock, since
 * each entry is written as two 32-bit halves through one index register. */
#include <arch/apic.h>
#include <k/kva.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/spinlock.h>
#include <k/vm.h>

static volatile uint32_t *regs;
static uint32_t gsi_base;
static unsigned inputs;
static spinlock lock = SPINLOCK_INIT;

static uint32_t rd(uint32_t r)
{
    regs[0] = r;
    return regs[4];
}

static void wr(uint32_t r, uint32_t v)
{
    regs[0] = r;
    regs[4] = v;
}

void ioapic_init(uint64_t phys, uint32_t base)
{
    uintptr_t va = kva_alloc(1);
    if (!va || vm_map(va, phys & ~0xfffull, VM_WRITE | VM_NOCACHE) != V_OK)
        kpanic("ioapic: cannot map registers at 0x%lx", phys);
    regs = (volatile uint32_t *)(va + (phys & 0xfff));
    gsi_base = base;
    inputs = ((rd(1) >> 16) & 0xff) + 1;
    for (unsigned i = 0; i < inputs; i++) {
        wr(0x10 + 2 * i, 1u << 16); /* masked */
        wr(0x11 + 2 * i, 0);
    }
    kinfo("ioapic: %u inputs from GSI %u, all masked", inputs, base);
}

unsigned ioapic_inputs(void)
{
    return inputs;
}

bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id,
                  uint16_t flags, bool enable)
{
    if (!regs || gsi < gsi_base || gsi - gsi_base >= inputs)
        return false;
    unsigned i = gsi - gsi_base;
    uint32_t lo = vector;
    if ((flags & 3) == 3)
        lo |= 1u << 13; /* active low */
    if (((flags >> 2) & 3) == 3)
        lo |= 1u << 15; /* level triggered */
    if (!enable)
        lo |= 1u << 16;
    uint64_t f = spin_lock_irqsave(&lock);
    wr(0x10 + 2 * i, 1u << 16); /* mask while changing */
    wr(0x11 + 2 * i, apic_id << 24);
    wr(0x10 + 2 * i, lo);
    spin_unlock_irqrestore(&lock, f);
    return true;
}

uint64_t ioapic_entry(uint32_t gsi)
{
    if (!regs || gsi < gsi_base || gsi - gsi_base >= inputs)
        return 0;
    unsigned i = gsi - gsi_base;
    uint64_t f = spin_lock_irqsave(&lock);
    uint64_t v = rd(0x10 + 2 * i) | (uint64_t)rd(0x11 + 2 * i) << 32;
    spin_unlock_irqrestore(&lock, f);
    return v;
}
