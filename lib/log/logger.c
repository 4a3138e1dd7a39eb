/* The logger: level filter, clock, record assembly. It holds no state of
 * its own beyond what the caller put in the v_logger value. */
#include <v/log.h>

const char *v_log_level_name(v_log_level level)
{
    switch (level) {
    case V_LOG_TRACE: return "TRACE";
    case V_LOG_DEBUG: return "DEBUG";
    case V_LOG_INFO: return "INFO";
    case V_LOG_WARN: return "WARN";
    case V_LOG_ERROR: return "ERROR";
    }
    return "?";
}

void v_logger_init(v_logger *lg, v_log_sink sink, const char *module,
                   v_log_level min_level, v_log_clock clock)
{
    lg->sink = sink;
    lg->min_level = min_level;
    lg->module = v_str_from_cstr(module);
    lg->clock = clock;
}

v_status v_log_at(const v_logger *lg, uint64_t time_ns, v_log_level level,
                  const char *message, const v_log_field *fields,
                  size_t field_count)
{
    /* Compare as unsigned so a negative level counts as out of range. */
    if ((unsigned)level > (unsigned)V_LOG_ERROR || !message)
        return V_ERR_INVALID_ARGS;
    if (field_count > V_LOG_MAX_FIELDS)
        return V_ERR_LIMIT;
    if (field_count > 0 && !fields)
        return V_ERR_INVALID_ARGS;
    for (size_t i = 0; i < field_count; i++) {
        const v_log_field *f = &fields[i];
        if (!f->key || (unsigned)f->kind > V_LOG_KIND_HEX)
            return V_ERR_INVALID_ARGS;
        if ((f->kind == V_LOG_KIND_STR && !f->v.str.p && f->v.str.len) ||
            (f->kind == V_LOG_KIND_HEX && !f->v.bytes.p && f->v.bytes.len))
            return V_ERR_INVALID_ARGS;
    }
    if (!v_log_enabled(lg, level))
        return V_OK;
    v_log_record rec = {
        .time_ns = time_ns,
        .level = level,
        .module = lg->module,
        .message = v_str_from_cstr(message),
        .fields = fields,
        .field_count = field_count,
    };
    return lg->sink.write(lg->sink.ctx, &rec);
}

v_status v_log(const v_logger *lg, v_log_level level, const char *message,
               const v_log_field *fields, size_t field_count)
{
    /* Read the clock only for records that will be written. */
    uint64_t t = 0;
    if (v_log_enabled(lg, level) && lg->clock.now_ns)
        t = lg->clock.now_ns(lg->clock.ctx);
    return v_log_at(lg, t, level, message, fields, field_count);
}
