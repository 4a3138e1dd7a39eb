/* What kernel/user/utest.c does for each spawn argument (shared with
 * kernel/tests/user_test.c). */
#ifndef KERNEL_USER_UTEST_H
#define KERNEL_USER_UTEST_H

#define UTEST_HELLO 0        /* one debug line, exit UTEST_HELLO_CODE */
#define UTEST_NULL_READ 1
#define UTEST_NULL_WRITE 2
#define UTEST_PRIVILEGED 3   /* hlt: #GP */
#define UTEST_DIVIDE 4       /* #DE */
#define UTEST_JUMP_KERNEL 5  /* call into the kernel image: #PF */
#define UTEST_READ_KERNEL 6
#define UTEST_WRITE_TEXT 7   /* its own code is read-only */
#define UTEST_EXEC_STACK 8   /* the stack is no-execute */
#define UTEST_BAD_ARGS 9     /* exit 0 if every bad call was refused */
#define UTEST_REGISTERS 10   /* exit 0 if syscalls keep registers */
#define UTEST_NULL_LOOP 11   /* exit code: clock ns per null syscall */
#define UTEST_EXIT0 12       /* exit 0 at once (spawn cost) */
#define UTEST_HANDLES 13     /* exit 0 if handle and timer calls conform */
#define UTEST_HANDLE_LIMIT 14 /* exit 0 if the table stops at its limit */
#define UTEST_LEAK_HANDLES 15 /* makes handles, then crashes */
#define UTEST_REGIONS 16     /* exit 0 if Region calls conform */
#define UTEST_REGION_UNMAPPED 17 /* touches an unmapped Region: crash */
#define UTEST_LEAK_REGIONS 18 /* maps Regions, then crashes */
#define UTEST_SPIN 19        /* loops until killed */
#define UTEST_TASKS 20       /* exit 0 if Task calls conform; needs an
                              * initial Region "image" holding utest */
#define UTEST_SIGNALS 21     /* exit 0 if Signal calls conform; "image" */
#define UTEST_WAIT_FOREVER 22 /* vx_wait for a bit nobody raises */
#define UTEST_RINGS 23       /* exit 0 if Ring calls conform; "image" */
#define UTEST_ECHO 24        /* echoes Ring "in" to Ring "out" */
#define UTEST_BENCH_RING 25  /* exit code: clock ns per ring round trip,
                              * one vx_ring_send_recv on each side */
#define UTEST_SOFT_INT 26    /* int $0xf0 (the timer's vector): #GP */

#define UTEST_THREADS 27      /* exit 0 if thread start, the limit and
                               * slot reuse conform */
#define UTEST_THREAD_FAULT 28 /* a second thread faults: the Task crashes */
#define UTEST_THREAD_EXIT 29  /* threads spin, main returns
                               * UTEST_THREAD_EXIT_CODE */
#define UTEST_THREADS_SPIN 30 /* four threads spin until killed */
#define UTEST_THREADS_LAST 31 /* main ends alone, the other thread later */
#define UTEST_FPU 32          /* | seed << 32: exit 0 if xmm registers
                               * and MXCSR survive sleeps */
#define UTEST_FPU_THREADS 33  /* | seed << 32: the same in two threads,
                               * the second starting clean */
#define UTEST_REVOKE_RACE 34  /* exit 0 if revoke racing sends and
                               * receives in other threads conforms */
#define UTEST_BAD_SYSCALL 35  /* call number SYS_COUNT: killed */
#define UTEST_BAD_SYSCALL_HUGE 36 /* call number ~0 << 32 (0 below): killed */
#define UTEST_IO 37            /* exit 0 if port and IRQ calls conform;
                                * needs "com1" and "com1.irq" */
#define UTEST_IO_NONE 38       /* exit 0 if, without them, nothing works */
#define UTEST_IO_INSTRUCTION 39 /* outb from ring 3: #GP */
#define UTEST_ECHO_CALL 40     /* UTEST_ECHO with vx_ring_send_recv */
#define UTEST_BENCH_RING_6 41  /* UTEST_BENCH_RING with send, wait and
                                * receive apart: 6 calls a round trip */

#define UTEST_NULL_CALLS 10000
#define UTEST_THREADS_MAX 64
#define UTEST_THREAD_EXIT_CODE 7
#define UTEST_FPU_ROUNDS 60

#define UTEST_HELLO_CODE 42
#define UTEST_KERNEL_ADDR 0xffffffff80100000ull

#endif
