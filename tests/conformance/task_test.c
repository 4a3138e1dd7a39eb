/* Task: the calling Task's own calls, and threads (docs/substrate.md §3).
 * Spawn, kill and exit status are exercised with child Tasks once the
 * backend can spawn; a backend that cannot says NOT_SUPPORTED. */
#include "conf.h"

V_TEST(conf_task, usage_counts_handles_and_bytes)
{
    vx_task_usage a, b;
    V_ASSERT_OK(vx_task_usage_get(&a));
    V_EXPECT_GT(a.quota_bytes, 0u);
    V_EXPECT_LE(a.used_bytes, a.quota_bytes);
    V_EXPECT_GT(a.handle_limit, 0u);
    V_EXPECT_LE(a.handles_used, a.handle_limit);
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_task_usage_get(&b));
    V_EXPECT_EQ(b.handles_used, a.handles_used + 1);
    V_EXPECT_EQ(b.used_bytes, a.used_bytes + 2 * VX_PAGE_SIZE);
    V_EXPECT_OK(vx_handle_close(r.h));
    V_ASSERT_OK(vx_task_usage_get(&b));
    V_EXPECT_EQ(b.handles_used, a.handles_used);
    V_EXPECT_EQ(b.used_bytes, a.used_bytes);
    V_EXPECT_STATUS(vx_task_usage_get(NULL), VX_ERR_INVALID_ARGS);
}

V_TEST(conf_task, initial_handle_lookup_errors)
{
    vx_handle h = {55};
    V_EXPECT_STATUS(vx_task_initial_handle(NULL, VX_OBJ_REGION, &h),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle("inbox", VX_OBJ_RING_RX, NULL),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle("", VX_OBJ_RING_RX, &h),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle("Inbox", VX_OBJ_RING_RX, &h),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle("a/b", VX_OBJ_RING_RX, &h),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle(
                        "a-name-that-is-thirty-two-bytes", VX_OBJ_RING_RX, &h),
                    VX_ERR_OUT_OF_RANGE); /* 31 bytes: valid, not present */
    V_EXPECT_STATUS(vx_task_initial_handle(
                        "a-name-that-is-thirty-two-bytes!", VX_OBJ_RING_RX, &h),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_initial_handle("no.such-handle_9", VX_OBJ_RING_RX,
                                           &h), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(h.value, 55u);
}

/* The suite receives its child image as the initial handle "conf_child"
 * (task_spawn uses it); here only the lookup itself is under test. */
V_TEST(conf_task, initial_handle_lookup)
{
    vx_handle a = {0}, b = {0}, c = {55};
    V_ASSERT_OK(vx_task_initial_handle("conf_child", VX_OBJ_REGION, &a));
    V_ASSERT_OK(vx_task_initial_handle("conf_child", VX_OBJ_REGION, &b));
    V_EXPECT_EQ(a.value, b.value); /* the same handle each time */
    V_EXPECT_STATUS(vx_task_initial_handle("conf_child", VX_OBJ_RING_RX, &c),
                    VX_ERR_INVALID_ARGS); /* not of that type */
    V_EXPECT_EQ(c.value, 55u);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(a, &info));
    V_EXPECT_EQ(info.type, VX_OBJ_REGION);
    V_EXPECT(info.rights & VX_RIGHT_EXEC);
}

V_TEST(conf_task, task_calls_on_non_task_handles)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_task not_task = {r.h};
    vx_task_status s;
    V_EXPECT_STATUS(vx_task_kill(not_task), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_task_status_get(not_task, &s), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_task_kill((vx_task){VX_HANDLE_INVALID}),
                    VX_ERR_BAD_HANDLE);
    V_EXPECT(conf_alive(r.h));
    conf_close(v_t, r.h);
    CONF_END();
}

struct counter {
    vx_ring_tx tx;
    uint32_t id;
};

static void report(void *arg)
{
    const struct counter *c = arg;
    /* The receiver counts arrivals; a failed send shows up as a hang
     * there, which the suite runner's timeout reports. */
    if (conf_send(c->tx, &c->id, 4) != VX_OK)
        return;
}

V_TEST(conf_task, threads_run_their_entry)
{
    CONF_BEGIN();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 4, 8, &tx, &rx));
    static struct counter c[4];
    for (uint32_t i = 0; i < 4; i++) {
        c[i] = (struct counter){tx, i};
        V_ASSERT_OK(vx_thread_start(report, &c[i]));
    }
    V_ASSERT_OK(vx_signal_bind(rx.h, VX_COND_READABLE, 50));
    uint32_t seen = 0;
    for (int got = 0; got < 4;) {
        uint32_t id, len;
        vx_status st = conf_recv(rx, &id, 4, &len);
        if (st == VX_OK) {
            seen |= 1u << id;
            got++;
            continue;
        }
        V_ASSERT_STATUS(st, VX_ERR_SHOULD_WAIT);
        uint64_t p;
        V_ASSERT_OK(vx_wait(UINT64_C(1) << 50, VX_TIME_INFINITE, &p));
    }
    V_EXPECT_EQ(seen, 0xfu);
    V_EXPECT_STATUS(vx_thread_start(NULL, NULL), VX_ERR_INVALID_ARGS);
    V_EXPECT_OK(vx_signal_unbind(50));
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    CONF_END();
}
