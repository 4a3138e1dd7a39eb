/* v/encoding.h — schema-less JSON and msgpack: pull parsers and writers.
 *
 * These are the building blocks under the schema-generated codecs and the
 * tools that handle documents without a schema. Rules shared by both
 * formats (docs/encoding.md has the full behaviour):
 *
 * - Parsers are iterative state machines over one caller buffer that holds
 *   the whole document. Nesting is tracked in a stack array the caller
 *   supplies (a fixed array, or one from its v_alloc), so no input can make
 *   them recurse or allocate. They never copy: strings come back as slices
 *   of the input.
 * - Every limit comes from the caller (v_json_limits, v_msgpack_limits).
 * - Invalid input is an error with a status, a byte offset and a reason
 *   (v_encoding_error). Errors are sticky: once a call fails, every later
 *   call returns the same status.
 * - Writers produce the canonical form (JSON: no whitespace, minimal
 *   escaping; msgpack: smallest encodings) into a caller buffer, optionally
 *   drained into a sink, and refuse to emit an unbalanced document. */
#ifndef V_ENCODING_H
#define V_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/io.h>
#include <v/status.h>

/* ================================================================ common */

/* Where and why decoding (or writing) failed. reason is a static string,
 * never NULL once an error happened. offset is a byte offset into the
 * input (parsers) or into the value being written (writers: the bad byte
 * of a string argument, else 0). */
typedef struct v_encoding_error {
    size_t offset;
    const char *reason;
} v_encoding_error;

/* Writers may drain into any v_writer (include/v/io.h), the "sink": each
 * staged piece goes out with v_write_all, and a sink error stops the writer
 * and is returned from then on. */
typedef v_writer v_encoding_sink;

/* A writer's output: buf[0..cap) belongs to the caller. Without a sink the
 * document must fit in buf (else V_ERR_TRUNCATED, what fit is written);
 * with a sink, buf is only a staging buffer flushed whenever it fills and
 * at finish. Internal to the writers; callers use the init functions. */
typedef struct v_encoding_out {
    uint8_t *buf;
    size_t cap;
    size_t len;                   /* bytes pending in buf */
    size_t flushed;               /* bytes handed to the sink so far */
    const v_encoding_sink *sink;  /* may be NULL */
} v_encoding_out;

/* ================================================================== JSON
 *
 * RFC 8259, strictly: one value per document (any type at the top level),
 * whitespace only of the four kinds, no comments, no trailing commas, no
 * leading zeros, no NaN/Infinity, no control characters in strings,
 * escapes and UTF-8 validated (surrogate escapes must pair), no byte order
 * mark. Duplicate keys are passed through unless the caller turns on
 * the bounded check (v_json_reader_check_duplicates). */

/* All limits are inclusive maxima. */
typedef struct v_json_limits {
    size_t max_input;     /* bytes of the whole document */
    size_t max_depth;     /* arrays/objects open at once (0: scalars only) */
    size_t max_string;    /* bytes of one string or key after unescaping */
    size_t max_number;    /* characters of one number */
    size_t max_elements;  /* members of one array or object */
} v_json_limits;

/* One stack entry per open container. Treat as opaque. */
typedef struct v_json_frame {
    size_t count;      /* members so far (writer: keys + values) */
    size_t key_start;  /* duplicate check: first slot of this object */
    bool is_object;
} v_json_frame;

/* One remembered key for the optional duplicate-key check. Opaque. */
typedef struct v_json_key_slot {
    uint64_t hash;     /* of the decoded key */
    size_t offset;     /* raw key text in the input */
    size_t len;
} v_json_key_slot;

typedef enum v_json_kind {
    V_JSON_NONE = 0,
    V_JSON_OBJECT_BEGIN,
    V_JSON_OBJECT_END,
    V_JSON_ARRAY_BEGIN,
    V_JSON_ARRAY_END,
    V_JSON_KEY,       /* a member name: text as for STRING */
    V_JSON_STRING,
    V_JSON_INTEGER,   /* an integer that fits int64 or uint64 (see fits) */
    V_JSON_NUMBER,    /* any other number: a fraction, an exponent, or an
                         integer outside both ranges; text only */
    V_JSON_BOOL,
    V_JSON_NULL,
} v_json_kind;

/* Bits of v_json_token.fits for V_JSON_INTEGER. */
#define V_JSON_FITS_I64 1u
#define V_JSON_FITS_U64 2u

typedef struct v_json_token {
    v_json_kind kind;
    size_t offset;       /* input offset of the token's first byte */
    size_t depth;        /* containers open around this token */
    /* KEY/STRING: the raw bytes between the quotes (escapes not yet
     * decoded; v_json_unescape decodes them). INTEGER/NUMBER: the number
     * exactly as written. Other kinds: the token's own text. Points into
     * the input buffer. */
    const char *text;
    size_t len;
    size_t decoded_len;  /* KEY/STRING: length after unescaping */
    bool has_escapes;    /* KEY/STRING: text contains a backslash */
    bool boolean;        /* BOOL */
    unsigned fits;       /* INTEGER: V_JSON_FITS_* (at least one is set) */
    int64_t i64;         /* INTEGER with FITS_I64 */
    uint64_t u64;        /* INTEGER with FITS_U64 */
} v_json_token;

typedef struct v_json_reader {
    const uint8_t *in;
    size_t len;
    size_t pos;
    v_json_limits lim;
    v_json_frame *stack;
    size_t depth;
    int state;
    bool check_keys;          /* duplicate-key check turned on */
    v_json_key_slot *keys;
    size_t key_cap;
    size_t key_count;         /* slots in use by the open objects */
    v_status status;          /* V_OK, V_ERR_END, or the sticky error */
    v_encoding_error error;
} v_json_reader;

/* Prepares r to parse input[0..len). stack must have room for
 * lim->max_depth frames (it may be NULL when max_depth is 0). Errors:
 * V_ERR_INVALID_ARGS (NULL pointers); V_ERR_LIMIT when len > max_input —
 * that error is also what every v_json_next then returns. */
v_status v_json_reader_init(v_json_reader *r, const void *input, size_t len,
                            const v_json_limits *lim, v_json_frame *stack);

/* Turns on duplicate-key detection (call after init, before the first
 * token). The keys of every open object are remembered in
 * slots[0..n_slots): a key equal to an earlier one of the same object
 * after unescaping is V_ERR_MALFORMED "duplicate key" at the second key.
 * More keys open at once than n_slots is V_ERR_LIMIT. Each key costs a
 * comparison with the hashes of its object's earlier keys, so size
 * max_elements with that in mind. */
v_status v_json_reader_check_duplicates(v_json_reader *r,
                                        v_json_key_slot *slots,
                                        size_t n_slots);

/* Produces the next token. V_OK with *tok filled; V_ERR_END once the
 * document is complete and only whitespace follows it; V_ERR_MALFORMED
 * (syntax, truncation, bad escape, invalid UTF-8, trailing garbage, a
 * duplicate key when checked) or V_ERR_LIMIT (a v_json_limits bound, or
 * the duplicate-check slots) with r->error set. */
v_status v_json_next(v_json_reader *r, v_json_token *tok);

/* Skips the value that starts with tok (just returned by v_json_next):
 * for OBJECT_BEGIN/ARRAY_BEGIN consumes up to the matching end, for a KEY
 * its value; for scalars does nothing. Iterative; errors as v_json_next. */
v_status v_json_skip(v_json_reader *r, const v_json_token *tok);

/* The error of the last failed call (reason NULL when none). */
static inline const v_encoding_error *v_json_reader_error(
    const v_json_reader *r)
{
    return &r->error;
}

/* Decodes the escapes of a KEY/STRING token's raw text into out[0..cap),
 * writing *out_len bytes (exactly tok->decoded_len for parser tokens).
 * Never NUL-terminates. V_ERR_MALFORMED for an invalid escape (raw text
 * from the parser never has one), V_ERR_TRUNCATED when cap is too small
 * (nothing useful is in out then). */
v_status v_json_unescape(const char *raw, size_t len, char *out, size_t cap,
                         size_t *out_len);

/* Number text (as in a token) to C values. The text must match the JSON
 * number grammar exactly (else V_ERR_MALFORMED).
 * to_i64/to_u64: the value must be an integer written without fraction
 * or exponent ("-0" is 0); V_ERR_OUT_OF_RANGE if it does not fit,
 * V_ERR_INVALID_ARGS if it has a fraction or exponent.
 * to_f64: the correctly rounded double (round half to even), for any
 * number of digits; values too small for a subnormal round to (signed)
 * zero; values beyond the largest double are V_ERR_OUT_OF_RANGE. "-0"
 * gives -0.0. Up to 19 significant digits with a moderate scale take a
 * fast path; others use up to about 3 KiB of stack for big integers. */
v_status v_json_number_to_i64(const char *text, size_t len, int64_t *out);
v_status v_json_number_to_u64(const char *text, size_t len, uint64_t *out);
v_status v_json_number_to_f64(const char *text, size_t len, double *out);

/* Longest text v_json_format_f64 produces. */
#define V_JSON_F64_MAX 32

/* The canonical JSON text of a finite double into out (not
 * NUL-terminated), *len its length: the shortest decimal that reads back
 * as exactly v (ties between equally short ones go to the nearest), laid
 * out as ECMAScript's Number::toString (and RFC 8785) do — "1e+21",
 * "0.000001", "1e-7", "123.45" — except that -0.0 is "-0" so that it
 * survives a round trip. V_ERR_INVALID_ARGS for NaN and infinities.
 * Ryu-style (docs/encoding.md): a few 128-bit multiplications, no big
 * integers, tens of nanoseconds. */
v_status v_json_format_f64(double v, char out[V_JSON_F64_MAX], size_t *len);

typedef struct v_json_writer {
    v_encoding_out out;
    v_json_frame *stack;
    size_t max_depth;
    size_t depth;
    bool done;                /* the top-level value is complete */
    unsigned indent;          /* 0: canonical; else spaces per level */
    v_status status;          /* sticky */
    v_encoding_error error;
} v_json_writer;

/* Prepares a writer into buf[0..cap) (see v_encoding_out; sink may be
 * NULL). stack must hold max_depth frames. */
v_status v_json_writer_init(v_json_writer *w, void *buf, size_t cap,
                            const v_encoding_sink *sink, v_json_frame *stack,
                            size_t max_depth);

/* Switches w (before its first write) from canonical output to a
 * readable layout for people: one member or item per line, `indent`
 * spaces per level (1..16), ": " after names, empty containers as [] and
 * {}. The same values; no longer the canonical bytes. V_ERR_INVALID_ARGS
 * for an indent out of range, V_ERR_BAD_STATE after the first write. */
v_status v_json_writer_set_indent(v_json_writer *w, unsigned indent);

/* Each write checks structure: a key only where a member name is due, a
 * value never where a key is due, ends matching their begins, nothing
 * after the top-level value (all V_ERR_BAD_STATE); depth beyond
 * max_depth is V_ERR_LIMIT. Strings must be valid UTF-8
 * (V_ERR_INVALID_ARGS, error.offset = the bad byte). */
v_status v_json_write_object_begin(v_json_writer *w);
v_status v_json_write_object_end(v_json_writer *w);
v_status v_json_write_array_begin(v_json_writer *w);
v_status v_json_write_array_end(v_json_writer *w);
v_status v_json_write_key(v_json_writer *w, const char *s, size_t len);
v_status v_json_write_string(v_json_writer *w, const char *s, size_t len);
v_status v_json_write_i64(v_json_writer *w, int64_t v);
v_status v_json_write_u64(v_json_writer *w, uint64_t v);
/* Writes number text as given; it must match the JSON number grammar
 * (V_ERR_INVALID_ARGS otherwise). For numbers that are not C values
 * (big integers, decimals to be kept exactly). */
v_status v_json_write_number_text(v_json_writer *w, const char *s,
                                  size_t len);
/* Writes a finite double canonically (see v_json_format_f64);
 * V_ERR_INVALID_ARGS for NaN and infinities, which JSON cannot express. */
v_status v_json_write_f64(v_json_writer *w, double v);
v_status v_json_write_bool(v_json_writer *w, bool v);
v_status v_json_write_null(v_json_writer *w);
/* Checks the document is complete (V_ERR_BAD_STATE if not), flushes the
 * sink, and gives the total length written. */
v_status v_json_writer_finish(v_json_writer *w, size_t *total_len);

/* =============================================================== msgpack
 *
 * The msgpack specification (2017 revision: str8, bin, ext, timestamp as
 * an ordinary ext). One object per document; trailing bytes are an error.
 * The never-used byte 0xc1 is an error. str payloads must be valid UTF-8.
 * Non-minimal encodings are accepted on input (the spec allows them);
 * the writer produces only minimal ones. */

typedef struct v_msgpack_limits {
    size_t max_input;     /* bytes of the whole document */
    size_t max_depth;     /* arrays/maps open at once (0: scalars only) */
    size_t max_string;    /* bytes of one str, bin or ext payload */
    size_t max_elements;  /* items of one array, pairs of one map */
    bool forbid_nan;      /* a NaN float is an error */
} v_msgpack_limits;

typedef struct v_msgpack_frame {
    uint64_t remaining;   /* items still to come (maps: keys + values) */
    bool is_map;
} v_msgpack_frame;

typedef enum v_msgpack_kind {
    V_MSGPACK_NONE = 0,
    V_MSGPACK_NIL,
    V_MSGPACK_BOOL,
    V_MSGPACK_INT,        /* see fits, as for JSON */
    V_MSGPACK_FLOAT32,
    V_MSGPACK_FLOAT64,
    V_MSGPACK_STR,
    V_MSGPACK_BIN,
    V_MSGPACK_EXT,
    V_MSGPACK_ARRAY_BEGIN,
    V_MSGPACK_ARRAY_END,
    V_MSGPACK_MAP_BEGIN,
    V_MSGPACK_MAP_END,
} v_msgpack_kind;

#define V_MSGPACK_FITS_I64 1u
#define V_MSGPACK_FITS_U64 2u

typedef struct v_msgpack_token {
    v_msgpack_kind kind;
    size_t offset;        /* input offset of the token's first byte */
    size_t depth;         /* containers open around this token */
    bool is_key;          /* the token starts a map key */
    const uint8_t *data;  /* STR/BIN/EXT payload (into the input) */
    size_t len;           /* payload length */
    uint32_t count;       /* ARRAY_BEGIN: items; MAP_BEGIN: pairs */
    int8_t ext_type;      /* EXT */
    bool boolean;         /* BOOL */
    unsigned fits;        /* INT: V_MSGPACK_FITS_* */
    int64_t i64;
    uint64_t u64;
    float f32;            /* FLOAT32 */
    double f64;           /* FLOAT64 */
} v_msgpack_token;

typedef struct v_msgpack_reader {
    const uint8_t *in;
    size_t len;
    size_t pos;
    v_msgpack_limits lim;
    v_msgpack_frame *stack;
    size_t depth;
    bool started;
    v_status status;
    v_encoding_error error;
} v_msgpack_reader;

/* As v_json_reader_init. */
v_status v_msgpack_reader_init(v_msgpack_reader *r, const void *input,
                               size_t len, const v_msgpack_limits *lim,
                               v_msgpack_frame *stack);
/* As v_json_next: V_OK, V_ERR_END after the one object, or
 * V_ERR_MALFORMED / V_ERR_LIMIT with r->error set. An END token is
 * produced for every container, also an empty one. */
v_status v_msgpack_next(v_msgpack_reader *r, v_msgpack_token *tok);
/* As v_json_skip. */
v_status v_msgpack_skip(v_msgpack_reader *r, const v_msgpack_token *tok);

static inline const v_encoding_error *v_msgpack_reader_error(
    const v_msgpack_reader *r)
{
    return &r->error;
}

typedef struct v_msgpack_writer {
    v_encoding_out out;
    v_msgpack_frame *stack;
    /* The innermost open container while the writer is healthy, else
     * `none`, a frame with no items left: so the inline paths test the
     * writer's state with the item count they test anyway. */
    v_msgpack_frame *top;
    v_msgpack_frame none;
    size_t max_depth;
    size_t depth;
    bool done;
    v_status status;
    v_encoding_error error;
} v_msgpack_writer;

v_status v_msgpack_writer_init(v_msgpack_writer *w, void *buf, size_t cap,
                               const v_encoding_sink *sink,
                               v_msgpack_frame *stack, size_t max_depth);
/* The writes marked inline have their common case (writer healthy, an
 * item slot free, room in the buffer) defined in encoding_msgpack_inline.h,
 * so a loop of writes compiles to plain stores; every other case goes to
 * the out-of-line general path, with the same results.
 *
 * A container declares its size up front; exactly that many items (maps:
 * 2 * pairs, alternating key and value) must follow before the matching
 * end call, else V_ERR_BAD_STATE. Ends emit no bytes; they exist so the
 * writer can prove the document balanced. */
inline v_status v_msgpack_write_array_begin(v_msgpack_writer *w, uint32_t count);
inline v_status v_msgpack_write_array_end(v_msgpack_writer *w);
inline v_status v_msgpack_write_map_begin(v_msgpack_writer *w, uint32_t pairs);
inline v_status v_msgpack_write_map_end(v_msgpack_writer *w);
inline v_status v_msgpack_write_nil(v_msgpack_writer *w);
inline v_status v_msgpack_write_bool(v_msgpack_writer *w, bool v);
/* Smallest encoding of the value: a non-negative int64 is written as the
 * same unsigned value would be. */
inline v_status v_msgpack_write_i64(v_msgpack_writer *w, int64_t v);
inline v_status v_msgpack_write_u64(v_msgpack_writer *w, uint64_t v);
/* Floats keep their width (a float64 is never narrowed). */
v_status v_msgpack_write_f32(v_msgpack_writer *w, float v);
inline v_status v_msgpack_write_f64(v_msgpack_writer *w, double v);
/* s must be valid UTF-8 (V_ERR_INVALID_ARGS); len < 2^32. */
inline v_status v_msgpack_write_str(v_msgpack_writer *w, const void *s, size_t len);
v_status v_msgpack_write_bin(v_msgpack_writer *w, const void *b, size_t len);
v_status v_msgpack_write_ext(v_msgpack_writer *w, int8_t type,
                             const void *b, size_t len);
v_status v_msgpack_writer_finish(v_msgpack_writer *w, size_t *total_len);

/* The common case of the writes above, inline (same results). */
#include <v/encoding_msgpack_inline.h>

#endif
