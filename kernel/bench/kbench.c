/* In-kernel benchmarks, run by the test image when booted with "bench"
 * (kernel/bench.sh, under QEMU -icount shift=0). With -icount shift=0
 * QEMU's virtual clock advances exactly 1 ns per guest instruction and
 * the TSC follows it, so a clock_ns() difference over busy code is an
 * instruction count: repeatable, unlike host time. Code measured here
 * never halts (a halted CPU would let the virtual clock jump ahead).
 * No peer runs inside this kernel yet, so these are measurements, not
 * DESIGN.md §8 benchmarks: lines read `measure NAME instructions=N` and
 * `make bench` does not run them. */
#include <arch/cpu.h>
#include <k/bench.h>
#include <k/clock.h>
#include <k/log.h>
#include <k/sched.h>
#include <k/timer.h>

#define REPEATS 5

static uint64_t median(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return v[n / 2];
}

static void report(const char *name, uint64_t ours)
{
    kprintf("measure %s instructions=%lu\n", name, ours);
}

/* ---- context switch: two threads on one CPU yielding to each other ---- */

#define YIELDS 5000

static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < YIELDS; i++)
        thread_yield();
}

static uint64_t one_switch_run(void)
{
    thread *a = thread_create_on("ya", yielder, 0, SCHED_PRIO_DEFAULT, 0);
    thread *b = thread_create_on("yb", yielder, 0, SCHED_PRIO_DEFAULT, 0);
    if (!a || !b)
        return 0;
    uint64_t s0 = sched_context_switches(), t0 = clock_ns();
    thread_join(a); /* the boot thread sleeps; a and b alternate */
    thread_join(b);
    uint64_t t = clock_ns() - t0, s = sched_context_switches() - s0;
    return s ? t / s : 0;
}

/* ---- timer interrupt: extra instructions per interrupt in a busy loop ---- */

#define LOOP_ITERS 2000000u
#define TICK_NS 20000u

static volatile uint64_t ticks;
static volatile int ticking;

static void tick(ktimer *t, void *ctx)
{
    (void)ctx;
    ticks++;
    if (ticking)
        timer_arm(t, clock_ns() + TICK_NS, tick, 0);
}

static uint64_t busy_loop(void)
{
    uint64_t t0 = clock_ns();
    for (volatile uint32_t i = 0; i < LOOP_ITERS; i++)
        ;
    return clock_ns() - t0;
}

static uint64_t one_timer_run(void)
{
    uint64_t quiet = busy_loop();
    static ktimer t = KTIMER_INIT;
    ticks = 0;
    ticking = 1;
    timer_arm(&t, clock_ns() + TICK_NS, tick, 0);
    uint64_t loud = busy_loop();
    ticking = 0;
    uint64_t n = ticks;
    timer_cancel(&t);
    return n && loud > quiet ? (loud - quiet) / n : 0;
}

void bench_run(void)
{
    uint64_t hz = clock_tsc_hz();
    kprintf("# kernel benchmarks: QEMU TCG, -icount shift=0 (1 instruction = "
            "1 ns of virtual time; TSC %lu MHz)\n", hz / 1000000u);
    kprintf("# CPU features used: x86-64 baseline, no SSE/x87 in the kernel; "
            "peer: none yet (a Linux peer comes with the next kernel stage)\n");
    /* Boot: from kmain's first instruction to the scheduler being ready. */
    uint64_t boot = (bench_boot_tsc_ready - bench_boot_tsc_kmain) *
                    1000000000u / hz;
    report("kernel_boot_to_sched_ready", boot);
    uint64_t v[REPEATS];
    one_switch_run(); /* warm-up: stacks, slabs, caches */
    for (int i = 0; i < REPEATS; i++)
        v[i] = one_switch_run();
    report("kernel_context_switch", median(v, REPEATS));
    one_timer_run();
    for (int i = 0; i < REPEATS; i++)
        v[i] = one_timer_run();
    report("kernel_timer_interrupt", median(v, REPEATS));
}
