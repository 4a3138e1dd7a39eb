/* v/service.h — the service skeleton: a typed inbox Ring served by
 * handlers on a cooperative executor (docs/services.md).
 *
 * A service is a schema, a manifest and handlers. The schema (vschema)
 * declares a `message Request` whose first handle field is an optional
 * reply TX (slot 0), whose field 2 is a `u64 id`, and a `call` union; and
 * a `message Reply` that starts `status: i32 = 1; id: u64 = 2;` with every
 * other field optional. That shape is what lets the skeleton answer any
 * request it cannot use — malformed bytes, a wrong handle, an unknown
 * call — with an error reply every client's generated decoder accepts.
 *
 * The skeleton owns the receive path: it binds the inbox's READABLE and
 * PEER_CLOSED to one executor bit, drains up to a batch per iteration
 * (one vx_wait per loop, the executor's), and for each message: receives
 * it into its own buffer, checks the reply handle (a Ring TX with SEND
 * whose Ring carries this schema), decodes the bytes with the schema's
 * generated decoder into a per-message arena, checks every handle slot
 * the decoded value names, and calls the handler for the call's tag.
 * Handles the handler did not take are closed; the reply TX is closed
 * after the reply. Nothing a client sends can crash the service: a
 * malformed message is counted, logged and answered (if it carried a
 * usable reply TX) or dropped.
 *
 * Everything here uses include/vx and libv only, so the same service
 * code runs on both backends. */
#ifndef V_SERVICE_H
#define V_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/alloc.h>
#include <v/concurrent.h>
#include <v/encoding.h>
#include <v/status.h>
#include <vx/ring.h>
#include <vx/types.h>

#define V_SERVICE_MSG_MAX 4096u      /* bytes of one request or reply */
#define V_SERVICE_ARENA_SIZE 32768u  /* decoded request + reply scratch */
#define V_SERVICE_BATCH 32u          /* messages per iteration, then yield */
#define V_SERVICE_REQUEST_MAX 1024u  /* bytes of a decoded Request struct */
#define V_SERVICE_NAME_MAX 31u

typedef struct v_service v_service;

/* One received request, as the handler sees it. */
typedef struct v_service_call {
    uint64_t badge;        /* of the TX it came through (who spoke) */
    uint64_t id;           /* the request's id, echoed in the reply */
    const void *request;   /* the decoded Request (the schema's struct) */
    uint32_t handle_count; /* handles that came with it */
    vx_handle handles[VX_MSG_HANDLES_MAX]; /* INVALID once taken */
    v_alloc *alloc;        /* arena, reset after the reply */
    /* The reply the handler writes: bytes of an encoded Reply, and handles
     * to move with it (slot order). len 0: the skeleton sends
     * {status, id} itself. */
    uint8_t *reply;
    size_t reply_cap;
    size_t reply_len;
    uint32_t reply_handle_count;
    vx_handle reply_handles[VX_MSG_HANDLES_MAX];
    bool has_reply_tx;     /* false: nobody hears the reply */
} v_service_call;

/* A handler: returns the status for the reply (V_OK or an error). The
 * handler may fill c->reply (then its status is whatever it encoded). */
typedef v_status (*v_service_handler)(v_service *s, v_service_call *c);

/* What the skeleton needs to know of a schema: a few lines per service
 * wrapping the generated functions (see services/logd/logd.c). */
typedef struct v_service_ops {
    uint64_t schema_id;          /* <prefix>_SCHEMA_ID of the inbox */
    size_t request_size;         /* sizeof the Request struct */
    /* The generated <prefix>_Request_decode. */
    v_status (*decode)(const void *buf, size_t len, unsigned flags,
                       v_alloc *a, void *out, v_encoding_error *err);
    /* From a decoded request: its id, whether it has a reply handle and
     * the call's union tag. */
    void (*envelope)(const void *req, uint64_t *id, bool *has_reply,
                     uint32_t *tag);
    /* Handle slots the decoded request names besides the reply (slot 0):
     * the skeleton checks each is below the received count. May be NULL
     * (no other handle fields). Returns how many were written. */
    uint32_t (*slots)(const void *req, uint32_t out[VX_MSG_HANDLES_MAX]);
    uint32_t handler_count;           /* tags 0..handler_count-1 */
    const v_service_handler *handlers; /* NULL entries: NOT_SUPPORTED */
} v_service_ops;

/* Where log lines go when the service holds no logd TX: the program
 * passes a writer (hosted: standard error; natively: the debug log). */
typedef void (*v_service_sink)(void *ctx, const char *line, size_t len);

typedef struct v_service_stats {
    uint64_t received;       /* messages taken off the inbox */
    uint64_t handled;        /* reached a handler */
    uint64_t malformed;      /* bytes or handles refused before a handler */
    uint64_t unsupported;    /* unknown call tag */
    uint64_t replies;        /* replies sent */
    uint64_t replies_lost;   /* reply Ring full or closed: dropped */
    uint64_t logs_lost;      /* log records logd could not take */
} v_service_stats;

struct v_service {
    const v_service_ops *ops;
    void *ctx;                 /* the program's state, for handlers */
    char name[V_SERVICE_NAME_MAX + 1];
    v_exec *exec;
    v_future inbox_future;
    vx_ring_rx inbox;
    uint32_t inbox_bit;
    bool running;
    bool peer_closed;          /* every inbox TX is gone */
    int32_t exit_code;         /* set by v_service_stop */
    vx_ring_tx log_tx;         /* logd's inbox, or invalid */
    v_service_sink sink;
    void *sink_ctx;
    v_service_stats stats;
    v_arena arena;
    uint64_t log_seq;
    uint8_t msg[V_SERVICE_MSG_MAX];
    uint8_t reply[V_SERVICE_MSG_MAX];
    _Alignas(16) uint8_t request[V_SERVICE_REQUEST_MAX];
    _Alignas(16) uint8_t arena_mem[V_SERVICE_ARENA_SIZE];
};

typedef struct v_service_config {
    const char *name;          /* for log records: 1..31 bytes */
    const v_service_ops *ops;
    void *ctx;
    vx_ring_rx inbox;          /* taken over by the service */
    vx_ring_tx log_tx;         /* logd's inbox TX, or VX_HANDLE_INVALID */
    v_service_sink sink;       /* fallback log writer, may be NULL */
    void *sink_ctx;
} v_service_config;

/* Binds the inbox to an executor bit and spawns the inbox future. The
 * inbox must carry ops->schema_id (BAD_STATE otherwise: the service was
 * given another service's Ring). INVALID_ARGS: NULL pointers, a name
 * outside 1..31 bytes, request_size above V_SERVICE_REQUEST_MAX, NULL
 * decode/envelope. Substrate errors as returned. */
v_status v_service_init(v_service *s, v_exec *e, const v_service_config *c);

/* Runs the executor until v_service_stop, PEER_CLOSED on the inbox (every
 * TX gone: V_EXIT_PEER_CLOSED) or an executor error. Returns the exit code
 * for v_main. */
int32_t v_service_run(v_service *s);

/* Makes v_service_run return `code` after the current iteration. */
void v_service_stop(v_service *s, int32_t code);

/* Releases the inbox binding (the executor must not be running it). */
v_status v_service_fini(v_service *s);

/* Takes handle `slot` of the call, checked to be of `type` with at least
 * `rights`; the caller owns it afterwards. OUT_OF_RANGE: no such slot;
 * BAD_STATE: already taken; ACCESS_DENIED: rights missing; INVALID_ARGS:
 * wrong type (the handle stays with the call and is closed after it). */
v_status v_service_take(v_service_call *c, uint32_t slot, vx_obj_type type,
                        vx_rights rights, vx_handle *out);

/* Handles one received message exactly as the inbox future does (for
 * tests and for services that receive elsewhere). Takes ownership of the
 * message's handles. */
void v_service_dispatch(v_service *s, const vx_msg_in *m);

/* ---- replies and clients ---- */

/* Encodes the common reply prefix {status, id} (a valid Reply of every
 * service schema) into buf[cap]; *len its size. TRUNCATED if cap < 22. */
v_status v_service_error_reply(int32_t status, uint64_t id, void *buf,
                               size_t cap, size_t *len);

/* Reads status and id from the front of an encoded Reply. MALFORMED if
 * the bytes do not start with the common prefix. */
v_status v_service_reply_peek(const void *buf, size_t len, int32_t *status,
                              uint64_t *id);

/* One synchronous call: creates a one-shot reply Ring (schema_id, one
 * slot of V_SERVICE_MSG_MAX bytes), sends req[len] with its TX as handle 0
 * followed by handles[0..count) (count <= 3; moved on success), and waits
 * on signal bit `bit` until the reply arrives or `deadline`. reply[cap]
 * gets the bytes (*reply_len), reply_handles the handles that came with it
 * (*reply_handle_count; the caller owns them). If the service ends
 * holding the request, the reply Ring's TX closes with it: PEER_CLOSED
 * (a restart is one failed request). TIMED_OUT at the deadline;
 * SHOULD_WAIT if the inbox is full; the send's errors as returned. */
typedef struct v_service_reply_in {
    void *buf;
    size_t cap;
    size_t len;
    uint32_t handle_count;
    vx_handle handles[VX_MSG_HANDLES_MAX];
} v_service_reply_in;
v_status v_service_call_sync(vx_ring_tx inbox, uint64_t schema_id,
                             const void *req, size_t len,
                             const vx_handle *handles, uint32_t count,
                             uint32_t bit, vx_time deadline,
                             v_service_reply_in *reply);

/* ---- logging ---- */

typedef enum v_service_level {
    V_SERVICE_DEBUG = 0,
    V_SERVICE_INFO = 1,
    V_SERVICE_WARN = 2,
    V_SERVICE_ERROR = 3,
} v_service_level;

/* Sends one record to logd if the service holds its inbox TX (a full
 * inbox drops it, counted in stats.logs_lost, never blocks), else writes
 * "name: LEVEL text" to the sink. Text over 200 bytes is cut at a UTF-8
 * boundary. */
void v_service_log(v_service *s, v_service_level level, const char *text);
/* Same, for a program without a v_service (initd before its service is
 * up, the console): name, logd TX (may be invalid), sink. */
void v_service_log_to(const char *name, vx_ring_tx log_tx,
                      v_service_sink sink, void *sink_ctx,
                      v_service_level level, const char *text,
                      uint64_t *lost);

#endif
