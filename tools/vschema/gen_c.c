/* gen_c.c — C generation: types, validate, canonical binary codec, free
 * and equal (docs/schema.md §4, §7).
 *
 * Each value operation (size, put, get, check, free, equal) is generated
 * per type by one function here, called with the C lvalue of the value.
 * Containers only hold non-containers (parse.c enforces it), so generated
 * loops never nest; nested structs are reached through their own
 * functions, so the generated code's recursion is the schema's nesting. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "gen_runtime.inc"

void vs_emit(vs_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (o->len + (size_t)n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + (size_t)n + 1)
            cap *= 2;
        char *bigger = vs_alloc(o->c, cap);
        if (o->len)
            memcpy(bigger, o->buf, o->len);
        o->buf = bigger;
        o->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}

/* ---- names ---- */

static const char *prefix(vs_ctx *c, const vs_schema *s)
{
    char *p = vs_strndup(c, s->name, strlen(s->name));
    for (char *q = p; *q; q++)
        if (*q == '.')
            *q = '_';
    return p;
}

static const char *upper(vs_ctx *c, const char *s)
{
    char *p = vs_strndup(c, s, strlen(s));
    for (char *q = p; *q; q++)
        *q = (char)toupper((unsigned char)*q);
    return p;
}

const char *vs_ctype_decl(vs_ctx *c, const vs_decl *d)
{
    return vs_printf(c, "%s_%s", prefix(c, d->schema), d->name);
}

/* PREFIX_TYPE_MEMBER: enum values and union tags. */
const char *vs_constant(vs_ctx *c, const vs_decl *d, const vs_field *f)
{
    return vs_printf(c, "%s_%s_%s", upper(c, prefix(c, d->schema)),
                     upper(c, d->name), upper(c, f->name));
}

const char *vs_ctype(vs_ctx *c, const vs_type *t)
{
    static const char *const scalar[] = {
        "bool", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
        "int16_t", "int32_t", "int64_t", "double"};
    switch (t->kind) {
    case VS_STRING: return "v_schema_str";
    case VS_BYTES: return "v_schema_bytes";
    case VS_HANDLE: return "v_schema_handle";
    case VS_NAMED: return vs_ctype_decl(c, t->decl);
    case VS_ARRAY:
    case VS_LIST: return NULL;
    default: return scalar[t->kind];
    }
}

bool vs_is_aggregate(const vs_type *t)
{
    return t->kind == VS_NAMED && t->decl->kind != VS_ENUM;
}

bool vs_is_container(const vs_type *t)
{
    return t->kind == VS_ARRAY || t->kind == VS_LIST;
}

static unsigned wire_type(const vs_type *t)
{
    switch (t->kind) {
    case VS_F64: return 1;
    case VS_STRING: case VS_BYTES: case VS_ARRAY: case VS_LIST: return 2;
    case VS_NAMED: return t->decl->kind == VS_ENUM ? 0 : 2;
    default: return 0;
    }
}

static uint64_t key_of(const vs_field *f)
{
    return (uint64_t)f->number << 3 | wire_type(f->type);
}

static unsigned varint_size(uint64_t v)
{
    unsigned n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* The C lvalue of field f of *v ("v->x", or "v->u.x" in a union). */
const char *vs_lvalue(vs_ctx *c, const vs_decl *d, const vs_field *f)
{
    return vs_printf(c, d->kind == VS_UNION ? "v->u.%s" : "v->%s", f->name);
}

/* Name of the function that computes a container field's content size. */
static const char *content_fn(vs_ctx *c, const vs_decl *d, const vs_field *f)
{
    return vs_printf(c, "%s__%s_content", vs_ctype_decl(c, d), f->name);
}

/* ---- doc comments ---- */

static void emit_doc(vs_out *o, const char *doc, const char *indent)
{
    if (!doc)
        return;
    vs_emit(o, "%s/*", indent);
    bool first = true;
    for (const char *p = doc; *p || first;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        vs_emit(o, first ? " " : "%s * ", indent);
        /* "*" followed by "/" would end the comment early. */
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '*' && i + 1 < n && p[i + 1] == '/')
                vs_emit(o, "* ");
            else
                vs_emit(o, "%c", p[i]);
        }
        first = false;
        p += n;
        if (!*p)
            break;
        p++;
        vs_emit(o, "\n");
    }
    vs_emit(o, " */\n");
}

/* ---- per-value code ---- */

static const char *size_expr(vs_ctx *c, const vs_type *t, const char *x)
{
    switch (t->kind) {
    case VS_BOOL: return "1";
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        return vs_printf(c, "vs_varint_size(%s)", x);
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        return vs_printf(c, "vs_varint_size(vs_zigzag(%s))", x);
    case VS_F64: return "8";
    case VS_STRING: case VS_BYTES:
        return vs_printf(c, "vs_len_size(%s.len)", x);
    case VS_HANDLE: return vs_printf(c, "vs_varint_size(%s.slot)", x);
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM)
            return vs_printf(c, "vs_varint_size((uint64_t)%s)", x);
        return vs_printf(c, "vs_len_size(%s__size(&%s))",
                         vs_ctype_decl(c, t->decl), x);
    default: return NULL; /* containers: see content_fn */
    }
}

static void put_value(vs_out *o, const vs_type *t, const char *x,
                      const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL: vs_emit(o, "%svs_put_varint(o, %s ? 1 : 0);\n", ind, x); break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_emit(o, "%svs_put_varint(o, %s);\n", ind, x);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_emit(o, "%svs_put_varint(o, vs_zigzag(%s));\n", ind, x);
        break;
    case VS_F64: vs_emit(o, "%svs_put_f64(o, %s);\n", ind, x); break;
    case VS_STRING: case VS_BYTES:
        vs_emit(o, "%svs_put_varint(o, %s.len);\n", ind, x);
        vs_emit(o, "%svs_put_bytes(o, %s.ptr, %s.len);\n", ind, x, x);
        break;
    case VS_HANDLE: vs_emit(o, "%svs_put_varint(o, %s.slot);\n", ind, x); break;
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM) {
            vs_emit(o, "%svs_put_varint(o, (uint64_t)%s);\n", ind, x);
        } else {
            const char *n = vs_ctype_decl(c, t->decl);
            vs_emit(o, "%svs_put_varint(o, %s__size(&%s));\n", ind, n, x);
            vs_emit(o, "%s%s__put(o, &%s);\n", ind, n, x);
        }
        break;
    default: break;
    }
}

static const char *int_limits[][3] = {
    [VS_U8] = {"UINT8_MAX"}, [VS_U16] = {"UINT16_MAX"},
    [VS_U32] = {"UINT32_MAX"}, [VS_U64] = {"UINT64_MAX"},
    [VS_I8] = {"INT8_MIN", "INT8_MAX"}, [VS_I16] = {"INT16_MIN", "INT16_MAX"},
    [VS_I32] = {"INT32_MIN", "INT32_MAX"},
    [VS_I64] = {"INT64_MIN", "INT64_MAX"}};

/* Decodes one value into x; `s` (v_status) is in scope. */
static void get_value(vs_out *o, const vs_type *t, const char *x,
                      const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_BOOL:
        vs_emit(o, "%s{\n%s    uint64_t u;\n", ind, ind);
        vs_emit(o, "%s    if ((s = vs_get_uint(in, 1, \"bool is not 0 or 1\", "
             "&u)) != V_OK)\n%s        return s;\n", ind, ind);
        vs_emit(o, "%s    %s = u == 1;\n%s}\n", ind, x, ind);
        break;
    case VS_U8: case VS_U16: case VS_U32: case VS_U64:
        vs_emit(o, "%s{\n%s    uint64_t u;\n", ind, ind);
        vs_emit(o, "%s    if ((s = vs_get_uint(in, %s, \"integer out of "
             "range\", &u)) != V_OK)\n%s        return s;\n", ind,
             int_limits[t->kind][0], ind);
        vs_emit(o, "%s    %s = (%s)u;\n%s}\n", ind, x, vs_ctype(c, t), ind);
        break;
    case VS_I8: case VS_I16: case VS_I32: case VS_I64:
        vs_emit(o, "%s{\n%s    int64_t i;\n", ind, ind);
        vs_emit(o, "%s    if ((s = vs_get_int(in, %s, %s, &i)) != V_OK)\n"
             "%s        return s;\n", ind, int_limits[t->kind][0],
             int_limits[t->kind][1], ind);
        vs_emit(o, "%s    %s = (%s)i;\n%s}\n", ind, x, vs_ctype(c, t), ind);
        break;
    case VS_F64:
        vs_emit(o, "%sif ((s = vs_get_f64(in, &%s)) != V_OK)\n%s    return s;\n",
             ind, x, ind);
        break;
    case VS_STRING: case VS_BYTES:
        vs_emit(o, "%s{\n%s    void *p;\n%s    size_t n;\n", ind, ind, ind);
        vs_emit(o, "%s    if ((s = vs_get_blob(in, %u, %s, &p, &n)) != V_OK)\n"
             "%s        return s;\n", ind, (unsigned)t->max,
             t->kind == VS_STRING ? "true" : "false", ind);
        vs_emit(o, "%s    %s.ptr = p;\n%s    %s.len = n;\n%s}\n", ind, x, ind, x,
             ind);
        break;
    case VS_HANDLE:
        vs_emit(o, "%s{\n%s    size_t vat = in->pos;\n%s    uint64_t u;\n", ind,
             ind, ind);
        vs_emit(o, "%s    if ((s = vs_get_varint(in, &u)) != V_OK)\n"
             "%s        return s;\n", ind, ind);
        vs_emit(o, "%s    if (u != in->handles)\n%s        return vs_fail(in, "
             "vat, \"handle slot out of order\");\n", ind, ind);
        vs_emit(o, "%s    in->handles++;\n%s    %s.slot = (uint32_t)u;\n%s}\n",
             ind, ind, x, ind);
        break;
    case VS_NAMED: {
        const char *n = vs_ctype_decl(c, t->decl);
        if (t->decl->kind == VS_ENUM) {
            vs_emit(o, "%s{\n%s    size_t vat = in->pos;\n%s    uint64_t u;\n",
                 ind, ind, ind);
            vs_emit(o, "%s    if ((s = vs_get_varint(in, &u)) != V_OK)\n"
                 "%s        return s;\n", ind, ind);
            vs_emit(o, "%s    if (!%s_is_valid(u))\n%s        return vs_fail("
                 "in, vat, \"unknown enum value\");\n", ind, n, ind);
            vs_emit(o, "%s    %s = (%s)u;\n%s}\n", ind, x, n, ind);
        } else {
            vs_emit(o, "%s{\n%s    size_t saved;\n", ind, ind);
            vs_emit(o, "%s    if ((s = vs_enter(in, &saved)) != V_OK ||\n"
                 "%s        (s = %s__get(in, &%s)) != V_OK ||\n"
                 "%s        (s = vs_leave(in, saved)) != V_OK)\n"
                 "%s        return s;\n%s}\n",
                 ind, ind, n, x, ind, ind, ind);
        }
        break;
    }
    default: break;
    }
}

static bool needs_check(const vs_type *t)
{
    switch (t->kind) {
    case VS_F64: case VS_STRING: case VS_BYTES: case VS_HANDLE:
    case VS_LIST: case VS_NAMED:
        return true;
    case VS_ARRAY: return needs_check(t->elem);
    default: return false;
    }
}

static void check_value(vs_out *o, const vs_type *t, const char *x,
                        const char *ind)
{
    vs_ctx *c = o->c;
    switch (t->kind) {
    case VS_F64:
        vs_emit(o, "%sif (%s != %s)\n%s    return vs_invalid(err, \"NaN is not "
             "allowed\");\n", ind, x, x, ind);
        break;
    case VS_STRING: case VS_BYTES:
        vs_emit(o, "%sif ((s = vs_check_blob(%s.ptr, %s.len, %u, %s, err)) != "
             "V_OK)\n%s    return s;\n", ind, x, x, (unsigned)t->max,
             t->kind == VS_STRING ? "true" : "false", ind);
        break;
    case VS_HANDLE:
        vs_emit(o, "%sif (%s.slot != (*slot)++)\n%s    return vs_invalid(err, "
             "\"handle slot out of order\");\n", ind, x, ind);
        break;
    case VS_NAMED:
        if (t->decl->kind == VS_ENUM)
            vs_emit(o, "%sif (!%s_is_valid((uint64_t)%s))\n%s    return "
                 "vs_invalid(err, \"unknown enum value\");\n", ind,
                 vs_ctype_decl(c, t->decl), x, ind);
        else
            vs_emit(o, "%sif ((s = %s__check(&%s, slot, err)) != V_OK)\n"
                 "%s    return s;\n", ind, vs_ctype_decl(c, t->decl), x, ind);
        break;
    default: break;
    }
}

static bool needs_free(const vs_type *t)
{
    switch (t->kind) {
    case VS_STRING: case VS_BYTES: case VS_LIST: return true;
    case VS_NAMED: return t->decl->kind != VS_ENUM;
    case VS_ARRAY: return needs_free(t->elem);
    default: return false;
    }
}

static void free_value(vs_out *o, const vs_type *t, const char *x,
                       const char *ind)
{
    if (t->kind == VS_STRING || t->kind == VS_BYTES)
        vs_emit(o, "%svs_free_blob(a, %s.ptr, %s.len);\n", ind, x, x);
    else if (vs_is_aggregate(t))
        vs_emit(o, "%s%s_free(a, &%s);\n", ind, vs_ctype_decl(o->c, t->decl), x);
}

static const char *same_expr(vs_ctx *c, const vs_type *t, const char *x,
                             const char *y)
{
    switch (t->kind) {
    case VS_F64: return vs_printf(c, "vs_same_f64(%s, %s)", x, y);
    case VS_STRING: case VS_BYTES:
        return vs_printf(c, "vs_same_blob(%s.ptr, %s.len, %s.ptr, %s.len)",
                         x, x, y, y);
    case VS_HANDLE: return vs_printf(c, "%s.slot == %s.slot", x, y);
    case VS_NAMED:
        if (t->decl->kind != VS_ENUM)
            return vs_printf(c, "%s_equal(&%s, &%s)", vs_ctype_decl(c, t->decl),
                             x, y);
        return vs_printf(c, "%s == %s", x, y);
    default: return vs_printf(c, "%s == %s", x, y);
    }
}

/* The element lvalue of container x at index i. */
const char *vs_item(vs_ctx *c, const vs_type *t, const char *x)
{
    return vs_printf(c, t->kind == VS_ARRAY ? "%s[i]" : "%s.items[i]", x);
}

const char *vs_count_of(vs_ctx *c, const vs_type *t, const char *x)
{
    return t->kind == VS_ARRAY ? vs_printf(c, "%u", (unsigned)t->max)
                               : vs_printf(c, "%s.count", x);
}

/* ---- one field or variant, all operations ---- */

static void put_field(vs_out *o, const vs_decl *d, const vs_field *f,
                      const char *ind)
{
    vs_ctx *c = o->c;
    const char *x = vs_lvalue(c, d, f);
    vs_emit(o, "%svs_put_varint(o, %llu); /* %u %s */\n", ind,
         (unsigned long long)key_of(f), (unsigned)f->number, f->name);
    if (!vs_is_container(f->type)) {
        put_value(o, f->type, x, ind);
        return;
    }
    const vs_type *t = f->type;
    vs_emit(o, "%svs_put_varint(o, %s(v));\n", ind, content_fn(c, d, f));
    vs_emit(o, "%svs_put_varint(o, %s);\n", ind, vs_count_of(c, t, x));
    vs_emit(o, "%sfor (size_t i = 0; i < %s; i++) {\n", ind, vs_count_of(c, t, x));
    put_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
    vs_emit(o, "%s}\n", ind);
}

static const char *field_size(vs_ctx *c, const vs_decl *d, const vs_field *f)
{
    unsigned key = varint_size(key_of(f));
    if (vs_is_container(f->type))
        return vs_printf(c, "%u + vs_len_size(%s(v))", key,
                         content_fn(c, d, f));
    return vs_printf(c, "%u + %s", key, size_expr(c, f->type,
                                                  vs_lvalue(c, d, f)));
}

static void get_field(vs_out *o, const vs_decl *d, const vs_field *f,
                      const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    vs_emit(o, "%sif (wire != %u)\n%s    return vs_fail(in, at, \"wrong wire "
         "type for field\");\n", ind, wire_type(t), ind);
    if (!vs_is_container(t)) {
        get_value(o, t, x, ind);
        return;
    }
    vs_emit(o, "%s{\n%s    size_t outer, count;\n", ind, ind);
    vs_emit(o, "%s    if ((s = vs_enter(in, &outer)) != V_OK ||\n"
         "%s        (s = vs_get_count(in, %u, %s, &count)) != V_OK)\n"
         "%s        return s;\n", ind, ind, (unsigned)t->max,
         t->kind == VS_ARRAY ? "true" : "false", ind);
    if (t->kind == VS_LIST) {
        const char *et = vs_ctype(c, t->elem);
        vs_emit(o, "%s    void *items;\n", ind);
        vs_emit(o, "%s    if ((s = vs_get_items(in, count, sizeof(%s), "
             "_Alignof(%s), &items)) != V_OK)\n%s        return s;\n",
             ind, et, et, ind);
        vs_emit(o, "%s    %s.items = items;\n%s    %s.count = count;\n", ind, x,
             ind, x);
    }
    vs_emit(o, "%s    for (size_t i = 0; i < count; i++) {\n", ind);
    get_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s        ", ind));
    vs_emit(o, "%s    }\n", ind);
    vs_emit(o, "%s    if ((s = vs_leave(in, outer)) != V_OK)\n"
         "%s        return s;\n%s}\n", ind, ind, ind);
}

static void check_field(vs_out *o, const vs_decl *d, const vs_field *f,
                        const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    if (!vs_is_container(t)) {
        check_value(o, t, x, ind);
        return;
    }
    if (t->kind == VS_LIST) {
        vs_emit(o, "%sif (%s.count > %u)\n%s    return vs_invalid(err, \"list "
             "longer than its maximum\");\n", ind, x, (unsigned)t->max, ind);
        vs_emit(o, "%sif (%s.count && !%s.items)\n%s    return vs_invalid(err, "
             "\"NULL pointer with a non-zero length\");\n", ind, x, x, ind);
    }
    if (needs_check(t->elem)) {
        vs_emit(o, "%sfor (size_t i = 0; i < %s; i++) {\n", ind,
             vs_count_of(c, t, x));
        check_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
        vs_emit(o, "%s}\n", ind);
    }
}

static void free_field(vs_out *o, const vs_decl *d, const vs_field *f,
                       const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    if (!vs_is_container(t)) {
        free_value(o, t, x, ind);
        return;
    }
    if (t->kind == VS_ARRAY) {
        vs_emit(o, "%sfor (size_t i = 0; i < %u; i++) {\n", ind,
             (unsigned)t->max);
        free_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s    ", ind));
        vs_emit(o, "%s}\n", ind);
        return;
    }
    vs_emit(o, "%sif (%s.items && %s.count) {\n", ind, x, x);
    if (needs_free(t->elem)) {
        vs_emit(o, "%s    for (size_t i = 0; i < %s.count; i++) {\n", ind, x);
        free_value(o, t->elem, vs_item(c, t, x), vs_printf(c, "%s        ", ind));
        vs_emit(o, "%s    }\n", ind);
    }
    vs_emit(o, "%s    v_alloc_free(a, %s.items, %s.count * sizeof *%s.items);\n",
         ind, x, x, x);
    vs_emit(o, "%s}\n", ind);
}

static void same_field(vs_out *o, const vs_decl *d, const vs_field *f,
                       const char *ind)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *x = vs_lvalue(c, d, f);
    const char *y = vs_printf(c, d->kind == VS_UNION ? "w->u.%s" : "w->%s",
                              f->name);
    if (!vs_is_container(t)) {
        vs_emit(o, "%sif (!(%s))\n%s    return false;\n", ind,
             same_expr(c, t, x, y), ind);
        return;
    }
    if (t->kind == VS_LIST)
        vs_emit(o, "%sif (%s.count != %s.count)\n%s    return false;\n", ind, x,
             y, ind);
    vs_emit(o, "%sfor (size_t i = 0; i < %s; i++)\n", ind, vs_count_of(c, t, x));
    vs_emit(o, "%s    if (!(%s))\n%s        return false;\n", ind,
         same_expr(c, t->elem, vs_item(c, t, x), vs_item(c, t, y)), ind);
}

/* ---- declarations ---- */

static void emit_field_decl(vs_out *o, const vs_field *f)
{
    vs_ctx *c = o->c;
    const vs_type *t = f->type;
    const char *ind = "    ";
    emit_doc(o, f->doc, ind);
    if (f->optional)
        vs_emit(o, "%sbool has_%s;\n", ind, f->name);
    if (t->kind == VS_ARRAY)
        vs_emit(o, "%s%s %s[%u];\n", ind, vs_ctype(c, t->elem), f->name,
             (unsigned)t->max);
    else if (t->kind == VS_LIST)
        vs_emit(o, "%sstruct {\n%s    %s *items;\n%s    size_t count; /* at "
             "most %u */\n%s} %s;\n", ind, ind, vs_ctype(c, t->elem), ind,
             (unsigned)t->max, ind, f->name);
    else
        vs_emit(o, "%s%s %s;\n", ind, vs_ctype(c, t), f->name);
}

static void emit_type(vs_out *h, const vs_decl *d)
{
    vs_ctx *c = h->c;
    const char *n = vs_ctype_decl(c, d);
    emit_doc(h, d->doc, "");
    if (d->kind == VS_ENUM) {
        vs_emit(h, "typedef enum %s {\n", n);
        for (size_t i = 0; i < d->n_fields; i++) {
            emit_doc(h, d->sorted[i]->doc, "    ");
            vs_emit(h, "    %s = %u,\n", vs_constant(c, d, d->sorted[i]),
                 (unsigned)d->sorted[i]->number);
        }
        vs_emit(h, "} %s;\n\n", n);
        return;
    }
    if (d->kind == VS_UNION) {
        vs_emit(h, "typedef enum %s_tag {\n", n);
        for (size_t i = 0; i < d->n_fields; i++)
            vs_emit(h, "    %s = %u,\n", vs_constant(c, d, d->sorted[i]),
                 (unsigned)d->sorted[i]->number);
        vs_emit(h, "} %s_tag;\n\n", n);
        vs_emit(h, "typedef struct %s {\n    %s_tag tag; /* 0: none set */\n"
             "    union {\n", n, n);
        vs_out inner = {c, NULL, 0, 0};
        for (size_t i = 0; i < d->n_fields; i++)
            emit_field_decl(&inner, &d->fields[i]);
        /* Indent the variants one more level. */
        for (const char *p = inner.buf; p && *p;) {
            const char *nl = strchr(p, '\n');
            vs_emit(h, "    %.*s\n", (int)(nl - p), p);
            p = nl + 1;
        }
        vs_emit(h, "    } u;\n} %s;\n\n", n);
        return;
    }
    vs_emit(h, "typedef struct %s {\n", n);
    for (size_t i = 0; i < d->n_fields; i++)
        emit_field_decl(h, &d->fields[i]);
    if (d->n_fields == 0)
        vs_emit(h, "    char unused; /* C structs cannot be empty */\n");
    vs_emit(h, "} %s;\n\n", n);
}

static void emit_protos(vs_out *h, const vs_decl *d, uint64_t type_id)
{
    vs_ctx *c = h->c;
    const char *n = vs_ctype_decl(c, d);
    if (d->kind == VS_ENUM) {
        vs_emit(h, "/* Whether v is a declared value of %s. */\n", d->name);
        vs_emit(h, "bool %s_is_valid(uint64_t v);\n\n", n);
        return;
    }
    vs_emit(h, "#define %s_TYPE_ID UINT64_C(0x%016llx)\n", n,
         (unsigned long long)type_id);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_type *t = d->fields[i].type;
        if (vs_is_container(t))
            t = t->elem;
        if (t->kind != VS_HANDLE)
            continue;
        char rights[256] = "";
        for (unsigned r = 0; vs_rights[r]; r++)
            if (t->rights & (1u << r))
                snprintf(rights + strlen(rights),
                         sizeof rights - strlen(rights), "%s%s",
                         rights[0] ? "|" : "", vs_rights[r]);
        vs_emit(h, "#define %s_%s_KIND %uu /* VX_OBJ_%s */\n", n,
             d->fields[i].name, (unsigned)t->handle_kind + 1,
             upper(c, vs_handle_kinds[t->handle_kind]));
        vs_emit(h, "#define %s_%s_RIGHTS 0x%xu /* %s */\n", n,
             d->fields[i].name, (unsigned)t->rights,
             rights[0] ? rights : "none");
    }
    vs_emit(h,
         "v_status %s_validate(const %s *v, v_encoding_error *err);\n"
         "v_status %s_encode(const %s *v, void *buf, size_t cap, size_t *len,\n"
         "    v_encoding_error *err);\n"
         "v_status %s_decode(const void *buf, size_t len, unsigned flags,\n"
         "    v_alloc *a, %s *out, v_encoding_error *err);\n"
         "void %s_free(v_alloc *a, %s *v);\n"
         "bool %s_equal(const %s *v, const %s *w);\n"
         "/* For generated code (this schema's and its importers'). */\n"
         "v_status %s__check(const %s *v, uint32_t *slot, "
         "v_encoding_error *err);\n"
         "size_t %s__size(const %s *v);\n"
         "void %s__put(v_schema_out *o, const %s *v);\n"
         "v_status %s__get(v_schema_in *in, %s *v);\n\n",
         n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n);
}

static void emit_enum_code(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    vs_emit(o, "bool %s_is_valid(uint64_t v)\n{\n    switch (v) {\n",
         vs_ctype_decl(c, d));
    for (size_t i = 0; i < d->n_fields; i++)
        vs_emit(o, "    case %u:\n", (unsigned)d->sorted[i]->number);
    vs_emit(o, "        return true;\n    default:\n        return false;\n"
         "    }\n}\n\n");
}

static void emit_content_fns(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        const vs_type *t = f->type;
        if (!vs_is_container(t))
            continue;
        const char *x = vs_lvalue(c, d, f);
        vs_emit(o, "/* Bytes of field %s after its length: count, elements. */\n",
             f->name);
        vs_emit(o, "static size_t %s(const %s *v)\n{\n", content_fn(c, d, f),
             vs_ctype_decl(c, d));
        vs_emit(o, "    size_t n = vs_varint_size(%s);\n", vs_count_of(c, t, x));
        vs_emit(o, "    for (size_t i = 0; i < %s; i++)\n", vs_count_of(c, t, x));
        vs_emit(o, "        n += %s;\n    return n;\n}\n\n",
             size_expr(c, t->elem, vs_item(c, t, x)));
    }
}

static void emit_struct_code(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);
    bool any_check = false;
    for (size_t i = 0; i < d->n_fields; i++)
        any_check = any_check || needs_check(d->fields[i].type);

    vs_emit(o, "v_status %s__check(const %s *v, uint32_t *slot, "
         "v_encoding_error *err)\n{\n", n, n);
    if (!any_check)
        vs_emit(o, "    (void)v;\n    (void)slot;\n    (void)err;\n"
             "    return V_OK;\n}\n\n");
    else {
        vs_emit(o, "    v_status s = V_OK;\n    (void)s;\n    (void)slot;\n");
        for (size_t i = 0; i < d->n_fields; i++) {
            const vs_field *f = d->sorted[i];
            if (!needs_check(f->type))
                continue;
            if (f->optional) {
                vs_emit(o, "    if (v->has_%s) {\n", f->name);
                check_field(o, d, f, "        ");
                vs_emit(o, "    }\n");
            } else {
                check_field(o, d, f, "    ");
            }
        }
        vs_emit(o, "    return V_OK;\n}\n\n");
    }

    vs_emit(o, "size_t %s__size(const %s *v)\n{\n    size_t n = 0;\n", n, n);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (f->optional)
            vs_emit(o, "    if (v->has_%s)\n        n += %s;\n", f->name,
                 field_size(c, d, f));
        else
            vs_emit(o, "    n += %s;\n", field_size(c, d, f));
    }
    vs_emit(o, "    return n;\n}\n\n");

    vs_emit(o, "void %s__put(v_schema_out *o, const %s *v)\n{\n", n, n);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)o;\n    (void)v;\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (f->optional) {
            vs_emit(o, "    if (v->has_%s) {\n", f->name);
            put_field(o, d, f, "        ");
            vs_emit(o, "    }\n");
        } else {
            put_field(o, d, f, "    ");
        }
    }
    vs_emit(o, "}\n\n");

    vs_emit(o, "v_status %s__get(v_schema_in *in, %s *v)\n{\n", n, n);
    vs_emit(o, "    uint32_t last = 0, number;\n    unsigned wire;\n");
    for (size_t i = 0; i < d->n_fields; i++)
        if (!d->fields[i].optional)
            vs_emit(o, "    bool got_%s = false;\n", d->fields[i].name);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n");
    vs_emit(o, "    while (in->pos < in->end) {\n"
         "        size_t at = in->pos;\n"
         "        v_status s = vs_get_key(in, last, &number, &wire);\n"
         "        if (s != V_OK)\n            return s;\n"
         "        last = number;\n"
         "        switch (number) {\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "        case %u: /* %s */\n", (unsigned)f->number, f->name);
        get_field(o, d, f, "            ");
        if (f->optional)
            vs_emit(o, "            v->has_%s = true;\n", f->name);
        else
            vs_emit(o, "            got_%s = true;\n", f->name);
        vs_emit(o, "            break;\n");
    }
    vs_emit(o, "        default:\n"
         "            if (!(in->flags & V_SCHEMA_SKIP_UNKNOWN))\n"
         "                return vs_fail(in, at, \"unknown field\");\n"
         "            if ((s = vs_skip(in, wire)) != V_OK)\n"
         "                return s;\n"
         "        }\n    }\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (!f->optional)
            vs_emit(o, "    if (!got_%s)\n        return vs_fail(in, in->pos, "
                 "\"missing required field %s\");\n", f->name, f->name);
    }
    vs_emit(o, "    return V_OK;\n}\n\n");

    vs_emit(o, "void %s_free(v_alloc *a, %s *v)\n{\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++)
        if (needs_free(d->fields[i].type))
            free_field(o, d, &d->fields[i], "    ");
    vs_emit(o, "    (void)a;\n    v_mem_set(v, 0, sizeof *v);\n}\n\n");

    vs_emit(o, "bool %s_equal(const %s *v, const %s *w)\n{\n", n, n, n);
    if (d->n_fields == 0)
        vs_emit(o, "    (void)v;\n    (void)w;\n");
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (f->optional) {
            vs_emit(o, "    if (v->has_%s != w->has_%s)\n        return false;\n",
                 f->name, f->name);
            vs_emit(o, "    if (v->has_%s) {\n", f->name);
            same_field(o, d, f, "        ");
            vs_emit(o, "    }\n");
        } else {
            same_field(o, d, f, "    ");
        }
    }
    vs_emit(o, "    return true;\n}\n\n");
}

static void emit_union_code(vs_out *o, const vs_decl *d)
{
    vs_ctx *c = o->c;
    const char *n = vs_ctype_decl(c, d);

    vs_emit(o, "v_status %s__check(const %s *v, uint32_t *slot, "
         "v_encoding_error *err)\n{\n    v_status s = V_OK;\n"
         "    (void)s;\n    (void)slot;\n    switch (v->tag) {\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        check_field(o, d, f, "        ");
        vs_emit(o, "        return V_OK;\n");
    }
    vs_emit(o, "    default:\n        return vs_invalid(err, \"no union variant "
         "set\");\n    }\n}\n\n");

    vs_emit(o, "size_t %s__size(const %s *v)\n{\n    switch (v->tag) {\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n        return %s;\n", vs_constant(c, d, f),
             field_size(c, d, f));
    }
    vs_emit(o, "    default:\n        return 0;\n    }\n}\n\n");

    vs_emit(o, "void %s__put(v_schema_out *o, const %s *v)\n{\n"
         "    switch (v->tag) {\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        put_field(o, d, f, "        ");
        vs_emit(o, "        break;\n");
    }
    vs_emit(o, "    default:\n        break;\n    }\n}\n\n");

    vs_emit(o, "v_status %s__get(v_schema_in *in, %s *v)\n{\n"
         "    size_t at = in->pos;\n    uint32_t number;\n    unsigned wire;\n"
         "    v_status s;\n"
         "    if (in->pos >= in->end)\n"
         "        return vs_fail(in, at, \"union without a variant\");\n"
         "    if ((s = vs_get_key(in, 0, &number, &wire)) != V_OK)\n"
         "        return s;\n    switch (number) {\n", n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %u: /* %s */\n", (unsigned)f->number, f->name);
        vs_emit(o, "        v->tag = %s;\n", vs_constant(c, d, f));
        get_field(o, d, f, "        ");
        vs_emit(o, "        break;\n");
    }
    vs_emit(o, "    default:\n        return vs_fail(in, at, \"unknown union "
         "variant\");\n    }\n"
         "    if (in->pos != in->end)\n"
         "        return vs_fail(in, in->pos, \"union with more than one "
         "variant\");\n    return V_OK;\n}\n\n");

    vs_emit(o, "void %s_free(v_alloc *a, %s *v)\n{\n    switch (v->tag) {\n",
         n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        if (!needs_free(f->type))
            continue;
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        free_field(o, d, f, "        ");
        vs_emit(o, "        break;\n");
    }
    vs_emit(o, "    default:\n        break;\n    }\n"
         "    (void)a;\n    v_mem_set(v, 0, sizeof *v);\n}\n\n");

    vs_emit(o, "bool %s_equal(const %s *v, const %s *w)\n{\n"
         "    if (v->tag != w->tag)\n        return false;\n"
         "    switch (v->tag) {\n", n, n, n);
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = d->sorted[i];
        vs_emit(o, "    case %s:\n", vs_constant(c, d, f));
        same_field(o, d, f, "        ");
        vs_emit(o, "        return true;\n");
    }
    vs_emit(o, "    default:\n        return true;\n    }\n}\n\n");
}

static void emit_public_code(vs_out *o, const vs_decl *d)
{
    const char *n = vs_ctype_decl(o->c, d);
    vs_emit(o,
         "v_status %s_validate(const %s *v, v_encoding_error *err)\n{\n"
         "    uint32_t slot = 0;\n"
         "    return %s__check(v, &slot, err);\n}\n\n", n, n, n);
    vs_emit(o,
         "v_status %s_encode(const %s *v, void *buf, size_t cap, size_t *len,\n"
         "    v_encoding_error *err)\n{\n"
         "    v_status s = %s_validate(v, err);\n"
         "    if (s != V_OK)\n        return s;\n"
         "    size_t n = %s__size(v);\n"
         "    *len = n;\n"
         "    if (!buf)\n"
         "        return cap == 0 ? V_OK : vs_invalid(err, \"NULL buffer\");\n"
         "    if (n > cap) {\n"
         "        vs_invalid(err, \"buffer too small\");\n"
         "        return V_ERR_TRUNCATED;\n"
         "    }\n"
         "    v_schema_out o = {buf, 0};\n"
         "    %s__put(&o, v);\n"
         "    return V_OK;\n}\n\n", n, n, n, n, n);
    vs_emit(o,
         "v_status %s_decode(const void *buf, size_t len, unsigned flags,\n"
         "    v_alloc *a, %s *out, v_encoding_error *err)\n{\n"
         "    v_encoding_error ignored;\n"
         "    v_schema_in in = {buf, 0, len, flags, 0, a,\n"
         "                      err ? err : &ignored};\n"
         "    v_mem_set(out, 0, sizeof *out);\n"
         "    if ((!buf && len) || !a)\n"
         "        return vs_invalid(err, \"NULL buffer or allocator\");\n"
         "    v_status s = %s__get(&in, out);\n"
         "    if (s != V_OK)\n        %s_free(a, out);\n"
         "    return s;\n}\n\n", n, n, n, n);
}

/* Local declarations in an order where each comes after those it holds. */
static void order_decl(vs_ctx *c, const vs_decl *d, const vs_schema *s,
                       const vs_decl **order, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        if (order[i] == d)
            return;
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_type *t = d->fields[i].type;
        if (t && vs_is_container(t))
            t = t->elem;
        if (t && t->kind == VS_NAMED && t->decl->schema == s)
            order_decl(c, t->decl, s, order, n);
    }
    order[(*n)++] = d;
}

static int write_file(vs_ctx *c, const char *path, const vs_out *o)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(c->error, sizeof c->error, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t w = fwrite(o->buf, 1, o->len, f);
    if (fclose(f) != 0 || w != o->len) {
        snprintf(c->error, sizeof c->error, "%s: write failed", path);
        return -1;
    }
    return 0;
}

static const char *guard_of(vs_ctx *c, const vs_schema *s)
{
    return vs_printf(c, "VSCHEMA_%s_H", upper(c, prefix(c, s)));
}

/* The base name under which an imported schema's header was generated. */
static const char *header_of(vs_ctx *c, const vs_import *im)
{
    const char *slash = strrchr(im->path, '/');
    const char *b = slash ? slash + 1 : im->path;
    size_t n = strlen(b);
    if (n > 3 && strcmp(b + n - 3, ".vs") == 0)
        n -= 3;
    return vs_printf(c, "%.*s.h", (int)n, b);
}

int vs_gen_c(vs_ctx *c, const vs_schema *s, const char *dir,
             const char *base)
{
    jmp_buf env;
    c->on_error = &env;
    if (setjmp(env))
        return -1;
    vs_out h = {c, NULL, 0, 0}, o = {c, NULL, 0, 0};
    vs_out names = {c, NULL, 0, 0}; /* enum name functions, for o */
    size_t clen;
    char *canon = vs_canonical(c, s, NULL, &clen);

    vs_emit(&h, "/* %s.h — generated by vschema from %s.vs. Do not edit.\n"
         " * Schema %s; docs/schema.md describes the types, the functions\n"
         " * and the canonical binary encoding. */\n", base, base, s->name);
    vs_emit(&h, "#ifndef %s\n#define %s\n\n", guard_of(c, s), guard_of(c, s));
    vs_emit(&h, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
         "#include <v/alloc.h>\n#include <v/encoding.h>\n"
         "#include <v/status.h>\n");
    for (size_t i = 0; i < s->n_imports; i++)
        vs_emit(&h, "#include \"%s\"\n", header_of(c, &s->imports[i]));
    vs_emit(&h, "\n%s\n", gen_prelude_h);
    emit_doc(&h, s->doc, "");
    vs_emit(&h, "#define %s_SCHEMA_ID UINT64_C(0x%016llx)\n\n", prefix(c, s),
         (unsigned long long)vs_id(canon, clen));

    const vs_decl **order = vs_alloc(c, (s->n_decls + 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < s->n_decls; i++)
        order_decl(c, s->decls[i], s, order, &n);
    for (size_t i = 0; i < n; i++)
        emit_type(&h, order[i]);
    for (size_t i = 0; i < n; i++) {
        size_t tlen = 0;
        char *tc = vs_canonical(c, s, order[i], &tlen);
        emit_protos(&h, order[i], vs_id(tc, tlen));
        if (order[i]->kind == VS_STRUCT || order[i]->kind == VS_UNION) {
            vs_gen_text_protos(&h, &vs_gen_msgpack, order[i]);
            vs_gen_text_protos(&h, &vs_gen_json, order[i]);
        }
        if (order[i]->kind == VS_ENUM)
            vs_gen_enum_names(&h, &names, order[i]);
    }
    vs_emit(&h, "#endif\n");

    vs_emit(&o, "/* %s.c — generated by vschema from %s.vs. Do not edit. */\n",
         base, base);
    vs_emit(&o, "#include <v/mem.h>\n#include <v/text.h>\n\n#include \"%s.h\"\n\n",
         base);
    vs_emit(&o, "%s\n", gen_helpers_c);
    vs_gen_text_helpers(&o, &vs_gen_msgpack);
    vs_emit(&o, "\n");
    vs_gen_text_helpers(&o, &vs_gen_json);
    vs_emit(&o, "\n%s", names.buf ? names.buf : "");
    for (size_t i = 0; i < n; i++) {
        const vs_decl *d = order[i];
        vs_emit(&o, "/* ---- %s ---- */\n\n", d->name);
        if (d->kind == VS_ENUM) {
            emit_enum_code(&o, d);
            continue;
        }
        emit_content_fns(&o, d);
        if (d->kind == VS_UNION)
            emit_union_code(&o, d);
        else
            emit_struct_code(&o, d);
        emit_public_code(&o, d);
        if (d->kind != VS_MESSAGE) {
            vs_gen_text_code(&o, &vs_gen_msgpack, d);
            vs_gen_text_code(&o, &vs_gen_json, d);
        }
    }
    if (write_file(c, vs_printf(c, "%s/%s.h", dir, base), &h) != 0 ||
        write_file(c, vs_printf(c, "%s/%s.c", dir, base), &o) != 0)
        return -1;
    return 0;
}
