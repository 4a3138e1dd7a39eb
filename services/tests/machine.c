/* Test helpers (machine.h). */
#include <v/mem.h>
#include <v/process.h>

#include "machine.h"

#define MS UINT64_C(1000000)

void machine_sleep_ms(uint32_t ms)
{
    uint64_t p;
    vx_timer t;
    if (vx_timer_create(&t) != VX_OK)
        return;
    if (vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 50) == VX_OK) {
        vx_time until = vx_clock_monotonic() + ms * MS;
        (void)!vx_timer_set(t, until, 0);
        (void)!vx_wait(UINT64_C(1) << 50, until + 1000 * MS, &p);
    }
    (void)!vx_handle_close(t.h);
}

v_status machine_bundle_copy(vx_region *out, uint8_t **map, uint64_t *len)
{
    vx_handle src;
    v_status st = (v_status)vx_task_initial_handle("bundle", VX_OBJ_REGION,
                                                   &src);
    uint64_t size = 0;
    if (st == V_OK)
        st = (v_status)vx_region_size((vx_region){src}, &size);
    if (st == V_OK)
        st = (v_status)vx_region_create(size, out);
    void *p = NULL;
    if (st == V_OK)
        st = (v_status)vx_region_map(*out, 0, size,
                                     VX_PROT_READ | VX_PROT_WRITE, &p);
    if (st == V_OK)
        st = (v_status)vx_region_read((vx_region){src}, 0, p, size);
    *map = p;
    *len = size;
    return st;
}

v_status machine_boot(machine *m, vx_region bundle)
{
    vx_handle image;
    v_status st = (v_status)vx_task_initial_handle("initd", VX_OBJ_REGION,
                                                   &image);
    if (st != V_OK)
        return st;
    vx_ring_params p = {V_SERVICE_MSG_MAX, 16, vectra_initd_SCHEMA_ID};
    vx_ring_rx rx;
    if ((st = (v_status)vx_ring_create(&p, &m->control, &rx)) != V_OK)
        return st;
    vx_handle tx2;
    if ((st = (v_status)vx_handle_dup(m->control.h, VX_RIGHT_SEND | VX_RIGHT_WAIT | VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER, &tx2)) !=
        V_OK)
        return st;
    vx_named_handle hs[3] = {{"boot.bundle", bundle.h}, {"control", rx.h},
                             {"control.tx", tx2}};
    v_process_spawn_args a = {0};
    a.image = (vx_region){image};
    a.name = "initd";
    a.quota_bytes = UINT64_C(200) << 20;
    a.handle_limit = 512;
    a.handle_count = 3;
    a.handles = hs;
    return v_process_spawn(&a, &m->initd);
}

static v_arena *arena(void)
{
    static _Alignas(16) uint8_t mem[32768];
    static v_arena a;
    (void)v_arena_init(&a, mem, sizeof mem);
    return &a;
}

v_status machine_control(machine *m, vectra_initd_Call call,
                         vectra_initd_Reply *rep, vx_handle *tx)
{
    static uint64_t next_id = 1;
    vectra_initd_Request r = {0};
    r.has_reply = true;
    r.id = next_id++;
    r.call = call;
    uint8_t buf[512];
    static uint8_t rbuf[V_SERVICE_MSG_MAX];
    size_t len = 0;
    v_encoding_error err;
    v_status st = vectra_initd_Request_encode(&r, buf, sizeof buf, &len, &err);
    if (st != V_OK)
        return st;
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    st = v_service_call_sync(m->control, vectra_initd_SCHEMA_ID, buf, len,
                             NULL, 0, 51, vx_clock_monotonic() + 5000 * MS,
                             &in);
    if (st != V_OK)
        return st;
    st = vectra_initd_Reply_decode(rbuf, in.len, 0, &arena()->base, rep,
                                   &err);
    if (st == V_OK && rep->id != r.id)
        st = V_ERR_BAD_STATE;
    for (uint32_t i = 0; i < in.handle_count; i++) {
        if (tx != NULL && i == 0)
            *tx = in.handles[0];
        else
            (void)!vx_handle_close(in.handles[i]);
    }
    return st;
}

static vectra_initd_Call named(vectra_initd_Call_tag tag, const char *name)
{
    vectra_initd_Call c = {0};
    c.tag = tag;
    c.u.start.name = (v_schema_str){name, v_cstr_len(name)};
    return c;
}

v_status machine_info(machine *m, const char *name,
                      vectra_initd_TaskInfo *info)
{
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_TASKS;
    vectra_initd_Reply rep;
    v_status st = machine_control(m, c, &rep, NULL);
    if (st != V_OK)
        return st;
    for (size_t i = 0; i < rep.tasks.count; i++) {
        const vectra_initd_TaskInfo *t = &rep.tasks.items[i];
        if (t->name.len == v_cstr_len(name) &&
            v_mem_equal(t->name.ptr, name, t->name.len)) {
            *info = *t;
            return V_OK;
        }
    }
    return V_ERR_OUT_OF_RANGE;
}

v_status machine_wait_state(machine *m, const char *name,
                            vectra_initd_State state,
                            vectra_initd_TaskInfo *info)
{
    vx_time until = vx_clock_monotonic() + 10000 * MS;
    v_status st;
    do {
        st = machine_info(m, name, info);
        if (st == V_OK && info->state == state)
            return V_OK;
        machine_sleep_ms(5);
    } while (vx_clock_monotonic() < until);
    return st == V_OK ? V_ERR_TIMED_OUT : st;
}

v_status machine_connect(machine *m, const char *name, vx_ring_tx *tx)
{
    vectra_initd_Reply rep;
    vx_handle h = {0};
    v_status st = machine_control(m, named(VECTRA_INITD_CALL_CONNECT, name),
                                  &rep, &h);
    if (st == V_OK && rep.status != 0)
        st = rep.status;
    if (st == V_OK && h.value == 0)
        st = V_ERR_BAD_STATE;
    tx->h = h;
    return st;
}

v_status machine_poweroff(machine *m)
{
    vectra_initd_Call c = {0};
    c.tag = VECTRA_INITD_CALL_POWEROFF;
    vectra_initd_Reply rep;
    v_status st = machine_control(m, c, &rep, NULL);
    uint64_t p;
    if (vx_signal_bind(m->initd.h, VX_COND_TASK_EXITED, 52) == VX_OK) {
        if (vx_wait(UINT64_C(1) << 52, vx_clock_monotonic() + 10000 * MS,
                    &p) != VX_OK) {
            (void)!vx_task_kill(m->initd);
            (void)!vx_wait(UINT64_C(1) << 52,
                           vx_clock_monotonic() + 10000 * MS, &p);
            st = V_ERR_TIMED_OUT;
        }
        (void)!vx_signal_unbind(52);
    }
    vx_task_status ts = {0};
    (void)!vx_task_status_get(m->initd, &ts);
    if (st == V_OK && (ts.state != VX_TASK_EXITED || ts.exit_code != 0))
        st = V_ERR_BAD_STATE;
    (void)!vx_handle_close(m->initd.h);
    (void)!vx_handle_close(m->control.h);
    return st;
}
