/* Random alloc/free/resize against a shadow model: every live block's
 * contents are checked, no two live blocks overlap, and at the end the
 * heap merges back to the single free block it started with. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/alloc.h>
#include <v/test.h>

enum { SBUF = 512 * 1024, SLOTS = 400, STEPS = 60000 };
static _Alignas(64) unsigned char sbuf[SBUF];

typedef struct slot {
    unsigned char *p;
    size_t size, align;
    unsigned char seed;
} slot;

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void fill(slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        s->p[i] = (unsigned char)(s->seed + i * 31);
}

static bool intact(const slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->p[i] != (unsigned char)(s->seed + i * 31))
            return false;
    return true;
}

static int by_addr(const void *a, const void *b)
{
    const slot *x = *(slot *const *)a, *y = *(slot *const *)b;
    return x->p < y->p ? -1 : x->p > y->p;
}

static bool no_overlap(slot *slots)
{
    slot *live[SLOTS];
    size_t n = 0;
    for (size_t i = 0; i < SLOTS; i++)
        if (slots[i].p != NULL)
            live[n++] = &slots[i];
    qsort(live, n, sizeof live[0], by_addr);
    for (size_t i = 1; i < n; i++)
        if (live[i - 1]->p + live[i - 1]->size > live[i]->p)
            return false;
    return true;
}

static size_t pick_size(uint64_t *r)
{
    uint64_t k = rng(r) % 100;
    if (k < 60)
        return 1 + rng(r) % 64;
    if (k < 95)
        return 1 + rng(r) % 2048;
    return 1 + rng(r) % 40000;
}

static void count_report(void *ctx, const v_heap_report *r)
{
    (void)r;
    ++*(int *)ctx;
}

static void stress(v_test_ctx *v_t, bool debug, bool split, uint64_t seed,
                   int steps)
{
    static v_heap h;
    static slot slots[SLOTS];
    int reports = 0;
    v_heap_config cfg = {debug, count_report, &reports};
    V_ASSERT_OK(v_heap_init(&h, &cfg));
    if (split) {
        /* Three regions of uneven size, not in address order. */
        V_ASSERT_OK(v_heap_add_region(&h, sbuf + 300000, SBUF - 300000));
        V_ASSERT_OK(v_heap_add_region(&h, sbuf + 7, 100000 - 7));
        V_ASSERT_OK(v_heap_add_region(&h, sbuf + 100000, 200000));
    } else {
        V_ASSERT_OK(v_heap_add_region(&h, sbuf, SBUF));
    }
    v_heap_stats s0, s;
    v_heap_get_stats(&h, &s0);
    memset(slots, 0, sizeof slots);
    uint64_t r = seed;
    size_t ooms = 0;
    for (int step = 0; step < steps; step++) {
        slot *sl = &slots[rng(&r) % SLOTS];
        uint64_t op = rng(&r) % 10;
        if (sl->p == NULL) {
            size_t size = pick_size(&r);
            size_t align = (size_t)1 << (rng(&r) % 100 < 90 ? rng(&r) % 5 : rng(&r) % 12);
            void *p = NULL;
            v_status st = v_heap_alloc(&h, size, align, &p);
            if (st == V_ERR_NO_MEMORY) {
                ooms++;
                continue;
            }
            V_ASSERT_OK(st);
            V_ASSERT_EQ((uintptr_t)p % align, 0u);
            V_ASSERT((unsigned char *)p >= sbuf && (unsigned char *)p + size <= sbuf + SBUF);
            *sl = (slot){p, size, align, (unsigned char)rng(&r)};
            fill(sl);
        } else if (op < 6) {
            V_ASSERT(intact(sl, sl->size));
            v_heap_free(&h, sl->p, sl->size);
            sl->p = NULL;
        } else {
            size_t ns = op < 8 ? pick_size(&r) : sl->size / 2 + 1;
            void *np;
            v_status st = v_heap_resize(&h, sl->p, sl->size, ns, sl->align, &np);
            if (st == V_ERR_NO_MEMORY) {
                ooms++;
                V_ASSERT(intact(sl, sl->size));
                continue;
            }
            V_ASSERT_OK(st);
            V_ASSERT_EQ((uintptr_t)np % sl->align, 0u);
            sl->p = np;
            size_t keep = ns < sl->size ? ns : sl->size;
            V_ASSERT(intact(sl, keep));
            sl->size = ns;
            fill(sl);
        }
        if (step % 1000 == 0) {
            V_ASSERT(no_overlap(slots));
            V_ASSERT_OK(v_heap_check(&h));
        }
    }
    V_ASSERT(no_overlap(slots));
    V_ASSERT_OK(v_heap_check(&h));
    for (size_t i = 0; i < SLOTS; i++) {
        if (slots[i].p != NULL) {
            V_ASSERT(intact(&slots[i], slots[i].size));
            v_heap_free(&h, slots[i].p, slots[i].size);
        }
    }
    V_EXPECT_OK(v_heap_check(&h));
    v_heap_get_stats(&h, &s);
    V_EXPECT_EQ(s.used_blocks, 0u);
    V_EXPECT_EQ(s.free_blocks, s0.free_blocks);
    V_EXPECT_EQ(s.largest_free, s0.largest_free);
    V_EXPECT_EQ(s.free_bytes, s0.total_bytes);
    V_EXPECT_GT(ooms, 0u); /* the workload did reach exhaustion */
    V_EXPECT_EQ(reports, 0); /* and a correct program is never reported */
}

V_TEST(alloc, heap_stress_normal)
{
    stress(v_t, false, false, 0x9e3779b97f4a7c15ull, STEPS);
    stress(v_t, false, true, 42, STEPS);
}

V_TEST(alloc, heap_stress_debug)
{
    stress(v_t, true, false, 0x1234567ull, STEPS / 3);
    stress(v_t, true, true, 77, STEPS / 3);
}
