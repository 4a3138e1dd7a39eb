/* canon.c — the canonical form of a schema or a type, and its id
 * (docs/schema.md §3). */
#include <stdlib.h>
#include <string.h>
#include <v/crypto_blake3.h>

#include "vschema.h"

typedef struct text {
    vs_ctx *c;
    char *buf;
    size_t len, cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap : 256);
        while (cap < t->len + n + 1)
            cap *= 2;
        char *bigger = vs_alloc(t->c, cap);
        if (t->len)
            memcpy(bigger, t->buf, t->len);
        t->buf = bigger;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

static void put_type(text *t, const vs_type *ty)
{
    static const char *const scalar[] = {
        "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f64"};
    switch (ty->kind) {
    case VS_STRING:
    case VS_BYTES:
        put(t, vs_printf(t->c, "%s<%u>",
                         ty->kind == VS_STRING ? "string" : "bytes",
                         (unsigned)ty->max));
        return;
    case VS_ARRAY:
    case VS_LIST:
        put(t, ty->kind == VS_ARRAY ? "array<" : "list<");
        put_type(t, ty->elem);
        put(t, vs_printf(t->c, ",%u>", (unsigned)ty->max));
        return;
    case VS_HANDLE:
        put(t, "handle<");
        put(t, vs_handle_kinds[ty->handle_kind]);
        for (unsigned r = 0, first = 1; vs_rights[r]; r++) {
            if (!(ty->rights & (1u << r)))
                continue;
            put(t, first ? "," : "|");
            put(t, vs_rights[r]);
            first = 0;
        }
        put(t, ">");
        return;
    case VS_NAMED:
        put(t, ty->decl->qname);
        return;
    default:
        put(t, scalar[ty->kind]);
    }
}

typedef struct decl_set {
    const vs_decl **items;
    size_t n;
} decl_set;

static void add_type(vs_ctx *c, decl_set *set, const vs_type *t);

static void add_decl(vs_ctx *c, decl_set *set, const vs_decl *d)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i] == d)
            return;
    const vs_decl **grown = vs_alloc(c, (set->n + 1) * sizeof *grown);
    if (set->n)
        memcpy(grown, set->items, set->n * sizeof *grown);
    grown[set->n++] = d;
    set->items = grown;
    for (size_t i = 0; i < d->n_fields; i++)
        if (d->fields[i].type)
            add_type(c, set, d->fields[i].type);
}

static void add_type(vs_ctx *c, decl_set *set, const vs_type *t)
{
    if (t->kind == VS_ARRAY || t->kind == VS_LIST)
        add_type(c, set, t->elem);
    else if (t->kind == VS_NAMED)
        add_decl(c, set, t->decl);
}

static int by_qname(const void *a, const void *b)
{
    return strcmp((*(const vs_decl *const *)a)->qname,
                  (*(const vs_decl *const *)b)->qname);
}

static void put_decl(text *t, const vs_decl *d)
{
    static const char *const word[] = {"struct", "message", "enum", "union"};
    put(t, word[d->kind]);
    put(t, " ");
    put(t, d->qname);
    put(t, " {");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (d->kind == VS_ENUM) {
            put(t, vs_printf(t->c, "%s=%u;", f->name, (unsigned)f->number));
            continue;
        }
        put(t, vs_printf(t->c, "%u:%s%s:", (unsigned)f->number, f->name,
                         f->optional ? "?" : ""));
        put_type(t, f->type);
        put(t, ";");
    }
    put(t, "}\n");
}

char *vs_canonical(vs_ctx *c, const vs_schema *s, const vs_decl *root,
                   size_t *len)
{
    text t = {c, NULL, 0, 0};
    decl_set set = {NULL, 0};
    if (root) {
        put(&t, vs_printf(c, "type %s\n", root->qname));
        add_decl(c, &set, root);
    } else {
        put(&t, vs_printf(c, "schema %s\n", s->name));
        for (size_t i = 0; i < s->n_decls; i++)
            add_decl(c, &set, s->decls[i]);
    }
    if (set.n > 1)
        qsort(set.items, set.n, sizeof *set.items, by_qname);
    for (size_t i = 0; i < set.n; i++)
        put_decl(&t, set.items[i]);
    *len = t.len;
    return t.buf;
}

uint64_t vs_id(const char *canon, size_t len)
{
    uint8_t h[V_BLAKE3_OUT_LEN];
    v_blake3(canon, len, h, sizeof h);
    uint64_t id = 0;
    for (int i = 7; i >= 0; i--)
        id = id << 8 | h[i];
    return id;
}
