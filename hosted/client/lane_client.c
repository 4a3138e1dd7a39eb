/* hosted/client/lane_client.c — the Ring fast path in a spawned Task.
 *
 * The first send or receive on a Ring end asks the broker for the Ring's
 * lane (OP_RING_LANE: the shared area, the read-only control page and the
 * doorbell) and keeps the mapping in a small per-Task cache keyed by the
 * handle value. From then on handle-free messages move through shared
 * memory (hosted/lane_ops.c) without a system call; the doorbell is
 * written only when the control page says a thread of the other side
 * sleeps. Anything the lane cannot do — handles, malformed arguments, a
 * sealed or malformed lane — goes to the broker, which gives the exact
 * result the spec asks for. Handle values are never reused (their
 * generation changes), so a cached value can only become stale, and a
 * stale one's lane has been sealed by the core. */
#define _GNU_SOURCE
#include "client.h"
#include "../lane.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CACHE_SIZE 64
#define RETRY_AFTER 32 /* broker calls before asking for a lane again */

typedef struct entry {
    uint32_t value; /* handle value; 0: free */
    bool tx;
    bool live;      /* view mapped */
    uint32_t skip;  /* not live: calls left before the next attempt */
    size_t shared_size;
    lane_view v;
} entry;

/* One lock for the cache and every lane operation of this Task: a lane
 * has one producer and one consumer, and threads of a Task share an end. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry cache[CACHE_SIZE];
static int doorbell = -1;

static void drop(entry *e)
{
    if (e->live) {
        munmap(e->v.shared, e->shared_size);
        munmap((void *)e->v.ctl, LANE_CTL_SIZE);
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
    vx_status st = client_call(OP_RING_LANE, &q, &out, fd);
    bool ok = st == VX_OK && out.len == 24 && *fd >= 0;
    if (ok)
        memcpy(reply, out.p, 24);
    else if (*fd >= 0)
        close(*fd);
    free(out.p);
    return ok;
}

static bool open_lane(entry *e)
{
    uint8_t r0[24], r1[24], r2[24];
    int fd0 = -1, fd1 = -1, fd2 = -1;
    uint64_t serial;
    uint32_t slot_size, slot_count, pos, side;
    if (!lane_part(e->value, 0, 0, &fd0, r0))
        return false;
    memcpy(&serial, r0, 8);
    memcpy(&slot_size, r0 + 8, 4);
    memcpy(&slot_count, r0 + 12, 4);
    memcpy(&pos, r0 + 16, 4);
    memcpy(&side, r0 + 20, 4);
    bool ok = side == (e->tx ? 1u : 2u) && slot_size >= 1 &&
              slot_size <= VX_RING_SLOT_SIZE_MAX && slot_count >= 1 &&
              slot_count <= VX_RING_SLOT_COUNT_MAX &&
              (slot_count & (slot_count - 1)) == 0 &&
              lane_part(e->value, 1, serial, &fd1, r1) &&
              memcmp(r0, r1, 8) == 0;
    if (ok && doorbell < 0) {
        ok = lane_part(e->value, 2, serial, &fd2, r2) && memcmp(r0, r2, 8) == 0;
        if (ok)
            doorbell = fd2;
        else if (fd2 >= 0)
            close(fd2);
    }
    void *shared = MAP_FAILED, *ctl = MAP_FAILED;
    size_t size = lane_shared_size(slot_size, slot_count);
    if (ok) {
        shared = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd0, 0);
        ctl = mmap(NULL, LANE_CTL_SIZE, PROT_READ, MAP_SHARED, fd1, 0);
        ok = shared != MAP_FAILED && ctl != MAP_FAILED &&
             ((const lane_ctl *)ctl)->serial == serial;
    }
    close(fd0);
    if (fd1 >= 0)
        close(fd1);
    if (!ok) {
        if (shared != MAP_FAILED)
            munmap(shared, size);
        if (ctl != MAP_FAILED)
            munmap(ctl, LANE_CTL_SIZE);
        return false;
    }
    e->live = true;
    e->shared_size = size;
    e->v = (lane_view){shared, ctl, slot_size, slot_count, pos, false};
    return true;
}

/* The live view for this end, or NULL (lock held). */
static lane_view *view(uint32_t value, bool tx)
{
    entry *e = NULL, *spare = NULL, *failed = NULL;
    for (int i = 0; i < CACHE_SIZE; i++) {
        entry *c = &cache[i];
        if (c->value == value && c->tx == tx)
            e = c;
        else if (c->value == 0 ||
                 (c->live && (c->v.dead ||
                              __atomic_load_n(&c->v.ctl->sealed,
                                              __ATOMIC_ACQUIRE))))
            spare = c; /* free, or a sealed lane: reusable */
        else if (!c->live)
            failed = c; /* a failed attempt: reusable as a last resort */
    }
    if (spare == NULL)
        spare = failed;
    if (e != NULL && e->live && !e->v.dead)
        return &e->v;
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
        return &e->v;
    e->skip = RETRY_AFTER;
    return NULL;
}

static void ring_doorbell(void)
{
    uint64_t one = 1;
    if (write(doorbell, &one, sizeof one) < 0) {
        /* Nothing to do: the broker is gone and so is everything else. */
    }
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
    lane_view *v = view(tx.h.value, true);
    bool fits = v != NULL;
    for (size_t i = 0; fits && i < count; i++)
        fits = msgs[i].len <= v->slot_size;
    if (fits) {
        size_t n;
        enum lane_result r = lane_put(v, msgs, count, &n, &ring);
        handled = r == LANE_DONE || r == LANE_WAIT;
        if (r == LANE_DONE) {
            *done = n;
            *st = VX_OK;
        } else if (r == LANE_WAIT) {
            *st = VX_ERR_SHOULD_WAIT;
        }
    }
    pthread_mutex_unlock(&lock);
    if (ring)
        ring_doorbell();
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
    lane_view *v = view(rx.h.value, false);
    if (v != NULL) {
        size_t n;
        enum lane_result r = lane_get(v, msgs, count, &n, &ring);
        handled = r != LANE_BROKER;
        if (r == LANE_DONE) {
            *done = n;
            *st = VX_OK;
        } else if (r == LANE_WAIT) {
            *st = VX_ERR_SHOULD_WAIT;
        } else if (r == LANE_RANGE) {
            *st = VX_ERR_OUT_OF_RANGE;
        }
    }
    pthread_mutex_unlock(&lock);
    if (ring)
        ring_doorbell();
    return handled;
}
