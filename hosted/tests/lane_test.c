/* The two ends of one lane (hosted/lane_ops.c) driven directly, without
 * processes: the copy paths a producer picks. A batch of 16 or more goes
 * to a consumer that says it runs on another CPU with non-temporal stores
 * for whole 64-byte lines and memcpy for the rest; scheduling decides
 * that in the benchmarks, so here the consumer's CPU word is written by
 * hand to reach every path under ASan and UBSan: whole lines, a tail
 * shorter than a line, empty messages, wrapping around the slots, and a
 * hint that is garbage. Every message must arrive intact and in order. */
#define _GNU_SOURCE
#include <v/test.h>

#include "../lane.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64u
#define MSG_MAX 200u

typedef struct lane_pair {
    uint8_t *shared;
    lane_ctl *ctl;
    lane_view tx, rx;
} lane_pair;

static bool pair_open(lane_pair *p, uint32_t slot_size)
{
    size_t size = lane_shared_size(slot_size, SLOTS);
    /* Page-aligned like the memfd mapping, so slots are 64-byte aligned. */
    p->shared = aligned_alloc(4096, size);
    p->ctl = calloc(1, sizeof *p->ctl);
    if (p->shared == NULL || p->ctl == NULL)
        return false;
    memset(p->shared, 0, size);
    p->ctl->slot_size = slot_size;
    p->ctl->slot_count = SLOTS;
    p->ctl->producers = 1;
    lane_view v = {p->shared, p->ctl, slot_size, SLOTS, 0, false, NULL, 0};
    p->tx = v;
    p->rx = v;
    return true;
}

static void pair_close(lane_pair *p)
{
    free(p->shared);
    free(p->ctl);
}

/* Message i of a run: its length and its bytes. */
static uint32_t msg_len(uint32_t i, uint32_t slot_size)
{
    static const uint32_t lens[] = {64, 0, 128, 1, 63, 65, 127, 200, 64, 17};
    uint32_t len = lens[i % (sizeof lens / sizeof lens[0])];
    return len <= slot_size ? len : slot_size;
}

static void msg_fill(uint8_t *b, uint32_t i, uint32_t len)
{
    for (uint32_t k = 0; k < len; k++)
        b[k] = (uint8_t)(i * 31u + k * 7u + 1u);
}

/* Sends `total` messages in batches of `batch` through p (the consumer's
 * CPU word set to `hint` before each batch) and receives them, checking
 * each; the lane wraps many times. */
static void run(v_test_ctx *v_t, uint32_t slot_size, uint32_t hint,
                size_t batch)
{
    lane_pair p;
    V_ASSERT(pair_open(&p, slot_size));
    static uint8_t out[SLOTS][MSG_MAX], in[SLOTS][MSG_MAX];
    vx_msg_out o[SLOTS];
    vx_msg_in r[SLOTS];
    uint32_t sent = 0, got = 0, total = 5 * SLOTS + 7;
    while (got < total) {
        size_t want = batch < total - sent ? batch : total - sent;
        for (size_t k = 0; k < want; k++) {
            uint32_t len = msg_len(sent + (uint32_t)k, slot_size);
            msg_fill(out[k], sent + (uint32_t)k, len);
            o[k] = (vx_msg_out){out[k], len, 0, {{0}}};
        }
        size_t done = 0;
        bool ring = false;
        __atomic_store_n(lane_word(p.shared, LANE_CPU_OFF), hint,
                         __ATOMIC_RELAXED);
        if (want > 0) {
            enum lane_result res = lane_put(&p.tx, o, want, 0, &done, &ring);
            V_ASSERT(res == LANE_DONE || res == LANE_WAIT);
            sent += res == LANE_DONE ? (uint32_t)done : 0;
        }
        for (size_t k = 0; k < SLOTS; k++)
            r[k] = (vx_msg_in){in[k], MSG_MAX, 0, 0, 0, 0, {{0}}};
        done = 0;
        enum lane_result res = lane_get(&p.rx, r, SLOTS, &done, &ring);
        V_ASSERT(res == LANE_DONE || (res == LANE_WAIT && sent == got));
        for (size_t k = 0; res == LANE_DONE && k < done; k++, got++) {
            uint8_t want_bytes[MSG_MAX];
            uint32_t len = msg_len(got, slot_size);
            msg_fill(want_bytes, got, len);
            V_ASSERT_EQ(r[k].len, len);
            V_EXPECT_MEM_EQ(in[k], want_bytes, len);
        }
    }
    V_EXPECT_EQ(got, total);
    pair_close(&p);
}

/* The CPU word for "elsewhere": never this CPU plus one (nor 0). */
static uint32_t other_cpu(void)
{
    int here = sched_getcpu();
    return here >= 0 ? (uint32_t)here + 2u : 1u;
}

V_TEST(hosted, lane_streams_batches_to_another_cpu_intact)
{
    /* Batches of 32 and 64: streamed, whole lines and partial ones. */
    run(v_t, 128, other_cpu(), 32);
    run(v_t, 192, other_cpu(), 64);
    run(v_t, 64, other_cpu(), 64);
}

V_TEST(hosted, lane_copies_plainly_when_streaming_does_not_fit)
{
    int here = sched_getcpu();
    uint32_t same = here >= 0 ? (uint32_t)here + 1u : 0u;
    run(v_t, 128, same, 64);          /* the consumer shares this CPU */
    run(v_t, 128, 0, 64);             /* it has not said */
    run(v_t, 128, other_cpu(), 15);   /* a batch below 16 */
    run(v_t, 100, other_cpu(), 64);   /* slots not whole lines */
    run(v_t, 128, 0xdeadbeefu, 64);   /* garbage: only the copy changes */
}

V_TEST(hosted, lane_consumer_says_its_cpu_once_it_receives)
{
    lane_pair p;
    V_ASSERT(pair_open(&p, 64));
    uint8_t b[64];
    vx_msg_in r = {b, sizeof b, 0, 0, 0, 0, {{0}}};
    size_t done = 0;
    bool ring = false;
    V_EXPECT_EQ(lane_get(&p.rx, &r, 1, &done, &ring), LANE_WAIT);
    int here = sched_getcpu();
    uint32_t said = *lane_word(p.shared, LANE_CPU_OFF);
    /* Said before it found the lane empty (the thread may have moved
     * since: then a later CPU, never 0 when the CPU is known). */
    if (here >= 0)
        V_EXPECT_NE(said, 0u);
    pair_close(&p);
}
