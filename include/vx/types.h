/* vx/types.h — handles, rights, object types, signals and time.
 *
 * A handle is a Task-local 32-bit value naming one entry of the Task's
 * handle table: bits 0..15 are the entry index, bits 16..30 its
 * generation (never 0), bit 31 is always 0. The value 0 never names a
 * handle. Each kind of object has its own one-member struct so that the
 * compiler refuses a Region where a Ring endpoint is meant; generic calls
 * (dup, close, revoke, info, bind) take the inner vx_handle: `vx_handle_
 * close(region.h)`. See docs/substrate.md §2. */
#ifndef VX_TYPES_H
#define VX_TYPES_H

#include <stdint.h>

typedef struct vx_handle { uint32_t value; } vx_handle;

typedef struct vx_task { vx_handle h; } vx_task;
typedef struct vx_region { vx_handle h; } vx_region;
typedef struct vx_ring_tx { vx_handle h; } vx_ring_tx;
typedef struct vx_ring_rx { vx_handle h; } vx_ring_rx;
typedef struct vx_timer { vx_handle h; } vx_timer;

#define VX_HANDLE_INVALID ((vx_handle){0})

/* Object types, as reported by vx_handle_info. A Ring has two kinds of
 * handle, one per endpoint. */
typedef uint32_t vx_obj_type;
enum {
    VX_OBJ_NONE = 0,
    VX_OBJ_TASK = 1,
    VX_OBJ_REGION = 2,
    VX_OBJ_RING_TX = 3,
    VX_OBJ_RING_RX = 4,
    VX_OBJ_TIMER = 5,
};

/* Rights: what a handle allows. vx_handle_dup and vx_ring_tx_mint can only
 * drop rights, never add them. */
typedef uint32_t vx_rights;
enum {
    VX_RIGHT_READ = 1u << 0,
    VX_RIGHT_WRITE = 1u << 1,
    VX_RIGHT_MAP = 1u << 2,
    VX_RIGHT_EXEC = 1u << 3,
    VX_RIGHT_SEND = 1u << 4,
    VX_RIGHT_RECV = 1u << 5,
    VX_RIGHT_SIGNAL = 1u << 6,
    VX_RIGHT_WAIT = 1u << 7,
    VX_RIGHT_MANAGE = 1u << 8,
    VX_RIGHT_DUPLICATE = 1u << 9,
    VX_RIGHT_TRANSFER = 1u << 10,
    VX_RIGHTS_ALL = (1u << 11) - 1,
};

/* Object conditions: states an object can be in. Each is level: it holds
 * while the state does. A Task binds conditions to bits of its signal word
 * (vx_signal_bind) to wait for them. */
typedef uint32_t vx_conditions;
enum {
    VX_COND_READABLE = 1u << 0,    /* Ring RX: a message is queued */
    VX_COND_WRITABLE = 1u << 1,    /* Ring TX: a slot is free, RX alive */
    VX_COND_PEER_CLOSED = 1u << 2, /* Ring: the other side has no handle */
    VX_COND_TIMER_FIRED = 1u << 3, /* Timer: its deadline has passed */
    VX_COND_TASK_EXITED = 1u << 4, /* Task: it has ended */
    VX_COND_IRQ = 1u << 5,         /* IRQ object (native drivers only) */
};

/* Monotonic nanoseconds since the substrate started; never goes back. */
typedef uint64_t vx_time;
typedef uint64_t vx_duration;
#define VX_TIME_INFINITE UINT64_MAX

#define VX_PAGE_SIZE 4096u

#endif
