/* hosted/lane.c — the core's side of the Ring fast path (hosted/lane.h,
 * docs/substrate.md §11): engaging a Ring's lanes when a spawned Task asks
 * for them, sealing them (taking the queue back) when the Ring's handles
 * change, conditions computed from them, and the doorbell.
 *
 * Lanes exist only while their Ring has one RX handle and 1..
 * LANE_PRODUCERS_MAX TX handles, all in Task tables: one lane per TX,
 * whose holder is the lane's only producer, and the RX's holder the only
 * consumer of all of them. Every event that could change that — a dup,
 * mint, move or close of any end — passes through the core, which seals
 * the lanes first. The Ring's own queue is empty while lanes are
 * engaged. */
#define _GNU_SOURCE
#include "kern.h"
#include "lane.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

/* One producer's lane. */
typedef struct k_sub {
    int shared_fd, ctl_fd;
    uint8_t *shared;
    lane_ctl *ctl;
    /* The root Task's producer end (the root is the core, so it uses the
     * lane directly, under the core lock); its position is the truth once
     * the root has used it. */
    lane_view root_tx;
    bool root_tx_used;
    uint32_t tail0; /* messages moved in at engagement */
    k_node *txn;    /* the TX handle whose lane this is */
} k_sub;

/* A Ring's lanes. */
struct k_lane {
    uint64_t serial;
    k_object *obj; /* the Ring */
    uint32_t n;    /* lanes (TX handles) */
    size_t shared_size;
    k_sub sub[LANE_PRODUCERS_MAX];
    /* The root Task's consumer end: one view per lane. */
    lane_view root_rx[LANE_PRODUCERS_MAX];
    bool root_rx_used;
    int credit_fd; /* several producers: the credit page */
    uint32_t *credit;
    int bell_fd;   /* the doorbell (eventfd) */
    k_event *bell;
    /* Who pays: the Task the Ring is charged to, out of its unused quota
     * (k_charge takes it back by sealing when an object needs the room). */
    k_task *payer;
    uint64_t charge;
    k_lane *pay_prev, *pay_next; /* the payer's lanes */
};

static uint64_t lane_serial;

/* The doorbell: an eventfd per Ring with lanes, watched by the core's
 * event thread (events.c). An end that finds a sleeper on the other side
 * writes it; the event thread drains it and wakes the waiters of this
 * Ring only. A Task that drains or rings it without cause affects only
 * this Ring's wake-ups. */
static void bell_fire(void *ctx)
{
    k_lane *l = ctx;
    uint64_t v;
    if (read(l->bell_fd, &v, sizeof v) < 0) {
        /* EAGAIN: drained already (by the hostile end, or by us). */
    }
    k_wake(&l->obj->waiters);
}

static void lane_free(k_lane *l)
{
    if (l->payer != NULL) {
        l->payer->lane_charged -= l->charge;
        if (l->pay_prev != NULL)
            l->pay_prev->pay_next = l->pay_next;
        else
            l->payer->lanes = l->pay_next;
        if (l->pay_next != NULL)
            l->pay_next->pay_prev = l->pay_prev;
    }
    k_event_retire(l->bell);
    if (l->bell_fd >= 0)
        close(l->bell_fd);
    if (l->credit != NULL)
        munmap(l->credit, LANE_CTL_SIZE);
    if (l->credit_fd >= 0)
        close(l->credit_fd);
    for (uint32_t i = 0; i < LANE_PRODUCERS_MAX; i++) {
        k_sub *s = &l->sub[i];
        if (s->shared != NULL)
            munmap(s->shared, l->shared_size);
        if (s->ctl != NULL)
            munmap(s->ctl, LANE_CTL_SIZE);
        if (s->shared_fd >= 0)
            close(s->shared_fd);
        if (s->ctl_fd >= 0)
            close(s->ctl_fd);
    }
    free(l);
}

static int memfd_sized(const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A mapped memfd of `size` bytes, or NULL. */
static void *memfd_mapped(const char *name, size_t size, int *fd)
{
    *fd = memfd_sized(name, size);
    if (*fd < 0)
        return NULL;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

static k_lane *lane_new(k_object *o, uint32_t n)
{
    const vx_ring_params *p = &o->u.ring.params;
    k_lane *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->obj = o;
    l->n = n;
    l->credit_fd = -1;
    for (uint32_t i = 0; i < LANE_PRODUCERS_MAX; i++)
        l->sub[i].shared_fd = l->sub[i].ctl_fd = -1;
    l->bell_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (l->bell_fd < 0)
        goto fail;
    l->bell = k_event_add(l->bell_fd, bell_fire, l);
    if (l->bell == NULL)
        goto fail;
    if (n > 1) {
        l->credit = memfd_mapped("vx-lane-credit", LANE_CTL_SIZE,
                                 &l->credit_fd);
        if (l->credit == NULL)
            goto fail;
    }
    l->shared_size = lane_shared_size(p->slot_size, p->slot_count);
    for (uint32_t i = 0; i < n; i++) {
        k_sub *s = &l->sub[i];
        s->shared = memfd_mapped("vx-lane", l->shared_size, &s->shared_fd);
        s->ctl = memfd_mapped("vx-lane-ctl", LANE_CTL_SIZE, &s->ctl_fd);
        if (s->shared == NULL || s->ctl == NULL)
            goto fail;
        lane_view v = {s->shared, s->ctl, p->slot_size, p->slot_count, 0,
                       false, l->credit, 0};
        s->root_tx = v;
        l->root_rx[i] = v;
    }
    return l;
fail:
    lane_free(l);
    return NULL;
}

/* Positions of lane i the core believes: the root's private ones where it
 * used that end, else what the other end published. */
static void positions(const k_lane *l, uint32_t i, uint32_t *head,
                      uint32_t *tail)
{
    const k_sub *s = &l->sub[i];
    *tail = s->root_tx_used ? s->root_tx.pos
                            : __atomic_load_n(lane_word(s->shared, LANE_TAIL_OFF),
                                              __ATOMIC_SEQ_CST);
    *head = l->root_rx_used ? l->root_rx[i].pos
                            : __atomic_load_n(lane_word(s->shared, LANE_HEAD_OFF),
                                              __ATOMIC_SEQ_CST);
}

uint32_t k_lane_pending(const k_object *o, bool *bad)
{
    const k_lane *l = o->u.ring.lane;
    uint32_t slots = o->u.ring.params.slot_count, total = 0;
    *bad = l->credit != NULL &&
           __atomic_load_n(l->credit, __ATOMIC_SEQ_CST) > slots;
    for (uint32_t i = 0; i < l->n && !*bad; i++) {
        uint32_t head, tail;
        positions(l, i, &head, &tail);
        *bad = tail - head > slots || total + (tail - head) > slots;
        total += tail - head;
    }
    return *bad ? 0 : total;
}

bool k_lane_full(const k_object *o)
{
    const k_lane *l = o->u.ring.lane;
    return l->credit != NULL && __atomic_load_n(l->credit, __ATOMIC_SEQ_CST) >=
                                    o->u.ring.params.slot_count;
}

static uint64_t stamp_at(const k_sub *s, uint32_t slot_count, uint32_t pos)
{
    const uint8_t *p = s->shared + lane_stamps_offset(slot_count) +
                       (size_t)(pos & (slot_count - 1)) * 8u;
    return __atomic_load_n((const uint64_t *)(const void *)p,
                           __ATOMIC_RELAXED);
}

void k_lane_seal(k_object *o)
{
    k_lane *l = o->u.ring.lane;
    if (l == NULL)
        return;
    const vx_ring_params *p = &o->u.ring.params;
    for (uint32_t i = 0; i < l->n; i++)
        __atomic_store_n(&l->sub[i].ctl->seal_request, 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    bool bad = l->credit != NULL &&
               __atomic_load_n(l->credit, __ATOMIC_SEQ_CST) > p->slot_count;
    uint32_t head[LANE_PRODUCERS_MAX], pend[LANE_PRODUCERS_MAX];
    uint32_t taken[LANE_PRODUCERS_MAX] = {0}, total = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        uint32_t tail;
        positions(l, i, &head[i], &tail);
        l->sub[i].ctl->sealed_head = head[i];
        l->sub[i].ctl->sealed_tail = tail;
        pend[i] = tail - head[i];
        bad |= pend[i] > p->slot_count;
        total += bad ? 0 : pend[i];
    }
    /* The queue was empty while the lanes were engaged; all of them
     * together hold at most slot_count messages. */
    bad |= total > p->slot_count;
    /* The oldest head first, as a consumer would have taken them. Each
     * length is read once and checked before it bounds a copy; at the
     * first bad one, what was copied is dropped again: a malformed lane
     * moves nothing. */
    uint32_t count0 = o->u.ring.count;
    size_t data = lane_slots_offset(p->slot_count);
    for (uint32_t k = 0; !bad && k < total; k++) {
        uint32_t best = l->n;
        uint64_t best_stamp = 0;
        for (uint32_t i = 0; i < l->n; i++) {
            if (taken[i] == pend[i])
                continue;
            uint64_t st = l->n == 1 ? 0
                                    : stamp_at(&l->sub[i], p->slot_count,
                                               head[i] + taken[i]);
            if (best == l->n || st < best_stamp) {
                best = i;
                best_stamp = st;
            }
        }
        const k_sub *s = &l->sub[best];
        uint32_t index = (head[best] + taken[best]++) & (p->slot_count - 1);
        uint32_t len = __atomic_load_n(lane_word(s->shared,
                                                 LANE_LENS_OFF + index * 4u),
                                       __ATOMIC_RELAXED);
        uint32_t slot = (o->u.ring.head + o->u.ring.count) &
                        (p->slot_count - 1);
        bad = len > p->slot_size || o->u.ring.count == p->slot_count;
        if (bad)
            break;
        k_msg *q = &o->u.ring.msgs[slot];
        memset(q, 0, sizeof *q);
        q->len = len;
        q->epoch = o->u.ring.epoch; /* sent by the holder of the moment */
        q->badge = s->ctl->badge;
        memcpy(o->u.ring.data + (size_t)slot * p->slot_size,
               s->shared + data + (size_t)index * p->slot_size, len);
        o->u.ring.count++;
    }
    if (bad) {
        o->u.ring.count = count0;
        o->u.ring.broken = true;
    }
    for (uint32_t i = 0; i < l->n; i++)
        __atomic_store_n(&l->sub[i].ctl->sealed, 1, __ATOMIC_RELEASE);
    o->u.ring.lane = NULL;
    lane_free(l);
    k_wake(&o->waiters);
}

void k_lane_sleepers(k_object *o)
{
    k_lane *l = o->u.ring.lane;
    if (l == NULL)
        return;
    for (uint32_t i = 0; i < l->n; i++) {
        __atomic_store_n(&l->sub[i].ctl->rx_sleepers, o->u.ring.rx_sleepers,
                         __ATOMIC_SEQ_CST);
        __atomic_store_n(&l->sub[i].ctl->tx_sleepers, o->u.ring.tx_sleepers,
                         __ATOMIC_SEQ_CST);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Engages lanes for n's Ring if none are and the Ring qualifies. */
static vx_status engage(k_node *n)
{
    k_object *o = n->obj;
    if (o->u.ring.lane != NULL)
        return VX_OK;
    uint32_t count = o->u.ring.tx_count;
    if (o->u.ring.broken || o->u.ring.rx_count != 1 || count == 0 ||
        count > LANE_PRODUCERS_MAX)
        return VX_ERR_BAD_STATE;
    /* Every end known and in a table, none in flight in a message (the
     * core seals on every install and uninstall, so this stays true). */
    k_node *rxn = o->u.ring.a_rx, *txn[LANE_PRODUCERS_MAX];
    if (rxn == NULL || rxn->owner == NULL)
        return VX_ERR_BAD_STATE;
    uint32_t found = 0;
    for (k_node *t = o->u.ring.tx_nodes; t != NULL; t = t->ring_next) {
        if (found == count || t->owner == NULL)
            return VX_ERR_BAD_STATE;
        txn[found++] = t;
    }
    if (found != count)
        return VX_ERR_BAD_STATE;
    /* Queued messages move into a lane only if it has the one producer,
     * whose holder of now sent them all (none from before the last change
     * of the Ring's handles: a lane shows its slots to the producer) and
     * they carry no handles. Otherwise they go out through the core
     * first. */
    const vx_ring_params *p = &o->u.ring.params;
    uint32_t mask = p->slot_count - 1;
    for (uint32_t i = 0; i < o->u.ring.count; i++) {
        const k_msg *q = &o->u.ring.msgs[(o->u.ring.head + i) & mask];
        if (count > 1 || q->handle_count != 0 || q->epoch != o->u.ring.epoch)
            return VX_ERR_SHOULD_WAIT;
    }
    /* The lanes' memory (the slots again, a length and a stamp per slot,
     * the control pages, the credit page) comes out of the payer's unused
     * quota; without the room the Ring keeps working through the core. */
    k_task *payer = o->charged_to;
    uint64_t charge = (uint64_t)count *
                          (lane_shared_size(p->slot_size, p->slot_count) +
                           LANE_CTL_SIZE) +
                      (count > 1 ? LANE_CTL_SIZE : 0);
    if (payer == NULL || charge > payer->quota ||
        payer->charged + payer->lane_charged > payer->quota - charge)
        return VX_ERR_LIMIT;
    k_lane *l = lane_new(o, count);
    if (l == NULL)
        return VX_ERR_NO_MEMORY;
    l->payer = payer;
    l->charge = charge;
    payer->lane_charged += charge;
    l->pay_next = payer->lanes;
    if (payer->lanes != NULL)
        payer->lanes->pay_prev = l;
    payer->lanes = l;
    l->serial = ++lane_serial;
    for (uint32_t i = 0; i < count; i++) {
        lane_ctl *c = l->sub[i].ctl;
        c->serial = l->serial;
        c->slot_size = p->slot_size;
        c->slot_count = p->slot_count;
        c->badge = txn[i]->badge;
        c->producers = count;
        c->index = i;
        l->sub[i].txn = txn[i];
    }
    size_t data = lane_slots_offset(p->slot_count);
    k_sub *s = &l->sub[0];
    uint32_t queued = o->u.ring.count;
    for (uint32_t i = 0; i < queued; i++) {
        uint32_t slot = (o->u.ring.head + i) & mask;
        const k_msg *q = &o->u.ring.msgs[slot];
        *lane_word(s->shared, LANE_LENS_OFF + i * 4u) = q->len;
        memcpy(s->shared + data + (size_t)i * p->slot_size,
               o->u.ring.data + (size_t)slot * p->slot_size, q->len);
    }
    *lane_word(s->shared, LANE_TAIL_OFF) = queued;
    s->tail0 = queued;
    s->root_tx.pos = queued;
    o->u.ring.head = 0;
    o->u.ring.count = 0;
    o->u.ring.lane = l;
    k_lane_sleepers(o);
    return VX_OK;
}

/* The lane of TX handle n, or NULL. */
static k_sub *sub_of(k_lane *l, const k_node *n)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->sub[i].txn == n)
            return &l->sub[i];
    return NULL;
}

vx_status k_lane_open(vx_handle h, uint32_t part, uint64_t serial,
                      int *fd, uint8_t reply[24])
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_ACCESS_DENIED;
    bool tx = n->type == VX_OBJ_RING_TX;
    if (!(tx ? (n->rights & VX_RIGHT_SEND)
             : n->type == VX_OBJ_RING_RX && (n->rights & VX_RIGHT_RECV)))
        goto done;
    k_object *o = n->obj;
    uint32_t kind = part & 0xffu, index = part >> 8;
    /* The first request (no serial yet) engages the lanes. */
    st = kind == 0 && serial == 0 ? engage(n) : VX_OK;
    if (st != VX_OK)
        goto done;
    k_lane *l = o->u.ring.lane;
    st = VX_ERR_BAD_STATE;
    if (l == NULL || (serial != 0 && l->serial != serial) || kind > 3 ||
        (kind == 3 && l->credit == NULL))
        goto done;
    k_sub *s = tx ? sub_of(l, n) : index < l->n ? &l->sub[index] : NULL;
    if (s == NULL)
        goto done;
    index = (uint32_t)(s - l->sub);
    st = VX_ERR_NO_MEMORY;
    if (kind == 0) {
        *fd = dup(s->shared_fd);
    } else if (kind == 1) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", s->ctl_fd);
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    } else if (kind == 2) {
        *fd = dup(l->bell_fd);
    } else {
        *fd = dup(l->credit_fd);
    }
    if (*fd < 0)
        goto done;
    /* A lane has one end of each side, and an end asks before it moves a
     * message through it: the producer starts after the messages moved in
     * at engagement, the consumer at 0. */
    uint32_t pos = tx ? s->tail0 : 0;
    memcpy(reply, &l->serial, 8);
    memcpy(reply + 8, &o->u.ring.params.slot_size, 4);
    memcpy(reply + 12, &o->u.ring.params.slot_count, 4);
    memcpy(reply + 16, &pos, 4);
    uint32_t side = (tx ? 1u : 2u) | index << 8 | l->n << 16;
    memcpy(reply + 20, &side, 4);
    st = VX_OK;
done:
    k_leave();
    return st;
}

void k_lane_reclaim(k_task *t)
{
    while (t->lanes != NULL)
        k_lane_seal(t->lanes->obj); /* frees it, unlinking it */
}

void k_lane_destroy(k_object *o)
{
    if (o->u.ring.lane != NULL) {
        lane_free(o->u.ring.lane);
        o->u.ring.lane = NULL;
    }
}

/* Stamps for the root Task's sends: CLOCK_MONOTONIC, strictly increasing
 * (core lock held), comparable with the clients' (lane_client.c). */
static uint64_t next_stamp(void)
{
    static uint64_t last;
    uint64_t now = k_now();
    last = now > last ? now : last + 1;
    return last;
}

/* The root Task's own sends and receives while lanes are engaged. */
vx_status k_lane_root_send(k_object *o, const k_node *txn,
                           const vx_msg_out *msgs, size_t count, size_t *done)
{
    k_lane *l = o->u.ring.lane;
    k_sub *s = sub_of(l, txn);
    if (s == NULL)
        return VX_ERR_BAD_STATE;
    bool ring;
    s->root_tx_used = true;
    /* Stamps order several lanes; one lane needs none (lane_put ignores
     * it then), and the clock is not free. */
    uint64_t stamp = l->n > 1 ? next_stamp() : 0;
    enum lane_result r = lane_put(&s->root_tx, msgs, count, stamp, done,
                                  &ring);
    if (r == LANE_DONE) {
        if (ring) /* only a thread counted as a sleeper can be waiting */
            k_wake(&o->waiters);
        return VX_OK;
    }
    if (r == LANE_WAIT)
        return VX_ERR_SHOULD_WAIT;
    return VX_ERR_BAD_STATE; /* malformed: the caller seals */
}

vx_status k_lane_root_recv(k_object *o, vx_msg_in *msgs, size_t count,
                           size_t *done)
{
    k_lane *l = o->u.ring.lane;
    bool ring;
    l->root_rx_used = true;
    enum lane_result r = lane_get_all(l->root_rx, l->n, msgs, count, done,
                                      &ring);
    if (r == LANE_DONE) {
        if (ring)
            k_wake(&o->waiters);
        return VX_OK;
    }
    if (r == LANE_WAIT)
        return VX_ERR_SHOULD_WAIT;
    if (r == LANE_RANGE)
        return VX_ERR_OUT_OF_RANGE;
    return VX_ERR_BAD_STATE;
}
