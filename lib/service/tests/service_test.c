/* The service skeleton in the hosted root Task: requests reach their
 * handler and the reply comes back; every malformed message (bytes,
 * handles, reply Ring of another schema, unknown call) is answered with an
 * error or dropped and counted, never a crash, and leaks no handle; a
 * closed inbox ends the loop with V_EXIT_PEER_CLOSED after the queued
 * requests are served; logging goes to logd's Ring or the sink. */
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <v/test.h>
#include <vx/vx.h>

#include "logd_protocol.h"
#include "service_echo.h"

#define SECOND UINT64_C(1000000000)

static uint32_t handles_used(void)
{
    vx_task_usage u = {0};
    if (vx_task_usage_get(&u) != VX_OK)
        return UINT32_MAX;
    return u.handles_used;
}

/* Decoded values point into this arena until the next decode. */
static v_arena *test_arena(void)
{
    static _Alignas(16) uint8_t mem[16384];
    static v_arena a;
    (void)v_arena_init(&a, mem, sizeof mem);
    return &a;
}

static v_status reply_decode(const void *buf, size_t len,
                             vectra_echo_Reply *rep, v_encoding_error *err)
{
    return vectra_echo_Reply_decode(buf, len, 0, &test_arena()->base, rep,
                                    err);
}

/* ---- a small echo service over vectra.echo ---- */

static v_status echo_decode(const void *buf, size_t len, unsigned flags,
                            v_alloc *a, void *out, v_encoding_error *err)
{
    return vectra_echo_Request_decode(buf, len, flags, a, out, err);
}

static void echo_envelope(const void *req, uint64_t *id, bool *has_reply,
                          uint32_t *tag)
{
    const vectra_echo_Request *r = req;
    *id = r->id;
    *has_reply = r->has_reply;
    *tag = (uint32_t)r->call.tag;
}

static uint32_t echo_slots(const void *req, uint32_t out[VX_MSG_HANDLES_MAX])
{
    const vectra_echo_Request *r = req;
    uint32_t n = 0;
    if (r->has_region)
        out[n++] = r->region.slot;
    return n;
}

static v_status reply_value(v_service_call *c, uint64_t value)
{
    vectra_echo_Reply rep = {0};
    rep.status = V_OK;
    rep.id = c->id;
    rep.has_value = true;
    rep.value = value;
    v_encoding_error err;
    return vectra_echo_Reply_encode(&rep, c->reply, c->reply_cap,
                                    &c->reply_len, &err);
}

static v_status on_echo(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    uint64_t *served = s->ctx;
    (*served)++;
    return reply_value(c, r->call.u.echo.value + 1);
}

static v_status on_region(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    if (!r->has_region)
        return V_ERR_INVALID_ARGS;
    vx_handle h;
    v_status st = v_service_take(c, r->region.slot, VX_OBJ_REGION,
                                 VX_RIGHT_READ, &h);
    if (st != V_OK)
        return st;
    uint64_t size = 0;
    st = (v_status)vx_region_size((vx_region){h}, &size);
    (void)!vx_handle_close(h);
    return st != V_OK ? st : reply_value(c, size);
}

static v_status on_exit_call(v_service *s, v_service_call *c)
{
    const vectra_echo_Request *r = c->request;
    v_service_stop(s, r->call.u.exit.code);
    return V_OK;
}

static const v_service_handler echo_handlers[] = {
    [VECTRA_ECHO_CALL_ECHO] = on_echo,
    [VECTRA_ECHO_CALL_EXIT] = on_exit_call,
    [VECTRA_ECHO_CALL_REGION] = on_region,
};

static const v_service_ops echo_ops = {
    vectra_echo_SCHEMA_ID, sizeof(vectra_echo_Request), echo_decode,
    echo_envelope, echo_slots,
    sizeof echo_handlers / sizeof echo_handlers[0], echo_handlers};

typedef struct sink_buf {
    char text[1024];
    size_t len;
} sink_buf;

static void to_buf(void *ctx, const char *line, size_t len)
{
    sink_buf *b = ctx;
    if (len > sizeof b->text - 1 - b->len)
        len = sizeof b->text - 1 - b->len;
    v_mem_copy(b->text + b->len, line, len);
    b->len += len;
    b->text[b->len] = '\0';
}

static bool contains(const char *hay, const char *needle)
{
    size_t n = v_cstr_len(needle), h = v_cstr_len(hay);
    for (size_t i = 0; i + n <= h; i++)
        if (v_mem_equal(hay + i, needle, n))
            return true;
    return false;
}

typedef struct fixture {
    v_exec e;
    v_service s;
    vx_ring_tx tx;
    uint64_t served;
    sink_buf sink;
} fixture;

static bool setup(v_test_ctx *v_t, fixture *f, vx_ring_tx log_tx)
{
    v_mem_set(f, 0, sizeof *f);
    vx_ring_params p = {1024, 16, vectra_echo_SCHEMA_ID};
    vx_ring_rx rx;
    if (!V_EXPECT_OK(vx_ring_create(&p, &f->tx, &rx)))
        return false;
    if (!V_EXPECT_OK(v_exec_init(&f->e, UINT64_C(0xffff) << 8)))
        return false;
    v_service_config c = {"echo", &echo_ops, &f->served, rx, log_tx,
                          to_buf, &f->sink};
    return V_EXPECT_OK(v_service_init(&f->s, &f->e, &c));
}

static void teardown(v_test_ctx *v_t, fixture *f)
{
    V_EXPECT_OK(v_service_fini(&f->s));
    V_EXPECT_OK(v_exec_fini(&f->e));
    if (f->tx.h.value != 0)
        V_EXPECT_OK(vx_handle_close(f->tx.h));
    V_EXPECT_OK(vx_handle_close(f->s.inbox.h));
}

/* A reply Ring of `schema`; *tx goes into the request. */
static bool reply_ring(v_test_ctx *v_t, uint64_t schema, vx_ring_tx *tx,
                       vx_ring_rx *rx)
{
    vx_ring_params p = {V_SERVICE_MSG_MAX, 4, schema};
    return V_EXPECT_OK(vx_ring_create(&p, tx, rx));
}

static size_t encode_echo(uint8_t *buf, size_t cap, uint64_t id,
                          bool has_reply, uint64_t value)
{
    vectra_echo_Request r = {0};
    r.has_reply = has_reply;
    r.id = id;
    r.call.tag = VECTRA_ECHO_CALL_ECHO;
    r.call.u.echo.value = value;
    size_t len = 0;
    v_encoding_error err;
    if (vectra_echo_Request_encode(&r, buf, cap, &len, &err) != V_OK)
        return 0;
    return len;
}

/* Runs the executor until rx holds a reply (or 5 s), then reads it. */
static v_status await_reply(fixture *f, vx_ring_rx rx, uint8_t *buf,
                            size_t cap, size_t *len)
{
    vx_time until = vx_clock_monotonic() + 5 * SECOND;
    for (;;) {
        vx_msg_in m = {buf, (uint32_t)cap, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(rx, &m);
        if (st != VX_ERR_SHOULD_WAIT) {
            *len = m.len;
            return (v_status)st;
        }
        if (vx_clock_monotonic() > until)
            return V_ERR_TIMED_OUT;
        v_status es = v_exec_run_once(&f->e, until);
        if (es != V_OK)
            return es;
    }
}

static void send_raw(v_test_ctx *v_t, fixture *f, const void *bytes,
                     size_t len, const vx_handle *hs, uint32_t n)
{
    vx_msg_out m = {bytes, (uint32_t)len, n, {{0}}};
    for (uint32_t i = 0; i < n; i++)
        m.handles[i] = hs[i];
    V_EXPECT_OK(vx_ring_send(f->tx, &m));
}

/* Runs a few iterations: enough for the inbox to be drained. */
static void pump(fixture *f)
{
    for (int i = 0; i < 4; i++)
        (void)v_exec_run_once(&f->e, vx_clock_monotonic() + SECOND / 50);
}

V_TEST(service, echo_request_gets_its_reply)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    uint8_t buf[V_SERVICE_MSG_MAX];
    size_t len = encode_echo(buf, sizeof buf, 77, true, 41);
    V_ASSERT(len > 0);
    send_raw(v_t, &f, buf, len, &rtx.h, 1);
    size_t rlen = 0;
    V_ASSERT_OK(await_reply(&f, rrx, buf, sizeof buf, &rlen));
    vectra_echo_Reply rep;
    v_encoding_error err;
    V_ASSERT_OK(reply_decode(buf, rlen, &rep, &err));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_EQ(rep.id, 77u);
    V_EXPECT(rep.has_value);
    V_EXPECT_EQ(rep.value, 42u);
    V_EXPECT_EQ(f.served, 1u);
    V_EXPECT_EQ(f.s.stats.replies, 1u);
    /* the service closed its reply TX: the reply Ring has no TX left */
    V_EXPECT_STATUS(vx_ring_recv(rrx, &(vx_msg_in){buf, sizeof buf, 0, 0, 0,
                                                   0, {{0}}}),
                    VX_ERR_PEER_CLOSED);
    V_EXPECT_OK(vx_handle_close(rrx.h));
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, request_without_reply_is_served_silently)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 1, false, 5);
    send_raw(v_t, &f, buf, len, NULL, 0);
    pump(&f);
    V_EXPECT_EQ(f.served, 1u);
    V_EXPECT_EQ(f.s.stats.replies, 0u);
    teardown(v_t, &f);
}

V_TEST(service, malformed_bytes_get_an_error_reply)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    const uint8_t junk[] = {0xff, 0xff, 0xff, 0x01, 0x02};
    send_raw(v_t, &f, junk, sizeof junk, &rtx.h, 1);
    uint8_t buf[V_SERVICE_MSG_MAX];
    size_t rlen = 0;
    V_ASSERT_OK(await_reply(&f, rrx, buf, sizeof buf, &rlen));
    int32_t status;
    uint64_t id;
    V_ASSERT_OK(v_service_reply_peek(buf, rlen, &status, &id));
    V_EXPECT_EQ(status, V_ERR_MALFORMED);
    V_EXPECT_EQ(id, 0u);
    /* and the error reply is a valid Reply of the schema */
    vectra_echo_Reply rep;
    v_encoding_error err;
    V_EXPECT_OK(reply_decode(buf, rlen, &rep, &err));
    V_EXPECT_EQ(f.s.stats.malformed, 1u);
    V_EXPECT_EQ(f.served, 0u);
    V_EXPECT(contains(f.sink.text, "echo: WARN refused a request"));
    V_EXPECT_OK(vx_handle_close(rrx.h));
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, malformed_without_reply_is_dropped_and_counted)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    send_raw(v_t, &f, "", 0, NULL, 0);      /* missing required fields */
    const uint8_t trail[] = {0x10, 0x01, 0x1a, 0x00, 0x00}; /* bad */
    send_raw(v_t, &f, trail, sizeof trail, NULL, 0);
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 9, false, 1);
    send_raw(v_t, &f, buf, len, NULL, 0);   /* a good one after */
    pump(&f);
    V_EXPECT_EQ(f.s.stats.received, 3u);
    V_EXPECT_EQ(f.s.stats.malformed, 2u);
    V_EXPECT_EQ(f.served, 1u);
    teardown(v_t, &f);
}

V_TEST(service, reply_ring_of_another_schema_gets_nothing)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_logd_SCHEMA_ID, &rtx, &rrx));
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 3, true, 1);
    send_raw(v_t, &f, buf, len, &rtx.h, 1);
    pump(&f);
    V_EXPECT_EQ(f.served, 0u);
    V_EXPECT_EQ(f.s.stats.malformed, 1u);
    V_EXPECT_STATUS(vx_ring_recv(rrx, &(vx_msg_in){buf, sizeof buf, 0, 0, 0,
                                                   0, {{0}}}),
                    VX_ERR_PEER_CLOSED);
    V_EXPECT_OK(vx_handle_close(rrx.h));
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, reply_handle_of_wrong_kind_is_refused)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 3, true, 1);
    send_raw(v_t, &f, buf, len, &r.h, 1);
    /* says it has a reply handle, sends none */
    send_raw(v_t, &f, buf, len, NULL, 0);
    pump(&f);
    V_EXPECT_EQ(f.served, 0u);
    V_EXPECT_EQ(f.s.stats.malformed, 2u);
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, named_handle_slot_must_have_come)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    vectra_echo_Request r = {0};
    r.has_reply = true;
    r.id = 8;
    r.call.tag = VECTRA_ECHO_CALL_REGION;
    r.has_region = true;
    r.region.slot = 1;
    uint8_t buf[V_SERVICE_MSG_MAX];
    size_t len = 0;
    v_encoding_error err;
    V_ASSERT_OK(vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err));
    send_raw(v_t, &f, buf, len, &rtx.h, 1); /* region slot 1 missing */
    size_t rlen = 0;
    V_ASSERT_OK(await_reply(&f, rrx, buf, sizeof buf, &rlen));
    int32_t status;
    uint64_t id;
    V_ASSERT_OK(v_service_reply_peek(buf, rlen, &status, &id));
    V_EXPECT_EQ(status, V_ERR_MALFORMED);
    V_EXPECT_EQ(id, 8u);
    V_EXPECT_OK(vx_handle_close(rrx.h));

    /* with the Region it is served, and the handler takes it */
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    vx_region reg;
    V_ASSERT_OK(vx_region_create(3 * VX_PAGE_SIZE, &reg));
    V_ASSERT_OK(vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err));
    vx_handle hs[2] = {rtx.h, reg.h};
    send_raw(v_t, &f, buf, len, hs, 2);
    V_ASSERT_OK(await_reply(&f, rrx, buf, sizeof buf, &rlen));
    vectra_echo_Reply rep;
    V_ASSERT_OK(reply_decode(buf, rlen, &rep, &err));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_EQ(rep.value, 3u * VX_PAGE_SIZE);
    V_EXPECT_OK(vx_handle_close(rrx.h));
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, extra_handles_are_closed)
{
    fixture f;
    uint32_t before = handles_used();
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_region a, b;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &a));
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &b));
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 1, false, 1);
    vx_handle hs[2] = {a.h, b.h};
    send_raw(v_t, &f, buf, len, hs, 2);
    pump(&f);
    V_EXPECT_EQ(f.served, 1u);
    teardown(v_t, &f);
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(service, unknown_call_is_not_supported)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    vectra_echo_Request r = {0};
    r.has_reply = true;
    r.id = 4;
    r.call.tag = VECTRA_ECHO_CALL_PROBE; /* no handler in echo_ops */
    r.call.u.probe.name = (v_schema_str){"x", 1};
    uint8_t buf[V_SERVICE_MSG_MAX];
    size_t len = 0, rlen = 0;
    v_encoding_error err;
    V_ASSERT_OK(vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err));
    send_raw(v_t, &f, buf, len, &rtx.h, 1);
    V_ASSERT_OK(await_reply(&f, rrx, buf, sizeof buf, &rlen));
    int32_t status;
    uint64_t id;
    V_ASSERT_OK(v_service_reply_peek(buf, rlen, &status, &id));
    V_EXPECT_EQ(status, V_ERR_NOT_SUPPORTED);
    V_EXPECT_EQ(id, 4u);
    V_EXPECT_EQ(f.s.stats.unsupported, 1u);
    V_EXPECT_OK(vx_handle_close(rrx.h));
    teardown(v_t, &f);
}

V_TEST(service, lost_reply_is_counted)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vx_ring_tx rtx;
    vx_ring_rx rrx;
    V_ASSERT(reply_ring(v_t, vectra_echo_SCHEMA_ID, &rtx, &rrx));
    V_ASSERT_OK(vx_handle_close(rrx.h)); /* the client went away */
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 1, true, 1);
    send_raw(v_t, &f, buf, len, &rtx.h, 1);
    pump(&f);
    V_EXPECT_EQ(f.served, 1u);
    V_EXPECT_EQ(f.s.stats.replies_lost, 1u);
    teardown(v_t, &f);
}

V_TEST(service, peer_closed_ends_run_after_queued_requests)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    uint8_t buf[256];
    size_t len = encode_echo(buf, sizeof buf, 1, false, 1);
    for (int i = 0; i < 3; i++)
        send_raw(v_t, &f, buf, len, NULL, 0);
    V_ASSERT_OK(vx_handle_close(f.tx.h));
    f.tx.h.value = 0;
    V_EXPECT_EQ(v_service_run(&f.s), V_EXIT_PEER_CLOSED);
    V_EXPECT(f.s.peer_closed);
    V_EXPECT_EQ(f.served, 3u);
    teardown(v_t, &f);
}

V_TEST(service, stop_from_a_handler_ends_run_with_its_code)
{
    fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    vectra_echo_Request r = {0};
    r.id = 1;
    r.call.tag = VECTRA_ECHO_CALL_EXIT;
    r.call.u.exit.code = 42;
    uint8_t buf[256];
    size_t len = 0;
    v_encoding_error err;
    V_ASSERT_OK(vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err));
    send_raw(v_t, &f, buf, len, NULL, 0);
    V_EXPECT_EQ(v_service_run(&f.s), 42);
    teardown(v_t, &f);
}

V_TEST(service, init_checks_its_arguments_and_the_inbox_schema)
{
    v_exec e;
    V_ASSERT_OK(v_exec_init(&e, UINT64_C(0xff) << 8));
    static v_service s;
    vx_ring_params p = {256, 4, vectra_logd_SCHEMA_ID};
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(vx_ring_create(&p, &tx, &rx));
    v_service_config c = {"echo", &echo_ops, NULL, rx, {{0}}, NULL, NULL};
    V_EXPECT_STATUS(v_service_init(&s, &e, &c), V_ERR_BAD_STATE);
    c.name = "";
    V_EXPECT_STATUS(v_service_init(&s, &e, &c), V_ERR_INVALID_ARGS);
    c.name = "a-name-that-is-far-too-long-to-be-one";
    V_EXPECT_STATUS(v_service_init(&s, &e, &c), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_service_init(NULL, &e, &c), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_service_init(&s, NULL, &c), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_exec_fini(&e));
    V_EXPECT_OK(vx_handle_close(tx.h));
    V_EXPECT_OK(vx_handle_close(rx.h));
}

V_TEST(service, log_goes_to_logd_when_held)
{
    vx_ring_params p = {512, 4, vectra_logd_SCHEMA_ID};
    vx_ring_tx ltx;
    vx_ring_rx lrx;
    V_ASSERT_OK(vx_ring_create(&p, &ltx, &lrx));
    fixture f;
    if (!setup(v_t, &f, ltx))
        return;
    v_service_log(&f.s, V_SERVICE_INFO, "hello logd");
    uint8_t buf[512];
    vx_msg_in m = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
    V_ASSERT_OK(vx_ring_recv(lrx, &m));
    vectra_logd_Request r;
    v_encoding_error err;
    V_ASSERT_OK(vectra_logd_Request_decode(buf, m.len, 0, &test_arena()->base, &r, &err));
    V_EXPECT_EQ(r.call.tag, VECTRA_LOGD_CALL_APPEND);
    V_EXPECT(r.call.u.append.text.len == 10 &&
             v_mem_equal(r.call.u.append.text.ptr, "hello logd", 10));
    V_EXPECT(r.call.u.append.service.len == 4);
    V_EXPECT_EQ(r.call.u.append.level, VECTRA_LOGD_LEVEL_INFO);
    V_EXPECT_EQ(f.sink.len, 0u);
    /* a full logd inbox: dropped, counted, said locally */
    for (int i = 0; i < 4; i++)
        v_service_log(&f.s, V_SERVICE_WARN, "filler");
    V_EXPECT_EQ(f.s.stats.logs_lost, 0u);
    v_service_log(&f.s, V_SERVICE_ERROR, "one too many");
    V_EXPECT_EQ(f.s.stats.logs_lost, 1u);
    V_EXPECT(contains(f.sink.text, "echo: ERROR one too many"));
    teardown(v_t, &f);
    V_EXPECT_OK(vx_handle_close(ltx.h));
    V_EXPECT_OK(vx_handle_close(lrx.h));
}

V_TEST(service, long_log_text_is_cut_on_a_character)
{
    sink_buf b = {{0}, 0};
    char text[260];
    for (int i = 0; i < 259; i += 2) {
        text[i] = (char)0xc3; /* é, two bytes */
        text[i + 1] = (char)0xa9;
    }
    text[258] = 'x';
    text[259] = '\0';
    v_service_log_to("svc", (vx_ring_tx){{0}}, to_buf, &b, V_SERVICE_INFO,
                     text, NULL);
    V_EXPECT_EQ(b.len, v_cstr_len("svc: INFO \n") + 200);
}

V_TEST(service, reply_prefix_round_trips)
{
    uint8_t buf[32];
    size_t len = 0;
    int32_t st;
    uint64_t id;
    const int32_t statuses[] = {0, -1, -33, 2147483647, -2147483647 - 1};
    const uint64_t ids[] = {0, 1, 300, UINT64_MAX};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 4; j++) {
            V_ASSERT_OK(v_service_error_reply(statuses[i], ids[j], buf,
                                              sizeof buf, &len));
            V_ASSERT_OK(v_service_reply_peek(buf, len, &st, &id));
            V_EXPECT_EQ(st, statuses[i]);
            V_EXPECT_EQ(id, ids[j]);
            vectra_echo_Reply rep;
            v_encoding_error err;
            V_EXPECT_OK(reply_decode(buf, len, &rep, &err));
        }
    V_EXPECT_STATUS(v_service_error_reply(0, 0, buf, 21, &len),
                    V_ERR_TRUNCATED);
    const uint8_t bad1[] = {0x10, 0x00};
    const uint8_t bad2[] = {0x08, 0x80, 0x00, 0x10, 0x00}; /* not shortest */
    const uint8_t bad3[] = {0x08, 0x00};                   /* no id */
    V_EXPECT_STATUS(v_service_reply_peek(bad1, 2, &st, &id), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_service_reply_peek(bad2, 5, &st, &id), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_service_reply_peek(bad3, 2, &st, &id), V_ERR_MALFORMED);
}

/* ---- call_sync against a service running on another thread ---- */

typedef struct runner {
    fixture *f;
    int32_t code;
} runner;

static void run_thread(void *arg)
{
    runner *r = arg;
    r->code = v_service_run(&r->f->s);
    (void)!vx_signal_raise_self(UINT64_C(1) << 60);
}

V_TEST(service, call_sync_round_trips_and_reports_timeouts)
{
    static fixture f;
    if (!setup(v_t, &f, (vx_ring_tx){{0}}))
        return;
    static runner r;
    r.f = &f;
    r.code = -1;
    V_ASSERT_OK(vx_thread_start(run_thread, &r));
    for (uint64_t i = 0; i < 20; i++) {
        uint8_t buf[256];
        size_t len = encode_echo(buf, sizeof buf, i, true, i * 10);
        uint8_t rbuf[V_SERVICE_MSG_MAX];
        v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
        V_ASSERT_OK(v_service_call_sync(f.tx, vectra_echo_SCHEMA_ID, buf, len,
                                        NULL, 0, 61,
                                        vx_clock_monotonic() + 5 * SECOND,
                                        &in));
        vectra_echo_Reply rep;
        v_encoding_error err;
        V_ASSERT_OK(reply_decode(rbuf, in.len, &rep, &err));
        V_EXPECT_EQ(rep.id, i);
        V_EXPECT_EQ(rep.value, i * 10 + 1);
    }
    V_ASSERT_OK(vx_handle_close(f.tx.h));
    f.tx.h.value = 0;
    uint64_t pending;
    V_ASSERT_OK(vx_wait(UINT64_C(1) << 60, vx_clock_monotonic() + 5 * SECOND,
                        &pending));
    V_EXPECT_EQ(r.code, V_EXIT_PEER_CLOSED);
    teardown(v_t, &f);

    /* nobody serving: the deadline ends the call */
    vx_ring_params p = {256, 4, vectra_echo_SCHEMA_ID};
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(vx_ring_create(&p, &tx, &rx));
    uint8_t buf[256], rbuf[64];
    size_t len = encode_echo(buf, sizeof buf, 1, true, 1);
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    V_EXPECT_STATUS(v_service_call_sync(tx, vectra_echo_SCHEMA_ID, buf, len,
                                        NULL, 0, 61,
                                        vx_clock_monotonic() + SECOND / 100,
                                        &in),
                    V_ERR_TIMED_OUT);
    /* the server takes the request and drops it: PEER_CLOSED at once */
    vx_msg_in m = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
    V_ASSERT_OK(vx_ring_recv(rx, &m));
    V_EXPECT_EQ(m.handle_count, 1u);
    V_EXPECT_OK(vx_handle_close(m.handles[0]));
    V_EXPECT_OK(vx_handle_close(tx.h));
    V_EXPECT_OK(vx_handle_close(rx.h));
}
