/* Region mappings of a Task (k/umap.h). */
#include <arch/layout.h>
#include <k/heap.h>
#include <k/region.h>
#include <k/umap.h>
#include <k/vm.h>

void umaps_init(umaps *m)
{
    m->lock = (kmutex)KMUTEX_INIT;
    m->head = 0;
    m->next_addr = UMAP_BASE;
}

static void unmap_pages(uint64_t root, uint64_t addr, uint64_t pages)
{
    for (uint64_t i = 0; i < pages; i++)
        (void)vm_root_unmap(root, addr + i * PAGE_SIZE, 0);
}

v_status umaps_map(umaps *m, uint64_t root, kobject *region, uint64_t offset,
                   uint64_t len, unsigned prot, uint64_t *addr)
{
    umap *u = kzalloc(sizeof *u);
    if (!u)
        return V_ERR_NO_MEMORY;
    kmutex_lock(&m->lock);
    uint64_t at = m->next_addr;
    if (len > UMAP_TOP - at || UMAP_TOP - at - len < PAGE_SIZE) {
        kmutex_unlock(&m->lock);
        kfree(u);
        return V_ERR_LIMIT;
    }
    uint64_t pages = len / PAGE_SIZE, first = offset / PAGE_SIZE;
    for (uint64_t i = 0; i < pages; i++) {
        v_status st = vm_root_map(root, at + i * PAGE_SIZE,
                                  region_frame(region, first + i), prot);
        if (st != V_OK) {
            unmap_pages(root, at, i);
            kmutex_unlock(&m->lock);
            kfree(u);
            return st == V_ERR_BAD_STATE ? V_ERR_NO_MEMORY : st;
        }
    }
    m->next_addr = at + len + PAGE_SIZE; /* a guard page after it */
    kobject_ref(region);
    u->addr = at;
    u->len = len;
    u->region = region;
    u->next = m->head;
    m->head = u;
    kmutex_unlock(&m->lock);
    *addr = at;
    return V_OK;
}

v_status umaps_unmap(umaps *m, uint64_t root, uint64_t addr, uint64_t len)
{
    kmutex_lock(&m->lock);
    umap **p = &m->head;
    while (*p && !((*p)->addr == addr && (*p)->len == len))
        p = &(*p)->next;
    umap *u = *p;
    if (!u) {
        kmutex_unlock(&m->lock);
        return V_ERR_INVALID_ARGS;
    }
    *p = u->next;
    unmap_pages(root, u->addr, u->len / PAGE_SIZE);
    kmutex_unlock(&m->lock);
    kobject_unref(u->region);
    kfree(u);
    return V_OK;
}

void umaps_fini(umaps *m, uint64_t root)
{
    while (m->head) {
        umap *u = m->head;
        m->head = u->next;
        unmap_pages(root, u->addr, u->len / PAGE_SIZE);
        kobject_unref(u->region);
        kfree(u);
    }
}
