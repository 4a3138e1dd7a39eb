/* General heap: TLSF (two-level segregated fit) over caller-given regions.
 *
 * Why TLSF: every operation must be bounded (libv runs in the kernel and in
 * real-time-ish services), and it must still compete with glibc malloc.
 * TLSF keeps free blocks in lists by size class: the first level splits
 * sizes by powers of two, the second splits each power of two into 32 equal
 * ranges, and a bitmap per level says which lists are non-empty. Finding a
 * free block that fits is two bit scans; freeing merges the block with its
 * physical neighbours in O(1) thanks to boundary tags (each block knows its
 * size; a free block's size is repeated at the start of the next block, and
 * a flag there says the previous block is free). No search ever walks a
 * list, so the cost does not depend on how many blocks exist, and
 * fragmentation stays low because a block's class bounds its size within
 * 1/32. The one exception is on the way to NO_MEMORY: the bitmap search
 * rounds the request up to the next class boundary ("good fit"), which can
 * miss a block in the request's own class that would fit; before failing we
 * scan that single list, so NO_MEMORY really means nothing fits.
 *
 * Size classes, with blocks in 16-byte units:
 *   size < 512:  fl = 0, sl = size / 16            (exact classes)
 *   otherwise:   fl = msb(size) - 8, sl = the next 5 bits after the msb.
 *
 * Out of memory changes nothing: every path checks that a fitting block
 * exists before touching any list or header.
 *
 * Layout of blocks and regions: heap_internal.h. Debug checks:
 * heap_debug.c. Invariant walk and statistics: heap_check.c. */
#include "heap_internal.h"
#include <v/mem.h>

static bool is_pow2(size_t x) { return x != 0 && (x & (x - 1)) == 0; }

static unsigned msb(size_t x)
{
#if SIZE_MAX > 0xffffffffu
    return 63u - (unsigned)__builtin_clzll((unsigned long long)x);
#else
    return 31u - (unsigned)__builtin_clz((unsigned)x);
#endif
}

/* The class a block of `size` belongs to. */
static void mapping(size_t size, unsigned *fl, unsigned *sl)
{
    if (size < HEAP_SL_COUNT * HEAP_GRAN) {
        *fl = 0;
        *sl = (unsigned)(size / HEAP_GRAN);
    } else {
        unsigned m = msb(size);
        *fl = m - 8;
        *sl = (unsigned)(size >> (m - V_HEAP_SL_LOG2)) ^ HEAP_SL_COUNT;
    }
}

static void list_insert(v_heap *h, hblock *b)
{
    unsigned fl, sl;
    mapping(hb_size(b), &fl, &sl);
    hblock *head = h->heads[fl][sl];
    b->next_free = head;
    b->prev_free = NULL;
    if (head != NULL)
        head->prev_free = b;
    h->heads[fl][sl] = b;
    h->fl_bitmap |= 1u << fl;
    h->sl_bitmap[fl] |= 1u << sl;
}

static void list_remove(v_heap *h, hblock *b)
{
    unsigned fl, sl;
    mapping(hb_size(b), &fl, &sl);
    hblock *next = b->next_free, *prev = b->prev_free;
    if (next != NULL)
        next->prev_free = prev;
    if (prev != NULL) {
        prev->next_free = next;
    } else {
        h->heads[fl][sl] = next;
        if (next == NULL) {
            h->sl_bitmap[fl] &= ~(1u << sl);
            if (h->sl_bitmap[fl] == 0)
                h->fl_bitmap &= ~(1u << fl);
        }
    }
}

/* A free block of at least `size` bytes (size <= HEAP_BLOCK_MAX), or NULL.
 * Does not remove it from its list. */
static hblock *find_fit(v_heap *h, size_t size)
{
    unsigned fl, sl;
    size_t rounded = size;
    if (size >= HEAP_SL_COUNT * HEAP_GRAN) {
        /* The head of the request's own class often fits (a block of the
         * same size freed just before): taking it avoids a split and
         * reuses memory that is still in cache. One compare, still O(1). */
        mapping(size, &fl, &sl);
        hblock *head = h->heads[fl][sl];
        if (head != NULL && hb_size(head) >= size)
            return head;
        rounded += ((size_t)1 << (msb(size) - V_HEAP_SL_LOG2)) - 1;
    }
    mapping(rounded, &fl, &sl);
    if (fl < V_HEAP_FL_COUNT) {
        uint32_t slmap = h->sl_bitmap[fl] & (~0u << sl);
        if (slmap == 0) {
            uint32_t flmap = fl + 1 < V_HEAP_FL_COUNT
                                 ? h->fl_bitmap & (~0u << (fl + 1)) : 0;
            if (flmap != 0) {
                fl = (unsigned)__builtin_ctz(flmap);
                slmap = h->sl_bitmap[fl];
            }
        }
        if (slmap != 0)
            return h->heads[fl][(unsigned)__builtin_ctz(slmap)];
    }
    /* Near exhaustion: the request's own class may hold a block that fits
     * even though the class as a whole does not guarantee it. */
    mapping(size, &fl, &sl);
    for (hblock *b = h->heads[fl][sl]; b != NULL; b = b->next_free)
        if (hb_size(b) >= size)
            return b;
    return NULL;
}

/* Tells the block after b whether b is free (and if so b's size). */
static void tag_next(hblock *b)
{
    hblock *n = hb_next(b);
    if (hb_is_free(b)) {
        n->head |= HEAP_PREV_FREE;
        n->prev_size = hb_size(b);
    } else {
        n->head &= ~(size_t)HEAP_PREV_FREE;
    }
}

/* b is in use (off every list) and at least `need` bytes: gives any tail
 * big enough to be a block back to the free lists, merged with the next
 * block if that is free. */
static void trim(v_heap *h, hblock *b, size_t need)
{
    size_t bsz = hb_size(b);
    if (bsz - need >= HEAP_MIN_BLOCK) {
        hblock *rest = hb_at(b, need);
        size_t rsz = bsz - need;
        b->head = need | (b->head & HEAP_PREV_FREE);
        hblock *n = hb_at(rest, rsz);
        if (hb_is_free(n)) {
            list_remove(h, n);
            rsz += hb_size(n);
        }
        rest->head = rsz | HEAP_FREE;
        list_insert(h, rest);
        tag_next(rest);
    } else {
        tag_next(b);
    }
}

/* Block size for a request of `size` bytes at an alignment <= 16, or 0 if
 * no block could be that large. */
static size_t block_need(const v_heap *h, size_t size)
{
    size_t extra = h->cfg.debug
                       ? HEAP_DBG_USER_OFF + HEAP_DBG_MIN_GUARD + HEAP_GRAN - 1
                       : HEAP_USER_OFF - sizeof(size_t) + HEAP_GRAN - 1;
    if (size > HEAP_BLOCK_MAX - extra)
        return 0;
    size_t need = (size + extra) & ~(size_t)(HEAP_GRAN - 1);
    return need < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : need;
}

/* Marks a block returned from the lists as in use for `size` bytes, after
 * moving its start forward by `gap` (a free block of its own, >= 32 bytes)
 * when alignment asks for it. Returns the caller's pointer. */
static void *take(v_heap *h, hblock *b, size_t gap, size_t need,
                  size_t size)
{
    list_remove(h, b);
    if (gap != 0) {
        size_t bsz = hb_size(b);
        b->head = gap | HEAP_FREE | (b->head & HEAP_PREV_FREE);
        list_insert(h, b);
        hblock *a = hb_at(b, gap);
        a->prev_size = gap;
        a->head = (bsz - gap) | HEAP_PREV_FREE;
        b = a;
    } else {
        b->head &= ~(size_t)HEAP_FREE;
    }
    trim(h, b, need);
    if (h->cfg.debug)
        heap_debug_arm(h, b, size);
    return (unsigned char *)b + heap_user_off(h);
}

v_status v_heap_alloc(v_heap *h, size_t size, size_t align, void **out)
{
    if (size == 0 || !is_pow2(align))
        return V_ERR_INVALID_ARGS;
    size_t need = block_need(h, size);
    if (need == 0)
        return V_ERR_NO_MEMORY;
    if (align <= HEAP_GRAN) {
        hblock *b = find_fit(h, need);
        if (b == NULL)
            return V_ERR_NO_MEMORY;
        *out = take(h, b, 0, need, size);
        return V_OK;
    }
    /* Over-aligned: the payload must land on a multiple of align, and the
     * skipped space must be a free block (>= 32 bytes) or nothing, so ask
     * for room for the worst case: a gap just under align + 32. */
    if (align > HEAP_BLOCK_MAX || need > HEAP_BLOCK_MAX - align - HEAP_MIN_BLOCK)
        return V_ERR_NO_MEMORY;
    hblock *b = find_fit(h, need + align + HEAP_MIN_BLOCK);
    if (b == NULL)
        return V_ERR_NO_MEMORY;
    uintptr_t off = heap_user_off(h);
    uintptr_t user = ((uintptr_t)b + off + align - 1) & ~(uintptr_t)(align - 1);
    size_t gap = (size_t)(user - off - (uintptr_t)b);
    if (gap != 0 && gap < HEAP_MIN_BLOCK)
        gap += align;
    *out = take(h, b, gap, need, size);
    return V_OK;
}

/* Returns a block in use to the free lists, merging with free neighbours. */
static void release(v_heap *h, hblock *b)
{
    size_t bsz = hb_size(b);
    /* Marked free even if it merges into its predecessor below: the stale
     * header then still says "free", so normal mode's cheap double-free
     * check works until the memory is reused. */
    b->head |= HEAP_FREE;
    if (b->head & HEAP_PREV_FREE) {
        hblock *p = (hblock *)(void *)((unsigned char *)b - b->prev_size);
        list_remove(h, p);
        bsz += hb_size(p);
        b = p;
    }
    hblock *n = hb_at(b, bsz);
    if (hb_is_free(n)) {
        list_remove(h, n);
        bsz += hb_size(n);
    }
    b->head = bsz | HEAP_FREE; /* b's own predecessor is never free here */
    list_insert(h, b);
    tag_next(b);
}

void v_heap_free(v_heap *h, void *ptr, size_t size)
{
    if (ptr == NULL)
        return;
    hblock *b;
    if (h->cfg.debug) {
        b = heap_debug_validate(h, "free", ptr, size, 1);
        if (b == NULL)
            return; /* reported; refusing leaks the block, which is safe */
        heap_debug_disarm(b);
    } else {
        b = (hblock *)(void *)((unsigned char *)ptr - HEAP_USER_OFF);
        if (hb_is_free(b))
            return; /* a cheap catch of the commonest double free */
    }
    release(h, b);
}

v_status v_heap_resize(v_heap *h, void *ptr, size_t old_size,
                       size_t new_size, size_t align, void **out)
{
    if (ptr == NULL || new_size == 0 || !is_pow2(align))
        return V_ERR_INVALID_ARGS;
    hblock *b;
    if (h->cfg.debug) {
        b = heap_debug_validate(h, "resize", ptr, old_size, align);
        if (b == NULL)
            return V_ERR_INVALID_ARGS;
    } else {
        b = (hblock *)(void *)((unsigned char *)ptr - HEAP_USER_OFF);
        if (hb_is_free(b))
            return V_ERR_INVALID_ARGS;
    }
    size_t need = block_need(h, new_size);
    if (need == 0)
        return V_ERR_NO_MEMORY;
    size_t bsz = hb_size(b);
    if (need <= bsz) {
        trim(h, b, need); /* shrink, or a grow that still fits */
    } else {
        hblock *n = hb_next(b);
        if (!hb_is_free(n) || bsz + hb_size(n) < need) {
            /* Move. Nothing changes unless the new block exists. */
            void *fresh;
            v_status s = v_heap_alloc(h, new_size, align, &fresh);
            if (s != V_OK)
                return s;
            /* new_size exceeds what the old block could hold, so every
             * byte the caller had fits; old_size is trusted only up to the
             * block's real capacity. */
            size_t keep = heap_usable(h, bsz);
            if (old_size < keep)
                keep = old_size;
            v_mem_copy(fresh, ptr, keep);
            if (h->cfg.debug)
                heap_debug_disarm(b);
            release(h, b);
            *out = fresh;
            return V_OK;
        }
        /* Grow into the free block after it. */
        list_remove(h, n);
        b->head = (bsz + hb_size(n)) | (b->head & HEAP_PREV_FREE);
        trim(h, b, need);
    }
    if (h->cfg.debug)
        heap_debug_arm(h, b, new_size);
    *out = ptr;
    return V_OK;
}

static v_status heap_alloc_op(v_alloc *self, size_t size, size_t align,
                              void **out)
{
    return v_heap_alloc((v_heap *)self, size, align, out);
}

static v_status heap_resize_op(v_alloc *self, void *ptr, size_t old_size,
                               size_t new_size, size_t align, void **out)
{
    return v_heap_resize((v_heap *)self, ptr, old_size, new_size, align, out);
}

static void heap_free_op(v_alloc *self, void *ptr, size_t size)
{
    v_heap_free((v_heap *)self, ptr, size);
}

static const v_alloc_ops heap_ops = {heap_alloc_op, heap_resize_op,
                                     heap_free_op};

v_status v_heap_init(v_heap *h, const v_heap_config *cfg)
{
    if (h == NULL)
        return V_ERR_INVALID_ARGS;
    v_mem_set(h, 0, sizeof *h);
    h->base.ops = &heap_ops;
    if (cfg != NULL)
        h->cfg = *cfg;
    return V_OK;
}

v_status v_heap_add_region(v_heap *h, void *mem, size_t size)
{
    if (h == NULL || mem == NULL)
        return V_ERR_INVALID_ARGS;
    uintptr_t start = (uintptr_t)mem;
    if (size > UINTPTR_MAX - start)
        return V_ERR_INVALID_ARGS;
    uintptr_t lo = (start + HEAP_GRAN - 1) & ~(uintptr_t)(HEAP_GRAN - 1);
    uintptr_t hi = (start + size) & ~(uintptr_t)(HEAP_GRAN - 1);
    if (hi < lo || hi - lo < 128)
        return V_ERR_INVALID_ARGS;
    size_t first = (size_t)(hi - lo) - HEAP_REGION_HDR - HEAP_SENTINEL;
    if (first > HEAP_BLOCK_MAX)
        return V_ERR_LIMIT;
    /* A region given twice, or overlapping another, would hand the same
     * bytes out twice: refuse it (O(regions)). */
    for (const struct v_heap_region *o = h->regions; o != NULL; o = o->next) {
        uintptr_t olo = (uintptr_t)o, ohi = (uintptr_t)o->sentinel + HEAP_SENTINEL;
        if (lo < ohi && olo < hi)
            return V_ERR_INVALID_ARGS;
    }
    struct v_heap_region *r = (struct v_heap_region *)lo;
    r->first = hb_at(r, HEAP_REGION_HDR);
    r->sentinel = hb_at(r->first, first);
    r->bytes = size;
    r->first->prev_size = 0;
    r->first->head = first | HEAP_FREE;
    r->sentinel->head = 0;
    tag_next(r->first);
    list_insert(h, r->first);
    r->next = h->regions;
    h->regions = r;
    return V_OK;
}
