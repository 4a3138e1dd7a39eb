/* Service lifecycle on the hosted backend (docs/services.md):
 *  - spawn-to-first-message: v_process_spawn of the test service with an
 *    inbox holding one echo request, until its reply arrives;
 *  - crash-to-restarted: under initd, a request that makes the service
 *    fault, until a request through the same inbox TX is answered by the
 *    restarted instance (the manifest's backoff is 1 ms, included).
 * The peer of both is what a Linux supervisor pays for one child: fork +
 * execve + waitpid of a trivial static process (service_trivial.c).
 * This process is the root Task (the core at -O2, no sanitizers). */
#define _POSIX_C_SOURCE 200809L
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <vx/vx.h>

#include "../../services/tests/machine.h"
#include "bench.h"
#include "service_echo.h"

#define SECOND UINT64_C(1000000000)

static size_t encode(uint8_t *buf, size_t cap, vectra_echo_Call_tag tag,
                     bool reply)
{
    vectra_echo_Request r = {0};
    r.has_reply = reply;
    r.id = 1;
    r.call.tag = tag;
    size_t len = 0;
    v_encoding_error err;
    if (vectra_echo_Request_encode(&r, buf, cap, &len, &err) != V_OK)
        abort();
    return len;
}

/* ---- spawn to first message ---- */
static vx_region testsvc;

static void spawn_first(void *arg)
{
    (void)arg;
    vx_ring_params p = {1024, 16, vectra_echo_SCHEMA_ID};
    vx_ring_tx tx, rtx;
    vx_ring_rx rx, rrx;
    vx_ring_params rp = {V_SERVICE_MSG_MAX, 1, vectra_echo_SCHEMA_ID};
    if (vx_ring_create(&p, &tx, &rx) != VX_OK ||
        vx_ring_create(&rp, &rtx, &rrx) != VX_OK)
        abort();
    uint8_t buf[64];
    size_t len = encode(buf, sizeof buf, VECTRA_ECHO_CALL_ECHO, true);
    vx_msg_out m = {buf, (uint32_t)len, 1, {rtx.h}};
    if (vx_ring_send(tx, &m) != VX_OK)
        abort();
    vx_named_handle hs[1] = {{"inbox", rx.h}};
    v_process_spawn_args a = {0};
    a.image = testsvc;
    a.name = "bench";
    a.quota_bytes = 16u << 20;
    a.handle_limit = 64;
    a.handle_count = 1;
    a.handles = hs;
    vx_task t;
    if (v_process_spawn(&a, &t) != V_OK ||
        vx_signal_bind(rrx.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 1) !=
            VX_OK)
        abort();
    uint64_t pending;
    for (;;) {
        vx_msg_in in = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(rrx, &in);
        if (st == VX_OK)
            break;
        if (st != VX_ERR_SHOULD_WAIT ||
            vx_wait(2, vx_clock_monotonic() + 10 * SECOND, &pending) != VX_OK)
            abort();
    }
    /* Not part of the measured path's meaning, but inside it: the Task
     * is ended and reaped so each round starts alike. */
    (void)!vx_task_kill(t);
    if (vx_signal_bind(t.h, VX_COND_TASK_EXITED, 2) != VX_OK ||
        vx_wait(4, vx_clock_monotonic() + 10 * SECOND, &pending) != VX_OK)
        abort();
    (void)!vx_handle_close(t.h);
    (void)!vx_handle_close(tx.h);
    (void)!vx_handle_close(rrx.h);
}

/* ---- the peer ---- */
static void fork_exec_wait(void *arg)
{
    char *const argv[] = {arg, NULL};
    char *const envp[] = {NULL};
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        execve(arg, argv, envp);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        abort();
}

/* ---- crash to restarted ---- */
typedef struct crash_ctx {
    vx_ring_tx echo;
} crash_ctx;

static void crash_restart(void *arg)
{
    crash_ctx *c = arg;
    uint8_t buf[64], rbuf[256];
    size_t len = encode(buf, sizeof buf, VECTRA_ECHO_CALL_CRASH, false);
    vx_msg_out m = {buf, (uint32_t)len, 0, {{0}}};
    if (vx_ring_send(c->echo, &m) != VX_OK)
        abort();
    len = encode(buf, sizeof buf, VECTRA_ECHO_CALL_ECHO, true);
    /* The echo waits in the inbox until the new instance takes it; if the
     * old one still took it and died, PEER_CLOSED says so: ask again. */
    for (int tries = 0; tries < 100; tries++) {
        v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
        v_status st = v_service_call_sync(c->echo, vectra_echo_SCHEMA_ID, buf,
                                          len, NULL, 0, 3,
                                          vx_clock_monotonic() + 10 * SECOND,
                                          &in);
        if (st == V_OK)
            return;
        if (st != V_ERR_PEER_CLOSED)
            abort();
    }
    abort();
}

int main(void)
{
    /* The peer first, while this process is still small: a fork copies
     * the page tables of the whole address space, and the core's would
     * make the peer look slower than a real supervisor is. */
    double peer = bench_median_ns(fork_exec_wait,
                                  (void *)SERVICE_BENCH_TRIVIAL, 5, 40);
    setenv("VX_HOSTED_INITIAL",
           "initd=" SERVICE_BENCH_INITD ":testsvc=" SERVICE_BENCH_TESTSVC
           ":bundle=" SERVICE_BENCH_BUNDLE, 1);
    vx_handle h;
    if (vx_task_initial_handle("testsvc", VX_OBJ_REGION, &h) != VX_OK)
        abort();
    testsvc.h = h;
    printf("# ours: vx Task = sandboxed (seccomp) static process with a "
           "broker connection; libv_service echo service; scalar code\n");
    printf("# spawn: inbox + queued request, v_process_spawn, first reply, "
           "then kill and reap inside the timing (the peer's waitpid is "
           "too)\n");
    printf("# peer: fork + execve + waitpid of a trivial static process "
           "(%s)\n", SERVICE_BENCH_TRIVIAL);

    double spawn = bench_median_ns(spawn_first, NULL, 3, 40);
    bench_report("service_spawn_to_first_message", "ns", spawn,
                 "fork_exec_waitpid", peer);

    machine mc;
    vx_region r;
    uint8_t *map;
    uint64_t len;
    vectra_initd_TaskInfo info;
    crash_ctx c;
    if (machine_bundle_copy(&r, &map, &len) != V_OK ||
        machine_boot(&mc, r) != V_OK ||
        machine_wait_state(&mc, "echo", VECTRA_INITD_STATE_RUNNING, &info) !=
            V_OK ||
        machine_connect(&mc, "echo", &c.echo) != V_OK)
        abort();
    printf("# crash: a write to address 8 (SIGSEGV -> CRASHED); initd "
           "backoff 1 ms included\n");
    double crash = bench_median_ns(crash_restart, &c, 3, 30);
    bench_report("service_crash_to_restarted", "ns", crash,
                 "fork_exec_waitpid", peer);
    (void)!vx_handle_close(c.echo.h);
    if (machine_poweroff(&mc) != V_OK)
        abort();
    return 0;
}
