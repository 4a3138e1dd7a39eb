/* hosted/lane.c — the core's side of the Ring fast path (hosted/lane.h,
 * docs/substrate.md §11): engaging a lane when a spawned Task asks for
 * one, sealing it (taking the queue back) when the Ring's handles change,
 * conditions computed from it, and the doorbell.
 *
 * A lane exists only while its Ring has exactly one TX and one RX handle,
 * both in Task tables: then the holder of each end is the only producer
 * and the only consumer, and every event that could change that — a dup,
 * mint, move or close of either end — passes through the core, which
 * seals the lane first. The Ring's own queue is empty while a lane is
 * engaged. */
#define _GNU_SOURCE
#include "kern.h"
#include "lane.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

struct k_lane {
    uint64_t serial;
    int shared_fd, ctl_fd;
    uint8_t *shared;
    size_t shared_size;
    lane_ctl *ctl;
    /* The root Task's ends: the root is the core, so it uses the lane
     * directly, under the core lock. Their positions are the truth when
     * the root has used that end. */
    lane_view root_tx, root_rx;
    bool root_tx_used, root_rx_used;
    uint32_t tail0; /* messages moved in at engagement */
};

/* The doorbells: one eventfd per spawned Task that uses lanes (so a Task
 * that drains its own eventfd only delays wake-ups for its own Rings). An
 * end that finds a sleeper on the other side writes its Task's eventfd;
 * the doorbell thread, in epoll over all of them, turns that into a
 * wake-up of the core's waiters. A bell is freed only by the doorbell
 * thread, after the batch of events that might still name it. */
struct k_bell {
    int fd;
    bool dead;
    struct k_bell *next_dead;
};

static int bells_epoll = -1;
static struct k_bell *bells_dead;
static uint64_t lane_serial;

static void *doorbell_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct epoll_event ev[16];
        int n = epoll_wait(bells_epoll, ev, 16, -1);
        k_enter();
        for (int i = 0; i < n; i++) {
            struct k_bell *b = ev[i].data.ptr;
            uint64_t v;
            if (!b->dead && read(b->fd, &v, sizeof v) < 0) {
                /* EAGAIN: another event drained it already. */
            }
        }
        while (bells_dead != NULL) {
            struct k_bell *b = bells_dead;
            bells_dead = b->next_dead;
            free(b);
        }
        if (n > 0)
            k_wake_all();
        k_leave();
    }
    return NULL;
}

static bool doorbell_start(void)
{
    if (bells_epoll >= 0)
        return true;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
        return false;
    bells_epoll = fd;
    pthread_attr_t at;
    pthread_t id;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    bool ok = pthread_create(&id, &at, doorbell_main, NULL) == 0;
    pthread_attr_destroy(&at);
    if (!ok) {
        close(fd);
        bells_epoll = -1;
    }
    return ok;
}

/* t's doorbell, made on first use. */
static struct k_bell *bell_of(k_task *t)
{
    if (t->bell != NULL)
        return t->bell;
    if (!doorbell_start())
        return NULL;
    struct k_bell *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = b};
    if (b->fd < 0 || epoll_ctl(bells_epoll, EPOLL_CTL_ADD, b->fd, &ev) != 0) {
        if (b->fd >= 0)
            close(b->fd);
        free(b);
        return NULL;
    }
    t->bell = b;
    return b;
}

void k_lane_task_gone(k_task *t)
{
    struct k_bell *b = t->bell;
    if (b == NULL)
        return;
    t->bell = NULL;
    epoll_ctl(bells_epoll, EPOLL_CTL_DEL, b->fd, NULL);
    close(b->fd);
    b->dead = true;
    b->next_dead = bells_dead;
    bells_dead = b;
}

static void lane_free(k_lane *l)
{
    if (l->shared != NULL)
        munmap(l->shared, l->shared_size);
    if (l->ctl != NULL)
        munmap(l->ctl, LANE_CTL_SIZE);
    if (l->shared_fd >= 0)
        close(l->shared_fd);
    if (l->ctl_fd >= 0)
        close(l->ctl_fd);
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

static k_lane *lane_new(const vx_ring_params *p)
{
    k_lane *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->shared_fd = l->ctl_fd = -1;
    l->shared_size = lane_shared_size(p->slot_size, p->slot_count);
    l->shared_fd = memfd_sized("vx-lane", l->shared_size);
    l->ctl_fd = memfd_sized("vx-lane-ctl", LANE_CTL_SIZE);
    if (l->shared_fd < 0 || l->ctl_fd < 0)
        goto fail;
    void *s = mmap(NULL, l->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   l->shared_fd, 0);
    if (s == MAP_FAILED)
        goto fail;
    l->shared = s;
    void *c = mmap(NULL, LANE_CTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   l->ctl_fd, 0);
    if (c == MAP_FAILED)
        goto fail;
    l->ctl = c;
    lane_view v = {l->shared, l->ctl, p->slot_size, p->slot_count, 0, false};
    l->root_tx = v;
    l->root_rx = v;
    return l;
fail:
    lane_free(l);
    return NULL;
}

/* Positions the core believes: the root's private ones where it used the
 * lane, else what the other end published. */
static void positions(const k_lane *l, uint32_t *head, uint32_t *tail)
{
    *tail = l->root_tx_used ? l->root_tx.pos
                            : __atomic_load_n(lane_word(l->shared, LANE_TAIL_OFF),
                                              __ATOMIC_SEQ_CST);
    *head = l->root_rx_used ? l->root_rx.pos
                            : __atomic_load_n(lane_word(l->shared, LANE_HEAD_OFF),
                                              __ATOMIC_SEQ_CST);
}

uint32_t k_lane_pending(const k_object *o, bool *bad)
{
    const k_lane *l = o->u.ring.lane;
    uint32_t head, tail;
    positions(l, &head, &tail);
    uint32_t n = tail - head;
    *bad = n > o->u.ring.params.slot_count;
    return *bad ? 0 : n;
}

void k_lane_seal(k_object *o)
{
    k_lane *l = o->u.ring.lane;
    if (l == NULL)
        return;
    const vx_ring_params *p = &o->u.ring.params;
    __atomic_store_n(&l->ctl->seal_request, 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t head, tail;
    positions(l, &head, &tail);
    l->ctl->sealed_head = head;
    l->ctl->sealed_tail = tail;
    uint32_t n = tail - head;
    bool bad = n > p->slot_count;
    /* Each length is read once and checked before it bounds a copy; at the
     * first bad one, what was copied is dropped again (the queue was empty
     * while the lane was engaged): a malformed lane moves nothing. */
    uint32_t count0 = o->u.ring.count;
    size_t data = lane_slots_offset(p->slot_count);
    for (uint32_t i = 0; !bad && i < n; i++) {
        uint32_t index = (head + i) & (p->slot_count - 1);
        uint32_t len = __atomic_load_n(lane_word(l->shared,
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
        q->badge = l->ctl->badge;
        memcpy(o->u.ring.data + (size_t)slot * p->slot_size,
               l->shared + data + (size_t)index * p->slot_size, len);
        o->u.ring.count++;
    }
    if (bad) {
        o->u.ring.count = count0;
        o->u.ring.broken = true;
    }
    __atomic_store_n(&l->ctl->sealed, 1, __ATOMIC_RELEASE);
    o->u.ring.lane = NULL;
    lane_free(l);
    k_wake_all();
}

void k_lane_sleepers(k_object *o)
{
    k_lane *l = o->u.ring.lane;
    if (l == NULL)
        return;
    __atomic_store_n(&l->ctl->rx_sleepers, o->u.ring.rx_sleepers,
                     __ATOMIC_SEQ_CST);
    __atomic_store_n(&l->ctl->tx_sleepers, o->u.ring.tx_sleepers,
                     __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Engages a lane for n's Ring if none is and the Ring qualifies. */
static vx_status engage(k_node *n)
{
    k_object *o = n->obj;
    if (o->u.ring.lane != NULL)
        return VX_OK;
    if (o->u.ring.broken || o->u.ring.tx_count != 1 || o->u.ring.rx_count != 1)
        return VX_ERR_BAD_STATE;
    /* Queued messages move into the lane only if the TX's holder of now
     * sent them all (none from before the last change of the Ring's
     * handles: a lane shows its slots to the producer) and they carry no
     * handles. Otherwise they go out through the core first. */
    const vx_ring_params *p = &o->u.ring.params;
    uint32_t mask = p->slot_count - 1;
    for (uint32_t i = 0; i < o->u.ring.count; i++) {
        const k_msg *q = &o->u.ring.msgs[(o->u.ring.head + i) & mask];
        if (q->handle_count != 0 || q->epoch != o->u.ring.epoch)
            return VX_ERR_SHOULD_WAIT;
    }
    /* Both ends known and in tables, not in flight in a message (the core
     * seals on every install and uninstall, so this stays true). */
    k_node *txn = o->u.ring.a_tx, *rxn = o->u.ring.a_rx;
    if (txn == NULL || rxn == NULL || txn->owner == NULL || rxn->owner == NULL)
        return VX_ERR_BAD_STATE;
    k_lane *l = lane_new(p);
    if (l == NULL)
        return VX_ERR_NO_MEMORY;
    l->serial = ++lane_serial;
    l->ctl->serial = l->serial;
    l->ctl->slot_size = p->slot_size;
    l->ctl->slot_count = p->slot_count;
    l->ctl->badge = txn->badge;
    size_t data = lane_slots_offset(p->slot_count);
    uint32_t count = o->u.ring.count;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t slot = (o->u.ring.head + i) & mask;
        const k_msg *q = &o->u.ring.msgs[slot];
        *lane_word(l->shared, LANE_LENS_OFF + i * 4u) = q->len;
        memcpy(l->shared + data + (size_t)i * p->slot_size,
               o->u.ring.data + (size_t)slot * p->slot_size, q->len);
    }
    *lane_word(l->shared, LANE_TAIL_OFF) = count;
    l->tail0 = count;
    l->root_tx.pos = count;
    o->u.ring.head = 0;
    o->u.ring.count = 0;
    o->u.ring.lane = l;
    k_lane_sleepers(o);
    return VX_OK;
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
    st = part == 0 ? engage(n) : VX_OK;
    if (st != VX_OK)
        goto done;
    k_lane *l = o->u.ring.lane;
    st = VX_ERR_BAD_STATE;
    if (l == NULL || (part != 0 && l->serial != serial) || part > 2)
        goto done;
    st = VX_ERR_NO_MEMORY;
    if (part == 0) {
        *fd = dup(l->shared_fd);
    } else if (part == 1) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", l->ctl_fd);
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    } else {
        struct k_bell *b = bell_of(t);
        *fd = b != NULL ? dup(b->fd) : -1;
    }
    if (*fd < 0)
        goto done;
    /* A lane has one end of each side, and an end asks before it moves a
     * message through it: the producer starts after the messages moved in
     * at engagement, the consumer at 0. */
    uint32_t pos = tx ? l->tail0 : 0;
    memcpy(reply, &l->serial, 8);
    memcpy(reply + 8, &o->u.ring.params.slot_size, 4);
    memcpy(reply + 12, &o->u.ring.params.slot_count, 4);
    memcpy(reply + 16, &pos, 4);
    uint32_t side = tx ? 1 : 2;
    memcpy(reply + 20, &side, 4);
    st = VX_OK;
done:
    k_leave();
    return st;
}

void k_lane_destroy(k_object *o)
{
    if (o->u.ring.lane != NULL) {
        lane_free(o->u.ring.lane);
        o->u.ring.lane = NULL;
    }
}

/* The root Task's own sends and receives while a lane is engaged. */
vx_status k_lane_root_send(k_object *o, const vx_msg_out *msgs, size_t count,
                           size_t *done)
{
    k_lane *l = o->u.ring.lane;
    bool ring;
    l->root_tx_used = true;
    enum lane_result r = lane_put(&l->root_tx, msgs, count, done, &ring);
    if (r == LANE_DONE) {
        if (ring) /* only a thread counted as a sleeper can be waiting */
            k_wake_all();
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
    enum lane_result r = lane_get(&l->root_rx, msgs, count, done, &ring);
    if (r == LANE_DONE) {
        if (ring)
            k_wake_all();
        return VX_OK;
    }
    if (r == LANE_WAIT)
        return VX_ERR_SHOULD_WAIT;
    if (r == LANE_RANGE)
        return VX_ERR_OUT_OF_RANGE;
    return VX_ERR_BAD_STATE;
}
