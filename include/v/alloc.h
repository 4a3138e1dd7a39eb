/* v/alloc.h — the allocator interface every allocating libv call takes,
 * and the three allocators libv provides: arena, pool and general heap.
 *
 * libv has no implicit allocator: a function that needs memory takes a
 * `v_alloc *`. An allocator is a struct whose first member is a v_alloc
 * (so &impl->base is the interface). Sizes are passed back on resize and
 * free, as in Zig: the caller always knows them, allocators that do not need
 * them ignore them, and the heap's debug mode checks them.
 *
 * Failure contract, for every allocator: when a call returns an error,
 * *out is untouched and the allocator is exactly as it was before the call.
 *
 * Ownership: every allocator here manages memory the caller gives it (a
 * buffer, or regions of one). The allocator never obtains memory on its own
 * and never frees the caller's buffer; the caller keeps the buffer alive and
 * untouched (except through the allocator) for as long as the allocator is
 * used. The allocator structs hold all state: there is nothing global, and
 * two allocators never share anything. None is thread-safe; guard one with a
 * lock if several threads share it.
 *
 * Statuses common to all: V_ERR_INVALID_ARGS for size 0, an alignment that
 * is not a power of two, or a pointer the allocator can tell is not its own;
 * V_ERR_NO_MEMORY when the request cannot be met (including sizes so large
 * that computing with them would overflow). */
#ifndef V_ALLOC_H
#define V_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

typedef struct v_alloc v_alloc;

typedef struct v_alloc_ops {
    /* size > 0; align is a power of two. */
    v_status (*alloc)(v_alloc *self, size_t size, size_t align, void **out);
    /* Grow or shrink `ptr` (from alloc/resize with old_size and align).
     * On success *out holds the block (maybe moved, contents kept up to
     * min(old,new)); on failure ptr is still valid and unchanged. */
    v_status (*resize)(v_alloc *self, void *ptr, size_t old_size,
                       size_t new_size, size_t align, void **out);
    /* ptr may be NULL (does nothing). size is what it was allocated with. */
    void (*free)(v_alloc *self, void *ptr, size_t size);
} v_alloc_ops;

struct v_alloc {
    const v_alloc_ops *ops;
};

static inline v_status v_alloc_bytes(v_alloc *a, size_t size, size_t align,
                                     void **out)
{
    return a->ops->alloc(a, size, align, out);
}

static inline v_status v_alloc_resize(v_alloc *a, void *ptr, size_t old_size,
                                      size_t new_size, size_t align,
                                      void **out)
{
    return a->ops->resize(a, ptr, old_size, new_size, align, out);
}

static inline void v_alloc_free(v_alloc *a, void *ptr, size_t size)
{
    a->ops->free(a, ptr, size);
}

/* Allocates an array of n elements of type T into *(T **)out, with
 * overflow of n * sizeof(T) reported as NO_MEMORY. */
#define V_ALLOC_ARRAY(a, T, n, out) \
    v_alloc_array((a), sizeof(T), _Alignof(T), (n), (void **)(out))

static inline v_status v_alloc_array(v_alloc *a, size_t elem_size,
                                     size_t align, size_t n, void **out)
{
    if (elem_size != 0 && n > (size_t)-1 / elem_size)
        return V_ERR_NO_MEMORY;
    size_t bytes = n * elem_size;
    return a->ops->alloc(a, bytes != 0 ? bytes : 1, align, out);
}

/* ==== Arena: bump allocation in one caller-given buffer ================
 *
 * Allocation moves a cursor forward past alignment padding: O(1), no
 * per-block overhead. Memory comes back in bulk: v_arena_reset_to() a mark
 * taken earlier (everything allocated after the mark is released at once),
 * or v_arena_reset() for all of it. Individually:
 *   - free of the most recent block moves the cursor back to its start
 *     (its alignment padding stays used); free of any other block, or a
 *     second free after that, does nothing;
 *   - resize of the most recent block grows or shrinks it in place while
 *     the buffer has room (NO_MEMORY otherwise: it cannot move there);
 *     resize of an older block shrinks in place (the tail is not reused) and
 *     grows by copying into a new block (the old one stays used until a
 *     reset).
 * A pointer outside the used part of the buffer is rejected by resize
 * (INVALID_ARGS) and ignored by free. */
typedef struct v_arena {
    v_alloc base;
    unsigned char *buf;  /* private fields: use the functions below */
    size_t cap;
    size_t used;         /* bytes from buf that are handed out */
    size_t last;         /* offset of the most recent block, or SIZE_MAX */
} v_arena;

/* A position to come back to with v_arena_reset_to(). */
typedef struct v_arena_mark {
    size_t used;
    size_t last;
} v_arena_mark;

/* buf may be NULL only when size is 0 (an arena that always fails). */
v_status v_arena_init(v_arena *a, void *buf, size_t size);
v_arena_mark v_arena_get_mark(const v_arena *a);
/* Releases everything allocated since `m` was taken. INVALID_ARGS (and no
 * change) if m lies beyond the current cursor, i.e. the arena was already
 * reset to before the point where m was taken. */
v_status v_arena_reset_to(v_arena *a, v_arena_mark m);
void v_arena_reset(v_arena *a);
size_t v_arena_used(const v_arena *a);
size_t v_arena_available(const v_arena *a);

/* ==== Pool: fixed-size blocks in one caller-given buffer =================
 *
 * Every block has the same size and alignment, fixed at init; the number of
 * blocks is what fits in the buffer. alloc and free are O(1) (a free list
 * threaded through the free blocks; blocks never yet handed out are taken
 * from a cursor, so init is O(1) too). alloc/resize with size greater than
 * the block size, or align greater than the block alignment, return
 * V_ERR_LIMIT: the pool can never serve them. NO_MEMORY means all blocks
 * are in use. resize within the block size returns the same block. free of a
 * pointer that is not a block start in this pool is ignored; a double free
 * is not detected (use the heap's debug mode to find such bugs). */
typedef struct v_pool {
    v_alloc base;
    unsigned char *blocks;  /* private fields: use the functions below */
    size_t stride;          /* block size rounded up to the alignment */
    size_t block_size;      /* usable size: the size asked, rounded up */
    size_t block_align;
    size_t count;
    size_t fresh;           /* blocks [fresh, count) were never handed out */
    size_t in_use;
    void *free_list;
} v_pool;

/* block_size > 0, align a power of two (the blocks' alignment; at least
 * pointer alignment is used). The buffer start is aligned up as needed.
 * INVALID_ARGS if an argument is malformed or the buffer cannot hold even
 * one block. */
v_status v_pool_init(v_pool *p, void *buf, size_t buf_size,
                     size_t block_size, size_t align);
size_t v_pool_block_size(const v_pool *p);
size_t v_pool_capacity(const v_pool *p);  /* number of blocks */
size_t v_pool_available(const v_pool *p); /* blocks free now */

/* ==== Heap: general-purpose allocation over caller-given regions =========
 *
 * A TLSF (two-level segregated fit) allocator: free blocks sit in lists by
 * size class, a two-level bitmap finds a non-empty class that fits in a few
 * instructions, neighbours are merged on free through boundary tags. alloc,
 * free and in-place resize are O(1) (bounded by the bitmap width, not the
 * number of blocks); only an allocation that the O(1) search cannot serve
 * falls back to scanning one size class before reporting NO_MEMORY.
 * Any power-of-two alignment is supported. lib/alloc/heap.c explains the
 * design.
 *
 * Usage: v_heap_init(), then v_heap_add_region() one or more times, then
 * use &heap.base as a v_alloc (or the v_heap_* calls directly).
 *
 * Failure contract: a failed alloc/resize changes nothing (a failed resize
 * leaves the old block valid with its contents). Normal mode trusts the
 * caller: freeing a pointer the heap did not return, freeing twice or
 * writing outside a block is undefined. Debug mode (v_heap_config.debug)
 * checks every free and resize and v_heap_check(): it detects double free,
 * invalid free (outside the heap, or not the start of a block), a size that
 * differs from the allocated one, and writes just before or after a block;
 * it reports the fault to the report callback and refuses the operation
 * (the block is left as it is: it leaks rather than corrupts the heap).
 * Debug mode costs 32 more header bytes and at least 8 guard bytes per
 * block, and a free or resize walks the blocks of one region (O(blocks)).
 *
 * Overhead in normal mode: 8 bytes per block (blocks are multiples of 16
 * bytes, at least 32). Every block is 16-byte aligned; larger alignments
 * cost up to align + 32 bytes of search slack, which is given back. */

enum {
    V_HEAP_SL_LOG2 = 5,  /* 32 second-level lists per first-level class */
    V_HEAP_FL_COUNT = 32 /* first-level classes: blocks up to 2^40 bytes */
};

typedef enum v_heap_fault {
    V_HEAP_FAULT_DOUBLE_FREE = 1, /* free/resize of an already freed block */
    V_HEAP_FAULT_INVALID_FREE,    /* pointer not returned by this heap */
    V_HEAP_FAULT_SIZE_MISMATCH,   /* size given != size allocated */
    V_HEAP_FAULT_ALIGN_MISMATCH,  /* pointer not aligned to the align given */
    V_HEAP_FAULT_UNDERRUN,        /* bytes just before the block changed */
    V_HEAP_FAULT_OVERRUN,         /* bytes just after the block changed */
    V_HEAP_FAULT_CORRUPT          /* heap metadata damaged */
} v_heap_fault;

typedef struct v_heap_report {
    v_heap_fault fault;
    const char *op;        /* "free", "resize" or "check" */
    const void *ptr;       /* the pointer the caller passed (check: block) */
    const void *block;     /* start of the user block involved, or NULL */
    size_t block_size;     /* its allocated size (0 if unknown) */
    size_t given_size;     /* the size the caller passed (0 for check) */
    const void *where;     /* first damaged byte, or NULL */
    const char *message;   /* one line saying all of the above */
} v_heap_report;

/* Called once per fault detected; r and r->message live until it returns. */
typedef void (*v_heap_report_fn)(void *ctx, const v_heap_report *r);

typedef struct v_heap_config {
    bool debug;
    v_heap_report_fn report; /* may be NULL: faults are still refused */
    void *report_ctx;
} v_heap_config;

typedef struct v_heap_stats {
    size_t total_bytes;    /* managed by blocks, headers included */
    size_t used_bytes;     /* in blocks in use, headers included */
    size_t free_bytes;     /* in free blocks, headers included */
    size_t largest_free;   /* largest single allocation possible now */
    size_t used_blocks;
    size_t free_blocks;
    size_t regions;
} v_heap_stats;

struct v_heap_region;

/* Private fields: use the functions below. About 8.5 KiB (the free-list
 * heads); place it in static storage or allocate it from an arena. */
typedef struct v_heap {
    v_alloc base;
    v_heap_config cfg;
    struct v_heap_region *regions;
    uint32_t fl_bitmap;
    uint32_t sl_bitmap[V_HEAP_FL_COUNT];
    void *heads[V_HEAP_FL_COUNT][1u << V_HEAP_SL_LOG2];
    char msg[192]; /* the debug report's text is built here */
} v_heap;

/* cfg may be NULL (normal mode, no reports). The heap has no memory until a
 * region is added. */
v_status v_heap_init(v_heap *h, const v_heap_config *cfg);
/* Gives [mem, mem+size) to the heap for good (the heap writes a 32-byte
 * region header at its start and a 16-byte end marker). Regions need not be
 * adjacent and are never merged. INVALID_ARGS if mem is NULL, the region
 * overlaps one already added, or it is too small to hold a block (under 128
 * bytes after 16-byte alignment); V_ERR_LIMIT if it is larger than one block
 * can span (about 2^40 bytes): split it. O(regions already added). */
v_status v_heap_add_region(v_heap *h, void *mem, size_t size);

v_status v_heap_alloc(v_heap *h, size_t size, size_t align, void **out);
v_status v_heap_resize(v_heap *h, void *ptr, size_t old_size,
                       size_t new_size, size_t align, void **out);
void v_heap_free(v_heap *h, void *ptr, size_t size);

/* Walks every region and free list and checks the heap's invariants
 * (headers, boundary tags, merged neighbours, free-list membership and
 * counts) and, in debug mode, every live block's guard bytes. Reports each
 * fault found; returns V_OK or V_ERR_MALFORMED. O(blocks). */
v_status v_heap_check(v_heap *h);
/* O(blocks): walks the regions. */
void v_heap_get_stats(const v_heap *h, v_heap_stats *out);

#endif
