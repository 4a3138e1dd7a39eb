/* Handle tables and the derivation tree (k/handle.h). */
#include <k/handle.h>
#include <k/heap.h>
#include <v/mem.h>

#define FIRST_CAP 64u

/* Guards every node's tree links and location (k/handle.h). */
static kmutex tree = KMUTEX_INIT;

void handle_tree_lock(void)
{
    kmutex_lock(&tree);
}

void handle_tree_unlock(void)
{
    kmutex_unlock(&tree);
}

/* ---- the tree (tree lock held) ---- */

static void link_child(hnode *parent, hnode *c)
{
    c->parent = parent;
    c->prev = 0;
    c->next = 0;
    if (!parent)
        return;
    c->next = parent->child;
    if (parent->child)
        parent->child->prev = c;
    parent->child = c;
}

static void unlink_child(hnode *c)
{
    if (c->parent) {
        if (c->prev)
            c->prev->next = c->next;
        else
            c->parent->child = c->next;
        if (c->next)
            c->next->prev = c->prev;
    }
    c->parent = c->prev = c->next = 0;
}

/* Takes n out of the tree; its children become its parent's (or roots),
 * so a revoke from further up still reaches them. */
static void splice_out(hnode *n)
{
    hnode *c = n->child;
    n->child = 0;
    while (c) {
        hnode *next = c->next;
        link_child(n->parent, c);
        c = next;
    }
    unlink_child(n);
}

/* ---- tables (table lock held) ---- */

/* A table's lock is a spinlock: lookups are on every syscall's path, and
 * nothing done under it sleeps or allocates (grow drops it). */
static uint64_t tlock(htable *t)
{
    return spin_lock_irqsave(&t->lock);
}

static void tunlock(htable *t, uint64_t f)
{
    spin_unlock_irqrestore(&t->lock, f);
}

/* Grows the array (doubling, at most HANDLE_ENTRIES_MAX), dropping the
 * lock around the allocation and the free (a large kfree shoots the old
 * mapping down on every CPU): the caller re-checks everything after.
 * Nodes do not move, so node pointers the caller holds stay valid. */
static bool grow(htable *t, uint64_t *f)
{
    uint32_t old_cap = t->cap;
    uint32_t cap = old_cap ? old_cap * 2 : FIRST_CAP;
    if (cap > HANDLE_ENTRIES_MAX)
        cap = HANDLE_ENTRIES_MAX;
    tunlock(t, *f);
    hentry *e = kzalloc(cap * sizeof *e);
    *f = tlock(t);
    if (!e)
        return false;
    hentry *drop = e;
    if (t->cap == old_cap) { /* nobody grew it meanwhile */
        if (t->cap)
            v_mem_copy(e, t->e, t->cap * sizeof *e);
        for (uint32_t i = t->cap; i < cap; i++) {
            e[i].index = (uint16_t)i;
            e[i].gen = 1;
        }
        drop = t->e;
        t->hint = t->cap;
        t->e = e;
        t->cap = cap;
    }
    tunlock(t, *f);
    kfree(drop);
    *f = tlock(t);
    return true;
}

/* Inlined: it is most of htable_get, which every syscall on a handle
 * runs. */
__attribute__((always_inline)) static inline hentry *lookup(htable *t,
                                                            uint32_t value)
{
    return htable_entry_locked(t, value);
}

/* Puts n in a free, unretired entry: from the hint, then grown (which
 * may drop and retake the lock: *f is its flags). */
static v_status place(htable *t, hnode *n, uint32_t *value, uint64_t *f)
{
    for (;;) {
        if (t->live >= t->limit)
            return V_ERR_LIMIT;
        for (uint32_t k = 0; k < t->cap; k++) {
            uint32_t i = (t->hint + k) % t->cap;
            hentry *e = &t->e[i];
            if (!e->node && !e->retired) {
                e->node = n;
                n->table = t;
                n->index = i;
                t->live++;
                t->hint = i + 1;
                *value = e->value;
                return V_OK;
            }
        }
        if (t->cap >= HANDLE_ENTRIES_MAX)
            return V_ERR_LIMIT; /* everything free is retired */
        if (!grow(t, f))
            return V_ERR_NO_MEMORY;
    }
}

/* Empties n's entry: its value goes stale for good. */
static void unplace(hnode *n)
{
    htable *t = n->table;
    hentry *e = &t->e[n->index];
    e->node = 0;
    if (e->gen == HANDLE_GEN_MAX) {
        e->retired = 1;
        t->retired++;
    } else {
        e->gen++;
    }
    t->live--;
    n->table = 0;
}

/* ---- the calls ---- */

void htable_init(htable *t, uint32_t limit)
{
    v_mem_set(t, 0, sizeof *t);
    t->lock = (spinlock)SPINLOCK_INIT;
    t->limit = limit > HANDLE_ENTRIES_MAX ? HANDLE_ENTRIES_MAX : limit;
}

void htable_fini(htable *t)
{
    /* The Task has ended: nothing adds to this table any more, but a
     * revoke from another Task may still take entries out of it. */
    hnode *dead = 0;
    handle_tree_lock();
    uint64_t f = tlock(t);
    for (uint32_t i = 0; i < t->cap; i++) {
        hnode *n = t->e[i].node;
        if (!n)
            continue;
        unplace(n);
        splice_out(n);
        n->walk = dead;
        dead = n;
    }
    hentry *e = t->e;
    t->e = 0;
    t->cap = 0;
    tunlock(t, f);
    handle_tree_unlock();
    kfree(e);
    while (dead) {
        hnode *n = dead;
        dead = n->walk;
        kobject_unref(n->obj);
        kfree(n);
    }
}

static hnode *new_node(kobject *obj, vx_rights rights)
{
    hnode *n = kzalloc(sizeof *n);
    if (n) {
        n->obj = obj;
        n->rights = rights;
    }
    return n;
}

v_status htable_add(htable *t, kobject *obj, vx_rights rights,
                    uint32_t *value)
{
    hnode *n = new_node(obj, rights);
    if (!n) {
        kobject_unref(obj);
        return V_ERR_NO_MEMORY;
    }
    /* A root touches no other node: the table lock is enough. */
    uint64_t f = tlock(t);
    v_status st = place(t, n, value, &f);
    tunlock(t, f);
    if (st != V_OK) {
        kfree(n);
        kobject_unref(obj);
    }
    return st;
}

v_status htable_derive(htable *t, uint32_t parent, kobject *obj,
                       vx_rights rights, uint32_t *value)
{
    hnode *n = new_node(obj, rights);
    if (!n) {
        kobject_unref(obj);
        return V_ERR_NO_MEMORY;
    }
    handle_tree_lock();
    uint64_t f = tlock(t);
    hentry *p = lookup(t, parent);
    hnode *pn = p ? p->node : 0; /* before place: growing moves entries */
    v_status st = pn ? place(t, n, value, &f) : V_ERR_BAD_HANDLE;
    if (st == V_OK)
        link_child(pn, n); /* the tree lock keeps pn alive meanwhile */
    tunlock(t, f);
    handle_tree_unlock();
    if (st != V_OK) {
        kfree(n);
        kobject_unref(obj);
    }
    return st;
}

/* Only syscalls (and thread-context tests) look handles up, with
 * interrupts on and no spinlock held: the cheaper lock pair. */
v_status htable_get(htable *t, uint32_t value, vx_obj_type type,
                    kobject **obj, vx_rights *rights)
{
    spin_lock_irq(&t->lock);
    hentry *e = lookup(t, value);
    if (!e || (type != VX_OBJ_NONE && e->node->obj->ops->type != type)) {
        spin_unlock_irq(&t->lock);
        return V_ERR_BAD_HANDLE;
    }
    kobject *o = e->node->obj;
    kobject_ref(o);
    *obj = o;
    *rights = e->node->rights;
    spin_unlock_irq(&t->lock);
    return V_OK;
}

v_status htable_close(htable *t, uint32_t value)
{
    handle_tree_lock();
    uint64_t f = tlock(t);
    hentry *e = lookup(t, value);
    hnode *n = e ? e->node : 0;
    if (n) {
        unplace(n);
        splice_out(n);
    }
    tunlock(t, f);
    handle_tree_unlock();
    if (!n)
        return V_ERR_BAD_HANDLE;
    kobject_unref(n->obj);
    kfree(n);
    return V_OK;
}

/* The next node after n in a pre-order walk of top's subtree, or NULL. */
static hnode *walk_next(hnode *top, hnode *n)
{
    if (n->child)
        return n->child;
    while (n != top && !n->next)
        n = n->parent;
    return n == top ? 0 : n->next;
}

v_status htable_revoke(htable *t, uint32_t value)
{
    handle_tree_lock();
    uint64_t f = tlock(t);
    hentry *e = lookup(t, value);
    hnode *top = e ? e->node : 0;
    tunlock(t, f);
    if (!top) {
        handle_tree_unlock();
        return V_ERR_BAD_HANDLE;
    }
    /* Every descendant, counted first: the references they hold are
     * dropped after the locks, from an array allocated before anything
     * changes (NO_MEMORY then changes nothing). */
    size_t count = 0;
    for (hnode *n = walk_next(top, top); n; n = walk_next(top, n))
        count++;
    kobject **drop = count ? kmalloc(count * sizeof *drop) : 0;
    if (count && !drop) {
        handle_tree_unlock();
        return V_ERR_NO_MEMORY;
    }
    hnode *dead = 0;
    for (hnode *n = walk_next(top, top); n; n = walk_next(top, n)) {
        n->walk = dead; /* links stay intact until the walk is over */
        dead = n;
    }
    /* The whole subtree goes: no re-parenting. Nodes in tables are
     * freed; nodes in flight stay in their message, empty (delivered as
     * VX_HANDLE_INVALID, freed with the message). */
    size_t k = 0;
    hnode *freed = 0;
    while (dead) {
        hnode *n = dead;
        dead = n->walk;
        n->walk = 0;
        if (n->table) {
            /* Out of its entry first: a lookup (table lock only) must
             * never find a node without its object. */
            htable *nt = n->table;
            uint64_t nf = tlock(nt);
            unplace(n);
            tunlock(nt, nf);
            n->walk = freed;
            freed = n;
        }
        drop[k++] = n->obj;
        n->obj = 0;
        n->parent = n->child = n->prev = n->next = 0;
    }
    top->child = 0;
    handle_tree_unlock();
    while (freed) {
        hnode *n = freed;
        freed = n->walk;
        kfree(n);
    }
    for (size_t i = 0; i < k; i++)
        kobject_unref(drop[i]);
    kfree(drop);
    return V_OK;
}

uint32_t htable_live(htable *t)
{
    return __atomic_load_n(&t->live, __ATOMIC_RELAXED);
}

uint32_t htable_room(htable *t)
{
    uint64_t f = tlock(t);
    uint32_t n = t->limit - t->live;
    tunlock(t, f);
    return n;
}

/* ---- moving ---- */

hnode *htable_node_locked(htable *t, uint32_t value)
{
    uint64_t f = tlock(t);
    hentry *e = lookup(t, value);
    hnode *n = e ? e->node : 0;
    tunlock(t, f);
    return n;
}

hnode *htable_detach_locked(htable *t, uint32_t value)
{
    uint64_t f = tlock(t);
    hentry *e = lookup(t, value);
    hnode *n = e ? e->node : 0;
    if (n)
        unplace(n);
    tunlock(t, f);
    return n;
}

v_status htable_attach_locked(htable *t, hnode *n, uint32_t *value)
{
    uint64_t f = tlock(t);
    v_status st = place(t, n, value, &f);
    tunlock(t, f);
    return st;
}

void hnodes_release(hnode **nodes, uint32_t count)
{
    kobject *drop[8];
    uint32_t k = 0;
    while (count) {
        uint32_t n = count < 8 ? count : 8;
        handle_tree_lock();
        for (uint32_t i = 0; i < n; i++) {
            hnode *x = nodes[i];
            if (!x)
                continue;
            splice_out(x);
            drop[k++] = x->obj; /* NULL if revoked in flight */
            kfree(x);
        }
        handle_tree_unlock();
        for (uint32_t i = 0; i < k; i++)
            if (drop[i])
                kobject_unref(drop[i]);
        k = 0;
        nodes += n;
        count -= n;
    }
}
