/* hosted/broker.c — serves the control calls of spawned Tasks.
 *
 * Each connection (one per thread of a spawned Task) has a thread here
 * that reads a request, runs the very same vx_* entry point the root Task
 * uses — with k_current set to the requesting Task, so the core charges,
 * checks and installs against that Task — and writes the reply. Requests
 * are untrusted bytes: decoding is bounded (buf_get_*), pointers the
 * caller passed as NULL travel as bits of a mask so that the core sees
 * exactly the call the Task made, and every length is clamped before it
 * sizes an allocation. */
#define _GNU_SOURCE
#include "kern.h"
#include "proto.h"
#include "ring_wait.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct reply {
    buf b;
    int fd;        /* to send with the reply, or -1 */
    int hangup;    /* close the connection after replying */
} reply;

#define NUL(i) (nulls & (1u << (i)))

/* Reads a NUL-free string of up to VX_NAME_MAX bytes (longer ones are
 * kept long enough to be refused by the core as malformed). */
static const char *get_name(buf *in, char *store, size_t cap)
{
    uint32_t len = buf_get_u32(in);
    if (len == UINT32_MAX)
        return NULL; /* the caller passed NULL */
    const uint8_t *p = buf_take(in, len);
    if (p == NULL)
        return "";
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(store, p, n);
    store[n] = '\0';
    if (memchr(p, '\0', len) != NULL)
        store[0] = '\0'; /* an embedded NUL: refuse as empty */
    return store;
}

static vx_status op_ring_send(buf *in, reply *r)
{
    uint32_t nulls = buf_get_u32(in);
    vx_ring_tx tx = {{buf_get_u32(in)}};
    uint32_t count = buf_get_u32(in);
    /* Each message takes at least 28 bytes of the request: a larger count
     * is a malformed request, not an allocation size. */
    if (count > (in->len - in->pos) / 28)
        return VX_ERR_INVALID_ARGS;
    vx_msg_out *msgs = calloc(count ? count : 1, sizeof *msgs);
    if (msgs == NULL)
        return VX_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < count && !in->bad && !NUL(0); i++) {
        uint32_t flags = buf_get_u32(in);
        msgs[i].len = buf_get_u32(in);
        msgs[i].handle_count = buf_get_u32(in);
        for (uint32_t j = 0; j < VX_MSG_HANDLES_MAX; j++)
            msgs[i].handles[j].value = buf_get_u32(in);
        uint32_t carried = msgs[i].len <= VX_RING_SLOT_SIZE_MAX ? msgs[i].len
                                                                 : 0;
        msgs[i].data = (flags & 1) ? NULL : buf_take(in, carried);
    }
    vx_status st = VX_ERR_INVALID_ARGS;
    size_t done = 0;
    if (!in->bad)
        st = vx_ring_send_batch(tx, NUL(0) ? NULL : msgs, count,
                                NUL(1) ? NULL : &done);
    free(msgs);
    if (st == VX_OK)
        buf_put_u64(&r->b, done);
    return st;
}

static vx_status op_ring_recv(buf *in, reply *r)
{
    uint32_t nulls = buf_get_u32(in);
    vx_ring_rx rx = {{buf_get_u32(in)}};
    uint32_t count = buf_get_u32(in);
    if (count > VX_RING_SLOT_COUNT_MAX)
        count = VX_RING_SLOT_COUNT_MAX; /* more can never be queued */
    vx_msg_in *msgs = calloc(count ? count : 1, sizeof *msgs);
    uint8_t *data = calloc(count ? count : 1, VX_RING_SLOT_SIZE_MAX);
    /* The reply's room is found before any message leaves the Ring. */
    size_t need = 8 + (size_t)count * (16 + VX_MSG_HANDLES_MAX * 4 +
                                       VX_RING_SLOT_SIZE_MAX);
    uint8_t *out = malloc(need);
    vx_status st = VX_ERR_NO_MEMORY;
    if (msgs == NULL || data == NULL || out == NULL) {
        free(out);
        goto out;
    }
    r->b = (buf){out, need, 0, false};
    for (uint32_t i = 0; i < count && !NUL(0); i++) {
        uint32_t flags = buf_get_u32(in);
        uint32_t cap = buf_get_u32(in);
        /* A message never exceeds VX_RING_SLOT_SIZE_MAX, so clamping the
         * capacity changes no outcome. */
        msgs[i].cap = cap < VX_RING_SLOT_SIZE_MAX ? cap : VX_RING_SLOT_SIZE_MAX;
        msgs[i].buf = (flags & 1) ? NULL : data + (size_t)i * VX_RING_SLOT_SIZE_MAX;
        if (flags & 1)
            msgs[i].cap = cap; /* NULL with a capacity: the core refuses */
    }
    st = VX_ERR_INVALID_ARGS;
    if (in->bad)
        goto out;
    size_t done = 0;
    st = vx_ring_recv_batch(rx, NUL(0) ? NULL : msgs, count,
                            NUL(1) ? NULL : &done);
    if (st == VX_ERR_OUT_OF_RANGE && count > 0) {
        buf_put_u32(&r->b, msgs[0].len);
    } else if (st == VX_OK) {
        buf_put_u64(&r->b, done);
        for (size_t i = 0; i < done; i++) {
            buf_put_u32(&r->b, msgs[i].len);
            buf_put_u32(&r->b, msgs[i].handle_count);
            buf_put_u64(&r->b, msgs[i].badge);
            for (uint32_t j = 0; j < VX_MSG_HANDLES_MAX; j++)
                buf_put_u32(&r->b, msgs[i].handles[j].value);
            buf_put(&r->b, msgs[i].buf, msgs[i].len);
        }
    }
out:
    free(msgs);
    free(data);
    return st;
}

static vx_status op_spawn(buf *in, reply *r)
{
    uint32_t nulls = buf_get_u32(in);
    vx_spawn_args a;
    char name[VX_NAME_MAX + 2];
    char names[VX_SPAWN_HANDLES_MAX][VX_NAME_MAX + 2];
    vx_named_handle hs[VX_SPAWN_HANDLES_MAX];
    a.image.h.value = buf_get_u32(in);
    a.name = get_name(in, name, sizeof name);
    a.quota_bytes = buf_get_u64(in);
    a.handle_limit = buf_get_u32(in);
    a.handle_count = buf_get_u32(in);
    uint32_t sent = a.handle_count <= VX_SPAWN_HANDLES_MAX ? a.handle_count : 0;
    for (uint32_t i = 0; i < sent; i++) {
        hs[i].name = get_name(in, names[i], sizeof names[i]);
        hs[i].handle.value = buf_get_u32(in);
    }
    a.handles = NUL(2) ? NULL : hs;
    if (in->bad)
        return VX_ERR_INVALID_ARGS;
    vx_task t;
    vx_status st = vx_task_spawn(NUL(0) ? NULL : &a, NUL(1) ? NULL : &t);
    if (st == VX_OK)
        buf_put_u32(&r->b, t.h.value);
    return st;
}

static vx_status dispatch(k_task *task, int op, buf *in, reply *r)
{
    uint32_t nulls;
    vx_status st;
    switch (op) {
    case OP_HANDLE_DUP: {
        nulls = buf_get_u32(in);
        vx_handle h = {buf_get_u32(in)}, out;
        vx_rights rights = buf_get_u32(in);
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_handle_dup(h, rights, NUL(0) ? NULL : &out);
        if (st == VX_OK)
            buf_put_u32(&r->b, out.value);
        return st;
    }
    case OP_HANDLE_CLOSE:
    case OP_HANDLE_REVOKE: {
        vx_handle h = {buf_get_u32(in)};
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        return op == OP_HANDLE_CLOSE ? vx_handle_close(h) : vx_handle_revoke(h);
    }
    case OP_HANDLE_INFO: {
        nulls = buf_get_u32(in);
        vx_handle h = {buf_get_u32(in)};
        vx_handle_info info;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_handle_info_get(h, NUL(0) ? NULL : &info);
        if (st == VX_OK)
            buf_put(&r->b, &info, sizeof info);
        return st;
    }
    case OP_REGION_CREATE: {
        nulls = buf_get_u32(in);
        uint64_t size = buf_get_u64(in);
        vx_region out;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_region_create(size, NUL(0) ? NULL : &out);
        if (st == VX_OK)
            buf_put_u32(&r->b, out.h.value);
        return st;
    }
    case OP_REGION_SIZE: {
        nulls = buf_get_u32(in);
        vx_region reg = {{buf_get_u32(in)}};
        uint64_t size;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_region_size(reg, NUL(0) ? NULL : &size);
        if (st == VX_OK)
            buf_put_u64(&r->b, size);
        return st;
    }
    case OP_REGION_READ: {
        nulls = buf_get_u32(in);
        vx_region reg = {{buf_get_u32(in)}};
        uint64_t off = buf_get_u64(in), len = buf_get_u64(in);
        if (in->bad || len > PROTO_COPY_MAX)
            return VX_ERR_INVALID_ARGS;
        uint8_t *p = malloc(len ? len : 1);
        if (p == NULL)
            return VX_ERR_NO_MEMORY;
        st = vx_region_read(reg, off, NUL(0) ? NULL : p, len);
        if (st == VX_OK)
            r->b = (buf){p, len, len, false};
        else
            free(p);
        return st;
    }
    case OP_REGION_WRITE: {
        nulls = buf_get_u32(in);
        vx_region reg = {{buf_get_u32(in)}};
        uint64_t off = buf_get_u64(in), len = buf_get_u64(in);
        const uint8_t *p = len <= PROTO_COPY_MAX && !NUL(0) ? buf_take(in, len)
                                                            : NULL;
        if (in->bad || len > PROTO_COPY_MAX)
            return VX_ERR_INVALID_ARGS;
        return vx_region_write(reg, off, p, len);
    }
    case OP_REGION_MAP_FD: {
        nulls = buf_get_u32(in);
        vx_region reg = {{buf_get_u32(in)}};
        uint64_t off = buf_get_u64(in), len = buf_get_u64(in);
        vx_prot prot = buf_get_u32(in);
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        return k_region_map_fd(reg, off, len, prot, !NUL(0), &r->fd);
    }
    case OP_RING_CREATE: {
        nulls = buf_get_u32(in);
        vx_ring_params p;
        p.slot_size = buf_get_u32(in);
        p.slot_count = buf_get_u32(in);
        p.schema_id = buf_get_u64(in);
        vx_ring_tx tx;
        vx_ring_rx rx;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_ring_create(NUL(0) ? NULL : &p, NUL(1) ? NULL : &tx,
                            NUL(2) ? NULL : &rx);
        if (st == VX_OK) {
            buf_put_u32(&r->b, tx.h.value);
            buf_put_u32(&r->b, rx.h.value);
        }
        return st;
    }
    case OP_RING_PARAMS: {
        nulls = buf_get_u32(in);
        vx_handle h = {buf_get_u32(in)};
        vx_ring_params p;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_ring_params_get(h, NUL(0) ? NULL : &p);
        if (st == VX_OK)
            buf_put(&r->b, &p, sizeof p);
        return st;
    }
    case OP_RING_MINT: {
        nulls = buf_get_u32(in);
        vx_ring_tx tx = {{buf_get_u32(in)}}, out;
        uint64_t badge = buf_get_u64(in);
        vx_rights rights = buf_get_u32(in);
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_ring_tx_mint(tx, badge, rights, NUL(0) ? NULL : &out);
        if (st == VX_OK)
            buf_put_u32(&r->b, out.h.value);
        return st;
    }
    case OP_RING_SEND:
        return op_ring_send(in, r);
    case OP_RING_RECV:
        return op_ring_recv(in, r);
    case OP_RING_LANE: {
        vx_handle h = {buf_get_u32(in)};
        uint32_t part = buf_get_u32(in);
        uint64_t serial = buf_get_u64(in);
        uint8_t out[24];
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = k_lane_open(h, part, serial, &r->fd, out);
        if (st == VX_OK)
            buf_put(&r->b, out, sizeof out);
        return st;
    }
    case OP_SIGNAL_BIND: {
        vx_handle h = {buf_get_u32(in)};
        vx_conditions c = buf_get_u32(in);
        uint32_t bit = buf_get_u32(in);
        return in->bad ? VX_ERR_INVALID_ARGS : vx_signal_bind(h, c, bit);
    }
    case OP_SIGNAL_UNBIND: {
        uint32_t bit = buf_get_u32(in);
        return in->bad ? VX_ERR_INVALID_ARGS : vx_signal_unbind(bit);
    }
    case OP_SIGNAL_RAISE: {
        vx_task t = {{buf_get_u32(in)}};
        uint64_t bits = buf_get_u64(in);
        return in->bad ? VX_ERR_INVALID_ARGS : vx_signal_raise(t, bits);
    }
    case OP_SIGNAL_RAISE_SELF: {
        uint64_t bits = buf_get_u64(in);
        return in->bad ? VX_ERR_INVALID_ARGS : vx_signal_raise_self(bits);
    }
    case OP_WAIT: {
        nulls = buf_get_u32(in);
        uint64_t mask = buf_get_u64(in), deadline = buf_get_u64(in), p;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_wait(mask, deadline, NUL(0) ? NULL : &p);
        if (st == VX_OK)
            buf_put_u64(&r->b, p);
        return st;
    }
    case OP_RING_WAIT: {
        vx_ring_rx rx = {{buf_get_u32(in)}};
        uint64_t deadline = buf_get_u64(in);
        return in->bad ? VX_ERR_INVALID_ARGS : hosted_ring_wait(rx, deadline);
    }
    case OP_TIMER_CREATE: {
        nulls = buf_get_u32(in);
        vx_timer t;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_timer_create(NUL(0) ? NULL : &t);
        if (st == VX_OK)
            buf_put_u32(&r->b, t.h.value);
        return st;
    }
    case OP_TIMER_SET: {
        vx_timer t = {{buf_get_u32(in)}};
        uint64_t deadline = buf_get_u64(in), slack = buf_get_u64(in);
        return in->bad ? VX_ERR_INVALID_ARGS : vx_timer_set(t, deadline, slack);
    }
    case OP_TIMER_CANCEL: {
        vx_timer t = {{buf_get_u32(in)}};
        return in->bad ? VX_ERR_INVALID_ARGS : vx_timer_cancel(t);
    }
    case OP_TASK_SPAWN:
        return op_spawn(in, r);
    case OP_TASK_KILL: {
        vx_task t = {{buf_get_u32(in)}};
        return in->bad ? VX_ERR_INVALID_ARGS : vx_task_kill(t);
    }
    case OP_TASK_STATUS: {
        nulls = buf_get_u32(in);
        vx_task t = {{buf_get_u32(in)}};
        vx_task_status s;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_task_status_get(t, NUL(0) ? NULL : &s);
        if (st == VX_OK)
            buf_put(&r->b, &s, sizeof s);
        return st;
    }
    case OP_TASK_USAGE: {
        vx_task_usage u;
        st = vx_task_usage_get(&u);
        if (st == VX_OK)
            buf_put(&r->b, &u, sizeof u);
        return st;
    }
    case OP_TASK_INITIAL: {
        nulls = buf_get_u32(in);
        char name[VX_NAME_MAX + 2];
        const char *n = get_name(in, name, sizeof name);
        vx_obj_type type = buf_get_u32(in);
        vx_handle h;
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        st = vx_task_initial_handle(n, type, NUL(0) ? NULL : &h);
        if (st == VX_OK)
            buf_put_u32(&r->b, h.value);
        return st;
    }
    case OP_TASK_EXIT: {
        uint32_t code = buf_get_u32(in);
        if (in->bad)
            return VX_ERR_INVALID_ARGS;
        k_enter();
        task->exit_code = (int32_t)code;
        task->exit_recorded = true;
        k_leave();
        return VX_OK;
    }
    case OP_THREAD_CONNECT: {
        int sv[2];
        k_enter();
        st = task->threads >= 64 ? VX_ERR_LIMIT : VX_OK;
        if (st == VX_OK &&
            socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            st = VX_ERR_NO_MEMORY;
        if (st == VX_OK && !k_broker_start(task, sv[0])) {
            close(sv[1]);
            st = VX_ERR_NO_MEMORY;
        }
        if (st == VX_OK) {
            task->threads++;
            r->fd = sv[1];
        }
        k_leave();
        return st;
    }
    case OP_THREAD_DONE:
        k_enter();
        if (task->threads > 1)
            task->threads--;
        k_leave();
        r->hangup = 1;
        return VX_OK;
    default:
        return VX_ERR_NOT_SUPPORTED;
    }
}

/* Runs in its own thread, holding a reference to t (taken by
 * k_broker_start) that it drops when the connection ends. */
void k_broker_serve(k_task *t, int sock)
{
    k_current = t;
    proto_frame f;
    uint8_t *body;
    int fd;
    while (wire_recv(sock, &f, &body, &fd)) {
        if (fd >= 0)
            close(fd); /* Tasks never send descriptors */
        uint8_t small[256];
        reply r = {{small, sizeof small, 0, false}, -1, 0};
        buf in = {body, f.len, 0, false};
        vx_status st = dispatch(t, f.code, &in, &r);
        bool ok = wire_send(sock, st, r.b.p, r.b.bad ? 0 : r.b.pos, r.fd);
        if (r.b.p != small)
            free(r.b.p);
        if (r.fd >= 0)
            close(r.fd);
        free(body);
        if (!ok || r.hangup)
            break;
    }
    close(sock);
    k_current = NULL;
    k_enter();
    t->connections--;
    k_task_finish_if_ready(t); /* the process may be gone already */
    k_task_unref(t);
    k_leave();
}

struct serve_args {
    k_task *t;
    int sock;
};

static void *serve_main(void *p)
{
    struct serve_args a = *(struct serve_args *)p;
    free(p);
    k_broker_serve(a.t, a.sock);
    return NULL;
}

bool k_broker_start(k_task *t, int sock)
{
    struct serve_args *a = malloc(sizeof *a);
    if (a == NULL) {
        close(sock);
        return false;
    }
    k_task_ref(t); /* core lock held by the caller */
    t->connections++;
    a->t = t;
    a->sock = sock;
    pthread_attr_t at;
    pthread_t id;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    bool ok = pthread_create(&id, &at, serve_main, a) == 0;
    pthread_attr_destroy(&at);
    if (!ok) {
        free(a);
        close(sock);
        t->refs--; /* cannot reach zero: the caller holds one */
        t->connections--;
    }
    return ok;
}
