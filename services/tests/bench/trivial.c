/* The trivial service of the native service benchmark (svcbench.h): a
 * service on the skeleton that does nothing but report. initd starts it
 * with its inbox and `bench`, a TX of benchd's inbox. As soon as its
 * skeleton is ready to serve, it sends benchd its first message, "up",
 * stamped with the clock; on a `crash` request it sends "fault", stamped
 * the same way, and faults at once. Under QEMU -icount shift=0 the stamps
 * are instruction counts. */
#include <v/process.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

#include "../../testsvc/echo.h"
#include "svcbench.h"

void v_service_stderr(void *ctx, const char *line, size_t len);

/* Sends benchd report `kind` with the clock read just before it is
 * encoded and sent (a send to a Ring whose reader is not waiting, so
 * nothing else runs meanwhile), and `entered`, the clock at v_main's entry,
 * as decimal text (formatted before the clock is read). */
static v_status report(vx_ring_tx bench, uint64_t kind, uint64_t entered)
{
    char text[24];
    size_t n = 0;
    vectra_echo_Request r = {0};
    r.id = kind;
    r.call.tag = VECTRA_ECHO_CALL_ECHO;
    if (v_fmt(text, sizeof text, &n, "%llu", (unsigned long long)entered) ==
        V_OK) {
        r.call.u.echo.has_text = true;
        r.call.u.echo.text = (v_schema_str){text, n};
    }
    r.call.u.echo.value = vx_clock_monotonic();
    uint8_t buf[64];
    size_t len = 0;
    v_encoding_error err;
    v_status st = vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err);
    if (st != V_OK)
        return st;
    vx_msg_out m = {buf, (uint32_t)len, 0, {{0}}};
    return (v_status)vx_ring_send(bench, &m);
}

static v_status on_crash(v_service *s, v_service_call *c)
{
    (void)c;
    const vx_ring_tx *bench = s->ctx;
    v_status st = report(*bench, SVCBENCH_FAULT, 0);
    if (st != V_OK)
        return st;
    /* Page 0 is never mapped; the volatile keeps the store. */
    volatile uintptr_t nowhere = 8;
    *(volatile int *)nowhere = 1;
    return V_ERR_BAD_STATE;
}

static const v_service_handler handlers[] = {
    [VECTRA_ECHO_CALL_CRASH] = on_crash,
};

static const v_service_ops ops = {
    vectra_echo_SCHEMA_ID, sizeof(vectra_echo_Request), echo_decode,
    echo_envelope, NULL, sizeof handlers / sizeof handlers[0], handlers};

int32_t v_main(const v_process *p)
{
    (void)p;
    uint64_t entered = vx_clock_monotonic();
    static v_exec e;
    static v_service s;
    static vx_ring_tx bench;
    vx_handle inbox;
    if (v_process_handle("inbox", VX_OBJ_RING_RX, &inbox) != V_OK ||
        v_process_handle("bench", VX_OBJ_RING_TX, &bench.h) != V_OK)
        return V_EXIT_FOOTPRINT;
    v_status st = v_exec_init(&e, ~UINT64_C(0xff));
    v_service_config c = {"trivial", &ops, &bench, (vx_ring_rx){inbox},
                          {{0}}, v_service_stderr, NULL};
    if (st == V_OK)
        st = v_service_init(&s, &e, &c);
    if (st == V_OK)
        st = report(bench, SVCBENCH_UP, entered);
    if (st != V_OK)
        return v_process_exit_code(st);
    return v_service_run(&s);
}
