/* hosted/kern.h — the hosted backend's kernel core (internal).
 *
 * The core owns every piece of substrate state: objects, the per-Task
 * handle tables with their generations, the derivation tree that revoke
 * walks, quotas, signal bindings, timers and Ring queues. It runs under
 * one lock (k_enter/k_leave) and always acts for the Task in k_current:
 * the root Task (this process) or a spawned Task whose request a broker
 * thread is serving — so one implementation of every call serves every
 * Task (docs/substrate.md §11). */
#ifndef HOSTED_KERN_H
#define HOSTED_KERN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vx/vx.h>

typedef struct k_task k_task;
typedef struct k_object k_object;
typedef struct k_node k_node;
typedef struct k_lane k_lane;
typedef struct k_event k_event;

/* ---- waiting and waking (wake.c) ---- */

typedef struct k_waiter k_waiter;
typedef struct k_wait_list k_wait_list;
/* One registration of a waiter on one wait list. */
typedef struct k_wait_link {
    k_waiter *w;
    k_wait_list *list;
    struct k_wait_link *prev, *next;
} k_wait_link;
/* The waiters to wake when something changes: one per object that can
 * assert a condition, two per Task (its own threads; threads elsewhere
 * bound to a handle of it). */
struct k_wait_list {
    k_wait_link *head;
};
#define K_WAITER_LINKS 66u /* a bit each, its own Task, slack */
/* A thread in vx_wait: its own wake object, and where it is linked. */
struct k_waiter {
    pthread_cond_t cond;
    bool woken;
    uint64_t mask; /* the bits it waits for */
    uint32_t link_count;
    k_wait_link links[K_WAITER_LINKS];
};
void k_waiter_init(k_waiter *w);
void k_waiter_fini(k_waiter *w);
void k_waiter_link(k_waiter *w, k_wait_list *l);
void k_waiter_unlink_all(k_waiter *w);
/* Sleeps until woken or `until` (core lock held; released meanwhile). */
void k_waiter_sleep(k_waiter *w, vx_time until);
/* Wakes every waiter linked on l. Core lock held. */
void k_wake(k_wait_list *l);
/* Wakes the waiters on l that wait for a bit of `bits`. */
void k_wake_bits(k_wait_list *l, uint64_t bits);
/* For hosted/tests: waiters woken so far and waiters asleep now. */
void k_wake_stats(uint64_t *woken, uint32_t *asleep);

/* ---- the event thread (events.c) ---- */

/* Registers fd in the core's epoll: when it is readable, fire(ctx) runs
 * on the event thread with the core lock held. NULL on failure. Core lock
 * held. */
k_event *k_event_add(int fd, void (*fire)(void *ctx), void *ctx);
/* Stops watching (the owner closes fd); fire is never called again. */
void k_event_retire(k_event *e);

/* Bit layout of a handle value (docs/substrate.md §2). */
#define K_INDEX_BITS 16u
#define K_INDEX_MASK 0xffffu
#define K_GEN_MAX 0x7fffu
#define K_TABLE_MAX 65535u

/* ---- objects ---- */

enum k_kind { K_REGION = 1, K_RING, K_TIMER, K_TASK };

typedef struct k_msg {
    uint32_t len;
    uint32_t handle_count;
    uint32_t epoch; /* the Ring's epoch when sent (lane.c) */
    uint64_t badge;
    k_node *handles[VX_MSG_HANDLES_MAX];
} k_msg;

struct k_object {
    enum k_kind kind;
    uint32_t refs;      /* handle nodes naming this object */
    k_wait_list waiters; /* threads in vx_wait bound to it */
    k_task *charged_to; /* whose quota pays for it (NULL: nobody) */
    uint64_t charge;
    union {
        struct {
            int fd; /* memfd */
            uint64_t size;
            /* vx_task_spawn runs a sealed copy of the image (task.c),
             * kept here for the next spawn of the same Region as long as
             * nobody can have changed the Region since: no write through
             * the core after it (version) and never a writable mapping. */
            uint64_t version; /* vx_region_write calls so far */
            bool mapped_writable; /* ever: a Task may keep its mapping */
            bool image_kept;
            int image_fd;     /* the copy, read-only (image_kept) */
            uint64_t image_version;
        } region;
        struct {
            vx_ring_params params;
            uint32_t tx_count; /* TX nodes alive, in tables or in flight */
            uint32_t rx_count;
            uint32_t head;  /* index of the oldest message */
            uint32_t count; /* messages queued */
            k_msg *msgs;    /* slot_count entries */
            uint8_t *data;  /* slot_count * slot_size bytes */
            /* The fast path (lane.c): while engaged the queue above is
             * empty and the messages are in the lane. */
            k_lane *lane;
            bool broken;    /* a lane was found malformed: PEER_CLOSED */
            k_node *a_tx, *a_rx; /* some TX/RX node (the only one, if
                                    tx_count/rx_count is 1); may be NULL */
            k_node *tx_nodes;    /* every TX node (k_node.ring_next) */
            uint32_t rx_sleepers, tx_sleepers; /* threads in vx_wait */
            uint32_t epoch; /* advances whenever its handles change */
        } ring;
        struct {
            bool armed;
            vx_time fire_at;
            /* In the core's queue of timers yet to fire (timer.c). */
            bool queued;
            k_object *q_prev, *q_next;
        } timer;
        struct {
            k_task *task;
        } task;
    } u;
};

/* A handle: one capability, in a Task's table or in flight in a Ring. */
struct k_node {
    k_object *obj;
    vx_obj_type type; /* distinguishes the two sides of a Ring */
    vx_rights rights;
    uint64_t badge;   /* Ring TX only */
    k_node *parent;   /* derivation tree */
    k_node *first_child;
    k_node *next_sibling;
    k_node *prev_sibling;
    k_task *owner;    /* NULL while in flight */
    uint32_t index;   /* in owner's table */
    k_node **flight_slot; /* while in flight: where the message holds it */
    uint64_t mark;    /* scratch for duplicate detection (k_next_mark) */
    k_node *ring_next, *ring_prev; /* Ring TX only: its Ring's TX nodes */
};

/* ---- Tasks ---- */

typedef struct k_entry {
    uint32_t gen;  /* current generation (1..K_GEN_MAX) */
    k_node *node;  /* NULL when free */
    uint32_t next_free;
} k_entry;

typedef struct k_binding {
    k_node *node; /* NULL: bit not bound */
    vx_conditions conditions;
} k_binding;

typedef struct k_mapping {
    void *addr;
    uint64_t len;
} k_mapping;

/* The handle limit bounds live handles. The index space (K_TABLE_MAX
 * entries) is separate: retiring entries uses it up, but only after some
 * 2^31 closes, and the array grows on demand. */
struct k_task {
    k_entry *table;
    uint32_t table_cap;   /* entries allocated */
    uint32_t table_limit; /* live handles allowed */
    uint32_t table_used;  /* live handles */
    uint32_t free_head;   /* K_TABLE_MAX: none */
    uint32_t free_count;
    uint32_t table_grown; /* entries ever used; the rest are fresh */
    uint64_t quota;
    uint64_t charged;      /* objects (docs/substrate.md §3) */
    uint64_t lane_charged; /* lanes of Rings charged to it (lane.c) */
    k_lane *lanes;         /* those lanes */
    uint64_t raised;
    k_wait_list waiters;  /* its own threads in vx_wait */
    k_wait_list watchers; /* threads bound to a handle of this Task */
    k_binding bindings[VX_SIGNAL_BITS];
    k_mapping *maps;
    size_t map_count, map_cap;
    uint32_t threads;
    vx_task_state state;
    int32_t exit_code;
    /* Who needs this struct: the running Task itself, each Task object,
     * each object charged to it, each broker thread serving it, and each
     * running child it lent quota to. Freed at zero (never the root). */
    uint32_t refs;
    /* Spawned Tasks only; all zero for the root Task. */
    k_task *creator;      /* whose quota lent ours (refunded at the end) */
    int pid;              /* the process; 0 for the root */
    bool process_gone;    /* reaped; the Task ends once connections is 0 */
    int pidfd;            /* watched by the event thread until reaped */
    k_event *exit_event;
    int wait_status;      /* waitid's result once process_gone */
    bool wait_exited;     /* ... it exited (else: killed by a signal) */
    uint32_t connections; /* broker threads serving it */
    bool exit_recorded;   /* vx_task_exit told us the full exit code */
    bool kill_requested;  /* vx_task_kill sent SIGKILL */
    uint32_t initial_count;
    struct {
        char name[VX_NAME_MAX + 1];
        vx_handle handle;
        vx_obj_type type;
    } initial[VX_SPAWN_HANDLES_MAX];
};

/* The Task the calling thread acts for: the root Task, or the spawned
 * Task a broker thread is serving. */
extern _Thread_local k_task *k_current;

/* Ends a Task: closes every handle it holds (with all their effects),
 * refunds its creator, records how it ended, wakes waiters. Core lock
 * held. */
void k_task_end(k_task *t, vx_task_state state, int32_t code);
void k_task_ref(k_task *t);
void k_task_unref(k_task *t);
/* Whether `name` is 1..VX_NAME_MAX bytes of [a-z0-9_.-]. */
bool k_name_valid(const char *name);
/* Serves one connection of Task t until it closes (broker.c). Takes
 * ownership of sock. */
void k_broker_serve(k_task *t, int sock);
/* Starts a thread running k_broker_serve. */
bool k_broker_start(k_task *t, int sock);

/* ---- the core ---- */

/* Locks the core and returns the calling Task. */
k_task *k_enter(void);
void k_leave(void);
/* Sleeps on c with the core lock until signalled or `until` (monotonic
 * ns; VX_TIME_INFINITE: no limit). */
void k_cond_wait(pthread_cond_t *c, vx_time until);
vx_time k_now(void);
/* Ends a spawned Task whose process is gone once no broker thread serves
 * it any more (task.c). Core lock held. */
void k_task_finish_if_ready(k_task *t);
/* Timers (timer.c): a timer object is going away. */
void k_timer_destroy(k_object *o);

/* Handle table. */
vx_status k_lookup(k_task *t, vx_handle h, k_node **out);
vx_status k_lookup_type(k_task *t, vx_handle h, vx_obj_type type,
                        k_node **out);
/* How many more handles t may hold now. */
uint32_t k_table_free(const k_task *t);
/* Makes sure `n` more handles can be installed without failing. */
vx_status k_table_reserve(k_task *t, uint32_t n);
/* Puts `n` (owner NULL) into t's table; the caller checked k_table_free
 * and k_table_reserve. */
vx_handle k_install(k_task *t, k_node *n);
/* Takes n out of its owner's table (its value becomes stale, its
 * bindings go); n stays alive, in flight. */
void k_uninstall(k_node *n);

/* Nodes. */
k_node *k_node_new(k_object *obj, vx_obj_type type, vx_rights rights,
                   k_node *parent);
/* Destroys a node wherever it is, with every effect of closing it. */
void k_node_destroy(k_node *n);

/* Objects. */
k_object *k_object_new(enum k_kind kind);
void k_object_unref(k_object *o);
vx_status k_charge(k_task *t, uint64_t bytes);
void k_object_charge(k_object *o, k_task *t, uint64_t bytes);
/* Kind-specific teardown, called when the last reference goes. */
void k_region_destroy(k_object *o);
void k_ring_destroy(k_object *o);
/* The checks of vx_region_map for the caller, then a descriptor of the
 * memfd (read-only unless prot has WRITE) for a Task to map itself. */
vx_status k_region_map_fd(vx_region r, uint64_t offset, uint64_t len,
                          vx_prot prot, bool addr_given, int *fd);
/* A Region holding a host file's bytes, installed in t's table (for the
 * root Task's initial handles). */
vx_status k_region_from_file(k_task *t, const char *path, vx_handle *out);
/* A Ring side lost its last handle. */
void k_ring_side_closed(k_object *o, vx_obj_type side);

/* ---- the Ring fast path (lane.c) ---- */

/* The root Task (this process). */
k_task *k_root(void);
/* Called before any change to the set or placement of o's handles: if a
 * lane is engaged, seals it (its messages move to the core's queue). */
void k_ring_touch(k_object *o);
void k_lane_seal(k_object *o);
/* Seals every lane t pays for, returning their charge to its quota. */
void k_lane_reclaim(k_task *t);
void k_lane_destroy(k_object *o);
/* Messages pending in o's lanes; *bad if their positions are malformed. */
uint32_t k_lane_pending(const k_object *o, bool *bad);
/* Whether o's producers have taken every slot (several producers). */
bool k_lane_full(const k_object *o);
/* Publishes o's sleeper counts to its lane's control page. */
void k_lane_sleepers(k_object *o);
/* OP_RING_LANE: part = kind | lane index << 8 (the index counts for the
 * RX only; a TX gets its own lane). Kind 0 returns the lane's shared
 * area's descriptor (the first request, serial 0, engages the Ring's
 * lanes), 1 its control page's (read-only), 2 the Ring's doorbell, 3 its
 * credit page (several producers). reply: serial u64, slot_size,
 * slot_count, the caller's starting position, side (1 TX, 2 RX) | lane
 * index << 8 | lanes << 16. */
vx_status k_lane_open(vx_handle h, uint32_t part, uint64_t serial, int *fd,
                      uint8_t reply[24]);
/* The root Task's own send/receive on an engaged lane. BAD_STATE: the
 * lane is malformed (the caller seals, which breaks the Ring). */
vx_status k_lane_root_send(k_object *o, const k_node *txn,
                           const vx_msg_out *msgs, size_t count, size_t *done);
vx_status k_lane_root_recv(k_object *o, vx_msg_in *msgs, size_t count,
                           size_t *done);

/* A fresh value for k_node.mark, never used before. */
uint64_t k_next_mark(void);
/* The error the spec says wins when both apply (docs/substrate.md §1). */
vx_status k_first_error(vx_status a, vx_status b);

/* Conditions holding on n's object right now. */
vx_conditions k_conditions(const k_node *n);
/* Conditions an object of `type` can assert at all. */
vx_conditions k_conditions_possible(vx_obj_type type);

#endif
