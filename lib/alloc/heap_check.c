/* The heap's consistency walk (v_heap_check) and statistics.
 *
 * Both walk every block of every region through the size headers. The
 * check then walks every free list and compares: each listed block must be
 * free, in the class its size maps to, linked both ways, and the lists must
 * hold exactly the free blocks the region walk saw (no block lost, none
 * listed twice: the counts match and every listed block is free). */
#include "heap_internal.h"

static v_status fault(v_heap *h, v_heap_fault f, const void *at,
                      const char *detail)
{
    heap_report(h, f, "check", at, 0, NULL, 0, at, detail);
    return V_ERR_MALFORMED;
}

/* Walks one region; adds its free blocks to *free_count. */
static v_status check_region(v_heap *h, const struct v_heap_region *r,
                             size_t *free_count)
{
    v_status st = V_OK;
    const hblock *prev = NULL;
    const hblock *b = r->first;
    for (;;) {
        if (!heap_header_ok(r, b))
            return fault(h, V_HEAP_FAULT_CORRUPT, &b->head,
                         "a block header is damaged");
        bool prev_free = prev != NULL && hb_is_free(prev);
        if (((b->head & HEAP_PREV_FREE) != 0) != prev_free)
            return fault(h, V_HEAP_FAULT_CORRUPT, &b->head,
                         "a block's previous-free flag is wrong");
        if (prev_free && b->prev_size != hb_size(prev))
            return fault(h, V_HEAP_FAULT_CORRUPT, &b->prev_size,
                         "a free block's size tag is wrong");
        if (b == r->sentinel)
            return st;
        if (hb_is_free(b)) {
            if (prev_free)
                return fault(h, V_HEAP_FAULT_CORRUPT, b,
                             "two free blocks are next to each other");
            (*free_count)++;
        } else if (h->cfg.debug) {
            const unsigned char *user =
                (const unsigned char *)b + HEAP_DBG_USER_OFF;
            if (!heap_debug_check_block(h, "check", user, 0, (hblock *)b))
                st = V_ERR_MALFORMED; /* block-local: keep walking */
        }
        prev = b;
        b = hb_next(b);
    }
}

static unsigned class_fl(size_t size, unsigned *sl)
{
    if (size < HEAP_SL_COUNT * HEAP_GRAN) {
        *sl = (unsigned)(size / HEAP_GRAN);
        return 0;
    }
    unsigned m = 0;
    while ((size >> m) > 1)
        m++;
    *sl = (unsigned)(size >> (m - V_HEAP_SL_LOG2)) ^ HEAP_SL_COUNT;
    return m - 8;
}

v_status v_heap_check(v_heap *h)
{
    v_status st = V_OK;
    size_t walked = 0;
    for (const struct v_heap_region *r = h->regions; r != NULL; r = r->next)
        if (check_region(h, r, &walked) != V_OK)
            st = V_ERR_MALFORMED;
    if (st != V_OK)
        return st;
    size_t listed = 0;
    for (unsigned fl = 0; fl < V_HEAP_FL_COUNT; fl++) {
        bool fl_bit = (h->fl_bitmap >> fl) & 1u;
        if (fl_bit != (h->sl_bitmap[fl] != 0))
            return fault(h, V_HEAP_FAULT_CORRUPT, &h->fl_bitmap,
                         "the first-level bitmap is wrong");
        for (unsigned sl = 0; sl < HEAP_SL_COUNT; sl++) {
            const hblock *b = h->heads[fl][sl];
            if (((h->sl_bitmap[fl] >> sl) & 1u) != (b != NULL))
                return fault(h, V_HEAP_FAULT_CORRUPT, &h->sl_bitmap[fl],
                             "a second-level bitmap is wrong");
            const hblock *prev = NULL;
            for (; b != NULL; prev = b, b = b->next_free) {
                unsigned bsl;
                /* Bounded: more nodes than free blocks means a cycle. */
                if (++listed > walked || heap_region_of(h, b) == NULL ||
                    !hb_is_free(b) || b->prev_free != prev ||
                    class_fl(hb_size(b), &bsl) != fl || bsl != sl)
                    return fault(h, V_HEAP_FAULT_CORRUPT, b,
                                 "a free list is damaged");
            }
        }
    }
    if (listed != walked)
        return fault(h, V_HEAP_FAULT_CORRUPT, h,
                     "a free block is missing from the free lists");
    return V_OK;
}

void v_heap_get_stats(const v_heap *h, v_heap_stats *out)
{
    v_heap_stats s = {0, 0, 0, 0, 0, 0, 0};
    size_t largest = 0;
    for (const struct v_heap_region *r = h->regions; r != NULL; r = r->next) {
        s.regions++;
        for (const hblock *b = r->first; b != r->sentinel; b = hb_next(b)) {
            size_t sz = hb_size(b);
            s.total_bytes += sz;
            if (hb_is_free(b)) {
                s.free_bytes += sz;
                s.free_blocks++;
                if (sz > largest)
                    largest = sz;
            } else {
                s.used_bytes += sz;
                s.used_blocks++;
            }
        }
    }
    /* What one alloc (alignment <= 16) can get: the biggest block's
     * payload, if it is big enough to carry one. */
    size_t min = h->cfg.debug ? HEAP_DBG_USER_OFF + HEAP_DBG_MIN_GUARD + 1
                              : HEAP_MIN_BLOCK;
    s.largest_free = largest >= min ? heap_usable(h, largest) : 0;
    *out = s;
}
