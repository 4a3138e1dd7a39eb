/* The echo schema's glue (echo.h). */
#include "echo.h"

#include <v/alloc.h>

v_status echo_decode(const void *buf, size_t len, unsigned flags, v_alloc *a,
                     void *out, v_encoding_error *err)
{
    return vectra_echo_Request_decode(buf, len, flags, a, out, err);
}

void echo_envelope(const void *req, uint64_t *id, bool *has_reply,
                   uint32_t *tag)
{
    const vectra_echo_Request *r = req;
    *id = r->id;
    *has_reply = r->has_reply;
    *tag = (uint32_t)r->call.tag;
}

vectra_echo_Call echo_of(uint64_t value)
{
    vectra_echo_Call c = {0};
    c.tag = VECTRA_ECHO_CALL_ECHO;
    c.u.echo.value = value;
    return c;
}

v_status echo_call(vx_ring_tx tx, vectra_echo_Call call, uint32_t bit,
                   vx_time deadline, uint64_t *value)
{
    /* Request ids only need to differ between a client's calls; each
     * client is one thread of one Task. */
    static uint64_t next_id = 1;
    vectra_echo_Request r = {0};
    r.has_reply = true;
    r.id = next_id++;
    r.call = call;
    uint8_t buf[256], rbuf[256];
    size_t len = 0;
    v_encoding_error err;
    v_status st = vectra_echo_Request_encode(&r, buf, sizeof buf, &len, &err);
    if (st != V_OK)
        return st;
    v_service_reply_in in = {rbuf, sizeof rbuf, 0, 0, {{0}}};
    st = v_service_call_sync(tx, vectra_echo_SCHEMA_ID, buf, len, NULL, 0, bit,
                             deadline, &in);
    if (st != V_OK)
        return st;
    int32_t status;
    uint64_t rid;
    if ((st = v_service_reply_peek(rbuf, in.len, &status, &rid)) != V_OK)
        return st;
    if (status != 0)
        return status;
    static _Alignas(16) uint8_t mem[4096];
    v_arena a;
    (void)v_arena_init(&a, mem, sizeof mem);
    vectra_echo_Reply rep;
    if ((st = vectra_echo_Reply_decode(rbuf, in.len, 0, &a.base, &rep,
                                       &err)) != V_OK)
        return st;
    *value = rep.has_value ? rep.value : 0;
    return V_OK;
}
