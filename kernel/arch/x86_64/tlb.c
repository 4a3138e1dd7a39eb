/* TLB shootdown. Changing a mapping must not leave another CPU using the
 * old translation, so after the local invlpg every other online CPU is
 * asked (by IPI) to drop the page too, and the caller waits until all
 * have. One request at a time (shoot_lock).
 *
 * Deadlock rule: a CPU waiting here for acknowledgements must not be
 * needed by anyone else, so this is never called with a spinlock held
 * (vm_unmap/vm_protect drop their lock first), and a CPU that spins for
 * shoot_lock keeps serving requests aimed at itself while it waits, since
 * with interrupts off the IPI itself cannot reach it. */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <k/cpu.h>
#include <k/smp.h>
#include <k/spinlock.h>
#include <k/tlb.h>

static spinlock shoot_lock = SPINLOCK_INIT;
static volatile uintptr_t shoot_va;
static volatile size_t shoot_pages;
static unsigned shoot_pending;
static volatile int wanted[MAX_CPUS];
static uint64_t shootdowns;

/* Drops the requested page on this CPU if a request is waiting for it. */
static void serve(void)
{
    unsigned me = this_cpu()->index;
    if (__atomic_exchange_n(&wanted[me], 0, __ATOMIC_ACQ_REL)) {
        for (size_t i = 0; i < shoot_pages; i++)
            invlpg(shoot_va + i * 4096);
        __atomic_fetch_sub(&shoot_pending, 1, __ATOMIC_RELEASE);
    }
}

void tlb_ipi(trap_frame *f, void *ctx);
void tlb_ipi(trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    serve();
}

void tlb_flush_page(uintptr_t va)
{
    tlb_flush_range(va, 1);
}

void tlb_flush_range(uintptr_t va, size_t pages)
{
    for (size_t i = 0; i < pages; i++)
        invlpg(va + i * 4096);
    unsigned n = smp_cpu_count();
    if (n <= 1)
        return;
    uint64_t flags = read_rflags();
    irq_disable();
    while (!spin_trylock(&shoot_lock)) {
        serve();
        cpu_relax();
    }
    unsigned me = this_cpu()->index;
    shoot_va = va;
    shoot_pages = pages;
    __atomic_store_n(&shoot_pending, n - 1, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < n; i++) {
        if (i == me)
            continue;
        __atomic_store_n(&wanted[i], 1, __ATOMIC_RELEASE);
        lapic_send_ipi(cpus[i].apic_id, VEC_TLB);
    }
    while (__atomic_load_n(&shoot_pending, __ATOMIC_ACQUIRE))
        cpu_relax();
    shootdowns++;
    spin_unlock(&shoot_lock);
    if (flags & RFLAGS_IF)
        irq_enable();
}

uint64_t tlb_shootdowns(void)
{
    return shootdowns;
}
