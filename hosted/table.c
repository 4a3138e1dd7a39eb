/* hosted/table.c — a Task's handle table: values, generations, lookup.
 *
 * A value is (generation << 16) | index. Closing an entry advances its
 * generation, so the old value stops matching; an entry whose generation
 * has reached K_GEN_MAX is retired instead of reused, so a stale value can
 * never come to name another object (docs/substrate.md §2). */
#include "kern.h"

#include <stdlib.h>

vx_status k_lookup(k_task *t, vx_handle h, k_node **out)
{
    uint32_t v = h.value;
    uint32_t index = v & K_INDEX_MASK;
    uint32_t gen = v >> K_INDEX_BITS;
    if (gen == 0 || gen > K_GEN_MAX || index >= t->table_grown)
        return VX_ERR_BAD_HANDLE;
    const k_entry *e = &t->table[index];
    if (e->node == NULL || e->gen != gen)
        return VX_ERR_BAD_HANDLE;
    *out = e->node;
    return VX_OK;
}

vx_status k_lookup_type(k_task *t, vx_handle h, vx_obj_type type,
                        k_node **out)
{
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st != VX_OK)
        return st;
    if (n->type != type)
        return VX_ERR_BAD_HANDLE;
    *out = n;
    return VX_OK;
}

uint32_t k_table_free(const k_task *t)
{
    uint32_t by_limit = t->table_limit - t->table_used;
    uint32_t by_index = K_TABLE_MAX - t->table_grown + t->free_count;
    return by_limit < by_index ? by_limit : by_index;
}

vx_status k_table_reserve(k_task *t, uint32_t n)
{
    /* Entries from the free list need no room; fresh ones might. */
    uint32_t fresh = n > t->free_count ? n - t->free_count : 0;
    if (t->table_grown + fresh <= t->table_cap)
        return VX_OK;
    uint32_t cap = t->table_cap ? t->table_cap : 64;
    while (cap < t->table_grown + fresh)
        cap *= 2;
    if (cap > K_TABLE_MAX)
        cap = K_TABLE_MAX;
    k_entry *e = realloc(t->table, (size_t)cap * sizeof *e);
    if (e == NULL)
        return VX_ERR_NO_MEMORY;
    t->table = e;
    t->table_cap = cap;
    return VX_OK;
}

vx_handle k_install(k_task *t, k_node *n)
{
    uint32_t index;
    if (t->free_head != K_TABLE_MAX) {
        index = t->free_head;
        t->free_head = t->table[index].next_free;
        t->free_count--;
    } else {
        index = t->table_grown++;
        t->table[index].gen = 1;
    }
    k_entry *e = &t->table[index];
    k_ring_touch(n->obj); /* an end changing hands ends a lane */
    e->node = n;
    n->owner = t;
    n->index = index;
    n->flight_slot = NULL;
    t->table_used++;
    return (vx_handle){(e->gen << K_INDEX_BITS) | index};
}

void k_uninstall(k_node *n)
{
    k_task *t = n->owner;
    k_ring_touch(n->obj);
    for (uint32_t bit = 0; bit < VX_SIGNAL_BITS; bit++) {
        if (t->bindings[bit].node == n) {
            t->bindings[bit].node = NULL;
            t->bindings[bit].conditions = 0;
        }
    }
    k_entry *e = &t->table[n->index];
    e->node = NULL;
    if (e->gen != K_GEN_MAX) { /* else retired: never handed out again */
        e->gen++;
        e->next_free = t->free_head;
        t->free_head = n->index;
        t->free_count++;
    }
    t->table_used--;
    n->owner = NULL;
}
