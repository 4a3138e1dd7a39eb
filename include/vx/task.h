/* vx/task.h — Task: a protection domain; and threads within one.
 * Normative text: docs/substrate.md §3. */
#ifndef VX_TASK_H
#define VX_TASK_H

#include <stddef.h>
#include <vx/status.h>
#include <vx/types.h>

#define VX_NAME_MAX 31u          /* bytes of a Task or handle name */
#define VX_SPAWN_HANDLES_MAX 16u /* initial handles of one Task */

/* One initial handle: moved into the new Task under `name`. */
typedef struct vx_named_handle {
    const char *name; /* 1..VX_NAME_MAX bytes of [a-z0-9_.-] */
    vx_handle handle;
} vx_named_handle;

typedef struct vx_spawn_args {
    vx_region image;      /* an ELF executable; READ and EXEC rights */
    const char *name;     /* 1..VX_NAME_MAX bytes of [a-z0-9_.-] */
    uint64_t quota_bytes; /* memory quota, taken from the caller's */
    uint32_t handle_limit;  /* handles it may hold at once, 1..65535 */
    uint32_t handle_count;  /* 0..VX_SPAWN_HANDLES_MAX */
    const vx_named_handle *handles;
} vx_spawn_args;

typedef uint32_t vx_task_state;
enum {
    VX_TASK_RUNNING = 0,
    VX_TASK_EXITED = 1,  /* called vx_task_exit (or returned from main) */
    VX_TASK_KILLED = 2,  /* vx_task_kill */
    VX_TASK_CRASHED = 3, /* ended by a fault */
};

typedef struct vx_task_status {
    vx_task_state state;
    int32_t exit_code;    /* meaningful for VX_TASK_EXITED only, else 0 */
    uint64_t quota_bytes; /* its quota, as spawned */
    uint64_t used_bytes;  /* charged to that quota now (docs/substrate.md §3) */
} vx_task_status;

/* The calling Task's accounting. */
typedef struct vx_task_usage {
    uint64_t quota_bytes;
    uint64_t used_bytes;
    uint32_t handle_limit;
    uint32_t handles_used;
} vx_task_usage;

VX_CALL vx_status vx_task_spawn(const vx_spawn_args *args, vx_task *out);
VX_CALL vx_status vx_task_kill(vx_task t);
VX_CALL vx_status vx_task_status_get(vx_task t, vx_task_status *out);
VX_CALL vx_status vx_task_usage_get(vx_task_usage *out);

/* The calling Task's initial handle called `name`, checked to be of
 * `type`. */
VX_CALL vx_status vx_task_initial_handle(const char *name, vx_obj_type type,
                                         vx_handle *out);

/* Ends the calling Task: every thread stops, every handle is closed. */
__attribute__((noreturn)) void vx_task_exit(int32_t code);

/* Starts a thread of the calling Task running entry(arg). The thread ends
 * when entry returns. */
VX_CALL vx_status vx_thread_start(void (*entry)(void *arg), void *arg);

#endif
