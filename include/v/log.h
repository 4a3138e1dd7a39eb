/* v/log.h — structured log records, written to a sink value passed in.
 *
 * There is no global logger. A program builds a v_logger (a sink, a
 * minimum level, a module name, optionally a clock) and passes it to
 * whatever should log. A record is a level, a module, a message and typed
 * key/value fields; a sink decides how to write it. Two sinks come with
 * libv, both over a v_writer (v/io.h): one line of text per record, and
 * one JSON object per line.
 *
 *     v_logger lg;
 *     v_logger_init(&lg, v_log_text_sink(&out), "net", V_LOG_INFO, clock);
 *     V_LOG_INFO(&lg, "connected", V_LOG_STR("peer", name),
 *                V_LOG_U64("port", 443));
 *
 * Time: records carry a caller-defined monotonic time in nanoseconds.
 * libv has no clock of its own, so the logger takes one (a function and
 * its context); with none, records carry time 0. v_log_at takes the time
 * explicitly. */
#ifndef V_LOG_H
#define V_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/io.h>
#include <v/status.h>
#include <v/text.h>

typedef enum v_log_level {
    V_LOG_TRACE = 0,
    V_LOG_DEBUG = 1,
    V_LOG_INFO = 2,
    V_LOG_WARN = 3,
    V_LOG_ERROR = 4,
} v_log_level;

/* "TRACE", "DEBUG", "INFO", "WARN", "ERROR"; "?" for any other value. */
const char *v_log_level_name(v_log_level level);

typedef enum v_log_kind {
    V_LOG_KIND_STR,   /* UTF-8 text (invalid bytes are escaped by sinks) */
    V_LOG_KIND_I64,
    V_LOG_KIND_U64,
    V_LOG_KIND_BOOL,
    V_LOG_KIND_HEX,   /* bytes, written as lowercase hex */
} v_log_kind;

typedef struct v_log_field {
    const char *key; /* C string; sinks escape what their format needs */
    v_log_kind kind;
    union {
        v_str str;
        int64_t i64;
        uint64_t u64;
        bool b;
        struct { const void *p; size_t len; } bytes;
    } v;
} v_log_field;

/* Field constructors, for use in argument lists. */
#define V_LOG_STR(k, cstr) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_STR, \
                    .v.str = v_str_from_cstr(cstr) })
#define V_LOG_STRN(k, ptr, n) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_STR, \
                    .v.str = v_str_make((ptr), (n)) })
#define V_LOG_I64(k, x) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_I64, .v.i64 = (x) })
#define V_LOG_U64(k, x) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_U64, .v.u64 = (x) })
#define V_LOG_BOOL(k, x) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_BOOL, .v.b = (x) })
#define V_LOG_HEX(k, ptr, n) \
    ((v_log_field){ .key = (k), .kind = V_LOG_KIND_HEX, \
                    .v.bytes = { (ptr), (n) } })

/* Most fields in one record (more is V_ERR_LIMIT). */
#define V_LOG_MAX_FIELDS 64

typedef struct v_log_record {
    uint64_t time_ns;
    v_log_level level;
    v_str module;
    v_str message;
    const v_log_field *fields;
    size_t field_count;
} v_log_record;

/* Where records go. write returns V_OK or the failure of its output,
 * which v_log passes back to the caller unchanged. */
typedef struct v_log_sink {
    v_status (*write)(void *ctx, const v_log_record *rec);
    void *ctx;
} v_log_sink;

typedef struct v_log_clock {
    uint64_t (*now_ns)(void *ctx); /* NULL: no clock, time 0 */
    void *ctx;
} v_log_clock;

typedef struct v_logger {
    v_log_sink sink;
    v_log_level min_level; /* records below it are dropped */
    v_str module;
    v_log_clock clock;
} v_logger;

/* module is a C string (NULL for none) that must outlive the logger. */
void v_logger_init(v_logger *lg, v_log_sink sink, const char *module,
                   v_log_level min_level, v_log_clock clock);

static inline bool v_log_enabled(const v_logger *lg, v_log_level level)
{
    return level >= lg->min_level;
}

/* Sends one record to the logger's sink, stamped with its clock. A record
 * below the minimum level is dropped with V_OK (the sink is not called).
 * Errors: V_ERR_INVALID_ARGS for a level outside the enum or a NULL key
 * or message, V_ERR_LIMIT for more than V_LOG_MAX_FIELDS fields, else
 * whatever the sink returns. */
v_status v_log(const v_logger *lg, v_log_level level, const char *message,
               const v_log_field *fields, size_t field_count);
/* Same, with the time given instead of read from the clock. */
v_status v_log_at(const v_logger *lg, uint64_t time_ns, v_log_level level,
                  const char *message, const v_log_field *fields,
                  size_t field_count);

/* Logging with one or more fields; the fields are not even built when
 * the level is disabled. V_LOG_INFO alone is the level constant and
 * V_LOG_INFO(...) this macro: the preprocessor expands a function-like
 * macro only when its name is followed by '(', so both work. (With no fields, call v_log(lg, level, msg,
 * NULL, 0): C17 has no portable empty variadic list.) */
#define V_LOG(lg, level, msg, ...)                                          \
    (v_log_enabled((lg), (level))                                           \
         ? v_log((lg), (level), (msg), (const v_log_field[]){ __VA_ARGS__ }, \
                 sizeof((const v_log_field[]){ __VA_ARGS__ }) /             \
                     sizeof(v_log_field))                                   \
         : V_OK)
#define V_LOG_TRACE(lg, msg, ...) V_LOG(lg, V_LOG_TRACE, msg, __VA_ARGS__)
#define V_LOG_DEBUG(lg, msg, ...) V_LOG(lg, V_LOG_DEBUG, msg, __VA_ARGS__)
#define V_LOG_INFO(lg, msg, ...) V_LOG(lg, V_LOG_INFO, msg, __VA_ARGS__)
#define V_LOG_WARN(lg, msg, ...) V_LOG(lg, V_LOG_WARN, msg, __VA_ARGS__)
#define V_LOG_ERROR(lg, msg, ...) V_LOG(lg, V_LOG_ERROR, msg, __VA_ARGS__)

/* ------------------------------------------------------------------ sinks
 *
 * Both sinks write a record through v_write_all in pieces of at most a few
 * hundred bytes and stop at the first error, returning it; the writer may
 * then hold part of the record. Wrap the writer in a v_io_buf_writer to
 * batch the pieces. The sinks keep a pointer to the writer, which must
 * outlive them. */

/* One line per record, for people to read (programs should read the JSON
 * sink's output: in text, a message that itself contains " k=v" looks
 * like a field):
 *     <sec>.<nsec> LEVEL module: message key=value key="a value"\n
 * <sec> is time_ns / 10^9 in decimal, <nsec> the rest in 9 digits; the
 * "module: " part is left out when the module is empty.
 * Escaping, so that a record is always exactly one line:
 *   - in the module, the message and keys: '\\' -> "\\\\", '\n' -> "\\n",
 *     '\r' -> "\\r", '\t' -> "\\t", any other byte below 0x20, 0x7f, and
 *     every byte of an invalid UTF-8 sequence -> "\\xHH" (lowercase); in
 *     keys also ' ', '=' and '"' -> "\\x20", "\\x3d", "\\x22";
 *   - string values are written bare when non-empty and free of ' ', '"',
 *     '=', '\\', control bytes and invalid UTF-8; otherwise inside double
 *     quotes with '"' -> "\\\"" and the escapes above;
 *   - integers in decimal, booleans as true/false, bytes as lowercase
 *     hex ("" when empty). */
v_log_sink v_log_text_sink(const v_writer *out);
v_status v_log_write_text(const v_writer *out, const v_log_record *rec);

/* One JSON object per line (JSON Lines), RFC 8259:
 *     {"time_ns":N,"level":"INFO","module":"m","msg":"text",
 *      "fields":{"key":value,...}}\n
 * (on one line). Strings escape '"' and '\\', use \b \f \n \r \t, and
 * \u00XX for other bytes below 0x20. Invalid UTF-8 is replaced: each
 * maximal ill-formed subsequence becomes \ufffd, so the output is always
 * valid UTF-8 and valid JSON. Integers are JSON numbers, exact in
 * decimal (a reader that parses numbers as doubles loses precision above
 * 2^53); booleans are true/false; bytes are a string of lowercase hex.
 * Keys are written in order as given; duplicate keys are not merged. */
v_log_sink v_log_json_sink(const v_writer *out);
v_status v_log_write_json(const v_writer *out, const v_log_record *rec);

#endif
