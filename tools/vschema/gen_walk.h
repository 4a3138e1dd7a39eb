/* gen_walk.h — the generated walk over a schema type that the text
 * formats share (gen_walk.c), and what each format adds to it (gen_json.c,
 * gen_mp.c).
 *
 * JSON and msgpack give values the same shape (docs/schema.md §6): a
 * struct is a map keyed by field name, a union a map of one pair, an
 * array or list an array. gen_walk.c emits that walk once: the put and get
 * functions, fields in number order, seen_ flags, duplicate, unknown and
 * missing fields, counts against maxima, storage for lists, the public
 * encode and decode entry points. A format is a table: the C names of its
 * reader's and writer's types and calls, a few fixed pieces of code (how
 * a map starts, how its keys are read, how it ends), and hooks for the
 * values only it spells its own way. interp_walk.c is the same walk for
 * the interpreter, and must keep making the same checks in the same
 * order. */
#ifndef VSCHEMA_GEN_WALK_H
#define VSCHEMA_GEN_WALK_H

#include "gen.h"

/* Emits code decoding a token into a C lvalue: tok names a token
 * variable, x the lvalue, ind the indentation of the lines. */
typedef void vs_gen_get_fn(vs_out *o, const vs_type *t, const char *x,
                           const char *tok, const char *ind);

struct vs_gen_format {
    const char *label;   /* in comments: "JSON" */
    const char *suffix;  /* P_T_encode_<suffix>: "json", "msgpack" */
    const char *tag;     /* P_T__<tag>_put and the helpers vs_<tag>_next,
                          * _fail, _skip, _items */
    const char *depth;   /* P_T_<depth>: the nesting of a value */
    bool bytes_nest;     /* bytes are a container (JSON: an array) */
    const char *helpers; /* the format's own static helpers, C text */

    /* C types and the calls of libv's writer and reader. */
    const char *writer, *frame, *in, *token;
    const char *writer_init, *writer_finish, *reader_init, *reader_next;
    const char *reader_skip;

    /* Writing (each call takes the writer first). */
    const char *put_bool, *put_u64, *put_i64, *put_f64;
    const char *put_str, *put_bytes;  /* (w, ptr, len); put_str: names */
    const char *put_key;              /* (w, name, len) */
    const char *put_array_begin;      /* (w), or (w, count) if counted */
    bool array_counted;
    const char *put_array_end;
    const char *map_begin_struct;     /* whole calls, after "s = " */
    const char *map_begin_union;
    const char *put_map_end;
    /* Lines a struct's put needs before map_begin_struct, or NULL. */
    void (*struct_put_prologue)(vs_out *o, const vs_decl *d);

    /* Reading: token kinds, and what each rejection says it expected. */
    const char *tok_bool, *bool_what;
    const char *tok_int, *fits;       /* fits: prefix of _U64, _I64 */
    const char *tok_str, *str_what;
    const char *str_len;              /* token member: a string's length */
    const char *copy_str;             /* helper (in, &tok, &p) */
    const char *tok_array;
    vs_gen_get_fn *get_f64, *get_bytes;
    /* After the kind check: the enum P_E named by tok, into x. */
    void (*get_enum)(vs_out *o, const char *e, const char *x,
                     const char *tok, const char *ind);
    /* Declares size_t count: the element count of the array e starts. */
    void (*get_count)(vs_out *o, const char *ind);
    /* Condition opening: <match>"name", len) */
    const char *match;
    /* Fixed code of a struct's get: from its kind check to the current
     * key read into k (the loop open), after the loop, and what a struct
     * without fields adds to silence unused variables. */
    const char *struct_head, *struct_tail, *no_fields;
    /* The same for a union: before the variant is read, after it. */
    const char *union_head, *union_tail;

    /* Public entry points. */
    const char *encode_fail;  /* an extra "else if" for encode's errors */
    void (*decode_locals)(vs_out *o, const char *n);  /* limits, stacks */
    const char *in_init;      /* extra lines setting up `in` */
    const char *end_note;     /* why the last token must be the end */
};

/* Shared pieces the formats' hooks reuse. */
void vs_gen_expect(vs_out *o, const vs_gen_format *f, const char *tok,
                   const char *kind, const char *what, const char *ind);
/* A string or bytes payload copied out of token tok (kind, what: its
 * kind check; too_long: the reason when over the maximum). */
void vs_gen_get_blob(vs_out *o, const vs_gen_format *f, const vs_type *t,
                     const char *x, const char *tok, const char *kind,
                     const char *what, const char *too_long,
                     const char *ind);

#endif
