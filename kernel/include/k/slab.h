/* Slab caches: fixed-size objects carved from single 4 KiB frames (reached
 * through the direct map, so no mapping work per slab). Each slab keeps a
 * header at the start of its frame, so freeing needs only the pointer.
 * A cache keeps at most one empty slab; more go back to the frame
 * allocator at once, so memory freed by a burst returns to the system. */
#ifndef K_SLAB_H
#define K_SLAB_H

#include <stddef.h>
#include <stdint.h>
#include <k/spinlock.h>

typedef struct slab slab;

typedef struct slab_cache {
    const char *name;
    uint32_t obj_size;   /* a power of two, 16..1024 */
    uint32_t per_slab;
    uint32_t first_off;  /* offset of object 0 in the frame */
    spinlock lock;
    slab *partial;       /* some objects free */
    slab *full;          /* none free */
    slab *empty;         /* all free (at most one kept) */
    uint64_t slabs;      /* frames held */
    uint64_t in_use;     /* objects handed out */
} slab_cache;

#define SLAB_MIN_SIZE 16u
#define SLAB_MAX_SIZE 1024u

/* obj_size is rounded up to a power of two of at least SLAB_MIN_SIZE;
 * objects are aligned to that size. Panics above SLAB_MAX_SIZE. */
void slab_cache_init(slab_cache *c, const char *name, size_t obj_size);
/* An object, or NULL when no frame is left. */
void *slab_alloc(slab_cache *c);
/* Panics on a pointer that is not a live object of some cache. */
void slab_free(void *p);
/* Returns the cached empty slab's frame to the frame allocator. */
void slab_cache_trim(slab_cache *c);

#endif
