/* The test service (schemas/service_echo.vs): echoes, faults on request,
 * probes its own footprint. Its manifests in services/tests/ make it a
 * healthy service, a crash loop, a lonely one (no handles) and a friend of
 * another. Argument "crash-at-start" makes every instance fault at once. */
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <vx/vx.h>

#include "echo.h"

void v_service_stderr(void *ctx, const char *line, size_t len);

static uint32_t slots(const void *req, uint32_t out[VX_MSG_HANDLES_MAX])
{
    const vectra_echo_Request *r = req;
    uint32_t n = 0;
    if (r->has_region)
        out[n++] = r->region.slot;
    return n;
}

static v_status reply_value(v_service_call *c, uint64_t v)
{
    vectra_echo_Reply r = {0};
    r.id = c->id;
    r.has_value = true;
    r.value = v;
    v_encoding_error err;
    return vectra_echo_Reply_encode(&r, c->reply, c->reply_cap,
                                    &c->reply_len, &err);
}

static void fault(void)
{
    /* Page 0 is never mapped. The address goes through a volatile so the
     * optimiser neither drops the store nor warns about a constant one. */
    volatile uintptr_t nowhere = 8;
    *(volatile int *)nowhere = 1;
}

static v_status on_echo(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    return reply_value(c, r->call.u.echo.value + 1);
}

static v_status on_crash(v_service *s, v_service_call *c)
{
    v_service_log(s, V_SERVICE_WARN, "faulting on request");
    fault();
    return V_ERR_BAD_STATE;
}

/* The footprint decides: a name that is not in it is OUT_OF_RANGE. */
static v_status on_probe(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    char name[32];
    size_t n = r->call.u.probe.name.len;
    v_mem_copy(name, r->call.u.probe.name.ptr, n);
    name[n] = '\0';
    vx_handle h;
    v_status st = v_process_handle(name, VX_OBJ_RING_TX, &h);
    if (st != V_OK)
        return st;
    vectra_echo_Request q = {0};
    q.has_reply = true;
    q.id = 1;
    q.call.tag = VECTRA_ECHO_CALL_ECHO;
    q.call.u.echo.value = 1000;
    uint8_t buf[256], rbuf[256];
    size_t len = 0;
    v_encoding_error err;
    if ((st = vectra_echo_Request_encode(&q, buf, sizeof buf, &len, &err)) !=
        V_OK)
        return st;
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    st = v_service_call_sync((vx_ring_tx){h}, vectra_echo_SCHEMA_ID, buf, len,
                             NULL, 0, 2,
                             vx_clock_monotonic() + UINT64_C(5000000000),
                             &in);
    if (st != V_OK)
        return st;
    int32_t status;
    uint64_t id;
    if ((st = v_service_reply_peek(rbuf, in.len, &status, &id)) != V_OK)
        return st;
    return status != 0 ? (v_status)status : reply_value(c, 1000);
}

static v_status on_exit_call(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    vx_task_exit(r->call.u.exit.code);
}

static const v_service_handler handlers[] = {
    [VECTRA_ECHO_CALL_ECHO] = on_echo,
    [VECTRA_ECHO_CALL_CRASH] = on_crash,
    [VECTRA_ECHO_CALL_PROBE] = on_probe,
    [VECTRA_ECHO_CALL_EXIT] = on_exit_call,
};

static const v_service_ops ops = {
    vectra_echo_SCHEMA_ID, sizeof(vectra_echo_Request), echo_decode,
    echo_envelope, slots, sizeof handlers / sizeof handlers[0], handlers};

int32_t v_main(const v_process *p)
{
    for (uint32_t i = 0; i < p->argc; i++)
        if (v_cstr_compare(p->argv[i], "crash-at-start") == 0)
            fault();
    static v_exec e;
    static v_service s;
    vx_handle inbox, logd = {0};
    if (v_process_handle("inbox", VX_OBJ_RING_RX, &inbox) != V_OK)
        return V_EXIT_FOOTPRINT;
    (void)v_process_handle("logd", VX_OBJ_RING_TX, &logd);
    v_status st = v_exec_init(&e, ~UINT64_C(0xff));
    v_service_config c = {p->argc > 0 ? p->argv[0] : "testsvc", &ops, NULL,
                          (vx_ring_rx){inbox}, (vx_ring_tx){logd},
                          v_service_stderr, NULL};
    if (st == V_OK)
        st = v_service_init(&s, &e, &c);
    if (st != V_OK)
        return v_process_exit_code(st);
    return v_service_run(&s);
}
