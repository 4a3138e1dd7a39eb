/* Handle: dup, close, revoke, info, generations (docs/substrate.md §2, §4). */
#include "conf.h"

static bool make_region(v_test_ctx *v_t, vx_region *r)
{
    return V_EXPECT_OK(vx_region_create(VX_PAGE_SIZE, r));
}

V_TEST(conf_handle, value_layout)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    V_EXPECT_NE(r.h.value, 0u);
    V_EXPECT_EQ(r.h.value >> 31, 0u);          /* bit 31 is 0 */
    V_EXPECT_NE((r.h.value >> 16) & 0x7fff, 0u); /* generation never 0 */
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, dup_keeps_object_and_rights)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    V_EXPECT_NE(d.value, r.h.value);
    vx_handle_info a, b;
    V_EXPECT_OK(vx_handle_info_get(r.h, &a));
    V_EXPECT_OK(vx_handle_info_get(d, &b));
    V_EXPECT_EQ(a.type, VX_OBJ_REGION);
    V_EXPECT_EQ(b.type, VX_OBJ_REGION);
    V_EXPECT_EQ(a.rights, b.rights);
    /* Same object: a write through one is read through the other. */
    uint8_t x = 0x5a, y = 0;
    V_EXPECT_OK(vx_region_write(r, 7, &x, 1));
    V_EXPECT_OK(vx_region_read((vx_region){d}, 7, &y, 1));
    V_EXPECT_EQ(y, 0x5a);
    conf_close(v_t, d);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, dup_drops_rights)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_DUPLICATE, &d));
    V_EXPECT_EQ(conf_rights(d), VX_RIGHT_READ | VX_RIGHT_DUPLICATE);
    uint8_t x = 1;
    V_EXPECT_STATUS(vx_region_write((vx_region){d}, 0, &x, 1),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_OK(vx_region_read((vx_region){d}, 0, &x, 1));
    conf_close(v_t, d);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, dup_cannot_add_rights)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle d, e = {12345};
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_DUPLICATE, &d));
    V_EXPECT_STATUS(vx_handle_dup(d, VX_RIGHT_READ | VX_RIGHT_WRITE |
                                         VX_RIGHT_DUPLICATE, &e),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_EQ(e.value, 12345u); /* untouched on error */
    V_EXPECT_STATUS(vx_handle_dup(r.h, VX_RIGHTS_ALL, &e),
                    VX_ERR_ACCESS_DENIED); /* a Region has no SEND, ... */
    conf_close(v_t, d);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, dup_needs_duplicate_right)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle d, e;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ, &d));
    V_EXPECT_STATUS(vx_handle_dup(d, VX_RIGHT_READ, &e), VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_handle_dup(d, 0, &e), VX_ERR_ACCESS_DENIED);
    conf_close(v_t, d);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, dup_bad_args)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    V_EXPECT_STATUS(vx_handle_dup(r.h, VX_RIGHT_READ, NULL),
                    VX_ERR_INVALID_ARGS);
    vx_handle d;
    V_EXPECT_STATUS(vx_handle_dup(VX_HANDLE_INVALID, 0, &d),
                    VX_ERR_BAD_HANDLE);
    conf_close(v_t, r.h);
    V_EXPECT_STATUS(vx_handle_dup(r.h, VX_RIGHT_READ, &d), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_handle, close_makes_value_stale)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    conf_close(v_t, r.h);
    vx_handle_info info;
    uint64_t size;
    vx_handle d;
    V_EXPECT_STATUS(vx_handle_close(r.h), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_handle_info_get(r.h, &info), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_region_size(r, &size), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_handle_dup(r.h, 0, &d), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_handle_revoke(r.h), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_handle, forged_values_are_bad_handles)
{
    /* Values no handle can have: generation 0, bit 31 set, or index
     * 65535 (tables hold at most 65535 entries, 0..65534). */
    static const uint32_t forged[] = {0, 1, 0xffff, 0x1ffff, 0x7fffffff,
                                      0x80010000, 0xffffffff};
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        vx_handle h = {forged[i]};
        vx_handle_info info;
        V_EXPECT_STATUS(vx_handle_info_get(h, &info), VX_ERR_BAD_HANDLE);
        V_EXPECT_STATUS(vx_handle_close(h), VX_ERR_BAD_HANDLE);
    }
}

V_TEST(conf_handle, wrong_type_is_bad_handle)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_ring_tx as_tx = {r.h};
    vx_timer as_timer = {r.h};
    V_EXPECT_STATUS(conf_send(as_tx, "x", 1), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_timer_cancel(as_timer), VX_ERR_BAD_HANDLE);
    vx_task_status ts;
    V_EXPECT_STATUS(vx_task_status_get((vx_task){r.h}, &ts),
                    VX_ERR_BAD_HANDLE);
    V_EXPECT(conf_alive(r.h)); /* a refused call changes nothing */
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, stale_value_never_names_a_new_object)
{
    CONF_BEGIN();
    vx_region a, b;
    V_ASSERT(make_region(v_t, &a));
    conf_close(v_t, a.h);
    V_ASSERT(make_region(v_t, &b));
    V_EXPECT_NE(a.h.value, b.h.value);
    uint64_t size;
    V_EXPECT_STATUS(vx_region_size(a, &size), VX_ERR_BAD_HANDLE);
    V_EXPECT_OK(vx_region_size(b, &size));
    conf_close(v_t, b.h);
    CONF_END();
}

/* Many more reuses than there are generations: the entry must be retired,
 * never hand out a value twice. */
V_TEST(conf_handle, values_never_repeat)
{
    CONF_BEGIN();
    enum { N = 40000 };
    static uint32_t seen[N];
    for (int i = 0; i < N; i++) {
        vx_timer t;
        V_ASSERT_OK(vx_timer_create(&t));
        seen[i] = t.h.value;
        V_ASSERT_OK(vx_handle_close(t.h));
    }
    /* Heap sort (no libc here), then look for neighbours that are equal. */
    for (int i = 1; i < N; i++) {
        for (int c = i; c > 0;) {
            int p = (c - 1) / 2;
            if (seen[p] >= seen[c])
                break;
            uint32_t tmp = seen[p]; seen[p] = seen[c]; seen[c] = tmp;
            c = p;
        }
    }
    for (int end = N - 1; end > 0; end--) {
        uint32_t tmp = seen[0]; seen[0] = seen[end]; seen[end] = tmp;
        for (int p = 0;;) {
            int l = 2 * p + 1, r = l + 1, m = p;
            if (l < end && seen[l] > seen[m]) m = l;
            if (r < end && seen[r] > seen[m]) m = r;
            if (m == p) break;
            tmp = seen[p]; seen[p] = seen[m]; seen[m] = tmp;
            p = m;
        }
    }
    int repeats = 0;
    for (int i = 1; i < N; i++)
        repeats += seen[i] == seen[i - 1];
    V_EXPECT_EQ(repeats, 0);
    CONF_END();
}

V_TEST(conf_handle, object_lives_while_any_handle_does)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    vx_task_usage u;
    conf_close(v_t, r.h);
    V_EXPECT_OK(vx_task_usage_get(&u));
    V_EXPECT_EQ(u.used_bytes, conf_before_.usage.used_bytes + VX_PAGE_SIZE);
    uint8_t x = 3;
    V_EXPECT_OK(vx_region_write((vx_region){d}, 0, &x, 1));
    conf_close(v_t, d);
    CONF_END(); /* the charge came back with the last handle */
}

V_TEST(conf_handle, revoke_closes_derived_keeps_self)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle a, b, aa;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &a));
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_DUPLICATE, &b));
    V_ASSERT_OK(vx_handle_dup(a, VX_RIGHT_READ, &aa));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    V_EXPECT(!conf_alive(a));
    V_EXPECT(!conf_alive(b));
    V_EXPECT(!conf_alive(aa)); /* transitively */
    V_EXPECT(conf_alive(r.h));
    V_EXPECT_OK(vx_handle_revoke(r.h)); /* nothing left: still fine */
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, revoke_reaches_past_a_closed_middle)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle mid, leaf;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &mid));
    V_ASSERT_OK(vx_handle_dup(mid, VX_RIGHT_READ, &leaf));
    conf_close(v_t, mid);
    V_EXPECT(conf_alive(leaf));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    V_EXPECT(!conf_alive(leaf));
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, revoke_spares_ancestors_and_siblings)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT(make_region(v_t, &r));
    vx_handle a, b, a1;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &a));
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &b));
    V_ASSERT_OK(vx_handle_dup(a, VX_RIGHT_READ, &a1));
    V_EXPECT_OK(vx_handle_revoke(a));
    V_EXPECT(!conf_alive(a1));
    V_EXPECT(conf_alive(a));
    V_EXPECT(conf_alive(b));
    V_EXPECT(conf_alive(r.h));
    conf_close(v_t, a);
    conf_close(v_t, b);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, revoke_bad_handle)
{
    V_EXPECT_STATUS(vx_handle_revoke(VX_HANDLE_INVALID), VX_ERR_BAD_HANDLE);
}

V_TEST(conf_handle, revoke_reaches_moved_handles)
{
    CONF_BEGIN();
    vx_region r;
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(make_region(v_t, &r));
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    vx_msg_out out = {NULL, 0, 1, {d}};
    V_ASSERT_OK(vx_ring_send(tx, &out));
    vx_msg_in in = {0};
    V_ASSERT_OK(vx_ring_recv(rx, &in));
    V_ASSERT_EQ(in.handle_count, 1u);
    V_EXPECT(conf_alive(in.handles[0]));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    V_EXPECT(!conf_alive(in.handles[0]));
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, revoke_reaches_handles_in_flight)
{
    CONF_BEGIN();
    vx_region r;
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(make_region(v_t, &r));
    V_ASSERT(conf_ring(v_t, 16, 4, &tx, &rx));
    vx_handle d, keep;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &keep));
    vx_msg_out out = {"hi", 2, 1, {d}};
    V_ASSERT_OK(vx_ring_send(tx, &out));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    V_EXPECT(!conf_alive(keep));
    char buf[4];
    vx_msg_in in = {0};
    in.buf = buf;
    in.cap = sizeof buf;
    V_ASSERT_OK(vx_ring_recv(rx, &in)); /* the message still arrives */
    V_EXPECT_EQ(in.len, 2u);
    V_EXPECT_EQ(in.handle_count, 1u);
    V_EXPECT_EQ(in.handles[0].value, VX_HANDLE_INVALID.value);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_handle, info_reports_each_kind)
{
    CONF_BEGIN();
    vx_region r;
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_timer tm;
    V_ASSERT(make_region(v_t, &r));
    V_ASSERT(conf_ring(v_t, 8, 2, &tx, &rx));
    V_ASSERT_OK(vx_timer_create(&tm));
    vx_handle_info i;
    V_EXPECT_OK(vx_handle_info_get(r.h, &i));
    V_EXPECT_EQ(i.type, VX_OBJ_REGION);
    V_EXPECT_EQ(i.rights, VX_RIGHT_READ | VX_RIGHT_WRITE | VX_RIGHT_MAP |
                              VX_RIGHT_EXEC | VX_RIGHT_DUPLICATE |
                              VX_RIGHT_TRANSFER);
    V_EXPECT_EQ(i.conditions, 0u);
    V_EXPECT_EQ(i.badge, 0u);
    V_EXPECT_OK(vx_handle_info_get(tx.h, &i));
    V_EXPECT_EQ(i.type, VX_OBJ_RING_TX);
    V_EXPECT_EQ(i.rights, VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_MANAGE |
                              VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER);
    V_EXPECT_EQ(i.conditions, VX_COND_WRITABLE);
    V_EXPECT_OK(vx_handle_info_get(rx.h, &i));
    V_EXPECT_EQ(i.type, VX_OBJ_RING_RX);
    V_EXPECT_EQ(i.rights, VX_RIGHT_RECV | VX_RIGHT_WAIT |
                              VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER);
    V_EXPECT_EQ(i.conditions, 0u);
    V_EXPECT_OK(vx_handle_info_get(tm.h, &i));
    V_EXPECT_EQ(i.type, VX_OBJ_TIMER);
    V_EXPECT_EQ(i.rights, VX_RIGHT_WRITE | VX_RIGHT_WAIT |
                              VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER);
    V_EXPECT_EQ(i.conditions, 0u);
    V_EXPECT_STATUS(vx_handle_info_get(r.h, NULL), VX_ERR_INVALID_ARGS);
    conf_close(v_t, r.h);
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    conf_close(v_t, tm.h);
    CONF_END();
}

V_TEST(conf_handle, table_full_is_limit)
{
    CONF_BEGIN();
    vx_ring_tx mtx;
    vx_ring_rx mrx;
    V_ASSERT(conf_ring(v_t, 8, 2, &mtx, &mrx));
    vx_task_usage u;
    V_ASSERT_OK(vx_task_usage_get(&u));
    uint32_t room = u.handle_limit - u.handles_used;
    V_ASSERT(room >= 2 && room <= 65535);
    static vx_timer timers[65535];
    uint32_t n = 0;
    for (; n < room; n++)
        V_ASSERT_OK(vx_timer_create(&timers[n]));
    vx_timer extra;
    vx_handle d;
    vx_region r;
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_ring_params p = {8, 2, 0};
    V_EXPECT_STATUS(vx_timer_create(&extra), VX_ERR_LIMIT);
    V_EXPECT_STATUS(vx_handle_dup(timers[0].h, VX_RIGHT_WAIT, &d),
                    VX_ERR_LIMIT);
    V_EXPECT_STATUS(vx_region_create(VX_PAGE_SIZE, &r), VX_ERR_LIMIT);
    vx_ring_tx minted;
    V_EXPECT_STATUS(vx_ring_tx_mint(mtx, 1, VX_RIGHT_SEND, &minted),
                    VX_ERR_LIMIT);
    vx_handle image;
    if (vx_task_initial_handle("conf_child", VX_OBJ_REGION, &image) == VX_OK) {
        vx_spawn_args a = {{image}, "child", 1u << 20, 8, 0, NULL};
        vx_task t;
        V_EXPECT_STATUS(vx_task_spawn(&a, &t), VX_ERR_LIMIT);
    }
    conf_close(v_t, timers[--n].h);
    /* One free entry: a Ring needs two. */
    V_EXPECT_STATUS(vx_ring_create(&p, &tx, &rx), VX_ERR_LIMIT);
    V_EXPECT_OK(vx_timer_create(&timers[n++]));
    while (n > 0)
        conf_close(v_t, timers[--n].h);
    conf_close(v_t, mtx.h);
    conf_close(v_t, mrx.h);
    CONF_END();
}
