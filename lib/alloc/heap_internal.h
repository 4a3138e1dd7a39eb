/* Private to lib/alloc/heap*.c: the heap's block layout and the helpers the
 * allocator, its debug checks and its consistency walk share.
 *
 * Memory of a region (16-byte aligned throughout):
 *
 *   [region header 32][block][block]...[block][sentinel 16]
 *
 * A block starts with a 16-byte header:
 *
 *   +0  prev_size   size of the previous block; valid only while that block
 *                   is free (it is that block's "footer", a boundary tag).
 *                   While the previous block is in use, this word is the
 *                   last word of its payload, so it costs nothing.
 *   +8  head        this block's size (a multiple of 16, header included)
 *                   | FREE if this block is free | PREV_FREE if the one
 *                   before it is.
 *   +16 payload     (normal mode). While free: next/prev free-list links.
 *
 * In debug mode the payload starts at +48: +32 holds the size the caller
 * asked for and +40 a canary word (a magic number mixed with the block's
 * address, so a stale copy elsewhere does not pass), then come the caller's
 * bytes, then guard bytes up to the block's end. The record sits after the
 * free-list links so that a freed block keeps it: that is how a second free
 * of the same pointer is recognised even after the block merged with a
 * neighbour.
 *
 * The sentinel is a header with size 0 and FREE clear: a block that is
 * never free stops every merge at the region's end; the first block's
 * PREV_FREE is never set, which stops merges at the start. Regions are
 * never merged with each other. */
#ifndef V_ALLOC_HEAP_INTERNAL_H
#define V_ALLOC_HEAP_INTERNAL_H

#include <v/alloc.h>

typedef struct hblock {
    size_t prev_size;
    size_t head;
    struct hblock *next_free;
    struct hblock *prev_free;
} hblock;

struct v_heap_region {
    struct v_heap_region *next;
    hblock *first;
    hblock *sentinel;
    size_t bytes; /* the caller's size, for reports */
};

enum {
    HEAP_GRAN = 16,           /* block sizes and payloads are multiples */
    HEAP_FREE = 1,
    HEAP_PREV_FREE = 2,
    HEAP_FLAGS = 15,
    HEAP_MIN_BLOCK = 32,      /* header + two links */
    HEAP_USER_OFF = 16,       /* payload offset, normal mode */
    HEAP_DBG_REC_OFF = 32,    /* debug record: requested size, canary */
    HEAP_DBG_USER_OFF = 48,   /* payload offset, debug mode */
    HEAP_DBG_MIN_GUARD = 8,   /* guard bytes at least after each block */
    HEAP_REGION_HDR = 32,
    HEAP_SENTINEL = 16,
    HEAP_GUARD_BYTE = 0xfb
};

#define HEAP_SL_COUNT (1u << V_HEAP_SL_LOG2)
/* Largest block: first-level class FL_COUNT-1 covers [2^(FL+7), 2^(FL+8)). */
#if SIZE_MAX > 0xffffffffu
#define HEAP_BLOCK_MAX (((size_t)1 << (V_HEAP_FL_COUNT + 8)) - HEAP_GRAN)
#else
#define HEAP_BLOCK_MAX ((size_t)0x80000000u - HEAP_GRAN)
#endif

/* Canary words, xor'ed with the block address. */
#define HEAP_MAGIC_LIVE ((size_t)0x6a09e667f3bcc908ull)
#define HEAP_MAGIC_FREED ((size_t)0xbb67ae8584caa73bull)

typedef struct heap_dbg_rec {
    size_t requested;
    size_t canary;
} heap_dbg_rec;

static inline size_t hb_size(const hblock *b) { return b->head & ~(size_t)HEAP_FLAGS; }
static inline bool hb_is_free(const hblock *b) { return (b->head & HEAP_FREE) != 0; }
static inline hblock *hb_at(const void *p, size_t off)
{
    return (hblock *)(void *)((unsigned char *)(uintptr_t)p + off);
}
static inline hblock *hb_next(const hblock *b) { return hb_at(b, hb_size(b)); }
static inline heap_dbg_rec *hb_rec(const hblock *b)
{
    return (heap_dbg_rec *)(void *)((unsigned char *)(uintptr_t)b + HEAP_DBG_REC_OFF);
}
static inline size_t heap_user_off(const v_heap *h)
{
    return h->cfg.debug ? HEAP_DBG_USER_OFF : HEAP_USER_OFF;
}
/* Bytes a caller may use in a block of size bsz. Normal mode includes the
 * next header's prev_size word (see above); debug mode keeps a guard. */
static inline size_t heap_usable(const v_heap *h, size_t bsz)
{
    if (h->cfg.debug)
        return bsz - HEAP_DBG_USER_OFF - HEAP_DBG_MIN_GUARD;
    return bsz - HEAP_USER_OFF + sizeof(size_t);
}
static inline size_t canary_for(const hblock *b, size_t magic)
{
    return magic ^ (size_t)(uintptr_t)b;
}

/* heap_debug.c */
hblock *heap_debug_validate(v_heap *h, const char *op, void *ptr,
                            size_t size, size_t align);
void heap_debug_arm(const v_heap *h, hblock *b, size_t requested);
void heap_debug_disarm(hblock *b);
/* Checks one live block's canary and guards; reports and returns false
 * if damaged. */
bool heap_debug_check_block(v_heap *h, const char *op, const void *ptr,
                            size_t given, hblock *b);
void heap_report(v_heap *h, v_heap_fault fault, const char *op,
                 const void *ptr, size_t given, const void *user,
                 size_t bsize, const void *where, const char *detail);
/* The region holding p, or NULL; whether a header may be followed. */
const struct v_heap_region *heap_region_of(const v_heap *h, const void *p);
bool heap_header_ok(const struct v_heap_region *r, const hblock *b);

#endif
