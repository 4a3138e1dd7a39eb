/* v_process with the substrate: a child started by v_process_spawn
 * receives its arguments, environment and handle names through v_main,
 * and its exit code comes back whole; children started without a block,
 * with a malformed or oversized one, or without their footprint, end with
 * the documented codes; spawn failures leave every handle with the
 * caller. The child image (proc_child.c) reaches the root Task as its
 * initial handle "proc_child". */
#include <v/mem.h>
#include <v/process.h>
#include <v/test.h>
#include <vx/vx.h>

#define SECOND UINT64_C(1000000000)

static uint32_t handles_used(void)
{
    vx_task_usage u = {0};
    if (vx_task_usage_get(&u) != VX_OK)
        return UINT32_MAX;
    return u.handles_used;
}

static bool image(v_test_ctx *v_t, vx_region *out)
{
    vx_handle h;
    if (!V_EXPECT_OK(vx_task_initial_handle("proc_child", VX_OBJ_REGION, &h)))
        return false;
    *out = (vx_region){h};
    return true;
}

/* What one child said and how it ended. */
typedef struct report {
    char lines[48][128];
    uint32_t count;
    vx_task_status status;
} report;

/* Reads everything from rx until PEER_CLOSED (the child ended), then the
 * child's status. At most 10 s. */
static vx_status collect(vx_task t, vx_ring_rx rx, report *r)
{
    vx_status st = vx_signal_bind(rx.h, VX_COND_READABLE |
                                            VX_COND_PEER_CLOSED, 20);
    if (st != VX_OK)
        return st;
    vx_time until = vx_clock_monotonic() + 10 * SECOND;
    r->count = 0;
    for (;;) {
        char buf[128];
        vx_msg_in m = {buf, sizeof buf - 1, 0, 0, 0, 0, {{0}}};
        st = vx_ring_recv(rx, &m);
        if (st == VX_OK) {
            if (r->count < 48) {
                v_mem_copy(r->lines[r->count], buf, m.len);
                r->lines[r->count][m.len] = '\0';
                r->count++;
            }
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED)
            break;
        if (st != VX_ERR_SHOULD_WAIT)
            break;
        uint64_t p;
        st = vx_wait(UINT64_C(1) << 20, until, &p);
        if (st != VX_OK)
            break;
    }
    (void)!vx_signal_unbind(20);
    if (st != VX_ERR_PEER_CLOSED)
        return st;
    if ((st = vx_signal_bind(t.h, VX_COND_TASK_EXITED, 21)) != VX_OK)
        return st;
    uint64_t p;
    st = vx_wait(UINT64_C(1) << 21, until, &p);
    (void)!vx_signal_unbind(21);
    if (st != VX_OK)
        return st;
    return vx_task_status_get(t, &r->status);
}

static vx_status out_ring(vx_ring_tx *tx, vx_ring_rx *rx)
{
    vx_ring_params p = {128, 16, 0x9e0c};
    return vx_ring_create(&p, tx, rx);
}

/* Spawns the child with v_process_spawn, "out" plus `extra` handles. */
static vx_status run_child(v_test_ctx *v_t, const v_process_spec *spec,
                           const vx_named_handle *extra, uint32_t nextra,
                           report *r)
{
    vx_region img;
    if (!image(v_t, &img))
        return VX_ERR_BAD_STATE;
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_status st = out_ring(&tx, &rx);
    if (st != VX_OK)
        return st;
    vx_named_handle hs[V_PROCESS_HANDLES_MAX];
    hs[0] = (vx_named_handle){"out", tx.h};
    for (uint32_t i = 0; i < nextra; i++)
        hs[1 + i] = extra[i];
    v_process_spawn_args a = {img, "proc-child", 16u << 20, 64, 1 + nextra,
                              hs, *spec};
    vx_task t;
    st = v_process_spawn(&a, &t);
    if (st != VX_OK) {
        (void)!vx_handle_close(tx.h);
        (void)!vx_handle_close(rx.h);
        return st;
    }
    st = collect(t, rx, r);
    (void)!vx_handle_close(rx.h);
    (void)!vx_handle_close(t.h);
    return st;
}

V_TEST(process, child_receives_args_env_and_handle_names)
{
    uint32_t before = handles_used();
    static const char *const argv[] = {"first", "", "\xc3\xbc"};
    static const char *const envv[] = {"MODE=fast", "HOME=/h"};
    v_process_spec spec = {3, argv, 2, envv, 0, NULL};
    vx_region extra;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &extra));
    vx_named_handle x = {"data", extra.h};
    report r;
    V_ASSERT_OK(run_child(v_t, &spec, &x, 1, &r));
    static const char *const want[] = {"A:3", "a:first", "a:", "a:\xc3\xbc",
                                       "E:2", "e:MODE=fast", "e:HOME=/h",
                                       "H:2", "h:out", "h:data", "m:fast"};
    V_ASSERT_EQ(r.count, 11u);
    for (uint32_t i = 0; i < 11; i++)
        V_EXPECT_STR_EQ(r.lines[i], want[i]);
    V_EXPECT_EQ(r.status.state, VX_TASK_EXITED);
    V_EXPECT_EQ(r.status.exit_code, V_EXIT_OK);
    V_EXPECT_EQ(handles_used(), before); /* "data" moved into the child */
}

V_TEST(process, exit_code_comes_back_whole)
{
    static const char *const codes[] = {"0", "3", "42", "127", "100000"};
    static const int32_t want[] = {0, 3, 42, 127, 100000};
    for (uint32_t i = 0; i < 5; i++) {
        const char *argv[] = {"exit", codes[i]};
        v_process_spec spec = {2, argv, 0, NULL, 0, NULL};
        report r;
        V_ASSERT_OK(run_child(v_t, &spec, NULL, 0, &r));
        V_EXPECT_EQ(r.status.state, VX_TASK_EXITED);
        V_EXPECT_EQ(r.status.exit_code, want[i]);
        V_EXPECT_STR_EQ(r.lines[r.count - 1], "m:-");
    }
}

/* Spawns the child directly, with the given footprint. */
static vx_status spawn_raw(v_test_ctx *v_t, const vx_named_handle *hs,
                           uint32_t n, vx_ring_rx rx, report *r)
{
    vx_region img;
    if (!image(v_t, &img))
        return VX_ERR_BAD_STATE;
    vx_spawn_args a = {img, "proc-raw", 16u << 20, 64, n, hs};
    vx_task t;
    vx_status st = vx_task_spawn(&a, &t);
    if (st != VX_OK)
        return st;
    st = collect(t, rx, r);
    (void)!vx_handle_close(t.h);
    return st;
}

V_TEST(process, child_without_start_block_starts_empty)
{
    uint32_t before = handles_used();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(out_ring(&tx, &rx));
    vx_named_handle hs[] = {{"out", tx.h}};
    report r;
    V_ASSERT_OK(spawn_raw(v_t, hs, 1, rx, &r));
    V_ASSERT_EQ(r.count, 4u);
    V_EXPECT_STR_EQ(r.lines[0], "A:0");
    V_EXPECT_STR_EQ(r.lines[1], "E:0");
    V_EXPECT_STR_EQ(r.lines[2], "H:0");
    V_EXPECT_STR_EQ(r.lines[3], "m:-");
    V_EXPECT_EQ(r.status.state, VX_TASK_EXITED);
    V_EXPECT_EQ(r.status.exit_code, V_EXIT_OK);
    V_EXPECT_OK(vx_handle_close(rx.h));
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(process, child_refuses_a_bad_start_block)
{
    uint32_t before = handles_used();
    /* Garbage, then a block one page too large. */
    static const uint64_t sizes[] = {VX_PAGE_SIZE,
                                     V_PROCESS_START_MAX + VX_PAGE_SIZE};
    for (int i = 0; i < 2; i++) {
        vx_region blk;
        V_ASSERT_OK(vx_region_create(sizes[i], &blk));
        V_ASSERT_OK(vx_region_write(blk, 0, "garbage!", 8));
        vx_ring_tx tx;
        vx_ring_rx rx;
        V_ASSERT_OK(out_ring(&tx, &rx));
        vx_named_handle hs[] = {{"out", tx.h}, {"v.start", blk.h}};
        report r;
        V_ASSERT_OK(spawn_raw(v_t, hs, 2, rx, &r));
        V_EXPECT_EQ(r.count, 0u); /* v_main never ran */
        V_EXPECT_EQ(r.status.state, VX_TASK_EXITED);
        V_EXPECT_EQ(r.status.exit_code, V_EXIT_START);
        V_EXPECT_OK(vx_handle_close(rx.h));
    }
    V_EXPECT_EQ(handles_used(), before);
}

V_TEST(process, child_without_its_footprint_says_so)
{
    uint32_t before = handles_used();
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT_OK(out_ring(&tx, &rx));
    /* "out" is there but is the wrong kind of handle. */
    vx_region wrong;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &wrong));
    vx_named_handle hs[] = {{"out", wrong.h}, {"spare", tx.h}};
    report r;
    V_ASSERT_OK(spawn_raw(v_t, hs, 2, rx, &r));
    V_EXPECT_EQ(r.count, 0u);
    V_EXPECT_EQ(r.status.state, VX_TASK_EXITED);
    V_EXPECT_EQ(r.status.exit_code, V_EXIT_FOOTPRINT);
    V_EXPECT_OK(vx_handle_close(rx.h));
    V_EXPECT_EQ(handles_used(), before);
}

static bool alive(vx_handle h)
{
    vx_handle_info i;
    return vx_handle_info_get(h, &i) == VX_OK;
}

V_TEST(process, spawn_failures_leave_handles_with_the_caller)
{
    uint32_t before = handles_used();
    vx_region img;
    V_ASSERT(image(v_t, &img));
    vx_region r1;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r1));
    vx_named_handle hs[V_PROCESS_HANDLES_MAX + 1];
    for (uint32_t i = 0; i <= V_PROCESS_HANDLES_MAX; i++)
        hs[i] = (vx_named_handle){"r", r1.h};
    hs[0].name = "r";
    v_process_spawn_args a = {img, "proc-fail", 16u << 20, 64, 1, hs, {0}};
    vx_task t = {{0}};
    V_EXPECT_STATUS(v_process_spawn(NULL, &t), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_spawn(&a, NULL), V_ERR_INVALID_ARGS);
    v_process_spawn_args b = a;
    b.handle_count = V_PROCESS_HANDLES_MAX + 1;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    b = a;
    b.handles = NULL;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    b = a;
    static const char *const n1[] = {"x"};
    b.spec.namec = 1; /* names come from the handles, not the caller */
    b.spec.names = n1;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    b = a;
    static const char *const bad_env[] = {"no-equals"};
    b.spec.envc = 1;
    b.spec.envv = bad_env;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    vx_named_handle reserved[] = {{V_PROCESS_START_NAME, r1.h}};
    b = a;
    b.handles = reserved;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    vx_named_handle unnamed[] = {{NULL, r1.h}};
    b = a;
    b.handles = unnamed;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    /* The substrate's refusals: not an image, a bad Task name. */
    b = a;
    b.image = r1;
    hs[0].handle = VX_HANDLE_INVALID;
    vx_region r2;
    V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r2));
    vx_named_handle one[] = {{"r", r2.h}};
    b.handles = one;
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    b.image = img;
    b.name = "Bad Name";
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    b.name = "proc-fail";
    b.handle_limit = 1; /* below the handles it would get */
    V_EXPECT_STATUS(v_process_spawn(&b, &t), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(t.h.value, 0u);
    V_EXPECT(alive(r1.h));
    V_EXPECT(alive(r2.h));
    V_EXPECT_OK(vx_handle_close(r1.h));
    V_EXPECT_OK(vx_handle_close(r2.h));
    V_EXPECT_EQ(handles_used(), before); /* no start block Region left */
}

V_TEST(process, load_and_handles_in_the_root_task)
{
    /* The root Task of this binary has no start block. */
    v_process p;
    p.argc = 9;
    V_EXPECT_OK(v_process_load(&p));
    V_EXPECT_EQ(p.argc + p.envc + p.handle_count, 0u);
    V_EXPECT_NULL(p.map);
    V_EXPECT_STATUS(v_process_load(NULL), V_ERR_INVALID_ARGS);
    vx_handle h;
    V_EXPECT_OK(v_process_handle("proc_child", VX_OBJ_REGION, &h));
    V_EXPECT_STATUS(v_process_handle("proc_child", VX_OBJ_RING_TX, &h),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_handle("nothing", VX_OBJ_REGION, &h),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_process_handle(V_PROCESS_START_NAME, VX_OBJ_REGION, &h),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_handle(NULL, VX_OBJ_REGION, &h),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_handle("x", VX_OBJ_REGION, NULL),
                    V_ERR_INVALID_ARGS);
}
