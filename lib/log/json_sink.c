/* The JSON Lines sink (format in v/log.h). Output is always valid UTF-8
 * and valid JSON, whatever bytes the record holds. */
#include <v/log.h>
#include "emit.h"

static void json_string(v_log_emit *e, v_str s)
{
    v_log_emit_byte(e, '"');
    size_t i = 0;
    while (i < s.len) {
        bool valid;
        size_t n = v_log_utf8_step(s, i, &valid);
        uint8_t c = (uint8_t)s.p[i];
        if (!valid) {
            v_log_emit_bytes(e, "\\ufffd", 6);
        } else if (c == '"' || c == '\\') {
            v_log_emit_byte(e, '\\');
            v_log_emit_byte(e, (char)c);
        } else if (c < 0x20) {
            switch (c) {
            case '\b': v_log_emit_bytes(e, "\\b", 2); break;
            case '\f': v_log_emit_bytes(e, "\\f", 2); break;
            case '\n': v_log_emit_bytes(e, "\\n", 2); break;
            case '\r': v_log_emit_bytes(e, "\\r", 2); break;
            case '\t': v_log_emit_bytes(e, "\\t", 2); break;
            default:
                v_log_emit_bytes(e, "\\u00", 4);
                v_log_emit_hex_byte(e, c);
            }
        } else {
            v_log_emit_bytes(e, s.p + i, n);
        }
        i += n;
    }
    v_log_emit_byte(e, '"');
}

static void json_value(v_log_emit *e, const v_log_field *f)
{
    switch (f->kind) {
    case V_LOG_KIND_STR:
        json_string(e, f->v.str);
        break;
    case V_LOG_KIND_I64:
        v_log_emit_i64(e, f->v.i64);
        break;
    case V_LOG_KIND_U64:
        v_log_emit_u64(e, f->v.u64);
        break;
    case V_LOG_KIND_BOOL:
        v_log_emit_cstr(e, f->v.b ? "true" : "false");
        break;
    case V_LOG_KIND_HEX:
        v_log_emit_byte(e, '"');
        for (size_t i = 0; i < f->v.bytes.len; i++)
            v_log_emit_hex_byte(e, ((const uint8_t *)f->v.bytes.p)[i]);
        v_log_emit_byte(e, '"');
        break;
    }
}

v_status v_log_write_json(const v_writer *out, const v_log_record *rec)
{
    v_log_emit e;
    v_log_emit_init(&e, out);
    v_log_emit_cstr(&e, "{\"time_ns\":");
    v_log_emit_u64(&e, rec->time_ns);
    v_log_emit_cstr(&e, ",\"level\":\"");
    v_log_emit_cstr(&e, v_log_level_name(rec->level));
    v_log_emit_cstr(&e, "\",\"module\":");
    json_string(&e, rec->module);
    v_log_emit_cstr(&e, ",\"msg\":");
    json_string(&e, rec->message);
    v_log_emit_cstr(&e, ",\"fields\":{");
    for (size_t i = 0; i < rec->field_count; i++) {
        if (i > 0)
            v_log_emit_byte(&e, ',');
        json_string(&e, v_str_from_cstr(rec->fields[i].key));
        v_log_emit_byte(&e, ':');
        json_value(&e, &rec->fields[i]);
    }
    v_log_emit_cstr(&e, "}}\n");
    return v_log_emit_finish(&e);
}

static v_status json_write(void *ctx, const v_log_record *rec)
{
    return v_log_write_json(ctx, rec);
}

v_log_sink v_log_json_sink(const v_writer *out)
{
    return (v_log_sink){ json_write, (void *)out };
}
