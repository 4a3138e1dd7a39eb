/* logd: the bounded history on its own (drops oldest, counts it, queries
 * newest-first-filtered in time order), and logd in a booted machine
 * receiving a service's records through the inbox its footprint grants. */
#include <v/mem.h>
#include <v/test.h>
#include <v/text.h>

#include "../logd/history.h"
#include "machine.h"
#include "service_echo.h"

#define SECOND UINT64_C(1000000000)

static vectra_logd_Record rec(const char *svc, const char *text)
{
    vectra_logd_Record r = {0};
    r.time_ns = 5;
    r.level = VECTRA_LOGD_LEVEL_WARN;
    r.service = (v_schema_str){svc, v_cstr_len(svc)};
    r.text = (v_schema_str){text, v_cstr_len(text)};
    return r;
}

static bool text_is(const vectra_logd_Record *r, const char *t)
{
    return r->text.len == v_cstr_len(t) && v_mem_equal(r->text.ptr, t,
                                                       r->text.len);
}

V_TEST(logd, history_drops_oldest_and_counts)
{
    static logd_history h;
    logd_history_init(&h);
    char text[16];
    for (uint32_t i = 0; i < LOGD_HISTORY + 44; i++) {
        (void)v_fmt(text, sizeof text, NULL, "n%u", i);
        vectra_logd_Record r = rec(i % 2 ? "odd" : "even", text);
        logd_history_append(&h, &r, 7);
    }
    V_EXPECT_EQ(h.count, LOGD_HISTORY);
    V_EXPECT_EQ(h.dropped, 44u);
    V_EXPECT_EQ(h.total, LOGD_HISTORY + 44u);
    vectra_logd_Record out[LOGD_QUERY_MAX];
    uint32_t n = logd_history_query(&h, NULL, 0, 3, out);
    V_ASSERT_EQ(n, 3u);
    V_EXPECT(text_is(&out[0], "n297"));
    V_EXPECT(text_is(&out[2], "n299"));
    V_EXPECT_EQ(out[2].seq, 299u);
    V_EXPECT_EQ(out[2].badge, 7u);
    n = logd_history_query(&h, "even", 4, 2, out);
    V_ASSERT_EQ(n, 2u);
    V_EXPECT(text_is(&out[0], "n296"));
    V_EXPECT(text_is(&out[1], "n298"));
    /* 0 or too many means the most a reply holds */
    V_EXPECT_EQ(logd_history_query(&h, NULL, 0, 0, out), LOGD_QUERY_MAX);
    V_EXPECT_EQ(logd_history_query(&h, NULL, 0, 1000, out), LOGD_QUERY_MAX);
    V_EXPECT_EQ(logd_history_query(&h, "none", 4, 5, out), 0u);
}

V_TEST(logd, empty_history_answers_nothing)
{
    static logd_history h;
    logd_history_init(&h);
    vectra_logd_Record out[LOGD_QUERY_MAX];
    V_EXPECT_EQ(logd_history_query(&h, NULL, 0, 5, out), 0u);
}

static v_status query(vx_ring_tx tx, const char *service,
                      vectra_logd_Reply *rep)
{
    vectra_logd_Request r = {0};
    r.has_reply = true;
    r.id = 9;
    r.call.tag = VECTRA_LOGD_CALL_QUERY;
    r.call.u.query.has_service = service != NULL;
    if (service != NULL)
        r.call.u.query.service = (v_schema_str){service, v_cstr_len(service)};
    r.call.u.query.last = 12;
    uint8_t buf[256];
    static uint8_t rbuf[V_SERVICE_MSG_MAX];
    size_t len = 0;
    v_encoding_error err;
    v_status st = vectra_logd_Request_encode(&r, buf, sizeof buf, &len, &err);
    if (st != V_OK)
        return st;
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    st = v_service_call_sync(tx, vectra_logd_SCHEMA_ID, buf, len, NULL, 0, 54,
                             vx_clock_monotonic() + 5 * SECOND, &in);
    if (st != V_OK)
        return st;
    static _Alignas(16) uint8_t mem[16384];
    v_arena a;
    (void)v_arena_init(&a, mem, sizeof mem);
    return vectra_logd_Reply_decode(rbuf, in.len, 0, &a.base, rep, &err);
}

V_TEST(logd, records_from_a_service_reach_logd)
{
    vx_region r;
    uint8_t *map;
    uint64_t len;
    V_ASSERT_OK(machine_bundle_copy(&r, &map, &len));
    machine m;
    V_ASSERT_OK(machine_boot(&m, r));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "logd", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_ASSERT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    /* echo logs "faulting on request" to logd (its footprint has it) */
    vx_ring_tx echo, logd;
    V_ASSERT_OK(machine_connect(&m, "echo", &echo));
    V_ASSERT_OK(machine_connect(&m, "logd", &logd));
    vectra_echo_Request crash = {0};
    crash.id = 1;
    crash.call.tag = VECTRA_ECHO_CALL_CRASH;
    uint8_t buf[64];
    size_t blen = 0;
    v_encoding_error err;
    V_ASSERT_OK(vectra_echo_Request_encode(&crash, buf, sizeof buf, &blen,
                                           &err));
    vx_msg_out o = {buf, (uint32_t)blen, 0, {{0}}};
    V_EXPECT_OK(vx_ring_send(echo, &o));
    vectra_logd_Reply rep;
    bool seen = false;
    /* A deadline (20 s), not a count of tries: on a loaded machine the crash,
     * the record and the restart can take seconds. */
    vx_time until = vx_clock_monotonic() + UINT64_C(20000000000);
    while (!seen && vx_clock_monotonic() < until) {
        V_ASSERT_OK(query(logd, "echo", &rep));
        for (size_t i = 0; i < rep.records.count; i++)
            if (text_is(&rep.records.items[i], "faulting on request")) {
                seen = true;
                V_EXPECT_NE(rep.records.items[i].badge, 0u);
                V_EXPECT_EQ(rep.records.items[i].level,
                            VECTRA_LOGD_LEVEL_WARN);
            }
        if (!seen)
            machine_sleep_ms(10);
    }
    V_EXPECT(seen);
    V_EXPECT(rep.has_dropped);
    V_EXPECT_EQ(rep.dropped, 0u);
    /* initd's own lines reach logd too, once logd runs */
    V_ASSERT_OK(query(logd, "initd", &rep));
    V_EXPECT_GT(rep.records.count, 0u);
    V_EXPECT_OK(vx_handle_close(echo.h));
    V_EXPECT_OK(vx_handle_close(logd.h));
    V_EXPECT_OK(machine_poweroff(&m));
}
