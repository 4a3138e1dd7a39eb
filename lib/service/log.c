/* Logging from a service: a record to logd over its inbox when the
 * service holds logd's TX (its footprint says so), else a line to the
 * program's sink (include/v/service.h). A log call never waits: a full
 * logd inbox drops the record and counts it. */
#include <v/mem.h>
#include <v/service.h>
#include <v/text.h>
#include <vx/vx.h>

#include "logd_protocol.h"

static const char *level_name(v_service_level l)
{
    switch (l) {
    case V_SERVICE_DEBUG: return "DEBUG";
    case V_SERVICE_INFO: return "INFO";
    case V_SERVICE_WARN: return "WARN";
    case V_SERVICE_ERROR: return "ERROR";
    }
    return "?";
}

void v_service_log_to(const char *name, vx_ring_tx log_tx,
                      v_service_sink sink, void *sink_ctx,
                      v_service_level level, const char *text,
                      uint64_t *lost)
{
    if (name == NULL || text == NULL)
        return;
    size_t nl = v_cstr_len(name);
    size_t tl = v_cstr_len(text);
    if (nl > 31)
        nl = 31;
    if (tl > 200)
        tl = v_utf8_boundary(text, 200);
    if (log_tx.h.value != 0) {
        vectra_logd_Request r = {0};
        r.id = 0;
        r.call.tag = VECTRA_LOGD_CALL_APPEND;
        r.call.u.append.time_ns = vx_clock_monotonic();
        r.call.u.append.level = (vectra_logd_Level)level;
        r.call.u.append.service = (v_schema_str){name, nl};
        r.call.u.append.text = (v_schema_str){text, tl};
        uint8_t buf[512];
        size_t len = 0;
        v_encoding_error err;
        if (vectra_logd_Request_encode(&r, buf, sizeof buf, &len, &err) ==
            V_OK) {
            vx_msg_out m = {buf, (uint32_t)len, 0, {{0}}};
            if (vx_ring_send(log_tx, &m) == VX_OK)
                return;
        }
        if (lost != NULL)
            (*lost)++;
        /* and say it locally, so nothing vanishes silently */
    }
    if (sink == NULL)
        return;
    char line[300];
    size_t n = 0;
    if (v_fmt(line, sizeof line, &n, "%.*s: %s %.*s\n", (int)nl, name,
              level_name(level), (int)tl, text) == V_OK)
        sink(sink_ctx, line, n);
}

void v_service_log(v_service *s, v_service_level level, const char *text)
{
    if (s == NULL)
        return;
    v_service_log_to(s->name, s->log_tx, s->sink, s->sink_ctx, level, text,
                     &s->stats.logs_lost);
}
