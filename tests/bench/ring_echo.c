/* tests/bench/ring_echo.c — the spawned Task of the ring benchmark
 * (ring_ipc.c), an image written against include/vx (and sched_yield,
 * for polling politely on a shared CPU).
 *
 * Initial handles: "cmd" (RX) and "reply" (TX), 64-byte messages. The
 * first byte of each command: 'E' echo it back; 'D' data, counted; 'F'
 * reply with the count (8 bytes) and reset it; 'B' receive byte 1 messages
 * per call from now on (1 or 64); 'P' produce: send the u32 at bytes 4..7
 * many 64-byte messages on "reply", each 'S' with a sequence number (u64
 * at byte 8) — the many-producers case, where "reply" is one of several
 * badged TXs of the consumer's Ring. Returns 0 when "cmd" closes.
 *
 * Like any latency-minded consumer, it polls its Ring for a short while
 * before it sleeps in vx_wait: a receive on the Ring's lane costs no
 * system call (docs/substrate.md §11). */
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <vx/vx.h>

#define PAUSE_NS 5000u /* poll this long, */
#define SPIN_NS 50000u /* then yield between polls until this long, then sleep */
#define BATCH_MAX 64

static vx_ring_tx reply;

/* Polls with pause for PAUSE_NS, then with sched_yield (the producer
 * may share this CPU) until SPIN_NS, then sleeps. Two waits in a row that
 * outlived their pause phase make the next 64 waits skip it; the one
 * after pauses again, in case the producer now runs on another CPU. */
static int wait_cmd(vx_time *idle_since)
{
    static uint32_t skip_pause, pause_failed;
    static bool pausing; /* the current wait is in its pause phase */
    vx_time now = vx_clock_monotonic();
    if (*idle_since == 0) {
        if (pausing)
            pause_failed = 0; /* the last wait ended while pausing */
        *idle_since = now;
        pausing = skip_pause == 0;
        if (!pausing) {
            skip_pause--;
            *idle_since = now - PAUSE_NS;
        }
    }
    if (now - *idle_since < PAUSE_NS) {
        __builtin_ia32_pause();
        return 0;
    }
    if (pausing && ++pause_failed >= 2)
        skip_pause = 64;
    pausing = false;
    if (now - *idle_since < SPIN_NS) {
        sched_yield();
        return 0;
    }
    uint64_t pending;
    *idle_since = 0;
    return vx_wait(1, VX_TIME_INFINITE, &pending) == VX_OK ? 0 : 1;
}

static int send_reply(const void *data, uint32_t len)
{
    vx_msg_out m = {data, len, 0, {{0}}};
    for (;;) {
        vx_status st = vx_ring_send(reply, &m);
        if (st == VX_OK)
            return 0;
        if (st != VX_ERR_SHOULD_WAIT)
            return 1;
    }
}

/* 'P': a producer among several; sleeps on WRITABLE (bit 1) when the
 * consumer's Ring is full, after yielding a few times. */
static int produce(uint32_t count)
{
    static bool bound;
    if (!bound && vx_signal_bind(reply.h, VX_COND_WRITABLE, 1) != VX_OK)
        return 1;
    bound = true;
    uint8_t m[64] = {'S'};
    vx_msg_out o = {m, sizeof m, 0, {{0}}};
    for (uint64_t seq = 0; seq < count;) {
        memcpy(m + 8, &seq, 8);
        vx_status st = vx_ring_send(reply, &o);
        if (st == VX_OK) {
            seq++;
            continue;
        }
        if (st != VX_ERR_SHOULD_WAIT)
            return 1;
        for (int i = 0; i < 16 && st == VX_ERR_SHOULD_WAIT; i++) {
            sched_yield();
            st = vx_ring_send(reply, &o);
        }
        if (st == VX_OK) {
            seq++;
            continue;
        }
        uint64_t pending;
        if (st != VX_ERR_SHOULD_WAIT ||
            vx_wait(2, VX_TIME_INFINITE, &pending) != VX_OK)
            return 1;
    }
    return 0;
}

int main(void)
{
    vx_ring_rx cmd;
    if (vx_task_initial_handle("cmd", VX_OBJ_RING_RX, &cmd.h) != VX_OK ||
        vx_task_initial_handle("reply", VX_OBJ_RING_TX, &reply.h) != VX_OK ||
        vx_signal_bind(cmd.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 2;
    static uint8_t bufs[BATCH_MAX][64];
    vx_msg_in in[BATCH_MAX];
    size_t batch = 1;
    uint64_t count = 0;
    vx_time idle_since = 0;
    for (;;) {
        for (size_t i = 0; i < batch; i++)
            in[i] = (vx_msg_in){bufs[i], 64, 0, 0, 0, 0, {{0}}};
        size_t done = 0;
        vx_status st = vx_ring_recv_batch(cmd, in, batch, &done);
        if (st == VX_ERR_PEER_CLOSED)
            return 0;
        if (st == VX_ERR_SHOULD_WAIT) {
            if (wait_cmd(&idle_since))
                return 3;
            continue;
        }
        if (st != VX_OK)
            return 4;
        idle_since = 0;
        for (size_t i = 0; i < done; i++) {
            const uint8_t *m = bufs[i];
            if (in[i].len == 0)
                return 5;
            switch (m[0]) {
            case 'E':
                if (send_reply(m, in[i].len))
                    return 6;
                break;
            case 'D':
                count++;
                break;
            case 'F': {
                uint8_t r[64] = {'F'};
                memcpy(r + 8, &count, 8);
                count = 0;
                if (send_reply(r, 64))
                    return 6;
                break;
            }
            case 'P': {
                uint32_t n;
                if (in[i].len < 8)
                    return 8;
                memcpy(&n, m + 4, 4);
                if (produce(n))
                    return 9;
                break;
            }
            case 'B':
                batch = in[i].len > 1 && m[1] >= 1 && m[1] <= BATCH_MAX ? m[1] : 1;
                break;
            default:
                return 7;
            }
        }
    }
}
