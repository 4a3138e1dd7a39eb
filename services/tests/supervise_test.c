/* initd supervising services from a signed boot Bundle, in the hosted
 * root Task (ASan, UBSan on the core): a faulting service is restarted
 * and its clients' next request through the same inbox TX succeeds; a
 * crash loop ends FAILED; a tampered entry is refused while the rest
 * start; a broken signature starts nothing; a service reaches another
 * only through a handle of its footprint. */
#include <v/bundle.h>
#include <v/mem.h>
#include <v/test.h>

#include "machine.h"
#include "../testsvc/echo.h"

#define SECOND UINT64_C(1000000000)

static v_status echo(vx_ring_tx tx, vectra_echo_Call call, uint64_t *value)
{
    return echo_call(tx, call, 53, vx_clock_monotonic() + 5 * SECOND, value);
}

static bool boot(v_test_ctx *v_t, machine *m)
{
    vx_region r;
    uint8_t *map;
    uint64_t len;
    if (!V_EXPECT_OK(machine_bundle_copy(&r, &map, &len)))
        return false;
    return V_EXPECT_OK(machine_boot(m, r));
}

V_TEST(supervise, faulting_service_is_restarted_and_same_inbox_works)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    vx_ring_tx tx;
    V_ASSERT_OK(machine_connect(&m, "echo", &tx));
    uint64_t v = 0;
    V_EXPECT_OK(echo(tx, echo_of(1), &v));
    V_EXPECT_EQ(v, 2u);

    /* The fault ends the instance holding the request: one failed call. */
    vectra_echo_Call crash = {0};
    crash.tag = VECTRA_ECHO_CALL_CRASH;
    V_EXPECT_STATUS(echo(tx, crash, &v), V_ERR_PEER_CLOSED);

    /* The next request through the same TX succeeds: it waits in the
     * inbox until the new instance takes it, whether it is sent during
     * the backoff or after. */
    v = 0;
    V_EXPECT_OK(echo(tx, echo_of(41), &v));
    V_EXPECT_EQ(v, 42u);
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_EQ(info.restarts, 1u);
    V_EXPECT_EQ(info.last_end, (uint32_t)VX_TASK_CRASHED);

    /* A restart on request keeps the inbox too. The reply comes when
     * the kill is requested, not done: the old instance may still take
     * (and lose) a request until initd has seen it end and counted the
     * restart, so the client sends after that. */
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_RESTART;
    c.u.restart.name = (v_schema_str){"echo", 4};
    vectra_initd_Reply rep;
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, 0);
    for (int i = 0; i < 500; i++) {
        if (machine_info(&m, "echo", &info) == V_OK && info.restarts == 2 &&
            info.state == VECTRA_INITD_STATE_RUNNING)
            break;
        machine_sleep_ms(10);
    }
    V_EXPECT_EQ(info.restarts, 2u);
    V_EXPECT_OK(echo(tx, echo_of(7), &v));
    V_EXPECT_EQ(v, 8u);
    V_EXPECT_OK(vx_handle_close(tx.h));
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, crash_loop_ends_failed)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "loop", VECTRA_INITD_STATE_FAILED,
                                   &info));
    /* give_up_restarts 3: three restarts, the fourth end gives up */
    V_EXPECT_EQ(info.restarts, 3u);
    V_EXPECT_EQ(info.last_end, (uint32_t)VX_TASK_CRASHED);
    /* and it stays there: no busy loop */
    machine_sleep_ms(100);
    V_EXPECT_OK(machine_info(&m, "loop", &info));
    V_EXPECT_EQ(info.state, VECTRA_INITD_STATE_FAILED);
    V_EXPECT_EQ(info.restarts, 3u);
    /* the others are unaffected */
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_OK(machine_poweroff(&m));
}

/* Flips one byte of the data of entry `name`. */
static bool tamper(v_test_ctx *v_t, uint8_t *map, uint64_t len,
                   const char *name)
{
    v_bundle b;
    v_bundle_entry e;
    if (!V_EXPECT_OK(v_bundle_inspect(&b, map, (size_t)len, NULL)) ||
        !V_EXPECT_OK(v_bundle_find(&b, name, v_cstr_len(name), &e, NULL)))
        return false;
    map[e.offset + e.size / 2] ^= 0x20;
    return true;
}

V_TEST(supervise, tampered_entry_is_refused_and_the_rest_start)
{
    vx_region r;
    uint8_t *map;
    uint64_t len;
    V_ASSERT_OK(machine_bundle_copy(&r, &map, &len));
    V_ASSERT(tamper(v_t, map, len, "svc/friend.json"));
    machine m;
    V_ASSERT_OK(machine_boot(&m, r));
    vectra_initd_TaskInfo info;
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_OK(machine_wait_state(&m, "lonely", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_OK(machine_info(&m, "friend", &info));
    V_EXPECT_EQ(info.state, VECTRA_INITD_STATE_REFUSED);
    /* a refused service cannot be started by request either */
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_START;
    c.u.start.name = (v_schema_str){"friend", 6};
    vectra_initd_Reply rep;
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, V_ERR_ACCESS_DENIED);
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, tampered_image_is_refused)
{
    vx_region r;
    uint8_t *map;
    uint64_t len;
    V_ASSERT_OK(machine_bundle_copy(&r, &map, &len));
    V_ASSERT(tamper(v_t, map, len, "bin/testsvc"));
    machine m;
    V_ASSERT_OK(machine_boot(&m, r));
    vectra_initd_TaskInfo info;
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_REFUSED,
                                   &info));
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, broken_signature_starts_nothing)
{
    vx_region r;
    uint8_t *map;
    uint64_t len;
    V_ASSERT_OK(machine_bundle_copy(&r, &map, &len));
    map[V_BUNDLE_HEADER_LEN + 30] ^= 1; /* inside the signed records */
    machine m;
    V_ASSERT_OK(machine_boot(&m, r));
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_TASKS;
    vectra_initd_Reply rep;
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_EQ(rep.tasks.count, 1u); /* initd alone */
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, only_the_footprint_reaches_other_services)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "lonely", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_ASSERT_OK(machine_wait_state(&m, "friend", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_ASSERT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    vectra_echo_Call probe = {0};
    probe.tag = VECTRA_ECHO_CALL_PROBE;
    probe.u.probe.name = (v_schema_str){"echo", 4};
    vx_ring_tx lonely, friend;
    V_ASSERT_OK(machine_connect(&m, "lonely", &lonely));
    V_ASSERT_OK(machine_connect(&m, "friend", &friend));
    uint64_t v = 0;
    V_EXPECT_STATUS(echo(lonely, probe, &v), V_ERR_OUT_OF_RANGE);
    V_EXPECT_OK(echo(friend, probe, &v));
    V_EXPECT_EQ(v, 1000u);
    /* nor can it use a name it was not given for something else */
    probe.u.probe.name = (v_schema_str){"inbox", 5};
    V_EXPECT_STATUS(echo(lonely, probe, &v), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(vx_handle_close(lonely.h));
    V_EXPECT_OK(vx_handle_close(friend.h));
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, control_requests_are_checked)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    vectra_initd_Call c = {0};
    vectra_initd_Reply rep;
    c.tag = VECTRA_INITD_CALL_STOP;
    c.u.stop.name = (v_schema_str){"nosuch", 6};
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, V_ERR_OUT_OF_RANGE);
    c.u.stop.name = (v_schema_str){"echo", 4};
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_STOPPED,
                                   &info));
    V_EXPECT_EQ(info.restarts, 0u);
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL)); /* already stopped */
    V_EXPECT_EQ(rep.status, V_ERR_BAD_STATE);
    c.tag = VECTRA_INITD_CALL_START;
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL)); /* already running */
    V_EXPECT_EQ(rep.status, V_ERR_BAD_STATE);
    V_EXPECT_OK(machine_poweroff(&m));
}

V_TEST(supervise, malformed_manifests_are_refused)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_OK(machine_info(&m, "bad", &info));
    V_EXPECT_EQ(info.state, VECTRA_INITD_STATE_REFUSED);
    V_EXPECT_OK(machine_info(&m, "misnamed", &info));
    V_EXPECT_EQ(info.state, VECTRA_INITD_STATE_REFUSED);
    /* A `held` grant may not pass on initd's own boot or control handles. */
    V_EXPECT_OK(machine_info(&m, "reserved", &info));
    V_EXPECT_EQ(info.state, VECTRA_INITD_STATE_REFUSED);
    /* ... and one of a handle initd does not hold cannot start. */
    V_EXPECT_OK(machine_wait_state(&m, "unheld", VECTRA_INITD_STATE_FAILED,
                                   &info));
    V_EXPECT_STATUS(machine_info(&m, "other", &info), V_ERR_OUT_OF_RANGE);
    V_EXPECT_OK(machine_poweroff(&m));
}

static v_status exit_with(machine *m, const char *name, int32_t code)
{
    vx_ring_tx tx;
    v_status st = machine_connect(m, name, &tx);
    if (st != V_OK)
        return st;
    vectra_echo_Call c = {0};
    c.tag = VECTRA_ECHO_CALL_EXIT;
    c.u.exit.code = code;
    uint64_t v;
    st = echo(tx, c, &v);
    (void)!vx_handle_close(tx.h);
    return st;
}

V_TEST(supervise, exit_codes_follow_the_policy)
{
    machine m;
    V_ASSERT(boot(v_t, &m));
    vectra_initd_TaskInfo info;
    V_ASSERT_OK(machine_wait_state(&m, "lonely", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_ASSERT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    /* on_failure, exit 0: done, not restarted */
    V_EXPECT_STATUS(exit_with(&m, "lonely", 0), V_ERR_PEER_CLOSED);
    V_EXPECT_OK(machine_wait_state(&m, "lonely", VECTRA_INITD_STATE_STOPPED,
                                   &info));
    V_EXPECT_EQ(info.restarts, 0u);
    V_EXPECT_EQ(info.last_end, (uint32_t)VX_TASK_EXITED);
    V_EXPECT_EQ(info.last_code, 0);
    /* always, but a code a restart cannot help (FOOTPRINT): FAILED */
    V_EXPECT_STATUS(exit_with(&m, "echo", 3), V_ERR_PEER_CLOSED);
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_FAILED,
                                   &info));
    V_EXPECT_EQ(info.restarts, 0u);
    V_EXPECT_EQ(info.last_code, 3);
    /* always, a restartable code: back */
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_START;
    c.u.start.name = (v_schema_str){"echo", 4};
    vectra_initd_Reply rep;
    V_EXPECT_OK(machine_control(&m, c, &rep, NULL));
    V_EXPECT_EQ(rep.status, 0);
    V_EXPECT_OK(machine_wait_state(&m, "echo", VECTRA_INITD_STATE_RUNNING,
                                   &info));
    V_EXPECT_STATUS(exit_with(&m, "echo", 1), V_ERR_PEER_CLOSED);
    vx_ring_tx tx;
    V_ASSERT_OK(machine_connect(&m, "echo", &tx));
    uint64_t v = 0;
    vectra_echo_Call e = {0};
    e.tag = VECTRA_ECHO_CALL_ECHO;
    e.u.echo.value = 9;
    V_EXPECT_OK(echo(tx, e, &v));
    V_EXPECT_EQ(v, 10u);
    V_EXPECT_OK(machine_info(&m, "echo", &info));
    V_EXPECT_EQ(info.restarts, 1u);
    V_EXPECT_OK(vx_handle_close(tx.h));
    V_EXPECT_OK(machine_poweroff(&m));
}
