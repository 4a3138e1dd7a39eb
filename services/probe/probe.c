/* The client side of the native supervision tests (docs/services.md §7,
 * suite supervise-native): a Task that initd starts from the test Bundle
 * and that checks, from inside the machine, what the hosted tests check
 * from the root Task. Natively there is no root Task to drive services,
 * so the checks run here and their verdicts go out as log lines through
 * the sink (the kernel log on COM1), where the suite's script reads them:
 *
 *     PASS <check>
 *     FAIL <check>: <what was seen>
 *     DONE <mode>: <n> passed, <m> failed
 *
 * The first argument picks the checks:
 *   restart    footprint `echo` (a TX of the echo service's inbox): the
 *              echo service answers; a request that makes it fault costs
 *              that one request (PEER_CLOSED); the next request through
 *              the SAME TX is answered by the instance initd restarted.
 *   isolation  an empty footprint: no name reaches another service's
 *              inbox, and no handle value it can guess names a handle
 *              it was not given.
 * It exits 0 when every check passed, else 1. */
#include <stdarg.h>
#include <v/alloc.h>
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

#include "../testsvc/echo.h"

void v_service_stderr(void *ctx, const char *line, size_t len);

#define SECOND UINT64_C(1000000000)

typedef struct probe {
    const char *mode;
    uint32_t passed, failed;
} probe;

/* One line through the sink (natively: the kernel log, on COM1). */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
    char line[160];
    size_t n = 0;
    va_list ap;
    va_start(ap, fmt);
    (void)v_vfmt(line, sizeof line, &n, fmt, ap);
    va_end(ap);
    v_service_stderr(NULL, line, n < sizeof line ? n : sizeof line - 1);
}

static void verdict(probe *pr, const char *check, bool ok, const char *why)
{
    if (ok) {
        pr->passed++;
        say("PASS %s", check);
    } else {
        pr->failed++;
        say("FAIL %s: %s", check, why);
    }
}

/* One request to the echo service through `tx`; the reply's value. */
static v_status call(vx_ring_tx tx, vectra_echo_Call c, uint64_t *value)
{
    return echo_call(tx, c, 7, vx_clock_monotonic() + 10 * SECOND, value);
}

/* "got STATUS" or "got value N" into buf. */
static const char *seen(char *buf, size_t cap, v_status st, uint64_t v)
{
    if (st != V_OK)
        (void)v_fmt(buf, cap, NULL, "got %s", v_status_name(st));
    else
        (void)v_fmt(buf, cap, NULL, "got value %llu", (unsigned long long)v);
    return buf;
}

static void check_echo(probe *pr, const char *check, vx_ring_tx tx,
                       uint64_t in)
{
    uint64_t v = 0;
    char why[64];
    v_status st = call(tx, echo_of(in), &v);
    verdict(pr, check, st == V_OK && v == in + 1, seen(why, sizeof why, st, v));
}

static void run_restart(probe *pr)
{
    vx_handle h;
    v_status st = v_process_handle("echo", VX_OBJ_RING_TX, &h);
    verdict(pr, "restart.footprint_has_echo", st == V_OK,
            v_status_name(st));
    if (st != V_OK)
        return;
    vx_ring_tx tx = {h};
    check_echo(pr, "restart.echo_answers", tx, 1);

    /* The fault ends the instance holding the request: its reply TX
     * closes with it, so exactly this request fails. */
    vectra_echo_Call crash = {0};
    crash.tag = VECTRA_ECHO_CALL_CRASH;
    uint64_t v = 0;
    char why[64];
    st = call(tx, crash, &v);
    verdict(pr, "restart.fault_costs_one_request", st == V_ERR_PEER_CLOSED,
            seen(why, sizeof why, st, v));

    /* Sent at once, during initd's backoff: it waits in the inbox the
     * restarted instance takes over, through the same TX. */
    uint64_t t0 = vx_clock_monotonic();
    check_echo(pr, "restart.next_request_same_inbox_succeeds", tx, 41);
    uint64_t ms = (vx_clock_monotonic() - t0) / 1000000u;
    say("# fault to the next reply: %llu ms", (unsigned long long)ms);
    check_echo(pr, "restart.later_requests_succeed", tx, 99);
    (void)!vx_handle_close(tx.h);
}

/* Every name a service or initd is known by, and the names initd's own
 * handles and a service's inbox go by. */
static const char *const names[] = {
    "echo",    "logd",       "console",     "loop", "lonely",
    "probe",   "isolated",   "init",        "initd", "inbox",
    "control", "control.tx", "boot.bundle", "com1", "com1.irq",
};

static void run_isolation(probe *pr)
{
    /* By name, through libv and the raw call, as every object type. */
    uint32_t reached = 0;
    const char *which = "none";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        vx_handle h;
        if (v_process_handle(names[i], VX_OBJ_RING_TX, &h) == V_OK) {
            reached++;
            which = names[i];
        }
        for (vx_obj_type t = VX_OBJ_TASK; t <= VX_OBJ_TIMER; t++) {
            if (vx_task_initial_handle(names[i], t, &h) == VX_OK) {
                reached++;
                which = names[i];
            }
        }
    }
    verdict(pr, "isolation.no_name_reaches_a_service", reached == 0, which);

    vx_handle h;
    v_status st = v_process_handle("echo", VX_OBJ_RING_TX, &h);
    verdict(pr, "isolation.echo_is_out_of_range", st == V_ERR_OUT_OF_RANGE,
            v_status_name(st));

    /* By value: every index of a handle table (16 bits), with the first
     * 8 generations. It was given no handle (its start block is closed
     * once read), so the only values that may name anything are those
     * of the Ring and Region it makes here first: finding them shows the
     * scan would see a handle if there were one. A send can go through
     * only its own TX (once: the Ring has one slot). */
    vx_ring_params rp = {64, 1, 0};
    vx_ring_tx own_tx = {{0}};
    vx_ring_rx own_rx = {{0}};
    vx_region own_r = {{0}};
    st = vx_ring_create(&rp, &own_tx, &own_rx);
    if (st == V_OK)
        st = vx_region_create(VX_PAGE_SIZE, &own_r);
    verdict(pr, "isolation.makes_its_own_handles", st == V_OK,
            v_status_name(st));
    uint32_t found = 0, foreign = 0, sent = 0;
    for (uint32_t idx = 0; idx <= 0xffff; idx++) {
        for (uint32_t gen = 1; gen <= 8; gen++) {
            vx_handle g = {idx | gen << 16};
            vx_handle_info info;
            if (vx_handle_info_get(g, &info) == VX_OK) {
                found++;
                if (g.value != own_tx.h.value && g.value != own_rx.h.value &&
                    g.value != own_r.h.value)
                    foreign++;
            }
            uint8_t byte = 0;
            vx_msg_out m = {&byte, 1, 0, {{0}}};
            if (vx_ring_send((vx_ring_tx){g}, &m) == VX_OK &&
                g.value != own_tx.h.value)
                sent++;
        }
    }
    char why[112];
    (void)v_fmt(why, sizeof why, NULL,
                "of 524288 guessed values %u named a handle (its own 3), "
                "%u another; %u sends went elsewhere",
                found, foreign, sent);
    say("# %s", why);
    verdict(pr, "isolation.scan_finds_its_own_handles", found == 3, why);
    verdict(pr, "isolation.no_guessed_value_reaches_a_service",
            foreign == 0 && sent == 0, why);
    (void)!vx_handle_close(own_tx.h);
    (void)!vx_handle_close(own_rx.h);
    (void)!vx_handle_close(own_r.h);
}

int32_t v_main(const v_process *p)
{
    probe pr = {p->argc > 0 ? p->argv[0] : "", 0, 0};
    if (v_cstr_compare(pr.mode, "restart") == 0)
        run_restart(&pr);
    else if (v_cstr_compare(pr.mode, "isolation") == 0)
        run_isolation(&pr);
    else
        verdict(&pr, "probe.mode", false, "unknown mode");
    say("DONE %s: %u passed, %u failed", pr.mode, pr.passed, pr.failed);
    return pr.failed == 0 ? V_EXIT_OK : V_EXIT_FAILURE;
}
