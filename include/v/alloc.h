/* v/alloc.h — the allocator interface every allocating libv call takes.
 *
 * libv has no implicit allocator: a function that needs memory takes a
 * `v_alloc *`. An allocator is a struct whose first member is a v_alloc
 * (so &impl->base is the interface). Sizes are passed back on resize and
 * free, as in Zig: the caller always knows them, allocators that do not need
 * them ignore them, and the heap's debug mode checks them.
 *
 * Failure contract, for every allocator: when a call returns an error,
 * *out is untouched and the allocator is exactly as it was before the call. */
#ifndef V_ALLOC_H
#define V_ALLOC_H

#include <stddef.h>
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
    return a->ops->alloc(a, n * elem_size ? n * elem_size : 1, align, out);
}

#endif
