/* initd's control protocol (schemas/initd_control.vs) on the service
 * skeleton: list the services, start/stop/restart one, connect to one (a
 * badged TX of its inbox in the reply), power off. Whoever holds a TX of
 * this inbox administers the machine: initd grants it only to manifests
 * that ask for `control` (the console). */
#include <v/mem.h>

#include "initd.h"

static v_status decode(const void *buf, size_t len, unsigned flags,
                       v_alloc *a, void *out, v_encoding_error *err)
{
    return vectra_initd_Request_decode(buf, len, flags, a, out, err);
}

static void envelope(const void *req, uint64_t *id, bool *has_reply,
                     uint32_t *tag)
{
    const vectra_initd_Request *r = req;
    *id = r->id;
    *has_reply = r->has_reply;
    *tag = (uint32_t)r->call.tag;
}

static v_status reply(v_service_call *c, vectra_initd_Reply *r)
{
    r->id = c->id;
    v_encoding_error err;
    return vectra_initd_Reply_encode(r, c->reply, c->reply_cap,
                                     &c->reply_len, &err);
}

static v_status on_tasks(v_service *sv, v_service_call *c)
{
    initd *d = sv->ctx;
    vectra_initd_TaskInfo *items = NULL;
    v_status st = V_ALLOC_ARRAY(c->alloc, vectra_initd_TaskInfo,
                                d->count + 1, &items);
    if (st != V_OK)
        return st;
    /* initd itself first: always running while it answers. */
    vx_task_usage u = {0};
    (void)!vx_task_usage_get(&u);
    items[0] = (vectra_initd_TaskInfo){
        .name = {"initd", 5},
        .state = VECTRA_INITD_STATE_RUNNING,
        .quota_bytes = u.quota_bytes,
        .has_used_bytes = true,
        .used_bytes = u.used_bytes,
    };
    for (uint32_t i = 0; i < d->count; i++) {
        const initd_svc *s = &d->svc[d->order[i]];
        vectra_initd_TaskInfo *t = &items[i + 1];
        t->name = (v_schema_str){s->name, v_cstr_len(s->name)};
        t->state = s->state;
        t->restarts = s->restarts;
        t->quota_bytes = s->m != NULL ? s->m->quota_bytes : 0;
        t->last_end = s->last_end;
        t->last_code = s->last_code;
        /* What the running instance has charged to its quota now. */
        vx_task_status ts = {0};
        t->has_used_bytes = s->task.h.value != 0 &&
                            s->state == VECTRA_INITD_STATE_RUNNING &&
                            vx_task_status_get(s->task, &ts) == VX_OK;
        t->used_bytes = t->has_used_bytes ? ts.used_bytes : 0;
    }
    vectra_initd_Reply r = {0};
    r.has_tasks = true;
    r.tasks.items = items;
    r.tasks.count = d->count + 1;
    return reply(c, &r);
}

static initd_svc *named(v_service *sv, const vectra_initd_Name *n)
{
    return initd_find(sv->ctx, n->name.ptr, n->name.len);
}

static v_status on_start(v_service *sv, v_service_call *c)
{
    const vectra_initd_Request *q = c->request;
    initd_svc *s = named(sv, &q->call.u.start);
    if (s == NULL)
        return V_ERR_OUT_OF_RANGE;
    if (s->state == VECTRA_INITD_STATE_REFUSED)
        return V_ERR_ACCESS_DENIED;
    if (s->state == VECTRA_INITD_STATE_RUNNING ||
        s->state == VECTRA_INITD_STATE_STARTING)
        return V_ERR_BAD_STATE;
    initd_log(sv->ctx, V_SERVICE_INFO, "starting service '%s' on request",
              s->name);
    if (s->state == VECTRA_INITD_STATE_BACKOFF)
        (void)!vx_timer_cancel(s->timer);
    s->consecutive = 0;
    s->restart_count = 0;
    return initd_start(sv->ctx, s);
}

static v_status on_stop(v_service *sv, v_service_call *c)
{
    const vectra_initd_Request *q = c->request;
    initd_svc *s = named(sv, &q->call.u.stop);
    if (s == NULL)
        return V_ERR_OUT_OF_RANGE;
    if (s->task.h.value == 0 && s->state != VECTRA_INITD_STATE_BACKOFF)
        return V_ERR_BAD_STATE;
    initd_log(sv->ctx, V_SERVICE_INFO, "stopping service '%s' on request",
              s->name);
    initd_stop(sv->ctx, s);
    return V_OK;
}

static v_status on_restart(v_service *sv, v_service_call *c)
{
    const vectra_initd_Request *q = c->request;
    initd_svc *s = named(sv, &q->call.u.restart);
    if (s == NULL)
        return V_ERR_OUT_OF_RANGE;
    if (s->state == VECTRA_INITD_STATE_REFUSED)
        return V_ERR_ACCESS_DENIED;
    initd_log(sv->ctx, V_SERVICE_INFO, "restarting service '%s' on request",
              s->name);
    initd_restart(sv->ctx, s);
    return V_OK;
}

static v_status on_connect(v_service *sv, v_service_call *c)
{
    const vectra_initd_Request *q = c->request;
    initd_svc *s = named(sv, &q->call.u.connect);
    if (s == NULL || !s->has_inbox)
        return V_ERR_OUT_OF_RANGE;
    vx_ring_tx tx;
    v_status st = (v_status)vx_ring_tx_mint(
        s->inbox_tx, INITD_BADGE_CONTROL + c->badge,
        VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |
            VX_RIGHT_TRANSFER, &tx);
    if (st != V_OK)
        return st;
    vectra_initd_Reply r = {0};
    r.has_inbox = true;
    r.inbox.slot = 0;
    c->reply_handles[0] = tx.h;
    c->reply_handle_count = 1;
    return reply(c, &r);
}

static v_status on_poweroff(v_service *sv, v_service_call *c)
{
    initd_poweroff(sv->ctx);
    return V_OK;
}

static const v_service_handler handlers[] = {
    [VECTRA_INITD_CALL_TASKS] = on_tasks,
    [VECTRA_INITD_CALL_START] = on_start,
    [VECTRA_INITD_CALL_STOP] = on_stop,
    [VECTRA_INITD_CALL_RESTART] = on_restart,
    [VECTRA_INITD_CALL_CONNECT] = on_connect,
    [VECTRA_INITD_CALL_POWEROFF] = on_poweroff,
};

static const v_service_ops ops = {
    vectra_initd_SCHEMA_ID, sizeof(vectra_initd_Request), decode, envelope,
    NULL, sizeof handlers / sizeof handlers[0], handlers};

void v_service_stderr(void *ctx, const char *line, size_t len);

v_status initd_control_init(initd *d, vx_ring_rx rx)
{
    v_service_config c = {"initd", &ops, d, rx, {{0}}, v_service_stderr,
                          NULL};
    return v_service_init(&d->control, &d->exec, &c);
}
