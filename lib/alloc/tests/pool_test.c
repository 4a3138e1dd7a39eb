#include <stdint.h>
#include <v/alloc.h>
#include <v/test.h>

static _Alignas(64) unsigned char pbuf[1024];

V_TEST(alloc, pool_geometry)
{
    v_pool p;
    V_ASSERT_OK(v_pool_init(&p, pbuf, sizeof pbuf, 24, 8));
    V_EXPECT_EQ(v_pool_block_size(&p), 24u);
    V_EXPECT_EQ(v_pool_capacity(&p), 1024u / 24);
    V_ASSERT_OK(v_pool_init(&p, pbuf + 1, sizeof pbuf - 1, 1, 64));
    V_EXPECT_EQ(v_pool_block_size(&p), 64u);
    V_EXPECT_EQ(v_pool_capacity(&p), 15u); /* 63 bytes skipped to align */
    void *b;
    V_ASSERT_OK(v_alloc_bytes(&p.base, 64, 64, &b));
    V_EXPECT_PTR_EQ(b, pbuf + 64);
    V_EXPECT_EQ(v_pool_available(&p), 14u);
}

V_TEST(alloc, pool_init_errors)
{
    v_pool p;
    V_EXPECT_STATUS(v_pool_init(NULL, pbuf, 64, 8, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, NULL, 64, 8, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, pbuf, 64, 0, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, pbuf, 64, 8, 12), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, pbuf, 7, 8, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, pbuf + 1, 64, 64, 64), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, pbuf, 64, SIZE_MAX, 16), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_pool_init(&p, (void *)(UINTPTR_MAX - 15), 64, 8, 8),
                    V_ERR_INVALID_ARGS);
}

V_TEST(alloc, pool_exhaust_reuse_and_limits)
{
    v_pool p;
    V_ASSERT_OK(v_pool_init(&p, pbuf, 256, 32, 16));
    void *b[8], *x = (void *)1;
    for (int i = 0; i < 8; i++) {
        V_ASSERT_OK(v_alloc_bytes(&p.base, 1 + (size_t)i * 4, 16, &b[i]));
        V_EXPECT_PTR_EQ(b[i], pbuf + 32 * i);
    }
    V_EXPECT_STATUS(v_alloc_bytes(&p.base, 8, 8, &x), V_ERR_NO_MEMORY);
    V_EXPECT_PTR_EQ(x, (void *)1);
    V_EXPECT_EQ(v_pool_available(&p), 0u);
    v_alloc_free(&p.base, b[3], 32);
    v_alloc_free(&p.base, b[5], 32);
    V_EXPECT_EQ(v_pool_available(&p), 2u);
    V_ASSERT_OK(v_alloc_bytes(&p.base, 32, 1, &x));
    V_EXPECT_PTR_EQ(x, b[5]); /* LIFO */
    V_ASSERT_OK(v_alloc_bytes(&p.base, 32, 1, &x));
    V_EXPECT_PTR_EQ(x, b[3]);
    /* Requests the pool can never serve. */
    V_EXPECT_STATUS(v_alloc_bytes(&p.base, 33, 1, &x), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_alloc_bytes(&p.base, 8, 32, &x), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_alloc_bytes(&p.base, 0, 1, &x), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_bytes(&p.base, 8, 5, &x), V_ERR_INVALID_ARGS);
    /* Resize stays in the block or is refused. */
    V_ASSERT_OK(v_alloc_resize(&p.base, b[0], 1, 32, 16, &x));
    V_EXPECT_PTR_EQ(x, b[0]);
    V_EXPECT_STATUS(v_alloc_resize(&p.base, b[0], 32, 33, 16, &x), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_alloc_resize(&p.base, b[0], 32, 8, 64, &x), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_alloc_resize(&p.base, pbuf + 1, 32, 8, 1, &x), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_resize(&p.base, b[0], 32, 0, 1, &x), V_ERR_INVALID_ARGS);
    /* Pointers that are not blocks are ignored by free. */
    v_alloc_free(&p.base, pbuf + 1, 32);
    v_alloc_free(&p.base, pbuf + 512, 32);
    v_alloc_free(&p.base, (void *)((uintptr_t)pbuf - 32), 32);
    v_alloc_free(&p.base, NULL, 0);
    V_EXPECT_EQ(v_pool_available(&p), 0u);
}

V_TEST(alloc, pool_free_of_never_used_block_ignored)
{
    v_pool p;
    V_ASSERT_OK(v_pool_init(&p, pbuf, 256, 32, 16));
    void *x;
    V_ASSERT_OK(v_alloc_bytes(&p.base, 8, 1, &x));
    v_alloc_free(&p.base, pbuf + 64, 32); /* block 2 was never handed out */
    V_EXPECT_EQ(v_pool_available(&p), 7u);
    v_alloc_free(&p.base, x, 8);
    V_EXPECT_EQ(v_pool_available(&p), 8u);
}
