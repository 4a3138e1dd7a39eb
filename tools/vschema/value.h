/* value.h — values of a schema known only at run time, and their codecs.
 *
 * The generated C (gen_c.c) is compiled ahead of time; `vcodec convert`
 * needs to read and write values of a schema named on its command line.
 * This interpreter walks the tree vs_compile produces instead, and follows
 * exactly the wire rules of docs/schema.md §4 and §6 — the same checks in
 * the same order, with the same offsets and reasons — so that for every
 * input it accepts what the generated decoder accepts, and encodes every
 * value to the same bytes as the generated encoder. The vschema tests
 * check both claims against the code generated from tests/all.vs.
 *
 * Allocation goes only through the caller's v_alloc. Recursion follows the
 * type's nesting, which the schema bounds (VS_MAX_DEPTH), never the input.
 * Hosted code (it includes vschema.h), but it calls no libc. */
#ifndef VSCHEMA_VALUE_H
#define VSCHEMA_VALUE_H

#include <v/alloc.h>
#include <v/encoding.h>

#include "vschema.h"

/* One value of some schema type. Which members mean something depends on
 * the type, which the caller always knows (values carry no type):
 * - bool: n.b; u8..u64, enums (the number), handles (the slot): n.u;
 *   i8..i64: n.i; f64: n.f;
 * - string, bytes: ptr (NULL when len is 0) and len bytes;
 * - array, list: ptr to len element values;
 * - struct, message: ptr to one value per field, in ascending field
 *   number order (decl->sorted), len = decl->n_fields (NULL, 0 when the
 *   struct has none); an optional field's value has present = false when
 *   it is absent (required ones are always present);
 * - union: tag = 1 + the variant's index in decl->sorted (0: none), ptr to
 *   one value of that variant's type, len 1.
 * A decoded value is owned: vs_value_free gives everything back. */
typedef struct vs_value {
    union {
        bool b;
        uint64_t u;
        int64_t i;
        double f;
    } n;
    void *ptr;
    size_t len;
    uint32_t tag;
    bool present;
} vs_value;

/* Where and why a codec failed. The reason is copied into the struct
 * (some name a field: "missing required field x"), so the struct can be
 * copied and outlives the input. */
#define VS_VALUE_REASON 96
typedef struct vs_value_error {
    size_t offset;
    char reason[VS_VALUE_REASON];
} vs_value_error;

typedef enum vs_format {
    VS_FORMAT_BINARY,
    VS_FORMAT_JSON,
    VS_FORMAT_MSGPACK
} vs_format;

/* Whether a top-level value of d can be encoded in format f: structs and
 * unions in every format, messages in binary only (handles have no JSON
 * or msgpack form), enums never (they are not top-level values). */
bool vs_value_has_format(const vs_decl *d, vs_format f);

/* Decodes buf[0..len) as a top-level value of d in format f into *out
 * (zeroed first). flags: V_SCHEMA_SKIP_UNKNOWN (1) or 0. Errors as the
 * generated decoders': V_ERR_MALFORMED with err's offset and reason,
 * V_ERR_LIMIT (text formats: skipped members nesting too deep),
 * V_ERR_NO_MEMORY, V_ERR_INVALID_ARGS (no such format for d). On failure
 * *out is freed and zeroed. */
v_status vs_value_decode(const vs_decl *d, vs_format f, const void *buf,
                         size_t len, unsigned flags, v_alloc *a,
                         vs_value *out, vs_value_error *err);

/* Encodes v (a top-level value of d) in format f after validating it.
 * Without a sink the output goes to buf[0..cap): V_ERR_TRUNCATED and
 * "buffer too small" when it does not fit (binary: with buf NULL and cap 0
 * only *len is computed). With a sink (text formats only) buf is a
 * staging buffer flushed into it. *len: the bytes produced.
 * V_ERR_INVALID_ARGS with a reason for an invalid value (including an
 * infinity in JSON). */
v_status vs_value_encode(const vs_decl *d, vs_format f, const vs_value *v,
                         void *buf, size_t cap, const v_encoding_sink *sink,
                         size_t *len, vs_value_error *err);

/* Checks every constraint the encodings rely on (as P_T_validate):
 * V_ERR_INVALID_ARGS with a reason (offset 0). */
v_status vs_value_validate(const vs_decl *d, const vs_value *v,
                           vs_value_error *err);

/* Gives back what a decoder allocated, and zeroes *v. */
void vs_value_free(const vs_decl *d, v_alloc *a, vs_value *v);

/* Looks a top-level declaration up by bare name (in s) or by qualified
 * name (s or anything it imports). NULL if there is none. */
const vs_decl *vs_value_find_decl(const vs_schema *s, const char *name);

/* ---- shared by the interp_*.c files ---- */

/* Containers nested in a value of d: msgpack (bytes are scalars) and
 * JSON (bytes are arrays); the same numbers as the generated
 * P_T_TREE_DEPTH and P_T_JSON_DEPTH. */
unsigned vs_value_tree_depth(const vs_decl *d);
unsigned vs_value_json_depth(const vs_decl *d);
/* Both are at most this (VS_MAX_DEPTH levels, plus one for bytes), plus
 * the 8 levels skipped unknown members may add. */
#define VS_VALUE_MAX_STACK (VS_MAX_DEPTH + 1 + 8)

/* Integer range of an integer kind. */
void vs_value_int_range(vs_kind k, int64_t *min, int64_t *max);
uint64_t vs_value_uint_max(vs_kind k);
/* The enum member with value v, or NULL. */
const vs_field *vs_value_enum_member(const vs_decl *e, uint64_t v);
/* The field or variant of d named name[0..len), as its sorted index, or
 * -1. */
long vs_value_field_named(const vs_decl *d, const void *name, size_t len);

/* Records a reason (static or composed) and an offset; returns
 * V_ERR_MALFORMED. "%s" in why is replaced by arg (a field name). */
v_status vs_value_fail(vs_value_error *err, size_t at, const char *why,
                       const char *arg);
/* Copies a libv error (reason may be NULL). */
void vs_value_take(vs_value_error *err, const v_encoding_error *e);
/* Zeroed storage for n values (NULL when n is 0). */
v_status vs_value_alloc(v_alloc *a, size_t n, vs_value **out);

/* The format decoders and encoders (interp_bin.c, interp_json.c,
 * interp_mp.c); vs_value_decode/encode check arguments and dispatch. */
v_status vsi_bin_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                       unsigned flags, v_alloc *a, vs_value *out,
                       vs_value_error *err);
size_t vsi_bin_size(const vs_decl *d, const vs_value *v);
void vsi_bin_put(const vs_decl *d, const vs_value *v, uint8_t *out);
v_status vsi_json_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                        unsigned flags, v_alloc *a, vs_value *out,
                        vs_value_error *err);
v_status vsi_json_encode(const vs_decl *d, const vs_value *v, void *buf,
                        size_t cap, const v_encoding_sink *sink, size_t *len,
                        vs_value_error *err);
v_status vsi_mp_decode(const vs_decl *d, const uint8_t *buf, size_t len,
                      unsigned flags, v_alloc *a, vs_value *out,
                      vs_value_error *err);
v_status vsi_mp_encode(const vs_decl *d, const vs_value *v, void *buf,
                      size_t cap, const v_encoding_sink *sink, size_t *len,
                      vs_value_error *err);

#endif
