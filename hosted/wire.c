/* hosted/wire.c — framing and buffers for the control protocol. */
#define _GNU_SOURCE
#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void buf_put(buf *b, const void *data, size_t n)
{
    if (b->bad || n > b->len - b->pos) {
        b->bad = true;
        return;
    }
    if (n > 0)
        memcpy(b->p + b->pos, data, n);
    b->pos += n;
}

void buf_put_u32(buf *b, uint32_t v) { buf_put(b, &v, sizeof v); }
void buf_put_u64(buf *b, uint64_t v) { buf_put(b, &v, sizeof v); }

const uint8_t *buf_take(buf *b, size_t n)
{
    if (b->bad || n > b->len - b->pos) {
        b->bad = true;
        return NULL;
    }
    const uint8_t *p = b->p + b->pos;
    b->pos += n;
    return p;
}

void buf_get(buf *b, void *data, size_t n)
{
    const uint8_t *p = buf_take(b, n);
    if (p != NULL)
        memcpy(data, p, n);
    else
        memset(data, 0, n);
}

uint32_t buf_get_u32(buf *b)
{
    uint32_t v;
    buf_get(b, &v, sizeof v);
    return v;
}

uint64_t buf_get_u64(buf *b)
{
    uint64_t v;
    buf_get(b, &v, sizeof v);
    return v;
}

static bool write_all(int sock, const void *p, size_t n)
{
    const uint8_t *c = p;
    while (n > 0) {
        ssize_t w = send(sock, c, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(int sock, void *p, size_t n)
{
    uint8_t *c = p;
    while (n > 0) {
        ssize_t r = recv(sock, c, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

bool wire_send(int sock, int32_t code, const void *body, size_t len, int fd)
{
    proto_frame f = {code, (uint32_t)len};
    if (len > PROTO_FRAME_MAX)
        return false;
    /* Header and body in one call: the peer, blocked on the header,
     * finds the body there when it wakes instead of blocking again (a
     * request or reply is one wake-up, not two), and it is one system
     * call fewer. */
    struct iovec iov[2] = {{&f, sizeof f}, {(void *)(uintptr_t)body, len}};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr m = {0};
    m.msg_iov = iov;
    m.msg_iovlen = len > 0 ? 2 : 1;
    if (fd >= 0) {
        memset(&ctl, 0, sizeof ctl);
        m.msg_control = ctl.space;
        m.msg_controllen = sizeof ctl.space;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ssize_t w;
    do
        w = sendmsg(sock, &m, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    if (w <= 0)
        return false;
    /* A stream socket may take less than all of it: finish by hand (the
     * descriptor went with the first byte). */
    size_t sent = (size_t)w;
    if (sent < sizeof f) {
        if (!write_all(sock, (char *)&f + sent, sizeof f - sent))
            return false;
        sent = sizeof f;
    }
    sent -= sizeof f;
    return sent == len ||
           write_all(sock, (const uint8_t *)body + sent, len - sent);
}

bool wire_recv(int sock, proto_frame *f, uint8_t **body, int *fd)
{
    *body = NULL;
    *fd = -1;
    struct iovec iov = {f, sizeof *f};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctl.space;
    m.msg_controllen = sizeof ctl.space;
    ssize_t r;
    do
        r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    if (r <= 0)
        return false;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL;
         c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
            c->cmsg_len == CMSG_LEN(sizeof(int)) && *fd < 0)
            memcpy(fd, CMSG_DATA(c), sizeof *fd);
    }
    if ((size_t)r < sizeof *f && !read_all(sock, (char *)f + r, sizeof *f - (size_t)r))
        goto fail;
    if (f->len > PROTO_FRAME_MAX)
        goto fail;
    if (f->len > 0) {
        *body = malloc(f->len);
        if (*body == NULL || !read_all(sock, *body, f->len))
            goto fail;
    }
    return true;
fail:
    free(*body);
    *body = NULL;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
    return false;
}
