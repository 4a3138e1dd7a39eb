/* Internal to lib/log: a small output buffer the sinks format into, so a
 * record goes to the writer in a few large writes instead of one per
 * byte. The first writer error is kept; later output is dropped and the
 * error returned by v_log_emit_finish. */
#ifndef LIB_LOG_EMIT_H
#define LIB_LOG_EMIT_H

#include <stdint.h>
#include <v/io.h>
#include <v/text.h>

#define V_LOG_EMIT_BUF 256

typedef struct v_log_emit {
    const v_writer *out;
    v_status err;
    size_t len;
    char buf[V_LOG_EMIT_BUF];
} v_log_emit;

void v_log_emit_init(v_log_emit *e, const v_writer *out);
void v_log_emit_bytes(v_log_emit *e, const void *p, size_t n);
void v_log_emit_byte(v_log_emit *e, char c);
void v_log_emit_cstr(v_log_emit *e, const char *s);
void v_log_emit_u64(v_log_emit *e, uint64_t x);
void v_log_emit_i64(v_log_emit *e, int64_t x);
/* x in exactly `digits` decimal digits, zero-padded (x < 10^digits). */
void v_log_emit_u64_padded(v_log_emit *e, uint64_t x, unsigned digits);
/* Two lowercase hex digits. */
void v_log_emit_hex_byte(v_log_emit *e, uint8_t b);
/* Flushes and returns the first error (V_OK when all went out). */
v_status v_log_emit_finish(v_log_emit *e);

/* Steps through s: the next run is either a valid UTF-8 sequence (*valid
 * true) or a maximal ill-formed subsequence (*valid false). Returns its
 * length (>= 1); s.len must be > 0. */
size_t v_log_utf8_step(v_str s, size_t at, bool *valid);

#endif
