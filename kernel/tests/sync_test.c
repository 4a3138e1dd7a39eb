/* Spinlocks, mutexes and wait queues under contention from several
 * threads, pinned round-robin to the CPUs so that with several CPUs they
 * truly run at once: no lost updates and no lost wakeups. */
#include <k/mutex.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/spinlock.h>
#include <k/waitq.h>
#include <v/test.h>

#define WORKERS 4
#define ROUNDS 20000

typedef struct shared {
    spinlock lock;
    kmutex mutex;
    uint64_t spin_count;
    uint64_t mutex_count;
} shared;

static void spin_worker(void *p)
{
    shared *s = p;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t f = spin_lock_irqsave(&s->lock);
        /* A read-modify-write in two steps: any overlap loses updates. */
        uint64_t v = s->spin_count;
        __asm__ volatile("" ::: "memory");
        s->spin_count = v + 1;
        spin_unlock_irqrestore(&s->lock, f);
    }
}

V_TEST(kernel, spinlock_counter_loses_no_updates)
{
    shared s = {SPINLOCK_INIT, KMUTEX_INIT, 0, 0};
    thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        t[i] = thread_create_on("spinlock", spin_worker, &s,
                                SCHED_PRIO_DEFAULT, i % smp_cpu_count());
        V_ASSERT_NOT_NULL(t[i]);
    }
    for (int i = 0; i < WORKERS; i++)
        thread_join(t[i]);
    V_EXPECT_EQ(s.spin_count, (uint64_t)WORKERS * ROUNDS);
}

static void mutex_worker(void *p)
{
    shared *s = p;
    for (int i = 0; i < ROUNDS / 10; i++) {
        kmutex_lock(&s->mutex);
        uint64_t v = s->mutex_count;
        if (i % 16 == 0)
            thread_yield(); /* sleep-safe: others must block, not spin */
        s->mutex_count = v + 1;
        kmutex_unlock(&s->mutex);
    }
}

V_TEST(kernel, mutex_counter_loses_no_updates)
{
    shared s = {SPINLOCK_INIT, KMUTEX_INIT, 0, 0};
    thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        t[i] = thread_create_on("mutex", mutex_worker, &s, SCHED_PRIO_DEFAULT,
                                i % smp_cpu_count());
        V_ASSERT_NOT_NULL(t[i]);
    }
    for (int i = 0; i < WORKERS; i++)
        thread_join(t[i]);
    V_EXPECT_EQ(s.mutex_count, (uint64_t)WORKERS * (ROUNDS / 10));
    V_EXPECT(kmutex_trylock(&s.mutex));
    V_EXPECT(!kmutex_trylock(&s.mutex));
    kmutex_unlock(&s.mutex);
}

/* Ping-pong: two threads hand a token back and forth through two wait
 * queues. A single lost wakeup leaves both asleep forever (the run then
 * times out and is reported as hung). */
#define PINGS 2000

typedef struct pingpong {
    waitq q[2];
    volatile int turn; /* whose move: 0 or 1 */
    volatile int moves;
} pingpong;

typedef struct player {
    pingpong *pp;
    int me;
} player;

static void play(void *p)
{
    player *pl = p;
    pingpong *pp = pl->pp;
    for (int i = 0; i < PINGS; i++) {
        WAIT_EVENT(&pp->q[pl->me], pp->turn == pl->me);
        pp->moves++;
        pp->turn = !pl->me;
        waitq_wake_all(&pp->q[!pl->me]);
    }
}

V_TEST(kernel, waitq_ping_pong_loses_no_wakeups)
{
    pingpong pp = {{WAITQ_INIT, WAITQ_INIT}, 0, 0};
    player a = {&pp, 0}, b = {&pp, 1};
    /* On different CPUs when there are several: every wakeup crosses
     * CPUs (an IPI), the case where a lost wakeup would hide. */
    unsigned last = smp_cpu_count() - 1;
    thread *ta = thread_create_on("ping", play, &a, SCHED_PRIO_DEFAULT, 0);
    thread *tb = thread_create_on("pong", play, &b, SCHED_PRIO_DEFAULT, last);
    V_ASSERT(ta && tb);
    thread_join(ta);
    thread_join(tb);
    V_EXPECT_EQ(pp.moves, 2 * PINGS);
}

/* Many waiters, one broadcast: every one of them wakes. */
typedef struct gate {
    waitq q;
    volatile int open;
    volatile int through;
} gate;

static void wait_gate(void *p)
{
    gate *g = p;
    WAIT_EVENT(&g->q, g->open);
    __atomic_add_fetch(&g->through, 1, __ATOMIC_SEQ_CST);
}

V_TEST(kernel, waitq_broadcast_wakes_every_waiter)
{
    enum { N = 8 };
    gate g = {WAITQ_INIT, 0, 0};
    thread *t[N];
    for (int i = 0; i < N; i++) {
        t[i] = thread_create_on("gate", wait_gate, &g, SCHED_PRIO_DEFAULT,
                                (unsigned)i % smp_cpu_count());
        V_ASSERT_NOT_NULL(t[i]);
    }
    thread_sleep_ns(5000000); /* let them block (not required) */
    g.open = 1;
    waitq_wake_all(&g.q);
    for (int i = 0; i < N; i++)
        thread_join(t[i]);
    V_EXPECT_EQ(g.through, N);
    V_EXPECT(!waitq_wake_one(&g.q)); /* nobody left waiting */
}
