/* Threads of a Task, from ring 3 (kernel/tests/uthread_test.c): the
 * 64-thread limit, stacks of their own, slots reused, and how a Task
 * with several threads ends (a fault in one, exit from one, a kill, the
 * last thread returning). Also the FPU/SSE checks that need threads. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int uthreads(void);
int uthread_fault(void);
int uthread_exit(void);
int uthreads_spin(void);
int uthreads_last(void);
int ufpu(uint64_t seed);
int ufpu_threads(uint64_t seed);

int ufpu_hold(uint64_t seed, uint64_t rounds);
int ufpu_is_clean(void);
void ufpu_dirty(void);

#define ACQ __ATOMIC_ACQUIRE
#define REL __ATOMIC_RELEASE

/* Sleeps about 200 us (a vx_wait that times out). */
static void nap(void)
{
    uint64_t p;
    vx_status st = vx_wait(UINT64_C(1) << 61, vx_clock_monotonic() + 200000,
                           &p);
    (void)st; /* TIMED_OUT: nobody raises that bit */
}

/* Naps until *v reaches want; false after about 10 s. */
static bool await(volatile uint32_t *v, uint32_t want)
{
    for (int i = 0; i < 50000; i++) {
        if (__atomic_load_n(v, ACQ) >= want)
            return true;
        nap();
    }
    return false;
}

static volatile uint32_t started, finished;
static uintptr_t stack_of[UTEST_THREADS_MAX];

/* Signal bits: the threads are all ready / one was let go and finished /
 * one more may go. Waits without deadlines: a wait that wakes on a timer
 * wakes every waiter of the kernel (one global wake-up), which with 64
 * threads napping would cost minutes under TCG. */
#define BIT_READY 40
#define BIT_DONE 41
#define BIT_GO 42

static void raise_bit(unsigned bit)
{
    vx_status st = vx_signal_raise_self(UINT64_C(1) << bit);
    (void)st; /* cannot fail: the Task runs, bits is not 0 */
}

static bool wait_bit(unsigned bit)
{
    uint64_t p;
    return vx_wait(UINT64_C(1) << bit, VX_TIME_INFINITE, &p) == VX_OK;
}

static void parked(void *arg)
{
    uintptr_t i = (uintptr_t)arg;
    volatile int local = 0;
    stack_of[i] = (uintptr_t)&local;
    if (__atomic_add_fetch(&started, 1, REL) == UTEST_THREADS_MAX - 1)
        raise_bit(BIT_READY);
    /* A raised bit goes to exactly one waiter: one thread per raise. */
    if (!wait_bit(BIT_GO))
        return;
    __atomic_add_fetch(&finished, 1, REL);
    raise_bit(BIT_DONE);
}

static void count(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&finished, 1, REL);
    raise_bit(BIT_DONE);
}

int uthreads(void)
{
    if (vx_thread_start(0, 0) != VX_ERR_INVALID_ARGS)
        return 1;
    /* The first thread and 63 more make the 64 of docs/substrate.md §10. */
    for (uintptr_t i = 1; i < UTEST_THREADS_MAX; i++)
        if (vx_thread_start(parked, (void *)i) != VX_OK)
            return 2;
    if (vx_thread_start(parked, 0) != VX_ERR_LIMIT)
        return 3;
    if (!wait_bit(BIT_READY) || started != UTEST_THREADS_MAX - 1)
        return 4;
    /* Each has a stack of its own (the local sits in the top page of a
     * MiB of its own), none the first thread's. */
    volatile int mine = 0;
    for (int i = 1; i < UTEST_THREADS_MAX; i++) {
        uintptr_t a = stack_of[i];
        if (a >> 20 == (uintptr_t)&mine >> 20)
            return 5;
        for (int j = 1; j < i; j++)
            if (a >> 20 == stack_of[j] >> 20)
                return 6;
    }
    for (uint32_t k = 1; k < UTEST_THREADS_MAX; k++) {
        if (vx_signal_raise_self(UINT64_C(1) << BIT_GO) != VX_OK)
            return 7;
        while (__atomic_load_n(&finished, ACQ) < k)
            if (!wait_bit(BIT_DONE))
                return 8;
    }
    /* Ended threads give their slots back: far more than 64 in turn. */
    for (uint32_t k = 0; k < 200; k++) {
        vx_status st;
        while ((st = vx_thread_start(count, 0)) == VX_ERR_LIMIT)
            nap(); /* the previous ones may still be on their way out */
        if (st != VX_OK)
            return 9;
        while (__atomic_load_n(&finished, ACQ) < UTEST_THREADS_MAX + k)
            if (!wait_bit(BIT_DONE))
                return 10;
    }
    return 0;
}

static void crash(void *arg)
{
    (void)arg;
    nap();
    *(volatile uint64_t *)0 = 1;
}

int uthread_fault(void)
{
    if (vx_thread_start(crash, 0) != VX_OK)
        return 1;
    for (;;) /* ended by the other thread's fault */
        nap();
}

static void spin(void *arg)
{
    __atomic_add_fetch((volatile uint32_t *)arg, 1, REL);
    for (;;)
        __asm__ volatile("" ::: "memory");
}

int uthread_exit(void)
{
    for (int i = 0; i < 3; i++)
        if (vx_thread_start(spin, (void *)&started) != VX_OK)
            return 1;
    if (!await(&started, 3))
        return 2;
    return UTEST_THREAD_EXIT_CODE; /* ends every thread */
}

int uthreads_spin(void)
{
    for (int i = 0; i < 3; i++)
        if (vx_thread_start(spin, (void *)&started) != VX_OK)
            return 1;
    spin((void *)&started); /* until killed */
    return 2;
}

static void late(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++)
        nap();
}

int uthreads_last(void)
{
    if (vx_thread_start(late, 0) != VX_OK)
        return 1;
    /* The first thread ends alone; the Task lives on in the other one
     * and ends EXITED 0 when that returns. */
    usys2(SYS_THREAD_EXIT, 0, 0);
    return 2;
}

int ufpu(uint64_t seed)
{
    return ufpu_hold(seed << 24, UTEST_FPU_ROUNDS);
}

static volatile uint32_t fpu_done;
static int fpu_result;

static void fpu_thread(void *arg)
{
    /* First thing: nothing of the creator's dirty state may show. */
    int dirty = ufpu_is_clean();
    int r = ufpu_hold((uint64_t)(uintptr_t)arg, UTEST_FPU_ROUNDS);
    fpu_result = dirty ? 100 : r;
    __atomic_store_n(&fpu_done, 1, REL);
}

int ufpu_threads(uint64_t seed)
{
    ufpu_dirty();
    if (vx_thread_start(fpu_thread, (void *)(uintptr_t)((seed << 24) | 1 << 20)) !=
        VX_OK)
        return 200;
    int r = ufpu_hold(seed << 24, UTEST_FPU_ROUNDS);
    if (!await(&fpu_done, 1))
        return 201;
    return r ? r : fpu_result;
}
