/* Ring calls (docs/substrate.md §6). Messages are copied into the kernel
 * on send and out on receive; handles move (they leave the sender's
 * table on a successful send and enter the receiver's on receive). */
#include <arch/user.h>
#include <k/clock.h>
#include <k/handle.h>
#include <k/heap.h>
#include <k/ring.h>
#include <k/signal.h>
#include <k/sys.h>
#include <k/task.h>
#include <v/mem.h>

/* Batches look at this many messages at most (a Ring never holds more). */
#define BATCH_MAX VX_RING_SLOT_COUNT_MAX

/* The caller's table (a syscall runs for a user thread: task is set). */
static htable *table(void)
{
    return &thread_current()->task->handles;
}

static int64_t get(uint64_t h, vx_obj_type type, kobject **o, vx_rights *r)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    return (int64_t)htable_get(table(), (uint32_t)h, type, o, r);
}

static bool pow2(uint32_t n)
{
    return n && !(n & (n - 1));
}

int64_t sys_ring_create(uint64_t params, uint64_t tx_out, uint64_t rx_out)
{
    vx_ring_params p;
    if (!params || !tx_out || !rx_out ||
        copy_from_user(&p, params, sizeof p) != V_OK || p.slot_size == 0 ||
        p.slot_size > VX_RING_SLOT_SIZE_MAX || !pow2(p.slot_count) ||
        p.slot_count > VX_RING_SLOT_COUNT_MAX)
        return VX_ERR_INVALID_ARGS;
    task *t = task_current();
    if (htable_room(&t->handles) < 2)
        return VX_ERR_LIMIT;
    kobject *tx, *rx;
    v_status st = ring_create(&p, t->quota, &tx, &rx); /* LIMIT: quota */
    if (st != V_OK)
        return st;
    uint32_t tv, rv;
    st = htable_add(&t->handles, tx, tx->ops->create_rights, &tv);
    if (st != V_OK) {
        kobject_unref(rx);
        return st;
    }
    st = htable_add(&t->handles, rx, rx->ops->create_rights, &rv);
    if (st != V_OK) {
        (void)htable_close(&t->handles, tv);
        return st;
    }
    vx_handle a = {tv}, b = {rv};
    if (copy_to_user(tx_out, &a, sizeof a) != V_OK ||
        copy_to_user(rx_out, &b, sizeof b) != V_OK) {
        (void)htable_close(&t->handles, tv);
        (void)htable_close(&t->handles, rv);
        return VX_ERR_INVALID_ARGS;
    }
    return VX_OK;
}

int64_t sys_ring_params_get(uint64_t h, uint64_t out)
{
    kobject *o;
    vx_rights r;
    int64_t res = get(h, VX_OBJ_NONE, &o, &r);
    if (res != VX_OK)
        return res;
    if (!ring_is_tx(o) && !ring_is_rx(o)) {
        kobject_unref(o);
        return VX_ERR_BAD_HANDLE;
    }
    vx_ring_params p = ring_params(o);
    kobject_unref(o);
    if (!out || copy_to_user(out, &p, sizeof p) != V_OK)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}

int64_t sys_ring_tx_mint(uint64_t h, uint64_t badge, uint64_t rights,
                         uint64_t out)
{
    kobject *o;
    vx_rights have;
    int64_t res = get(h, VX_OBJ_RING_TX, &o, &have);
    if (res != VX_OK)
        return res;
    if (!(have & VX_RIGHT_MANAGE) || (rights & ~(uint64_t)have))
        res = VX_ERR_ACCESS_DENIED;
    else if (!out || badge == 0)
        res = VX_ERR_INVALID_ARGS;
    else if (ring_badge(o) != 0)
        res = VX_ERR_BAD_STATE;
    else if (htable_room(table()) == 0)
        res = VX_ERR_LIMIT;
    else {
        kobject *m = ring_mint(o, badge);
        uint32_t v;
        res = !m ? VX_ERR_NO_MEMORY
                 : htable_derive(table(), (uint32_t)h, m, (vx_rights)rights,
                                 &v);
        if (res == VX_OK) {
            vx_handle x = {v};
            if (copy_to_user(out, &x, sizeof x) != V_OK) {
                (void)htable_close(table(), v);
                res = VX_ERR_INVALID_ARGS;
            }
        }
    }
    kobject_unref(o);
    return res;
}

/* ---- send ---- */

/* One message to send, checked: the handles' references are held. */
typedef struct outgoing {
    vx_msg_out m;
    kobject *h[VX_MSG_HANDLES_MAX];
    vx_rights r[VX_MSG_HANDLES_MAX];
    uint32_t held;
} outgoing;

static void release(outgoing *g)
{
    for (uint32_t i = 0; i < g->held; i++)
        kobject_unref(g->h[i]);
    g->held = 0;
}

/* Phase 1 (BAD_HANDLE): reads the message and looks its handles up. */
static int64_t look(outgoing *g, uint64_t user_msg)
{
    if (!user_msg || copy_from_user(&g->m, user_msg, sizeof g->m) != V_OK)
        return VX_ERR_INVALID_ARGS; /* reported in the INVALID_ARGS phase */
    if (g->m.handle_count > VX_MSG_HANDLES_MAX)
        return VX_OK; /* not looked at: INVALID_ARGS wins */
    for (uint32_t i = 0; i < g->m.handle_count; i++) {
        int64_t r = get(g->m.handles[i].value, VX_OBJ_NONE, &g->h[i], &g->r[i]);
        if (r != VX_OK)
            return r;
        g->held = i + 1;
    }
    return VX_OK;
}

static int64_t check_rest(outgoing *g, kobject *tx, uint32_t tx_value,
                          uint32_t slot_size)
{
    for (uint32_t i = 0; i < g->held; i++)
        if (!(g->r[i] & VX_RIGHT_TRANSFER))
            return VX_ERR_ACCESS_DENIED;
    if (g->m.len > slot_size || (g->m.len && !g->m.data) ||
        g->m.handle_count > VX_MSG_HANDLES_MAX)
        return VX_ERR_INVALID_ARGS;
    for (uint32_t i = 0; i < g->held; i++) {
        if (g->m.handles[i].value == tx_value ||
            (ring_is_rx(g->h[i]) && ring_same(tx, g->h[i])))
            return VX_ERR_INVALID_ARGS;
        for (uint32_t j = 0; j < i; j++)
            if (g->m.handles[i].value == g->m.handles[j].value)
                return VX_ERR_INVALID_ARGS;
    }
    return VX_OK;
}

/* The kernel copy of a checked message; the references move into it. */
static int64_t build(outgoing *g, kobject *tx, kmsg **out)
{
    kmsg *k = ring_msg_alloc(tx, g->m.len);
    if (!k)
        return VX_ERR_NO_MEMORY;
    if (copy_from_user(k->data, (uint64_t)(uintptr_t)g->m.data, g->m.len) !=
        V_OK) {
        ring_msg_free(tx, k);
        return VX_ERR_INVALID_ARGS;
    }
    k->len = g->m.len;
    k->handle_count = g->m.handle_count;
    for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
        k->h[i] = 0; /* the handles move in at commit */
    *out = k;
    return VX_OK;
}

/* Under the tree lock: queues k with g's handles, which leave the
 * sender's table only if the message was queued. A handle closed by
 * another thread since it was looked up is BAD_HANDLE. */
static v_status commit(const outgoing *g, kobject *tx, kmsg *k,
                       bool *handoff)
{
    htable *t = table();
    v_status st = V_OK;
    for (uint32_t i = 0; i < g->m.handle_count && st == V_OK; i++) {
        k->h[i] = htable_node_locked(t, g->m.handles[i].value);
        if (!k->h[i])
            st = V_ERR_BAD_HANDLE;
    }
    if (st == V_OK)
        st = ring_send(tx, k, handoff);
    if (st != V_OK) {
        for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
            k->h[i] = 0;
        return st;
    }
    /* Queued: a receiver needs the tree lock to take the handles, so
     * they leave this table before anyone can see them in the message. */
    for (uint32_t i = 0; i < g->m.handle_count; i++)
        (void)htable_detach_locked(t, g->m.handles[i].value);
    return V_OK;
}

static int64_t send_many(uint64_t h, uint64_t msgs, uint64_t count,
                         uint64_t done_out, bool batch)
{
    kobject *tx;
    vx_rights have;
    int64_t r = get(h, VX_OBJ_RING_TX, &tx, &have);
    if (r != VX_OK)
        return r;
    bool handoff = false;
    uint64_t n = count > BATCH_MAX ? BATCH_MAX : count;
    /* One message (vx_ring_send) needs no allocation for its state. */
    outgoing one_g = {.held = 0};
    kmsg *one_k = 0;
    bool local = n == 1;
    outgoing *g = local ? &one_g : n ? kzalloc(n * sizeof *g) : 0;
    kmsg **k = local ? &one_k : n ? kzalloc(n * sizeof *k) : 0;
    if (n && (!g || !k)) {
        r = VX_ERR_NO_MEMORY;
        goto out;
    }
    int64_t invalid = VX_OK; /* an INVALID_ARGS seen while looking */
    for (uint64_t i = 0; i < n && r == VX_OK; i++) {
        int64_t x = look(&g[i], msgs + i * sizeof(vx_msg_out));
        if (x == VX_ERR_INVALID_ARGS)
            invalid = x;
        else
            r = x;
    }
    if (r != VX_OK)
        goto out;
    if (!(have & VX_RIGHT_SEND)) {
        r = VX_ERR_ACCESS_DENIED;
        goto out;
    }
    if (invalid != VX_OK || (batch && (!msgs || !count || !done_out))) {
        /* TRANSFER is checked before INVALID_ARGS even here. */
        for (uint64_t i = 0; i < n; i++)
            for (uint32_t j = 0; j < g[i].held; j++)
                if (!(g[i].r[j] & VX_RIGHT_TRANSFER)) {
                    r = VX_ERR_ACCESS_DENIED;
                    goto out;
                }
        r = VX_ERR_INVALID_ARGS;
        goto out;
    }
    uint32_t slot = ring_params(tx).slot_size;
    for (uint64_t i = 0; i < n && r == VX_OK; i++)
        r = check_rest(&g[i], tx, (uint32_t)h, slot);
    /* No handle twice in the whole batch. */
    for (uint64_t i = 0; i < n && r == VX_OK; i++)
        for (uint64_t j = 0; j < i && r == VX_OK; j++)
            for (uint32_t a = 0; a < g[i].m.handle_count; a++)
                for (uint32_t b = 0; b < g[j].m.handle_count; b++)
                    if (g[i].m.handles[a].value == g[j].m.handles[b].value)
                        r = VX_ERR_INVALID_ARGS;
    if (r != VX_OK)
        goto out;
    for (uint64_t i = 0; i < n && r == VX_OK; i++)
        r = build(&g[i], tx, &k[i]);
    if (r != VX_OK)
        goto out;
    uint64_t sent = 0;
    /* Only messages with handles need the tree lock (k/handle.h). */
    bool nodes = false;
    for (uint64_t i = 0; i < n; i++)
        nodes |= g[i].m.handle_count != 0;
    if (nodes)
        handle_tree_lock();
    for (; sent < n; sent++) {
        v_status st = commit(&g[sent], tx, k[sent], &handoff);
        if (st != V_OK) {
            if (sent == 0)
                r = st;
            break;
        }
        k[sent] = 0;
    }
    if (nodes)
        handle_tree_unlock();
    if (r == VX_OK && batch) {
        size_t d = (size_t)sent;
        (void)copy_to_user(done_out, &d, sizeof d);
    }
out:
    for (uint64_t i = 0; i < n; i++) {
        if (g)
            release(&g[i]);
        if (k && k[i])
            ring_msg_free(tx, k[i]); /* not sent: the handles stay ours */
    }
    if (!local) {
        kfree(g);
        kfree(k);
    }
    kobject_unref(tx);
    /* A receiver woke and waits on this CPU: let it run now (typically
     * it replies, and our next receive finds the reply instead of
     * sleeping). Nothing is held here. */
    if (handoff)
        thread_yield();
    return r;
}

/* send_plain's path when the Ring has no spare buffer: with a reference
 * (tx's own), since the allocation must not happen under the table
 * lock. */
static int64_t send_alloc(kobject *tx, const vx_msg_out *m)
{
    bool handoff = false;
    int64_t r;
    kmsg *k = ring_msg_alloc(tx, m->len);
    if (!k)
        r = VX_ERR_NO_MEMORY;
    else if (copy_from_user(k->data, (uint64_t)(uintptr_t)m->data, m->len) !=
             V_OK)
        r = VX_ERR_INVALID_ARGS;
    else {
        k->len = m->len;
        k->handle_count = 0;
        for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
            k->h[i] = 0;
        r = ring_send(tx, k, &handoff);
        if (r == VX_OK)
            k = 0;
    }
    if (k)
        ring_msg_free(tx, k);
    kobject_unref(tx);
    if (handoff) /* as in send_many */
        thread_yield();
    return r;
}

/* vx_ring_send of a message without handles: the common case, with
 * the same checks in the same order as send_many, but no batch state,
 * no tree lock, no reference (the table lock is held across the send:
 * htable_use) and, when the Ring keeps a spare buffer, no allocation.
 * *done false: the message carries handles (or could not be read), use
 * send_many. */
static int64_t send_plain(uint64_t h, uint64_t user_msg, bool *done)
{
    vx_msg_out m; /* its handles are never read: there are none */
    *done = false;
    if (copy_from_user(&m, user_msg, __builtin_offsetof(vx_msg_out, handles)) !=
            V_OK ||
        m.handle_count)
        return VX_OK;
    *done = true;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    htable *t = table();
    vx_rights have;
    kobject *tx = htable_use(t, (uint32_t)h, VX_OBJ_RING_TX, &have);
    if (!tx)
        return VX_ERR_BAD_HANDLE;
    if (!(have & VX_RIGHT_SEND)) {
        htable_unuse(t);
        return VX_ERR_ACCESS_DENIED;
    }
    ring_fast f = ring_send_plain(tx, &m);
    if (!f.done) {
        kobject_ref(tx);
        htable_unuse(t);
        return send_alloc(tx, &m);
    }
    htable_unuse(t);
    if (f.drop) /* rare: the Ring kept a spare already */
        kfree(f.drop);
    /* A receiver woke and waits on this CPU: let it run now (typically
     * it replies, and our next receive finds the reply instead of
     * sleeping). Nothing is held here. */
    if (f.signal)
        signal_broadcast_yield();
    return f.st;
}

int64_t sys_ring_send(uint64_t tx, uint64_t msg)
{
    if (!msg) { /* checked after the handle, before anything else */
        kobject *o;
        vx_rights have;
        int64_t r = get(tx, VX_OBJ_RING_TX, &o, &have);
        if (r != VX_OK)
            return r;
        kobject_unref(o);
        return have & VX_RIGHT_SEND ? VX_ERR_INVALID_ARGS
                                    : VX_ERR_ACCESS_DENIED;
    }
    bool done;
    int64_t r = send_plain(tx, msg, &done);
    return done ? r : send_many(tx, msg, 1, 0, false);
}

int64_t sys_ring_send_batch(uint64_t tx, uint64_t msgs, uint64_t count,
                            uint64_t done)
{
    return send_many(tx, msgs, msgs && done ? count : 0, done, true);
}

/* ---- receive ---- */

/* Under the tree lock: the handles a receive took go back into the
 * message (it stays queued). One another thread of the Task has closed
 * meanwhile is gone (its slot arrives as INVALID later). */
static void give_back(kmsg *m, hnode **took, const vx_msg_in *in)
{
    for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++) {
        if (!took[i])
            continue;
        uint32_t v = in->handles[i].value;
        if (htable_node_locked(table(), v) == took[i])
            m->h[i] = htable_detach_locked(table(), v);
        took[i] = 0;
    }
}

/* The receive of a message ring_recv_plain could not take (it has
 * handles, or a receive with handles is under way): under recv_lock.
 * in holds the caller's buf and cap. */
__attribute__((noinline)) static int64_t recv_slow(kobject *rx,
                                                   uint64_t user_msg,
                                                   vx_msg_in *in)
{
    ring_recv_lock(rx);
    bool closed;
    int64_t r = VX_OK;
    kmsg *m = ring_peek(rx, &closed);
    if (!m) {
        r = closed ? VX_ERR_PEER_CLOSED : VX_ERR_SHOULD_WAIT;
        goto out;
    }
    if (m->len > in->cap) {
        uint32_t len = m->len;
        r = copy_to_user(user_msg + __builtin_offsetof(vx_msg_in, len), &len,
                         sizeof len) == V_OK ? VX_ERR_OUT_OF_RANGE
                                             : VX_ERR_INVALID_ARGS;
        goto out;
    }
    if (htable_room(table()) < m->handle_count) {
        r = VX_ERR_LIMIT;
        goto out;
    }
    if (copy_to_user((uint64_t)(uintptr_t)in->buf, m->data, m->len) != V_OK) {
        r = VX_ERR_INVALID_ARGS;
        goto out;
    }
    in->len = m->len;
    in->handle_count = m->handle_count;
    in->badge = m->badge;
    for (uint32_t i = 0; i < VX_MSG_HANDLES_MAX; i++)
        in->handles[i] = VX_HANDLE_INVALID;
    /* The handles move into the table under the tree lock (a revoke may
     * be emptying them); one revoked in flight arrives as INVALID. */
    hnode *took[VX_MSG_HANDLES_MAX] = {0};
    bool nodes = m->handle_count != 0;
    if (nodes)
        handle_tree_lock();
    for (uint32_t i = 0; i < m->handle_count && r == VX_OK; i++) {
        hnode *x = m->h[i];
        if (!x || !x->obj)
            continue;
        r = (int64_t)htable_attach_locked(table(), x, &in->handles[i].value);
        if (r == VX_OK) {
            took[i] = x;
            m->h[i] = 0;
        }
    }
    if (r != VX_OK)
        give_back(m, took, in);
    if (nodes)
        handle_tree_unlock();
    if (r == VX_OK && copy_to_user(user_msg, in, sizeof *in) != V_OK) {
        if (nodes) {
            handle_tree_lock();
            give_back(m, took, in);
            handle_tree_unlock();
        }
        r = VX_ERR_INVALID_ARGS;
    }
    if (r == VX_OK) {
        ring_pop(rx, m);
        ring_msg_free(rx, m); /* revoked leftovers; the table has the rest */
    }
out:
    ring_recv_unlock(rx);
    return r;
}

/* Reads buf and cap of the user's vx_msg_in at user_msg (with len,
 * handle_count and reserved, which share their 8-byte words): every
 * other field is written before the struct goes back. */
static bool read_in(vx_msg_in *in, uint64_t user_msg)
{
    return user_msg &&
           copy_from_user(in, user_msg, __builtin_offsetof(vx_msg_in, badge)) ==
               V_OK &&
           (in->buf || in->cap == 0);
}

/* Receives one message into the user's vx_msg_in at user_msg, holding
 * a reference to rx (a batch). */
static int64_t recv_one(kobject *rx, uint64_t user_msg)
{
    vx_msg_in in;
    if (!read_in(&in, user_msg))
        return VX_ERR_INVALID_ARGS;
    irq_disable(); /* ring_recv_plain's rule; a syscall: they were on */
    ring_fast f = ring_recv_plain(rx, user_msg, &in);
    irq_enable();
    if (!f.done)
        return recv_slow(rx, user_msg, &in);
    if (f.drop) /* rare: the Ring kept a spare already */
        kfree(f.drop);
    if (f.signal)
        signal_broadcast(); /* WRITABLE: only a full Ring's TX lacked it */
    return f.st;
}

static int64_t recv_many(uint64_t h, uint64_t msgs, uint64_t count,
                         uint64_t done_out, bool batch)
{
    kobject *rx;
    vx_rights have;
    int64_t r = get(h, VX_OBJ_RING_RX, &rx, &have);
    if (r != VX_OK)
        return r;
    if (!(have & VX_RIGHT_RECV))
        r = VX_ERR_ACCESS_DENIED;
    else if (batch && (!msgs || !count || !done_out))
        r = VX_ERR_INVALID_ARGS;
    else {
        uint64_t got = 0;
        for (; got < count; got++) {
            int64_t x = recv_one(rx, msgs + got * sizeof(vx_msg_in));
            if (x != VX_OK) {
                if (got == 0)
                    r = x;
                break;
            }
        }
        if (r == VX_OK && batch) {
            size_t d = (size_t)got;
            (void)copy_to_user(done_out, &d, sizeof d);
        }
    }
    kobject_unref(rx);
    return r;
}

/* The single receive holds rx's table lock instead of a reference
 * (htable_use) unless it must take the general path. *in was read from
 * msg by read_in (readable: it could be, and it is valid); the handle
 * and rights checks come first all the same. */
static inline __attribute__((always_inline)) int64_t
recv_read(uint64_t h, uint64_t msg, vx_msg_in *in, bool readable)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    htable *t = table();
    vx_rights have;
    kobject *rx = htable_use(t, (uint32_t)h, VX_OBJ_RING_RX, &have);
    if (!rx)
        return VX_ERR_BAD_HANDLE;
    if (!(have & VX_RIGHT_RECV) || !readable) {
        htable_unuse(t);
        return have & VX_RIGHT_RECV ? VX_ERR_INVALID_ARGS
                                    : VX_ERR_ACCESS_DENIED;
    }
    ring_fast f = ring_recv_plain(rx, msg, in);
    if (!f.done) {
        kobject_ref(rx);
        htable_unuse(t);
        int64_t r = recv_slow(rx, msg, in);
        kobject_unref(rx);
        return r;
    }
    htable_unuse(t);
    if (f.drop) /* rare: the Ring kept a spare already */
        kfree(f.drop);
    if (f.signal)
        signal_broadcast(); /* WRITABLE: only a full Ring's TX lacked it */
    return f.st;
}

int64_t sys_ring_recv(uint64_t h, uint64_t msg)
{
    /* Read first (it has no effect), reported after the handle and
     * rights checks as before. */
    vx_msg_in in;
    bool readable = read_in(&in, msg);
    return recv_read(h, msg, &in, readable);
}

int64_t sys_ring_recv_batch(uint64_t rx, uint64_t msgs, uint64_t count,
                            uint64_t done)
{
    return recv_many(rx, msgs, count, done, true);
}

/* ---- send, then wait for and receive a reply ---- */

/* vx_ring_send_recv: the two calls above with a wait between them that
 * needs no binding (the Task's signal word is not touched). A round trip
 * between two Tasks is then one of these on each side: the send hands
 * the CPU to the peer sleeping here (send_plain's direct switch), which
 * replies and sleeps here in turn, which hands the CPU back. */
int64_t sys_ring_send_recv(uint64_t tx, uint64_t out, uint64_t rx,
                           uint64_t in, uint64_t deadline)
{
    /* handle_count and flags share a word: the flag goes out as that
     * word (a whole-word copy is inline), handle_count as read. */
    uint64_t flags_word = in + __builtin_offsetof(vx_msg_in, handle_count);
    _Static_assert(__builtin_offsetof(vx_msg_in, flags) ==
                       __builtin_offsetof(vx_msg_in, handle_count) + 4,
                   "vx_msg_in: handle_count, flags");
    /* Before anything is sent: rx and in (docs/substrate.md §6). */
    int64_t r = VX_OK;
    vx_rights have = 0;
    htable *t = table();
    if (rx >> 32 || !htable_use(t, (uint32_t)rx, VX_OBJ_RING_RX, &have))
        r = VX_ERR_BAD_HANDLE;
    else {
        htable_unuse(t);
        if (!(have & VX_RIGHT_RECV))
            r = VX_ERR_ACCESS_DENIED;
    }
    /* The flag is written first as if the send will succeed: that both
     * proves `in` writable and leaves one write on the common path. The
     * receive writes *in back whole, flag included. */
    vx_msg_in m;
    if (r == VX_OK && !read_in(&m, in))
        r = VX_ERR_INVALID_ARGS;
    m.flags = VX_MSG_IN_SENT;
    if (r == VX_OK &&
        copy_to_user(flags_word, &m.handle_count, 8) != V_OK)
        return VX_ERR_INVALID_ARGS; /* not writable: no flag either */
    if (r == VX_OK)
        r = sys_ring_send(tx, out);
    if (r != VX_OK) {
        uint32_t zero = 0; /* nothing sent, so nothing received */
        if (in)
            (void)copy_to_user(in + __builtin_offsetof(vx_msg_in, flags),
                               &zero, sizeof zero);
        return r;
    }
    for (;;) {
        /* Read before the receive: a send after it advances the
         * generation, so signal_sleep returns at once (k/signal.h). */
        uint64_t gen = signal_gen();
        r = recv_read(rx, in, &m, true);
        if (r != VX_ERR_SHOULD_WAIT)
            return r;
        if (deadline != VX_TIME_INFINITE && clock_ns() >= deadline)
            return VX_ERR_TIMED_OUT;
        if (__atomic_load_n(&task_current()->kill_requested,
                            __ATOMIC_ACQUIRE))
            return VX_ERR_TIMED_OUT; /* never seen: the exit path ends it */
        signal_sleep(gen, deadline);
    }
}
