/* Kernel objects behind handles: a type, a reference count, and what the
 * type does for conditions and destruction. Each handle holds one
 * reference; the object is destroyed when the last one goes. */
#ifndef K_OBJECT_H
#define K_OBJECT_H

#include <stdint.h>
#include <vx/types.h>

typedef struct kobject kobject;

typedef struct kobject_ops {
    vx_obj_type type;
    vx_rights create_rights;          /* rights of a new handle */
    vx_conditions can_assert;         /* conditions it can ever assert */
    /* Those holding now: a snapshot from atomic reads, no lock and no
     * sleep, as vx_wait calls it under a handle table's spinlock
     * (signal.c); a waiter that raced a change sees the generation move
     * (k/signal.h) and calls it again. */
    vx_conditions (*conditions)(kobject *o);
    void (*destroy)(kobject *o);      /* frees o; thread context */
} kobject_ops;

struct kobject {
    const kobject_ops *ops;
    uint32_t refs;
};

static inline void kobject_init(kobject *o, const kobject_ops *ops)
{
    o->ops = ops;
    o->refs = 1;
}

static inline void kobject_ref(kobject *o)
{
    __atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
}

static inline void kobject_unref(kobject *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) == 0)
        o->ops->destroy(o);
}

static inline vx_conditions kobject_conditions(kobject *o)
{
    return o->ops->conditions ? o->ops->conditions(o) : 0;
}

#endif
