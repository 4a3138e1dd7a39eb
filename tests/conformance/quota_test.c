/* Quota exhaustion with many objects (docs/substrate.md §3): Rings and a
 * Region take the whole quota, the next create is LIMIT and changes
 * nothing, and every object made before still works — including messages
 * queued before the quota ran out (on the hosted backend, Rings whose
 * lanes had to give their room back to the Region, §11). */
#include "conf.h"

#define RINGS_MAX 64

V_TEST(conf_quota, filled_with_rings_and_a_region_then_limit)
{
    CONF_BEGIN();
    vx_task_usage u = conf_before_.usage;
    uint64_t left = u.quota_bytes - u.used_bytes;
    /* Rings of a size that lets a few of them fit. */
    uint32_t count = VX_RING_SLOT_COUNT_MAX;
    while (count > 1 && (uint64_t)VX_PAGE_SIZE * count > left / 4)
        count /= 2;
    V_ASSERT(left / 4 >= (uint64_t)VX_PAGE_SIZE * count);
    vx_ring_params p = {VX_PAGE_SIZE, count, 0x9a0};
    static vx_ring_tx tx[RINGS_MAX];
    static vx_ring_rx rx[RINGS_MAX];
    uint32_t n = 0;
    vx_status st = VX_OK;
    while (n < RINGS_MAX && (st = vx_ring_create(&p, &tx[n], &rx[n])) == VX_OK)
        n++;
    V_EXPECT_STATUS(st, VX_ERR_LIMIT);
    V_EXPECT_GE(n, 4u);
    /* A message in each, before the rest of the quota goes. */
    for (uint32_t i = 0; i < n; i++) {
        uint8_t m[2] = {(uint8_t)i, 'a'};
        V_EXPECT_OK(conf_send(tx[i], m, 2));
    }
    vx_task_usage mid;
    V_ASSERT_OK(vx_task_usage_get(&mid));
    V_EXPECT_EQ(mid.used_bytes,
                u.used_bytes + (uint64_t)n * VX_PAGE_SIZE * count);
    uint64_t rest = (mid.quota_bytes - mid.used_bytes) / VX_PAGE_SIZE *
                    VX_PAGE_SIZE;
    vx_region fill = {{0}}, extra;
    if (rest > 0)
        V_EXPECT_OK(vx_region_create(rest, &fill));
    /* Full: every kind of create is LIMIT and changes nothing. */
    vx_task_usage full;
    V_ASSERT_OK(vx_task_usage_get(&full));
    V_EXPECT_STATUS(vx_region_create(VX_PAGE_SIZE, &extra), VX_ERR_LIMIT);
    vx_ring_tx t2;
    vx_ring_rx r2;
    vx_ring_params one = {VX_PAGE_SIZE, 1, 0};
    V_EXPECT_STATUS(vx_ring_create(&one, &t2, &r2), VX_ERR_LIMIT);
    vx_task_usage after;
    V_ASSERT_OK(vx_task_usage_get(&after));
    V_EXPECT_EQ(after.used_bytes, full.used_bytes);
    V_EXPECT_EQ(after.handles_used, full.handles_used);
    /* Everything made before still works, in order. */
    for (uint32_t i = 0; i < n; i++) {
        uint8_t m[2] = {(uint8_t)i, 'b'}, got[4];
        uint32_t len = 0;
        V_EXPECT_OK(conf_send(tx[i], m, 2));
        V_EXPECT_OK(conf_recv(rx[i], got, sizeof got, &len));
        V_EXPECT_EQ(len, 2u);
        V_EXPECT_EQ(got[0], i);
        V_EXPECT_EQ(got[1], 'a');
        V_EXPECT_OK(conf_recv(rx[i], got, sizeof got, &len));
        V_EXPECT_EQ(got[0], i);
        V_EXPECT_EQ(got[1], 'b');
        V_EXPECT_STATUS(conf_recv(rx[i], got, sizeof got, &len),
                        VX_ERR_SHOULD_WAIT);
    }
    if (rest > 0) {
        uint8_t x = 0x5a, y = 0;
        V_EXPECT_OK(vx_region_write(fill, rest - 1, &x, 1));
        V_EXPECT_OK(vx_region_read(fill, rest - 1, &y, 1));
        V_EXPECT_EQ(y, 0x5a);
        conf_close(v_t, fill.h);
    }
    for (uint32_t i = 0; i < n; i++) {
        conf_close(v_t, tx[i].h);
        conf_close(v_t, rx[i].h);
    }
    CONF_END();
}
