/* The user program of the native benchmarks that utest does not cover:
 * signal raise-to-wake between two Tasks and spawn from user mode, plus a
 * check of the clock itself. The kernel passes it as a boot module
 * (kernel/bench.sh) and starts it from kernel/bench/kbench.c; each mode's
 * result is its exit code. Counts come from ../params.h, which the Linux
 * peer's /init shares, so both sides do the same work. */
#include <stdint.h>
#include <vx/vx.h>

#include "../params.h"
#include "ubench.h"

int umain(uint64_t arg);

/* Clock ns over a loop of 2 * NB_CALIB_LOOPS instructions: under QEMU
 * -icount shift=0 this must come out at that count plus the few
 * instructions of the clock call (and any interrupt taken meanwhile). */
static int calibrate(void)
{
    uint64_t n = NB_CALIB_LOOPS;
    vx_time t0 = vx_clock_monotonic();
    __asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
    return (int)(vx_clock_monotonic() - t0);
}

#define BIT_PING (1u << 1) /* raised in the pong Task */
#define BIT_PONG (1u << 1) /* raised in the ping Task */
#define BIT_QUIT (1u << 2)

/* Raise the peer's bit, sleep until it raises ours: one round trip is
 * two raise-to-wake steps, so the result is half a round trip. */
static int sig_ping(void)
{
    vx_handle h;
    if (vx_task_initial_handle("peer", VX_OBJ_TASK, &h) != VX_OK)
        return -1;
    vx_task peer = {h};
    uint64_t pend;
    vx_time t0 = 0;
    for (int i = 0; i < NB_SIG_WARMUP + NB_SIG_ITERS; i++) {
        if (i == NB_SIG_WARMUP)
            t0 = vx_clock_monotonic();
        if (vx_signal_raise(peer, BIT_PING) != VX_OK ||
            vx_wait(BIT_PONG, VX_TIME_INFINITE, &pend) != VX_OK)
            return -2;
    }
    vx_time t = vx_clock_monotonic() - t0;
    if (vx_signal_raise(peer, BIT_QUIT) != VX_OK)
        return -3;
    return (int)(t / (2 * NB_SIG_ITERS));
}

static int sig_pong(void)
{
    vx_handle h;
    if (vx_task_initial_handle("peer", VX_OBJ_TASK, &h) != VX_OK)
        return 1;
    vx_task peer = {h};
    for (;;) {
        uint64_t pend;
        if (vx_wait(BIT_PING | BIT_QUIT, VX_TIME_INFINITE, &pend) != VX_OK)
            return 2;
        if (pend & BIT_QUIT)
            return 0;
        if (vx_signal_raise(peer, BIT_PONG) != VX_OK)
            return 3;
    }
}

/* Spawn ubench again (it exits at once), wait for it to end, read its
 * status and drop it: the analogue of fork + _exit + waitpid. */
static int spawn_loop(void)
{
    vx_handle image;
    if (vx_task_initial_handle("image", VX_OBJ_REGION, &image) != VX_OK)
        return -1;
    vx_spawn_args a = {{image}, "kid", 1u << 20, 16, 0, 0};
    vx_time t0 = vx_clock_monotonic();
    for (int i = 0; i < NB_SPAWN_ITERS; i++) {
        vx_task c;
        vx_task_status st;
        uint64_t pend;
        if (vx_task_spawn(&a, &c) != VX_OK ||
            vx_signal_bind(c.h, VX_COND_TASK_EXITED, 3) != VX_OK ||
            vx_wait(1u << 3, VX_TIME_INFINITE, &pend) != VX_OK ||
            vx_task_status_get(c, &st) != VX_OK ||
            st.state != VX_TASK_EXITED || st.exit_code != 0 ||
            vx_handle_close(c.h) != VX_OK)
            return -2;
    }
    return (int)((vx_clock_monotonic() - t0) / NB_SPAWN_ITERS);
}

/* ---- parts of a round trip, for finding where its instructions go ---- */

#define PART_ITERS 1000

static int part_ring(uint64_t mode)
{
    vx_ring_params p = {NB_RT_BYTES, 8, 1};
    vx_ring_tx tx;
    vx_ring_rx rx;
    if (vx_ring_create(&p, &tx, &rx) != VX_OK)
        return -1;
    uint8_t req[NB_RT_BYTES] = {1}, rep[NB_RT_BYTES];
    vx_time t0 = vx_clock_monotonic();
    for (int i = 0; i < PART_ITERS; i++) {
        vx_msg_out m = {req, sizeof req, 0, {{0}}};
        vx_msg_in in = {rep, sizeof rep, 0, 0, 0, 0, {{0}}};
        if (mode == UBENCH_PART_SEND_RECV) {
            if (vx_ring_send(tx, &m) != VX_OK || vx_ring_recv(rx, &in) != VX_OK)
                return -2;
        } else if (vx_ring_recv(rx, &in) != VX_ERR_SHOULD_WAIT) {
            return -3;
        }
    }
    return (int)((vx_clock_monotonic() - t0) / PART_ITERS);
}

static int part_raise_wait(void)
{
    vx_time t0 = vx_clock_monotonic();
    for (int i = 0; i < PART_ITERS; i++) {
        uint64_t pend;
        if (vx_signal_raise_self(BIT_PONG) != VX_OK ||
            vx_wait(BIT_PONG, VX_TIME_INFINITE, &pend) != VX_OK)
            return -1;
    }
    return (int)((vx_clock_monotonic() - t0) / PART_ITERS);
}

int umain(uint64_t arg)
{
    switch (arg) {
    case UBENCH_EXIT0:
        return 0;
    case UBENCH_CALIBRATE:
        return calibrate();
    case UBENCH_SIG_PING:
        return sig_ping();
    case UBENCH_SIG_PONG:
        return sig_pong();
    case UBENCH_SPAWN:
        return spawn_loop();
    case UBENCH_PART_SEND_RECV:
    case UBENCH_PART_RECV_EMPTY:
        return part_ring(arg);
    case UBENCH_PART_RAISE_WAIT:
        return part_raise_wait();
    default:
        return -1;
    }
}
