/* hosted/lane.h — the Ring fast path: lanes (docs/substrate.md §11).
 *
 * While a Ring has one RX handle and a few TX handles (up to
 * LANE_PRODUCERS_MAX), all in Task tables, its queue lives in shared
 * memory: one lane per TX handle, a single-producer single-consumer queue
 * from the holder of that TX to the holder of the RX, so producers and
 * the consumer exchange handle-free messages without a system call. The
 * consumer drains all of them. A lane is two memfds:
 *
 * - the shared area, writable by both ends: the producer's published tail,
 *   the consumer's published head, the consumer's CPU (a hint: how the
 *   producer should copy, lane_ops.c), a length per slot and the slots'
 *   bytes.
 *   Either end (or a hostile Task holding one end) can write anything here,
 *   so nothing read from it is trusted: each end keeps its own position
 *   privately and checks every index and length the other wrote.
 * - the control page, written only by the core (Tasks get a read-only
 *   descriptor): the badge stamped on every message, how many threads
 *   sleep on each side (so the other side rings the doorbell only for a
 *   sleeper) and the seal.
 *
 * With more than one producer, two more things are shared:
 * - a stamp per message (CLOCK_MONOTONIC, strictly increasing per Task),
 *   which the consumer uses to take the lanes' messages in send order:
 *   the oldest head first. A producer can only misstate its own stamps,
 *   which moves its own messages among the others', nothing more.
 * - the credit page (one memfd per Ring, writable by every end): how many
 *   slots of the Ring are taken. A producer reserves slots there before
 *   it fills them, the consumer gives them back, so the Ring holds at most
 *   slot_count messages in all its lanes, as §6 requires. A value above
 *   slot_count is malformed; any other garbage only makes the Ring look
 *   fuller or emptier to its own producers (each lane still holds at most
 *   slot_count).
 *
 * Sealing is how the core takes the queue back (on any dup, move or close
 * of the Ring's handles, a message with handles, or a malformed lane): it
 * raises seal_request, reads both positions, copies the pending messages
 * into its own queue and sets sealed. An end that published a position
 * concurrently learns from sealed_head/sealed_tail whether the core saw
 * it (a store-fence-load pair on each side, so one of them always sees
 * the other); if not, it redoes the call through the broker. */
#ifndef HOSTED_LANE_H
#define HOSTED_LANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vx/vx.h>

/* The control page (4096 bytes, core-written). */
typedef struct lane_ctl {
    uint64_t serial;       /* names this lane; never reused */
    uint64_t badge;        /* of the Ring's one TX handle */
    uint32_t slot_size, slot_count;
    uint32_t seal_request; /* the core is sealing: take the broker path */
    uint32_t sealed;       /* sealed_head/tail are final */
    uint32_t sealed_head, sealed_tail; /* the positions the core took */
    uint32_t rx_sleepers;  /* threads in vx_wait for READABLE */
    uint32_t tx_sleepers;  /* threads in vx_wait for WRITABLE */
    uint32_t producers;    /* lanes of the Ring (1: no stamps, no credit) */
    uint32_t index;        /* this lane's, 0..producers-1 */
} lane_ctl;

/* At most this many TX handles get a lane each; a Ring with more goes
 * through the core. */
#define LANE_PRODUCERS_MAX 8u

#define LANE_CTL_SIZE 4096u
/* Shared area: tail at 0, head at 64, the consumer's CPU (+1; 0: not
 * known) at 128 (own cache lines), lengths at 192, then the stamps (8
 * bytes per slot), then the slots. */
#define LANE_TAIL_OFF 0u
#define LANE_HEAD_OFF 64u
#define LANE_CPU_OFF 128u
#define LANE_LENS_OFF 192u

/* Where the stamps and the slots start in the shared area. */
size_t lane_stamps_offset(uint32_t slot_count);
size_t lane_slots_offset(uint32_t slot_count);
/* Bytes of the shared area for these parameters (whole pages). */
size_t lane_shared_size(uint32_t slot_size, uint32_t slot_count);

/* One end's view of a lane: where it is mapped and its private position. */
typedef struct lane_view {
    uint8_t *shared;
    const lane_ctl *ctl;
    uint32_t slot_size, slot_count;
    uint32_t pos; /* producer: its tail; consumer: its head */
    bool dead;    /* sealed: drop the view, use the broker */
    uint32_t *credit; /* the credit word; NULL with one producer */
    uint32_t cpu; /* consumer: the CPU hint it last wrote */
} lane_view;

enum lane_result {
    LANE_DONE,   /* *done messages moved */
    LANE_WAIT,   /* full (send) or empty (recv): SHOULD_WAIT */
    LANE_RANGE,  /* recv: the first message is longer than its buffer */
    LANE_BROKER, /* sealed, sealing or malformed: redo through the core */
};

/* Producer: queues min(count, free) handle-free messages (the caller
 * checked them), stamped `stamp` when the Ring has several producers.
 * *ring: the consumer sleeps, ring the doorbell. */
enum lane_result lane_put(lane_view *v, const vx_msg_out *msgs, size_t count,
                          uint64_t stamp, size_t *done, bool *ring);
/* Consumer: dequeues up to count messages into msgs (the caller checked
 * buf/cap). On LANE_RANGE msgs[0].len is the message's length. *ring: a
 * producer sleeps, ring the doorbell. */
enum lane_result lane_get(lane_view *v, vx_msg_in *msgs, size_t count,
                          size_t *done, bool *ring);
/* Consumer of all `n` lanes of a Ring (views[i] is lane i): the oldest
 * head first, by stamp. Returns LANE_DONE with what it moved before it met
 * a seal or a problem (the next call reports that), or the first lane's
 * result if it moved nothing. */
enum lane_result lane_get_all(lane_view *views, uint32_t n, vx_msg_in *msgs,
                              size_t count, size_t *done, bool *ring);

/* The shared words, read and written atomically. */
static inline uint32_t *lane_word(uint8_t *shared, uint32_t off)
{
    return (uint32_t *)(void *)(shared + off);
}

#endif
