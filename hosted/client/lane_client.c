/* hosted/client/lane_client.c — the Ring fast path in a spawned Task.
 *
 * The first send or receive on a Ring end asks the broker for the Ring's
 * lanes (OP_RING_LANE: a producer its own lane, the consumer every lane
 * of the Ring — each a shared area and a read-only control page — plus
 * the Ring's doorbell and, with several producers, its credit page) and
 * keeps the mappings in a small per-Task cache keyed by the handle value.
 * From then on handle-free messages move through shared memory
 * (hosted/lane_ops.c) without a system call; the doorbell is written only
 * when the control page says a thread of the other side sleeps. Anything
 * the lanes cannot do — handles, malformed arguments, sealed or malformed
 * lanes — goes to the broker, which gives the exact result the spec asks
 * for. Handle values are never reused (their generation changes), so a
 * cached value can only become stale, and a stale one's lanes have been
 * sealed by the core. */
#define _GNU_SOURCE
#include "client.h"
#include "../lane.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CACHE_SIZE 64
#define RETRY_AFTER 32 /* broker calls before asking for a lane again */

typedef struct entry {
    uint32_t value; /* handle value; 0: free */
    bool tx;
    bool live;      /* views mapped */
    uint32_t skip;  /* not live: calls left before the next attempt */
    size_t shared_size;
    int bell;       /* the Ring's doorbell (live only) */
    uint32_t nv;    /* views: 1 for a producer, every lane for the consumer */
    lane_view v[LANE_PRODUCERS_MAX];
    uint32_t *credit; /* several producers: the credit page, mapped */
} entry;

/* One lock for the cache and every lane operation of this Task: a lane
 * has one producer and one consumer, and threads of a Task share an end. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry cache[CACHE_SIZE];

static void unmap_views(lane_view *v, uint32_t n, size_t shared_size)
{
    for (uint32_t i = 0; i < n; i++) {
        if (v[i].shared != NULL)
            munmap(v[i].shared, shared_size);
        if (v[i].ctl != NULL)
            munmap((void *)v[i].ctl, LANE_CTL_SIZE);
    }
}

static void drop(entry *e)
{
    if (e->live) {
        unmap_views(e->v, e->nv, e->shared_size);
        if (e->credit != NULL)
            munmap(e->credit, LANE_CTL_SIZE);
        if (e->bell >= 0)
            close(e->bell);
    }
    memset(e, 0, sizeof *e);
}

/* One part of OP_RING_LANE: the descriptor and the 24-byte reply. */
static bool lane_part(uint32_t value, uint32_t part, uint64_t serial,
                      int *fd, uint8_t reply[24])
{
    uint8_t bytes[32];
    buf q = {bytes, sizeof bytes, 0, false};
    buf_put_u32(&q, value);
    buf_put_u32(&q, part);
    buf_put_u64(&q, serial);
    buf out;
    *fd = -1;
    vx_status st = client_call(OP_RING_LANE, &q, &out, fd);
    bool ok = st == VX_OK && out.len == 24 && *fd >= 0 &&
              (serial == 0 || memcmp(out.p, &serial, 8) == 0);
    if (ok)
        memcpy(reply, out.p, 24);
    else if (*fd >= 0)
        close(*fd);
    free(out.p);
    return ok;
}

/* Maps descriptor fd (closed here): size bytes, writable or not. */
static void *map_fd(int fd, size_t size, bool writable)
{
    void *p = mmap(NULL, size, writable ? PROT_READ | PROT_WRITE : PROT_READ,
                   MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

/* Maps lane `index` (its shared area and control page) into *v. */
static bool map_lane(uint32_t value, uint32_t index, uint64_t serial,
                     size_t size, lane_view *v)
{
    uint8_t r[24];
    int fd;
    if (!lane_part(value, 0 | index << 8, serial, &fd, r))
        return false;
    v->shared = map_fd(fd, size, true);
    if (!lane_part(value, 1 | index << 8, serial, &fd, r))
        return false;
    v->ctl = map_fd(fd, LANE_CTL_SIZE, false);
    return v->shared != NULL && v->ctl != NULL && v->ctl->serial == serial &&
           v->ctl->index == index;
}

static bool open_lane(entry *e)
{
    uint8_t r0[24], r[24];
    int fd0 = -1, fd;
    uint64_t serial;
    uint32_t slot_size, slot_count, pos, side;
    if (!lane_part(e->value, 0, 0, &fd0, r0))
        return false;
    memcpy(&serial, r0, 8);
    memcpy(&slot_size, r0 + 8, 4);
    memcpy(&slot_count, r0 + 12, 4);
    memcpy(&pos, r0 + 16, 4);
    memcpy(&side, r0 + 20, 4);
    uint32_t index = side >> 8 & 0xffu, lanes = side >> 16;
    bool ok = (side & 0xffu) == (e->tx ? 1u : 2u) && slot_size >= 1 &&
              slot_size <= VX_RING_SLOT_SIZE_MAX && slot_count >= 1 &&
              slot_count <= VX_RING_SLOT_COUNT_MAX &&
              (slot_count & (slot_count - 1)) == 0 && lanes >= 1 &&
              lanes <= LANE_PRODUCERS_MAX && index < lanes &&
              (e->tx || index == 0);
    size_t size = lane_shared_size(slot_size, slot_count);
    e->live = true; /* from here drop() undoes what is mapped */
    e->shared_size = size;
    e->bell = -1;
    e->nv = e->tx ? 1 : lanes;
    e->v[0].shared = ok ? map_fd(fd0, size, true) : NULL;
    if (!ok)
        close(fd0);
    ok = ok && e->v[0].shared != NULL &&
         lane_part(e->value, 1 | index << 8, serial, &fd, r);
    if (ok)
        e->v[0].ctl = map_fd(fd, LANE_CTL_SIZE, false);
    ok = ok && e->v[0].ctl != NULL && e->v[0].ctl->serial == serial &&
         e->v[0].ctl->index == index && lane_part(e->value, 2, serial, &fd, r);
    if (ok)
        e->bell = fd;
    if (ok && lanes > 1) {
        ok = lane_part(e->value, 3, serial, &fd, r);
        if (ok)
            e->credit = map_fd(fd, LANE_CTL_SIZE, true);
        ok = ok && e->credit != NULL;
    }
    for (uint32_t i = 1; ok && i < e->nv; i++)
        ok = map_lane(e->value, i, serial, size, &e->v[i]);
    if (!ok) {
        drop(e);
        return false;
    }
    for (uint32_t i = 0; i < e->nv; i++) {
        e->v[i].slot_size = slot_size;
        e->v[i].slot_count = slot_count;
        e->v[i].pos = e->tx ? pos : 0;
        e->v[i].dead = false;
        e->v[i].credit = e->credit;
    }
    return true;
}

static bool entry_dead(const entry *e)
{
    for (uint32_t i = 0; i < e->nv; i++)
        if (e->v[i].dead)
            return true;
    return __atomic_load_n(&e->v[0].ctl->sealed, __ATOMIC_ACQUIRE) != 0;
}

/* The live entry for this end, or NULL (lock held): the whole cache. */
static entry *view_slow(uint32_t value, bool tx)
{
    entry *e = NULL, *spare = NULL, *failed = NULL;
    for (int i = 0; i < CACHE_SIZE; i++) {
        entry *c = &cache[i];
        if (c->value == value && c->tx == tx)
            e = c;
        else if (c->value == 0 || (c->live && entry_dead(c)))
            spare = c; /* free, or sealed lanes: reusable */
        else if (!c->live)
            failed = c; /* a failed attempt: reusable as a last resort */
    }
    if (spare == NULL)
        spare = failed;
    if (e != NULL && e->live && !entry_dead(e))
        return e;
    if (e != NULL && !e->live && e->skip > 0) {
        e->skip--;
        return NULL;
    }
    if (e == NULL) {
        if (spare == NULL)
            return NULL;
        e = spare;
    }
    drop(e);
    e->value = value;
    e->tx = tx;
    if (open_lane(e))
        return e;
    e->value = value;
    e->tx = tx;
    e->skip = RETRY_AFTER;
    return NULL;
}

/* The entry used last, per side: a Task usually sends or receives on the
 * same end many times in a row (lock held). */
static entry *recent[2];

/* The live entry for this end, or NULL (lock held). */
static entry *view(uint32_t value, bool tx)
{
    entry *e = recent[tx];
    if (e != NULL && e->value == value && e->tx == tx && e->live &&
        !entry_dead(e))
        return e;
    e = view_slow(value, tx);
    recent[tx] = e;
    return e;
}

/* Rings the Ring's doorbell. Under the lock: the descriptor is closed
 * when the entry is dropped, and its number could then name another. */
static void ring_doorbell(const entry *e)
{
    uint64_t one = 1;
    if (write(e->bell, &one, sizeof one) < 0) {
        /* Nothing to do: the broker is gone and so is everything else. */
    }
}

/* A send's stamp: CLOCK_MONOTONIC, strictly increasing in this Task (lock
 * held), so that sends in order here are taken in order by a consumer of
 * several lanes. */
static uint64_t next_stamp(void)
{
    static uint64_t last;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    last = now > last ? now : last + 1;
    return last;
}

bool client_lane_send(vx_ring_tx tx, const vx_msg_out *msgs, size_t count,
                      size_t *done, vx_status *st)
{
    if (msgs == NULL || done == NULL || count == 0)
        return false;
    for (size_t i = 0; i < count; i++)
        if (msgs[i].handle_count != 0 || (msgs[i].data == NULL && msgs[i].len))
            return false;
    bool handled = false, ring = false;
    pthread_mutex_lock(&lock);
    entry *e = view(tx.h.value, true);
    bool fits = e != NULL;
    for (size_t i = 0; fits && i < count; i++)
        fits = msgs[i].len <= e->v[0].slot_size;
    if (fits) {
        size_t n;
        uint64_t stamp = e->credit != NULL ? next_stamp() : 0;
        enum lane_result r = lane_put(&e->v[0], msgs, count, stamp, &n, &ring);
        handled = r == LANE_DONE || r == LANE_WAIT;
        if (r == LANE_DONE) {
            *done = n;
            *st = VX_OK;
        } else if (r == LANE_WAIT) {
            *st = VX_ERR_SHOULD_WAIT;
        }
        if (ring)
            ring_doorbell(e);
    }
    pthread_mutex_unlock(&lock);
    return handled;
}

bool client_lane_recv(vx_ring_rx rx, vx_msg_in *msgs, size_t count,
                      size_t *done, vx_status *st)
{
    if (msgs == NULL || done == NULL || count == 0)
        return false;
    for (size_t i = 0; i < count; i++)
        if (msgs[i].buf == NULL && msgs[i].cap > 0)
            return false;
    bool handled = false, ring = false;
    pthread_mutex_lock(&lock);
    entry *e = view(rx.h.value, false);
    if (e != NULL) {
        size_t n;
        enum lane_result r = lane_get_all(e->v, e->nv, msgs, count, &n, &ring);
        handled = r != LANE_BROKER;
        if (r == LANE_DONE) {
            *done = n;
            *st = VX_OK;
        } else if (r == LANE_WAIT) {
            *st = VX_ERR_SHOULD_WAIT;
        } else if (r == LANE_RANGE) {
            *st = VX_ERR_OUT_OF_RANGE;
        }
        if (ring)
            ring_doorbell(e);
    }
    pthread_mutex_unlock(&lock);
    return handled;
}
