/* Arena: a bump allocator over one caller-given buffer.
 *
 * State is a cursor (`used`) and the start of the most recent block
 * (`last`). Offsets rather than pointers keep every computation inside the
 * buffer and overflow-free: the room left is always cap - used, and sizes
 * are compared against it, never added to a pointer first. */
#include <v/alloc.h>
#include <v/mem.h>

#define NO_LAST SIZE_MAX

static bool is_pow2(size_t x) { return x != 0 && (x & (x - 1)) == 0; }

/* Padding that brings buf+used up to `align`. Computed from the address so
 * any alignment works whatever the buffer's own alignment is; masking never
 * overflows. */
static size_t pad_for(const v_arena *a, size_t align)
{
    uintptr_t at = (uintptr_t)a->buf + a->used;
    return (size_t)(-at & (uintptr_t)(align - 1));
}

static v_status arena_alloc(v_alloc *self, size_t size, size_t align,
                            void **out)
{
    v_arena *a = (v_arena *)self;
    if (size == 0 || !is_pow2(align))
        return V_ERR_INVALID_ARGS;
    size_t room = a->cap - a->used;
    size_t pad = pad_for(a, align);
    if (pad > room || size > room - pad)
        return V_ERR_NO_MEMORY;
    a->last = a->used + pad;
    a->used = a->last + size;
    *out = a->buf + a->last;
    return V_OK;
}

/* True if p lies in the handed-out part of the buffer. */
static bool owns(const v_arena *a, const void *p)
{
    uintptr_t u = (uintptr_t)p, b = (uintptr_t)a->buf;
    return a->buf != NULL && u >= b && u - b < a->used;
}

static v_status arena_resize(v_alloc *self, void *ptr, size_t old_size,
                             size_t new_size, size_t align, void **out)
{
    v_arena *a = (v_arena *)self;
    if (new_size == 0 || !is_pow2(align) || !owns(a, ptr))
        return V_ERR_INVALID_ARGS;
    size_t off = (size_t)((unsigned char *)ptr - a->buf);
    if (off == a->last) {
        /* The newest block ends at the cursor: move the cursor. */
        if (new_size > a->cap - off)
            return V_ERR_NO_MEMORY;
        a->used = off + new_size;
        *out = ptr;
        return V_OK;
    }
    if (new_size <= old_size) {
        *out = ptr;
        return V_OK;
    }
    void *fresh;
    v_status s = arena_alloc(self, new_size, align, &fresh);
    if (s != V_OK)
        return s;
    v_mem_copy(fresh, ptr, old_size);
    *out = fresh;
    return V_OK;
}

static void arena_free(v_alloc *self, void *ptr, size_t size)
{
    v_arena *a = (v_arena *)self;
    (void)size;
    if (ptr == NULL || !owns(a, ptr))
        return;
    size_t off = (size_t)((unsigned char *)ptr - a->buf);
    if (off == a->last) {
        /* The block before it is not known, so nothing is "last" now. */
        a->used = off;
        a->last = NO_LAST;
    }
}

static const v_alloc_ops arena_ops = {arena_alloc, arena_resize, arena_free};

v_status v_arena_init(v_arena *a, void *buf, size_t size)
{
    if (a == NULL || (buf == NULL && size != 0))
        return V_ERR_INVALID_ARGS;
    /* Keep buf + size representable so pointer arithmetic stays defined. */
    if (size > UINTPTR_MAX - (uintptr_t)buf)
        return V_ERR_INVALID_ARGS;
    a->base.ops = &arena_ops;
    a->buf = buf;
    a->cap = size;
    a->used = 0;
    a->last = NO_LAST;
    return V_OK;
}

v_arena_mark v_arena_get_mark(const v_arena *a)
{
    v_arena_mark m = {a->used, a->last};
    return m;
}

v_status v_arena_reset_to(v_arena *a, v_arena_mark m)
{
    if (m.used > a->used || (m.last != NO_LAST && m.last > m.used))
        return V_ERR_INVALID_ARGS;
    a->used = m.used;
    a->last = m.last;
    return V_OK;
}

void v_arena_reset(v_arena *a)
{
    a->used = 0;
    a->last = NO_LAST;
}

size_t v_arena_used(const v_arena *a) { return a->used; }
size_t v_arena_available(const v_arena *a) { return a->cap - a->used; }
