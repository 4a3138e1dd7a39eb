/* v/concurrent.h — an in-Task mpsc channel and a cooperative executor.
 *
 * The executor is a value the program creates (no global runtime, no
 * hidden thread). Its loop, v_exec_run_once, performs exactly one vx_wait
 * per iteration and then polls every future whose awaited signal bits came
 * back pending, so each ready source is drained in the same iteration.
 * Pending work is always bound to signal bits: a future that returns
 * V_POLL_PENDING must first have awaited a bit (v_exec_await), joined
 * another future (v_exec_join) or woken itself (v_exec_wake), else the
 * executor reports BAD_STATE rather than spin. Bits are level for objects
 * (a Ring bound with v_exec_bind_handle) and edge for raised bits (a
 * channel): futures drain a source until it answers SHOULD_WAIT.
 * docs/process.md describes both modules; docs/substrate.md §7 the signal
 * word underneath. */
#ifndef V_CONCURRENT_H
#define V_CONCURRENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>
#include <vx/types.h>

/* ---- the channel ----------------------------------------------------
 * A bounded multi-producer single-consumer queue of whole items of at most
 * item_size bytes, inside one Task. Producers may be futures or other
 * threads of the Task; the consumer is one future (or thread). Storage is
 * the caller's (v_chan_storage_size bytes); nothing allocates. A full
 * channel answers SHOULD_WAIT and drops nothing. Signals: a send that
 * makes the channel non-empty, or the last sender closing, raises
 * `readable_bit` in the Task's own signal word; a receive that frees a slot
 * after a send was refused, or the receiver closing, raises
 * `writable_bit`. Either bit may be V_CHAN_NO_BIT (no signal). */

#define V_CHAN_NO_BIT 0xffu
#define V_CHAN_ITEM_SIZE_MAX 65536u
#define V_CHAN_CAPACITY_MAX 65536u

typedef struct v_chan_params {
    uint32_t item_size; /* 1..V_CHAN_ITEM_SIZE_MAX */
    uint32_t capacity;  /* 1..V_CHAN_CAPACITY_MAX items */
    uint32_t readable_bit; /* 0..63 or V_CHAN_NO_BIT */
    uint32_t writable_bit; /* 0..63 or V_CHAN_NO_BIT */
} v_chan_params;

typedef struct v_chan {
    uint8_t *slots;     /* capacity × item_size */
    uint32_t *lens;     /* capacity lengths */
    v_chan_params p;
    uint32_t head;      /* index of the oldest item */
    uint32_t count;     /* items queued */
    uint32_t senders;   /* open sender references (starts at 1) */
    bool receiver_open;
    bool send_refused;  /* a send saw the channel full since the last raise */
    uint32_t lock;      /* spin lock: producers may be other threads */
} v_chan;

/* Bytes of storage a channel with these dimensions needs. INVALID_ARGS for
 * dimensions outside their domain (*size untouched). */
v_status v_chan_storage_size(uint32_t item_size, uint32_t capacity,
                             size_t *size);

/* An open, empty channel with one sender reference and its receiver.
 * INVALID_ARGS: NULL pointers, bad dimensions or bits, storage smaller
 * than v_chan_storage_size or not 4-byte aligned. */
v_status v_chan_init(v_chan *c, const v_chan_params *p, void *storage,
                     size_t storage_size);

/* Queues one item of len bytes (0..item_size).
 * INVALID_ARGS: c NULL, data NULL with len > 0. PEER_CLOSED: the receiver
 * closed. BAD_STATE: no sender reference is open. LIMIT: len > item_size
 * (it could never fit). SHOULD_WAIT: full (wait for writable_bit). A
 * failed raise of the signal is returned as the substrate's status after
 * the item is queued (the item is not lost: a later drain sees it). */
v_status v_chan_send(v_chan *c, const void *data, uint32_t len);

/* Dequeues the oldest item into buf[cap]; *len gets its length.
 * INVALID_ARGS: NULL pointers (buf may be NULL with cap 0). BAD_STATE:
 * the receiver was closed. OUT_OF_RANGE: the item is longer than cap
 * (*len set, item stays queued). PEER_CLOSED: empty and every sender is
 * closed (queued items always come first). SHOULD_WAIT: empty. */
v_status v_chan_recv(v_chan *c, void *buf, uint32_t cap, uint32_t *len);

/* Another sender reference (a producer that will call sender_close).
 * INVALID_ARGS: c NULL; PEER_CLOSED: receiver closed; BAD_STATE: every
 * sender already closed (a closed channel is never reopened); LIMIT: 2^32-1
 * references. */
v_status v_chan_sender_open(v_chan *c);
/* Drops a sender reference; the last one wakes the receiver, which sees
 * PEER_CLOSED once the queue is empty. BAD_STATE: none open. */
v_status v_chan_sender_close(v_chan *c);
/* Closes the receiver: queued items are discarded (returned count in
 * *discarded, may be NULL), senders get PEER_CLOSED. BAD_STATE: already. */
v_status v_chan_receiver_close(v_chan *c, uint32_t *discarded);

/* Items queued now (a snapshot). */
uint32_t v_chan_count(v_chan *c);

/* ---- the executor --------------------------------------------------- */

typedef struct v_exec v_exec;
typedef struct v_future v_future;

typedef enum v_poll {
    V_POLL_PENDING = 0, /* not done: it awaited a bit or joined a future */
    V_POLL_DONE = 1,    /* finished: the executor forgets it */
} v_poll;

typedef v_poll (*v_future_fn)(v_exec *e, v_future *f);

/* A unit of work. The caller owns the memory (typically embedded in a
 * bigger struct); it must stay put while the executor holds it. */
struct v_future {
    v_future_fn poll;
    void *ctx;
    uint64_t await_bits; /* bits it waits for (set during its poll) */
    v_future *joiner;    /* woken when this future is done */
    v_future *next;      /* the executor's list */
    bool runnable;       /* polled in the next iteration regardless of bits */
    bool due;            /* chosen for polling in the current iteration */
    bool live;           /* held by an executor */
    bool awaited_future; /* PENDING on another future (v_exec_join) */
};

typedef struct v_exec_stats {
    uint64_t iterations; /* v_exec_run_once calls that waited */
    uint64_t waits;      /* vx_wait calls: always equal to iterations */
    uint64_t polls;      /* future polls */
    uint64_t timeouts;   /* waits that ended by their deadline */
} v_exec_stats;

struct v_exec {
    uint64_t usable;    /* bits the executor may hand out */
    uint64_t allocated; /* bits handed out (including kick_bit) */
    uint64_t bound;     /* of those, bits bound to object conditions */
    uint32_t kick_bit;  /* the executor's own bit: never 0 mask */
    uint32_t live;      /* futures held */
    uint32_t runnable;  /* futures marked runnable */
    v_future *head;
    v_exec_stats stats;
};

/* An executor that will hand out only bits of `usable` (the rest of the
 * signal word stays the program's). It takes the lowest usable bit as its
 * own kick bit. INVALID_ARGS: e NULL or usable 0. */
v_status v_exec_init(v_exec *e, uint64_t usable);

/* Gives back every bit (unbinding bound ones). BAD_STATE if futures are
 * still live (nothing changed). */
v_status v_exec_fini(v_exec *e);

/* A free bit for raised signals (e.g. a channel's readable_bit).
 * INVALID_ARGS: NULL; LIMIT: no usable bit is free. */
v_status v_exec_bit_alloc(v_exec *e, uint32_t *bit);
/* Binds a new bit to `conditions` on h (vx_signal_bind): the bit is pending
 * while one holds. Substrate errors are returned as they are. */
v_status v_exec_bind_handle(v_exec *e, vx_handle h, vx_conditions conditions,
                            uint32_t *bit);
/* Returns a bit (unbinding it if bound). INVALID_ARGS: not a bit handed
 * out by this executor (or the kick bit). */
v_status v_exec_bit_free(v_exec *e, uint32_t bit);

/* Adds f, runnable in the next iteration. INVALID_ARGS: NULL e/f/fn;
 * BAD_STATE: f is already live. */
v_status v_exec_spawn(v_exec *e, v_future *f, v_future_fn fn, void *ctx);

/* From inside f's poll: poll f again when `bit` is pending. May be called
 * for several bits. INVALID_ARGS: bit not handed out by this executor. */
v_status v_exec_await(v_exec *e, v_future *f, uint32_t bit);

/* From inside waiter's poll: poll waiter again when `target` is done.
 * INVALID_ARGS: NULL, the same future, target not live in e; BAD_STATE:
 * target already has a joiner. */
v_status v_exec_join(v_exec *e, v_future *waiter, v_future *target);

/* Marks f runnable (same thread as the executor). The next iteration's
 * vx_wait is then a poll. INVALID_ARGS: f not live. */
v_status v_exec_wake(v_exec *e, v_future *f);

/* One iteration: exactly one vx_wait on the union of awaited bits (plus
 * the kick bit), with `deadline` — or a past deadline when a future is
 * runnable — then every future that is runnable or awaits a returned bit
 * is polled once. Futures woken during the drain run in the next
 * iteration. Returns V_OK (also when the deadline passed: see stats),
 * BAD_STATE if nothing is live or a future returned PENDING without
 * awaiting anything (that future is dropped, not spun), or the
 * substrate's status if vx_wait failed (nothing polled). */
v_status v_exec_run_once(v_exec *e, vx_time deadline);

/* Iterates until no future is live (V_OK) or `deadline` passes with some
 * still live (TIMED_OUT); other errors as v_exec_run_once. */
v_status v_exec_run(v_exec *e, vx_time deadline);

/* Raises the kick bit from any thread of the Task: the executor's current
 * or next wait returns. */
v_status v_exec_kick(const v_exec *e);

/* ---- timers as futures ---------------------------------------------- */

/* A future that completes when the monotonic clock reaches `deadline`: a
 * substrate Timer bound to a bit of the executor. Join it, or await
 * v_sleep.bit and test v_sleep_fired. */
typedef struct v_sleep {
    v_future f;
    vx_timer timer;
    uint32_t bit;
    vx_time deadline;
    bool fired;
} v_sleep;

/* Creates the Timer, binds it and spawns the future. On failure nothing is
 * left behind. */
v_status v_sleep_start(v_exec *e, v_sleep *s, vx_time deadline);
/* Whether the deadline has been seen to pass. */
bool v_sleep_fired(const v_sleep *s);
/* Releases the Timer and bit. If the future is still live it is removed
 * first (a cancelled sleep never completes; its joiner is woken). */
v_status v_sleep_fini(v_exec *e, v_sleep *s);

/* Removes a live future without completing it; its joiner is woken.
 * INVALID_ARGS: not live in e. */
v_status v_exec_cancel(v_exec *e, v_future *f);

#endif
