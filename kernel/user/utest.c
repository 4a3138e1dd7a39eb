/* The user program the in-kernel tests spawn (kernel/tests/user_test.c).
 * The spawn argument picks what it does; see UTEST_* in utest.h. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/status.h>

/* A byte the compiler cannot see through, for faults it must not fold. */
static uint64_t opaque(uint64_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

static int bad_arguments(void)
{
    static const char ok[] = "x";
    /* Each check's number is the exit code if it fails. */
    if (udebug(0, 5) != VX_ERR_INVALID_ARGS)
        return 1;
    if (udebug((const char *)0xffffffff80100000ull, 5) != VX_ERR_INVALID_ARGS)
        return 2; /* kernel memory */
    if (udebug((const char *)0x20000000ull, 5) != VX_ERR_INVALID_ARGS)
        return 3; /* unmapped user memory */
    if (udebug(ok, 100000) != VX_ERR_INVALID_ARGS)
        return 4; /* too long */
    if (udebug((const char *)0x00007ffffffffff0ull, 5) != VX_ERR_INVALID_ARGS)
        return 5; /* runs past the user area */
    if (udebug((const char *)0x8000000000000000ull, 5) != VX_ERR_INVALID_ARGS)
        return 6; /* non-canonical */
    /* 7 and 8 were unknown call numbers, which now kill the Task
     * (UTEST_BAD_SYSCALL). */
    if (udebug(ok, 0) != VX_OK || udebug(0, 0) != VX_OK)
        return 9; /* length 0: the pointer is never looked at */
    if (udebug(ok, 1) != VX_OK)
        return 10;
    uint64_t r[2] = {0, 0};
    if (usys2(SYS_ENTROPY_READ, 0, 1) != VX_ERR_INVALID_ARGS ||
        usys2(SYS_ENTROPY_READ, (uint64_t)(uintptr_t)r, 257) != VX_ERR_INVALID_ARGS ||
        usys2(SYS_ENTROPY_READ, 0x20000000, 8) != VX_ERR_INVALID_ARGS ||
        usys2(SYS_ENTROPY_READ, (uint64_t)(uintptr_t)r, 16) != VX_OK ||
        (r[0] == 0 && r[1] == 0) || r[0] == r[1])
        return 11; /* entropy: bounds, and 128 bits that are not all 0 */
    return 0;
}

static int registers_survive(void)
{
    /* Callee-saved registers must come back from a syscall unchanged. */
    uint64_t rbx = 0x1111, r12 = 0x2222, r13 = 0x3333, r14 = 0x4444,
             r15 = 0x5555, rbp_ok = 0;
    __asm__ volatile("push %%rbp\n\t"
                     "mov $0x6666, %%rbp\n\t"
                     "mov %[n], %%eax\n\t"
                     "syscall\n\t"
                     "cmp $0x6666, %%rbp\n\t"
                     "sete %b[ok]\n\t"
                     "pop %%rbp"
                     : "+b"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15),
                       [ok] "+d"(rbp_ok)
                     : [n] "i"(SYS_NULL)
                     : "rax", "rcx", "r11", "memory");
    if (rbx != 0x1111 || r12 != 0x2222 || r13 != 0x3333 || r14 != 0x4444 ||
        r15 != 0x5555 || !rbp_ok)
        return 1;
    /* The clock never goes back, across many calls (and preemptions). */
    uint64_t last = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t now = (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
        if (now < last)
            return 2;
        last = now;
    }
    return 0;
}

/* Under QEMU -icount shift=0 the clock counts instructions, so this is
 * the instruction cost of one null syscall round trip (plus a loop step). */
static int null_loop(void)
{
    uint64_t t0 = (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
    for (int i = 0; i < UTEST_NULL_CALLS; i++)
        (void)usys2(SYS_NULL, 0, 0);
    uint64_t t1 = (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
    return (int)((t1 - t0) / UTEST_NULL_CALLS);
}

int uhandles(void);
int uhandle_limit(void);
int uleak_handles(void);
int uregions(void);
int uregion_use_after_unmap(void);
int uregion_leak(void);
int utasks(void);
int usignals(void);
int uwait_forever(void);
int urings(void);
int uecho(void);
int uecho_call(void);
int uring_bench(bool call);
uint64_t umode(uint64_t arg);
int uthreads(void);
int uthread_fault(void);
int uthread_exit(void);
int uthreads_spin(void);
int uthreads_last(void);
int ufpu(uint64_t seed);
int ufpu_threads(uint64_t seed);
int urevoke_race(void);
int uio(void);
int uio_none(void);

int umain(uint64_t arg)
{
    /* The low 32 bits pick the mode; some modes take more above. */
    uint64_t m = umode(arg);
    switch (m & 0xffffffffu) {
    case UTEST_HELLO:
        uputs("hello from utest");
        return UTEST_HELLO_CODE;
    case UTEST_NULL_READ:
        return (int)*(volatile uint64_t *)opaque(0);
    case UTEST_NULL_WRITE:
        *(volatile uint64_t *)opaque(8) = 1;
        return 0;
    case UTEST_PRIVILEGED:
        __asm__ volatile("hlt");
        return 0;
    case UTEST_DIVIDE: {
        uint64_t lo = 1, hi = 0, d = opaque(0);
        __asm__ volatile("divq %2" : "+a"(lo), "+d"(hi) : "r"(d));
        return (int)lo;
    }
    case UTEST_JUMP_KERNEL:
        ((void (*)(void))opaque(UTEST_KERNEL_ADDR))();
        return 0;
    case UTEST_READ_KERNEL:
        return (int)*(volatile uint64_t *)opaque(UTEST_KERNEL_ADDR);
    case UTEST_WRITE_TEXT:
        *(volatile uint8_t *)opaque((uint64_t)(uintptr_t)&umain) = 0xc3;
        return 0;
    case UTEST_EXEC_STACK: {
        volatile uint8_t code[16] = {0xc3}; /* ret, on a no-exec page */
        ((void (*)(void))opaque((uint64_t)(uintptr_t)code))();
        return 0;
    }
    case UTEST_BAD_ARGS:
        return bad_arguments();
    case UTEST_REGISTERS:
        return registers_survive();
    case UTEST_NULL_LOOP:
        return null_loop();
    case UTEST_EXIT0:
        return 0;
    case UTEST_HANDLES:
        return uhandles();
    case UTEST_HANDLE_LIMIT:
        return uhandle_limit();
    case UTEST_LEAK_HANDLES:
        return uleak_handles();
    case UTEST_REGIONS:
        return uregions();
    case UTEST_REGION_UNMAPPED:
        return uregion_use_after_unmap();
    case UTEST_LEAK_REGIONS:
        return uregion_leak();
    case UTEST_SPIN:
        for (;;)
            __asm__ volatile("" ::: "memory");
    case UTEST_TASKS:
        return utasks();
    case UTEST_SIGNALS:
        return usignals();
    case UTEST_WAIT_FOREVER:
        return uwait_forever();
    case UTEST_RINGS:
        return urings();
    case UTEST_ECHO:
        return uecho();
    case UTEST_ECHO_CALL:
        return uecho_call();
    case UTEST_BENCH_RING:
        return uring_bench(true);
    case UTEST_BENCH_RING_6:
        return uring_bench(false);
    case UTEST_THREADS:
        return uthreads();
    case UTEST_THREAD_FAULT:
        return uthread_fault();
    case UTEST_THREAD_EXIT:
        return uthread_exit();
    case UTEST_THREADS_SPIN:
        return uthreads_spin();
    case UTEST_THREADS_LAST:
        return uthreads_last();
    case UTEST_FPU:
        return ufpu(m >> 32);
    case UTEST_FPU_THREADS:
        return ufpu_threads(m >> 32);
    case UTEST_REVOKE_RACE:
        return urevoke_race();
    case UTEST_IO:
        return uio();
    case UTEST_IO_NONE:
        return uio_none();
    case UTEST_IO_INSTRUCTION: /* IOPL 0 and no I/O bitmap: ports need a
                                  handle and the calls */
        __asm__ volatile("outb %%al, %%dx" : : "a"(0x41), "d"(0x3f8));
        return 0;
    case UTEST_BAD_SYSCALL: /* an unknown number is a fault, not an error */
        return (int)usys2(SYS_COUNT, 1, 2);
    case UTEST_BAD_SYSCALL_HUGE: /* no truncation makes it a valid one */
        return (int)usys2(~0ull << 32 | SYS_NULL, 1, 2);
    case UTEST_SOFT_INT: /* every gate is DPL 0: no faking an interrupt */
        __asm__ volatile("int $0xf0");
        return 0;
    default:
        return -1;
    }
}
