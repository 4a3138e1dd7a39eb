/* Bitmap frame allocator (see k/pmm.h). A set bit is a frame in use, so
 * holes in the map and the bitmap itself simply stay set. Allocation
 * scans from a roving hint: frames come out low-first at boot (which the
 * early page-table code relies on) and the scan cost stays flat. */
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/spinlock.h>
#include <v/mem.h>

static spinlock lock = SPINLOCK_INIT;
static uint64_t *bitmap;
static uint64_t nframes;     /* frames the bitmap covers */
static uint64_t nwords;
static uint64_t total_frames; /* usable frames, bitmap excluded */
static uint64_t free_count;
static uint64_t hint;        /* word index to start scanning at */

void pmm_init(const mem_range *usable, size_t n, uint64_t early_limit)
{
    if (!n)
        kpanic("pmm: no usable memory in the boot memory map");
    uint64_t top = usable[n - 1].base + usable[n - 1].len;
    nframes = top / PAGE_SIZE;
    nwords = (nframes + 63) / 64;
    uint64_t bytes = (nwords * 8 + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

    size_t home = n;
    for (size_t i = 0; i < n && home == n; i++) {
        if (usable[i].len >= bytes && usable[i].base + bytes <= early_limit)
            home = i;
    }
    if (home == n)
        kpanic("pmm: no room for a %lu-byte frame bitmap", bytes);
    bitmap = phys_to_virt(usable[home].base);
    v_mem_set(bitmap, 0xff, nwords * 8);

    for (size_t i = 0; i < n; i++) {
        uint64_t a = usable[i].base, e = a + usable[i].len;
        if (i == home)
            a += bytes;
        uint64_t f = a / PAGE_SIZE, end = e / PAGE_SIZE;
        free_count += end > f ? end - f : 0;
        /* Bit by bit up to a word boundary, then whole words: this runs
         * over every frame of the machine at boot. */
        for (; f < end && f % 64; f++)
            bitmap[f / 64] &= ~(1ull << (f % 64));
        for (; f + 64 <= end; f += 64)
            bitmap[f / 64] = 0;
        for (; f < end; f++)
            bitmap[f / 64] &= ~(1ull << (f % 64));
    }
    total_frames = free_count;
    kinfo("pmm: %lu frames (%lu MiB) free, bitmap %lu KiB at 0x%lx",
          free_count, free_count / 256, bytes / 1024, usable[home].base);
}

static uint64_t take_from(uint64_t w)
{
    uint64_t bit = (uint64_t)__builtin_ctzll(~bitmap[w]);
    bitmap[w] |= 1ull << bit;
    free_count--;
    hint = w;
    return (w * 64 + bit) * PAGE_SIZE;
}

uint64_t pmm_alloc(void)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t pa = 0;
    if (free_count) {
        for (uint64_t i = 0; i < nwords; i++) {
            uint64_t w = (hint + i) % nwords;
            if (bitmap[w] != ~0ull) {
                pa = take_from(w);
                break;
            }
        }
    }
    spin_unlock_irqrestore(&lock, flags);
    return pa;
}

uint64_t pmm_alloc_zeroed(void)
{
    uint64_t pa = pmm_alloc();
    if (pa) {
        /* 8 bytes a step: every page table and user page comes through
         * here, and the byte loop of v_mem_set is 8 times the work. */
        void *p = phys_to_virt(pa);
        uint64_t n = PAGE_SIZE / 8;
        __asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(0ull) : "memory");
    }
    return pa;
}

void pmm_free(uint64_t pa)
{
    uint64_t f = pa / PAGE_SIZE;
    if (pa % PAGE_SIZE || f >= nframes)
        kpanic("pmm: free of bad frame address 0x%lx", pa);
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t mask = 1ull << (f % 64);
    if (!(bitmap[f / 64] & mask)) {
        spin_unlock_irqrestore(&lock, flags);
        kpanic("pmm: double free of frame 0x%lx", pa);
    }
    bitmap[f / 64] &= ~mask;
    free_count++;
    spin_unlock_irqrestore(&lock, flags);
}

uint64_t pmm_total_frames(void)
{
    return total_frames;
}

uint64_t pmm_free_frames(void)
{
    return __atomic_load_n(&free_count, __ATOMIC_RELAXED);
}
