/* logd: structured log records from every service over its inbox
 * (schemas/logd_protocol.vs), kept in a bounded history (history.h) and
 * served back by query. A service reaches logd only if its manifest
 * grants it logd's inbox; the badge initd minted into that TX is stored
 * with each record, so a record's claimed service name can be checked
 * against who actually sent it. */
#include <v/process.h>
#include <v/service.h>

#include "history.h"

void v_service_stderr(void *ctx, const char *line, size_t len);

static v_status decode(const void *buf, size_t len, unsigned flags,
                       v_alloc *a, void *out, v_encoding_error *err)
{
    return vectra_logd_Request_decode(buf, len, flags, a, out, err);
}

static void envelope(const void *req, uint64_t *id, bool *has_reply,
                     uint32_t *tag)
{
    const vectra_logd_Request *r = req;
    *id = r->id;
    *has_reply = r->has_reply;
    *tag = (uint32_t)r->call.tag;
}

static v_status on_append(v_service *s, v_service_call *c)
{
    const vectra_logd_Request *r = c->request;
    logd_history_append(s->ctx, &r->call.u.append, c->badge);
    return V_OK;
}

static v_status on_query(v_service *s, v_service_call *c)
{
    const vectra_logd_Request *r = c->request;
    const logd_history *h = s->ctx;
    const vectra_logd_Query *q = &r->call.u.query;
    vectra_logd_Record *out = NULL;
    v_status st = V_ALLOC_ARRAY(c->alloc, vectra_logd_Record, LOGD_QUERY_MAX,
                                &out);
    if (st != V_OK)
        return st;
    vectra_logd_Reply rep = {0};
    rep.id = c->id;
    rep.has_records = true;
    rep.records.items = out;
    rep.records.count = logd_history_query(
        h, q->has_service ? q->service.ptr : NULL,
        q->has_service ? q->service.len : 0, q->last, out);
    rep.has_dropped = true;
    rep.dropped = h->dropped;
    rep.has_total = true;
    rep.total = h->total;
    v_encoding_error err;
    st = vectra_logd_Reply_encode(&rep, c->reply, c->reply_cap,
                                  &c->reply_len, &err);
    /* Twelve records of the longest text may not fit one message: send
     * fewer, oldest dropped, rather than nothing. */
    while (st == V_ERR_TRUNCATED && rep.records.count > 1) {
        rep.records.items++;
        rep.records.count--;
        st = vectra_logd_Reply_encode(&rep, c->reply, c->reply_cap,
                                      &c->reply_len, &err);
    }
    return st;
}

static const v_service_handler handlers[] = {
    [VECTRA_LOGD_CALL_APPEND] = on_append,
    [VECTRA_LOGD_CALL_QUERY] = on_query,
};

static const v_service_ops ops = {
    vectra_logd_SCHEMA_ID, sizeof(vectra_logd_Request), decode, envelope,
    NULL, sizeof handlers / sizeof handlers[0], handlers};

int32_t v_main(const v_process *p)
{
    static logd_history h;
    static v_exec e;
    static v_service s;
    vx_handle inbox;
    if (v_process_handle("inbox", VX_OBJ_RING_RX, &inbox) != V_OK)
        return V_EXIT_FOOTPRINT;
    logd_history_init(&h);
    v_status st = v_exec_init(&e, ~UINT64_C(0xff));
    v_service_config c = {"logd", &ops, &h, (vx_ring_rx){inbox}, {{0}},
                          v_service_stderr, NULL};
    if (st == V_OK)
        st = v_service_init(&s, &e, &c);
    if (st != V_OK)
        return v_process_exit_code(st);
    return v_service_run(&s);
}
