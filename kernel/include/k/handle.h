/* A Task's handle table (docs/substrate.md §2).
 *
 * A handle value is index (bits 0..15) | generation << 16 (bits 16..30,
 * 1..32767); bit 31 is 0 and 0 is never a value. Closing an entry
 * advances its generation, so the old value is stale for good; an entry
 * whose generation would pass 32767 is retired and never reused. At most
 * `limit` handles are live at once; entries are allocated as needed, up
 * to 65535. Guarded by a mutex: thread context only. Objects are
 * released outside the lock (destroying one may free memory and shoot
 * down TLBs, which must not happen under a lock). */
#ifndef K_HANDLE_H
#define K_HANDLE_H

#include <stdint.h>
#include <k/mutex.h>
#include <k/object.h>
#include <v/status.h>

#define HANDLE_ENTRIES_MAX 65535u
#define HANDLE_GEN_MAX 32767u

typedef struct hentry {
    kobject *obj;        /* NULL: free (or retired) */
    vx_rights rights;
    uint16_t gen;        /* of the current or next handle here */
    uint16_t retired;
} hentry;

typedef struct htable {
    kmutex lock;
    hentry *e;
    uint32_t cap;        /* entries allocated */
    uint32_t limit;      /* live handles allowed */
    uint32_t live;
    uint32_t retired;
    uint32_t hint;       /* where the search for a free entry starts */
} htable;

/* An empty table allowing limit (1..65535) live handles. */
void htable_init(htable *t, uint32_t limit);
/* Closes every handle and frees the table (the Task has ended). */
void htable_fini(htable *t);

/* Adds a handle for obj (its reference moves into the table) with
 * rights. LIMIT if limit handles are live or every entry is retired (the
 * reference is then dropped); NO_MEMORY. */
v_status htable_add(htable *t, kobject *obj, vx_rights rights,
                    uint32_t *value);
/* Looks value up: BAD_HANDLE if stale or malformed, or if type is not
 * VX_OBJ_NONE and the object is of another type. On success *obj has a
 * new reference (kobject_unref when done). */
v_status htable_get(htable *t, uint32_t value, vx_obj_type type,
                    kobject **obj, vx_rights *rights);
/* Removes value; its reference is dropped. BAD_HANDLE if stale. */
v_status htable_close(htable *t, uint32_t value);
uint32_t htable_live(htable *t);
/* Handles that could still be added before the limit. */
uint32_t htable_room(htable *t);

#endif
