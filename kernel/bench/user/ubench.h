/* What kernel/bench/user/ubench.c does for each spawn argument (shared
 * with kernel/bench/kbench.c). Every mode's exit code is its result. */
#ifndef KERNEL_BENCH_UBENCH_H
#define KERNEL_BENCH_UBENCH_H

#define UBENCH_EXIT0 0     /* exit 0 at once; what vx_task_spawn children
                            * get, since they start with argument 0 */
#define UBENCH_CALIBRATE 1 /* clock ns over a known instruction count */
#define UBENCH_SIG_PING 2  /* instructions per raise-to-wake; initial Task
                            * handle "peer" (a UBENCH_SIG_PONG Task) */
#define UBENCH_SIG_PONG 3  /* answers each raise with one; "peer" */
#define UBENCH_SPAWN 4     /* instructions per spawn + exit + wait of a
                            * child; initial Region "image" (ubench) */
/* Parts of a round trip, in one Task (nothing sleeps), per iteration: */
#define UBENCH_PART_SEND_RECV 5  /* 64-byte vx_ring_send + vx_ring_recv */
#define UBENCH_PART_RECV_EMPTY 6 /* vx_ring_recv of an empty Ring */
#define UBENCH_PART_RAISE_WAIT 7 /* vx_signal_raise_self + vx_wait, the
                                  * bit already pending */

#endif
