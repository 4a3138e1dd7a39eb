/* Slab caches (see k/slab.h). A slab's free objects form a singly linked
 * list through their first word. Lists of slabs are doubly linked so a
 * slab can move between partial/full/empty in O(1) on every free. */
#include <arch/layout.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/slab.h>

#define SLAB_MAGIC 0x51ab51abu

struct slab {
    uint32_t magic;
    uint32_t in_use;
    slab_cache *cache;
    void *free;
    slab *prev, *next;
    slab **list; /* which of the cache's lists holds it */
};

static void unlink(slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        *s->list = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = 0;
    s->list = 0;
}

static void push(slab **list, slab *s)
{
    s->list = list;
    s->prev = 0;
    s->next = *list;
    if (*list)
        (*list)->prev = s;
    *list = s;
}

void slab_cache_init(slab_cache *c, const char *name, size_t obj_size)
{
    if (obj_size > SLAB_MAX_SIZE)
        kpanic("slab: object size %zu above %u", obj_size, SLAB_MAX_SIZE);
    uint32_t sz = SLAB_MIN_SIZE;
    while (sz < obj_size)
        sz <<= 1;
    c->name = name;
    c->obj_size = sz;
    c->first_off = ((uint32_t)sizeof(slab) + sz - 1) & ~(sz - 1);
    c->per_slab = (PAGE_SIZE - c->first_off) / sz;
    c->lock = (spinlock)SPINLOCK_INIT;
    c->partial = c->full = c->empty = 0;
    c->slabs = c->in_use = 0;
}

static slab *grow(slab_cache *c)
{
    uint64_t pa = pmm_alloc();
    if (!pa)
        return 0;
    slab *s = phys_to_virt(pa);
    s->magic = SLAB_MAGIC;
    s->in_use = 0;
    s->cache = c;
    s->free = 0;
    /* Thread the free list in address order (last object first pushed). */
    for (uint32_t i = c->per_slab; i-- > 0;) {
        void **obj = (void **)((char *)s + c->first_off + i * c->obj_size);
        *obj = s->free;
        s->free = obj;
    }
    c->slabs++;
    return s;
}

void *slab_alloc(slab_cache *c)
{
    uint64_t flags = spin_lock_irqsave(&c->lock);
    slab *s = c->partial ? c->partial : c->empty;
    if (s)
        unlink(s);
    else
        s = grow(c);
    if (!s) {
        spin_unlock_irqrestore(&c->lock, flags);
        return 0;
    }
    void **obj = s->free;
    s->free = *obj;
    s->in_use++;
    c->in_use++;
    push(s->in_use == c->per_slab ? &c->full : &c->partial, s);
    spin_unlock_irqrestore(&c->lock, flags);
    return obj;
}

static void release(slab_cache *c, slab *s)
{
    s->magic = 0;
    c->slabs--;
    pmm_free(virt_to_phys_direct(s));
}

void slab_free(void *p)
{
    uintptr_t a = (uintptr_t)p;
    slab *s = (slab *)(a & ~(uintptr_t)(PAGE_SIZE - 1));
    if (!p || a < PHYSMAP_BASE || s->magic != SLAB_MAGIC)
        kpanic("slab: free of %p, which is not a slab object", p);
    slab_cache *c = s->cache;
    uint32_t off = (uint32_t)(a - (uintptr_t)s);
    if (off < c->first_off || (off - c->first_off) % c->obj_size ||
        (off - c->first_off) / c->obj_size >= c->per_slab)
        kpanic("slab: free of %p, inside an object of cache %s", p,
               c->name);
    uint64_t flags = spin_lock_irqsave(&c->lock);
    /* A double free would corrupt the free list silently; a slab holds
     * at most a few hundred objects, so checking is cheap enough. */
    for (void **q = s->free; q; q = *q) {
        if (q == p) {
            spin_unlock_irqrestore(&c->lock, flags);
            kpanic("slab: double free of %p in cache %s", p, c->name);
        }
    }
    *(void **)p = s->free;
    s->free = p;
    s->in_use--;
    c->in_use--;
    unlink(s);
    if (s->in_use > 0) {
        push(&c->partial, s);
    } else if (!c->empty) {
        push(&c->empty, s);
    } else {
        release(c, s);
    }
    spin_unlock_irqrestore(&c->lock, flags);
}

void slab_cache_trim(slab_cache *c)
{
    uint64_t flags = spin_lock_irqsave(&c->lock);
    slab *s = c->empty;
    if (s) {
        unlink(s);
        release(c, s);
    }
    spin_unlock_irqrestore(&c->lock, flags);
}
