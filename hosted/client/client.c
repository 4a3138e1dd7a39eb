/* hosted/client/client.c — the substrate ABI inside a spawned Task.
 *
 * A spawned Task holds no kernel state: every call is a request to the
 * broker over this thread's connection (PROTO_CONN_FD for the first
 * thread), carrying the arguments and, as bits of a mask, which pointer
 * arguments were NULL — so the broker's core makes exactly the checks, in
 * exactly the order, it would for the root Task. Only what must happen in
 * this address space happens here: mmap/munmap of Regions, thread
 * creation, reading the Clock and entropy. Linked into hosted images
 * instead of the broker library. */
#define _GNU_SOURCE
#include "client.h"
#include "../ring_wait.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <vx/vx.h>

#define THREAD_STACK ((size_t)1 << 20)

static _Thread_local int conn = PROTO_CONN_FD;

/* Sends a request; on return *out holds the reply body (malloc'd, the
 * caller frees) and *fd a received descriptor or -1. The broker going away
 * means the substrate is gone: there is nothing sensible left to do. */
vx_status client_call(int op, const buf *req, buf *out, int *fd)
{
    proto_frame f;
    uint8_t *body;
    int got_fd;
    if (!wire_send(conn, op, req->p, req->pos, -1) ||
        !wire_recv(conn, &f, &body, &got_fd))
        _exit(127);
    if (fd != NULL)
        *fd = got_fd;
    else if (got_fd >= 0)
        close(got_fd);
    *out = (buf){body, f.len, 0, false};
    return f.code;
}

#define call client_call

/* Most calls: a small request, a small reply. */
#define REQ(name) uint8_t name##_bytes[128]; buf name = {name##_bytes, sizeof name##_bytes, 0, false}
#define NULLS(...) nulls_of((const void *[]){__VA_ARGS__},                   \
                            sizeof((const void *[]){__VA_ARGS__}) / sizeof(void *))

static uint32_t nulls_of(const void *const *p, size_t n)
{
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == NULL)
            m |= 1u << i;
    return m;
}

static void put_name(buf *b, const char *s)
{
    if (s == NULL) {
        buf_put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    if (n > VX_NAME_MAX + 1)
        n = VX_NAME_MAX + 1; /* long enough to be refused as too long */
    buf_put_u32(b, (uint32_t)n);
    buf_put(b, s, n);
}

/* Runs a call whose reply is at most one u32/u64/struct: copies `size`
 * bytes of it to `res` on success. */
static vx_status simple(int op, const buf *req, void *res, size_t size)
{
    buf out;
    vx_status st = call(op, req, &out, NULL);
    if (st == VX_OK && res != NULL)
        buf_get(&out, res, size);
    free(out.p);
    return st;
}

/* ---- Handle ---- */

vx_status vx_handle_dup(vx_handle h, vx_rights rights, vx_handle *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u32(&q, h.value);
    buf_put_u32(&q, rights);
    return simple(OP_HANDLE_DUP, &q, out, sizeof *out);
}

vx_status vx_handle_close(vx_handle h)
{
    REQ(q);
    buf_put_u32(&q, h.value);
    return simple(OP_HANDLE_CLOSE, &q, NULL, 0);
}

vx_status vx_handle_revoke(vx_handle h)
{
    REQ(q);
    buf_put_u32(&q, h.value);
    return simple(OP_HANDLE_REVOKE, &q, NULL, 0);
}

vx_status vx_handle_info_get(vx_handle h, vx_handle_info *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u32(&q, h.value);
    return simple(OP_HANDLE_INFO, &q, out, sizeof *out);
}

/* ---- Region ---- */

vx_status vx_region_create(uint64_t size, vx_region *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u64(&q, size);
    return simple(OP_REGION_CREATE, &q, out, sizeof *out);
}

vx_status vx_region_size(vx_region r, uint64_t *size)
{
    REQ(q);
    buf_put_u32(&q, NULLS(size));
    buf_put_u32(&q, r.h.value);
    return simple(OP_REGION_SIZE, &q, size, sizeof *size);
}

/* Copies travel inside the request or reply, PROTO_COPY_MAX at a time; a
 * longer copy is checked against the Region's size first, so that an
 * out-of-range copy still copies nothing. */
static vx_status copy(int op, vx_region r, uint64_t offset, void *buf_in,
                      const void *buf_out, size_t len)
{
    if (len > PROTO_COPY_MAX) {
        uint64_t size;
        vx_status st = vx_region_size(r, &size);
        if (st != VX_OK)
            return st;
        if (offset > size || len > size - offset)
            return VX_ERR_OUT_OF_RANGE;
    }
    size_t done = 0;
    do {
        size_t n = len - done < PROTO_COPY_MAX ? len - done : PROTO_COPY_MAX;
        const void *p = op == OP_REGION_READ ? (const void *)buf_in : buf_out;
        size_t cap = 64 + (op == OP_REGION_WRITE ? n : 0);
        uint8_t *bytes = malloc(cap);
        if (bytes == NULL)
            return VX_ERR_NO_MEMORY;
        buf q = {bytes, cap, 0, false};
        buf_put_u32(&q, NULLS(p));
        buf_put_u32(&q, r.h.value);
        buf_put_u64(&q, offset + done);
        buf_put_u64(&q, n);
        if (op == OP_REGION_WRITE && p != NULL)
            buf_put(&q, (const uint8_t *)buf_out + done, n);
        buf out;
        vx_status st = call(op, &q, &out, NULL);
        free(bytes);
        if (st == VX_OK && op == OP_REGION_READ)
            buf_get(&out, (uint8_t *)buf_in + done, n);
        free(out.p);
        if (st != VX_OK)
            return st;
        done += n;
    } while (done < len);
    return VX_OK;
}

vx_status vx_region_read(vx_region r, uint64_t offset, void *buf_, size_t len)
{
    return copy(OP_REGION_READ, r, offset, buf_, NULL, len);
}

vx_status vx_region_write(vx_region r, uint64_t offset, const void *buf_,
                          size_t len)
{
    return copy(OP_REGION_WRITE, r, offset, NULL, buf_, len);
}

/* This Task's mappings, so that unmap can insist on an exact match. */
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void *addr; uint64_t len; } *maps;
static size_t map_count, map_cap;

vx_status vx_region_map(vx_region r, uint64_t offset, uint64_t len,
                        vx_prot prot, void **addr)
{
    REQ(q);
    buf_put_u32(&q, NULLS(addr));
    buf_put_u32(&q, r.h.value);
    buf_put_u64(&q, offset);
    buf_put_u64(&q, len);
    buf_put_u32(&q, prot);
    buf out;
    int fd = -1;
    vx_status st = call(OP_REGION_MAP_FD, &q, &out, &fd);
    free(out.p);
    if (st != VX_OK)
        return st;
    if (fd < 0)
        return VX_ERR_NO_MEMORY;
    pthread_mutex_lock(&maps_lock);
    st = VX_ERR_NO_MEMORY;
    if (map_count == map_cap) {
        size_t cap = map_cap ? map_cap * 2 : 16;
        void *m = realloc(maps, cap * sizeof *maps);
        if (m == NULL)
            goto done;
        maps = m;
        map_cap = cap;
    }
    int p = ((prot & VX_PROT_READ) ? PROT_READ : 0) |
            ((prot & VX_PROT_WRITE) ? PROT_WRITE : 0) |
            ((prot & VX_PROT_EXEC) ? PROT_EXEC : 0);
    void *a = mmap(NULL, (size_t)len, p, MAP_SHARED, fd, (off_t)offset);
    if (a == MAP_FAILED)
        goto done;
    maps[map_count].addr = a;
    maps[map_count].len = len;
    map_count++;
    *addr = a;
    st = VX_OK;
done:
    pthread_mutex_unlock(&maps_lock);
    close(fd);
    return st;
}

vx_status vx_region_unmap(void *addr, uint64_t len)
{
    vx_status st = VX_ERR_INVALID_ARGS;
    pthread_mutex_lock(&maps_lock);
    for (size_t i = 0; i < map_count; i++) {
        if (maps[i].addr == addr && maps[i].len == len) {
            munmap(addr, (size_t)len);
            maps[i] = maps[--map_count];
            st = VX_OK;
            break;
        }
    }
    pthread_mutex_unlock(&maps_lock);
    return st;
}

/* ---- Ring ---- */

vx_status vx_ring_create(const vx_ring_params *params, vx_ring_tx *tx,
                         vx_ring_rx *rx)
{
    REQ(q);
    buf_put_u32(&q, NULLS(params, tx, rx));
    vx_ring_params p = params != NULL ? *params : (vx_ring_params){0, 0, 0};
    buf_put_u32(&q, p.slot_size);
    buf_put_u32(&q, p.slot_count);
    buf_put_u64(&q, p.schema_id);
    buf out;
    vx_status st = call(OP_RING_CREATE, &q, &out, NULL);
    if (st == VX_OK) {
        tx->h.value = buf_get_u32(&out);
        rx->h.value = buf_get_u32(&out);
    }
    free(out.p);
    return st;
}

vx_status vx_ring_params_get(vx_handle endpoint, vx_ring_params *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u32(&q, endpoint.value);
    return simple(OP_RING_PARAMS, &q, out, sizeof *out);
}

vx_status vx_ring_tx_mint(vx_ring_tx tx, uint64_t badge, vx_rights rights,
                          vx_ring_tx *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u32(&q, tx.h.value);
    buf_put_u64(&q, badge);
    buf_put_u32(&q, rights);
    return simple(OP_RING_MINT, &q, out, sizeof *out);
}

vx_status vx_ring_send_batch(vx_ring_tx tx, const vx_msg_out *msgs,
                             size_t count, size_t *done)
{
    vx_status fast;
    if (client_lane_send(tx, msgs, count, done, &fast))
        return fast;
    if (count > (PROTO_FRAME_MAX - 64) / (28 + VX_RING_SLOT_SIZE_MAX))
        count = (PROTO_FRAME_MAX - 64) / (28 + VX_RING_SLOT_SIZE_MAX);
    size_t n = msgs != NULL ? count : 0, cap = 64;
    for (size_t i = 0; i < n; i++)
        cap += 28 + (msgs[i].len <= VX_RING_SLOT_SIZE_MAX ? msgs[i].len : 0);
    uint8_t *bytes = malloc(cap);
    if (bytes == NULL)
        return VX_ERR_NO_MEMORY;
    buf q = {bytes, cap, 0, false};
    buf_put_u32(&q, NULLS(msgs, done));
    buf_put_u32(&q, tx.h.value);
    buf_put_u32(&q, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        const vx_msg_out *m = &msgs[i];
        buf_put_u32(&q, m->data == NULL);
        buf_put_u32(&q, m->len);
        buf_put_u32(&q, m->handle_count);
        for (uint32_t j = 0; j < VX_MSG_HANDLES_MAX; j++)
            buf_put_u32(&q, m->handles[j].value);
        if (m->data != NULL && m->len <= VX_RING_SLOT_SIZE_MAX)
            buf_put(&q, m->data, m->len);
    }
    uint64_t sent = 0;
    vx_status st = simple(OP_RING_SEND, &q, &sent, sizeof sent);
    free(bytes);
    if (st == VX_OK)
        *done = (size_t)sent;
    return st;
}

vx_status vx_ring_send(vx_ring_tx tx, const vx_msg_out *msg)
{
    size_t done;
    return vx_ring_send_batch(tx, msg, 1, &done);
}

vx_status vx_ring_recv_batch(vx_ring_rx rx, vx_msg_in *msgs, size_t count,
                             size_t *done)
{
    vx_status fast;
    if (client_lane_recv(rx, msgs, count, done, &fast))
        return fast;
    size_t n = msgs != NULL ? count : 0;
    if (n > VX_RING_SLOT_COUNT_MAX)
        n = VX_RING_SLOT_COUNT_MAX;
    size_t cap = 64 + n * 8;
    uint8_t *bytes = malloc(cap);
    if (bytes == NULL)
        return VX_ERR_NO_MEMORY;
    buf q = {bytes, cap, 0, false};
    buf_put_u32(&q, NULLS(msgs, done));
    buf_put_u32(&q, rx.h.value);
    buf_put_u32(&q, (uint32_t)(msgs != NULL ? n : count));
    for (size_t i = 0; i < n; i++) {
        buf_put_u32(&q, msgs[i].buf == NULL);
        buf_put_u32(&q, msgs[i].cap);
    }
    buf out;
    vx_status st = call(OP_RING_RECV, &q, &out, NULL);
    free(bytes);
    if (st == VX_ERR_OUT_OF_RANGE && n > 0) {
        msgs[0].len = buf_get_u32(&out);
    } else if (st == VX_OK) {
        uint64_t got = buf_get_u64(&out);
        for (uint64_t i = 0; i < got && i < n; i++) {
            vx_msg_in *m = &msgs[i];
            uint32_t len = buf_get_u32(&out);
            m->handle_count = buf_get_u32(&out);
            m->badge = buf_get_u64(&out);
            for (uint32_t j = 0; j < VX_MSG_HANDLES_MAX; j++)
                m->handles[j].value = buf_get_u32(&out);
            m->len = len <= m->cap ? len : m->cap;
            m->flags = 0;
            buf_get(&out, m->buf, m->len);
        }
        *done = (size_t)got;
    }
    free(out.p);
    return st;
}

vx_status vx_ring_recv(vx_ring_rx rx, vx_msg_in *msg)
{
    size_t done;
    return vx_ring_recv_batch(rx, msg, 1, &done);
}

/* ---- Signal ---- */

vx_status vx_signal_bind(vx_handle h, vx_conditions conditions, uint32_t bit)
{
    REQ(q);
    buf_put_u32(&q, h.value);
    buf_put_u32(&q, conditions);
    buf_put_u32(&q, bit);
    return simple(OP_SIGNAL_BIND, &q, NULL, 0);
}

vx_status vx_signal_unbind(uint32_t bit)
{
    REQ(q);
    buf_put_u32(&q, bit);
    return simple(OP_SIGNAL_UNBIND, &q, NULL, 0);
}

vx_status vx_signal_raise(vx_task task, uint64_t bits)
{
    REQ(q);
    buf_put_u32(&q, task.h.value);
    buf_put_u64(&q, bits);
    return simple(OP_SIGNAL_RAISE, &q, NULL, 0);
}

vx_status vx_signal_raise_self(uint64_t bits)
{
    REQ(q);
    buf_put_u64(&q, bits);
    return simple(OP_SIGNAL_RAISE_SELF, &q, NULL, 0);
}

vx_status vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending)
{
    REQ(q);
    buf_put_u32(&q, NULLS(pending));
    buf_put_u64(&q, mask);
    buf_put_u64(&q, deadline);
    return simple(OP_WAIT, &q, pending, sizeof *pending);
}

vx_status hosted_ring_wait(vx_ring_rx rx, vx_time deadline)
{
    REQ(q);
    buf_put_u32(&q, rx.h.value);
    buf_put_u64(&q, deadline);
    return simple(OP_RING_WAIT, &q, NULL, 0);
}

/* ---- Clock ---- */

vx_time vx_clock_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (vx_time)ts.tv_sec * 1000000000u + (vx_time)ts.tv_nsec;
}

vx_status vx_timer_create(vx_timer *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    return simple(OP_TIMER_CREATE, &q, out, sizeof *out);
}

vx_status vx_timer_set(vx_timer t, vx_time deadline, vx_duration slack)
{
    REQ(q);
    buf_put_u32(&q, t.h.value);
    buf_put_u64(&q, deadline);
    buf_put_u64(&q, slack);
    return simple(OP_TIMER_SET, &q, NULL, 0);
}

vx_status vx_timer_cancel(vx_timer t)
{
    REQ(q);
    buf_put_u32(&q, t.h.value);
    return simple(OP_TIMER_CANCEL, &q, NULL, 0);
}

/* ---- Entropy: the host's getrandom, which the sandbox allows ---- */

vx_status vx_entropy_read(void *buf_, size_t len)
{
    if ((buf_ == NULL && len > 0) || len > VX_ENTROPY_READ_MAX)
        return VX_ERR_INVALID_ARGS;
    size_t done = 0;
    while (done < len) {
        ssize_t got = getrandom((char *)buf_ + done, len - done, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return VX_ERR_NOT_SUPPORTED; /* no source to trust */
        done += (size_t)got;
    }
    return VX_OK;
}

/* ---- Task ---- */

vx_status vx_task_spawn(const vx_spawn_args *args, vx_task *out)
{
    uint8_t bytes[1024];
    buf q = {bytes, sizeof bytes, 0, false};
    const vx_named_handle *hs = args != NULL ? args->handles : NULL;
    buf_put_u32(&q, NULLS(args, out, hs));
    vx_spawn_args a = args != NULL ? *args : (vx_spawn_args){0};
    buf_put_u32(&q, a.image.h.value);
    put_name(&q, args != NULL ? a.name : "x");
    buf_put_u64(&q, a.quota_bytes);
    buf_put_u32(&q, a.handle_limit);
    buf_put_u32(&q, a.handle_count);
    if (hs != NULL && a.handle_count <= VX_SPAWN_HANDLES_MAX) {
        for (uint32_t i = 0; i < a.handle_count; i++) {
            put_name(&q, hs[i].name);
            buf_put_u32(&q, hs[i].handle.value);
        }
    }
    return simple(OP_TASK_SPAWN, &q, out, sizeof *out);
}

vx_status vx_task_kill(vx_task t)
{
    REQ(q);
    buf_put_u32(&q, t.h.value);
    return simple(OP_TASK_KILL, &q, NULL, 0);
}

vx_status vx_task_status_get(vx_task t, vx_task_status *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    buf_put_u32(&q, t.h.value);
    return simple(OP_TASK_STATUS, &q, out, sizeof *out);
}

vx_status vx_task_usage_get(vx_task_usage *out)
{
    if (out == NULL)
        return VX_ERR_INVALID_ARGS;
    REQ(q);
    return simple(OP_TASK_USAGE, &q, out, sizeof *out);
}

vx_status vx_task_initial_handle(const char *name, vx_obj_type type,
                                 vx_handle *out)
{
    REQ(q);
    buf_put_u32(&q, NULLS(out));
    put_name(&q, name);
    buf_put_u32(&q, type);
    return simple(OP_TASK_INITIAL, &q, out, sizeof *out);
}

void vx_task_exit(int32_t code)
{
    REQ(q);
    buf_put_u32(&q, (uint32_t)code);
    (void)!simple(OP_TASK_EXIT, &q, NULL, 0);
    _exit((int)code);
}

/* ---- threads: each with its own connection ---- */

struct thread_start {
    void (*entry)(void *);
    void *arg;
    int fd;
};

static void *thread_main(void *p)
{
    struct thread_start s = *(struct thread_start *)p;
    free(p);
    conn = s.fd;
    s.entry(s.arg);
    REQ(q);
    (void)!simple(OP_THREAD_DONE, &q, NULL, 0);
    close(conn);
    return NULL;
}

vx_status vx_thread_start(void (*entry)(void *arg), void *arg)
{
    if (entry == NULL)
        return VX_ERR_INVALID_ARGS;
    struct thread_start *s = malloc(sizeof *s);
    if (s == NULL)
        return VX_ERR_NO_MEMORY;
    REQ(q);
    buf out;
    int fd = -1;
    vx_status st = call(OP_THREAD_CONNECT, &q, &out, &fd);
    free(out.p);
    if (st == VX_OK && fd < 0)
        st = VX_ERR_NO_MEMORY;
    if (st != VX_OK) {
        free(s);
        return st;
    }
    s->entry = entry;
    s->arg = arg;
    s->fd = fd;
    pthread_attr_t a;
    pthread_t id;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    /* The stack is private memory, counted against the Task's quota
     * (RLIMIT_DATA, docs/substrate.md §11): 1 MiB, not libc's 8. */
    pthread_attr_setstacksize(&a, THREAD_STACK);
    if (pthread_create(&id, &a, thread_main, s) != 0) {
        free(s);
        close(fd); /* the broker sees the hang-up */
        st = VX_ERR_NO_MEMORY;
    }
    pthread_attr_destroy(&a);
    return st;
}
