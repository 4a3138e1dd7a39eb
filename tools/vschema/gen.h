/* gen.h — shared by the C generators (gen_c.c: types and the binary
 * codec; gen_walk.c: the text formats, with gen_json.c and gen_mp.c). */
#ifndef VSCHEMA_GEN_H
#define VSCHEMA_GEN_H

#include "vschema.h"

/* A growing text buffer in the context's memory. */
typedef struct vs_out {
    vs_ctx *c;
    char *buf;
    size_t len, cap;
} vs_out;

void vs_emit(vs_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

const char *vs_ctype_decl(vs_ctx *c, const vs_decl *d); /* prefix_Type */
/* PREFIX_TYPE_MEMBER: an enum value or union tag constant. */
const char *vs_constant(vs_ctx *c, const vs_decl *d, const vs_field *f);
const char *vs_ctype(vs_ctx *c, const vs_type *t);      /* not containers */
bool vs_is_aggregate(const vs_type *t);  /* struct, message or union */
bool vs_is_container(const vs_type *t);  /* array or list */
/* C lvalues: field f of *v; element i of container x; its count. */
const char *vs_lvalue(vs_ctx *c, const vs_decl *d, const vs_field *f);
const char *vs_item(vs_ctx *c, const vs_type *t, const char *x);
const char *vs_count_of(vs_ctx *c, const vs_type *t, const char *x);

/* The text formats (gen_walk.h): one walk, a table per format. Only for
 * structs and unions (messages carry handles, which have neither form). */
typedef struct vs_gen_format vs_gen_format;
extern const vs_gen_format vs_gen_json;     /* gen_json.c */
extern const vs_gen_format vs_gen_msgpack;  /* gen_mp.c */
/* The format's static helpers, once at the top of each .c. */
void vs_gen_text_helpers(vs_out *o, const vs_gen_format *f);
/* Prototypes into h, code into o. */
void vs_gen_text_protos(vs_out *h, const vs_gen_format *f, const vs_decl *d);
void vs_gen_text_code(vs_out *o, const vs_gen_format *f, const vs_decl *d);
/* Enum names (both text formats): prototypes and code. */
void vs_gen_enum_names(vs_out *h, vs_out *o, const vs_decl *d);

#endif
