/* Handle tables (k/handle.h). */
#include <k/handle.h>
#include <k/heap.h>
#include <v/mem.h>

#define FIRST_CAP 64u

void htable_init(htable *t, uint32_t limit)
{
    v_mem_set(t, 0, sizeof *t);
    t->lock = (kmutex)KMUTEX_INIT;
    t->limit = limit > HANDLE_ENTRIES_MAX ? HANDLE_ENTRIES_MAX : limit;
}

void htable_fini(htable *t)
{
    /* The Task has ended: no call can race with this one. */
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->e[i].obj)
            kobject_unref(t->e[i].obj);
    kfree(t->e);
    t->e = 0;
    t->cap = t->live = 0;
}

static uint32_t value_of(uint32_t index, uint16_t gen)
{
    return index | (uint32_t)gen << 16;
}

/* Grows the array (doubling, at most HANDLE_ENTRIES_MAX). Called with the
 * lock held: kmalloc/kfree do not sleep, and a large kfree's shootdown
 * takes no spinlock of ours (the mutex is not one). */
static bool grow(htable *t)
{
    if (t->cap >= HANDLE_ENTRIES_MAX)
        return false;
    uint32_t cap = t->cap ? t->cap * 2 : FIRST_CAP;
    if (cap > HANDLE_ENTRIES_MAX)
        cap = HANDLE_ENTRIES_MAX;
    hentry *e = kzalloc(cap * sizeof *e);
    if (!e)
        return false;
    if (t->cap)
        v_mem_copy(e, t->e, t->cap * sizeof *e);
    for (uint32_t i = t->cap; i < cap; i++)
        e[i].gen = 1;
    kfree(t->e);
    t->hint = t->cap;
    t->e = e;
    t->cap = cap;
    return true;
}

static hentry *lookup(htable *t, uint32_t value)
{
    uint32_t index = value & 0xffff, gen = (value >> 16) & 0x7fff;
    if (value >> 31 || gen == 0 || index >= t->cap)
        return 0;
    hentry *e = &t->e[index];
    return e->obj && e->gen == gen ? e : 0;
}

v_status htable_add(htable *t, kobject *obj, vx_rights rights,
                    uint32_t *value)
{
    kmutex_lock(&t->lock);
    v_status st = V_ERR_LIMIT;
    if (t->live < t->limit) {
        /* A free, unretired entry: search from the hint, then grow. */
        for (;;) {
            for (uint32_t n = 0; n < t->cap; n++) {
                uint32_t i = (t->hint + n) % t->cap;
                hentry *e = &t->e[i];
                if (!e->obj && !e->retired) {
                    e->obj = obj;
                    e->rights = rights;
                    t->live++;
                    t->hint = i + 1;
                    *value = value_of(i, e->gen);
                    kmutex_unlock(&t->lock);
                    return V_OK;
                }
            }
            if (t->cap >= HANDLE_ENTRIES_MAX)
                break; /* everything free is retired */
            if (!grow(t)) {
                st = V_ERR_NO_MEMORY;
                break;
            }
        }
    }
    kmutex_unlock(&t->lock);
    kobject_unref(obj);
    return st;
}

v_status htable_get(htable *t, uint32_t value, vx_obj_type type,
                    kobject **obj, vx_rights *rights)
{
    kmutex_lock(&t->lock);
    hentry *e = lookup(t, value);
    if (!e || (type != VX_OBJ_NONE && e->obj->ops->type != type)) {
        kmutex_unlock(&t->lock);
        return V_ERR_BAD_HANDLE;
    }
    kobject_ref(e->obj);
    *obj = e->obj;
    *rights = e->rights;
    kmutex_unlock(&t->lock);
    return V_OK;
}

v_status htable_close(htable *t, uint32_t value)
{
    kmutex_lock(&t->lock);
    hentry *e = lookup(t, value);
    if (!e) {
        kmutex_unlock(&t->lock);
        return V_ERR_BAD_HANDLE;
    }
    kobject *obj = e->obj;
    e->obj = 0;
    e->rights = 0;
    if (e->gen == HANDLE_GEN_MAX) {
        e->retired = 1;
        t->retired++;
    } else {
        e->gen++;
    }
    t->live--;
    kmutex_unlock(&t->lock);
    kobject_unref(obj);
    return V_OK;
}

uint32_t htable_live(htable *t)
{
    return __atomic_load_n(&t->live, __ATOMIC_RELAXED);
}

uint32_t htable_room(htable *t)
{
    kmutex_lock(&t->lock);
    uint32_t n = t->limit - t->live;
    kmutex_unlock(&t->lock);
    return n;
}
