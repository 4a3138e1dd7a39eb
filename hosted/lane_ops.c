/* hosted/lane_ops.c — the two ends of a lane (hosted/lane.h). Linked both
 * into the core (the root Task's own sends and receives) and into the
 * client library of spawned Tasks.
 *
 * Each end trusts only its private position and the control page. What the
 * other end published is checked before use: a count of pending messages
 * above slot_count, or a length above slot_size, is a malformed lane, and
 * the call goes to the core (LANE_BROKER), which seals the lane, finds it
 * malformed and breaks the Ring (PEER_CLOSED for both ends). */
#define _GNU_SOURCE
#include "lane.h"

#include <sched.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* A batch at least this long, going to a consumer on another CPU, is
 * copied with non-temporal stores (below). */
#define LANE_STREAM_MIN 16u

/* Whether the consumer last said it runs on a CPU other than this one.
 * The word is a hint the consumer writes (lane_get); garbage there only
 * changes how this producer copies its own messages. */
static bool consumer_elsewhere(const lane_view *v)
{
    uint32_t cpu = __atomic_load_n(lane_word(v->shared, LANE_CPU_OFF),
                                   __ATOMIC_RELAXED);
    int here = sched_getcpu();
    return cpu != 0 && here >= 0 && cpu != (uint32_t)here + 1u;
}

/* Copies a message into its slot (64-byte aligned) with non-temporal
 * stores for its whole 64-byte lines. Why: the consumer read these lines
 * one lap ago, so on another CPU they sit in its cache, and an ordinary
 * store must first take each line back from there (a round trip between
 * CPUs per message, its cost set by where the host puts the two CPUs).
 * A streaming store writes the whole line without asking for it. On one
 * CPU the lines are at hand, and streaming would only push them out of
 * the cache the consumer reads from: lane_put streams only when the
 * consumer is elsewhere. */
static void copy_streaming(uint8_t *dst, const void *src, uint32_t len)
{
    uint32_t whole = 0;
#if defined(__SSE2__)
    const uint8_t *s = src;
    for (; whole + 64u <= len; whole += 64u) {
        const void *in = s + whole;
        void *out = dst + whole;
        __m128i a = _mm_loadu_si128((const __m128i *)in);
        __m128i b = _mm_loadu_si128((const __m128i *)in + 1);
        __m128i c = _mm_loadu_si128((const __m128i *)in + 2);
        __m128i d = _mm_loadu_si128((const __m128i *)in + 3);
        _mm_stream_si128((__m128i *)out, a);
        _mm_stream_si128((__m128i *)out + 1, b);
        _mm_stream_si128((__m128i *)out + 2, c);
        _mm_stream_si128((__m128i *)out + 3, d);
    }
#endif
    if (len > whole)
        memcpy(dst + whole, (const uint8_t *)src + whole, len - whole);
}

/* Streaming stores are not ordered with the release store of the tail
 * that publishes them: fence them first. */
static void streaming_done(void)
{
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

/* The consumer tells its producers which CPU it runs on (a hint, written
 * only when it changes). */
static void say_cpu(lane_view *v)
{
    int here = sched_getcpu();
    uint32_t cpu = here >= 0 ? (uint32_t)here + 1u : 0;
    if (cpu != v->cpu) {
        __atomic_store_n(lane_word(v->shared, LANE_CPU_OFF), cpu,
                         __ATOMIC_RELAXED);
        v->cpu = cpu;
    }
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
    uint8_t *slots = v->shared + lane_slots_offset(v->slot_count);
    uint32_t *lens = lane_word(v->shared, LANE_LENS_OFF);
    bool stream = n >= LANE_STREAM_MIN && v->slot_size % 64u == 0 &&
                  consumer_elsewhere(v);
    for (size_t i = 0; i < n; i++) {
        uint32_t index = (v->pos + (uint32_t)i) & mask;
        uint8_t *slot = slots + (size_t)index * v->slot_size;
        if (stream)
            copy_streaming(slot, msgs[i].data, msgs[i].len);
        else if (msgs[i].len > 0)
            memcpy(slot, msgs[i].data, msgs[i].len);
        __atomic_store_n(&lens[index], msgs[i].len, __ATOMIC_RELAXED);
        if (v->credit != NULL)
            __atomic_store_n(slot_stamp(v, index), stamp, __ATOMIC_RELAXED);
    }
    uint32_t tail = v->pos + (uint32_t)n;
    if (stream)
        streaming_done();
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
    say_cpu(v);
    uint32_t tail = __atomic_load_n(lane_word(v->shared, LANE_TAIL_OFF),
                                    __ATOMIC_ACQUIRE);
    uint32_t avail = tail - v->pos;
    if (avail > v->slot_count)
        return LANE_BROKER; /* the producer published nonsense */
    if (avail == 0)
        return LANE_WAIT;
    uint32_t mask = v->slot_count - 1;
    uint64_t badge = v->ctl->badge;
    const uint8_t *slots = v->shared + lane_slots_offset(v->slot_count);
    const uint32_t *lens = lane_word(v->shared, LANE_LENS_OFF);
    size_t n = 0;
    while (n < count && n < avail) {
        uint32_t index = (v->pos + (uint32_t)n) & mask;
        /* Read once: the producer may change it under us. */
        uint32_t len = __atomic_load_n(&lens[index], __ATOMIC_RELAXED);
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
            memcpy(m->buf, slots + (size_t)index * v->slot_size, len);
        m->len = len;
        m->handle_count = 0;
        m->flags = 0;
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
