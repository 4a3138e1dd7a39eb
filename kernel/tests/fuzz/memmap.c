/* libFuzzer target: memmap_clean on arbitrary entry lists. The output
 * must be sorted, disjoint, page-aligned, non-empty ranges, and every
 * output page must be usable by the rule (some usable entry covers each
 * of its bytes, no other entry touches it); checked at both ends of each
 * range, where a mistake would show. */
#include <k/memmap.h>
#include <stdbool.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_IN 64
#define PAGE 4096u

static uint64_t end_of(const mem_range *r)
{
    uint64_t e = r->base + r->len;
    return e < r->base ? UINT64_MAX : e;
}

static bool page_usable(const mem_range *in, size_t n, uint64_t a)
{
    uint64_t b = a + PAGE, cur = a;
    for (size_t i = 0; i < n; i++) {
        if (in[i].len && in[i].type != MEM_USABLE && in[i].base < b &&
            end_of(&in[i]) > a)
            return false;
    }
    /* Coverage by the union of usable entries. */
    bool progress = true;
    while (cur < b && progress) {
        progress = false;
        for (size_t i = 0; i < n; i++) {
            if (in[i].len && in[i].type == MEM_USABLE && in[i].base <= cur &&
                end_of(&in[i]) > cur) {
                cur = end_of(&in[i]);
                progress = true;
                if (cur == UINT64_MAX)
                    return true;
            }
        }
    }
    return cur >= b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem_range in[MAX_IN];
    size_t n = 0;
    while (size >= 17 && n < MAX_IN) {
        memcpy(&in[n].base, data, 8);
        memcpy(&in[n].len, data + 8, 8);
        in[n].type = data[16] & 3; /* 1 = usable, others reserved */
        data += 17;
        size -= 17;
        n++;
    }
    mem_range out[2 * MAX_IN + 1];
    size_t m = 0;
    if (memmap_clean(in, n, out, 2 * MAX_IN + 1, &m) != V_OK)
        __builtin_trap(); /* this capacity always suffices */
    for (size_t k = 0; k < m; k++) {
        const mem_range *r = &out[k];
        if (!r->len || r->base % PAGE || r->len % PAGE || r->type != MEM_USABLE)
            __builtin_trap();
        if (r->base + r->len < r->base)
            __builtin_trap();
        if (k && out[k - 1].base + out[k - 1].len >= r->base)
            __builtin_trap(); /* overlapping, unsorted or unmerged */
        if (!page_usable(in, n, r->base) ||
            !page_usable(in, n, r->base + r->len - PAGE))
            __builtin_trap();
    }
    return 0;
}
