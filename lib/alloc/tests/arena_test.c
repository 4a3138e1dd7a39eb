#include <stdint.h>
#include <v/alloc.h>
#include <v/test.h>

static _Alignas(64) unsigned char abuf[256];

V_TEST(alloc, arena_bump_and_align)
{
    v_arena a;
    V_ASSERT_OK(v_arena_init(&a, abuf, sizeof abuf));
    void *p, *q, *r;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 3, 1, &p));
    V_EXPECT_PTR_EQ(p, abuf);
    V_ASSERT_OK(v_alloc_bytes(&a.base, 8, 8, &q));
    V_EXPECT_PTR_EQ(q, abuf + 8);
    V_ASSERT_OK(v_alloc_bytes(&a.base, 1, 64, &r));
    V_EXPECT_PTR_EQ(r, abuf + 64);
    V_EXPECT_EQ(v_arena_used(&a), 65u);
    V_EXPECT_EQ(v_arena_available(&a), sizeof abuf - 65);
}

V_TEST(alloc, arena_exhaustion_leaves_state)
{
    v_arena a;
    V_ASSERT_OK(v_arena_init(&a, abuf, sizeof abuf));
    void *p = NULL, *keep = (void *)1;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 200, 1, &p));
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 57, 1, &keep), V_ERR_NO_MEMORY);
    V_EXPECT_PTR_EQ(keep, (void *)1);
    V_EXPECT_EQ(v_arena_used(&a), 200u);
    /* The padding alone does not fit. */
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 1, 128, &keep), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, SIZE_MAX, 1, &keep), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 1, (size_t)1 << (sizeof(size_t) * 8 - 1), &keep),
                    V_ERR_NO_MEMORY);
    V_EXPECT_EQ(v_arena_used(&a), 200u);
    V_ASSERT_OK(v_alloc_bytes(&a.base, 56, 1, &p));
    V_EXPECT_EQ(v_arena_available(&a), 0u);
}

V_TEST(alloc, arena_invalid_args)
{
    v_arena a;
    void *p = NULL;
    V_EXPECT_STATUS(v_arena_init(NULL, abuf, 1), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_arena_init(&a, NULL, 1), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_arena_init(&a, (void *)(UINTPTR_MAX - 15), 64), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_arena_init(&a, NULL, 0));
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 1, 1, &p), V_ERR_NO_MEMORY);
    V_ASSERT_OK(v_arena_init(&a, abuf, sizeof abuf));
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 0, 1, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 1, 0, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_bytes(&a.base, 1, 3, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_NULL(p);
    /* Resize of a pointer the arena never handed out. */
    V_EXPECT_STATUS(v_alloc_resize(&a.base, abuf, 1, 2, 1, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_resize(&a.base, (void *)((uintptr_t)abuf + 300), 1, 2, 1, &p), V_ERR_INVALID_ARGS);
    void *q;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 4, 1, &q));
    V_EXPECT_STATUS(v_alloc_resize(&a.base, q, 4, 0, 1, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_resize(&a.base, q, 4, 8, 6, &p), V_ERR_INVALID_ARGS);
    /* free of foreign pointers and NULL is ignored */
    v_alloc_free(&a.base, NULL, 0);
    v_alloc_free(&a.base, abuf + 100, 1);
    V_EXPECT_EQ(v_arena_used(&a), 4u);
}

V_TEST(alloc, arena_mark_and_reset)
{
    v_arena a;
    V_ASSERT_OK(v_arena_init(&a, abuf, sizeof abuf));
    void *p, *q;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 10, 1, &p));
    v_arena_mark m = v_arena_get_mark(&a);
    V_ASSERT_OK(v_alloc_bytes(&a.base, 100, 1, &q));
    v_arena_mark late = v_arena_get_mark(&a);
    V_ASSERT_OK(v_arena_reset_to(&a, m));
    V_EXPECT_EQ(v_arena_used(&a), 10u);
    /* The block that was last at the mark is last again: resizable. */
    void *r;
    V_ASSERT_OK(v_alloc_resize(&a.base, p, 10, 20, 1, &r));
    V_EXPECT_PTR_EQ(r, p);
    /* A mark from beyond the cursor is refused, nothing changes. */
    V_EXPECT_STATUS(v_arena_reset_to(&a, late), V_ERR_INVALID_ARGS);
    v_arena_mark bogus = {4, 8}; /* last beyond used: not a real mark */
    V_EXPECT_STATUS(v_arena_reset_to(&a, bogus), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(v_arena_used(&a), 20u);
    v_arena_reset(&a);
    V_EXPECT_EQ(v_arena_used(&a), 0u);
    V_ASSERT_OK(v_alloc_bytes(&a.base, 256, 1, &q));
    V_EXPECT_PTR_EQ(q, abuf);
}

V_TEST(alloc, arena_resize_and_free)
{
    v_arena a;
    V_ASSERT_OK(v_arena_init(&a, abuf, sizeof abuf));
    unsigned char *p, *q, *r;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 8, 1, (void **)&p));
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)i;
    V_ASSERT_OK(v_alloc_bytes(&a.base, 8, 1, (void **)&q));
    /* Last block: grows and shrinks in place. */
    V_ASSERT_OK(v_alloc_resize(&a.base, q, 8, 100, 1, (void **)&r));
    V_EXPECT_PTR_EQ(r, q);
    V_EXPECT_EQ(v_arena_used(&a), 108u);
    V_ASSERT_OK(v_alloc_resize(&a.base, q, 100, 4, 1, (void **)&r));
    V_EXPECT_EQ(v_arena_used(&a), 12u);
    /* ...but cannot move when the buffer is full there. */
    V_EXPECT_STATUS(v_alloc_resize(&a.base, q, 4, 249, 1, (void **)&r), V_ERR_NO_MEMORY);
    V_EXPECT_EQ(v_arena_used(&a), 12u);
    /* Older block: shrink in place, grow by copy. */
    V_ASSERT_OK(v_alloc_resize(&a.base, p, 8, 2, 1, (void **)&r));
    V_EXPECT_PTR_EQ(r, p);
    V_ASSERT_OK(v_alloc_resize(&a.base, p, 8, 16, 1, (void **)&r));
    V_EXPECT_PTR_NE(r, p);
    for (int i = 0; i < 8; i++)
        V_EXPECT_EQ(r[i], i);
    V_EXPECT_EQ(v_arena_used(&a), 28u);
    /* Failure of the copying grow changes nothing. */
    V_EXPECT_STATUS(v_alloc_resize(&a.base, p, 8, 250, 1, (void **)&q), V_ERR_NO_MEMORY);
    V_EXPECT_EQ(v_arena_used(&a), 28u);
    /* Freeing the last block gives it back; then older frees do nothing. */
    v_alloc_free(&a.base, r, 16);
    V_EXPECT_EQ(v_arena_used(&a), 12u);
    v_alloc_free(&a.base, r, 16); /* now beyond the cursor: ignored */
    v_alloc_free(&a.base, p, 8);
    V_EXPECT_EQ(v_arena_used(&a), 12u);
}
