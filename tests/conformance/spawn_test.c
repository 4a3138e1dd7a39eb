/* Task: spawn, exit, kill, crash, and handles, quotas and signals across
 * Tasks (docs/substrate.md §3, §4, §6, §7). */
#include "child.h"

#include "images/child.h"

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t u64_at(const uint8_t *p)
{
    return (uint64_t)u32_at(p) | (uint64_t)u32_at(p + 4) << 32;
}

V_TEST(conf_spawn, child_runs_and_returns_from_main)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    uint8_t out[64];
    uint32_t len = 0;
    V_EXPECT_OK(conf_child_call(&c, CHILD_ECHO, "ping", 4, NULL, 0, out,
                                sizeof out, &len));
    V_EXPECT_EQ(len, 12u);
    V_EXPECT_EQ(u64_at(out), 0u); /* sent through an unbadged TX */
    V_EXPECT_MEM_EQ(out + 8, "ping", 4);
    vx_task_status s;
    V_EXPECT_OK(vx_task_status_get(c.task, &s));
    V_EXPECT_EQ(s.state, VX_TASK_RUNNING);
    V_EXPECT_EQ(s.exit_code, 0);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(c.task.h, &info));
    V_EXPECT_EQ(info.type, VX_OBJ_TASK);
    V_EXPECT_EQ(info.rights, VX_RIGHT_READ | VX_RIGHT_SIGNAL | VX_RIGHT_WAIT |
                                 VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE |
                                 VX_RIGHT_TRANSFER);
    V_EXPECT_EQ(info.conditions, 0u);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END(); /* the child's quota came back */
}

V_TEST(conf_spawn, exit_code_is_kept_whole)
{
    CONF_BEGIN();
    static const int32_t codes[] = {0, 7, -123456, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        conf_child c;
        V_ASSERT(conf_child_start(v_t, &c));
        uint32_t code = (uint32_t)codes[i];
        V_ASSERT_OK(conf_child_send(&c, CHILD_EXIT, &code, 4, NULL, 0));
        vx_task_status s;
        V_ASSERT_OK(conf_child_wait_exit(&c, &s));
        V_EXPECT_EQ(s.state, VX_TASK_EXITED);
        V_EXPECT_EQ(s.exit_code, codes[i]);
        vx_handle_info info;
        V_EXPECT_OK(vx_handle_info_get(c.task.h, &info));
        V_EXPECT_EQ(info.conditions, VX_COND_TASK_EXITED);
        conf_child_finish(v_t, &c, VX_TASK_EXITED, codes[i]);
    }
    CONF_END();
}

V_TEST(conf_spawn, kill_ends_a_sleeping_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    V_ASSERT_OK(conf_child_call(&c, CHILD_SLEEP, NULL, 0, NULL, 0, NULL, 0,
                                NULL));
    V_EXPECT_OK(vx_task_kill(c.task));
    vx_task_status s;
    V_ASSERT_OK(conf_child_wait_exit(&c, &s));
    V_EXPECT_EQ(s.state, VX_TASK_KILLED);
    V_EXPECT_EQ(s.exit_code, 0);
    V_EXPECT_OK(vx_task_kill(c.task)); /* already ended: no change */
    V_EXPECT_STATUS(conf_child_send(&c, CHILD_ECHO, "x", 1, NULL, 0),
                    VX_ERR_PEER_CLOSED); /* its handles are gone */
    conf_child_finish(v_t, &c, VX_TASK_KILLED, 0);
    CONF_END();
}

V_TEST(conf_spawn, crash_releases_its_handles)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &tx.h, 1, out,
                                sizeof out, NULL));
    V_EXPECT_STATUS(conf_send((vx_ring_tx){tx.h}, "x", 1),
                    VX_ERR_BAD_HANDLE); /* moved */
    V_ASSERT_OK(conf_child_send(&c, CHILD_CRASH, NULL, 0, NULL, 0));
    vx_task_status s;
    V_ASSERT_OK(conf_child_wait_exit(&c, &s));
    V_EXPECT_EQ(s.state, VX_TASK_CRASHED);
    char ch;
    uint32_t len;
    V_EXPECT_STATUS(conf_recv(rx, &ch, 1, &len), VX_ERR_PEER_CLOSED);
    conf_close(v_t, rx.h);
    conf_child_finish(v_t, &c, VX_TASK_CRASHED, 0);
    CONF_END();
}

V_TEST(conf_spawn, handles_move_into_a_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_region_write(r, 0, "shared!", 7));
    vx_handle ro;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_TRANSFER, &ro));
    uint8_t out[64];
    uint32_t len = 0;
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &ro, 1, out,
                                sizeof out, &len));
    V_EXPECT(!conf_alive(ro));
    V_ASSERT_EQ(len, 12u);
    V_EXPECT_EQ(u32_at(out + 4), VX_OBJ_REGION);
    V_EXPECT_EQ(u32_at(out + 8), VX_RIGHT_READ | VX_RIGHT_TRANSFER);
    uint32_t args[2] = {u32_at(out), 7};
    V_EXPECT_OK(conf_child_call(&c, CHILD_READ, args, 8, NULL, 0, out,
                                sizeof out, &len));
    V_EXPECT_EQ(len, 7u);
    V_EXPECT_MEM_EQ(out, "shared!", 7);
    /* It cannot write: rights travelled with the handle. */
    uint8_t wargs[5] = {0, 0, 0, 0, 0xab};
    wargs[0] = (uint8_t)args[0];
    V_EXPECT_STATUS(conf_child_call(&c, CHILD_WRITE_MAPPED, wargs, 5, NULL,
                                    0, NULL, 0, NULL), VX_ERR_ACCESS_DENIED);
    conf_close(v_t, r.h);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, mappings_share_memory_between_tasks)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &d, 1, out,
                                sizeof out, NULL));
    void *p = NULL;
    V_ASSERT_OK(vx_region_map(r, 0, VX_PAGE_SIZE, VX_PROT_READ, &p));
    uint8_t wargs[5] = {(uint8_t)u32_at(out), 0, 0, 0, 0xab};
    V_EXPECT_OK(conf_child_call(&c, CHILD_WRITE_MAPPED, wargs, 5, NULL, 0,
                                NULL, 0, NULL));
    const volatile uint8_t *bytes = p;
    V_EXPECT_EQ(bytes[0], 0xab);
    V_EXPECT_EQ(bytes[VX_PAGE_SIZE - 1], 0xab);
    V_EXPECT_OK(vx_region_unmap(p, VX_PAGE_SIZE));
    conf_close(v_t, r.h);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, revoke_reaches_into_another_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_TRANSFER, &d));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &d, 1, out,
                                sizeof out, NULL));
    uint32_t args[2] = {u32_at(out), 4};
    V_EXPECT_OK(conf_child_call(&c, CHILD_READ, args, 8, NULL, 0, out,
                                sizeof out, NULL));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    V_EXPECT_STATUS(conf_child_call(&c, CHILD_READ, args, 8, NULL, 0, out,
                                    sizeof out, NULL), VX_ERR_BAD_HANDLE);
    conf_close(v_t, r.h);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, handles_come_back_from_a_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_timer t;
    V_ASSERT_OK(vx_timer_create(&t));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &t.h, 1, out,
                                sizeof out, NULL));
    uint32_t slot = u32_at(out);
    vx_msg_in in;
    V_ASSERT_OK(conf_child_send(&c, CHILD_GIVE, &slot, 4, NULL, 0));
    V_ASSERT_OK(conf_child_reply(&c, out, sizeof out, NULL, &in));
    V_ASSERT_EQ(in.handle_count, 1u);
    vx_handle_info info;
    V_EXPECT_OK(vx_handle_info_get(in.handles[0], &info));
    V_EXPECT_EQ(info.type, VX_OBJ_TIMER);
    V_EXPECT_OK(vx_timer_set((vx_timer){in.handles[0]}, 0, 0));
    conf_close(v_t, in.handles[0]);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, badge_identifies_the_sending_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_ring_tx tx, minted;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    V_ASSERT_OK(vx_ring_tx_mint(tx, 0xc1, VX_RIGHT_SEND | VX_RIGHT_TRANSFER,
                                &minted));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &minted.h, 1, out,
                                sizeof out, NULL));
    uint8_t args[8] = {(uint8_t)u32_at(out), 0, 0, 0, 'h', 'e', 'y', '!'};
    V_EXPECT_OK(conf_child_call(&c, CHILD_SEND, args, 8, NULL, 0, NULL, 0,
                                NULL));
    char b[16];
    vx_msg_in in = {0};
    in.buf = b;
    in.cap = sizeof b;
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_EXPECT_EQ(in.badge, 0xc1u);
    V_EXPECT_EQ(in.len, 4u);
    V_EXPECT_MEM_EQ(b, "hey!", 4);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, signal_raised_into_another_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    uint64_t mask = UINT64_C(3) << 20;
    V_ASSERT_OK(conf_child_send(&c, CHILD_WAIT_BITS, &mask, 8, NULL, 0));
    V_EXPECT_OK(vx_signal_raise(c.task, UINT64_C(1) << 21));
    uint8_t out[16];
    V_ASSERT_OK(conf_child_reply(&c, out, sizeof out, NULL, NULL));
    V_EXPECT_EQ(u64_at(out), UINT64_C(1) << 21);
    /* Without SIGNAL a Task handle cannot raise. */
    vx_handle weak;
    V_ASSERT_OK(vx_handle_dup(c.task.h, VX_RIGHT_READ, &weak));
    V_EXPECT_STATUS(vx_signal_raise((vx_task){weak}, 1),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_signal_raise(c.task, 0), VX_ERR_INVALID_ARGS);
    conf_close(v_t, weak);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    vx_task_status s;
    V_EXPECT_STATUS(vx_task_status_get(c.task, &s), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_spawn, raising_into_an_ended_task_is_bad_state)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    uint32_t code = 3;
    V_ASSERT_OK(conf_child_send(&c, CHILD_EXIT, &code, 4, NULL, 0));
    vx_task_status s;
    V_ASSERT_OK(conf_child_wait_exit(&c, &s));
    V_EXPECT_STATUS(vx_signal_raise(c.task, 1), VX_ERR_BAD_STATE);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 3);
    CONF_END();
}

V_TEST(conf_spawn, task_rights_are_checked)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    vx_handle wait_only;
    V_ASSERT_OK(vx_handle_dup(c.task.h, VX_RIGHT_WAIT, &wait_only));
    vx_task_status s;
    V_EXPECT_STATUS(vx_task_kill((vx_task){wait_only}), VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_task_status_get((vx_task){wait_only}, &s),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_task_status_get(c.task, NULL), VX_ERR_INVALID_ARGS);
    conf_close(v_t, wait_only);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, quota_is_lent_by_the_creator)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start_with(v_t, &c, 1u << 20));
    vx_task_usage u;
    V_ASSERT_OK(vx_task_usage_get(&u));
    V_EXPECT_EQ(u.used_bytes, conf_before_.usage.used_bytes +
                                  2 * 8 * CHILD_SLOT_SIZE + (1u << 20));
    uint8_t out[32];
    uint32_t len = 0;
    V_ASSERT_OK(conf_child_call(&c, CHILD_USAGE, NULL, 0, NULL, 0, out,
                                sizeof out, &len));
    V_EXPECT_EQ(u64_at(out), 1u << 20);   /* its quota */
    V_EXPECT_EQ(u64_at(out + 8), 0u);     /* nothing charged to it yet */
    V_EXPECT_EQ(u32_at(out + 16), 64u);   /* its handle limit */
    V_EXPECT_EQ(u32_at(out + 20), 2u);    /* cmd and reply */
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, quota_exhaustion_in_a_task)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start_with(v_t, &c, 1u << 20));
    uint8_t out[8];
    V_ASSERT_OK(conf_child_call(&c, CHILD_QUOTA, NULL, 0, NULL, 0, out,
                                sizeof out, NULL));
    V_EXPECT_EQ((int32_t)u32_at(out), VX_ERR_LIMIT);
    V_EXPECT_EQ(out[4], 1); /* after the refusal: nothing leaked */
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}

V_TEST(conf_spawn, objects_outlive_their_creator)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    /* The child makes nothing itself here; what it was given and gives
     * back survives it. */
    vx_region r;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
    V_ASSERT_OK(vx_region_write(r, 0, "kept", 4));
    uint8_t out[64];
    V_ASSERT_OK(conf_child_call(&c, CHILD_KEEP, NULL, 0, &r.h, 1, out,
                                sizeof out, NULL));
    uint32_t slot = u32_at(out);
    vx_msg_in in;
    V_ASSERT_OK(conf_child_send(&c, CHILD_GIVE, &slot, 4, NULL, 0));
    V_ASSERT_OK(conf_child_reply(&c, out, sizeof out, NULL, &in));
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    char b[4];
    V_EXPECT_OK(vx_region_read((vx_region){in.handles[0]}, 0, b, 4));
    V_EXPECT_MEM_EQ(b, "kept", 4);
    conf_close(v_t, in.handles[0]);
    CONF_END();
}

V_TEST(conf_spawn, spawn_errors_change_nothing)
{
    CONF_BEGIN();
    vx_handle image;
    V_ASSERT_OK(vx_task_initial_handle("conf_child", VX_OBJ_REGION, &image));
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 2, &tx, &rx));
    vx_handle noexec, notransfer;
    V_ASSERT_OK(vx_handle_dup(image, VX_RIGHT_READ, &noexec));
    V_ASSERT_OK(vx_handle_dup(rx.h, VX_RIGHT_RECV, &notransfer));
    vx_region junk;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &junk));
    V_ASSERT_OK(vx_region_write(junk, 0, "#!/bin/sh\n", 10));
    vx_named_handle hs[VX_SPAWN_HANDLES_MAX + 1];
    for (uint32_t i = 0; i <= VX_SPAWN_HANDLES_MAX; i++)
        hs[i] = (vx_named_handle){"h", rx.h};
    vx_task t = {{4242}};
    const vx_spawn_args good = {{image}, "child", 1u << 20, 8, 1, hs};
    vx_spawn_args a;
#define TRY(field_change, want)                                             \
    do {                                                                    \
        a = good;                                                           \
        field_change;                                                       \
        V_EXPECT_STATUS(vx_task_spawn(&a, &t), want);                       \
    } while (0)
    TRY(a.image.h = VX_HANDLE_INVALID, VX_ERR_BAD_HANDLE);
    TRY(a.image.h = tx.h, VX_ERR_BAD_HANDLE);
    TRY(a.image.h = noexec, VX_ERR_ACCESS_DENIED);
    TRY(hs[0].handle = notransfer, VX_ERR_ACCESS_DENIED);
    hs[0].handle = rx.h;
    TRY(hs[0].handle = VX_HANDLE_INVALID, VX_ERR_BAD_HANDLE);
    hs[0].handle = rx.h;
    TRY(a.image.h = junk.h, VX_ERR_INVALID_ARGS); /* not an executable */
    TRY(a.name = "", VX_ERR_INVALID_ARGS);
    TRY(a.name = "Upper", VX_ERR_INVALID_ARGS);
    TRY(a.name = NULL, VX_ERR_INVALID_ARGS);
    TRY(a.quota_bytes = 0, VX_ERR_INVALID_ARGS);
    TRY(a.handle_limit = 0, VX_ERR_INVALID_ARGS);
    TRY(a.handle_limit = 65536, VX_ERR_INVALID_ARGS);
    TRY((a.handle_count = 2, a.handle_limit = 1), VX_ERR_INVALID_ARGS);
    TRY(a.handle_count = VX_SPAWN_HANDLES_MAX + 1, VX_ERR_INVALID_ARGS);
    TRY(a.handles = NULL, VX_ERR_INVALID_ARGS);
    TRY(a.handle_count = 2, VX_ERR_INVALID_ARGS); /* same handle twice */
    hs[1] = (vx_named_handle){"h", tx.h};
    TRY(a.handle_count = 2, VX_ERR_INVALID_ARGS); /* same name twice */
    hs[1] = (vx_named_handle){"h", rx.h};
    TRY(hs[0].name = "bad name", VX_ERR_INVALID_ARGS);
    hs[0].name = "h";
    TRY(a.quota_bytes = UINT64_MAX, VX_ERR_LIMIT);
    V_EXPECT_STATUS(vx_task_spawn(NULL, &t), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_task_spawn(&good, NULL), VX_ERR_INVALID_ARGS);
#undef TRY
    V_EXPECT_EQ(t.h.value, 4242u);
    V_EXPECT(conf_alive(rx.h)); /* nothing moved */
    conf_close(v_t, junk.h);
    conf_close(v_t, noexec);
    conf_close(v_t, notransfer);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    CONF_END();
}

V_TEST(conf_spawn, many_tasks_in_turn)
{
    CONF_BEGIN();
    for (int i = 0; i < 8; i++) {
        conf_child c;
        V_ASSERT(conf_child_start(v_t, &c));
        uint8_t out[16];
        V_EXPECT_OK(conf_child_call(&c, CHILD_ECHO, "n", 1, NULL, 0, out,
                                    sizeof out, NULL));
        conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    }
    CONF_END();
}

V_TEST(conf_spawn, threads_of_a_task_wait_independently)
{
    CONF_BEGIN();
    conf_child c;
    V_ASSERT(conf_child_start(v_t, &c));
    uint64_t mask = UINT64_C(1) << 33;
    V_ASSERT_OK(conf_child_call(&c, CHILD_THREAD_WAIT, &mask, 8, NULL, 0,
                                NULL, 0, NULL));
    /* The new thread is (or soon will be) asleep in vx_wait; the first
     * thread still answers. */
    uint8_t out[16];
    V_EXPECT_OK(conf_child_call(&c, CHILD_ECHO, "a", 1, NULL, 0, out,
                                sizeof out, NULL));
    V_EXPECT_OK(vx_signal_raise(c.task, mask));
    V_ASSERT_OK(conf_child_reply(&c, out, sizeof out, NULL, NULL));
    V_EXPECT_EQ(u64_at(out), mask);
    conf_child_finish(v_t, &c, VX_TASK_EXITED, 0);
    CONF_END();
}
