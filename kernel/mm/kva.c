/* Kernel virtual area allocator: two bitmaps over the area's pages. `used`
 * marks reserved pages (guards included); `head` marks the first page of
 * each range, so a range's length is found by walking to the next head or
 * free page and no per-range record is needed. First fit. */
#include <arch/layout.h>
#include <k/kva.h>
#include <k/panic.h>
#include <k/spinlock.h>
#include <stdbool.h>

#define NPAGES (KVA_SIZE / PAGE_SIZE)
#define NWORDS (NPAGES / 64)

static spinlock lock = SPINLOCK_INIT;
static uint64_t used[NWORDS];
static uint64_t head[NWORDS];
static size_t live_pages, live_ranges;

static bool test(const uint64_t *b, size_t i)
{
    return b[i / 64] >> (i % 64) & 1;
}
static void set(uint64_t *b, size_t i, bool v)
{
    if (v)
        b[i / 64] |= 1ull << (i % 64);
    else
        b[i / 64] &= ~(1ull << (i % 64));
}

bool kva_contains(uintptr_t va)
{
    return va >= KVA_BASE && va - KVA_BASE < KVA_SIZE;
}

uintptr_t kva_alloc(size_t pages)
{
    if (pages == 0 || pages >= NPAGES)
        return 0;
    size_t want = pages + 1;
    uintptr_t va = 0;
    uint64_t flags = spin_lock_irqsave(&lock);
    size_t run = 0;
    for (size_t i = 0; i < NPAGES; i++) {
        if (run == 0 && i % 64 == 0 && used[i / 64] == ~0ull) {
            i += 63; /* whole word in use */
            continue;
        }
        run = test(used, i) ? 0 : run + 1;
        if (run == want) {
            size_t first = i + 1 - want;
            for (size_t k = first; k <= i; k++)
                set(used, k, true);
            set(head, first, true);
            live_pages += want;
            live_ranges++;
            va = KVA_BASE + first * PAGE_SIZE;
            break;
        }
    }
    spin_unlock_irqrestore(&lock, flags);
    return va;
}

/* Range length including the guard; caller holds the lock. */
static size_t span_at(size_t first)
{
    size_t n = 1;
    while (first + n < NPAGES && test(used, first + n) &&
           !test(head, first + n))
        n++;
    return n;
}

size_t kva_pages(uintptr_t va)
{
    if (!kva_contains(va) || va % PAGE_SIZE)
        return 0;
    size_t first = (va - KVA_BASE) / PAGE_SIZE;
    uint64_t flags = spin_lock_irqsave(&lock);
    size_t n = test(head, first) ? span_at(first) - 1 : 0;
    spin_unlock_irqrestore(&lock, flags);
    return n;
}

size_t kva_free(uintptr_t va)
{
    if (!kva_contains(va) || va % PAGE_SIZE)
        kpanic("kva: free of 0x%lx, not in the kernel virtual area", va);
    size_t first = (va - KVA_BASE) / PAGE_SIZE;
    uint64_t flags = spin_lock_irqsave(&lock);
    if (!test(head, first)) {
        spin_unlock_irqrestore(&lock, flags);
        kpanic("kva: free of 0x%lx, which starts no range", va);
    }
    size_t n = span_at(first);
    for (size_t k = first; k < first + n; k++)
        set(used, k, false);
    set(head, first, false);
    live_pages -= n;
    live_ranges--;
    spin_unlock_irqrestore(&lock, flags);
    return n - 1;
}

void kva_usage(size_t *pages, size_t *ranges)
{
    *pages = live_pages;
    *ranges = live_ranges;
}
