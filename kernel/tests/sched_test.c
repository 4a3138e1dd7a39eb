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

/* Two spinners pinned to each CPU. Stated bound: on every CPU, the two
 * were granted the same number of slices, give or take two (strict round
 * robin alternates them; the stop at the end may add one to either).
 * Slices granted is the scheduler's own count (switches_in), not wall
 * time: QEMU's vCPUs are host threads, and a vCPU the host descheduled
 * mid-slice would charge that whole stall to one spinner's run time,
 * while the order the scheduler grants slices in does not depend on the
 * host. Comparing only spinners on the same CPU keeps host scheduling of
 * one vCPU against another out of it too. Without preemption the first
 * spinner on a CPU would keep it: its partner would get no slice and the
 * test would never end (a hang, which run-tests.sh counts as failure). */
#define SPINNERS_PER_CPU 2
#define FAIR_SLICE_SLACK 2
#define FAIR_MIN_SLICES 3 /* one to start, then preempted and resumed */

typedef struct spin_arg {
    volatile int *stop;
    volatile uint64_t count;
    uint64_t runtime;
    uint64_t slices;    /* switches_in at the end */
    volatile uint64_t cpus; /* bit per CPU it was seen running on */
} spin_arg;

static void spinner(void *p)
{
    spin_arg *a = p;
    while (!*a->stop) {
        a->count++; /* never yields: only preemption moves it off */
        /* Read with interrupts on: at worst it names the CPU it ran on
         * a moment before a migration, which is still one it ran on. */
        a->cpus |= 1ull << this_cpu()->index;
    }
    a->runtime = thread_runtime_ns();
    a->slices = thread_current()->switches_in;
}

static void spin_for(thread **t, unsigned n, uint64_t ns,
                     volatile int *stop)
{
    /* The test thread sleeps: on one CPU it gets back only through the
     * timer interrupt preempting a spinner. */
    thread_sleep_ns(ns);
    *stop = 1;
    for (unsigned i = 0; i < n; i++)
        thread_join(t[i]);
}

V_TEST(kernel, sched_preempts_and_is_fair)
{
    volatile int stop = 0;
    enum { MAX = SPINNERS_PER_CPU * MAX_CPUS };
    spin_arg args[MAX];
    thread *t[MAX];
    unsigned cpus_n = smp_cpu_count();
    unsigned spinners = SPINNERS_PER_CPU * cpus_n;
    for (unsigned i = 0; i < spinners; i++) {
        args[i] = (spin_arg){&stop, 0, 0, 0, 0};
        t[i] = thread_create_on("spin", spinner, &args[i],
                                SCHED_PRIO_DEFAULT, i % cpus_n);
        V_ASSERT_NOT_NULL(t[i]);
    }
    spin_for(t, spinners, 1000000000, &stop);
    for (unsigned c = 0; c < cpus_n; c++) {
        const spin_arg *a = &args[c], *b = &args[c + cpus_n];
        V_EXPECT_GT(a->count, 0u);
        V_EXPECT_GT(b->count, 0u);
        V_EXPECT_EQ(a->cpus, 1ull << c);
        V_EXPECT_EQ(b->cpus, 1ull << c);
        uint64_t lo = a->slices < b->slices ? a->slices : b->slices;
        uint64_t hi = a->slices < b->slices ? b->slices : a->slices;
        V_EXPECT_GE(lo, FAIR_MIN_SLICES);
        V_EXPECT_LE(hi - lo, FAIR_SLICE_SLACK);
    }
}

/* Threads created on one CPU spread out: balancing and stealing move
 * them, so they run on more than one CPU and each gets CPU time. Which
 * CPUs and for how long depends on the host (a vCPU may be descheduled
 * for the whole run), so only that is asserted. */
V_TEST(kernel, sched_spreads_threads_created_on_one_cpu)
{
    unsigned cpus_n = smp_cpu_count();
    if (cpus_n < 2)
        return;
    volatile int stop = 0;
    enum { MAX = SPINNERS_PER_CPU * MAX_CPUS };
    spin_arg args[MAX];
    thread *t[MAX];
    unsigned spinners = SPINNERS_PER_CPU * cpus_n;
    for (unsigned i = 0; i < spinners; i++) {
        args[i] = (spin_arg){&stop, 0, 0, 0, 0};
        t[i] = thread_create("spin", spinner, &args[i], SCHED_PRIO_DEFAULT);
        V_ASSERT_NOT_NULL(t[i]);
    }
    spin_for(t, spinners, 300000000, &stop);
    uint64_t seen = 0;
    for (unsigned i = 0; i < spinners; i++) {
        V_EXPECT_GT(args[i].count, 0u);
        V_EXPECT_GT(args[i].runtime, 0u);
        seen |= args[i].cpus;
    }
    V_EXPECT_NE(seen & (seen - 1), 0u); /* two CPUs or more */
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

/* Wakes, and how many of them must beat the slice end. On a loaded host
 * about a quarter do (the rest meet a stall, see below); waiting for the
 * slice end would give none. */
#define HIGH_WAKES 40
#define HIGH_PROMPT_MIN 3

typedef struct high_arg {
    thread *spinner;
    bool in_slice[HIGH_WAKES];
} high_arg;

static void high_sleeper(void *p)
{
    high_arg *a = p;
    for (int i = 0; i < HIGH_WAKES; i++) {
        thread_sleep_ns(2000000);
        /* The spinner is off the CPU (we run on it), so its slice start
         * is stable: did we get the CPU before its slice would end? */
        uint64_t slice_end = a->spinner->last_start + SCHED_SLICE_NS;
        a->in_slice[i] = clock_ns() < slice_end;
    }
}

V_TEST(kernel, sched_high_priority_wakes_through_busy_cpu)
{
    /* A spinner at default priority and a high-priority thread sleeping
     * in 2 ms steps, both pinned to the last CPU: the sleeper must
     * preempt the spinner when it wakes, not wait for the slice to end.
     * Latency in wall time would measure the host too (a descheduled
     * vCPU delays every interrupt), so the test asks the scheduler's
     * own record instead: when the sleeper runs, is the spinner's slice
     * (its last_start plus SCHED_SLICE_NS) still unfinished? Waiting for
     * the slice end never gives that, so a few such wakes show
     * preemption; a host stall of most of a slice around a wake-up
     * spoils that one, so not all are required. The other CPUs stay idle,
     * so the host is not asked for more busy cores than this one. */
    volatile int stop = 0;
    unsigned last = smp_cpu_count() - 1;
    spin_arg arg = {&stop, 0, 0, 0, 0};
    high_arg h_arg = {0, {0}};
    thread *s = thread_create_on("spin", spinner, &arg, SCHED_PRIO_DEFAULT,
                                 last);
    V_ASSERT_NOT_NULL(s);
    h_arg.spinner = s;
    thread *h = thread_create_on("high", high_sleeper, &h_arg, 0, last);
    V_ASSERT_NOT_NULL(h);
    thread_join(h);
    stop = 1;
    thread_join(s);
    unsigned prompt = 0;
    for (int i = 0; i < HIGH_WAKES; i++)
        prompt += h_arg.in_slice[i];
    V_EXPECT_GE(prompt, HIGH_PROMPT_MIN);
    V_EXPECT_GT(arg.count, 0u);
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
