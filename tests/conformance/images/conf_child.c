/* tests/conformance/images/conf_child.c — the Task image the conformance
 * suite spawns. Written against include/vx only (except CHILD_PROBE, which
 * asks the host directly, to show the sandbox refusing), so the same image
 * source serves the native kernel. Protocol: child.h. */
#define _GNU_SOURCE /* kill, syscall: CHILD_PROBE only */
#include "child.h"

#include <vx/vx.h>

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define BIT_CMD 0
#define BIT_REPLY 1
#define BIT_USER_FIRST 8

static vx_ring_rx cmd;
static vx_ring_tx reply;
static vx_handle slots[CHILD_SLOTS];

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Sends a reply, waiting while the reply Ring is full. */
static void answer(vx_status st, const void *data, uint32_t len,
                   const vx_handle *h, uint32_t hc)
{
    uint8_t msg[CHILD_SLOT_SIZE];
    put32(msg, (uint32_t)st);
    const uint8_t *d = data;
    for (uint32_t i = 0; i < len && i + 4 < sizeof msg; i++)
        msg[4 + i] = d[i];
    vx_msg_out m = {msg, 4 + len, hc, {{0}}};
    for (uint32_t i = 0; i < hc; i++)
        m.handles[i] = h[i];
    for (;;) {
        vx_status s = vx_ring_send(reply, &m);
        if (s != VX_ERR_SHOULD_WAIT)
            return;
        uint64_t p;
        if (vx_wait(UINT64_C(1) << BIT_REPLY, VX_TIME_INFINITE, &p) != VX_OK)
            return;
    }
}

static int free_slot(void)
{
    for (int i = 0; i < (int)CHILD_SLOTS; i++)
        if (slots[i].value == 0)
            return i;
    return -1;
}

static vx_handle slot(const uint8_t *arg)
{
    uint32_t i = get32(arg);
    return i < CHILD_SLOTS ? slots[i] : VX_HANDLE_INVALID;
}

#ifdef __linux__
static void probe(void)
{
    int32_t e[5];
    errno = 0;
    e[0] = open("/etc/hostname", O_RDONLY) < 0 ? errno : 0;
    errno = 0;
    e[1] = socket(AF_INET, SOCK_STREAM, 0) < 0 ? errno : 0;
    errno = 0;
    e[2] = kill(1, 0) < 0 ? errno : 0;
    errno = 0;
    e[3] = syscall(SYS_fork) < 0 ? errno : 0;
    errno = 0;
    char *argv[] = {"true", 0}, *envp[] = {0};
    e[4] = execve("/bin/true", argv, envp) < 0 ? errno : 0;
    answer(VX_OK, e, sizeof e, 0, 0);
}
#else
static void probe(void)
{
    answer(VX_ERR_NOT_SUPPORTED, 0, 0, 0, 0);
}
#endif

static uint64_t thread_mask;

/* A second thread, blocked in vx_wait while the first keeps serving. */
static void waiter(void *arg)
{
    (void)arg;
    uint8_t out[8];
    uint64_t p = 0;
    vx_status st = vx_wait(thread_mask, VX_TIME_INFINITE, &p);
    put64(out, p);
    answer(st, out, 8, 0, 0);
}

static void run(const uint8_t *b, uint32_t len, const vx_msg_in *in)
{
    uint8_t out[CHILD_SLOT_SIZE - 4];
    uint32_t c = len >= 4 ? get32(b) : 0;
    const uint8_t *arg = b + 4;
    vx_status st;
    switch (c) {
    case CHILD_ECHO:
        put64(out, in->badge);
        for (uint32_t i = 4; i < len && i + 4 < sizeof out; i++)
            out[8 + i - 4] = b[i];
        answer(VX_OK, out, 8 + (len - 4), 0, 0);
        break;
    case CHILD_EXIT:
        vx_task_exit((int32_t)get32(arg));
    case CHILD_CRASH:
        *(volatile int *)(uintptr_t)0 = 1;
        break;
    case CHILD_SLEEP: {
        answer(VX_OK, 0, 0, 0, 0);
        uint64_t p;
        for (;;)
            (void)!vx_wait(UINT64_C(1) << 63, VX_TIME_INFINITE, &p);
    }
    case CHILD_KEEP: {
        uint32_t n = 0;
        st = VX_OK;
        for (uint32_t i = 0; i < in->handle_count; i++) {
            int s = free_slot();
            vx_handle_info info = {0};
            if (s < 0 || in->handles[i].value == 0) {
                st = s < 0 ? VX_ERR_LIMIT : VX_ERR_BAD_HANDLE;
                continue;
            }
            slots[s] = in->handles[i];
            if (vx_handle_info_get(slots[s], &info) != VX_OK)
                st = VX_ERR_BAD_HANDLE;
            put32(out + 12 * n, (uint32_t)s);
            put32(out + 12 * n + 4, info.type);
            put32(out + 12 * n + 8, info.rights);
            n++;
        }
        answer(st, out, 12 * n, 0, 0);
        break;
    }
    case CHILD_READ: {
        uint32_t n = get32(arg + 4);
        if (n > sizeof out)
            n = sizeof out;
        st = vx_region_read((vx_region){slot(arg)}, 0, out, n);
        answer(st, out, st == VX_OK ? n : 0, 0, 0);
        break;
    }
    case CHILD_WRITE_MAPPED: {
        void *p = 0;
        vx_region r = {slot(arg)};
        st = vx_region_map(r, 0, VX_PAGE_SIZE, VX_PROT_READ | VX_PROT_WRITE,
                           &p);
        if (st == VX_OK) {
            for (uint32_t i = 0; i < VX_PAGE_SIZE; i++)
                ((volatile uint8_t *)p)[i] = arg[4];
            st = vx_region_unmap(p, VX_PAGE_SIZE);
        }
        answer(st, 0, 0, 0, 0);
        break;
    }
    case CHILD_GIVE: {
        uint32_t i = get32(arg);
        vx_handle h = slot(arg);
        answer(VX_OK, 0, 0, &h, 1);
        if (i < CHILD_SLOTS)
            slots[i] = VX_HANDLE_INVALID;
        break;
    }
    case CHILD_CLOSE: {
        uint32_t i = get32(arg);
        st = vx_handle_close(slot(arg));
        if (st == VX_OK && i < CHILD_SLOTS)
            slots[i] = VX_HANDLE_INVALID;
        answer(st, 0, 0, 0, 0);
        break;
    }
    case CHILD_WAIT_BITS: {
        uint64_t p = 0;
        st = vx_wait(get64(arg), VX_TIME_INFINITE, &p);
        put64(out, p);
        answer(st, out, 8, 0, 0);
        break;
    }
    case CHILD_RAISE:
        answer(vx_signal_raise((vx_task){slot(arg)}, get64(arg + 4)), 0, 0,
               0, 0);
        break;
    case CHILD_QUOTA: {
        vx_task_usage before, after;
        static vx_region made[4096];
        uint32_t n = 0;
        st = vx_task_usage_get(&before);
        while (st == VX_OK && n < 4096)
            st = vx_region_create(16 * VX_PAGE_SIZE, &made[n++]);
        if (st != VX_OK)
            n--;
        vx_status refused = st;
        vx_region extra;
        /* After the refusal everything still works, and a close gives
         * the room back. */
        if (n > 0 && vx_handle_close(made[--n].h) == VX_OK &&
            vx_region_create(16 * VX_PAGE_SIZE, &extra) == VX_OK)
            made[n++] = extra;
        while (n > 0)
            (void)!vx_handle_close(made[--n].h);
        (void)!vx_task_usage_get(&after);
        put32(out, (uint32_t)refused);
        out[4] = before.used_bytes == after.used_bytes &&
                 before.handles_used == after.handles_used;
        answer(VX_OK, out, 5, 0, 0);
        break;
    }
    case CHILD_USAGE: {
        vx_task_usage u;
        st = vx_task_usage_get(&u);
        put64(out, u.quota_bytes);
        put64(out + 8, u.used_bytes);
        put32(out + 16, u.handle_limit);
        put32(out + 20, u.handles_used);
        answer(st, out, 24, 0, 0);
        break;
    }
    case CHILD_SEND: {
        vx_msg_out m = {arg + 4, len - 8, 0, {{0}}};
        answer(vx_ring_send((vx_ring_tx){slot(arg)}, &m), 0, 0, 0, 0);
        break;
    }
    case CHILD_PROBE:
        probe();
        break;
    case CHILD_THREAD_WAIT:
        thread_mask = get64(arg);
        answer(vx_thread_start(waiter, 0), 0, 0, 0, 0);
        break;
    default:
        answer(VX_ERR_NOT_SUPPORTED, 0, 0, 0, 0);
        break;
    }
}

int main(void)
{
    vx_handle h;
    if (vx_task_initial_handle("cmd", VX_OBJ_RING_RX, &h) != VX_OK)
        return 90;
    cmd.h = h;
    if (vx_task_initial_handle("reply", VX_OBJ_RING_TX, &h) != VX_OK)
        return 91;
    reply.h = h;
    if (vx_signal_bind(cmd.h, VX_COND_READABLE | VX_COND_PEER_CLOSED,
                       BIT_CMD) != VX_OK ||
        vx_signal_bind(reply.h, VX_COND_WRITABLE | VX_COND_PEER_CLOSED,
                       BIT_REPLY) != VX_OK)
        return 92;
    for (;;) {
        uint8_t b[CHILD_SLOT_SIZE];
        vx_msg_in in = {0};
        in.buf = b;
        in.cap = sizeof b;
        vx_status st = vx_ring_recv(cmd, &in);
        if (st == VX_ERR_PEER_CLOSED)
            return 0; /* the suite is done with us */
        if (st == VX_ERR_SHOULD_WAIT) {
            uint64_t p;
            if (vx_wait(UINT64_C(1) << BIT_CMD, VX_TIME_INFINITE, &p) != VX_OK)
                return 93;
            continue;
        }
        if (st != VX_OK)
            return 94;
        run(b, in.len, &in);
    }
}
