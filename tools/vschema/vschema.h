/* vschema.h — the schema compiler's internal interface (docs/schema.md).
 *
 * A hosted program: it uses libc. Everything a compilation allocates lives
 * in one vs_ctx (a list of blocks freed together), and the first error
 * unwinds with longjmp to the vs_ctx entry point: the parser never has to
 * thread failure through every call, and nothing leaks on error. */
#ifndef VSCHEMA_H
#define VSCHEMA_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VS_MAX_NAME 64           /* bytes of one identifier */
#define VS_MAX_FIELD_NUMBER ((1u << 29) - 1)
#define VS_MAX_ENUM_VALUE ((1u << 31) - 1)
#define VS_MAX_LENGTH ((1u << 31) - 1) /* string, bytes, list maxima */
#define VS_MAX_ARRAY 65536u
#define VS_MAX_DEPTH 32          /* nesting of one type */
#define VS_MAX_IMPORT_DEPTH 16   /* files being loaded at once */
#define VS_MAX_ERROR 512

typedef struct vs_pos {
    const char *file;
    uint32_t line, col;  /* 1-based; col counts bytes */
} vs_pos;

typedef enum vs_kind {
    VS_BOOL, VS_U8, VS_U16, VS_U32, VS_U64, VS_I8, VS_I16, VS_I32, VS_I64,
    VS_F64, VS_STRING, VS_BYTES, VS_ARRAY, VS_LIST, VS_HANDLE, VS_NAMED
} vs_kind;

typedef enum vs_decl_kind {
    VS_STRUCT, VS_MESSAGE, VS_ENUM, VS_UNION
} vs_decl_kind;

struct vs_decl;

typedef struct vs_type {
    vs_kind kind;
    uint32_t max;            /* STRING, BYTES, LIST: maximum; ARRAY: N */
    struct vs_type *elem;    /* ARRAY, LIST */
    uint32_t handle_kind;    /* HANDLE: index into vs_handle_kinds */
    uint32_t rights;         /* HANDLE: bit i = vs_rights[i] */
    const char *name;        /* NAMED: as written */
    struct vs_decl *decl;    /* NAMED: resolved by the checker */
    vs_pos pos;
} vs_type;

/* A struct field, union variant or enum value (type NULL). */
typedef struct vs_field {
    const char *name;
    vs_type *type;
    uint32_t number;         /* field/variant number, or enum value */
    bool optional;
    const char *doc;         /* NULL if none */
    vs_pos pos;
} vs_field;

typedef struct vs_schema vs_schema;

typedef struct vs_decl {
    vs_decl_kind kind;
    const char *name;
    const char *qname;       /* schema.name.Type */
    vs_field *fields;        /* in source order */
    size_t n_fields;
    vs_field **sorted;       /* by number, filled by the checker */
    uint32_t *reserved;
    size_t n_reserved;
    const char *doc;
    vs_pos pos;
    vs_schema *schema;
    int visit;               /* checker: 0 new, 1 in progress, 2 done */
    unsigned depth;          /* checker: nesting depth of a value */
} vs_decl;

typedef struct vs_import {
    const char *path;        /* as written */
    vs_schema *schema;
    vs_pos pos;
} vs_import;

struct vs_schema {
    const char *name;        /* dotted */
    const char *file;        /* path it was loaded from */
    const char *doc;
    vs_import *imports;
    size_t n_imports;
    vs_decl **decls;
    size_t n_decls;
    bool loading;            /* import cycle detection */
};

/* Reads a whole file. Returns 0 and a malloc'd buffer, or -1 (not found).
 * Tests and the fuzzer supply their own. */
typedef int (*vs_read_fn)(void *ctx, const char *path, char **data,
                          size_t *len);

typedef struct vs_block vs_block;

typedef struct vs_ctx {
    vs_block *blocks;
    jmp_buf *on_error;
    char error[VS_MAX_ERROR]; /* "file:line:col: message" */
    vs_read_fn read;
    void *read_ctx;
    const char **include_dirs;
    size_t n_include_dirs;
    vs_schema **loaded;       /* every schema loaded, by file */
    size_t n_loaded;
    unsigned load_depth;
} vs_ctx;

extern const char *const vs_handle_kinds[];  /* NULL-terminated */
extern const char *const vs_rights[];        /* NULL-terminated */

/* ---- memory and errors (ctx.c) ---- */
void vs_ctx_init(vs_ctx *c, vs_read_fn read, void *read_ctx);
void vs_ctx_free(vs_ctx *c);
void *vs_alloc(vs_ctx *c, size_t size);       /* zeroed */
char *vs_strndup(vs_ctx *c, const char *s, size_t n);
char *vs_printf(vs_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records "file:line:col: message" and unwinds to the entry point. */
_Noreturn void vs_fail(vs_ctx *c, vs_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vs_read_file(void *ctx, const char *path, char **data, size_t *len);

/* ---- entry points: 0 on success, -1 with c->error set ---- */
/* Parses one file's text (no imports are followed; used by the fuzzer). */
int vs_parse_text(vs_ctx *c, const char *file, const char *text,
                  size_t len, vs_schema **out);
/* Loads a file, its imports, and checks everything. */
int vs_compile(vs_ctx *c, const char *path, vs_schema **out);

/* ---- internals ---- */
vs_schema *vs_parse(vs_ctx *c, const char *file, const char *text,
                    size_t len);
vs_schema *vs_load(vs_ctx *c, const char *path, vs_pos from);
void vs_check(vs_ctx *c, vs_schema *s);

/* Canonical form (docs/schema.md §3); root NULL: the whole schema. */
char *vs_canonical(vs_ctx *c, const vs_schema *s, const vs_decl *root,
                   size_t *len);
uint64_t vs_id(const char *canon, size_t len);

/* C generation: writes base.h and base.c into dir. 0 or -1 (c->error). */
int vs_gen_c(vs_ctx *c, const vs_schema *s, const char *dir,
             const char *base);

#endif
