/* Memory map cleaning (see k/memmap.h for the rule).
 *
 * A sweep over the boundaries of all entries: between two consecutive
 * boundaries every entry either covers the whole interval or none of it,
 * so one check per interval decides it. The next boundary is found by a
 * scan rather than a sort, so no scratch memory is needed; maps have tens
 * of entries and this runs once. */
#include <k/memmap.h>
#include <stdbool.h>

#define PAGE 4096u

static uint64_t end_of(const mem_range *r)
{
    uint64_t e = r->base + r->len;
    return e < r->base ? UINT64_MAX : e; /* cut at 2^64 - 1 */
}

/* Smallest entry start or end strictly above cur; false if none. */
static bool next_boundary(const mem_range *in, size_t n, uint64_t cur,
                          bool first, uint64_t *out)
{
    bool found = false;
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!in[i].len)
            continue;
        uint64_t pts[2] = {in[i].base, end_of(&in[i])};
        for (int k = 0; k < 2; k++) {
            if ((first || pts[k] > cur) && pts[k] <= best) {
                best = pts[k];
                found = true;
            }
        }
    }
    *out = best;
    return found;
}

/* Usable iff some usable entry and no other entry covers [a, b). */
static bool interval_usable(const mem_range *in, size_t n, uint64_t a,
                            uint64_t b)
{
    bool usable = false;
    for (size_t i = 0; i < n; i++) {
        if (!in[i].len || in[i].base > a || end_of(&in[i]) < b)
            continue;
        if (in[i].type != MEM_USABLE)
            return false;
        usable = true;
    }
    return usable;
}

static v_status emit(mem_range *out, size_t cap, size_t *count, uint64_t a,
                     uint64_t b)
{
    uint64_t base = (a + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    uint64_t end = b & ~(uint64_t)(PAGE - 1);
    if (a > UINT64_MAX - (PAGE - 1) || end <= base)
        return V_OK; /* no whole page */
    if (*count == cap)
        return V_ERR_LIMIT;
    out[*count].base = base;
    out[*count].len = end - base;
    out[*count].type = MEM_USABLE;
    (*count)++;
    return V_OK;
}

v_status memmap_clean(const mem_range *in, size_t n, mem_range *out,
                      size_t cap, size_t *out_n)
{
    if ((n && !in) || (cap && !out) || !out_n)
        return V_ERR_INVALID_ARGS;
    *out_n = 0;
    uint64_t cur;
    if (!next_boundary(in, n, 0, true, &cur))
        return V_OK;
    /* [run_a, run_b) is the usable run being built; runs of adjacent usable
     * intervals are merged before page alignment, so a usable region split
     * by overlapping entries is not cut at a non-page boundary. */
    bool in_run = false;
    uint64_t run_a = 0, next;
    while (next_boundary(in, n, cur, false, &next)) {
        bool usable = interval_usable(in, n, cur, next);
        if (usable && !in_run) {
            run_a = cur;
            in_run = true;
        } else if (!usable && in_run) {
            v_status s = emit(out, cap, out_n, run_a, cur);
            if (s != V_OK)
                return s;
            in_run = false;
        }
        cur = next;
    }
    if (in_run)
        return emit(out, cap, out_n, run_a, cur);
    return V_OK;
}
