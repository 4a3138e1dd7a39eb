/* Threads and the scheduler: create/join, preemption and fairness within
 * a stated bound, priorities, sleeping, and work spreading over CPUs. */
#include <arch/cpu.h>
#include <k/clock.h>
#include <k/cpu.h>
#include <k/heap.h>
#include <k/pmm.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/vm.h>
#include <v/test.h>

static void set_flag(void *arg)
{
    *(volatile int *)arg = 1;
}

/* Frames in use outside page tables (which are never freed). */
static uint64_t frames_used(void)
{
    return pmm_total_frames() - pmm_free_frames() - vm_table_frames();
}

V_TEST(kernel, thread_create_run_join)
{
    heap_trim();
    uint64_t before = frames_used();
    for (int i = 0; i < 20; i++) {
        volatile int ran = 0;
        thread *t = thread_create("t", set_flag, (void *)&ran,
                                  SCHED_PRIO_DEFAULT);
        V_ASSERT_NOT_NULL(t);
        thread_join(t);
        V_EXPECT_EQ(ran, 1);
    }
    heap_trim();
    V_EXPECT_EQ(frames_used(), before); /* stacks and structs freed */
}

/* ---- fairness: equal-priority spinners share the CPUs ---- */

/* Two spinners per CPU (so every CPU shares, and balancing must spread
 * threads created on one CPU). Stated bound: over the run, the
 * least-served spinner gets at least half the CPU time of the
 * most-served one. CPU time is the scheduler's own accounting: counting
 * loop iterations would measure the host, which may run fewer host
 * cores than QEMU has virtual CPUs. */
#define SPINNERS_PER_CPU 2
#define FAIRNESS_MIN_PERCENT 50

typedef struct spin_arg {
    volatile int *stop;
    volatile uint64_t count;
    uint64_t runtime;
} spin_arg;

static void spinner(void *p)
{
    spin_arg *a = p;
    while (!*a->stop)
        a->count++; /* never yields: only preemption moves it off */
    a->runtime = thread_runtime_ns();
}

V_TEST(kernel, sched_preempts_and_is_fair)
{
    volatile int stop = 0;
    enum { MAX = SPINNERS_PER_CPU * MAX_CPUS };
    spin_arg args[MAX];
    thread *t[MAX];
    unsigned spinners = SPINNERS_PER_CPU * smp_cpu_count();
    for (unsigned i = 0; i < spinners; i++) {
        args[i].stop = &stop;
        args[i].count = 0;
        t[i] = thread_create("spin", spinner, &args[i], SCHED_PRIO_DEFAULT);
        V_ASSERT_NOT_NULL(t[i]);
    }
    /* The test thread sleeps: it gets back only through the timer
     * interrupt preempting a spinner, so returning at all shows
     * preemption works. */
    thread_sleep_ns(1000000000);
    stop = 1;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned i = 0; i < spinners; i++) {
        thread_join(t[i]);
        V_EXPECT_GT(args[i].count, 0u);
        if (args[i].runtime < lo)
            lo = args[i].runtime;
        if (args[i].runtime > hi)
            hi = args[i].runtime;
    }
    V_EXPECT_GT(lo, 0u);
    V_EXPECT_GE(lo * 100, hi * FAIRNESS_MIN_PERCENT);
}

/* ---- priorities ---- */

static volatile int order_seq;

typedef struct order_arg {
    volatile int *stop;
    volatile int order;
} order_arg;

static void note_order(void *p)
{
    order_arg *a = p;
    a->order = __atomic_add_fetch(&order_seq, 1, __ATOMIC_SEQ_CST);
}

V_TEST(kernel, sched_runs_higher_priority_first)
{
    if (smp_cpu_count() > 1)
        return; /* other CPUs would steal: order is only defined on one */
    order_arg lo = {0, 0}, hi = {0, 0};
    order_seq = 0;
    irq_disable(); /* neither may start before both are queued */
    thread *a = thread_create("low", note_order, &lo, SCHED_PRIOS - 1);
    thread *b = thread_create("high", note_order, &hi, 0);
    irq_enable();
    V_ASSERT(a && b);
    thread_join(a);
    thread_join(b);
    V_EXPECT_EQ(hi.order, 1);
    V_EXPECT_EQ(lo.order, 2);
}

#define HIGH_WAKES 11

static void high_sleeper(void *p)
{
    uint64_t *late = p;
    for (int i = 0; i < HIGH_WAKES; i++) {
        uint64_t want = clock_ns() + 2000000;
        thread_sleep_until(want);
        late[i] = clock_ns() - want;
    }
}

V_TEST(kernel, sched_high_priority_wakes_through_busy_cpu)
{
    /* A spinner at default priority and a high-priority thread sleeping
     * in 2 ms steps, both pinned to the last CPU: the sleeper must wake
     * promptly each time (it preempts the spinner; it does not wait for
     * the slice to end). The other CPUs stay idle, so the host is not
     * asked for more busy cores than this one. */
    volatile int stop = 0;
    unsigned last = smp_cpu_count() - 1;
    spin_arg arg = {&stop, 0, 0};
    thread *s = thread_create_on("spin", spinner, &arg, SCHED_PRIO_DEFAULT,
                                 last);
    V_ASSERT_NOT_NULL(s);
    uint64_t late[HIGH_WAKES] = {0};
    thread *h = thread_create_on("high", high_sleeper, late, 0, last);
    V_ASSERT_NOT_NULL(h);
    thread_join(h);
    stop = 1;
    thread_join(s);
    /* Stated bound: the median wake-up latency is under 5 ms, half a
     * slice (waiting for the spinner's slice to end would take up to
     * 10 ms). The median, because the emulated CPU shares a host that
     * may stall any single wake-up. */
    for (int i = 1; i < HIGH_WAKES; i++) /* insertion sort */
        for (int j = i; j > 0 && late[j - 1] > late[j]; j--) {
            uint64_t x = late[j];
            late[j] = late[j - 1];
            late[j - 1] = x;
        }
    if (!V_EXPECT_LT(late[HIGH_WAKES / 2], 5000000u)) {
        for (int i = 0; i < HIGH_WAKES; i++)
            V_EXPECT_EQ(late[i], 0u); /* shows every latency */
    }
}

static void record_cpu(void *p)
{
    *(volatile int *)p = (int)this_cpu()->index;
}

V_TEST(kernel, thread_pinned_runs_only_on_its_cpu)
{
    unsigned n = smp_cpu_count();
    for (unsigned c = 0; c < n; c++) {
        volatile int ran_on = -1;
        thread *t = thread_create_on("pinned", record_cpu, (void *)&ran_on,
                                     SCHED_PRIO_DEFAULT, c);
        V_ASSERT_NOT_NULL(t);
        thread_join(t);
        V_EXPECT_EQ(ran_on, (int)c);
    }
    V_EXPECT_NULL(thread_create_on("none", record_cpu, 0, 0, n));
}

V_TEST(kernel, sched_yield_switches_between_threads)
{
    uint64_t before = sched_context_switches();
    volatile int ran = 0;
    thread *t = thread_create("y", set_flag, (void *)&ran, SCHED_PRIO_DEFAULT);
    V_ASSERT_NOT_NULL(t);
    while (!ran)
        thread_yield();
    thread_join(t);
    V_EXPECT_GT(sched_context_switches(), before);
}
