/* The sinks' output buffer and number formatting (see emit.h). */
#include "emit.h"
#include <v/mem.h>

void v_log_emit_init(v_log_emit *e, const v_writer *out)
{
    e->out = out;
    e->err = V_OK;
    e->len = 0;
}

static void flush(v_log_emit *e)
{
    if (e->err == V_OK && e->len > 0)
        e->err = v_write_all(e->out, e->buf, e->len, NULL);
    e->len = 0;
}

void v_log_emit_bytes(v_log_emit *e, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0 && e->err == V_OK) {
        if (e->len == sizeof e->buf)
            flush(e);
        size_t room = sizeof e->buf - e->len;
        size_t k = n < room ? n : room;
        v_mem_copy(e->buf + e->len, s, k);
        e->len += k;
        s += k;
        n -= k;
    }
}

void v_log_emit_byte(v_log_emit *e, char c)
{
    v_log_emit_bytes(e, &c, 1);
}

void v_log_emit_cstr(v_log_emit *e, const char *s)
{
    v_log_emit_bytes(e, s, v_cstr_len(s));
}

void v_log_emit_u64(v_log_emit *e, uint64_t x)
{
    char d[20];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    v_log_emit_bytes(e, d + i, sizeof d - i);
}

void v_log_emit_i64(v_log_emit *e, int64_t x)
{
    if (x < 0) {
        v_log_emit_byte(e, '-');
        /* Negate in unsigned arithmetic: -INT64_MIN overflows int64_t. */
        v_log_emit_u64(e, 0 - (uint64_t)x);
    } else {
        v_log_emit_u64(e, (uint64_t)x);
    }
}

void v_log_emit_u64_padded(v_log_emit *e, uint64_t x, unsigned digits)
{
    char d[20];
    if (digits > sizeof d)
        digits = sizeof d;
    for (unsigned i = digits; i > 0; i--) {
        d[i - 1] = (char)('0' + x % 10);
        x /= 10;
    }
    v_log_emit_bytes(e, d, digits);
}

void v_log_emit_hex_byte(v_log_emit *e, uint8_t b)
{
    static const char hex[] = "0123456789abcdef";
    char d[2] = { hex[b >> 4], hex[b & 15] };
    v_log_emit_bytes(e, d, 2);
}

v_status v_log_emit_finish(v_log_emit *e)
{
    flush(e);
    return e->err;
}

size_t v_log_utf8_step(v_str s, size_t at, bool *valid)
{
    uint32_t cp;
    size_t used = 1;
    *valid = v_utf8_decode(s.p + at, s.len - at, &cp, &used) == V_OK;
    return used ? used : 1;
}
