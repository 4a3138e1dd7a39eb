/* The frame allocator: distinct, aligned, zeroed on request, and every
 * frame comes back. */
#include <k/mm.h>
#include <k/pmm.h>
#include <v/test.h>

V_TEST(kernel, pmm_frames_are_distinct_aligned_and_return)
{
    enum { N = 512 };
    static uint64_t got[N];
    uint64_t before = pmm_free_frames();
    for (int i = 0; i < N; i++) {
        got[i] = pmm_alloc();
        V_ASSERT_NE(got[i], 0u);
        V_EXPECT_EQ(got[i] % 4096, 0u);
        V_EXPECT_GE(got[i], 0x100000u); /* never the first MiB */
        /* Writable through the direct map, and ours alone. */
        *(uint64_t *)phys_to_virt(got[i]) = got[i];
    }
    V_EXPECT_EQ(pmm_free_frames(), before - N);
    for (int i = 0; i < N; i++)
        V_EXPECT_EQ(*(uint64_t *)phys_to_virt(got[i]), got[i]);
    for (int i = 0; i < N; i++)
        pmm_free(got[i]);
    V_EXPECT_EQ(pmm_free_frames(), before);
}

V_TEST(kernel, pmm_zeroed_frames_are_zero)
{
    uint64_t a = pmm_alloc();
    V_ASSERT_NE(a, 0u);
    uint8_t *p = phys_to_virt(a);
    for (int i = 0; i < 4096; i++)
        p[i] = 0xa5;
    pmm_free(a);
    uint64_t b = pmm_alloc_zeroed();
    V_ASSERT_NE(b, 0u);
    p = phys_to_virt(b);
    int nonzero = 0;
    for (int i = 0; i < 4096; i++)
        nonzero += p[i] != 0;
    V_EXPECT_EQ(nonzero, 0);
    pmm_free(b);
}

V_TEST(kernel, pmm_exhaustion_returns_zero_then_recovers)
{
    /* Take every frame, chaining them through their own first word. */
    uint64_t before = pmm_free_frames();
    uint64_t head = 0, n = 0, f;
    while ((f = pmm_alloc()) != 0) {
        *(uint64_t *)phys_to_virt(f) = head;
        head = f;
        n++;
    }
    V_EXPECT_EQ(n, before);
    V_EXPECT_EQ(pmm_free_frames(), 0u);
    V_EXPECT_EQ(pmm_alloc(), 0u);
    while (head) {
        uint64_t next = *(uint64_t *)phys_to_virt(head);
        pmm_free(head);
        head = next;
    }
    V_EXPECT_EQ(pmm_free_frames(), before);
    V_EXPECT_LE(pmm_free_frames(), pmm_total_frames());
}
