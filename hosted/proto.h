/* hosted/proto.h — the control protocol between a spawned Task's client
 * library (hosted/client/) and the broker (hosted/broker.c).
 *
 * A connection is a SOCK_STREAM Unix socket; each thread of a Task has its
 * own, so a thread blocked in vx_wait never holds up another. A request is
 * a frame {op, len} followed by len bytes of arguments; the reply is a
 * frame {status, len} followed by len bytes of results. A reply may carry
 * one file descriptor (SCM_RIGHTS): the memfd of a Region being mapped, or
 * a new connection. The broker trusts nothing in a request: every field is
 * bounds-checked by the buf_get_* readers before use. */
#ifndef HOSTED_PROTO_H
#define HOSTED_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* fd number of a spawned Task's first connection. */
#define PROTO_CONN_FD 3
/* fd number of the image while it is being executed. */
#define PROTO_IMAGE_FD 4
/* Largest frame body: a full batch (4096 slots of 4096 bytes plus
 * headers) fits, as does a 16 MiB Region copy. */
#define PROTO_FRAME_MAX ((size_t)20 << 20)
#define PROTO_COPY_MAX ((size_t)16 << 20)

enum proto_op {
    OP_HANDLE_DUP = 1, OP_HANDLE_CLOSE, OP_HANDLE_REVOKE, OP_HANDLE_INFO,
    OP_REGION_CREATE, OP_REGION_SIZE, OP_REGION_READ, OP_REGION_WRITE,
    OP_REGION_MAP_FD,
    OP_RING_CREATE, OP_RING_PARAMS, OP_RING_MINT, OP_RING_SEND,
    OP_RING_RECV,
    OP_SIGNAL_BIND, OP_SIGNAL_UNBIND, OP_SIGNAL_RAISE, OP_SIGNAL_RAISE_SELF,
    OP_WAIT,
    OP_TIMER_CREATE, OP_TIMER_SET, OP_TIMER_CANCEL,
    OP_TASK_SPAWN, OP_TASK_KILL, OP_TASK_STATUS, OP_TASK_USAGE,
    OP_TASK_INITIAL, OP_TASK_EXIT,
    OP_THREAD_CONNECT, OP_THREAD_DONE,
    OP_RING_LANE, /* the Ring fast path: hosted/lane.h */
    OP_RING_WAIT, /* vx_ring_send_recv's wait: hosted/ring_wait.h */
    OP_END_
};

typedef struct proto_frame {
    int32_t code; /* request: op; reply: vx_status */
    uint32_t len;
} proto_frame;

/* A bounded cursor over a byte buffer; any overrun sets `bad` and reads
 * return zeros, so a decoder checks `bad` once at the end. */
typedef struct buf {
    uint8_t *p;
    size_t len;
    size_t pos;
    bool bad;
} buf;

void buf_put(buf *b, const void *data, size_t n);
void buf_put_u32(buf *b, uint32_t v);
void buf_put_u64(buf *b, uint64_t v);
void buf_get(buf *b, void *data, size_t n);
uint32_t buf_get_u32(buf *b);
uint64_t buf_get_u64(buf *b);
/* A pointer to the next n bytes in place (NULL and `bad` if short). */
const uint8_t *buf_take(buf *b, size_t n);

/* Sends a frame with body and optionally one fd (-1: none). Returns false
 * if the peer is gone. */
bool wire_send(int sock, int32_t code, const void *body, size_t len, int fd);
/* Receives a frame: *body is malloc'd (NULL for len 0); *fd is -1 or a
 * received descriptor. Returns false on EOF, error or an oversized frame. */
bool wire_recv(int sock, proto_frame *f, uint8_t **body, int *fd);

#endif
