/* The handle tests' counting object (probe_object.h). */
#include "probe_object.h"

#include <k/heap.h>

typedef struct probe {
    kobject base;
    int *destroyed;
} probe;

static void probe_destroy(kobject *o)
{
    (*((probe *)o)->destroyed)++;
    kfree(o);
}

static const kobject_ops probe_ops = {
    .type = VX_OBJ_REGION,
    .destroy = probe_destroy,
};

kobject *probe_object_new(int *destroyed)
{
    probe *p = kzalloc(sizeof *p);
    if (!p)
        return 0;
    kobject_init(&p->base, &probe_ops);
    p->destroyed = destroyed;
    return &p->base;
}
