/* The kernel heap: size classes, alignment, large blocks with guard pages,
 * a random stress run after which every frame comes back, and the
 * out-of-memory path. */
#include <arch/trap.h>
#include <k/heap.h>
#include <k/pmm.h>
#include <k/sched.h>
#include <k/cpu.h>
#include <k/smp.h>
#include <k/slab.h>
#include <k/vm.h>
#include <v/mem.h>
#include <v/test.h>

/* Frames in use outside page tables (which are never freed). */
static uint64_t frames_used(void)
{
    return pmm_total_frames() - pmm_free_frames() - vm_table_frames();
}

V_TEST(kernel, heap_small_blocks_are_aligned_and_distinct)
{
    static const size_t sizes[] = {1, 8, 16, 17, 100, 128, 500, 1000, 1024};
    void *p[9];
    for (size_t i = 0; i < 9; i++) {
        p[i] = kmalloc(sizes[i]);
        V_ASSERT_NOT_NULL(p[i]);
        size_t cls = 16;
        while (cls < sizes[i])
            cls <<= 1;
        V_EXPECT_EQ((uintptr_t)p[i] % cls, 0u);
        v_mem_set(p[i], (int)i, sizes[i]);
    }
    for (size_t i = 0; i < 9; i++) {
        const unsigned char *b = p[i];
        V_EXPECT_EQ(b[0], i);
        V_EXPECT_EQ(b[sizes[i] - 1], i);
        kfree(p[i]);
    }
    V_EXPECT_NULL(kmalloc(0));
    kfree(0); /* allowed, does nothing */
}

V_TEST(kernel, heap_large_blocks_have_guard_pages)
{
    size_t size = 3 * 4096 + 100;
    uint8_t *p = kzalloc(size);
    V_ASSERT_NOT_NULL(p);
    V_EXPECT_EQ((uintptr_t)p % 4096, 0u);
    p[size - 1] = 1;
    p[4 * 4096 - 1] = 2; /* rest of the last page is still ours */
    trap_catch c;
    if (TRAP_CATCH(&c)) {
        p[4 * 4096] = 3; /* first byte of the guard page */
        trap_catch_end(&c);
        V_EXPECT(!"writing past a large block did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 14u);
        V_EXPECT_EQ(c.cr2, (uint64_t)(uintptr_t)(p + 4 * 4096));
    }
    kfree(p);
    V_EXPECT(!vm_is_mapped((uintptr_t)p)); /* freed pages are unmapped */
}

V_TEST(kernel, heap_slab_cache_grows_and_shrinks)
{
    slab_cache c;
    slab_cache_init(&c, "test-48", 48);
    V_EXPECT_EQ(c.obj_size, 64u);
    uint64_t before = pmm_free_frames();
    enum { MAX = 200 };
    void *objs[MAX];
    size_t n = c.per_slab + 1; /* one more than a slab holds */
    V_ASSERT(n <= MAX);
    for (size_t i = 0; i < n; i++) {
        objs[i] = slab_alloc(&c);
        V_ASSERT_NOT_NULL(objs[i]);
    }
    V_EXPECT_EQ(c.slabs, 2u);
    V_EXPECT_EQ(c.in_use, n);
    V_EXPECT_EQ(pmm_free_frames(), before - 2);
    for (size_t i = 0; i < n; i++)
        slab_free(objs[i]);
    V_EXPECT_EQ(c.in_use, 0u);
    V_EXPECT_EQ(c.slabs, 1u); /* one empty slab is kept */
    slab_cache_trim(&c);
    V_EXPECT_EQ(c.slabs, 0u);
    V_EXPECT_EQ(pmm_free_frames(), before);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

V_TEST(kernel, heap_stress_random_then_all_memory_returns)
{
    enum { SLOTS = 512, ROUNDS = 20000 };
    static uint8_t *slot[SLOTS];
    static size_t len[SLOTS];
    heap_trim();
    uint64_t before = frames_used();
    uint64_t seed = 0x2545f4914f6cdd1du;
    for (int r = 0; r < ROUNDS; r++) {
        size_t i = rng_next(&seed) % SLOTS;
        if (slot[i]) {
            /* The block still holds the byte pattern written into it. */
            uint8_t tag = (uint8_t)(i * 7 + len[i]);
            if (slot[i][0] != tag || slot[i][len[i] - 1] != tag) {
                V_EXPECT_EQ(slot[i][0], tag);
                return;
            }
            kfree(slot[i]);
            slot[i] = 0;
        } else {
            uint64_t x = rng_next(&seed);
            /* Mostly small, sometimes large (up to 5 pages). */
            len[i] = x % 8 ? 1 + x % 1024 : 1 + x % (5 * 4096);
            slot[i] = kmalloc(len[i]);
            V_ASSERT_NOT_NULL(slot[i]);
            v_mem_set(slot[i], (uint8_t)(i * 7 + len[i]), len[i]);
        }
    }
    for (size_t i = 0; i < SLOTS; i++) {
        kfree(slot[i]);
        slot[i] = 0;
    }
    heap_trim();
    V_EXPECT_EQ(frames_used(), before);
    V_EXPECT_EQ(heap_frames(), 0u);
}

V_TEST(kernel, heap_out_of_memory_reports_and_recovers)
{
    /* Exhaust memory with 1 MiB blocks chained through their first word,
     * then free them: kmalloc must fail (not hang), report once per
     * failure, and every frame must come back. */
    heap_trim();
    uint64_t before = frames_used();
    unsigned reports = heap_oom_reports;
    void *head = 0;
    size_t blocks = 0;
    for (;;) {
        void **b = kmalloc(1 << 20);
        if (!b)
            break;
        *b = head;
        head = b;
        blocks++;
    }
    V_EXPECT_GT(blocks, 10u);
    V_EXPECT_EQ(heap_oom_reports, reports + 1);
    /* Small allocations may still succeed from partial frames; once the
     * frames are gone they fail too. Either way nothing hangs. */
    while (head) {
        void *next = *(void **)head;
        kfree(head);
        head = next;
    }
    heap_trim();
    V_EXPECT_EQ(frames_used(), before);
    void *p = kmalloc(1 << 20);
    V_EXPECT_NOT_NULL(p); /* usable again */
    kfree(p);
}

V_TEST(kernel, heap_as_v_alloc)
{
    v_alloc *a = kheap_alloc();
    void *p = 0;
    V_ASSERT_OK(v_alloc_bytes(a, 24, 256, &p));
    V_EXPECT_EQ((uintptr_t)p % 256, 0u);
    v_mem_set(p, 0x5a, 24);
    void *q = 0;
    V_ASSERT_OK(v_alloc_resize(a, p, 24, 5000, 256, &q));
    V_EXPECT_EQ(((uint8_t *)q)[23], 0x5a);
    V_EXPECT_EQ((uintptr_t)q % 4096, 0u);
    v_alloc_free(a, q, 5000);
    V_EXPECT_STATUS(v_alloc_bytes(a, 8, 3, &p), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_alloc_bytes(a, 8, 8192, &p), V_ERR_NOT_SUPPORTED);
    V_EXPECT_STATUS(v_alloc_bytes(a, 0, 8, &p), V_ERR_INVALID_ARGS);
}

/* The same random pattern from a thread on every CPU at once (slab caches
 * and the kernel virtual area shared between CPUs), then every frame
 * returns. */
typedef struct stress_arg {
    uint64_t seed;
    volatile int bad;
} stress_arg;

static void stress_thread(void *p)
{
    enum { SLOTS = 64, ROUNDS = 4000 };
    stress_arg *a = p;
    uint8_t *slot[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    for (int r = 0; r < ROUNDS; r++) {
        size_t i = rng_next(&a->seed) % SLOTS;
        if (slot[i]) {
            if (slot[i][0] != (uint8_t)len[i] ||
                slot[i][len[i] - 1] != (uint8_t)len[i])
                a->bad++;
            kfree(slot[i]);
            slot[i] = 0;
        } else {
            uint64_t x = rng_next(&a->seed);
            len[i] = x % 8 ? 1 + x % 1024 : 1 + x % (3 * 4096);
            slot[i] = kmalloc(len[i]);
            if (!slot[i]) {
                a->bad++;
                continue;
            }
            v_mem_set(slot[i], (uint8_t)len[i], len[i]);
        }
    }
    for (size_t i = 0; i < SLOTS; i++)
        kfree(slot[i]);
}

V_TEST(kernel, heap_stress_on_every_cpu_then_all_memory_returns)
{
    heap_trim();
    uint64_t before = frames_used();
    unsigned n = smp_cpu_count();
    stress_arg args[MAX_CPUS];
    thread *t[MAX_CPUS];
    for (unsigned c = 0; c < n; c++) {
        args[c].seed = 0x9e3779b97f4a7c15u * (c + 1);
        args[c].bad = 0;
        t[c] = thread_create_on("stress", stress_thread, &args[c],
                                SCHED_PRIO_DEFAULT, c);
        V_ASSERT_NOT_NULL(t[c]);
    }
    for (unsigned c = 0; c < n; c++) {
        thread_join(t[c]);
        V_EXPECT_EQ(args[c].bad, 0);
    }
    heap_trim();
    V_EXPECT_EQ(frames_used(), before);
}
