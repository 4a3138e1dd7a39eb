/* Pool: equal-sized blocks carved from one caller-given buffer.
 *
 * Free blocks form a singly linked list whose links live in the blocks
 * themselves, so the pool needs no memory besides the buffer. Blocks that
 * were never handed out are not on the list: they are taken in order from
 * the `fresh` cursor. That keeps init O(1) (no pass writing a link into
 * every block of a large buffer) and touches memory only when it is used. */
#include <v/alloc.h>

static bool is_pow2(size_t x) { return x != 0 && (x & (x - 1)) == 0; }

static v_status pool_alloc(v_alloc *self, size_t size, size_t align,
                           void **out)
{
    v_pool *p = (v_pool *)self;
    if (size == 0 || !is_pow2(align))
        return V_ERR_INVALID_ARGS;
    if (size > p->block_size || align > p->block_align)
        return V_ERR_LIMIT;
    void *b;
    if (p->free_list != NULL) {
        b = p->free_list;
        p->free_list = *(void **)b;
    } else if (p->fresh < p->count) {
        b = p->blocks + p->fresh * p->stride;
        p->fresh++;
    } else {
        return V_ERR_NO_MEMORY;
    }
    p->in_use++;
    *out = b;
    return V_OK;
}

/* True if ptr is the start of a block that was handed out at some point. */
static bool is_block(const v_pool *p, const void *ptr)
{
    uintptr_t u = (uintptr_t)ptr, b = (uintptr_t)p->blocks;
    if (u < b)
        return false;
    size_t off = (size_t)(u - b);
    return off / p->stride < p->fresh && off % p->stride == 0;
}

static v_status pool_resize(v_alloc *self, void *ptr, size_t old_size,
                            size_t new_size, size_t align, void **out)
{
    v_pool *p = (v_pool *)self;
    (void)old_size;
    if (new_size == 0 || !is_pow2(align) || !is_block(p, ptr))
        return V_ERR_INVALID_ARGS;
    if (new_size > p->block_size || align > p->block_align)
        return V_ERR_LIMIT;
    *out = ptr;
    return V_OK;
}

static void pool_free(v_alloc *self, void *ptr, size_t size)
{
    v_pool *p = (v_pool *)self;
    (void)size;
    if (ptr == NULL || !is_block(p, ptr) || p->in_use == 0)
        return;
    *(void **)ptr = p->free_list;
    p->free_list = ptr;
    p->in_use--;
}

static const v_alloc_ops pool_ops = {pool_alloc, pool_resize, pool_free};

v_status v_pool_init(v_pool *p, void *buf, size_t buf_size,
                     size_t block_size, size_t align)
{
    if (p == NULL || buf == NULL || block_size == 0 || !is_pow2(align))
        return V_ERR_INVALID_ARGS;
    if (buf_size > UINTPTR_MAX - (uintptr_t)buf)
        return V_ERR_INVALID_ARGS;
    /* A free block holds the list link, so it must fit and be aligned. */
    size_t a = align < _Alignof(void *) ? _Alignof(void *) : align;
    size_t b = block_size < sizeof(void *) ? sizeof(void *) : block_size;
    if (b > SIZE_MAX - (a - 1))
        return V_ERR_INVALID_ARGS;
    size_t stride = (b + a - 1) & ~(a - 1);
    size_t pad = (size_t)(-(uintptr_t)buf & (uintptr_t)(a - 1));
    if (pad > buf_size || (buf_size - pad) / stride == 0)
        return V_ERR_INVALID_ARGS;
    p->base.ops = &pool_ops;
    p->blocks = (unsigned char *)buf + pad;
    p->stride = stride;
    p->block_size = stride; /* the rounding is usable: report it */
    p->block_align = a;
    p->count = (buf_size - pad) / stride;
    p->fresh = 0;
    p->in_use = 0;
    p->free_list = NULL;
    return V_OK;
}

size_t v_pool_block_size(const v_pool *p) { return p->block_size; }
size_t v_pool_capacity(const v_pool *p) { return p->count; }
size_t v_pool_available(const v_pool *p) { return p->count - p->in_use; }
