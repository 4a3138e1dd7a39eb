/* Memory map cleaning: unsorted, overlapping, reserved-over-usable,
 * unaligned, empty and overflowing entries, and a short output buffer. */
#include <k/memmap.h>
#include <v/test.h>

#define R(b, l, t) {(b), (l), (t)}
#define U MEM_USABLE
#define RES 2u

static void expect_ranges(v_test_ctx *v_t, const mem_range *got, size_t n,
                          const mem_range *want, size_t wn)
{
    V_EXPECT_EQ(n, wn);
    for (size_t i = 0; i < n && i < wn; i++) {
        V_EXPECT_EQ(got[i].base, want[i].base);
        V_EXPECT_EQ(got[i].len, want[i].len);
        V_EXPECT_EQ(got[i].type, (uint32_t)U);
    }
}

#define CLEAN_EXPECT(in, ...)                                                \
    do {                                                                     \
        const mem_range want_[] = {__VA_ARGS__};                             \
        mem_range out_[16];                                                  \
        size_t n_ = 99;                                                      \
        V_EXPECT_OK(memmap_clean(in, sizeof in / sizeof in[0], out_, 16,    \
                                 &n_));                                      \
        expect_ranges(v_t, out_, n_, want_, sizeof want_ / sizeof want_[0]); \
    } while (0)

V_TEST(kernel, memmap_sorts_and_merges)
{
    const mem_range in[] = {
        R(0x300000, 0x100000, U),
        R(0x100000, 0x100000, U),
        R(0x200000, 0x100000, U), /* adjacent: one range results */
        R(0x800000, 0x1000, U),
    };
    CLEAN_EXPECT(in, R(0x100000, 0x300000, U), R(0x800000, 0x1000, U));
}

V_TEST(kernel, memmap_overlapping_usable_entries_merge)
{
    const mem_range in[] = {
        R(0x100000, 0x300000, U),
        R(0x200000, 0x400000, U),
        R(0x150000, 0x10000, U), /* wholly inside */
    };
    CLEAN_EXPECT(in, R(0x100000, 0x500000, U));
}

V_TEST(kernel, memmap_reserved_wins_over_usable)
{
    const mem_range in[] = {
        R(0x0, 0x1000000, U),
        R(0x400000, 0x100000, RES),  /* a hole in the middle */
        R(0xf00000, 0x200000, 3),    /* ACPI over the end, past it too */
        R(0x0, 0x1000, RES),         /* first page */
    };
    CLEAN_EXPECT(in, R(0x1000, 0x3ff000, U), R(0x500000, 0xa00000, U));
}

V_TEST(kernel, memmap_reserved_listed_first_still_wins)
{
    const mem_range in[] = {
        R(0x200000, 0x100000, RES),
        R(0x100000, 0x300000, U),
    };
    CLEAN_EXPECT(in, R(0x100000, 0x100000, U), R(0x300000, 0x100000, U));
}

V_TEST(kernel, memmap_partial_pages_are_dropped)
{
    const mem_range in[] = {
        R(0x100010, 0x2000, U),  /* -> [0x101000, 0x102000) */
        R(0x200000, 0xfff, U),   /* no whole page */
        R(0x300800, 0x1000, U),  /* straddles: no whole page */
        R(0x400000, 0x1800, U),  /* -> one page */
    };
    CLEAN_EXPECT(in, R(0x101000, 0x1000, U), R(0x400000, 0x1000, U));
}

V_TEST(kernel, memmap_reserved_splits_at_page_granularity)
{
    /* A reserved byte range makes its whole page unusable. */
    const mem_range in[] = {
        R(0x100000, 0x10000, U),
        R(0x104010, 0x20, RES),
    };
    CLEAN_EXPECT(in, R(0x100000, 0x4000, U), R(0x105000, 0xb000, U));
}

V_TEST(kernel, memmap_ignores_empty_and_clamps_overflow)
{
    const mem_range in[] = {
        R(0x100000, 0, U),
        R(0x500000, 0, RES),
        R(0xfffffffffff00000, 0x200000, U), /* wraps past 2^64 */
    };
    CLEAN_EXPECT(in, R(0xfffffffffff00000, 0xff000, U));
}

V_TEST(kernel, memmap_only_reserved_gives_nothing)
{
    const mem_range in[] = {R(0x0, 0x100000, RES), R(0x100000, 0x1000, 7)};
    mem_range out[4];
    size_t n = 99;
    V_EXPECT_OK(memmap_clean(in, 2, out, 4, &n));
    V_EXPECT_EQ(n, 0u);
    V_EXPECT_OK(memmap_clean(in, 0, out, 4, &n));
    V_EXPECT_EQ(n, 0u);
}

V_TEST(kernel, memmap_reports_short_output)
{
    const mem_range in[] = {
        R(0x100000, 0x1000, U), R(0x300000, 0x1000, U),
        R(0x500000, 0x1000, U),
    };
    mem_range out[2];
    size_t n = 0;
    V_EXPECT_STATUS(memmap_clean(in, 3, out, 2, &n), V_ERR_LIMIT);
    V_EXPECT_EQ(n, 2u);
    V_EXPECT_EQ(out[1].base, 0x300000u);
}

V_TEST(kernel, memmap_rejects_null_arrays)
{
    mem_range out[1];
    size_t n;
    V_EXPECT_STATUS(memmap_clean(0, 1, out, 1, &n), V_ERR_INVALID_ARGS);
    const mem_range in[] = {R(0x100000, 0x1000, U)};
    V_EXPECT_STATUS(memmap_clean(in, 1, 0, 1, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(memmap_clean(in, 1, out, 1, 0), V_ERR_INVALID_ARGS);
}

V_TEST(kernel, memmap_many_random_overlaps_match_a_page_model)
{
    /* Cross-check against a per-page model on a small address space:
     * random entries, then every page's verdict must agree. */
    enum { PAGES = 256, ENTRIES = 24 };
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 20; round++) {
        mem_range in[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            uint64_t base = (seed % (PAGES * 4096)) & ~0x7ffull;
            uint64_t len = (seed >> 20) % (64 * 4096);
            in[i] = (mem_range){base, len, (seed >> 40) % 4 ? U : RES};
        }
        mem_range out[ENTRIES * 2 + 1];
        size_t n;
        V_ASSERT_OK(memmap_clean(in, ENTRIES, out, ENTRIES * 2 + 1, &n));
        for (uint64_t p = 0; p < PAGES + 64; p++) {
            uint64_t a = p * 4096, b = a + 4096;
            bool usable = false, reserved = false;
            for (int i = 0; i < ENTRIES; i++) {
                uint64_t s = in[i].base, e = s + in[i].len;
                if (in[i].len && s < b && e > a) { /* touches the page */
                    if (in[i].type != U)
                        reserved = true;
                }
            }
            /* Usable iff the union of usable entries covers the page and
             * nothing reserved touches it. */
            uint64_t cur = a;
            bool progress = true;
            while (cur < b && progress) {
                progress = false;
                for (int i = 0; i < ENTRIES; i++) {
                    uint64_t s = in[i].base, e = s + in[i].len;
                    if (in[i].type == U && s <= cur && e > cur) {
                        cur = e;
                        progress = true;
                    }
                }
            }
            usable = cur >= b && !reserved;
            bool got = false;
            for (size_t k = 0; k < n; k++)
                got |= out[k].base <= a && out[k].base + out[k].len >= b;
            if (got != usable) {
                V_EXPECT_EQ(got, usable);
                return;
            }
        }
        for (size_t k = 1; k < n; k++) /* sorted, disjoint, not adjacent */
            V_EXPECT_GT(out[k].base, out[k - 1].base + out[k - 1].len);
    }
}
