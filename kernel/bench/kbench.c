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
#include <k/region.h>
#include <k/task.h>
#include <k/timer.h>
#include <k/user_images.h>
#include "../user/utest.h"

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

/* ---- user Tasks: null syscall, spawn to exit ---- */

/* Runs utest in mode; its exit code, or -1. *ns gets spawn to reaped. */
static int32_t utest_run(uint64_t mode, uint64_t *ns)
{
    task *t;
    const char *why;
    uint64_t t0 = clock_ns();
    if (task_spawn("utest", user_utest_image,
                   user_image_size(user_utest_image, user_utest_image_end),
                   mode, &t, &why) != V_OK)
        return -1;
    task_wait(t);
    int32_t code = t->state == TASK_EXITED ? t->exit_code : -1;
    task_destroy(t);
    if (ns)
        *ns = clock_ns() - t0;
    return code;
}

/* utest as a parent with its own image as Region "image" (for benches
 * that spawn a peer Task); its exit code, or -1. */
static int32_t utest_parent(uint64_t m)
{
    size_t len = user_image_size(user_utest_image, user_utest_image_end);
    task *t;
    kobject *img, *mode;
    const char *why;
    if (task_create("parent", user_utest_image, len, TASK_QUOTA_BYTES,
                    TASK_HANDLE_LIMIT, &t, &why) != V_OK)
        return -1;
    if (region_create((len + 4095) & ~4095ull, t->quota, &img) != V_OK ||
        region_create(4096, t->quota, &mode) != V_OK) {
        kobject_unref(&t->base);
        return -1;
    }
    region_write_kernel(img, 0, user_utest_image, len);
    region_write_kernel(mode, 0, &m, sizeof m);
    int32_t code = -1;
    if (task_add_initial(t, "image", img, img->ops->create_rights) == V_OK &&
        task_add_initial(t, "mode", mode, mode->ops->create_rights) == V_OK &&
        task_start(t, 0) == V_OK) {
        task_wait(t);
        code = t->state == TASK_EXITED ? t->exit_code : -1;
    }
    kobject_unref(&t->base);
    return code;
}

static void bench_user(void)
{
    uint64_t v[REPEATS];
    utest_run(UTEST_NULL_LOOP, 0);
    for (int i = 0; i < REPEATS; i++)
        v[i] = (uint64_t)utest_run(UTEST_NULL_LOOP, 0);
    report("native_null_syscall", median(v, REPEATS));
    utest_run(UTEST_EXIT0, 0);
    for (int i = 0; i < REPEATS; i++)
        utest_run(UTEST_EXIT0, &v[i]);
    report("native_task_spawn_exit_wait", median(v, REPEATS));
    utest_parent(UTEST_BENCH_RING);
    for (int i = 0; i < REPEATS; i++)
        v[i] = (uint64_t)(int64_t)utest_parent(UTEST_BENCH_RING);
    report("native_ring_round_trip_64b", median(v, REPEATS));
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
    bench_user();
}
