/* Region: create, size, read/write, map/unmap, quota (docs/substrate.md §5). */
#include "conf.h"

#define PAGE VX_PAGE_SIZE

V_TEST(conf_region, create_reports_size_and_charges_quota)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(3 * PAGE, &r));
    uint64_t size = 0;
    V_EXPECT_OK(vx_region_size(r, &size));
    V_EXPECT_EQ(size, 3 * PAGE);
    vx_task_usage u;
    V_EXPECT_OK(vx_task_usage_get(&u));
    V_EXPECT_EQ(u.used_bytes, conf_before_.usage.used_bytes + 3 * PAGE);
    V_EXPECT_EQ(u.handles_used, conf_before_.usage.handles_used + 1);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, create_is_zero_filled)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * PAGE, &r));
    static uint8_t buf[2 * PAGE];
    buf[0] = buf[2 * PAGE - 1] = 0xff;
    V_EXPECT_OK(vx_region_read(r, 0, buf, sizeof buf));
    int nonzero = 0;
    for (size_t i = 0; i < sizeof buf; i++)
        nonzero += buf[i] != 0;
    V_EXPECT_EQ(nonzero, 0);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, create_bad_args)
{
    CONF_BEGIN();
    vx_region r = {{777}};
    V_EXPECT_STATUS(vx_region_create(0, &r), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_create(100, &r), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_create(PAGE + 1, &r), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_create(VX_REGION_SIZE_MAX + PAGE, &r),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_create(UINT64_MAX - PAGE + 1, &r),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_create(PAGE, NULL), VX_ERR_INVALID_ARGS);
    V_EXPECT_EQ(r.h.value, 777u);
    CONF_END();
}

V_TEST(conf_region, quota_exhaustion_is_limit_and_harmless)
{
    CONF_BEGIN();
    vx_task_usage u = conf_before_.usage;
    uint64_t left = (u.quota_bytes - u.used_bytes) / PAGE * PAGE;
    vx_region r, big, extra;
    /* One page more than is left: refused, nothing charged. */
    V_EXPECT_STATUS(vx_region_create(left + PAGE, &r), VX_ERR_LIMIT);
    CONF_END();
    /* Exactly what is left: fine; then nothing more fits. */
    V_ASSERT_OK(vx_region_create(left, &big));
    V_EXPECT_STATUS(vx_region_create(PAGE, &extra), VX_ERR_LIMIT);
    vx_ring_tx tx;
    vx_ring_rx rx;
    vx_ring_params p = {64, 64, 0};
    V_EXPECT_STATUS(vx_ring_create(&p, &tx, &rx), VX_ERR_LIMIT);
    /* What exists still works. */
    uint8_t x = 9, y = 0;
    V_EXPECT_OK(vx_region_write(big, left - 1, &x, 1));
    V_EXPECT_OK(vx_region_read(big, left - 1, &y, 1));
    V_EXPECT_EQ(y, 9);
    conf_close(v_t, big.h);
    V_EXPECT_OK(vx_region_create(PAGE, &extra)); /* the quota came back */
    conf_close(v_t, extra.h);
    CONF_END();
}

V_TEST(conf_region, write_read_round_trip)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * PAGE, &r));
    char msg[] = "across a page boundary";
    V_EXPECT_OK(vx_region_write(r, PAGE - 5, msg, sizeof msg));
    char back[sizeof msg] = {0};
    V_EXPECT_OK(vx_region_read(r, PAGE - 5, back, sizeof back));
    V_EXPECT_MEM_EQ(back, msg, sizeof msg);
    V_EXPECT_OK(vx_region_read(r, 2 * PAGE, back, 0)); /* empty, at end */
    V_EXPECT_OK(vx_region_write(r, 0, NULL, 0));
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, copy_out_of_range_copies_nothing)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(PAGE, &r));
    uint8_t buf[16] = {1, 2, 3};
    V_EXPECT_STATUS(vx_region_write(r, PAGE - 2, buf, 3), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(vx_region_read(r, PAGE - 2, buf, 3), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(vx_region_read(r, PAGE + 1, buf, 0), VX_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(vx_region_read(r, UINT64_MAX, buf, 2),
                    VX_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(vx_region_write(r, UINT64_MAX - 1, buf, 4),
                    VX_ERR_OUT_OF_RANGE);
    uint8_t tail[2] = {7, 7};
    V_EXPECT_OK(vx_region_read(r, PAGE - 2, tail, 2));
    V_EXPECT_EQ(tail[0], 0); /* the refused write wrote nothing */
    V_EXPECT_EQ(tail[1], 0);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, copy_needs_rights_and_buffer)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(PAGE, &r));
    vx_handle ro, wo;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ, &ro));
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_WRITE, &wo));
    uint8_t b = 0;
    V_EXPECT_STATUS(vx_region_write((vx_region){ro}, 0, &b, 1),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_region_read((vx_region){wo}, 0, &b, 1),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_OK(vx_region_read((vx_region){ro}, 0, &b, 1));
    V_EXPECT_OK(vx_region_write((vx_region){wo}, 0, &b, 1));
    V_EXPECT_STATUS(vx_region_read(r, 0, NULL, 1), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_write(r, 0, NULL, 1), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_size(r, NULL), VX_ERR_INVALID_ARGS);
    conf_close(v_t, ro);
    conf_close(v_t, wo);
    conf_close(v_t, r.h);
    uint64_t size;
    V_EXPECT_STATUS(vx_region_read(r, 0, &b, 1), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_region_write(r, 0, &b, 1), VX_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(vx_region_size(r, &size), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_region, mapping_shares_bytes)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * PAGE, &r));
    void *a = NULL, *b = NULL;
    V_ASSERT_OK(vx_region_map(r, 0, 2 * PAGE, VX_PROT_READ | VX_PROT_WRITE,
                              &a));
    V_ASSERT_OK(vx_region_map(r, PAGE, PAGE, VX_PROT_READ, &b));
    uint8_t *pa = a;
    const volatile uint8_t *pb = b;
    pa[PAGE + 10] = 0x42;
    V_EXPECT_EQ(pb[10], 0x42); /* the second mapping sees it */
    uint8_t x = 0;
    V_EXPECT_OK(vx_region_read(r, PAGE + 10, &x, 1));
    V_EXPECT_EQ(x, 0x42);
    x = 0x24;
    V_EXPECT_OK(vx_region_write(r, 3, &x, 1));
    V_EXPECT_EQ(pa[3], 0x24);
    V_EXPECT_OK(vx_region_unmap(a, 2 * PAGE));
    V_EXPECT_OK(vx_region_unmap(b, PAGE));
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, map_rights)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(PAGE, &r));
    vx_handle nomap, ro, noexec;
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_WRITE, &nomap));
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_MAP, &ro));
    V_ASSERT_OK(vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_MAP, &noexec));
    void *a = NULL;
    V_EXPECT_STATUS(vx_region_map((vx_region){nomap}, 0, PAGE, VX_PROT_READ,
                                  &a), VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_region_map((vx_region){ro}, 0, PAGE,
                                  VX_PROT_READ | VX_PROT_WRITE, &a),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_STATUS(vx_region_map((vx_region){noexec}, 0, PAGE,
                                  VX_PROT_READ | VX_PROT_EXEC, &a),
                    VX_ERR_ACCESS_DENIED);
    V_EXPECT_NULL(a);
    V_ASSERT_OK(vx_region_map((vx_region){ro}, 0, PAGE, VX_PROT_READ, &a));
    V_EXPECT_OK(vx_region_unmap(a, PAGE));
    V_ASSERT_OK(vx_region_map(r, 0, PAGE, VX_PROT_READ | VX_PROT_EXEC, &a));
    V_EXPECT_OK(vx_region_unmap(a, PAGE));
    conf_close(v_t, nomap);
    conf_close(v_t, ro);
    conf_close(v_t, noexec);
    conf_close(v_t, r.h);
    CONF_END();
}

V_TEST(conf_region, map_bad_args)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * PAGE, &r));
    void *a = NULL;
    const vx_prot rw = VX_PROT_READ | VX_PROT_WRITE;
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE, rw, NULL), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE, 0, &a), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE, VX_PROT_READ | 8, &a),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE, VX_PROT_WRITE | VX_PROT_EXEC,
                                  &a), VX_ERR_INVALID_ARGS); /* W^X */
    V_EXPECT_STATUS(vx_region_map(r, 0, 0, rw, &a), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, 1, PAGE, rw, &a), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE + 1, rw, &a),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_map(r, PAGE, 2 * PAGE, rw, &a),
                    VX_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(vx_region_map(r, 4 * PAGE, PAGE, rw, &a),
                    VX_ERR_OUT_OF_RANGE);
    V_EXPECT_NULL(a);
    conf_close(v_t, r.h);
    V_EXPECT_STATUS(vx_region_map(r, 0, PAGE, rw, &a), VX_ERR_BAD_HANDLE);
    CONF_END();
}

V_TEST(conf_region, mapping_outlives_handle_and_revoke)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(PAGE, &r));
    vx_handle d;
    V_ASSERT_OK(vx_handle_dup(r.h, conf_rights(r.h), &d));
    void *a = NULL;
    V_ASSERT_OK(vx_region_map((vx_region){d}, 0, PAGE,
                              VX_PROT_READ | VX_PROT_WRITE, &a));
    V_EXPECT_OK(vx_handle_revoke(r.h));
    conf_close(v_t, r.h);
    volatile uint8_t *p = a;
    p[100] = 5; /* still mapped, still writable */
    V_EXPECT_EQ(p[100], 5);
    V_EXPECT_OK(vx_region_unmap(a, PAGE));
    CONF_END();
}

V_TEST(conf_region, unmap_must_match_one_mapping)
{
    CONF_BEGIN();
    vx_region r;
    V_ASSERT_OK(vx_region_create(2 * PAGE, &r));
    void *a = NULL;
    V_ASSERT_OK(vx_region_map(r, 0, 2 * PAGE, VX_PROT_READ, &a));
    V_EXPECT_STATUS(vx_region_unmap(a, PAGE), VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_unmap((char *)a + PAGE, PAGE),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_region_unmap(NULL, PAGE), VX_ERR_INVALID_ARGS);
    int local;
    V_EXPECT_STATUS(vx_region_unmap(&local, PAGE), VX_ERR_INVALID_ARGS);
    V_EXPECT_OK(vx_region_unmap(a, 2 * PAGE));
    V_EXPECT_STATUS(vx_region_unmap(a, 2 * PAGE), VX_ERR_INVALID_ARGS);
    conf_close(v_t, r.h);
    CONF_END();
}
