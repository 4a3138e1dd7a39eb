/* In-kernel benchmarks, run by the test image when booted with "bench"
 * (kernel/bench.sh, under QEMU -icount shift=0). With -icount shift=0
 * QEMU's virtual clock advances exactly 1 ns per guest instruction and
 * the TSC follows it, so a clock_ns() difference over busy code is an
 * instruction count: repeatable, unlike host time. Code measured here
 * never halts (a halted CPU would let the virtual clock jump ahead).
 * Lines read `measure NAME instructions=N`. `make bench` runs them beside
 * the Linux peer (kernel/bench/native.sh pairs the lines): null syscall,
 * 64-byte ring round trip, signal raise-to-wake and spawn from user mode
 * do the same work as the peer's getppid, pipe ping-pong, eventfd (and
 * futex) wake and fork + exit + wait, with counts from params.h. The
 * rest (context switch, timer interrupt, boot, spawn from the kernel)
 * have no peer: measurements, not DESIGN.md section 8 benchmarks. */
#include <arch/cpu.h>
#include <k/bench.h>
#include <k/bootinfo.h>
#include <k/clock.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/sched.h>
#include <k/region.h>
#include <k/task.h>
#include <k/timer.h>
#include <k/user_images.h>
#include <v/mem.h>
#include "../user/utest.h"
#include "params.h"
#include "user/ubench.h"

#define REPEATS NB_REPEATS

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
    /* The same round trip without vx_ring_send_recv (send, wait and
     * receive apart on each side: 6 calls), kept visible beside it. */
    utest_parent(UTEST_BENCH_RING_6);
    for (int i = 0; i < REPEATS; i++)
        v[i] = (uint64_t)(int64_t)utest_parent(UTEST_BENCH_RING_6);
    report("native_ring_round_trip_64b_6calls", median(v, REPEATS));
}

/* ---- ubench, a boot module (kernel/bench.sh passes it with -initrd):
 * signal raise-to-wake, spawn from user mode, the clock check ---- */

static const char UBENCH_NAME[] = "ubench.elf";

/* The module whose name (QEMU gives the file's path) ends in ubench.elf. */
static const boot_module *ubench_module(void)
{
    size_t n = sizeof UBENCH_NAME - 1;
    for (size_t i = 0; i < g_boot.module_count; i++) {
        const char *name = g_boot.modules[i].name;
        size_t len = v_cstr_len(name);
        if (len >= n && v_mem_equal(name + len - n, UBENCH_NAME, n))
            return &g_boot.modules[i];
    }
    return 0;
}

static v_status ubench_create(const boot_module *m, const char *name,
                              task **out)
{
    const char *why;
    return task_create(name, phys_to_virt(m->start), m->end - m->start,
                       TASK_QUOTA_BYTES, TASK_HANDLE_LIMIT, out, &why);
}

/* Ends t (started or not) and gives its exit code, or -1. */
static int32_t ubench_finish(task *t, bool started)
{
    int32_t code = -1;
    if (started) {
        task_wait(t);
        code = t->state == TASK_EXITED ? t->exit_code : -1;
    }
    kobject_unref(&t->base);
    return code;
}

/* ubench in mode, given its own image as Region "image" if with_image. */
static int32_t ubench_run(const boot_module *m, uint64_t mode, bool with_image)
{
    task *t;
    if (ubench_create(m, "ubench", &t) != V_OK)
        return -1;
    if (with_image) {
        size_t len = m->end - m->start;
        kobject *img;
        if (region_create((len + 4095) & ~4095ull, t->quota, &img) != V_OK)
            return ubench_finish(t, false);
        region_write_kernel(img, 0, phys_to_virt(m->start), len);
        if (task_add_initial(t, "image", img, img->ops->create_rights) != V_OK)
            return ubench_finish(t, false);
    }
    return ubench_finish(t, task_start(t, mode) == V_OK);
}

/* Two Tasks each holding the other as initial handle "peer" (each handle
 * holds a reference; both go when the Tasks end and close their tables).
 * The ping Task's exit code is the result. */
static int32_t ubench_signal(const boot_module *m)
{
    task *ping, *pong;
    if (ubench_create(m, "ping", &ping) != V_OK)
        return -1;
    if (ubench_create(m, "pong", &pong) != V_OK)
        return ubench_finish(ping, false);
    kobject_ref(&pong->base);
    kobject_ref(&ping->base);
    vx_rights r = ping->base.ops->create_rights;
    if (task_add_initial(ping, "peer", &pong->base, r) != V_OK ||
        task_add_initial(pong, "peer", &ping->base, r) != V_OK ||
        task_start(pong, UBENCH_SIG_PONG) != V_OK) {
        ubench_finish(pong, false);
        return ubench_finish(ping, false);
    }
    bool ping_ok = task_start(ping, UBENCH_SIG_PING) == V_OK;
    if (!ping_ok)
        task_kill(pong);
    int32_t code = ubench_finish(ping, ping_ok);
    return ubench_finish(pong, true) == 0 ? code : -1;
}

/* Warm-up, then the median of REPEATS runs of one ubench measurement;
 * a failed run (negative exit code) is reported instead of a figure. */
static void ubench_report(const char *name, const boot_module *m,
                          uint64_t mode, bool with_image)
{
    uint64_t v[REPEATS];
    int32_t r = mode == UBENCH_SIG_PING ? ubench_signal(m)
                                        : ubench_run(m, mode, with_image);
    for (int i = 0; i < REPEATS && r >= 0; i++) {
        r = mode == UBENCH_SIG_PING ? ubench_signal(m)
                                    : ubench_run(m, mode, with_image);
        v[i] = (uint64_t)r;
    }
    if (r < 0)
        kprintf("# %s: ubench failed (exit code %d)\n", name, r);
    else if (mode == UBENCH_CALIBRATE)
        kprintf("# clock check (ours): a loop of %u instructions in a user "
                "Task took %lu ns of vx_clock_monotonic time (median of %d)\n",
                2u * NB_CALIB_LOOPS, median(v, REPEATS), REPEATS);
    else
        report(name, median(v, REPEATS));
}

static void bench_ubench(void)
{
    const boot_module *m = ubench_module();
    if (!m) {
        kprintf("# no %s boot module: signal and user-mode spawn not "
                "measured\n", UBENCH_NAME);
        return;
    }
    ubench_report("clock_check", m, UBENCH_CALIBRATE, false);
    ubench_report("native_signal_raise_to_wake", m, UBENCH_SIG_PING, false);
    ubench_report("native_task_spawn_user", m, UBENCH_SPAWN, true);
    ubench_report("part_ring_send_recv_64b", m, UBENCH_PART_SEND_RECV, false);
    ubench_report("part_ring_recv_empty", m, UBENCH_PART_RECV_EMPTY, false);
    ubench_report("part_signal_raise_self_wait", m, UBENCH_PART_RAISE_WAIT, false);
}

void bench_run(void)
{
    uint64_t hz = clock_tsc_hz();
    kprintf("# kernel benchmarks: QEMU TCG, -icount shift=0 (1 instruction = "
            "1 ns of virtual time; TSC %lu MHz)\n", hz / 1000000u);
    kprintf("# CPU features used: x86-64 baseline, no SSE/x87 in the kernel "
            "or its user programs; SMEP/SMAP if the CPU model offers them\n");
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
    bench_ubench();
}
