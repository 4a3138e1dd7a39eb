/* Starting the application processors (INIT-SIPI-SIPI, one at a time) and
 * the inter-processor interrupts the scheduler uses.
 *
 * The trampoline and its temporary page tables live in the first MiB,
 * which mm never hands out: 0x8000 code, 0x9000 PML4, 0xA000 PDPT,
 * 0xB000 PD. The temporary PML4 shares the kernel's upper half (so the
 * AP can jump into the kernel and use its stack) and adds a 1:1 map of
 * the first 2 MiB for the instructions that turn paging on. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/trap.h>
#include <k/clock.h>
#include <k/cpu.h>
#include <k/kva.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/timer.h>
#include <k/vm.h>
#include <v/mem.h>

#define AP_TRAMPOLINE 0x8000u
#define AP_PML4 0x9000u
#define AP_PDPT 0xA000u
#define AP_PD 0xB000u
#define AP_STACK_PAGES 4

extern const char ap_trampoline[], ap_trampoline_end[], ap_params[];
extern madt_info g_madt;
void ap_entry64(void);
_Noreturn void ap_main(void);

uint64_t ap_kernel_cr3;
static volatile unsigned booting_index;
unsigned smp_online_count = 1;

static void on_resched(trap_frame *f, void *ctx)
{
    (void)f;
    (void)ctx;
    this_cpu()->need_resched = 1;
}

void tlb_ipi(trap_frame *f, void *ctx);

void smp_init_ipis(void)
{
    trap_set_handler(VEC_RESCHED, on_resched, 0);
    trap_set_handler(VEC_TLB, tlb_ipi, 0);
}

void smp_kick(unsigned index)
{
    if (index < smp_cpu_count() && index != this_cpu()->index)
        lapic_send_ipi(cpus[index].apic_id, VEC_RESCHED);
}

int smp_stopping;

/* NMI, so that a CPU spinning with interrupts off stops too; trap.c
 * sees smp_stopping and halts quietly instead of reporting the NMI. */
void smp_stop_others(void)
{
    if (smp_cpu_count() <= 1 ||
        __atomic_exchange_n(&smp_stopping, 1, __ATOMIC_ACQ_REL))
        return;
    lapic_send_ipi(0, (4u << 8) | (3u << 18)); /* NMI, all but self */
    lapic_ipi_wait();
}

void ap_main(void)
{
    unsigned i = booting_index;
    gdt_init_cpu(i);
    idt_load();
    percpu_init(i, 0);
    lapic_init_cpu();
    cpus[i].apic_id = lapic_id();
    timer_init_cpu();
    __atomic_store_n(&cpus[i].online, 1, __ATOMIC_RELEASE);
    sched_start_ap();
}

static void write_trampoline(void)
{
    size_t n = (size_t)(ap_trampoline_end - ap_trampoline);
    v_mem_copy(phys_to_virt(AP_TRAMPOLINE), ap_trampoline, n);
    uint64_t *pml4 = phys_to_virt(AP_PML4);
    uint64_t *pdpt = phys_to_virt(AP_PDPT);
    uint64_t *pd = phys_to_virt(AP_PD);
    v_mem_set(pml4, 0, PAGE_SIZE);
    v_mem_set(pdpt, 0, PAGE_SIZE);
    v_mem_set(pd, 0, PAGE_SIZE);
    const uint64_t *kernel = phys_to_virt(read_cr3() & ~0xfffull);
    for (int k = 256; k < 512; k++)
        pml4[k] = kernel[k];
    pml4[0] = AP_PDPT | 3;
    pdpt[0] = AP_PD | 3;
    pd[0] = 0 | 0x83; /* 2 MiB, present, writable */
    ap_kernel_cr3 = read_cr3();
}

/* The parameter block inside the copied trampoline. */
static uint64_t *params(void)
{
    return phys_to_virt(AP_TRAMPOLINE + (uint64_t)(ap_params - ap_trampoline));
}

static uintptr_t alloc_stack(void)
{
    uintptr_t base = kva_alloc(AP_STACK_PAGES);
    if (!base)
        return 0;
    for (unsigned k = 0; k < AP_STACK_PAGES; k++) {
        uint64_t pa = pmm_alloc();
        if (!pa || vm_map(base + k * PAGE_SIZE, pa, VM_WRITE) != V_OK)
            return 0; /* boot-time only: a failure here is reported */
    }
    return base + AP_STACK_PAGES * PAGE_SIZE;
}

static bool start_one(unsigned index, uint32_t apic_id)
{
    uintptr_t stack = alloc_stack();
    if (!stack) {
        kwarn("smp: no memory for CPU %u's stack", index);
        return false;
    }
    uint64_t *p = params();
    p[0] = AP_PML4;
    p[1] = stack;
    p[2] = (uint64_t)(uintptr_t)ap_entry64;
    booting_index = index;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    lapic_send_ipi(apic_id, 0x4500); /* INIT */
    lapic_ipi_wait();
    clock_spin_ns(10000000);
    for (int sipi = 0; sipi < 2; sipi++) {
        lapic_send_ipi(apic_id, 0x4600 | (AP_TRAMPOLINE >> 12)); /* SIPI */
        lapic_ipi_wait();
        uint64_t until = clock_ns() + (sipi ? 1000000000u : 1000000u);
        while (clock_ns() < until) {
            if (__atomic_load_n(&cpus[index].online, __ATOMIC_ACQUIRE))
                return true;
            cpu_relax();
        }
    }
    kwarn("smp: CPU %u (APIC id %u) did not start", index, apic_id);
    return false;
}

void smp_start(void)
{
    uint32_t self = lapic_id();
    cpus[0].apic_id = self;
    if (g_madt.cpu_count <= 1)
        return;
    write_trampoline();
    unsigned index = 1;
    for (unsigned k = 0; k < g_madt.cpu_count; k++) {
        uint32_t id = g_madt.cpu_apic_ids[k];
        if (id == self)
            continue;
        if (!start_one(index, id))
            break; /* indexes must stay dense */
        __atomic_store_n(&smp_online_count, index + 1, __ATOMIC_RELEASE);
        index++;
    }
    kinfo("smp: %u CPUs online", smp_cpu_count());
}
