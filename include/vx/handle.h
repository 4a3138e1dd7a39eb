/* vx/handle.h — Handle: duplicate, close, revoke, inspect.
 * Normative text: docs/substrate.md §4. */
#ifndef VX_HANDLE_H
#define VX_HANDLE_H

#include <vx/status.h>
#include <vx/types.h>

typedef struct vx_handle_info {
    vx_obj_type type;
    vx_rights rights;
    vx_conditions conditions; /* the object's conditions right now */
    uint32_t reserved;        /* 0 */
    uint64_t badge;           /* Ring TX: its badge (0 = none); else 0 */
} vx_handle_info;

/* New handle to the same object with `rights` (a subset of h's rights). The
 * new handle is derived from h: vx_handle_revoke(h) reaches it. */
VX_CALL vx_status vx_handle_dup(vx_handle h, vx_rights rights, vx_handle *out);

/* Removes h from the Task's table; its value becomes stale. */
VX_CALL vx_status vx_handle_close(vx_handle h);

/* Closes every handle derived from h (by dup or mint, transitively, moved
 * or not, in any Task or in flight in a Ring). h itself stays valid. */
VX_CALL vx_status vx_handle_revoke(vx_handle h);

VX_CALL vx_status vx_handle_info_get(vx_handle h, vx_handle_info *out);

#endif
