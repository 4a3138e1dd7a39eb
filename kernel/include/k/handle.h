/* Handles: per-Task tables and the derivation tree (docs/substrate.md §2,
 * §4).
 *
 * A handle value is index (bits 0..15) | generation << 16 (bits 16..30,
 * 1..32767); bit 31 is 0 and 0 is never a value. Closing an entry
 * advances its generation, so the old value is stale for good; an entry
 * whose generation would pass 32767 is retired and never reused. At most
 * `limit` handles are live at once; entries are allocated as needed, up
 * to 65535.
 *
 * Every handle is an `hnode`: its object reference, its rights, and its
 * place in the derivation tree (dup and mint make children; moving keeps
 * the place). A node sits either in one table entry or in flight in a
 * Ring message (`table` NULL). Closing a node gives its children to its
 * parent; revoking one closes its whole subtree, wherever the nodes are.
 *
 * Locking (docs/kernel.md): one global mutex, the tree lock, guards every
 * node's links and location; each table's spinlock guards its entries
 * (held only for a few loads and stores: nothing under it sleeps or
 * allocates, so lookups stay cheap on every syscall's path).
 * Order: tree lock -> table lock. Lookups take only the table lock;
 * anything that adds, removes or moves a node takes both. Objects are
 * released only after both are dropped (destroying one may close the
 * handles it holds, which takes the tree lock again). Thread context
 * only. */
#ifndef K_HANDLE_H
#define K_HANDLE_H

#include <stdint.h>
#include <k/mutex.h>
#include <k/spinlock.h>
#include <k/object.h>
#include <v/status.h>

#define HANDLE_ENTRIES_MAX 65535u
#define HANDLE_GEN_MAX 32767u

typedef struct htable htable;

typedef struct hnode {
    kobject *obj;        /* one reference; NULL once revoked in flight */
    vx_rights rights;
    struct hnode *parent, *child, *prev, *next; /* derivation */
    htable *table;       /* where it is; NULL: in flight */
    uint32_t index;      /* its entry in table */
    struct hnode *walk;  /* revoke's private list */
} hnode;

/* An entry keeps the whole value of its current or next handle, so a
 * lookup is one comparison: the low half is the entry's own index, the
 * high half the generation (little-endian, checked below). */
typedef struct hentry {
    hnode *node;         /* NULL: free (or retired) */
    union {
        uint32_t value;  /* index | gen << 16 */
        struct {
            uint16_t index;
            uint16_t gen; /* of the current or next handle here */
        };
    };
    uint16_t retired;
} hentry;
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "hentry: value's low half is index");

struct htable {
    spinlock lock;
    hentry *e;
    uint32_t cap;        /* entries allocated */
    uint32_t limit;      /* live handles allowed */
    uint32_t live;
    uint32_t retired;
    uint32_t hint;       /* where the search for a free entry starts */
};

/* An empty table allowing limit (1..65535) live handles. */
void htable_init(htable *t, uint32_t limit);
/* Closes every handle (each with every effect of htable_close) and frees
 * the table (the Task has ended). */
void htable_fini(htable *t);

/* Adds a root handle for obj (its reference moves in) with rights. LIMIT
 * if limit handles are live or every entry is retired (the reference is
 * then dropped); NO_MEMORY. */
v_status htable_add(htable *t, kobject *obj, vx_rights rights,
                    uint32_t *value);
/* As htable_add, but the new handle is a child of `parent` (a value in
 * t): BAD_HANDLE if that is stale by now (the reference is dropped). */
v_status htable_derive(htable *t, uint32_t parent, kobject *obj,
                       vx_rights rights, uint32_t *value);
/* Looks value up: BAD_HANDLE if stale or malformed, or if type is not
 * VX_OBJ_NONE and the object is of another type. On success *obj has a
 * new reference (kobject_unref when done). Interrupts must be on and no
 * spinlock held (a syscall's path): it uses spin_lock_irq. */
v_status htable_get(htable *t, uint32_t value, vx_obj_type type,
                    kobject **obj, vx_rights *rights);
/* The entry value names in t, or NULL (stale or malformed). t's lock
 * held. */
static inline hentry *htable_entry_locked(htable *t, uint32_t value)
{
    /* A value with bit 31 or generation 0 matches no entry: an entry's
     * generation is 1..HANDLE_GEN_MAX. */
    uint32_t index = value & 0xffff;
    if (index >= t->cap)
        return 0;
    hentry *e = &t->e[index];
    return e->node && e->value == value ? e : 0;
}

/* A short use of value's object without a reference, for the hottest
 * calls (a plain Ring send or receive): on success t's lock is held
 * (spin_lock_irq: a syscall's path, interrupts on and nothing held) and
 * the object stays alive until htable_unuse, because closing, revoking
 * or moving the handle, the only ways its reference goes, all take that
 * lock. Returns NULL, lock released, where htable_get is BAD_HANDLE
 * (type is a real type here: VX_OBJ_NONE matches nothing). In
 * between, interrupts stay off and nothing may sleep, allocate, free,
 * or take the tree lock or a mutex (only a Ring's spinlock, below the
 * table lock; user copies fault into their fixup). kobject_ref before
 * htable_unuse keeps the object past it. */
static inline kobject *htable_use(htable *t, uint32_t value,
                                  vx_obj_type type, vx_rights *rights)
{
    spin_lock_irq(&t->lock);
    hentry *e = htable_entry_locked(t, value);
    if (!e || e->node->obj->ops->type != type) {
        spin_unlock_irq(&t->lock);
        return 0;
    }
    *rights = e->node->rights;
    return e->node->obj;
}

static inline void htable_unuse(htable *t)
{
    spin_unlock_irq(&t->lock);
}

/* Removes value (its children go to its parent); its reference is
 * dropped. BAD_HANDLE if stale. */
v_status htable_close(htable *t, uint32_t value);
/* Closes every handle derived from value, in every table and message;
 * value itself stays. BAD_HANDLE; NO_MEMORY (nothing changed). */
v_status htable_revoke(htable *t, uint32_t value);
uint32_t htable_live(htable *t);
/* Handles that could still be added before the limit. */
uint32_t htable_room(htable *t);

/* ---- moving handles (Ring messages, spawn): under the tree lock ---- */
void handle_tree_lock(void);
void handle_tree_unlock(void);
/* The node value names in t, or NULL if stale. */
hnode *htable_node_locked(htable *t, uint32_t value);
/* Takes the node value names out of t (the value goes stale); the node
 * is then in flight. value must name a node. */
hnode *htable_detach_locked(htable *t, uint32_t value);
/* Puts an in-flight node into t. LIMIT, NO_MEMORY (the node stays in
 * flight). */
v_status htable_attach_locked(htable *t, hnode *n, uint32_t *value);
/* Destroys in-flight nodes (a message dropped with its handles): each is
 * closed with every effect of htable_close. Takes the tree lock itself;
 * NULL entries are skipped. */
void hnodes_release(hnode **nodes, uint32_t n);

#endif
