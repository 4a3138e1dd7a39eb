/* hosted/tests/scribbler.c — a hostile Task image, two ways:
 *
 * - Given no initial handles, it ignores the client library and writes
 *   frames of random operations with random bodies (and finally one with
 *   an absurd length) straight onto its broker connection, then returns.
 *   The broker must answer each one without harm to itself or any other
 *   Task.
 * - Given Rings (initial handles "v_tx", "u_rx", "cmd", "done"), it gets
 *   the lanes of the first two (hosted/lane.h) and writes garbage over
 *   their shared memory — as producer of "v_tx" and as consumer of
 *   "u_rx" — then reports on "done" and echoes what arrives on "cmd" until
 *   that Ring closes. Its peers must see PEER_CLOSED on the scribbled
 *   Rings, and nothing else (hosted.ring_scribbler_breaks_only_its_rings).
 * - Given "stream" (a TX), it is no scribbler but a well-behaved producer:
 *   it sends the numbers 0..STREAM_COUNT-1 (u32), alternately one and
 *   eight per call, as fast as the Ring takes them, then returns
 *   (hosted.lane_handover_loses_nothing).
 * - Given "sink" (an RX) and "done" (a TX), it receives numbers, one or
 *   eight per call, until "sink" reports PEER_CLOSED, then sends on
 *   "done" how many arrived and how many were out of order (two u32).
 * - Given "crowd" (one of several TXs of a Ring) and "done" (a TX), it
 *   sends one real message (which engages a lane per TX), then asks the
 *   broker for the lane of every index as a raw OP_RING_LANE request —
 *   a producer must only ever get its own — and writes garbage over the
 *   Ring's credit page, which every end can write; it reports on "done"
 *   its lane index and whether every answer named that lane (two u32)
 *   (hosted.a_crowded_producer_gets_only_its_own_lane).
 * - Given "hog" (a TX), it wants more memory than it was lent: it mallocs
 *   to raise its memory limit (setrlimit), mallocs and touches 64 KiB
 *   blocks until malloc fails (or 1 GiB), reports on "hog" how much it
 *   got, whether malloc failed and the errno of the raise (u64, u32,
 *   u32), frees it all, and reports again whether a malloc works now
 *   (u64 0, u32, u32 0)
 *   (hosted.a_task_cannot_malloc_past_its_quota). */
#include "../lane.h"
#include "../proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <unistd.h>
#include <vx/vx.h>

static uint32_t rnd(void)
{
    uint32_t v = 0;
    while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
        ;
    return v;
}

/* Maps the shared area of h's lane (engaged by a send or receive before),
 * writable, the way any holder of an end can. */
static uint8_t *map_lane(vx_handle h, size_t *size)
{
    uint8_t req[16];
    buf q = {req, sizeof req, 0, false};
    buf_put_u32(&q, h.value);
    buf_put_u32(&q, 0);
    buf_put_u64(&q, 0);
    proto_frame f;
    uint8_t *reply;
    int fd;
    if (!wire_send(PROTO_CONN_FD, OP_RING_LANE, req, q.pos, -1) ||
        !wire_recv(PROTO_CONN_FD, &f, &reply, &fd))
        _exit(10);
    if (f.code != VX_OK || f.len != 24 || fd < 0)
        _exit(11);
    uint32_t slot_size, slot_count;
    memcpy(&slot_size, reply + 8, 4);
    memcpy(&slot_count, reply + 12, 4);
    free(reply);
    *size = lane_shared_size(slot_size, slot_count);
    void *p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        _exit(12);
    return p;
}

static void scribble(uint8_t *p, size_t size, uint32_t word_off, uint32_t v)
{
    for (size_t i = LANE_CPU_OFF; i < size; i++)
        p[i] = (uint8_t)rnd(); /* CPU hint, lengths and bytes */
    __atomic_store_n(lane_word(p, word_off), v, __ATOMIC_RELEASE);
}

static int scribble_rings(vx_handle v_tx, vx_handle u_rx)
{
    vx_ring_tx v = {v_tx}, done;
    vx_ring_rx u = {u_rx}, cmd;
    if (vx_task_initial_handle("cmd", VX_OBJ_RING_RX, &cmd.h) != VX_OK ||
        vx_task_initial_handle("done", VX_OBJ_RING_TX, &done.h) != VX_OK)
        return 20;
    /* Engage both lanes through the client library: two real messages
     * on v, a receive on the empty u. */
    vx_msg_out m = {"real", 4, 0, {{0}}};
    if (vx_ring_send(v, &m) != VX_OK || vx_ring_send(v, &m) != VX_OK)
        return 21;
    uint8_t b[64];
    vx_msg_in in = {b, sizeof b, 0, 0, 0, 0, {{0}}};
    if (vx_ring_recv(u, &in) != VX_ERR_SHOULD_WAIT)
        return 22;
    size_t vs, us;
    uint8_t *vp = map_lane(v_tx, &vs), *up = map_lane(u_rx, &us);
    scribble(vp, vs, LANE_TAIL_OFF, 0x7fffff00u); /* far past any head */
    scribble(up, us, LANE_HEAD_OFF, 0x12345678u); /* a head from nowhere */
    vx_msg_out d = {"done", 4, 0, {{0}}};
    if (vx_ring_send(done, &d) != VX_OK)
        return 23;
    /* Keep serving the other Rings: echo cmd to done until cmd closes. */
    if (vx_signal_bind(cmd.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 24;
    for (;;) {
        in = (vx_msg_in){b, sizeof b, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(cmd, &in);
        if (st == VX_ERR_PEER_CLOSED)
            return 0;
        if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t pending;
            if (vx_wait(1, VX_TIME_INFINITE, &pending) != VX_OK)
                return 25;
            continue;
        }
        if (st != VX_OK)
            return 26;
        vx_msg_out e = {b, in.len, 0, {{0}}};
        if (vx_ring_send(done, &e) != VX_OK)
            return 27;
    }
}

#define STREAM_COUNT 100000u

static int stream(vx_ring_tx tx)
{
    if (vx_signal_bind(tx.h, VX_COND_WRITABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 30;
    uint32_t nums[8];
    vx_msg_out m[8];
    for (uint32_t next = 0; next < STREAM_COUNT;) {
        size_t want = (next / 8) % 2 ? 8 : 1, done = 0;
        if (want > STREAM_COUNT - next)
            want = STREAM_COUNT - next;
        for (size_t i = 0; i < want; i++) {
            nums[i] = next + (uint32_t)i;
            m[i] = (vx_msg_out){&nums[i], 4, 0, {{0}}};
        }
        vx_status st = vx_ring_send_batch(tx, m, want, &done);
        if (st == VX_OK) {
            next += (uint32_t)done;
        } else if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t pending;
            if (vx_wait(1, VX_TIME_INFINITE, &pending) != VX_OK)
                return 31;
        } else {
            return 32;
        }
    }
    return 0;
}

static int sink(vx_ring_rx rx)
{
    vx_ring_tx done;
    if (vx_task_initial_handle("done", VX_OBJ_RING_TX, &done.h) != VX_OK ||
        vx_signal_bind(rx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 40;
    uint32_t expect = 0, disorder = 0, nums[8];
    for (uint32_t round = 0;; round++) {
        vx_msg_in in[8];
        size_t want = round % 2 ? 8 : 1, got = 0;
        for (size_t i = 0; i < want; i++)
            in[i] = (vx_msg_in){&nums[i], 4, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv_batch(rx, in, want, &got);
        if (st == VX_OK) {
            for (size_t i = 0; i < got; i++)
                disorder += in[i].len != 4 || nums[i] != expect++;
        } else if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t pending;
            if (vx_wait(1, VX_TIME_INFINITE, &pending) != VX_OK)
                return 41;
        } else if (st == VX_ERR_PEER_CLOSED) {
            break;
        } else {
            return 42;
        }
    }
    uint32_t report[2] = {expect, disorder};
    vx_msg_out m = {report, sizeof report, 0, {{0}}};
    return vx_ring_send(done, &m) == VX_OK ? 0 : 43;
}

/* A raw OP_RING_LANE request: the descriptor and the reply's side word,
 * or false. */
static bool lane_raw(vx_handle h, uint32_t part, int *fd, uint32_t *side)
{
    uint8_t req[16];
    buf q = {req, sizeof req, 0, false};
    buf_put_u32(&q, h.value);
    buf_put_u32(&q, part);
    buf_put_u64(&q, 0);
    proto_frame f;
    uint8_t *reply;
    if (!wire_send(PROTO_CONN_FD, OP_RING_LANE, req, q.pos, -1) ||
        !wire_recv(PROTO_CONN_FD, &f, &reply, fd))
        _exit(60);
    bool ok = f.code == VX_OK && f.len == 24 && *fd >= 0;
    if (ok)
        memcpy(side, reply + 20, 4);
    free(reply);
    return ok;
}

static int crowd(vx_ring_tx tx)
{
    vx_ring_tx done;
    if (vx_task_initial_handle("done", VX_OBJ_RING_TX, &done.h) != VX_OK)
        return 61;
    vx_msg_out m = {"mine", 4, 0, {{0}}};
    if (vx_ring_send(tx, &m) != VX_OK)
        return 62;
    uint32_t own = UINT32_MAX, same = 1;
    for (uint32_t i = 0; i < LANE_PRODUCERS_MAX; i++) {
        int fd;
        uint32_t side;
        if (!lane_raw(tx.h, 0 | i << 8, &fd, &side))
            return 63;
        close(fd);
        uint32_t index = side >> 8 & 0xffu;
        if (own == UINT32_MAX)
            own = index;
        same &= index == own;
    }
    int fd;
    uint32_t side;
    if (!lane_raw(tx.h, 3, &fd, &side))
        return 64;
    uint32_t *credit = mmap(NULL, LANE_CTL_SIZE, PROT_READ | PROT_WRITE,
                            MAP_SHARED, fd, 0);
    close(fd);
    if (credit == MAP_FAILED)
        return 65;
    __atomic_store_n(credit, 0xfffffff0u, __ATOMIC_RELEASE);
    uint32_t r[2] = {own, same};
    vx_msg_out d = {r, sizeof r, 0, {{0}}};
    return vx_ring_send(done, &d) == VX_OK ? 0 : 66;
}

#define HOG_BLOCK ((size_t)64 << 10)
#define HOG_MAX ((uint64_t)1 << 30)

static int hog_report(vx_ring_tx tx, uint64_t bytes, uint32_t flag,
                      uint32_t raise_errno)
{
    uint8_t r[16];
    memcpy(r, &bytes, 8);
    memcpy(r + 8, &flag, 4);
    memcpy(r + 12, &raise_errno, 4);
    vx_msg_out m = {r, sizeof r, 0, {{0}}};
    return vx_ring_send(tx, &m) == VX_OK ? 0 : 51;
}

static int hog(vx_ring_tx tx)
{
    /* First, the honest way out: raise the limit. Must be refused. */
    struct rlimit more = {RLIM_INFINITY, RLIM_INFINITY};
    uint32_t raise_errno = setrlimit(RLIMIT_DATA, &more) == 0 ? 0
                                                              : (uint32_t)errno;
    void *blocks = NULL; /* each block starts with the previous one */
    uint64_t got = 0;
    uint32_t failed = 0;
    while (got < HOG_MAX) {
        void **b = malloc(HOG_BLOCK);
        if (b == NULL) {
            failed = 1;
            break;
        }
        memset(b, 0xa5, HOG_BLOCK); /* really use it */
        *b = blocks;
        blocks = b;
        got += HOG_BLOCK;
    }
    if (hog_report(tx, got, failed, raise_errno) != 0)
        return 51;
    while (blocks != NULL) {
        void **b = blocks;
        blocks = *b;
        free(b);
    }
    void *again = malloc(HOG_BLOCK);
    int r = hog_report(tx, 0, again != NULL, 0);
    free(again);
    return r;
}

int main(void)
{
    vx_handle v_tx, u_rx, s_tx, s_rx, h_tx, c_tx;
    if (vx_task_initial_handle("crowd", VX_OBJ_RING_TX, &c_tx) == VX_OK)
        return crowd((vx_ring_tx){c_tx});
    if (vx_task_initial_handle("hog", VX_OBJ_RING_TX, &h_tx) == VX_OK)
        return hog((vx_ring_tx){h_tx});
    if (vx_task_initial_handle("sink", VX_OBJ_RING_RX, &s_rx) == VX_OK)
        return sink((vx_ring_rx){s_rx});
    if (vx_task_initial_handle("stream", VX_OBJ_RING_TX, &s_tx) == VX_OK)
        return stream((vx_ring_tx){s_tx});
    if (vx_task_initial_handle("v_tx", VX_OBJ_RING_TX, &v_tx) == VX_OK &&
        vx_task_initial_handle("u_rx", VX_OBJ_RING_RX, &u_rx) == VX_OK)
        return scribble_rings(v_tx, u_rx);
    uint8_t body[512];
    for (int i = 0; i < 2000; i++) {
        uint32_t len = rnd() % sizeof body;
        for (uint32_t j = 0; j < len; j++)
            body[j] = (uint8_t)rnd();
        /* Mostly real operations, whose decoders are what is under test;
         * some unknown ones. Skipped: OP_WAIT may block the connection for
         * good, OP_THREAD_DONE hangs it up, OP_TASK_EXIT sets the exit
         * code the test checks — all allowed, none useful here. */
        int32_t op = (int32_t)(rnd() % (OP_END_ + 2));
        if (op == OP_WAIT || op == OP_THREAD_DONE || op == OP_TASK_EXIT)
            continue;
        if (!wire_send(PROTO_CONN_FD, op, body, len, -1))
            return 1;
        /* Every request is answered (else the broker would block on a
         * full socket, as it may: the Task only hurts itself). */
        proto_frame f;
        uint8_t *reply;
        int fd;
        if (!wire_recv(PROTO_CONN_FD, &f, &reply, &fd))
            return 3;
        free(reply);
        if (fd >= 0)
            close(fd);
    }
    proto_frame absurd = {OP_HANDLE_CLOSE, UINT32_MAX};
    if (write(PROTO_CONN_FD, &absurd, sizeof absurd) != sizeof absurd)
        return 2;
    return 0;
}
