#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/alloc.h>
#include <v/test.h>

enum { HBUF = 64 * 1024 };
static _Alignas(4096) unsigned char hbuf[HBUF];
static v_heap heap;

static void fresh_heap(bool debug)
{
    v_heap_config c = {debug, NULL, NULL};
    v_heap_init(&heap, &c);
    v_heap_add_region(&heap, hbuf, sizeof hbuf);
}

V_TEST(alloc, heap_init_and_region_errors)
{
    V_EXPECT_STATUS(v_heap_init(NULL, NULL), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_heap_init(&heap, NULL));
    void *p = (void *)1;
    V_EXPECT_STATUS(v_heap_alloc(&heap, 1, 1, &p), V_ERR_NO_MEMORY);
    V_EXPECT_PTR_EQ(p, (void *)1);
    V_EXPECT_STATUS(v_heap_add_region(NULL, hbuf, 4096), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&heap, NULL, 4096), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&heap, hbuf, 127), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&heap, hbuf + 1, 128), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&heap, hbuf, SIZE_MAX), V_ERR_INVALID_ARGS);
#if SIZE_MAX > 0xffffffffu
    /* Larger than a block can span: refused before touching memory. */
    V_EXPECT_STATUS(v_heap_add_region(&heap, (void *)(uintptr_t)4096, (size_t)1 << 41),
                    V_ERR_LIMIT);
#endif
    V_ASSERT_OK(v_heap_add_region(&heap, hbuf, 128));
    v_heap_stats s;
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.regions, 1u);
    V_EXPECT_EQ(s.free_blocks, 1u);
    V_EXPECT_EQ(s.total_bytes, 80u);
    V_EXPECT_EQ(s.largest_free, 72u);
    V_ASSERT_OK(v_heap_alloc(&heap, 72, 1, &p));
    V_EXPECT_STATUS(v_heap_alloc(&heap, 1, 1, &p), V_ERR_NO_MEMORY);
    V_EXPECT_OK(v_heap_check(&heap));
}

V_TEST(alloc, heap_alloc_free_basic)
{
    fresh_heap(false);
    v_heap_stats s0, s;
    v_heap_get_stats(&heap, &s0);
    V_EXPECT_EQ(s0.free_blocks, 1u);
    V_EXPECT_EQ(s0.used_blocks, 0u);
    V_EXPECT_EQ(s0.total_bytes, s0.free_bytes);
    unsigned char *a, *b, *c;
    V_ASSERT_OK(v_heap_alloc(&heap, 1, 1, (void **)&a));
    V_ASSERT_OK(v_heap_alloc(&heap, 100, 8, (void **)&b));
    V_ASSERT_OK(v_heap_alloc(&heap, 1000, 16, (void **)&c));
    V_EXPECT_EQ((uintptr_t)a % 16, 0u);
    V_EXPECT_EQ((uintptr_t)b % 16, 0u);
    memset(a, 1, 1);
    memset(b, 2, 100);
    memset(c, 3, 1000);
    V_EXPECT(b >= a + 1 && c >= b + 100);
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.used_blocks, 3u);
    V_EXPECT_EQ(s.used_bytes + s.free_bytes, s0.total_bytes);
    V_EXPECT_OK(v_heap_check(&heap));
    v_heap_free(&heap, b, 100); /* a hole in the middle */
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 2u);
    v_heap_free(&heap, a, 1);   /* merges forward with b's hole */
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 2u);
    v_heap_free(&heap, c, 1000); /* merges both ways */
    v_heap_free(&heap, NULL, 5);
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 1u);
    V_EXPECT_EQ(s.largest_free, s0.largest_free);
    V_EXPECT_OK(v_heap_check(&heap));
}

V_TEST(alloc, heap_bad_arguments)
{
    fresh_heap(false);
    void *p = (void *)1, *q;
    V_EXPECT_STATUS(v_heap_alloc(&heap, 0, 1, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_alloc(&heap, 1, 0, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_alloc(&heap, 1, 24, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_PTR_EQ(p, (void *)1);
    V_ASSERT_OK(v_heap_alloc(&heap, 8, 8, &q));
    V_EXPECT_STATUS(v_heap_resize(&heap, NULL, 0, 8, 8, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 8, 0, 8, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 8, 8, 7, &p), V_ERR_INVALID_ARGS);
    /* Normal mode still refuses the obvious double free and resize of a
     * freed block (the header says free). */
    v_heap_free(&heap, q, 8);
    v_heap_free(&heap, q, 8);
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 8, 16, 8, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_PTR_EQ(p, (void *)1);
    V_EXPECT_OK(v_heap_check(&heap));
    /* Also when the freed block merged into the one before it. */
    void *a, *b, *c;
    V_ASSERT_OK(v_heap_alloc(&heap, 40, 8, &a));
    V_ASSERT_OK(v_heap_alloc(&heap, 40, 8, &b));
    V_ASSERT_OK(v_heap_alloc(&heap, 40, 8, &c));
    v_heap_free(&heap, a, 40);
    v_heap_free(&heap, b, 40);
    v_heap_free(&heap, b, 40);
    V_EXPECT_OK(v_heap_check(&heap));
    v_heap_free(&heap, c, 40);
    v_heap_stats s;
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 1u);
    V_EXPECT_OK(v_heap_check(&heap));
}

V_TEST(alloc, heap_huge_and_overflowing_sizes)
{
    fresh_heap(false);
    v_heap_stats s0, s;
    v_heap_get_stats(&heap, &s0);
    void *p = (void *)1;
    size_t huge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX / 2,
                     (size_t)1 << (sizeof(size_t) * 8 - 2), HBUF, s0.largest_free + 1};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        V_EXPECT_STATUS(v_heap_alloc(&heap, huge[i], 1, &p), V_ERR_NO_MEMORY);
        V_EXPECT_STATUS(v_heap_alloc(&heap, huge[i], 4096, &p), V_ERR_NO_MEMORY);
    }
    V_EXPECT_STATUS(v_heap_alloc(&heap, 1, (size_t)1 << (sizeof(size_t) * 8 - 1), &p),
                    V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_heap_alloc(&heap, SIZE_MAX - 64, 64, &p), V_ERR_NO_MEMORY);
    V_EXPECT_PTR_EQ(p, (void *)1);
    /* The exact largest size fits (the fallback scan of the last class). */
    V_ASSERT_OK(v_heap_alloc(&heap, s0.largest_free, 1, &p));
    void *q;
    V_ASSERT_OK(v_heap_resize(&heap, p, s0.largest_free, 10, 1, &q));
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 10, SIZE_MAX, 1, &p), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 10, SIZE_MAX - 8, 1, &p), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_heap_resize(&heap, q, 10, HBUF, 1, &p), V_ERR_NO_MEMORY);
    v_heap_free(&heap, q, 10);
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 1u);
    V_EXPECT_EQ(s.largest_free, s0.largest_free);
    /* Through the interface: an array size that overflows. */
    V_EXPECT_STATUS(v_alloc_array(&heap.base, 16, 8, SIZE_MAX / 8, &p), V_ERR_NO_MEMORY);
    V_ASSERT_OK(v_alloc_array(&heap.base, 16, 8, 0, &p));
    v_alloc_free(&heap.base, p, 1);
}

V_TEST(alloc, heap_alignment)
{
    for (int debug = 0; debug < 2; debug++) {
        fresh_heap(debug != 0);
        void *ps[14];
        size_t sizes[14];
        for (int i = 0; i < 14; i++) {
            size_t align = (size_t)1 << i; /* 1 .. 8192 */
            sizes[i] = 1 + (size_t)i * 37;
            V_ASSERT_OK(v_heap_alloc(&heap, sizes[i], align, &ps[i]));
            V_EXPECT_EQ((uintptr_t)ps[i] % align, 0u);
            memset(ps[i], 0x5a, sizes[i]);
        }
        V_EXPECT_OK(v_heap_check(&heap));
        /* Over-aligned resizes keep the alignment. */
        void *q;
        V_ASSERT_OK(v_heap_resize(&heap, ps[12], sizes[12], 3000, 4096, &q));
        V_EXPECT_EQ((uintptr_t)q % 4096, 0u);
        ps[12] = q;
        sizes[12] = 3000;
        for (int i = 0; i < 14; i++)
            v_heap_free(&heap, ps[i], sizes[i]);
        v_heap_stats s;
        v_heap_get_stats(&heap, &s);
        V_EXPECT_EQ(s.free_blocks, 1u);
        V_EXPECT_EQ(s.used_blocks, 0u);
        V_EXPECT_OK(v_heap_check(&heap));
    }
}

V_TEST(alloc, heap_resize_paths)
{
    fresh_heap(false);
    unsigned char *a, *b, *c, *r;
    V_ASSERT_OK(v_heap_alloc(&heap, 100, 1, (void **)&a));
    V_ASSERT_OK(v_heap_alloc(&heap, 100, 1, (void **)&b));
    V_ASSERT_OK(v_heap_alloc(&heap, 100, 1, (void **)&c));
    for (int i = 0; i < 100; i++)
        b[i] = (unsigned char)(i * 7);
    /* Grow within the block's rounding: in place. */
    V_ASSERT_OK(v_heap_resize(&heap, b, 100, 104, 1, (void **)&r));
    V_EXPECT_PTR_EQ(r, b);
    /* Shrink: in place, the tail becomes free. */
    V_ASSERT_OK(v_heap_resize(&heap, b, 104, 20, 1, (void **)&r));
    V_EXPECT_PTR_EQ(r, b);
    v_heap_stats s;
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 2u);
    /* Grow back into the freed tail: in place again. */
    V_ASSERT_OK(v_heap_resize(&heap, b, 20, 100, 1, (void **)&r));
    V_EXPECT_PTR_EQ(r, b);
    for (int i = 0; i < 20; i++)
        V_EXPECT_EQ(b[i], (unsigned char)(i * 7));
    /* Grow past c: must move, contents kept. */
    V_ASSERT_OK(v_heap_resize(&heap, b, 100, 5000, 1, (void **)&r));
    V_EXPECT_PTR_NE(r, b);
    for (int i = 0; i < 20; i++)
        V_EXPECT_EQ(r[i], (unsigned char)(i * 7));
    V_EXPECT_OK(v_heap_check(&heap));
    /* b's old block is free; freeing c merges it with that, and a can
     * then grow in place into both. */
    v_heap_free(&heap, c, 100);
    V_ASSERT_OK(v_heap_resize(&heap, a, 100, 300, 1, (void **)&b));
    V_EXPECT_PTR_EQ(b, a);
    /* A resize that cannot be met leaves the block as it was. */
    memset(r, 0x77, 5000);
    V_EXPECT_STATUS(v_heap_resize(&heap, r, 5000, HBUF, 1, (void **)&c), V_ERR_NO_MEMORY);
    for (int i = 0; i < 5000; i++)
        V_ASSERT_EQ(r[i], 0x77);
    V_EXPECT_OK(v_heap_check(&heap));
    v_heap_free(&heap, a, 300);
    v_heap_free(&heap, r, 5000);
    v_heap_get_stats(&heap, &s);
    V_EXPECT_EQ(s.free_blocks, 1u);
}

V_TEST(alloc, heap_oom_leaves_heap_intact)
{
    for (int debug = 0; debug < 2; debug++) {
        fresh_heap(debug != 0);
        v_heap_stats s0, s;
        v_heap_get_stats(&heap, &s0);
        /* Fill with mixed sizes until nothing fits, then fail some more. */
        static void *ptrs[4096];
        static size_t szs[4096];
        size_t n = 0;
        uint32_t x = 12345;
        for (;;) {
            x = x * 1103515245u + 12345u;
            size_t sz = 1 + (x >> 16) % 700;
            void *p;
            v_status st = v_heap_alloc(&heap, sz, 1, &p);
            if (st != V_OK) {
                V_ASSERT_EQ(st, V_ERR_NO_MEMORY);
                break;
            }
            ptrs[n] = p;
            szs[n++] = sz;
            V_ASSERT(n < 4096u);
        }
        v_heap_get_stats(&heap, &s);
        /* Fill the remainder exactly, then everything fails. */
        void *p;
        while (v_heap_get_stats(&heap, &s), s.largest_free > 0) {
            V_ASSERT_OK(v_heap_alloc(&heap, s.largest_free, 1, &p));
            ptrs[n] = p;
            szs[n++] = s.largest_free;
        }
        v_heap_stats full;
        v_heap_get_stats(&heap, &full);
        for (size_t sz = 1; sz < 3000; sz += 97) {
            V_EXPECT_STATUS(v_heap_alloc(&heap, sz, 1, &p), V_ERR_NO_MEMORY);
            V_EXPECT_STATUS(v_heap_alloc(&heap, sz, 64, &p), V_ERR_NO_MEMORY);
            V_EXPECT_STATUS(v_heap_resize(&heap, ptrs[0], szs[0], szs[0] + 2000, 1, &p),
                            V_ERR_NO_MEMORY);
        }
        v_heap_get_stats(&heap, &s);
        V_EXPECT_EQ(s.used_blocks, full.used_blocks);
        V_EXPECT_EQ(s.free_bytes, full.free_bytes);
        V_EXPECT_OK(v_heap_check(&heap));
        /* Free in an interleaved order; all must merge back into one. */
        for (size_t i = 0; i < n; i += 2)
            v_heap_free(&heap, ptrs[i], szs[i]);
        V_EXPECT_OK(v_heap_check(&heap));
        for (size_t i = 1; i < n; i += 2)
            v_heap_free(&heap, ptrs[i], szs[i]);
        v_heap_get_stats(&heap, &s);
        V_EXPECT_EQ(s.free_blocks, 1u);
        V_EXPECT_EQ(s.used_blocks, 0u);
        V_EXPECT_EQ(s.largest_free, s0.largest_free);
        V_EXPECT_EQ(s.free_bytes, s0.total_bytes);
        V_ASSERT_OK(v_heap_alloc(&heap, s0.largest_free, 1, &p));
        v_heap_free(&heap, p, s0.largest_free);
        V_EXPECT_OK(v_heap_check(&heap));
    }
}

V_TEST(alloc, heap_multiple_regions)
{
    static _Alignas(16) unsigned char r1[1024], r2[4096];
    v_heap h2;
    V_ASSERT_OK(v_heap_init(&h2, NULL));
    V_ASSERT_OK(v_heap_add_region(&h2, r1 + 3, sizeof r1 - 3));
    V_ASSERT_OK(v_heap_add_region(&h2, r2, sizeof r2));
    v_heap_stats s;
    v_heap_get_stats(&h2, &s);
    V_EXPECT_EQ(s.regions, 2u);
    /* The same bytes again, or overlapping, are refused. */
    V_EXPECT_STATUS(v_heap_add_region(&h2, r2, sizeof r2), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&h2, r2 + 2048, 1024), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_heap_add_region(&h2, r1, 512), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(s.free_blocks, 2u);
    /* Too big for r1: must come from r2. */
    unsigned char *p, *q;
    V_ASSERT_OK(v_heap_alloc(&h2, 2000, 1, (void **)&p));
    V_EXPECT(p >= r2 && p + 2000 <= r2 + sizeof r2);
    V_ASSERT_OK(v_heap_alloc(&h2, 900, 1, (void **)&q));
    V_EXPECT(q >= r1 && q + 900 <= r1 + sizeof r1);
    /* Regions never merge: 3000 bytes exist in total but not together. */
    V_EXPECT_STATUS(v_heap_alloc(&h2, 2500, 1, (void **)&p), V_ERR_NO_MEMORY);
    V_EXPECT_OK(v_heap_check(&h2));
}

V_TEST(alloc, heap_via_interface)
{
    fresh_heap(false);
    v_alloc *a = &heap.base;
    uint64_t *arr;
    V_ASSERT_OK(V_ALLOC_ARRAY(a, uint64_t, 100, &arr));
    for (int i = 0; i < 100; i++)
        arr[i] = (uint64_t)i;
    uint64_t *more;
    V_ASSERT_OK(v_alloc_resize(a, arr, 800, 1600, 8, (void **)&more));
    V_EXPECT_EQ(more[99], 99u);
    v_alloc_free(a, more, 1600);
    V_EXPECT_OK(v_heap_check(&heap));
}
