/* The in-Task mpsc channel (include/v/concurrent.h).
 *
 * A ring buffer of fixed slots under a spin lock. A lock rather than a
 * lock-free queue because the signal rule needs an exact "was empty"
 * answer: a producer raises readable_bit only when its item turned the
 * channel from empty to non-empty, and the consumer drains until empty, so
 * between them every item is seen after exactly one raise, with one
 * system call per burst instead of one per item. The lock is held for a
 * copy of at most item_size bytes, never across a substrate call. */
#include <v/concurrent.h>
#include <v/mem.h>
#include <vx/signal.h>

static void lock(v_chan *c)
{
    while (__atomic_exchange_n(&c->lock, 1u, __ATOMIC_ACQUIRE) != 0u) {
        while (__atomic_load_n(&c->lock, __ATOMIC_RELAXED) != 0u) {
        }
    }
}

static void unlock(v_chan *c)
{
    __atomic_store_n(&c->lock, 0u, __ATOMIC_RELEASE);
}

static bool bit_ok(uint32_t bit)
{
    return bit < 64u || bit == V_CHAN_NO_BIT;
}

static v_status notify(uint32_t bit)
{
    if (bit == V_CHAN_NO_BIT)
        return V_OK;
    return vx_signal_raise_self(UINT64_C(1) << bit);
}

v_status v_chan_storage_size(uint32_t item_size, uint32_t capacity,
                             size_t *size)
{
    if (size == NULL || item_size == 0 || item_size > V_CHAN_ITEM_SIZE_MAX ||
        capacity == 0 || capacity > V_CHAN_CAPACITY_MAX)
        return V_ERR_INVALID_ARGS;
    /* Lengths first (4-byte aligned), then the slots: at most
     * 2^16 × (2^16 + 4) bytes, far below SIZE_MAX on 64-bit targets. */
    *size = (size_t)capacity * sizeof(uint32_t) +
            (size_t)capacity * (size_t)item_size;
    return V_OK;
}

v_status v_chan_init(v_chan *c, const v_chan_params *p, void *storage,
                     size_t storage_size)
{
    size_t need;
    if (c == NULL || p == NULL || storage == NULL ||
        ((uintptr_t)storage & 3u) != 0 || !bit_ok(p->readable_bit) ||
        !bit_ok(p->writable_bit))
        return V_ERR_INVALID_ARGS;
    if (v_chan_storage_size(p->item_size, p->capacity, &need) != V_OK ||
        storage_size < need)
        return V_ERR_INVALID_ARGS;
    c->lens = storage;
    c->slots = (uint8_t *)storage + (size_t)p->capacity * sizeof(uint32_t);
    c->p = *p;
    c->head = 0;
    c->count = 0;
    c->senders = 1;
    c->receiver_open = true;
    c->send_refused = false;
    c->lock = 0;
    return V_OK;
}

v_status v_chan_send(v_chan *c, const void *data, uint32_t len)
{
    if (c == NULL || (data == NULL && len > 0))
        return V_ERR_INVALID_ARGS;
    lock(c);
    v_status st = V_OK;
    bool was_empty = false;
    if (!c->receiver_open) {
        st = V_ERR_PEER_CLOSED;
    } else if (c->senders == 0) {
        st = V_ERR_BAD_STATE;
    } else if (len > c->p.item_size) {
        st = V_ERR_LIMIT;
    } else if (c->count == c->p.capacity) {
        c->send_refused = true;
        st = V_ERR_SHOULD_WAIT;
    } else {
        uint32_t i = (c->head + c->count) % c->p.capacity;
        if (len > 0)
            v_mem_copy(c->slots + (size_t)i * c->p.item_size, data, len);
        c->lens[i] = len;
        was_empty = c->count == 0;
        c->count++;
    }
    unlock(c);
    if (st == V_OK && was_empty)
        st = notify(c->p.readable_bit);
    return st;
}

v_status v_chan_recv(v_chan *c, void *buf, uint32_t cap, uint32_t *len)
{
    if (c == NULL || len == NULL || (buf == NULL && cap > 0))
        return V_ERR_INVALID_ARGS;
    lock(c);
    v_status st = V_OK;
    bool wake_senders = false;
    if (!c->receiver_open) {
        st = V_ERR_BAD_STATE;
    } else if (c->count == 0) {
        st = c->senders == 0 ? V_ERR_PEER_CLOSED : V_ERR_SHOULD_WAIT;
    } else {
        uint32_t n = c->lens[c->head];
        *len = n;
        if (n > cap) {
            st = V_ERR_OUT_OF_RANGE;
        } else {
            if (n > 0)
                v_mem_copy(buf, c->slots + (size_t)c->head * c->p.item_size,
                           n);
            c->head = (c->head + 1) % c->p.capacity;
            c->count--;
            wake_senders = c->send_refused;
            c->send_refused = false;
        }
    }
    unlock(c);
    if (wake_senders)
        st = notify(c->p.writable_bit);
    return st;
}

v_status v_chan_sender_open(v_chan *c)
{
    if (c == NULL)
        return V_ERR_INVALID_ARGS;
    lock(c);
    v_status st = V_OK;
    if (!c->receiver_open)
        st = V_ERR_PEER_CLOSED;
    else if (c->senders == 0)
        st = V_ERR_BAD_STATE;
    else if (c->senders == UINT32_MAX)
        st = V_ERR_LIMIT;
    else
        c->senders++;
    unlock(c);
    return st;
}

v_status v_chan_sender_close(v_chan *c)
{
    if (c == NULL)
        return V_ERR_INVALID_ARGS;
    lock(c);
    v_status st = V_OK;
    bool last = false;
    if (c->senders == 0) {
        st = V_ERR_BAD_STATE;
    } else {
        c->senders--;
        last = c->senders == 0 && c->receiver_open;
    }
    unlock(c);
    /* The receiver may be asleep on an empty channel: it must wake to
     * learn that nothing more will come. */
    if (last)
        st = notify(c->p.readable_bit);
    return st;
}

v_status v_chan_receiver_close(v_chan *c, uint32_t *discarded)
{
    if (c == NULL)
        return V_ERR_INVALID_ARGS;
    lock(c);
    v_status st = V_OK;
    bool had_senders = false;
    if (!c->receiver_open) {
        st = V_ERR_BAD_STATE;
    } else {
        c->receiver_open = false;
        if (discarded != NULL)
            *discarded = c->count;
        c->count = 0;
        had_senders = c->senders > 0;
    }
    unlock(c);
    if (had_senders)
        st = notify(c->p.writable_bit);
    return st;
}

uint32_t v_chan_count(v_chan *c)
{
    if (c == NULL)
        return 0;
    lock(c);
    uint32_t n = c->count;
    unlock(c);
    return n;
}
