/* The mpsc channel: dimensions, order, bounded capacity, sizes, closing,
 * the signals it raises, and producers on other threads. */
#include <v/concurrent.h>
#include <v/test.h>
#include <vx/vx.h>

#define RBIT 40u
#define WBIT 41u

/* The bits of mask pending right now (a wait with a past deadline). The
 * raised ones are cleared by the wait. */
static uint64_t poll_bits(uint64_t mask)
{
    uint64_t p = 0;
    if (vx_wait(mask, 0, &p) != VX_OK)
        return 0;
    return p;
}

typedef struct chan_box {
    v_chan c;
    _Alignas(8) uint8_t storage[16 * (4 + 64)];
} chan_box;

static v_status open_chan(chan_box *b, uint32_t item, uint32_t cap)
{
    v_chan_params p = {item, cap, RBIT, WBIT};
    (void)poll_bits((UINT64_C(1) << RBIT) | (UINT64_C(1) << WBIT));
    return v_chan_init(&b->c, &p, b->storage, sizeof b->storage);
}

V_TEST(concurrent, chan_storage_size_checks_its_domain)
{
    size_t n = 7;
    V_EXPECT_OK(v_chan_storage_size(8, 4, &n));
    V_EXPECT_EQ(n, 4u * 4u + 4u * 8u);
    V_EXPECT_OK(v_chan_storage_size(V_CHAN_ITEM_SIZE_MAX, V_CHAN_CAPACITY_MAX,
                                    &n));
    V_EXPECT_EQ(n, (size_t)V_CHAN_CAPACITY_MAX * (4u + V_CHAN_ITEM_SIZE_MAX));
    n = 7;
    V_EXPECT_STATUS(v_chan_storage_size(0, 4, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_storage_size(8, 0, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_storage_size(V_CHAN_ITEM_SIZE_MAX + 1, 4, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_storage_size(8, V_CHAN_CAPACITY_MAX + 1, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_storage_size(8, 4, NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(n, 7u);
}

V_TEST(concurrent, chan_init_rejects_bad_arguments)
{
    chan_box b;
    v_chan_params p = {8, 4, RBIT, WBIT};
    V_EXPECT_STATUS(v_chan_init(NULL, &p, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_init(&b.c, NULL, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_init(&b.c, &p, NULL, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_init(&b.c, &p, b.storage + 1, 64),
                    V_ERR_INVALID_ARGS); /* misaligned */
    V_EXPECT_STATUS(v_chan_init(&b.c, &p, b.storage, 4 * 4 + 4 * 8 - 1),
                    V_ERR_INVALID_ARGS); /* one byte short */
    V_EXPECT_OK(v_chan_init(&b.c, &p, b.storage, 4 * 4 + 4 * 8));
    v_chan_params q = p;
    q.readable_bit = 64;
    V_EXPECT_STATUS(v_chan_init(&b.c, &q, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    q = p;
    q.writable_bit = 100;
    V_EXPECT_STATUS(v_chan_init(&b.c, &q, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    q = p;
    q.item_size = 0;
    V_EXPECT_STATUS(v_chan_init(&b.c, &q, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    q = p;
    q.capacity = 0;
    V_EXPECT_STATUS(v_chan_init(&b.c, &q, b.storage, sizeof b.storage),
                    V_ERR_INVALID_ARGS);
    q.readable_bit = q.writable_bit = V_CHAN_NO_BIT;
    q.capacity = 1;
    V_EXPECT_OK(v_chan_init(&b.c, &q, b.storage, sizeof b.storage));
}

V_TEST(concurrent, chan_keeps_order_and_bounds_capacity)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 4));
    uint32_t len = 99;
    uint8_t buf[8];
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, sizeof buf, &len),
                    V_ERR_SHOULD_WAIT);
    V_EXPECT_EQ(len, 99u);
    /* Three rounds wrap the ring buffer around several times. */
    uint32_t next_in = 0, next_out = 0;
    for (int round = 0; round < 3; round++) {
        while (v_chan_count(&b.c) < 4) {
            V_ASSERT_OK(v_chan_send(&b.c, &next_in, 4));
            next_in++;
        }
        V_EXPECT_STATUS(v_chan_send(&b.c, &next_in, 4), V_ERR_SHOULD_WAIT);
        V_EXPECT_EQ(v_chan_count(&b.c), 4u); /* nothing dropped */
        for (int k = 0; k < 3; k++) {
            uint32_t v = 0;
            V_ASSERT_OK(v_chan_recv(&b.c, &v, sizeof v, &len));
            V_EXPECT_EQ(len, 4u);
            V_EXPECT_EQ(v, next_out);
            next_out++;
        }
    }
    while (v_chan_count(&b.c) > 0) {
        uint32_t v = 0;
        V_ASSERT_OK(v_chan_recv(&b.c, &v, sizeof v, &len));
        V_EXPECT_EQ(v, next_out);
        next_out++;
    }
    V_EXPECT_EQ(next_out, next_in);
    (void)poll_bits((UINT64_C(1) << RBIT) | (UINT64_C(1) << WBIT));
}

V_TEST(concurrent, chan_item_sizes_and_short_buffers)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 4));
    uint8_t big[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    V_EXPECT_STATUS(v_chan_send(&b.c, big, 9), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_chan_send(&b.c, NULL, 1), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_send(NULL, big, 1), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(v_chan_count(&b.c), 0u);
    V_EXPECT_OK(v_chan_send(&b.c, NULL, 0)); /* an empty item is an item */
    V_EXPECT_OK(v_chan_send(&b.c, big, 8));
    uint32_t len = 0;
    V_EXPECT_OK(v_chan_recv(&b.c, NULL, 0, &len));
    V_EXPECT_EQ(len, 0u);
    uint8_t buf[8] = {0};
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, 7, &len), V_ERR_OUT_OF_RANGE);
    V_EXPECT_EQ(len, 8u); /* its length, and it stays queued */
    V_EXPECT_EQ(v_chan_count(&b.c), 1u);
    V_EXPECT_STATUS(v_chan_recv(&b.c, NULL, 8, &len), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, 8, NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_recv(NULL, buf, 8, &len), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_MEM_EQ(buf, big, 8);
    V_EXPECT_EQ(v_chan_count(NULL), 0u);
    (void)poll_bits((UINT64_C(1) << RBIT) | (UINT64_C(1) << WBIT));
}

V_TEST(concurrent, chan_raises_readable_once_per_burst)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 4));
    uint64_t r = UINT64_C(1) << RBIT, w = UINT64_C(1) << WBIT;
    V_EXPECT_EQ(poll_bits(r | w), 0u);
    V_EXPECT_OK(v_chan_send(&b.c, "a", 1));
    V_EXPECT_EQ(poll_bits(r | w), r); /* empty -> non-empty */
    V_EXPECT_OK(v_chan_send(&b.c, "b", 1));
    V_EXPECT_EQ(poll_bits(r | w), 0u); /* was not empty: no new raise */
    uint8_t buf[8];
    uint32_t len;
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_EQ(poll_bits(r | w), 0u); /* no send was refused */
    V_EXPECT_OK(v_chan_send(&b.c, "c", 1));
    V_EXPECT_EQ(poll_bits(r), r); /* empty again, so a new burst */
    /* Full: the refused send asks for WRITABLE on the next receive. */
    for (int i = 0; i < 3; i++)
        V_EXPECT_OK(v_chan_send(&b.c, "d", 1));
    V_EXPECT_STATUS(v_chan_send(&b.c, "e", 1), V_ERR_SHOULD_WAIT);
    V_EXPECT_EQ(poll_bits(w), 0u);
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_EQ(poll_bits(w), w);
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_EQ(poll_bits(w), 0u); /* once per refusal */
    (void)poll_bits(r | w);
}

V_TEST(concurrent, chan_peer_closed_after_last_sender)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 4));
    uint64_t r = UINT64_C(1) << RBIT;
    V_EXPECT_OK(v_chan_sender_open(&b.c)); /* two senders */
    V_EXPECT_OK(v_chan_send(&b.c, "x", 1));
    V_EXPECT_OK(v_chan_send(&b.c, "y", 1));
    (void)poll_bits(r);
    V_EXPECT_OK(v_chan_sender_close(&b.c));
    V_EXPECT_EQ(poll_bits(r), 0u); /* one sender is left */
    V_EXPECT_OK(v_chan_sender_close(&b.c));
    V_EXPECT_EQ(poll_bits(r), r); /* the receiver must learn of it */
    V_EXPECT_STATUS(v_chan_send(&b.c, "z", 1), V_ERR_BAD_STATE);
    V_EXPECT_STATUS(v_chan_sender_close(&b.c), V_ERR_BAD_STATE);
    V_EXPECT_STATUS(v_chan_sender_open(&b.c), V_ERR_BAD_STATE);
    uint8_t buf[8];
    uint32_t len;
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len)); /* queued items first */
    V_EXPECT_EQ(buf[0], 'x');
    V_EXPECT_OK(v_chan_recv(&b.c, buf, 8, &len));
    V_EXPECT_EQ(buf[0], 'y');
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, 8, &len), V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, 8, &len), V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(v_chan_sender_open(NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_chan_sender_close(NULL), V_ERR_INVALID_ARGS);
}

V_TEST(concurrent, chan_receiver_close_discards_and_tells_senders)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 4));
    uint64_t w = UINT64_C(1) << WBIT;
    for (int i = 0; i < 4; i++)
        V_EXPECT_OK(v_chan_send(&b.c, "q", 1));
    uint32_t gone = 0;
    V_EXPECT_OK(v_chan_receiver_close(&b.c, &gone));
    V_EXPECT_EQ(gone, 4u);
    V_EXPECT_EQ(poll_bits(w), w); /* blocked senders wake */
    V_EXPECT_STATUS(v_chan_send(&b.c, "q", 1), V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(v_chan_sender_open(&b.c), V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(v_chan_receiver_close(&b.c, NULL), V_ERR_BAD_STATE);
    V_EXPECT_STATUS(v_chan_receiver_close(NULL, NULL), V_ERR_INVALID_ARGS);
    uint8_t buf[8];
    uint32_t len;
    V_EXPECT_STATUS(v_chan_recv(&b.c, buf, 8, &len), V_ERR_BAD_STATE);
    V_EXPECT_OK(v_chan_sender_close(&b.c)); /* the reference still drops */
    (void)poll_bits((UINT64_C(1) << RBIT) | w);
}

/* Several producer threads against one consumer: nothing lost, nothing
 * duplicated, each producer's items in its own order. Threads are the
 * substrate's (vx_thread_start), so the test also runs inside a spawned
 * Task, where every thread needs its own connection to the broker. */
#define PRODUCERS 4
#define PER_PRODUCER 2000
#define DBIT 42u

typedef struct producer {
    v_chan *c;
    uint32_t id;
    uint32_t refused;
    uint32_t *finished; /* producers done, atomically counted */
    bool failed;
} producer;

static void produce(void *arg)
{
    producer *p = arg;
    for (uint32_t i = 0; i < PER_PRODUCER && !p->failed; i++) {
        uint32_t item[2] = {p->id, i};
        v_status st;
        while ((st = v_chan_send(p->c, item, sizeof item)) ==
               V_ERR_SHOULD_WAIT) {
            p->refused++;
            uint64_t got;
            /* WRITABLE is edge: a short deadline covers a raise taken by
             * another producer thread. */
            (void)!vx_wait(UINT64_C(1) << WBIT,
                           vx_clock_monotonic() + 1000000u, &got);
        }
        if (st != V_OK)
            p->failed = true;
    }
    if (v_chan_sender_close(p->c) != V_OK)
        p->failed = true;
    __atomic_add_fetch(p->finished, 1u, __ATOMIC_RELEASE);
    (void)!vx_signal_raise_self(UINT64_C(1) << DBIT);
}

V_TEST(concurrent, chan_many_producer_threads)
{
    chan_box b;
    V_ASSERT_OK(open_chan(&b, 8, 16));
    producer pr[PRODUCERS];
    uint32_t finished = 0;
    for (uint32_t i = 1; i < PRODUCERS; i++)
        V_ASSERT_OK(v_chan_sender_open(&b.c));
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        pr[i] = (producer){&b.c, i, 0, &finished, false};
        V_ASSERT_OK(vx_thread_start(produce, &pr[i]));
    }
    uint32_t next[PRODUCERS] = {0};
    uint32_t total = 0;
    bool in_order = true;
    v_status last;
    for (;;) {
        uint32_t item[2], len;
        last = v_chan_recv(&b.c, item, sizeof item, &len);
        if (last == V_ERR_SHOULD_WAIT) {
            uint64_t got;
            (void)!vx_wait(UINT64_C(1) << RBIT, VX_TIME_INFINITE, &got);
            continue;
        }
        if (last != V_OK)
            break;
        if (len != 8 || item[0] >= PRODUCERS || item[1] != next[item[0]])
            in_order = false;
        else
            next[item[0]]++;
        total++;
    }
    V_EXPECT_EQ(last, V_ERR_PEER_CLOSED); /* every producer closed */
    while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < PRODUCERS) {
        uint64_t got;
        (void)!vx_wait(UINT64_C(1) << DBIT, vx_clock_monotonic() + 1000000u,
                       &got);
    }
    for (uint32_t i = 0; i < PRODUCERS; i++)
        V_EXPECT(!pr[i].failed);
    V_EXPECT(in_order);
    V_EXPECT_EQ(total, (uint32_t)(PRODUCERS * PER_PRODUCER));
    V_EXPECT_STATUS(v_chan_recv(&b.c, NULL, 0, &total), V_ERR_PEER_CLOSED);
    (void)poll_bits((UINT64_C(1) << RBIT) | (UINT64_C(1) << WBIT) |
                    (UINT64_C(1) << DBIT));
}
