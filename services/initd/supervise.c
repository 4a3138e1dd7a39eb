/* Spawning services and watching them: each service has one future that
 * waits for its Task's TASK_EXITED or, between instances, for its backoff
 * Timer. Restart decisions follow the manifest's policy; a crash loop (the
 * give-up threshold of restarts within the window) ends in FAILED, which
 * only a start request leaves. */
#include <v/mem.h>
#include <v/process.h>
#include <v/text.h>

#include "initd.h"

#define MS UINT64_C(1000000)

initd_svc *initd_find(initd *d, const char *name, size_t len)
{
    for (uint32_t i = 0; i < d->count; i++)
        if (v_cstr_len(d->svc[i].name) == len &&
            v_mem_equal(d->svc[i].name, name, len))
            return &d->svc[i];
    return NULL;
}

/* A NUL-terminated copy of a schema string (grant names are ≤ 31). */
static void cstr(char *out, size_t cap, v_schema_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    v_mem_copy(out, s.ptr, n);
    out[n] = '\0';
}

/* A duplicate of one of initd's own initial handles (the devices the
 * kernel gives the first Task). The grant does not say the type, and
 * vx_task_initial_handle wants one, so each type is tried in turn: a
 * wrong type is INVALID_ARGS, an absent name OUT_OF_RANGE. A duplicate,
 * because spawning moves the handle and the next instance needs one too.
 * The rights are the original's (a device handle has no finer ones). */
static v_status own_handle(v_schema_str target, vx_handle *out)
{
    static const vx_obj_type types[] = {
        VX_OBJ_IOPORT, VX_OBJ_IRQ, VX_OBJ_REGION, VX_OBJ_RING_TX,
        VX_OBJ_RING_RX, VX_OBJ_TIMER, VX_OBJ_TASK};
    char name[32];
    cstr(name, sizeof name, target);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        vx_handle h;
        v_status st = v_process_handle(name, types[i], &h);
        if (st == V_ERR_INVALID_ARGS)
            continue;
        if (st != V_OK)
            return st;
        vx_handle_info info;
        if ((st = (v_status)vx_handle_info_get(h, &info)) != V_OK)
            return st;
        return (v_status)vx_handle_dup(h, info.rights, out);
    }
    return V_ERR_OUT_OF_RANGE;
}

/* Makes the handle for one grant. The badge of an inbox TX names the
 * client: its index + 1 among initd's services. */
static v_status grant(initd *d, initd_svc *s,
                      const vectra_service_Grant *g, vx_handle *out)
{
    uint64_t badge = (uint64_t)(s - d->svc) + 1;
    vx_rights send = VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE |
                     VX_RIGHT_TRANSFER;
    switch (g->kind) {
    case VECTRA_SERVICE_GRANTKIND_INBOX: {
        initd_svc *t = initd_find(d, g->target.ptr, g->target.len);
        if (t == NULL || !t->has_inbox)
            return V_ERR_OUT_OF_RANGE;
        vx_ring_tx tx;
        v_status st = (v_status)vx_ring_tx_mint(t->inbox_tx, badge, send,
                                                &tx);
        *out = tx.h;
        return st;
    }
    case VECTRA_SERVICE_GRANTKIND_CONTROL: {
        vx_ring_tx tx;
        v_status st = (v_status)vx_ring_tx_mint(d->control_tx, badge, send,
                                                &tx);
        *out = tx.h;
        return st;
    }
    case VECTRA_SERVICE_GRANTKIND_REGION: {
        vx_region r;
        v_status st = (v_status)vx_region_create(g->size, &r);
        *out = r.h;
        return st;
    }
    case VECTRA_SERVICE_GRANTKIND_HELD:
        return own_handle(g->target, out);
    case VECTRA_SERVICE_GRANTKIND_ENTRY: {
        v_bundle_entry e;
        v_bundle_reason why;
        v_status st = v_bundle_find(&d->bundle, g->target.ptr, g->target.len,
                                    &e, &why);
        if (st == V_OK)
            st = v_bundle_entry_verify(&e, &why);
        if (st != V_OK)
            return st;
        uint64_t size = (e.size + VX_PAGE_SIZE - 1) / VX_PAGE_SIZE *
                        VX_PAGE_SIZE;
        vx_region r;
        if ((st = (v_status)vx_region_create(size ? size : VX_PAGE_SIZE,
                                             &r)) != V_OK)
            return st;
        st = (v_status)vx_region_write(r, 0, e.data, e.size);
        vx_handle ro = {0};
        if (st == V_OK)
            st = (v_status)vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_MAP |
                                                  VX_RIGHT_TRANSFER, &ro);
        (void)!vx_handle_close(r.h);
        *out = ro;
        return st;
    }
    }
    return V_ERR_INVALID_ARGS;
}

static v_poll watch(v_exec *e, v_future *f);

v_status initd_start(initd *d, initd_svc *s)
{
    const vectra_service_Manifest *m = s->m;
    if (m == NULL)
        return V_ERR_BAD_STATE;
    vx_named_handle hs[V_PROCESS_HANDLES_MAX];
    char names[V_PROCESS_HANDLES_MAX][32];
    uint32_t n = 0;
    v_status st = V_OK;
    if (s->has_inbox) {
        vx_handle rx;
        st = (v_status)vx_handle_dup(s->inbox_rx.h,
                                     VX_RIGHT_RECV | VX_RIGHT_WAIT |
                                         VX_RIGHT_TRANSFER, &rx);
        if (st == V_OK)
            hs[n++] = (vx_named_handle){"inbox", rx};
    }
    for (size_t i = 0; st == V_OK && i < m->footprint.count; i++) {
        const vectra_service_Grant *g = &m->footprint.items[i];
        if (n >= V_PROCESS_HANDLES_MAX) {
            st = V_ERR_LIMIT;
            break;
        }
        cstr(names[n], sizeof names[n], g->name);
        vx_handle h = {0};
        st = grant(d, s, g, &h);
        if (st != V_OK) {
            initd_log(d, V_SERVICE_ERROR,
                      "cannot grant '%s' to service '%s' (%d)", names[n],
                      s->name, (int)st);
            break;
        }
        hs[n] = (vx_named_handle){names[n], h};
        n++;
    }
    const char *argv[8];
    char args[8][129];
    for (size_t i = 0; i < m->args.count && i < 8; i++) {
        cstr(args[i], sizeof args[i], m->args.items[i]);
        argv[i] = args[i];
    }
    if (st == V_OK) {
        v_process_spawn_args a = {0};
        a.image = s->image;
        a.name = s->name;
        a.quota_bytes = m->quota_bytes;
        a.handle_limit = m->handle_limit;
        a.handle_count = n;
        a.handles = hs;
        a.spec.argc = (uint32_t)m->args.count;
        a.spec.argv = argv;
        st = v_process_spawn(&a, &s->task);
    }
    if (st != V_OK) {
        for (uint32_t i = 0; i < n; i++)
            (void)!vx_handle_close(hs[i].handle);
        initd_log(d, V_SERVICE_ERROR, "cannot start service '%s' (%d)",
                  s->name, (int)st);
        s->state = VECTRA_INITD_STATE_FAILED;
        return st;
    }
    st = v_exec_bind_handle(&d->exec, s->task.h, VX_COND_TASK_EXITED,
                            &s->exit_bit);
    if (st != V_OK) {
        /* Unwatched, it could never be restarted: end it and say so. */
        (void)!vx_task_kill(s->task);
        (void)!vx_handle_close(s->task.h);
        s->task.h.value = 0;
        s->state = VECTRA_INITD_STATE_FAILED;
        initd_log(d, V_SERVICE_ERROR, "cannot watch service '%s' (%d)",
                  s->name, (int)st);
        return st;
    }
    s->state = VECTRA_INITD_STATE_RUNNING;
    s->started_at = vx_clock_monotonic();
    s->stop_requested = false;
    s->restart_requested = false;
    if (!s->f.live)
        (void)v_exec_spawn(&d->exec, &s->f, watch, s);
    else
        (void)v_exec_wake(&d->exec, &s->f); /* await the new exit bit */
    return V_OK;
}

void initd_start_all(initd *d)
{
    for (uint32_t i = 0; i < d->count; i++) {
        initd_svc *s = &d->svc[d->order[i]];
        if (s->state == VECTRA_INITD_STATE_STOPPED)
            (void)initd_start(d, s);
    }
}

static uint32_t backoff_ms(const initd_svc *s)
{
    uint64_t ms = s->m->backoff_min_ms;
    for (uint32_t i = 1; i < s->consecutive && ms < s->m->backoff_max_ms; i++)
        ms *= 2;
    return ms > s->m->backoff_max_ms ? s->m->backoff_max_ms : (uint32_t)ms;
}

/* Restarts within the window, after recording this one. */
static uint32_t note_restart(initd_svc *s, vx_time now)
{
    s->restart_times[s->restart_count % INITD_RESTART_LOG] = now;
    s->restart_count++;
    uint64_t window = (uint64_t)s->m->give_up_window_ms * MS;
    uint32_t recent = 0;
    uint32_t known = s->restart_count < INITD_RESTART_LOG
                         ? s->restart_count : INITD_RESTART_LOG;
    for (uint32_t i = 0; i < known; i++)
        if (now - s->restart_times[i] <= window)
            recent++;
    return recent;
}

static const char *end_name(uint32_t state)
{
    switch (state) {
    case VX_TASK_EXITED: return "exited";
    case VX_TASK_KILLED: return "was killed";
    case VX_TASK_CRASHED: return "crashed";
    }
    return "ended";
}

static bool any_running(const initd *d)
{
    for (uint32_t i = 0; i < d->count; i++)
        if (d->svc[i].task.h.value != 0)
            return true;
    return false;
}

/* The instance ended: record how, then decide. */
static void ended(initd *d, initd_svc *s)
{
    vx_task_status ts = {0};
    (void)!vx_task_status_get(s->task, &ts);
    (void)v_exec_bit_free(&d->exec, s->exit_bit);
    (void)!vx_handle_close(s->task.h);
    s->task.h.value = 0;
    s->last_end = ts.state;
    s->last_code = ts.exit_code;
    vx_time now = vx_clock_monotonic();
    /* A run longer than the longest backoff was healthy. */
    if (now - s->started_at > (uint64_t)s->m->backoff_max_ms * MS)
        s->consecutive = 0;

    if (d->powering_off) {
        s->state = VECTRA_INITD_STATE_STOPPED;
        if (!any_running(d))
            v_service_stop(&d->control, V_EXIT_OK);
        return;
    }
    if (s->stop_requested) {
        s->state = VECTRA_INITD_STATE_STOPPED;
        initd_log(d, V_SERVICE_INFO, "service '%s' stopped", s->name);
        return;
    }
    if (s->restart_requested) {
        s->restarts++;
        (void)initd_start(d, s);
        return;
    }
    bool clean = ts.state == VX_TASK_EXITED && ts.exit_code == 0;
    bool hopeless = ts.state == VX_TASK_EXITED &&
                    !v_process_exit_restartable(ts.exit_code);
    vectra_service_Restart policy = s->m->restart;
    if (policy == VECTRA_SERVICE_RESTART_NEVER ||
        (policy == VECTRA_SERVICE_RESTART_ON_FAILURE && clean)) {
        s->state = clean ? VECTRA_INITD_STATE_STOPPED
                         : VECTRA_INITD_STATE_FAILED;
        initd_log(d, clean ? V_SERVICE_INFO : V_SERVICE_WARN,
                  "service '%s' %s (code %d); policy says no restart",
                  s->name, end_name(ts.state), (int)ts.exit_code);
        return;
    }
    if (hopeless && !clean) {
        s->state = VECTRA_INITD_STATE_FAILED;
        initd_log(d, V_SERVICE_ERROR,
                  "service '%s' exited with %s (%d): a restart cannot help; "
                  "FAILED", s->name, v_process_exit_name(ts.exit_code),
                  (int)ts.exit_code);
        return;
    }
    uint32_t recent = note_restart(s, now);
    if (recent > s->m->give_up_restarts) {
        s->state = VECTRA_INITD_STATE_FAILED;
        initd_log(d, V_SERVICE_ERROR,
                  "service '%s' %s: %u restarts within %u ms; giving up "
                  "(FAILED)", s->name, end_name(ts.state),
                  s->m->give_up_restarts, s->m->give_up_window_ms);
        return;
    }
    s->consecutive++;
    uint32_t ms = backoff_ms(s);
    initd_log(d, V_SERVICE_WARN,
              "service '%s' %s (code %d); restarting in %u ms", s->name,
              end_name(ts.state), (int)ts.exit_code, ms);
    s->state = VECTRA_INITD_STATE_BACKOFF;
    if (s->timer.h.value == 0) {
        if (vx_timer_create(&s->timer) != VX_OK ||
            v_exec_bind_handle(&d->exec, s->timer.h, VX_COND_TIMER_FIRED,
                               &s->timer_bit) != V_OK) {
            s->state = VECTRA_INITD_STATE_FAILED;
            return;
        }
    }
    (void)!vx_timer_set(s->timer, now + (uint64_t)ms * MS, 0);
}

static v_poll watch(v_exec *e, v_future *f)
{
    initd_svc *s = f->ctx;
    initd *d = s->owner;
    if (s->task.h.value != 0) {
        vx_handle_info info;
        if (vx_handle_info_get(s->task.h, &info) == VX_OK &&
            (info.conditions & VX_COND_TASK_EXITED) != 0)
            ended(d, s);
    }
    if (s->state == VECTRA_INITD_STATE_BACKOFF && s->timer.h.value != 0) {
        vx_handle_info info;
        if (vx_handle_info_get(s->timer.h, &info) == VX_OK &&
            (info.conditions & VX_COND_TIMER_FIRED) != 0) {
            (void)!vx_timer_cancel(s->timer);
            s->restarts++;
            (void)initd_start(d, s);
        }
    }
    if (s->task.h.value != 0) {
        (void)v_exec_await(e, f, s->exit_bit);
        return V_POLL_PENDING;
    }
    if (s->state == VECTRA_INITD_STATE_BACKOFF) {
        (void)v_exec_await(e, f, s->timer_bit);
        return V_POLL_PENDING;
    }
    return V_POLL_DONE; /* stopped, failed: a start spawns it again */
}

void initd_stop(initd *d, initd_svc *s)
{
    if (s->task.h.value != 0) {
        s->stop_requested = true;
        (void)!vx_task_kill(s->task);
    } else if (s->state == VECTRA_INITD_STATE_BACKOFF) {
        (void)!vx_timer_cancel(s->timer);
        s->state = VECTRA_INITD_STATE_STOPPED;
    }
}

void initd_restart(initd *d, initd_svc *s)
{
    if (s->task.h.value != 0) {
        s->restart_requested = true;
        (void)!vx_task_kill(s->task);
        return;
    }
    if (s->state == VECTRA_INITD_STATE_BACKOFF)
        (void)!vx_timer_cancel(s->timer);
    s->consecutive = 0;
    s->restart_count = 0;
    (void)initd_start(d, s);
}

void initd_poweroff(initd *d)
{
    initd_log(d, V_SERVICE_INFO, "power off: stopping every service");
    d->powering_off = true;
    for (uint32_t i = 0; i < d->count; i++) {
        initd_svc *s = &d->svc[d->count - 1 - i];
        if (s->task.h.value != 0)
            (void)!vx_task_kill(s->task);
        else if (s->state == VECTRA_INITD_STATE_BACKOFF)
            s->state = VECTRA_INITD_STATE_STOPPED;
    }
    if (!any_running(d))
        v_service_stop(&d->control, V_EXIT_OK);
}
