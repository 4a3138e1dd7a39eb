/* The driver of the native service benchmark (kernel/bench/services.sh,
 * docs/benchmarks.md "Services natively"). initd starts it from the bench
 * Bundle beside `trivial` (trivial.c) and treats both as it treats every
 * service: verified, spawned from their image Regions with exactly their
 * footprints, restarted per manifest. benchd holds what a client of the
 * supervisor holds: `control` (initd's control inbox), `trivial` (a TX of
 * trivial's inbox) and its own inbox, where every trivial instance sends
 * its reports (svcbench.h). Under QEMU -icount shift=0 every clock is an
 * instruction count, so the figures are instructions.
 *
 * - spawn: trivial stopped, benchd reads the clock and asks initd to
 *   start it; the figure ends at the clock stamp of the new instance's
 *   first message (read just before that message is encoded and sent).
 * - restart: the same, asking initd to restart a running instance (kill,
 *   then start at once, with no backoff).
 * - control: what a control request costs alone (one initd refuses).
 * - crash: a `crash` request; the instance stamps a "fault" report, sends
 *   it and faults; initd sees TASK_EXITED, waits out the manifest's
 *   backoff (1 ms, the least a manifest may ask) and starts a new instance;
 *   the figure is from the fault's stamp to the new instance's first
 *   message stamp.
 * While the measured work runs benchd sleeps on a deadline, not on its
 * inbox, so no report wakes it: both ends of each figure are stamps taken
 * just before a send to a Ring nobody waits on (the two sends cost the
 * same, so the crash figure is exactly the fault to the first message's
 * arrival). It prints `measure NAME instructions=N` (the median) and `# `
 * lines through the kernel log, then "svcbench: done", and asks initd to
 * power off. */
#include <stdarg.h>
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

#include "initd_control.h"
#include "service_echo.h"
#include "svcbench.h"

#define WARMUP 1u
#define ROUNDS 21u                 /* odd: the median is one sample */
#define MS UINT64_C(1000000)
#define SETTLE (5 * MS)            /* > backoff + a start, in instructions */
#define LONG_WAIT (10000 * MS)     /* for anything that should not wait */
#define BIT_INBOX 0u
#define BIT_CALL 1u
#define BIT_IDLE 63u   /* bound to nothing: a wait on it is a sleep */

void v_service_stderr(void *ctx, const char *line, size_t len);

typedef struct bench {
    vx_ring_rx inbox;
    vx_ring_tx control;
    vx_ring_tx trivial;
    v_arena arena;
    _Alignas(16) uint8_t arena_mem[16384];
} bench;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    (void)v_vfmt(line, sizeof line, NULL, fmt, ap);
    va_end(ap);
    v_service_stderr(NULL, line, v_cstr_len(line));
}

static v_status failed(const char *what, v_status st)
{
    say("svcbench: FAILED: %s (%d)", what, (int)st);
    return st == V_OK ? V_ERR_BAD_STATE : st;
}

static vx_time after(uint64_t ns)
{
    return vx_clock_monotonic() + ns;
}

/* Sleeps until `deadline`: a wait needs a bit, and nothing raises this
 * one. */
static v_status sleep_until(vx_time deadline)
{
    uint64_t pending;
    vx_status st = vx_wait(UINT64_C(1) << BIT_IDLE, deadline, &pending);
    return st == VX_ERR_TIMED_OUT ? V_OK : (v_status)st;
}

/* The decimal text of a report (0 when absent or not a number). */
static uint64_t text_number(const vectra_echo_Echo *e)
{
    uint64_t n = 0;
    for (size_t i = 0; e->has_text && i < e->text.len && i < 20; i++) {
        char c = e->text.ptr[i];
        if (c < '0' || c > '9')
            return 0;
        n = n * 10 + (uint64_t)(c - '0');
    }
    return n;
}

/* The next report on the inbox, which must be of `kind`; *stamp its
 * clock value, *entered (may be NULL) the instance's v_main entry clock.
 * Waits (bounded) if none is queued yet. */
static v_status report_in(bench *b, uint64_t kind, uint64_t *stamp,
                          uint64_t *entered)
{
    uint8_t buf[256];
    vx_time deadline = after(LONG_WAIT);
    for (;;) {
        vx_msg_in m = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
        v_status st = (v_status)vx_ring_recv(b->inbox, &m);
        if (st == V_OK) {
            for (uint32_t i = 0; i < m.handle_count; i++)
                (void)!vx_handle_close(m.handles[i]);
            v_arena_reset(&b->arena);
            vectra_echo_Request r;
            v_encoding_error err;
            st = vectra_echo_Request_decode(buf, m.len, 0, &b->arena.base,
                                            &r, &err);
            if (st != V_OK || r.call.tag != VECTRA_ECHO_CALL_ECHO ||
                r.id != kind)
                return failed("an unexpected report", st);
            *stamp = r.call.u.echo.value;
            if (entered != NULL)
                *entered = text_number(&r.call.u.echo);
            return V_OK;
        }
        uint64_t pending;
        if (st != V_ERR_SHOULD_WAIT ||
            (st = (v_status)vx_wait(UINT64_C(1) << BIT_INBOX, deadline,
                                    &pending)) != V_OK)
            return failed("waiting for a report", st);
    }
}

static v_status control_encode(vectra_initd_Call_tag tag, bool reply,
                               uint8_t *buf, size_t cap, size_t *len)
{
    vectra_initd_Request q = {0};
    q.has_reply = reply;
    q.id = 1;
    q.call.tag = tag;
    /* start, stop and restart share the Name payload */
    q.call.u.start.name = (v_schema_str){"trivial", 7};
    v_encoding_error err;
    return vectra_initd_Request_encode(&q, buf, cap, len, &err);
}

/* One control call that must succeed; *out (may be NULL) the decoded
 * reply, valid until the next use of the arena. */
static v_status control(bench *b, vectra_initd_Call_tag tag,
                        vectra_initd_Reply *out)
{
    uint8_t buf[128], rbuf[4096];
    size_t len = 0;
    v_status st = control_encode(tag, true, buf, sizeof buf, &len);
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    if (st == V_OK)
        st = v_service_call_sync(b->control, vectra_initd_SCHEMA_ID, buf, len,
                                 NULL, 0, BIT_CALL, after(LONG_WAIT), &in);
    if (st != V_OK)
        return failed("a control call", st);
    for (uint32_t i = 0; i < in.handle_count; i++)
        (void)!vx_handle_close(in.handles[i]);
    vectra_initd_Reply r;
    v_encoding_error err;
    v_arena_reset(&b->arena);
    st = vectra_initd_Reply_decode(rbuf, in.len, 0, &b->arena.base, &r, &err);
    if (st != V_OK || r.status != V_OK)
        return failed("a control reply", st != V_OK ? st : r.status);
    if (out != NULL)
        *out = r;
    return V_OK;
}

/* Waits until initd reports trivial in `state` (after a stop, initd sees
 * the exit on a later iteration than the one that answered). */
static v_status await_state(bench *b, vectra_initd_State state)
{
    for (int tries = 0; tries < 1000; tries++) {
        vectra_initd_Reply r;
        v_status st = control(b, VECTRA_INITD_CALL_TASKS, &r);
        if (st != V_OK)
            return st;
        for (size_t i = 0; i < r.tasks.count; i++)
            if (r.tasks.items[i].name.len == 7 &&
                v_mem_equal(r.tasks.items[i].name.ptr, "trivial", 7) &&
                r.tasks.items[i].state == state)
                return V_OK;
        if ((st = sleep_until(after(MS / 10))) != V_OK)
            return failed("sleeping", st);
    }
    return failed("trivial never reached the state wanted", V_OK);
}

/* Asks initd to start or restart trivial, stamping the clock just before
 * the request is sent; *sample: to the new instance's first message,
 * *part: to its v_main's entry. */
static v_status timed_start(bench *b, vectra_initd_Call_tag tag,
                            uint64_t *sample, uint64_t *part)
{
    uint8_t buf[128], rbuf[256];
    size_t len = 0;
    vx_ring_params p = {V_SERVICE_MSG_MAX, 1, vectra_initd_SCHEMA_ID};
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    v_status st = control_encode(tag, true, buf, sizeof buf, &len);
    if (st == V_OK)
        st = (v_status)vx_ring_create(&p, &rtx, &rrx);
    if (st != V_OK)
        return failed("preparing a request", st);
    vx_msg_out m = {buf, (uint32_t)len, 1, {rtx.h}};
    uint64_t t0 = vx_clock_monotonic();
    st = (v_status)vx_ring_send(b->control, &m);
    if (st != V_OK)
        (void)!vx_handle_close(rtx.h); /* not moved */
    uint64_t up = 0, entered = 0;
    if (st == V_OK)
        st = sleep_until(after(SETTLE));
    if (st == V_OK)
        st = report_in(b, SVCBENCH_UP, &up, &entered);
    /* initd's answer came before the new instance ran; it must be OK. */
    vx_msg_in in = {rbuf, sizeof rbuf, 0, 0, 0, 0, {{0}}};
    int32_t status = 0;
    uint64_t id;
    if (st == V_OK && ((st = (v_status)vx_ring_recv(rrx, &in)) != V_OK ||
                       (st = v_service_reply_peek(rbuf, in.len, &status,
                                                  &id)) != V_OK ||
                       (st = (v_status)status) != V_OK))
        (void)failed("initd's answer to a start", st);
    (void)!vx_handle_close(rrx.h);
    *sample = up - t0;
    *part = entered - t0;
    return st;
}

static v_status crash_restart(bench *b, uint64_t *sample, uint64_t *part)
{
    vectra_echo_Request q = {0};
    q.id = 1;
    q.call.tag = VECTRA_ECHO_CALL_CRASH;
    uint8_t buf[64];
    size_t len = 0;
    v_encoding_error err;
    v_status st = vectra_echo_Request_encode(&q, buf, sizeof buf, &len, &err);
    vx_msg_out m = {buf, (uint32_t)len, 0, {{0}}};
    if (st == V_OK)
        st = (v_status)vx_ring_send(b->trivial, &m);
    if (st == V_OK)
        st = sleep_until(after(SETTLE));
    uint64_t fault = 0, up = 0, entered = 0;
    if (st == V_OK)
        st = report_in(b, SVCBENCH_FAULT, &fault, NULL);
    if (st == V_OK)
        st = report_in(b, SVCBENCH_UP, &up, &entered);
    *sample = up - fault;
    *part = entered - fault;
    return st;
}

typedef v_status (*round_fn)(bench *b, uint64_t *sample, uint64_t *part);

static v_status spawn_round(bench *b, uint64_t *sample, uint64_t *part)
{
    v_status st = control(b, VECTRA_INITD_CALL_STOP, NULL);
    if (st == V_OK)
        st = await_state(b, VECTRA_INITD_STATE_STOPPED);
    if (st == V_OK)
        st = timed_start(b, VECTRA_INITD_CALL_START, sample, part);
    return st;
}

static v_status restart_round(bench *b, uint64_t *sample, uint64_t *part)
{
    return timed_start(b, VECTRA_INITD_CALL_RESTART, sample, part);
}

/* What a control request costs by itself: a start of the running
 * instance, which initd refuses at once (BAD_STATE, nothing logged), as
 * a synchronous call (its one-shot reply Ring included). */
static v_status refused_round(bench *b, uint64_t *sample, uint64_t *part)
{
    uint8_t buf[128], rbuf[256];
    size_t len = 0;
    v_status st = control_encode(VECTRA_INITD_CALL_START, true, buf,
                                 sizeof buf, &len);
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    uint64_t t0 = vx_clock_monotonic();
    if (st == V_OK)
        st = v_service_call_sync(b->control, vectra_initd_SCHEMA_ID, buf, len,
                                 NULL, 0, BIT_CALL, after(LONG_WAIT), &in);
    *sample = vx_clock_monotonic() - t0;
    *part = 0;
    int32_t status = 0;
    uint64_t id;
    if (st == V_OK)
        st = v_service_reply_peek(rbuf, in.len, &status, &id);
    if (st != V_OK || status != V_ERR_BAD_STATE)
        return failed("a start of a running service", st);
    return V_OK;
}

static void sort(uint64_t *v, uint32_t n) /* insertion sort: 21 values */
{
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* WARMUP rounds, then the median of ROUNDS, printed as `measure`, and
 * the median of the part up to the new instance's v_main as a note. */
static v_status measure(bench *b, const char *name, round_fn fn)
{
    uint64_t v[ROUNDS], part[ROUNDS];
    for (uint32_t i = 0; i < WARMUP + ROUNDS; i++) {
        uint64_t s = 0, p = 0;
        v_status st = fn(b, &s, &p);
        if (st != V_OK)
            return st;
        if (i >= WARMUP) {
            v[i - WARMUP] = s;
            part[i - WARMUP] = p;
        }
    }
    sort(v, ROUNDS);
    sort(part, ROUNDS);
    say("measure %s instructions=%llu", name,
        (unsigned long long)v[ROUNDS / 2]);
    say("# services: %s: min %llu, max %llu over %u rounds", name,
        (unsigned long long)v[0], (unsigned long long)v[ROUNDS - 1], ROUNDS);
    if (part[ROUNDS / 2] != 0)
        say("# services: %s: the new instance entered v_main after %llu "
            "(median)", name, (unsigned long long)part[ROUNDS / 2]);
    return V_OK;
}

int32_t v_main(const v_process *p)
{
    (void)p;
    static bench b;
    if (v_process_handle("inbox", VX_OBJ_RING_RX, &b.inbox.h) != V_OK ||
        v_process_handle("control", VX_OBJ_RING_TX, &b.control.h) != V_OK ||
        v_process_handle("trivial", VX_OBJ_RING_TX, &b.trivial.h) != V_OK)
        return V_EXIT_FOOTPRINT;
    v_status st = v_arena_init(&b.arena, b.arena_mem, sizeof b.arena_mem);
    if (st == V_OK)
        st = (v_status)vx_signal_bind(b.inbox.h, VX_COND_READABLE, BIT_INBOX);
    if (st != V_OK)
        return v_process_exit_code(st);
    /* initd started trivial after benchd (manifest order): its first
     * instance says it is up before anything is measured. */
    uint64_t stamp;
    if ((st = report_in(&b, SVCBENCH_UP, &stamp, NULL)) != V_OK)
        return v_process_exit_code(st);
    say("# services: initd supervising `trivial` (the skeleton, inbox and "
        "one Ring TX; 1 ms backoff); %u warm-up + %u rounds each",
        WARMUP, ROUNDS);
    if ((st = measure(&b, "native_service_spawn_to_first_message",
                      spawn_round)) == V_OK &&
        (st = measure(&b, "native_service_restart_to_first_message",
                      restart_round)) == V_OK &&
        (st = measure(&b, "native_service_control_refused",
                      refused_round)) == V_OK)
        st = measure(&b, "native_service_crash_to_restarted", crash_restart);
    say("svcbench: %s", st == V_OK ? "done" : "FAILED");
    /* No reply wanted: initd ends this Task too on its way out. */
    uint8_t buf[64];
    size_t len = 0;
    if (control_encode(VECTRA_INITD_CALL_POWEROFF, false, buf, sizeof buf,
                       &len) == V_OK) {
        vx_msg_out m = {buf, (uint32_t)len, 0, {{0}}};
        (void)!vx_ring_send(b.control, &m);
    }
    return v_process_exit_code(st);
}
