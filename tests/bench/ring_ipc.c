/* tests/bench/ring_ipc.c — a Ring between two processes against Linux
 * primitives (issue 3, item 7), measured in one run.
 *
 * This process is the hosted backend's root Task; it spawns the
 * ring_echo image (tests/bench/ring_echo.c) as a second, sandboxed
 * process and talks to it over two Rings of 64-byte slots, whose lanes
 * (docs/substrate.md §11) carry the messages through shared memory. The
 * peers run the same protocol between this process and a forked child:
 *
 * - round trip: a 64-byte request, a 64-byte reply; Ring against a pair
 *   of pipes, a Unix socketpair, and a pair of eventfds (8 bytes, the
 *   least a wake-up can carry).
 * - one-way: 64-byte messages, then one reply when all have arrived;
 *   Ring sends one message per call (and the consumer receives one per
 *   call), or 64 per call in the batched form; the pipe writes and reads
 *   one message per call.
 * - many producers: four producer processes send 64-byte messages, one
 *   per call, to this one consumer; Ring: one Ring with four badged TXs
 *   (a service inbox), the consumer checks each producer's order by
 *   badge; pipe: one pipe with four writers (64-byte writes are atomic),
 *   order checked by a producer number in the message.
 *
 * Both ends of a Ring poll for up to 50 us before sleeping (the doorbell
 * is rung only for a sleeper), yielding the CPU after the first 5 us in
 * case the peer shares it; the Linux peers block in read(2), which is
 * what they are for. Results depend on the machine's load: on a busy
 * 2-CPU machine the two ends often share one CPU. */
#define _GNU_SOURCE
#include "bench.h"

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vx/vx.h>

#define MSG 64
#define RTT_ITERS 2000
#define ONEWAY_MSGS 100000
#define BATCH 64
#define MPSC_N 4
#define MPSC_MSGS 10000 /* per producer */
#define PAUSE_NS 5000u
#define SPIN_NS 50000u

static void die(const char *what)
{
    fprintf(stderr, "ring_ipc: %s\n", what);
    exit(1);
}

/* ---- Linux peers: a forked child on two descriptors ---- */

enum peer_kind { PEER_PIPE, PEER_SOCKET, PEER_EVENTFD };

typedef struct peer {
    enum peer_kind kind;
    int to, from; /* our ends */
    pid_t pid;
} peer;

static void full_write(int fd, const void *p, size_t n)
{
    const uint8_t *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w <= 0)
            _exit(9);
        c += w;
        n -= (size_t)w;
    }
}

static bool full_read(int fd, void *p, size_t n)
{
    uint8_t *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* The child: echo ('E'), count ('D'), report the count ('F'); for
 * eventfd, every read is echoed. */
static void peer_child(enum peer_kind kind, int in, int out)
{
    uint8_t m[MSG];
    uint64_t count = 0;
    size_t len = kind == PEER_EVENTFD ? 8 : MSG;
    while (full_read(in, m, len)) {
        if (kind == PEER_EVENTFD || m[0] == 'E') {
            full_write(out, m, len);
        } else if (m[0] == 'D') {
            count++;
        } else if (m[0] == 'F') {
            memcpy(m + 8, &count, 8);
            count = 0;
            full_write(out, m, MSG);
        }
    }
    _exit(0);
}

static peer peer_start(enum peer_kind kind)
{
    int a[2], b[2]; /* a: parent -> child; b: child -> parent */
    if (kind == PEER_PIPE) {
        if (pipe(a) != 0 || pipe(b) != 0)
            die("pipe");
    } else if (kind == PEER_SOCKET) {
        int sv[2]; /* one socket each way: the parent's sv[0], the child's sv[1] */
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
            die("socketpair");
        a[0] = b[1] = sv[1];
        a[1] = b[0] = sv[0];
    } else {
        a[0] = a[1] = eventfd(0, 0);
        b[0] = b[1] = eventfd(0, 0);
        if (a[0] < 0 || b[0] < 0)
            die("eventfd");
    }
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        /* Drop the parent's ends, so that its close is our EOF. */
        if (kind != PEER_EVENTFD)
            close(a[1]);
        if (kind == PEER_PIPE)
            close(b[0]);
        peer_child(kind, a[0], b[1]);
    }
    peer p = {kind, a[1], b[0], pid};
    if (kind == PEER_PIPE) {
        close(a[0]);
        close(b[1]);
    } else if (kind == PEER_SOCKET) {
        close(a[0]);
    }
    return p;
}

static void peer_stop(peer *p)
{
    close(p->to);
    if (p->from != p->to)
        close(p->from);
    if (p->kind == PEER_EVENTFD)
        kill(p->pid, SIGKILL); /* an eventfd never reports EOF */
    waitpid(p->pid, NULL, 0);
}

static void peer_rtt(void *arg)
{
    peer *p = arg;
    uint8_t m[MSG] = {'E'};
    size_t len = p->kind == PEER_EVENTFD ? 8 : MSG;
    if (p->kind == PEER_EVENTFD)
        memcpy(m, &(uint64_t){1}, 8);
    for (int i = 0; i < RTT_ITERS; i++) {
        full_write(p->to, m, len);
        if (!full_read(p->from, m, len))
            die("peer read");
    }
}

static void peer_oneway(void *arg)
{
    peer *p = arg;
    uint8_t m[MSG] = {'D'};
    for (int i = 0; i < ONEWAY_MSGS; i++)
        full_write(p->to, m, MSG);
    m[0] = 'F';
    full_write(p->to, m, MSG);
    if (!full_read(p->from, m, MSG))
        die("peer read");
    uint64_t got;
    memcpy(&got, m + 8, 8);
    if (got != ONEWAY_MSGS)
        die("pipe lost messages");
}

/* Many producers on one pipe: each child waits for a go byte on its own
 * pipe, then writes MPSC_MSGS messages {producer, seq} to the shared one. */
typedef struct pipe_mpsc {
    int go[MPSC_N];
    int data; /* read end */
    pid_t pid[MPSC_N];
} pipe_mpsc;

static void pipe_mpsc_start(pipe_mpsc *m)
{
    int d[2];
    if (pipe(d) != 0)
        die("pipe");
    for (int i = 0; i < MPSC_N; i++) {
        int g[2];
        if (pipe(g) != 0)
            die("pipe");
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            close(g[1]);
            close(d[0]);
            for (int j = 0; j < i; j++)
                close(m->go[j]); /* so that each sees its own EOF */
            uint8_t go, msg[MSG] = {(uint8_t)i};
            while (full_read(g[0], &go, 1)) {
                for (uint64_t seq = 0; seq < MPSC_MSGS; seq++) {
                    memcpy(msg + 8, &seq, 8);
                    full_write(d[1], msg, MSG);
                }
            }
            _exit(0);
        }
        close(g[0]);
        m->go[i] = g[1];
        m->pid[i] = pid;
    }
    close(d[1]);
    m->data = d[0];
}

static void pipe_mpsc_run(void *arg)
{
    pipe_mpsc *m = arg;
    uint64_t next[MPSC_N] = {0};
    for (int i = 0; i < MPSC_N; i++)
        full_write(m->go[i], "g", 1);
    uint8_t msg[MSG];
    for (int n = 0; n < MPSC_N * MPSC_MSGS; n++) {
        if (!full_read(m->data, msg, MSG))
            die("pipe read");
        uint64_t seq;
        memcpy(&seq, msg + 8, 8);
        if (msg[0] >= MPSC_N || seq != next[msg[0]]++)
            die("pipe producer order");
    }
}

static void pipe_mpsc_stop(pipe_mpsc *m)
{
    for (int i = 0; i < MPSC_N; i++) {
        close(m->go[i]);
        waitpid(m->pid[i], NULL, 0);
    }
    close(m->data);
}

/* ---- the Ring ---- */

typedef struct ring_peer {
    vx_ring_tx cmd;
    vx_ring_rx reply;
    vx_task task;
} ring_peer;

/* After SHOULD_WAIT: poll with pause for PAUSE_NS (the peer runs on
 * another CPU), then poll with sched_yield until SPIN_NS (the peer may
 * share this CPU), then sleep on `bit`. Two waits in a row that outlived
 * their pause phase suggest the peer shares the CPU (one alone may be the
 * peer losing its CPU for a moment): the next 64 waits skip the pause,
 * and the one after pauses again, to notice when the scheduler has moved
 * the peer to another CPU. */
static uint32_t skip_pause, pause_failed;
static bool pausing; /* the current wait is in its pause phase */

static void backoff(vx_time *idle_since, uint64_t bit)
{
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
        return;
    }
    if (pausing && ++pause_failed >= 2)
        skip_pause = 64;
    pausing = false;
    if (now - *idle_since < SPIN_NS) {
        sched_yield();
        return;
    }
    uint64_t pending;
    if (vx_wait(bit, VX_TIME_INFINITE, &pending) != VX_OK)
        die("ring wait");
    *idle_since = 0;
}

/* Bit 0: the reply Ring is READABLE; bit 2: the command Ring WRITABLE. */
static void ring_send(vx_ring_tx tx, const void *m, uint32_t len)
{
    vx_msg_out o = {m, len, 0, {{0}}};
    vx_time idle_since = 0;
    for (;;) {
        vx_status st = vx_ring_send(tx, &o);
        if (st == VX_OK)
            return;
        if (st != VX_ERR_SHOULD_WAIT)
            die("ring send");
        backoff(&idle_since, 4);
    }
}

static void ring_recv(vx_ring_rx rx, uint8_t *buf)
{
    vx_time idle_since = 0;
    for (;;) {
        vx_msg_in in = {buf, MSG, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(rx, &in);
        if (st == VX_OK)
            return;
        if (st != VX_ERR_SHOULD_WAIT)
            die("ring recv");
        backoff(&idle_since, 1);
    }
}

static void ring_rtt(void *arg)
{
    ring_peer *r = arg;
    uint8_t m[MSG] = {'E'};
    for (int i = 0; i < RTT_ITERS; i++) {
        ring_send(r->cmd, m, MSG);
        ring_recv(r->reply, m);
    }
}

static void ring_flush(ring_peer *r)
{
    uint8_t m[MSG] = {'F'};
    ring_send(r->cmd, m, MSG);
    ring_recv(r->reply, m);
    uint64_t got;
    memcpy(&got, m + 8, 8);
    if (got != ONEWAY_MSGS)
        die("ring lost messages");
}

static void ring_set_batch(ring_peer *r, uint8_t n)
{
    uint8_t m[MSG] = {'B', n};
    ring_send(r->cmd, m, MSG);
}

static void ring_oneway(void *arg)
{
    ring_peer *r = arg;
    uint8_t m[MSG] = {'D'};
    for (int i = 0; i < ONEWAY_MSGS; i++)
        ring_send(r->cmd, m, MSG);
    ring_flush(r);
}

static void ring_oneway_batch(void *arg)
{
    ring_peer *r = arg;
    static uint8_t data[BATCH][MSG];
    vx_msg_out o[BATCH];
    for (int i = 0; i < BATCH; i++) {
        data[i][0] = 'D';
        o[i] = (vx_msg_out){data[i], MSG, 0, {{0}}};
    }
    vx_time idle_since = 0;
    for (int sent = 0; sent < ONEWAY_MSGS;) {
        size_t want = ONEWAY_MSGS - sent < BATCH ? (size_t)(ONEWAY_MSGS - sent)
                                                 : BATCH;
        size_t done = 0;
        vx_status st = vx_ring_send_batch(r->cmd, o, want, &done);
        if (st == VX_OK) {
            sent += (int)done;
            idle_since = 0;
        } else if (st == VX_ERR_SHOULD_WAIT) {
            backoff(&idle_since, 4);
        } else {
            die("ring send batch");
        }
    }
    ring_flush(r);
}

static void ring_start(ring_peer *r)
{
    vx_handle image;
    if (vx_task_initial_handle("ring_echo", VX_OBJ_REGION, &image) != VX_OK)
        die("no ring_echo image");
    vx_ring_params p = {MSG, 1024, 0xbe4c};
    vx_ring_rx cmd_rx;
    vx_ring_tx reply_tx;
    if (vx_ring_create(&p, &r->cmd, &cmd_rx) != VX_OK ||
        vx_ring_create(&p, &reply_tx, &r->reply) != VX_OK)
        die("ring create");
    vx_named_handle hs[] = {{"cmd", cmd_rx.h}, {"reply", reply_tx.h}};
    vx_spawn_args a = {{image}, "ring-echo", 16u << 20, 16, 2, hs};
    if (vx_task_spawn(&a, &r->task) != VX_OK)
        die("spawn");
    if (vx_signal_bind(r->reply.h, VX_COND_READABLE, 0) != VX_OK ||
        vx_signal_bind(r->cmd.h, VX_COND_WRITABLE, 2) != VX_OK)
        die("bind");
}

static void ring_stop(ring_peer *r)
{
    if (vx_signal_unbind(2) != VX_OK || vx_handle_close(r->cmd.h) != VX_OK)
        die("close");
    if (vx_signal_bind(r->task.h, VX_COND_TASK_EXITED, 1) != VX_OK)
        die("bind");
    uint64_t pending;
    if (vx_wait(2, vx_clock_monotonic() + UINT64_C(10000000000), &pending) != VX_OK)
        die("echo did not exit");
    vx_task_status s;
    if (vx_task_status_get(r->task, &s) != VX_OK || s.state != VX_TASK_EXITED ||
        s.exit_code != 0)
        die("echo failed");
}

/* Many producers on one Ring: four ring_echo Tasks, each holding a TX
 * minted with its own badge, told to produce through their own command
 * Ring. */
typedef struct ring_mpsc {
    vx_ring_rx rx;
    vx_ring_tx cmd[MPSC_N];
    vx_task task[MPSC_N];
} ring_mpsc;

static void ring_mpsc_start(ring_mpsc *m)
{
    vx_handle image;
    if (vx_task_initial_handle("ring_echo", VX_OBJ_REGION, &image) != VX_OK)
        die("no ring_echo image");
    vx_ring_params p = {MSG, 1024, 0xbe4d};
    vx_ring_tx tx;
    if (vx_ring_create(&p, &tx, &m->rx) != VX_OK)
        die("ring create");
    for (int i = 0; i < MPSC_N; i++) {
        vx_ring_tx badged;
        vx_ring_rx cmd_rx;
        if (vx_ring_tx_mint(tx, (uint64_t)i + 1,
                            VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_TRANSFER,
                            &badged) != VX_OK ||
            vx_ring_create(&p, &m->cmd[i], &cmd_rx) != VX_OK)
            die("ring mint");
        vx_named_handle hs[] = {{"cmd", cmd_rx.h}, {"reply", badged.h}};
        vx_spawn_args a = {{image}, "ring-producer", 16u << 20, 16, 2, hs};
        if (vx_task_spawn(&a, &m->task[i]) != VX_OK)
            die("spawn");
    }
    if (vx_handle_close(tx.h) != VX_OK ||
        vx_signal_bind(m->rx.h, VX_COND_READABLE, 5) != VX_OK)
        die("bind");
}

static void ring_mpsc_run(void *arg)
{
    ring_mpsc *m = arg;
    uint64_t next[MPSC_N] = {0};
    uint8_t go[8] = {'P'};
    uint32_t n = MPSC_MSGS;
    memcpy(go + 4, &n, 4);
    for (int i = 0; i < MPSC_N; i++)
        ring_send(m->cmd[i], go, sizeof go);
    uint8_t msg[MSG];
    vx_time idle_since = 0;
    for (int got = 0; got < MPSC_N * MPSC_MSGS;) {
        vx_msg_in in = {msg, MSG, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(m->rx, &in);
        if (st == VX_ERR_SHOULD_WAIT) {
            backoff(&idle_since, UINT64_C(1) << 5);
            continue;
        }
        if (st != VX_OK)
            die("ring recv");
        idle_since = 0;
        uint64_t seq;
        memcpy(&seq, msg + 8, 8);
        if (in.badge < 1 || in.badge > MPSC_N || seq != next[in.badge - 1]++)
            die("ring producer order");
        got++;
    }
}

static void ring_mpsc_stop(ring_mpsc *m)
{
    for (int i = 0; i < MPSC_N; i++)
        if (vx_handle_close(m->cmd[i].h) != VX_OK)
            die("close");
    if (vx_signal_unbind(5) != VX_OK || vx_handle_close(m->rx.h) != VX_OK)
        die("close");
    for (int i = 0; i < MPSC_N; i++) {
        uint64_t pending;
        vx_task_status s;
        if (vx_signal_bind(m->task[i].h, VX_COND_TASK_EXITED, 6) != VX_OK ||
            vx_wait(UINT64_C(1) << 6,
                    vx_clock_monotonic() + UINT64_C(10000000000),
                    &pending) != VX_OK ||
            vx_signal_unbind(6) != VX_OK ||
            vx_task_status_get(m->task[i], &s) != VX_OK ||
            s.state != VX_TASK_EXITED || s.exit_code != 0 ||
            vx_handle_close(m->task[i].h) != VX_OK)
            die("producer failed");
    }
}

int main(void)
{
    /* The image reaches the root Task as an initial handle, as in tests. */
    setenv("VX_HOSTED_INITIAL", "ring_echo=" RING_ECHO_IMAGE, 1);
    printf("# ring: 64-byte slots, 1024 per Ring; messages through a shared-"
           "memory lane; a waiting end polls %u us, then polls with "
           "sched_yield to %u us, then sleeps (eventfd doorbell); copies: "
           "memcpy, or SSE2 non-temporal stores for a batch of 16+ to a "
           "consumer on another CPU\n", PAUSE_NS / 1000, SPIN_NS / 1000);
    printf("# peers: a forked child; pipe(2), socketpair(AF_UNIX, "
           "SOCK_STREAM), eventfd(2); blocking read/write, one message "
           "per call\n");
    printf("# mpsc4: %d producer processes x %d messages, one per call; "
           "ring: one Ring, a badged TX (its own lane) each; pipe: one "
           "pipe, %d writers\n", MPSC_N, MPSC_MSGS, MPSC_N);

    double rtt[3];
    const char *names[3] = {"pipe", "socketpair", "eventfd"};
    for (int k = 0; k < 3; k++) {
        peer p = peer_start((enum peer_kind)k);
        rtt[k] = bench_median_ns(peer_rtt, &p, 1, 7) / RTT_ITERS;
        peer_stop(&p);
    }
    peer p = peer_start(PEER_PIPE);
    double pipe_oneway = bench_median_ns(peer_oneway, &p, 1, 5);
    peer_stop(&p);

    ring_peer r;
    ring_start(&r);
    double ring_rt = bench_median_ns(ring_rtt, &r, 1, 7) / RTT_ITERS;
    double ring_one = bench_median_ns(ring_oneway, &r, 1, 5);
    ring_set_batch(&r, BATCH);
    double ring_batch = bench_median_ns(ring_oneway_batch, &r, 1, 5);
    ring_stop(&r);

    pipe_mpsc pm;
    pipe_mpsc_start(&pm);
    double pipe_mpsc_ns = bench_median_ns(pipe_mpsc_run, &pm, 1, 5);
    pipe_mpsc_stop(&pm);
    ring_mpsc rm;
    ring_mpsc_start(&rm);
    double ring_mpsc_ns = bench_median_ns(ring_mpsc_run, &rm, 1, 5);
    ring_mpsc_stop(&rm);

    for (int k = 0; k < 3; k++)
        bench_report("ring_round_trip_64", "ns", ring_rt, names[k], rtt[k]);
    double per_s = 1e9 * ONEWAY_MSGS;
    bench_report("ring_oneway_64", "ops/s", per_s / ring_one, "pipe",
                 per_s / pipe_oneway);
    bench_report("ring_oneway_batch64_64", "ops/s", per_s / ring_batch, "pipe",
                 per_s / pipe_oneway);
    double mpsc_per_s = 1e9 * MPSC_N * MPSC_MSGS;
    bench_report("ring_mpsc4_64", "ops/s", mpsc_per_s / ring_mpsc_ns, "pipe",
                 mpsc_per_s / pipe_mpsc_ns);
    return 0;
}
