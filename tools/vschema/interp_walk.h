/* interp_walk.h — the walk over a schema type shared by the interpreter's
 * text formats (JSON in interp_json.c, msgpack in interp_mp.c).
 *
 * Both formats give a value the same shape (docs/schema.md §6): a struct
 * is a map keyed by field name, a union a map of one pair, an array or
 * list an array. So the walk — members matched by name, duplicates and
 * missing required fields, unknown members skipped or refused, counts
 * against their schema's maxima, storage allocated — is written once
 * (interp_walk.c), and each format supplies what differs: how its tokens
 * say "this is a map" or "an array of n", how a key is spelt, how a scalar
 * is read and written. Every check stays in the order the generated code
 * (gen_walk.c) makes it, so offsets and reasons match. */
#ifndef VSCHEMA_INTERP_WALK_H
#define VSCHEMA_INTERP_WALK_H

#include "value.h"

/* One token of either reader; each format uses its own member. */
typedef union vsi_token {
    v_json_token json;
    v_msgpack_token mp;
} vsi_token;

typedef struct vsi_in vsi_in;

/* A member's name as the input spells it: ptr[0..len), or len SIZE_MAX
 * for one that matches no schema name. buf is room to unescape into. */
typedef struct vsi_name {
    const void *ptr;
    size_t len;
    char buf[VS_MAX_NAME];
} vsi_name;

/* What a reader tells of a token that may be a bool or an integer, alike
 * in both formats (so the walk makes their checks). Members that do not
 * apply are false or 0. */
typedef struct vsi_number {
    bool is_bool, is_int;
    bool boolean;
    bool fits_u64, fits_i64;  /* the integer's value in u64, in i64 */
    uint64_t u64;
    int64_t i64;
} vsi_number;

/* What a text format's decoder adds to the walk. Hooks report failures
 * in in->err themselves; "struct" below means struct or union (is_union
 * tells which). */
typedef struct vsi_reader_ops {
    const char *not_bool;  /* the reason a bool is refused */
    void (*number)(const vsi_token *t, vsi_number *n);
    /* The reader's next token: V_ERR_END at the end of the input, any
     * other failure with the reader's reason copied into in->err. */
    v_status (*next)(vsi_in *in, vsi_token *t);
    /* Skips the value t starts (an unknown member's). */
    v_status (*skip)(vsi_in *in, const vsi_token *t);
    size_t (*offset)(const vsi_token *t);
    /* A value of a type that is not a bool, integer, array, list, struct
     * or union. */
    v_status (*scalar)(vsi_in *in, const vs_type *type, const vsi_token *t,
                       vs_value *v);
    /* t starts an array or list: checks it is an array, learns *count. */
    v_status (*array)(vsi_in *in, const vsi_token *t, size_t *count);
    /* t starts a struct: checks that it may be one. */
    v_status (*open)(vsi_in *in, const vsi_token *t, bool is_union);
    /* Reads the key of member n (from 0) of the struct `open` started
     * into k and *name; *end instead when the struct has no more. */
    v_status (*key)(vsi_in *in, const vsi_token *open, uint32_t n,
                    bool is_union, vsi_token *k, vsi_name *name, bool *end);
    /* After the members the walk read: what ends the struct, into e. */
    v_status (*close)(vsi_in *in, bool is_union, vsi_token *e);
} vsi_reader_ops;

struct vsi_in {
    const vsi_reader_ops *ops;
    void *r;          /* the format's reader */
    size_t len;       /* of the input */
    unsigned flags;   /* V_SCHEMA_SKIP_UNKNOWN */
    v_alloc *a;
    vs_value_error *err;
};

/* The next token; the document ending here is an error. */
v_status vsi_next(vsi_in *in, vsi_token *t);
/* V_ERR_MALFORMED with why, at t. */
v_status vsi_fail(vsi_in *in, const vsi_token *t, const char *why);
/* "allocation failed" at t; returns s. */
v_status vsi_no_memory(vsi_in *in, const vsi_token *t, v_status s);
/* A whole document: one value of d (struct or union), nothing after. */
v_status vsi_decode(vsi_in *in, const vs_decl *d, vs_value *out);

/* What a text format's encoder adds to the walk; w is its writer. */
typedef struct vsi_writer_ops {
    /* A value of a type that is not an array, list, enum, struct or
     * union. */
    v_status (*scalar)(void *w, const vs_type *type, const vs_value *v);
    v_status (*str)(void *w, const char *s, size_t n);  /* enum names */
    v_status (*key)(void *w, const char *s, size_t n);
    v_status (*array_begin)(void *w, size_t count);
    v_status (*array_end)(void *w);
    v_status (*map_begin)(void *w, uint32_t pairs);
    v_status (*map_end)(void *w);
} vsi_writer_ops;

/* Writes v, a value of d (struct or union). */
v_status vsi_encode(const vsi_writer_ops *ops, void *w, const vs_decl *d,
                    const vs_value *v);

#endif
