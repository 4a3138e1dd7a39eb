/* The service skeleton: the inbox future and request dispatch
 * (include/v/service.h, docs/services.md). Every message is checked
 * before a handler sees it: length, reply handle (type, rights, schema),
 * decoding by the schema's generated code, every handle slot the decoded
 * value names. What fails is counted and answered or dropped; nothing a
 * client sends ends the service. */
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

static void close_handle(vx_handle *h)
{
    if (h->value != 0)
        (void)!vx_handle_close(*h);
    h->value = 0;
}

static void close_all(vx_handle *hs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        close_handle(&hs[i]);
}

/* The reply TX is usable when it is a Ring TX with SEND whose Ring
 * carries this service's schema: a reply never goes to a Ring that would
 * misread it. */
static bool reply_tx_ok(const v_service *s, vx_handle h)
{
    vx_handle_info info;
    if (vx_handle_info_get(h, &info) != VX_OK)
        return false;
    if (info.type != VX_OBJ_RING_TX || (info.rights & VX_RIGHT_SEND) == 0)
        return false;
    vx_ring_params p;
    if (vx_ring_params_get(h, &p) != VX_OK)
        return false;
    return p.schema_id == s->ops->schema_id;
}

/* Sends the reply and closes the reply TX. A reply never waits: a client
 * that does not drain its reply Ring loses the reply (counted). */
static void send_reply(v_service *s, vx_handle tx, const void *bytes,
                       size_t len, vx_handle *handles, uint32_t count)
{
    vx_msg_out out = {bytes, (uint32_t)len, count, {{0}}};
    for (uint32_t i = 0; i < count; i++)
        out.handles[i] = handles[i];
    if (vx_ring_send((vx_ring_tx){tx}, &out) == VX_OK) {
        s->stats.replies++;
        for (uint32_t i = 0; i < count; i++)
            handles[i].value = 0; /* moved */
    } else {
        s->stats.replies_lost++;
    }
    close_all(handles, count);
}

static void reply_status(v_service *s, vx_handle tx, int32_t status,
                         uint64_t id)
{
    uint8_t buf[32];
    size_t len = 0;
    if (v_service_error_reply(status, id, buf, sizeof buf, &len) != V_OK)
        return;
    send_reply(s, tx, buf, len, NULL, 0);
}

static void refuse(v_service *s, const char *why, uint64_t badge)
{
    char line[160];
    s->stats.malformed++;
    (void)v_fmt(line, sizeof line, NULL,
                "refused a request from badge %llu: %s",
                (unsigned long long)badge, why);
    v_service_log(s, V_SERVICE_WARN, line);
}

void v_service_dispatch(v_service *s, const vx_msg_in *m)
{
    vx_handle hs[VX_MSG_HANDLES_MAX] = {{0}};
    uint32_t n = m->handle_count <= VX_MSG_HANDLES_MAX
                     ? m->handle_count : VX_MSG_HANDLES_MAX;
    for (uint32_t i = 0; i < n; i++)
        hs[i] = m->handles[i];
    s->stats.received++;

    /* A usable reply TX is slot 0 whenever the request says it has one;
     * look before decoding so even garbage bytes get an answer. */
    bool tx_ok = n > 0 && reply_tx_ok(s, hs[0]);
    v_arena_reset(&s->arena);
    v_encoding_error err = {0};
    v_mem_set(s->request, 0, s->ops->request_size);
    v_status st = s->ops->decode(m->buf, m->len, 0, &s->arena.base,
                                 s->request, &err);
    if (st != V_OK) {
        refuse(s, st == V_ERR_NO_MEMORY ? "too large to decode"
                                        : "malformed bytes", m->badge);
        if (tx_ok)
            reply_status(s, hs[0], V_ERR_MALFORMED, 0);
        close_all(hs, n);
        return;
    }
    uint64_t id = 0;
    bool has_reply = false;
    uint32_t tag = 0;
    s->ops->envelope(s->request, &id, &has_reply, &tag);

    /* Every handle slot the value names must have come with it. */
    const char *bad = NULL;
    if (has_reply && !tx_ok)
        bad = "reply handle missing or not a TX of this schema";
    uint32_t slots[VX_MSG_HANDLES_MAX];
    uint32_t ns = s->ops->slots != NULL ? s->ops->slots(s->request, slots)
                                        : 0;
    for (uint32_t i = 0; bad == NULL && i < ns; i++)
        if (slots[i] >= n)
            bad = "names a handle that did not come with it";
    if (bad != NULL) {
        refuse(s, bad, m->badge);
        if (tx_ok && has_reply)
            reply_status(s, hs[0], V_ERR_MALFORMED, id);
        close_all(hs, n);
        return;
    }

    v_service_call c = {0};
    c.badge = m->badge;
    c.id = id;
    c.request = s->request;
    c.handle_count = n;
    for (uint32_t i = 0; i < n; i++)
        c.handles[i] = hs[i];
    c.alloc = &s->arena.base;
    c.reply = s->reply;
    c.reply_cap = sizeof s->reply;
    c.has_reply_tx = has_reply;
    vx_handle reply_tx = {0};
    if (has_reply) {
        reply_tx = c.handles[0];
        c.handles[0].value = 0; /* not the handler's */
    }

    if (tag >= s->ops->handler_count || s->ops->handlers[tag] == NULL) {
        s->stats.unsupported++;
        st = V_ERR_NOT_SUPPORTED;
    } else {
        s->stats.handled++;
        st = s->ops->handlers[tag](s, &c);
    }
    if (has_reply) {
        if (c.reply_len > 0 && c.reply_len <= c.reply_cap)
            send_reply(s, reply_tx, c.reply, c.reply_len, c.reply_handles,
                       c.reply_handle_count);
        else {
            close_all(c.reply_handles, c.reply_handle_count);
            reply_status(s, reply_tx, st, id);
        }
        close_handle(&reply_tx);
    } else {
        close_all(c.reply_handles, c.reply_handle_count);
    }
    close_all(c.handles, n);
    v_arena_reset(&s->arena);
}

/* Drains the inbox: at most a batch per iteration so other futures of the
 * executor get their turn; the level bit brings it back at once. */
static v_poll inbox_poll(v_exec *e, v_future *f)
{
    v_service *s = f->ctx;
    for (uint32_t i = 0; i < V_SERVICE_BATCH && s->running; i++) {
        vx_msg_in m = {s->msg, sizeof s->msg, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv(s->inbox, &m);
        if (st == VX_OK) {
            v_service_dispatch(s, &m);
            continue;
        }
        if (st == VX_ERR_SHOULD_WAIT)
            break;
        if (st == VX_ERR_OUT_OF_RANGE || st == VX_ERR_LIMIT) {
            /* Too long for any valid request (or too many handles to
             * hold): it can never be served, and leaving it would block
             * the inbox. Take it with a buffer of the slot size. */
            uint8_t big[VX_RING_SLOT_SIZE_MAX];
            vx_msg_in d = {big, sizeof big, 0, 0, 0, 0, {{0}}};
            if (vx_ring_recv(s->inbox, &d) == VX_OK) {
                s->stats.received++;
                refuse(s, "longer than any request", d.badge);
                vx_handle hs[VX_MSG_HANDLES_MAX];
                for (uint32_t k = 0; k < d.handle_count; k++)
                    hs[k] = d.handles[k];
                close_all(hs, d.handle_count);
                continue;
            }
            /* LIMIT: no room in our table for its handles. */
            v_service_log(s, V_SERVICE_ERROR,
                          "inbox message cannot be received; stopping");
            v_service_stop(s, V_EXIT_RESOURCES);
            return V_POLL_DONE;
        }
        if (st == VX_ERR_PEER_CLOSED) {
            s->peer_closed = true;
            v_service_stop(s, V_EXIT_PEER_CLOSED);
            return V_POLL_DONE;
        }
        v_service_stop(s, v_process_exit_code((v_status)st));
        return V_POLL_DONE;
    }
    if (!s->running)
        return V_POLL_DONE;
    (void)v_exec_await(e, f, s->inbox_bit);
    return V_POLL_PENDING;
}

v_status v_service_init(v_service *s, v_exec *e, const v_service_config *c)
{
    if (s == NULL || e == NULL || c == NULL || c->ops == NULL ||
        c->name == NULL || c->ops->decode == NULL ||
        c->ops->envelope == NULL ||
        c->ops->request_size > V_SERVICE_REQUEST_MAX ||
        (c->ops->handler_count > 0 && c->ops->handlers == NULL))
        return V_ERR_INVALID_ARGS;
    size_t nl = v_cstr_len(c->name);
    if (nl == 0 || nl > V_SERVICE_NAME_MAX)
        return V_ERR_INVALID_ARGS;
    /* the buffers at the end are written before they are read */
    v_mem_set(s, 0, offsetof(v_service, msg));
    s->ops = c->ops;
    s->ctx = c->ctx;
    v_mem_copy(s->name, c->name, nl);
    s->name[nl] = '\0';
    s->exec = e;
    s->inbox = c->inbox;
    s->log_tx = c->log_tx;
    s->sink = c->sink;
    s->sink_ctx = c->sink_ctx;
    s->running = true;
    v_status st = v_arena_init(&s->arena, s->arena_mem, sizeof s->arena_mem);
    if (st != V_OK)
        return st;
    vx_ring_params p;
    st = (v_status)vx_ring_params_get(c->inbox.h, &p);
    if (st != V_OK)
        return st;
    if (p.schema_id != c->ops->schema_id)
        return V_ERR_BAD_STATE;
    st = v_exec_bind_handle(e, c->inbox.h,
                            VX_COND_READABLE | VX_COND_PEER_CLOSED,
                            &s->inbox_bit);
    if (st != V_OK)
        return st;
    st = v_exec_spawn(e, &s->inbox_future, inbox_poll, s);
    if (st != V_OK) {
        (void)v_exec_bit_free(e, s->inbox_bit);
        return st;
    }
    return V_OK;
}

void v_service_stop(v_service *s, int32_t code)
{
    if (!s->running)
        return;
    s->running = false;
    s->exit_code = code;
    (void)v_exec_kick(s->exec);
}

int32_t v_service_run(v_service *s)
{
    while (s->running) {
        v_status st = v_exec_run_once(s->exec, VX_TIME_INFINITE);
        if (st != V_OK) {
            if (s->running)
                v_service_stop(s, v_process_exit_code(st));
            break;
        }
    }
    return s->exit_code;
}

v_status v_service_fini(v_service *s)
{
    if (s == NULL)
        return V_ERR_INVALID_ARGS;
    if (s->inbox_future.live)
        (void)v_exec_cancel(s->exec, &s->inbox_future);
    return v_exec_bit_free(s->exec, s->inbox_bit);
}

v_status v_service_take(v_service_call *c, uint32_t slot, vx_obj_type type,
                        vx_rights rights, vx_handle *out)
{
    if (c == NULL || out == NULL)
        return V_ERR_INVALID_ARGS;
    if (slot >= c->handle_count)
        return V_ERR_OUT_OF_RANGE;
    if (c->handles[slot].value == 0)
        return V_ERR_BAD_STATE;
    vx_handle_info info;
    v_status st = (v_status)vx_handle_info_get(c->handles[slot], &info);
    if (st != V_OK)
        return st;
    if (info.type != type)
        return V_ERR_INVALID_ARGS;
    if ((info.rights & rights) != rights)
        return V_ERR_ACCESS_DENIED;
    *out = c->handles[slot];
    c->handles[slot].value = 0;
    return V_OK;
}
