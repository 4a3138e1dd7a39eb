/* Region objects (k/region.h). */
#include <arch/layout.h>
#include <arch/user.h>
#include <k/heap.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/region.h>
#include <v/mem.h>

typedef struct region {
    kobject base;
    uint64_t size;
    uint64_t *frames;
    kquota *charged;
} region;

static void destroy(kobject *o)
{
    region *r = (region *)o;
    uint64_t pages = r->size / PAGE_SIZE;
    for (uint64_t i = 0; i < pages; i++)
        if (r->frames[i])
            pmm_free(r->frames[i]);
    kfree(r->frames);
    quota_uncharge(r->charged, r->size);
    quota_unref(r->charged);
    kfree(r);
}

static const kobject_ops ops = {
    .type = VX_OBJ_REGION,
    .create_rights = VX_RIGHT_READ | VX_RIGHT_WRITE | VX_RIGHT_MAP |
                     VX_RIGHT_EXEC | VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER,
    .can_assert = 0,
    .destroy = destroy,
};

v_status region_create(uint64_t size, kquota *q, kobject **out)
{
    if (!quota_charge(q, size))
        return V_ERR_LIMIT;
    uint64_t pages = size / PAGE_SIZE;
    region *r = kzalloc(sizeof *r);
    uint64_t *frames = r ? kzalloc(pages * sizeof *frames) : 0;
    if (!frames) {
        kfree(r);
        quota_uncharge(q, size);
        return V_ERR_NO_MEMORY;
    }
    kobject_init(&r->base, &ops);
    r->size = size;
    r->frames = frames;
    quota_ref(q);
    r->charged = q;
    for (uint64_t i = 0; i < pages; i++) {
        frames[i] = pmm_alloc_zeroed();
        if (!frames[i]) {
            destroy(&r->base); /* frees what was taken, returns the charge */
            return V_ERR_NO_MEMORY;
        }
    }
    *out = &r->base;
    return V_OK;
}

uint64_t region_size(kobject *o)
{
    return ((region *)o)->size;
}

uint64_t region_frame(kobject *o, uint64_t i)
{
    return ((region *)o)->frames[i];
}

/* Page by page: a Region's frames are not contiguous. */
static v_status copy(kobject *o, uint64_t offset, uint64_t user, size_t len,
                     bool out)
{
    region *r = (region *)o;
    while (len) {
        uint64_t in_page = offset % PAGE_SIZE;
        size_t n = PAGE_SIZE - in_page < len ? PAGE_SIZE - in_page : len;
        uint8_t *k = (uint8_t *)phys_to_virt(r->frames[offset / PAGE_SIZE]) +
                     in_page;
        v_status st = out ? copy_to_user(user, k, n)
                          : copy_from_user(k, user, n);
        if (st != V_OK)
            return st;
        offset += n;
        user += n;
        len -= n;
    }
    return V_OK;
}

v_status region_copy_out(kobject *o, uint64_t offset, uint64_t user_dst,
                         size_t len)
{
    return copy(o, offset, user_dst, len, true);
}

v_status region_copy_in(kobject *o, uint64_t offset, uint64_t user_src,
                        size_t len)
{
    return copy(o, offset, user_src, len, false);
}

void region_read_kernel(kobject *o, uint64_t offset, void *dst, size_t len)
{
    region *r = (region *)o;
    uint8_t *d = dst;
    while (len) {
        uint64_t in_page = offset % PAGE_SIZE;
        size_t n = PAGE_SIZE - in_page < len ? PAGE_SIZE - in_page : len;
        v_mem_copy(d, (uint8_t *)phys_to_virt(r->frames[offset / PAGE_SIZE]) +
                          in_page, n);
        offset += n;
        d += n;
        len -= n;
    }
}

void region_write_kernel(kobject *o, uint64_t offset, const void *src,
                         size_t len)
{
    region *r = (region *)o;
    const uint8_t *s = src;
    while (len) {
        uint64_t in_page = offset % PAGE_SIZE;
        size_t n = PAGE_SIZE - in_page < len ? PAGE_SIZE - in_page : len;
        v_mem_copy((uint8_t *)phys_to_virt(r->frames[offset / PAGE_SIZE]) +
                       in_page, s, n);
        offset += n;
        s += n;
        len -= n;
    }
}
