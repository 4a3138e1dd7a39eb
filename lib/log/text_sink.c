/* The text sink: one line per record (format and escaping in v/log.h).
 * Escaping keeps every record on one line whatever its strings hold, and
 * keeps key=value pairs splittable. */
#include <v/log.h>
#include "emit.h"

enum { IN_PLAIN, IN_KEY, IN_QUOTES };

static bool needs_hex(uint8_t c, int where)
{
    if (c < 0x20 || c == 0x7f)
        return true;
    return where == IN_KEY && (c == ' ' || c == '=' || c == '"');
}

static void escaped(v_log_emit *e, v_str s, int where)
{
    size_t i = 0;
    while (i < s.len) {
        bool valid;
        size_t n = v_log_utf8_step(s, i, &valid);
        uint8_t c = (uint8_t)s.p[i];
        if (!valid) {
            for (size_t k = 0; k < n; k++) {
                v_log_emit_bytes(e, "\\x", 2);
                v_log_emit_hex_byte(e, (uint8_t)s.p[i + k]);
            }
        } else if (c == '\\') {
            v_log_emit_bytes(e, "\\\\", 2);
        } else if (c == '"' && where == IN_QUOTES) {
            v_log_emit_bytes(e, "\\\"", 2);
        } else if (c == '\n') {
            v_log_emit_bytes(e, "\\n", 2);
        } else if (c == '\r') {
            v_log_emit_bytes(e, "\\r", 2);
        } else if (c == '\t') {
            v_log_emit_bytes(e, "\\t", 2);
        } else if (needs_hex(c, where)) {
            v_log_emit_bytes(e, "\\x", 2);
            v_log_emit_hex_byte(e, c);
        } else {
            v_log_emit_bytes(e, s.p + i, n);
        }
        i += n;
    }
}

/* A value may go bare when reading it back cannot be confused. */
static bool bare_ok(v_str s)
{
    if (s.len == 0)
        return false;
    size_t i = 0;
    while (i < s.len) {
        bool valid;
        size_t n = v_log_utf8_step(s, i, &valid);
        uint8_t c = (uint8_t)s.p[i];
        if (!valid || c < 0x20 || c == 0x7f || c == ' ' || c == '"' ||
            c == '=' || c == '\\')
            return false;
        i += n;
    }
    return true;
}

static void value(v_log_emit *e, const v_log_field *f)
{
    switch (f->kind) {
    case V_LOG_KIND_STR:
        if (bare_ok(f->v.str)) {
            v_log_emit_bytes(e, f->v.str.p, f->v.str.len);
        } else {
            v_log_emit_byte(e, '"');
            escaped(e, f->v.str, IN_QUOTES);
            v_log_emit_byte(e, '"');
        }
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
        if (f->v.bytes.len == 0)
            v_log_emit_bytes(e, "\"\"", 2);
        for (size_t i = 0; i < f->v.bytes.len; i++)
            v_log_emit_hex_byte(e, ((const uint8_t *)f->v.bytes.p)[i]);
        break;
    }
}

v_status v_log_write_text(const v_writer *out, const v_log_record *rec)
{
    v_log_emit e;
    v_log_emit_init(&e, out);
    v_log_emit_u64(&e, rec->time_ns / 1000000000u);
    v_log_emit_byte(&e, '.');
    v_log_emit_u64_padded(&e, rec->time_ns % 1000000000u, 9);
    v_log_emit_byte(&e, ' ');
    v_log_emit_cstr(&e, v_log_level_name(rec->level));
    v_log_emit_byte(&e, ' ');
    if (rec->module.len > 0) {
        escaped(&e, rec->module, IN_PLAIN);
        v_log_emit_bytes(&e, ": ", 2);
    }
    escaped(&e, rec->message, IN_PLAIN);
    for (size_t i = 0; i < rec->field_count; i++) {
        const v_log_field *f = &rec->fields[i];
        v_log_emit_byte(&e, ' ');
        escaped(&e, v_str_from_cstr(f->key), IN_KEY);
        v_log_emit_byte(&e, '=');
        value(&e, f);
    }
    v_log_emit_byte(&e, '\n');
    return v_log_emit_finish(&e);
}

static v_status text_write(void *ctx, const v_log_record *rec)
{
    return v_log_write_text(ctx, rec);
}

v_log_sink v_log_text_sink(const v_writer *out)
{
    /* The sink interface has a mutable context; the writer is only read. */
    return (v_log_sink){ text_write, (void *)out };
}
