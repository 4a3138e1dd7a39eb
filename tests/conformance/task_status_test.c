/* vx_task_status_get's accounting (docs/substrate.md §3): a Task's
 * quota and the bytes charged to it, as its creator sees them. This is
 * what a supervisor (initd, shown by vctl) reports as a service's memory:
 * it must agree with what the Task itself reads with vx_task_usage_get,
 * follow the charging rule (the creator of an object pays, not whoever
 * holds it) and come back to zero once the Task has ended and its
 * objects are gone. */
#include "child.h"

#include "images/child.h"

static uint64_t u64_at(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The child's own view: quota and used bytes (CHILD_USAGE). */
static bool child_usage(v_test_ctx *v_t, conf_child *c, uint64_t *quota,
                        uint64_t *used)
{
    uint8_t out[32];
    uint32_t len = 0;
    if (!V_EXPECT_OK(conf_child_call(c, CHILD_USAGE, NULL, 0, NULL, 0, out,
                                     sizeof out, &len)) ||
        !V_EXPECT_EQ(len, 24u))
        return false;
    *quota = u64_at(out);
    *used = u64_at(out + 8);
    return true;
}

V_TEST(conf_task_status, quota_and_use_agree_with_the_task_itself)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start_with(v_t, &c, 8u << 20));
    uint64_t quota = 0, used = 0;
    V_ASSERT(child_usage(v_t, &c, &quota, &used));
    vx_task_status s;
    V_ASSERT_OK(vx_task_status_get(c.task, &s));
    V_EXPECT_EQ(s.state, VX_TASK_RUNNING);
    V_EXPECT_EQ(s.quota_bytes, (uint64_t)8u << 20);
    V_EXPECT_EQ(s.quota_bytes, quota);
    V_EXPECT_EQ(s.used_bytes, used); /* the child is idle between calls */
    V_EXPECT_LE(s.used_bytes, s.quota_bytes);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_task_status, the_creator_pays_not_the_holder)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_task_status before, after;
    V_ASSERT_OK(vx_task_status_get(c.task, &before));
    vx_task_usage mine_before, mine_after;
    V_ASSERT_OK(vx_task_usage_get(&mine_before));
    /* A Region made here and moved into the child stays charged here. */
    vx_region r;
    V_ASSERT_OK(vx_region_create(4 * VX_PAGE_SIZE, &r));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &r.h, 1, out,
                                sizeof out, NULL));
    V_ASSERT_OK(vx_task_status_get(c.task, &after));
    V_EXPECT_EQ(after.used_bytes, before.used_bytes);
    V_ASSERT_OK(vx_task_usage_get(&mine_after));
    V_EXPECT_EQ(mine_after.used_bytes,
                mine_before.used_bytes + 4 * VX_PAGE_SIZE);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END(); /* the Region went with the child: our charge is back */
}

V_TEST(conf_task_status, what_the_task_makes_and_frees_leaves_no_charge)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start_with(v_t, &c, 4u << 20));
    vx_task_status before, after;
    V_ASSERT_OK(vx_task_status_get(c.task, &before));
    /* The child fills its quota with Regions, is refused, frees them. */
    uint8_t out[16];
    uint32_t len = 0;
    V_ASSERT_OK(conf_child_call(&c, CHILD_QUOTA, NULL, 0, NULL, 0, out,
                                sizeof out, &len));
    V_ASSERT_EQ(len, 5u);
    V_EXPECT_EQ((int32_t)((uint32_t)out[0] | (uint32_t)out[1] << 8 |
                          (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24),
                VX_ERR_LIMIT);
    V_EXPECT_EQ(out[4], 1u);
    V_ASSERT_OK(vx_task_status_get(c.task, &after));
    V_EXPECT_EQ(after.used_bytes, before.used_bytes);
    V_EXPECT_EQ(after.quota_bytes, (uint64_t)4u << 20);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_task_status, an_ended_task_keeps_its_quota_and_uses_nothing)
{
    CONF_BEGIN();
    static const uint32_t ends[] = {CHILD_EXIT, CHILD_CRASH, CHILD_SLEEP};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        conf_child c;
        V_ASSERT(conf_child_start_with(v_t, &c, 2u << 20));
        int32_t code = 9;
        if (ends[i] == CHILD_SLEEP) {
            V_ASSERT_OK(conf_child_call(&c, CHILD_SLEEP, NULL, 0, NULL, 0,
                                        NULL, 0, NULL));
            V_ASSERT_OK(vx_task_kill(c.task));
        } else {
            V_ASSERT_OK(conf_child_send(&c, ends[i], &code, 4, NULL, 0));
        }
        vx_task_status s;
        V_ASSERT_OK(conf_child_wait_exit(&c, &s));
        V_EXPECT_EQ(s.state, ends[i] == CHILD_EXIT    ? VX_TASK_EXITED
                             : ends[i] == CHILD_CRASH ? VX_TASK_CRASHED
                                                      : VX_TASK_KILLED);
        V_EXPECT_EQ(s.quota_bytes, (uint64_t)2u << 20);
        V_EXPECT_EQ(s.used_bytes, 0u);
        conf_child_finish(v_t, &c, s.state,
                          s.state == VX_TASK_EXITED ? code : 0);
    }
    CONF_END();
}

V_TEST(conf_task_status, status_errors)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    V_EXPECT_STATUS(vx_task_status_get(c.task, NULL), VX_ERR_INVALID_ARGS);
    /* Without READ the accounting is not shown either. */
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(c.task.h, VX_RIGHT_WAIT, &d));
    vx_task_status s = {77, 78, 79, 80};
    V_EXPECT_STATUS(vx_task_status_get((vx_task){d}, &s),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_EQ(s.quota_bytes, 79u); /* untouched */
    V_EXPECT_EQ(s.used_bytes, 80u);
    conf_close(v_t, d);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}
