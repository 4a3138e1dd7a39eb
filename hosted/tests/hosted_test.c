/* Tests of what only the hosted backend promises (docs/substrate.md §11):
 * the sandbox around spawned Tasks, and a broker that survives a hostile
 * Task. The conformance suite covers the ABI itself. */
#include "../../tests/conformance/child.h"
#include "../../tests/conformance/images/child.h"

#include <errno.h>

V_TEST(hosted, sandbox_denies_ambient_authority)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    int32_t e[5] = {0};
    uint32_t len = 0;
    V_ASSERT_OK(conf_child_call(&c, CHILD_PROBE, NULL, 0, NULL, 0, e,
                                sizeof e, &len));
    V_ASSERT_EQ(len, sizeof e);
    V_EXPECT_EQ(e[0], EPERM); /* open a host file */
    V_EXPECT_EQ(e[1], EPERM); /* create a socket */
    V_EXPECT_EQ(e[2], EPERM); /* signal a process it has no handle to */
    V_EXPECT_EQ(e[3], EPERM); /* fork */
    V_EXPECT_EQ(e[4], EPERM); /* exec a host program */
    /* Probing is not fatal: the Task carries on. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&c, CHILD_ECHO, "ok", 2, NULL, 0, out,
                                sizeof out, NULL));
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(hosted, broker_survives_a_hostile_task)
{
    CONF_BEGIN();
    /* A bystander with a Ring in use throughout. */
    conf_child bystander;
    V_ASSERT(conf_child_start(v_t, &bystander));
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("scribbler", VX_OBJ_REGION, &image));
    vx_spawn_args a = {{image}, "scribbler", 1u << 20, 64, 0, NULL};
    vx_task t;
    V_ASSERT_OK(vx_task_spawn(&a, &t));
    V_ASSERT_OK(vx_signal_bind(t.h, VX_COND_TASK_EXITED, 50));
    uint64_t p;
    V_ASSERT_OK(vx_wait(UINT64_C(1) << 50,
                        vx_clock_monotonic() + 20000 * CONF_MS, &p));
    V_EXPECT_OK(vx_signal_unbind(50));
    vx_task_status s;
    V_EXPECT_OK(vx_task_status_get(t, &s));
    V_EXPECT_EQ(s.state, VX_TASK_EXITED);
    V_EXPECT_EQ(s.exit_code, 0); /* it got to write everything */
    conf_close(v_t, t.h);
    uint8_t out[16];
    uint32_t len;
    V_EXPECT_OK(conf_child_call(&bystander, CHILD_ECHO, "still", 5, NULL, 0,
                                out, sizeof out, &len));
    V_EXPECT_MEM_EQ(out + 8, "still", 5);
    conf_child_finish(v_t, &bystander, VX_TASK_EXITED, 0);
    CONF_END(); /* whatever it created is gone with it */
}
