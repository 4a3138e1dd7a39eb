/* kmalloc and kfree (see k/heap.h). Which allocator owns a pointer is
 * decided by its address: the kernel virtual area holds large blocks, the
 * direct map holds slab objects. */
#include <k/heap.h>
#include <k/kva.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/slab.h>
#include <k/vm.h>
#include <v/mem.h>

static const char *const class_names[] = {
    "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
    "kmalloc-256", "kmalloc-512", "kmalloc-1024",
};
#define NCLASSES (sizeof class_names / sizeof class_names[0])

static slab_cache classes[NCLASSES];
static uint64_t large_frames;
unsigned heap_oom_reports;

void heap_init(void)
{
    for (size_t i = 0; i < NCLASSES; i++)
        slab_cache_init(&classes[i], class_names[i], SLAB_MIN_SIZE << i);
}

static void out_of_memory(size_t size)
{
    heap_oom_reports++;
    kwarn("heap: out of memory allocating %zu bytes", size);
    mm_report();
}

static void unmap_large(uintptr_t va, size_t pages)
{
    vm_unmap_free_range(va, pages);
    __atomic_fetch_sub(&large_frames, pages, __ATOMIC_RELAXED);
}

static void *alloc_large(size_t size)
{
    size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    uintptr_t va = kva_alloc(pages);
    if (!va)
        return 0;
    for (size_t i = 0; i < pages; i++) {
        uint64_t pa = pmm_alloc();
        if (!pa || vm_map(va + i * PAGE_SIZE, pa, VM_WRITE) != V_OK) {
            if (pa)
                pmm_free(pa);
            unmap_large(va, i);
            kva_free(va);
            return 0;
        }
        __atomic_fetch_add(&large_frames, 1, __ATOMIC_RELAXED);
    }
    return (void *)va;
}

static size_t class_of(size_t size)
{
    size_t i = 0;
    while ((SLAB_MIN_SIZE << i) < size)
        i++;
    return i;
}

void *kmalloc(size_t size)
{
    if (size == 0)
        return 0;
    void *p = size <= SLAB_MAX_SIZE ? slab_alloc(&classes[class_of(size)])
                                    : alloc_large(size);
    if (!p)
        out_of_memory(size);
    return p;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p) {
        /* 8 bytes a step (blocks are at least 8-aligned), then the tail:
         * v_mem_set's byte loop made zeroing the bulk of small allocs. */
        uint64_t *w = p;
        size_t words = size / 8;
        for (size_t i = 0; i < words; i++)
            w[i] = 0;
        v_mem_set((uint8_t *)p + words * 8, 0, size % 8);
    }
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    uintptr_t va = (uintptr_t)p;
    if (kva_contains(va)) {
        size_t pages = kva_pages(va);
        if (!pages)
            kpanic("heap: free of %p, which starts no block", p);
        unmap_large(va, pages);
        kva_free(va);
        return;
    }
    slab_free(p);
}

void heap_trim(void)
{
    for (size_t i = 0; i < NCLASSES; i++)
        slab_cache_trim(&classes[i]);
}

uint64_t heap_frames(void)
{
    uint64_t n = __atomic_load_n(&large_frames, __ATOMIC_RELAXED);
    for (size_t i = 0; i < NCLASSES; i++)
        n += classes[i].slabs;
    return n;
}

void heap_report(void)
{
    for (size_t i = 0; i < NCLASSES; i++) {
        const slab_cache *c = &classes[i];
        if (c->slabs)
            kwarn("mm:   %-12s %4lu slabs, %6lu of %6lu objects in use",
                  c->name, c->slabs, c->in_use, c->slabs * c->per_slab);
    }
    size_t pages, ranges;
    kva_usage(&pages, &ranges);
    kwarn("mm:   large blocks: %lu frames mapped", large_frames);
    kwarn("mm:   kernel virtual area: %zu ranges (large blocks, stacks, "
          "device registers), %zu pages with guards", ranges, pages);
}

/* ---- the heap as a v_alloc ---- */

static v_status va_alloc(v_alloc *self, size_t size, size_t align,
                         void **out)
{
    (void)self;
    if (!size || !align || (align & (align - 1)))
        return V_ERR_INVALID_ARGS;
    if (align > PAGE_SIZE)
        return V_ERR_NOT_SUPPORTED;
    /* Slab objects are aligned to their class size, large blocks to a
     * page: asking for the larger of size and align is enough. */
    size_t want = size < align ? align : size;
    void *p = kmalloc(want);
    if (!p)
        return V_ERR_NO_MEMORY;
    *out = p;
    return V_OK;
}

static size_t block_size(size_t size, size_t align)
{
    size_t want = size < align ? align : size;
    if (want <= SLAB_MAX_SIZE)
        return SLAB_MIN_SIZE << class_of(want);
    return (want + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
}

static v_status va_resize(v_alloc *self, void *ptr, size_t old_size,
                          size_t new_size, size_t align, void **out)
{
    if (!new_size)
        return V_ERR_INVALID_ARGS;
    if (block_size(old_size, align) == block_size(new_size, align)) {
        *out = ptr;
        return V_OK;
    }
    void *p;
    v_status s = va_alloc(self, new_size, align, &p);
    if (s != V_OK)
        return s;
    v_mem_copy(p, ptr, old_size < new_size ? old_size : new_size);
    kfree(ptr);
    *out = p;
    return V_OK;
}

static void va_free(v_alloc *self, void *ptr, size_t size)
{
    (void)self;
    (void)size;
    kfree(ptr);
}

static const v_alloc_ops kheap_ops = {va_alloc, va_resize, va_free};
static v_alloc kheap = {&kheap_ops};

v_alloc *kheap_alloc(void)
{
    return &kheap;
}
