/* hosted/lane_ops.c — the two ends of a lane (hosted/lane.h). Linked both
 * into the core (the root Task's own sends and receives) and into the
 * client library of spawned Tasks.
 *
 * Each end trusts only its private position and the control page. What the
 * other end published is checked before use: a count of pending messages
 * above slot_count, or a length above slot_size, is a malformed lane, and
 * the call goes to the core (LANE_BROKER), which seals the lane, finds it
 * malformed and breaks the Ring (PEER_CLOSED for both ends). */
#include "lane.h"

#include <string.h>

size_t lane_stamps_offset(uint32_t slot_count)
{
    return (LANE_LENS_OFF + (size_t)slot_count * 4u + 7u) & ~(size_t)7u;
}

size_t lane_slots_offset(uint32_t slot_count)
{
    return (lane_stamps_offset(slot_count) + (size_t)slot_count * 8u + 63u) &
           ~(size_t)63u;
}

size_t lane_shared_size(uint32_t slot_size, uint32_t slot_count)
{
    size_t total = lane_slots_offset(slot_count) + (size_t)slot_size * slot_count;
    return (total + 4095u) & ~(size_t)4095u;
}

static uint8_t *slot_data(const lane_view *v, uint32_t index)
{
    return v->shared + lane_slots_offset(v->slot_count) +
           (size_t)index * v->slot_size;
}

static uint32_t *slot_len(const lane_view *v, uint32_t index)
{
    return lane_word(v->shared, LANE_LENS_OFF + index * 4u);
}

static uint64_t *slot_stamp(const lane_view *v, uint32_t index)
{
    return (uint64_t *)(void *)(v->shared + lane_stamps_offset(v->slot_count) +
                                (size_t)index * 8u);
}

/* Reserves up to `want` slots of the Ring on the credit page; 0: full.
 * UINT32_MAX: the page holds nonsense. */
static uint32_t credit_take(lane_view *v, uint32_t want)
{
    uint32_t r = __atomic_load_n(v->credit, __ATOMIC_ACQUIRE);
    for (;;) {
        if (r > v->slot_count)
            return UINT32_MAX;
        uint32_t k = v->slot_count - r < want ? v->slot_count - r : want;
        if (k == 0)
            return 0;
        if (__atomic_compare_exchange_n(v->credit, &r, r + k, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return k;
    }
}

/* After publishing `pos` while the core may be sealing: whether the core
 * took this position (then the move counts) or the one before (then it
 * did not happen, and the caller redoes it through the broker). */
static bool survived_seal(lane_view *v, bool producer, uint32_t pos)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&v->ctl->seal_request, __ATOMIC_SEQ_CST) == 0)
        return true;
    /* The core seals under its lock, without waiting for any Task: this
     * loop is short. */
    while (__atomic_load_n(&v->ctl->sealed, __ATOMIC_ACQUIRE) == 0)
        __builtin_ia32_pause();
    v->dead = true;
    uint32_t took = producer ? v->ctl->sealed_tail : v->ctl->sealed_head;
    return took == pos;
}

enum lane_result lane_put(lane_view *v, const vx_msg_out *msgs, size_t count,
                          uint64_t stamp, size_t *done, bool *ring)
{
    *ring = false;
    if (v->dead || __atomic_load_n(&v->ctl->seal_request, __ATOMIC_ACQUIRE)) {
        v->dead = true;
        return LANE_BROKER;
    }
    uint32_t head = __atomic_load_n(lane_word(v->shared, LANE_HEAD_OFF),
                                    __ATOMIC_ACQUIRE);
    uint32_t used = v->pos - head;
    if (used > v->slot_count)
        return LANE_BROKER; /* the consumer published nonsense */
    uint32_t room = v->slot_count - used;
    if (room == 0)
        return LANE_WAIT;
    size_t n = count < room ? count : room;
    if (v->credit != NULL) {
        /* The Ring's room, shared with the other producers. A
         * reservation lost to a seal goes with the page. */
        uint32_t k = credit_take(v, (uint32_t)n);
        if (k == UINT32_MAX)
            return LANE_BROKER;
        if (k == 0)
            return LANE_WAIT;
        n = k;
    }
    uint32_t mask = v->slot_count - 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t index = (v->pos + (uint32_t)i) & mask;
        if (msgs[i].len > 0)
            memcpy(slot_data(v, index), msgs[i].data, msgs[i].len);
        __atomic_store_n(slot_len(v, index), msgs[i].len, __ATOMIC_RELAXED);
        if (v->credit != NULL)
            __atomic_store_n(slot_stamp(v, index), stamp, __ATOMIC_RELAXED);
    }
    uint32_t tail = v->pos + (uint32_t)n;
    __atomic_store_n(lane_word(v->shared, LANE_TAIL_OFF), tail,
                     __ATOMIC_RELEASE);
    if (!survived_seal(v, true, tail))
        return LANE_BROKER;
    v->pos = tail;
    *done = n;
    *ring = __atomic_load_n(&v->ctl->rx_sleepers, __ATOMIC_SEQ_CST) != 0;
    return LANE_DONE;
}

enum lane_result lane_get(lane_view *v, vx_msg_in *msgs, size_t count,
                          size_t *done, bool *ring)
{
    *ring = false;
    if (v->dead || __atomic_load_n(&v->ctl->seal_request, __ATOMIC_ACQUIRE)) {
        v->dead = true;
        return LANE_BROKER;
    }
    uint32_t tail = __atomic_load_n(lane_word(v->shared, LANE_TAIL_OFF),
                                    __ATOMIC_ACQUIRE);
    uint32_t avail = tail - v->pos;
    if (avail > v->slot_count)
        return LANE_BROKER; /* the producer published nonsense */
    if (avail == 0)
        return LANE_WAIT;
    uint32_t mask = v->slot_count - 1;
    uint64_t badge = v->ctl->badge;
    size_t n = 0;
    while (n < count && n < avail) {
        uint32_t index = (v->pos + (uint32_t)n) & mask;
        /* Read once: the producer may change it under us. */
        uint32_t len = __atomic_load_n(slot_len(v, index), __ATOMIC_RELAXED);
        if (len > v->slot_size) {
            if (n == 0)
                return LANE_BROKER;
            break; /* deliver what came before; the next call reports it */
        }
        vx_msg_in *m = &msgs[n];
        if (len > m->cap) {
            if (n == 0) {
                m->len = len;
                return LANE_RANGE;
            }
            break;
        }
        if (len > 0)
            memcpy(m->buf, slot_data(v, index), len);
        m->len = len;
        m->handle_count = 0;
        m->reserved = 0;
        m->badge = badge;
        for (uint32_t j = 0; j < VX_MSG_HANDLES_MAX; j++)
            m->handles[j] = VX_HANDLE_INVALID;
        n++;
    }
    uint32_t head = v->pos + (uint32_t)n;
    __atomic_store_n(lane_word(v->shared, LANE_HEAD_OFF), head,
                     __ATOMIC_RELEASE);
    if (!survived_seal(v, false, head))
        return LANE_BROKER;
    v->pos = head;
    *done = n;
    *ring = __atomic_load_n(&v->ctl->tx_sleepers, __ATOMIC_SEQ_CST) != 0;
    return LANE_DONE;
}

/* The stamp of lane v's oldest pending message; false if none (or the
 * lane cannot be used: *bad). */
static bool head_stamp(const lane_view *v, uint64_t *stamp, bool *bad)
{
    if (v->dead || __atomic_load_n(&v->ctl->seal_request, __ATOMIC_ACQUIRE)) {
        *bad = true;
        return false;
    }
    uint32_t tail = __atomic_load_n(lane_word(v->shared, LANE_TAIL_OFF),
                                    __ATOMIC_ACQUIRE);
    uint32_t avail = tail - v->pos;
    if (avail > v->slot_count) {
        *bad = true;
        return false;
    }
    if (avail == 0)
        return false;
    *stamp = __atomic_load_n(slot_stamp(v, v->pos & (v->slot_count - 1)),
                             __ATOMIC_RELAXED);
    return true;
}

enum lane_result lane_get_all(lane_view *views, uint32_t n, vx_msg_in *msgs,
                              size_t count, size_t *done, bool *ring)
{
    if (n == 1)
        return lane_get(&views[0], msgs, count, done, ring);
    *ring = false;
    size_t got = 0;
    enum lane_result first = LANE_WAIT;
    while (got < count) {
        /* The lane whose head is oldest (ties: the lower index), and the
         * oldest head of the others: take from it up to that stamp. */
        uint32_t best = n;
        uint64_t best_stamp = 0, other = UINT64_MAX;
        bool bad = false;
        for (uint32_t i = 0; i < n && !bad; i++) {
            uint64_t st;
            if (!head_stamp(&views[i], &st, &bad))
                continue;
            if (best == n || st < best_stamp) {
                if (best != n && best_stamp < other)
                    other = best_stamp;
                best = i;
                best_stamp = st;
            } else if (st < other) {
                other = st;
            }
        }
        if (bad) {
            first = LANE_BROKER;
            break;
        }
        if (best == n)
            break; /* empty */
        lane_view *v = &views[best];
        uint32_t mask = v->slot_count - 1;
        uint32_t tail = __atomic_load_n(lane_word(v->shared, LANE_TAIL_OFF),
                                        __ATOMIC_ACQUIRE);
        size_t run = 1; /* the head itself, whatever its stamp now */
        while (got + run < count && run < tail - v->pos &&
               __atomic_load_n(slot_stamp(v, (v->pos + (uint32_t)run) & mask),
                               __ATOMIC_RELAXED) <= other)
            run++;
        size_t k = 0;
        bool r = false;
        enum lane_result res = lane_get(v, msgs + got, run, &k, &r);
        if (res != LANE_DONE) {
            first = res;
            break;
        }
        __atomic_sub_fetch(v->credit, (uint32_t)k, __ATOMIC_ACQ_REL);
        *ring |= r;
        got += k;
    }
    if (got == 0)
        return first;
    /* A producer that found the credit spent counts itself as a sleeper,
     * then reads the credit; the credit came back above, so look at the
     * count again now (lane_get looked before the credit came back). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *ring |= __atomic_load_n(&views[0].ctl->tx_sleepers, __ATOMIC_SEQ_CST) != 0;
    *done = got;
    return LANE_DONE;
}
