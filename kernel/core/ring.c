/* Ring objects (k/ring.h). */
#include <k/handle.h>
#include <k/heap.h>
#include <k/mutex.h>
#include <k/ring.h>
#include <k/signal.h>
#include <k/spinlock.h>
#include <arch/user.h>

typedef struct ring {
    kobject base;              /* referenced by its endpoints */
    kmutex recv_lock;          /* one receive at a time (RX may be dup'd) */
    spinlock lock;
    vx_ring_params p;
    kmsg *head, *tail;
    uint32_t queued;
    uint32_t tx_alive, rx_alive; /* endpoint objects */
    kquota *charged;
    kmsg *spare;               /* a free message of full capacity, or NULL */
} ring;

/* Rings with slots this small give every message the full slot size, so
 * a received message can be kept as the next send's buffer (one spare
 * per Ring, taken and given back with one atomic each): the common
 * small request/reply then never reaches the allocator. */
#define SPARE_SLOT_MAX 256u

typedef struct endpoint {
    kobject base;
    ring *r;
    uint64_t badge;
} endpoint;

static const kobject_ops tx_ops, rx_ops;

static ring *ring_of(kobject *o)
{
    return ((endpoint *)o)->r;
}

bool ring_is_tx(kobject *o)
{
    return o->ops == &tx_ops;
}

bool ring_is_rx(kobject *o)
{
    return o->ops == &rx_ops;
}

void kmsg_free(kmsg *m)
{
    hnodes_release(m->h, m->handle_count);
    kfree(m);
}

static void ring_destroy(kobject *o)
{
    ring *r = (ring *)o;
    kfree(r->spare);
    quota_uncharge(r->charged, (uint64_t)r->p.slot_count * r->p.slot_size);
    quota_unref(r->charged);
    kfree(r);
}

static const kobject_ops ring_ops = {.type = VX_OBJ_NONE,
                                     .destroy = ring_destroy};

/* Conditions are read without the Ring's lock: each is one field
 * changed under it, and a snapshot is all a caller gets anyway. A
 * waiter cannot miss a change: it reads the signal generation before
 * evaluating, and every change is followed by a broadcast that advances
 * it (k/signal.h), so a change it did not see makes it evaluate again. */
static uint32_t peek(const uint32_t *field)
{
    return __atomic_load_n(field, __ATOMIC_ACQUIRE);
}

static vx_conditions tx_conditions(kobject *o)
{
    ring *r = ring_of(o);
    if (!peek(&r->rx_alive))
        return VX_COND_PEER_CLOSED;
    return peek(&r->queued) < r->p.slot_count ? VX_COND_WRITABLE : 0;
}

static vx_conditions rx_conditions(kobject *o)
{
    ring *r = ring_of(o);
    vx_conditions c = peek(&r->queued) ? VX_COND_READABLE : 0;
    return peek(&r->tx_alive) ? c : c | VX_COND_PEER_CLOSED;
}

static void tx_destroy(kobject *o)
{
    ring *r = ring_of(o);
    uint64_t f = spin_lock_irqsave(&r->lock);
    r->tx_alive--;
    spin_unlock_irqrestore(&r->lock, f);
    kfree(o);
    signal_broadcast(); /* PEER_CLOSED may hold on the RX */
    kobject_unref(&r->base);
}

static void rx_destroy(kobject *o)
{
    ring *r = ring_of(o);
    uint64_t f = spin_lock_irqsave(&r->lock);
    r->rx_alive--;
    kmsg *m = r->head;
    r->head = r->tail = 0;
    r->queued = 0;
    spin_unlock_irqrestore(&r->lock, f);
    kfree(o);
    while (m) { /* with the handles they carry, outside the lock */
        kmsg *next = m->next;
        kmsg_free(m);
        m = next;
    }
    signal_broadcast();
    kobject_unref(&r->base);
}

static const kobject_ops tx_ops = {
    .type = VX_OBJ_RING_TX,
    .create_rights = VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_MANAGE |
                     VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER,
    .can_assert = VX_COND_WRITABLE | VX_COND_PEER_CLOSED,
    .conditions = tx_conditions,
    .destroy = tx_destroy,
};

static const kobject_ops rx_ops = {
    .type = VX_OBJ_RING_RX,
    .create_rights = VX_RIGHT_RECV | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |
                     VX_RIGHT_TRANSFER,
    .can_assert = VX_COND_READABLE | VX_COND_PEER_CLOSED,
    .conditions = rx_conditions,
    .destroy = rx_destroy,
};

static endpoint *new_endpoint(ring *r, const kobject_ops *ops, uint64_t badge)
{
    endpoint *e = kzalloc(sizeof *e);
    if (!e)
        return 0;
    kobject_init(&e->base, ops);
    e->badge = badge;
    e->r = r;
    kobject_ref(&r->base);
    return e;
}

v_status ring_create(const vx_ring_params *p, kquota *q, kobject **tx,
                     kobject **rx)
{
    uint64_t charge = (uint64_t)p->slot_count * p->slot_size;
    if (!quota_charge(q, charge))
        return V_ERR_LIMIT;
    ring *r = kzalloc(sizeof *r);
    if (!r) {
        quota_uncharge(q, charge);
        return V_ERR_NO_MEMORY;
    }
    kobject_init(&r->base, &ring_ops);
    r->lock = (spinlock)SPINLOCK_INIT;
    r->recv_lock = (kmutex)KMUTEX_INIT;
    r->p = *p;
    quota_ref(q);
    r->charged = q;
    endpoint *t = new_endpoint(r, &tx_ops, 0);
    endpoint *x = t ? new_endpoint(r, &rx_ops, 0) : 0;
    r->tx_alive = t ? 1 : 0;
    r->rx_alive = x ? 1 : 0;
    kobject_unref(&r->base); /* the endpoints hold it now */
    if (!x) {
        if (t)
            kobject_unref(&t->base);
        return V_ERR_NO_MEMORY;
    }
    *tx = &t->base;
    *rx = &x->base;
    return V_OK;
}

vx_ring_params ring_params(kobject *o)
{
    return ring_of(o)->p;
}

uint64_t ring_badge(kobject *o)
{
    return ring_is_tx(o) ? ((endpoint *)o)->badge : 0; /* any object */
}

bool ring_same(kobject *a, kobject *b)
{
    return (ring_is_tx(b) || ring_is_rx(b)) && ring_of(a) == ring_of(b);
}

kobject *ring_mint(kobject *tx, uint64_t badge)
{
    ring *r = ring_of(tx);
    endpoint *e = new_endpoint(r, &tx_ops, badge);
    if (!e)
        return 0;
    uint64_t f = spin_lock_irqsave(&r->lock);
    r->tx_alive++;
    spin_unlock_irqrestore(&r->lock, f);
    return &e->base;
}

/* Appends m, ring lock held: PEER_CLOSED without an RX, SHOULD_WAIT when
 * full. *was_empty: READABLE turned on (only then does a broadcast
 * change anything). */
static v_status queue_locked(ring *r, kmsg *m, bool *was_empty)
{
    *was_empty = r->queued == 0;
    if (!r->rx_alive)
        return V_ERR_PEER_CLOSED;
    if (r->queued == r->p.slot_count)
        return V_ERR_SHOULD_WAIT;
    m->next = 0;
    if (r->tail)
        r->tail->next = m;
    else
        r->head = m;
    r->tail = m;
    r->queued++;
    return V_OK;
}

v_status ring_send(kobject *tx, kmsg *m, bool *handoff)
{
    ring *r = ring_of(tx);
    m->badge = ((endpoint *)tx)->badge;
    bool was_empty;
    spin_lock_irq(&r->lock); /* syscalls only (k/spinlock.h) */
    v_status st = queue_locked(r, m, &was_empty);
    spin_unlock_irq(&r->lock);
    if (st == V_OK && was_empty)
        *handoff |= signal_broadcast_handoff();
    return st;
}

/* A message whose handles are all gone: kept as the spare if there is
 * none (and the Ring's messages have full capacity); else false, and
 * the caller frees it. */
static bool keep_spare(ring *r, kmsg *m)
{
    kmsg *none = 0;
    return r->p.slot_size <= SPARE_SLOT_MAX &&
           __atomic_compare_exchange_n(&r->spare, &none, m, false,
                                       __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

ring_fast ring_send_plain(kobject *tx, const vx_msg_out *m)
{
    ring *r = ring_of(tx);
    ring_fast f = {.st = V_ERR_INVALID_ARGS, .done = true};
    if (m->len > r->p.slot_size || (m->len && !m->data))
        return f;
    kmsg *k = r->p.slot_size <= SPARE_SLOT_MAX
                  ? __atomic_exchange_n(&r->spare, (kmsg *)0, __ATOMIC_ACQ_REL)
                  : 0;
    if (!k) {
        f.done = false; /* the buffer needs the allocator */
        return f;
    }
    if (copy_from_user(k->data, (uint64_t)(uintptr_t)m->data, m->len) ==
        V_OK) {
        k->len = m->len;
        k->handle_count = 0;
        for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
            k->h[i] = 0;
        k->badge = ((endpoint *)tx)->badge;
        bool was_empty;
        spin_lock(&r->lock); /* interrupts are off: the table lock */
        f.st = queue_locked(r, k, &was_empty);
        spin_unlock(&r->lock);
        if (f.st == V_OK) {
            f.signal = was_empty;
            return f;
        }
    }
    if (!keep_spare(r, k))
        f.drop = k;
    return f;
}

kmsg *ring_msg_alloc(kobject *tx, uint32_t len)
{
    ring *r = ring_of(tx);
    if (r->p.slot_size > SPARE_SLOT_MAX)
        return kmalloc(sizeof(kmsg) + len);
    kmsg *m = __atomic_exchange_n(&r->spare, (kmsg *)0, __ATOMIC_ACQ_REL);
    return m ? m : kmalloc(sizeof(kmsg) + r->p.slot_size);
}

static void recycle(ring *r, kmsg *m)
{
    if (!keep_spare(r, m))
        kfree(m);
}

void ring_msg_free(kobject *end, kmsg *m)
{
    for (uint32_t i = 0; i < m->handle_count; i++)
        if (m->h[i]) {
            kmsg_free(m);
            return;
        }
    recycle(ring_of(end), m);
}

uint32_t ring_free_slots(kobject *tx)
{
    ring *r = ring_of(tx);
    uint64_t f = spin_lock_irqsave(&r->lock);
    uint32_t n = r->rx_alive ? r->p.slot_count - r->queued : 0;
    spin_unlock_irqrestore(&r->lock, f);
    return n;
}

kmsg *ring_peek(kobject *rx, bool *closed)
{
    ring *r = ring_of(rx);
    uint64_t f = spin_lock_irqsave(&r->lock);
    kmsg *m = r->head;
    *closed = r->tx_alive == 0;
    spin_unlock_irqrestore(&r->lock, f);
    return m;
}

void ring_pop(kobject *rx, kmsg *m)
{
    ring *r = ring_of(rx);
    uint64_t f = spin_lock_irqsave(&r->lock);
    bool was_full = false;
    if (r->head == m) {
        was_full = r->queued == r->p.slot_count;
        r->head = m->next;
        if (!r->head)
            r->tail = 0;
        r->queued--;
    }
    spin_unlock_irqrestore(&r->lock, f);
    if (was_full)
        signal_broadcast(); /* WRITABLE: only a full Ring's TX lacked it */
}

ring_fast ring_recv_plain(kobject *rx, uint64_t user_msg, vx_msg_in *in)
{
    ring *r = ring_of(rx);
    ring_fast f = {.st = V_OK, .done = true};
    spin_lock(&r->lock); /* interrupts are off (k/ring.h) */
    kmsg *m = r->head;
    /* A receive on the slow path owns the head between its peek and its
     * pop: while one holds recv_lock, everyone takes that path. */
    if (__atomic_load_n(&r->recv_lock.owner, __ATOMIC_ACQUIRE) ||
        (m && (m->handle_count || m->len > in->cap))) {
        f.done = false;
    } else if (!m) {
        f.st = r->tx_alive ? V_ERR_SHOULD_WAIT : V_ERR_PEER_CLOSED;
    } else {
        in->len = m->len;
        in->handle_count = 0;
        in->badge = m->badge;
        for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
            in->handles[i] = VX_HANDLE_INVALID;
        /* Both copies under the lock, so a failed one leaves the message
         * queued (a bad user page faults into the fixup: no sleep). */
        if (copy_to_user((uint64_t)(uintptr_t)in->buf, m->data, m->len) !=
                V_OK ||
            copy_to_user(user_msg, in, sizeof *in) != V_OK) {
            f.st = V_ERR_INVALID_ARGS;
        } else {
            f.signal = r->queued == r->p.slot_count;
            r->head = m->next;
            if (!r->head)
                r->tail = 0;
            r->queued--;
            spin_unlock(&r->lock);
            if (!keep_spare(r, m))
                f.drop = m;
            return f;
        }
    }
    spin_unlock(&r->lock);
    return f;
}

void ring_recv_lock(kobject *rx)
{
    kmutex_lock(&ring_of(rx)->recv_lock);
}

void ring_recv_unlock(kobject *rx)
{
    kmutex_unlock(&ring_of(rx)->recv_lock);
}
