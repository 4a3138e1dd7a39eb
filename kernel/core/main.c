/* kmain: the first C code, entered from boot.S on the boot stack with the
 * boot page tables. Order matters: the console first (so every later step
 * can report), the clock (so the log has timestamps), the boot information
 * (before mm reuses the memory it sits in), the CPU tables (so a fault in
 * mm is reported rather than a triple fault), then memory. */
#include <arch/cpu.h>
#include <k/bench.h>
#include <k/bootinfo.h>
#include <k/clock.h>
#include <k/console.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/sched.h>
#include <k/smp.h>

void kmain(uint64_t mbi);

/* For the boot benchmark (k/bench.h); plain globals so the normal image
 * carries them too at no cost. */
uint64_t bench_boot_tsc_kmain, bench_boot_tsc_ready;

void kmain(uint64_t mbi)
{
    bench_boot_tsc_kmain = rdtsc();
    serial_init();
    clock_early_init();
    kinfo("vectra: kernel starting, TSC %lu MHz",
          clock_tsc_hz() / 1000000u);
    bootinfo_parse(mbi);
    if (bootinfo_has_word("debug"))
        klog_threshold = KLOG_DEBUG;
    arch_cpu_init();
    mm_init();
    arch_interrupts_init();
    sched_init();
    smp_start();
    bench_boot_tsc_ready = rdtsc();
    kernel_run();
    kpanic("kernel_run returned");
}
