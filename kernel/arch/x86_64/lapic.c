/* Local APIC, xAPIC (MMIO) mode. The registers are mapped uncached in the
 * kernel virtual area. The timer runs in one-shot mode: core/timer.c
 * programs the next deadline each time, so there is no periodic tick to
 * wake an idle CPU for nothing. */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <k/clock.h>
#include <k/kva.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/vm.h>

#define REG_ID 0x20
#define REG_TPR 0x80
#define REG_EOI 0xB0
#define REG_SVR 0xF0
#define REG_ICR_LO 0x300
#define REG_ICR_HI 0x310
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_LVT_ERROR 0x370
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3E0

#define LVT_MASKED (1u << 16)
#define ICR_PENDING (1u << 12)
#define MSR_APIC_BASE 0x1B

static volatile uint32_t *regs;
static uint64_t timer_hz;
static uint64_t ticks_per_ns_fp; /* 32.32 fixed point */

static uint32_t rd(unsigned r)
{
    return regs[r / 4];
}

static void wr(unsigned r, uint32_t v)
{
    regs[r / 4] = v;
}

void lapic_init(uint64_t phys)
{
    uintptr_t va = kva_alloc(1);
    if (!va || vm_map(va, phys & ~0xfffull, VM_WRITE | VM_NOCACHE) != V_OK)
        kpanic("lapic: cannot map registers at 0x%lx", phys);
    regs = (volatile uint32_t *)(va + (phys & 0xfff));
    lapic_init_cpu();
}

void lapic_init_cpu(void)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11)); /* enable */
    wr(REG_SVR, 0x100 | VEC_SPURIOUS);
    wr(REG_TPR, 0);
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_LVT_ERROR, LVT_MASKED);
    wr(REG_TIMER_DIV, 0x3); /* divide by 16 */
}

uint32_t lapic_id(void)
{
    return rd(REG_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(REG_EOI, 0);
}

bool lapic_ipi_wait(void)
{
    for (unsigned i = 0; i < 1000000; i++) {
        if (!(rd(REG_ICR_LO) & ICR_PENDING))
            return true;
        cpu_relax();
    }
    return false;
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr)
{
    wr(REG_ICR_HI, apic_id << 24);
    wr(REG_ICR_LO, icr);
}

/* Against the TSC clock, over 1 ms, from (count, time) pairs taken back
 * to back at both ends, for the same reason as in tsc_clock.c. */
void lapic_timer_calibrate(void)
{
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_TIMER_INIT, 0xFFFFFFFFu);
    uint32_t c0 = rd(REG_TIMER_CUR);
    uint64_t t0 = clock_ns();
    clock_spin_ns(1000000); /* 62500 ticks at QEMU's rate: ample */
    uint32_t c1 = rd(REG_TIMER_CUR);
    uint64_t t1 = clock_ns();
    wr(REG_TIMER_INIT, 0);
    uint64_t ticks = c0 - c1, dt = t1 - t0;
    if (!ticks || !dt)
        kpanic("lapic: timer does not count");
    timer_hz = ticks * 1000000000u / dt;
    ticks_per_ns_fp = (ticks << 32) / dt; /* ticks < 2^32: no overflow */
    kinfo("lapic: timer %lu kHz (divider 16)", timer_hz / 1000);
}

uint64_t lapic_timer_hz(void)
{
    return timer_hz;
}

void lapic_timer_oneshot(uint64_t ns)
{
    uint64_t t = (uint64_t)(((unsigned __int128)ns * ticks_per_ns_fp) >> 32);
    if (t == 0)
        t = 1;
    if (t > 0xFFFFFFFFu)
        t = 0xFFFFFFFFu; /* fires early; the timer code re-arms */
    wr(REG_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
    wr(REG_TIMER_INIT, (uint32_t)t);
}
