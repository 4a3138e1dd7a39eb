/* vctl's commands (vctl.h): tasks, logs [service], start/stop/restart
 * NAME, help, poweroff. Each is one synchronous call to initd or logd
 * with a deadline, so a stuck service shows as an error, not a hang. */
#include <stdarg.h>
#include <v/mem.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

#include "initd_control.h"
#include "logd_protocol.h"
#include "vctl.h"

#define CALL_DEADLINE UINT64_C(5000000000)

static void say(vctl *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(vctl *v, const char *fmt, ...)
{
    char buf[512];
    size_t n = 0;
    va_list ap;
    va_start(ap, fmt);
    v_status st = v_vfmt(buf, sizeof buf, &n, fmt, ap);
    va_end(ap);
    if (st == V_ERR_TRUNCATED)
        n = v_cstr_len(buf);
    v->out(v->out_ctx, buf, n);
}

static const char *status_text(int32_t st)
{
    switch (st) {
    case V_OK: return "ok";
    case V_ERR_OUT_OF_RANGE: return "no such service";
    case V_ERR_BAD_STATE: return "not in a state for that";
    case V_ERR_ACCESS_DENIED: return "refused (failed verification)";
    case V_ERR_TIMED_OUT: return "no answer in time";
    case V_ERR_PEER_CLOSED: return "the service went away";
    case V_ERR_MALFORMED: return "request refused as malformed";
    case V_ERR_NOT_SUPPORTED: return "not supported";
    }
    return "failed";
}

static _Alignas(16) uint8_t arena_mem[32768];

/* One call; the reply decoded by `decode` into out. */
static v_status call(vctl *v, vx_ring_tx tx, uint64_t schema,
                     const void *req, size_t len, uint8_t *rbuf, size_t rcap,
                     size_t *rlen)
{
    v_service_reply_in in = {rbuf, rcap, 0, 0, {{0}}};
    v_status st = v_service_call_sync(tx, schema, req, len, NULL, 0, v->bit,
                                      vx_clock_monotonic() + CALL_DEADLINE,
                                      &in);
    for (uint32_t i = 0; i < in.handle_count; i++)
        (void)!vx_handle_close(in.handles[i]);
    *rlen = in.len;
    return st;
}

static v_status control(vctl *v, vectra_initd_Call c,
                        vectra_initd_Reply *rep, v_arena *a)
{
    vectra_initd_Request r = {0};
    r.has_reply = true;
    r.id = ++v->next_id;
    r.call = c;
    uint8_t req[256];
    static uint8_t rbuf[V_SERVICE_MSG_MAX];
    size_t len = 0, rlen = 0;
    v_encoding_error err;
    v_status st = vectra_initd_Request_encode(&r, req, sizeof req, &len, &err);
    if (st == V_OK)
        st = call(v, v->control, vectra_initd_SCHEMA_ID, req, len, rbuf,
                  sizeof rbuf, &rlen);
    if (st == V_OK)
        st = vectra_initd_Reply_decode(rbuf, rlen, 0, &a->base, rep, &err);
    return st;
}

static const char *end_text(uint32_t end)
{
    switch (end) {
    case VX_TASK_EXITED: return "exited";
    case VX_TASK_KILLED: return "killed";
    case VX_TASK_CRASHED: return "crashed";
    }
    return "-";
}

static void cmd_tasks(vctl *v, v_arena *a)
{
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_TASKS;
    vectra_initd_Reply rep;
    v_status st = control(v, c, &rep, a);
    if (st != V_OK || rep.status != 0) {
        say(v, "error: %s\n", status_text(st != V_OK ? st : rep.status));
        return;
    }
    say(v, "%-16s %-9s %8s %16s  %s\n", "NAME", "STATE", "RESTARTS",
        "MEMORY", "LAST END");
    for (size_t i = 0; i < rep.tasks.count; i++) {
        const vectra_initd_TaskInfo *t = &rep.tasks.items[i];
        /* used/quota in KiB (used rounded up, so a little is not 0K); a
         * service with no running instance uses nothing: "-". */
        char mem[48];
        if (t->has_used_bytes)
            (void)v_fmt(mem, sizeof mem, NULL, "%lluK/%lluK",
                        (unsigned long long)((t->used_bytes + 1023) / 1024),
                        (unsigned long long)(t->quota_bytes / 1024));
        else
            (void)v_fmt(mem, sizeof mem, NULL, "-/%lluK",
                        (unsigned long long)(t->quota_bytes / 1024));
        say(v, "%-16.*s %-9s %8u %16s  %s", (int)t->name.len, t->name.ptr,
            vectra_initd_State_name(t->state), t->restarts, mem,
            end_text(t->last_end));
        if (t->last_end == VX_TASK_EXITED)
            say(v, " (%d)", (int)t->last_code);
        say(v, "\n");
    }
}

static void cmd_logs(vctl *v, v_str service, v_arena *a)
{
    if (v->logd.h.value == 0) {
        say(v, "error: this console holds no handle to logd\n");
        return;
    }
    vectra_logd_Request r = {0};
    r.has_reply = true;
    r.id = ++v->next_id;
    r.call.tag = VECTRA_LOGD_CALL_QUERY;
    r.call.u.query.last = 12;
    if (service.len > 0) {
        if (service.len > 31) {
            say(v, "error: service names are at most 31 bytes\n");
            return;
        }
        r.call.u.query.has_service = true;
        r.call.u.query.service = (v_schema_str){service.p, service.len};
    }
    uint8_t req[256];
    static uint8_t rbuf[V_SERVICE_MSG_MAX];
    size_t len = 0, rlen = 0;
    v_encoding_error err;
    vectra_logd_Reply rep;
    v_status st = vectra_logd_Request_encode(&r, req, sizeof req, &len, &err);
    if (st == V_OK)
        st = call(v, v->logd, vectra_logd_SCHEMA_ID, req, len, rbuf,
                  sizeof rbuf, &rlen);
    if (st == V_OK)
        st = vectra_logd_Reply_decode(rbuf, rlen, 0, &a->base, &rep, &err);
    if (st != V_OK || rep.status != 0) {
        say(v, "error: logd: %s\n", status_text(st != V_OK ? st : rep.status));
        return;
    }
    if (rep.dropped > 0)
        say(v, "(%llu older records dropped from the history)\n",
            (unsigned long long)rep.dropped);
    for (size_t i = 0; i < rep.records.count; i++) {
        const vectra_logd_Record *x = &rep.records.items[i];
        uint64_t ms = x->time_ns / 1000000;
        say(v, "%6llu.%03llu %-5s %.*s: %.*s\n",
            (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000),
            vectra_logd_Level_name(x->level), (int)x->service.len,
            x->service.ptr, (int)x->text.len, x->text.ptr);
    }
    if (rep.records.count == 0)
        say(v, "(no records)\n");
}

static void nap(vctl *v, uint32_t ms)
{
    vx_timer t;
    uint64_t pending;
    if (vx_timer_create(&t) != VX_OK)
        return;
    vx_time until = vx_clock_monotonic() + (uint64_t)ms * 1000000;
    if (vx_signal_bind(t.h, VX_COND_TIMER_FIRED, v->bit) == VX_OK &&
        vx_timer_set(t, until, 0) == VX_OK)
        (void)!vx_wait(UINT64_C(1) << v->bit, until + CALL_DEADLINE,
                       &pending);
    (void)!vx_handle_close(t.h);
}

/* After stop/start/restart: waits (5 s at most) until the service has
 * left its old state, so the next command sees the result. */
static void settle(vctl *v, vectra_initd_Call_tag tag, v_str name,
                   uint32_t restarts_before, v_arena *a)
{
    vx_time until = vx_clock_monotonic() + CALL_DEADLINE;
    while (vx_clock_monotonic() < until) {
        v_arena_reset(a);
        vectra_initd_Call c = {0};
        c.tag = VECTRA_INITD_CALL_TASKS;
        vectra_initd_Reply rep;
        if (control(v, c, &rep, a) != V_OK)
            return;
        for (size_t i = 0; i < rep.tasks.count; i++) {
            const vectra_initd_TaskInfo *t = &rep.tasks.items[i];
            if (t->name.len != name.len ||
                !v_mem_equal(t->name.ptr, name.p, name.len))
                continue;
            bool running = t->state == VECTRA_INITD_STATE_RUNNING;
            if ((tag == VECTRA_INITD_CALL_STOP && !running) ||
                (tag == VECTRA_INITD_CALL_START &&
                 t->state != VECTRA_INITD_STATE_STOPPED) ||
                (tag == VECTRA_INITD_CALL_RESTART && running &&
                 t->restarts > restarts_before))
                return;
        }
        nap(v, 10);
    }
}

static uint32_t restarts_of(vctl *v, v_str name, v_arena *a)
{
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_TASKS;
    vectra_initd_Reply rep;
    if (control(v, c, &rep, a) != V_OK)
        return 0;
    for (size_t i = 0; i < rep.tasks.count; i++)
        if (rep.tasks.items[i].name.len == name.len &&
            v_mem_equal(rep.tasks.items[i].name.ptr, name.p, name.len))
            return rep.tasks.items[i].restarts;
    return 0;
}

static void cmd_named(vctl *v, vectra_initd_Call_tag tag, const char *verb,
                      v_str name, v_arena *a)
{
    if (name.len == 0 || name.len > 31) {
        say(v, "usage: %s NAME\n", verb);
        return;
    }
    uint32_t before = restarts_of(v, name, a);
    vectra_initd_Call c = {0};
    c.tag = tag;
    c.u.start.name = (v_schema_str){name.p, name.len};
    vectra_initd_Reply rep;
    v_status st = control(v, c, &rep, a);
    int32_t s = st != V_OK ? st : rep.status;
    if (s == 0)
        settle(v, tag, name, before, a);
    if (s == 0)
        say(v, "%s %.*s: ok\n", verb, (int)name.len, name.p);
    else
        say(v, "%s %.*s: error: %s\n", verb, (int)name.len, name.p,
            status_text(s));
}

static void cmd_help(vctl *v)
{
    say(v, "commands:\n"
           "  tasks            services: state, restarts, memory used/quota\n"
           "  logs [SERVICE]   the newest log records (of one service)\n"
           "  start NAME       start a stopped or failed service\n"
           "  stop NAME        stop a service (no restart)\n"
           "  restart NAME     stop and start again at once\n"
           "  poweroff         stop every service and end the machine\n"
           "  help             this list\n");
}

static bool word_is(v_str w, const char *s)
{
    return v_str_equal(w, v_str_from_cstr(s));
}

bool vctl_run(vctl *v, const char *line, size_t len)
{
    v_arena a;
    (void)v_arena_init(&a, arena_mem, sizeof arena_mem);
    if (v_utf8_validate(line, len, NULL) != V_OK) {
        say(v, "error: the line is not UTF-8\n");
        return true;
    }
    v_str rest = v_str_trim(v_str_make(line, len));
    size_t sp = v_str_find_byte(rest, ' ', 0);
    v_str cmd = rest, arg = {0};
    if (sp < rest.len) {
        cmd = v_str_make(rest.p, sp);
        arg = v_str_trim(v_str_make(rest.p + sp + 1, rest.len - sp - 1));
    }
    if (cmd.len == 0)
        return true;
    if (word_is(cmd, "tasks"))
        cmd_tasks(v, &a);
    else if (word_is(cmd, "logs"))
        cmd_logs(v, arg, &a);
    else if (word_is(cmd, "start"))
        cmd_named(v, VECTRA_INITD_CALL_START, "start", arg, &a);
    else if (word_is(cmd, "stop"))
        cmd_named(v, VECTRA_INITD_CALL_STOP, "stop", arg, &a);
    else if (word_is(cmd, "restart"))
        cmd_named(v, VECTRA_INITD_CALL_RESTART, "restart", arg, &a);
    else if (word_is(cmd, "help"))
        cmd_help(v);
    else if (word_is(cmd, "poweroff")) {
        vectra_initd_Call c = {0};
        c.tag = VECTRA_INITD_CALL_POWEROFF;
        vectra_initd_Reply rep;
        say(v, "powering off\n");
        (void)control(v, c, &rep, &a);
        return false;
    } else
        say(v, "unknown command '%.*s'; try help\n", (int)cmd.len, cmd.p);
    return true;
}
