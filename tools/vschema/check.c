/* check.c — whole-schema rules: unique names and numbers, type
 * resolution, where handles and messages may appear, no recursive types,
 * bounded nesting (docs/schema.md §2). Runs after a schema's imports are
 * loaded and checked. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "vschema.h"

static bool same_upper(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return false;
    return *a == *b;
}

static vs_decl *find_decl(const vs_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_decls; i++)
        if (strcmp(s->decls[i]->name, name) == 0)
            return s->decls[i];
    return NULL;
}

static void resolve(vs_ctx *c, const vs_schema *s, vs_type *t)
{
    if (t->kind == VS_ARRAY || t->kind == VS_LIST) {
        resolve(c, s, t->elem);
        return;
    }
    if (t->kind != VS_NAMED)
        return;
    const char *dot = strrchr(t->name, '.');
    if (!dot) {
        t->decl = find_decl(s, t->name);
        if (!t->decl)
            vs_fail(c, t->pos, "unknown type '%s'", t->name);
        return;
    }
    size_t plen = (size_t)(dot - t->name);
    const vs_schema *from = NULL;
    if (strlen(s->name) == plen && memcmp(s->name, t->name, plen) == 0)
        from = s;
    for (size_t i = 0; !from && i < s->n_imports; i++) {
        const vs_schema *im = s->imports[i].schema;
        if (strlen(im->name) == plen && memcmp(im->name, t->name, plen) == 0)
            from = im;
    }
    if (!from)
        vs_fail(c, t->pos, "unknown schema '%.*s' in '%s' (not imported)",
                (int)plen, t->name, t->name);
    t->decl = find_decl(from, dot + 1);
    if (!t->decl)
        vs_fail(c, t->pos, "schema '%s' has no type '%s'", from->name,
                dot + 1);
}

static const char *kind_word(vs_decl_kind k)
{
    return k == VS_STRUCT ? "struct" : k == VS_MESSAGE ? "message"
           : k == VS_ENUM ? "enum" : "union";
}

/* Handles and messages only inside messages. */
static void check_placement(vs_ctx *c, const vs_decl *d, const vs_type *t)
{
    if (t->kind == VS_ARRAY || t->kind == VS_LIST) {
        check_placement(c, d, t->elem);
        return;
    }
    if (d->kind == VS_MESSAGE)
        return;
    if (t->kind == VS_HANDLE)
        vs_fail(c, t->pos, "a handle in %s '%s': only messages may carry "
                "handles", kind_word(d->kind), d->name);
    if (t->kind == VS_NAMED && t->decl->kind == VS_MESSAGE)
        vs_fail(c, t->pos, "message '%s' used in %s '%s': only messages "
                "may contain messages", t->decl->name, kind_word(d->kind),
                d->name);
}

static unsigned decl_depth(vs_ctx *c, vs_decl *d);

static unsigned type_depth(vs_ctx *c, const vs_type *t)
{
    if (t->kind == VS_ARRAY || t->kind == VS_LIST)
        return 1 + type_depth(c, t->elem);
    if (t->kind == VS_NAMED && t->decl->kind != VS_ENUM)
        return decl_depth(c, t->decl);
    return 0;
}

/* Depth-first over the declarations a value contains; a declaration met
 * again while in progress is a cycle. Declarations are finite and each is
 * finished once, so this recursion is bounded by their number. */
static unsigned decl_depth(vs_ctx *c, vs_decl *d)
{
    if (d->visit == 2)
        return d->depth;
    d->visit = 1;
    unsigned depth = 1;
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_type *t = d->fields[i].type;
        if (!t)
            continue;
        const vs_type *base = t->kind == VS_ARRAY || t->kind == VS_LIST
                                  ? t->elem : t;
        if (base->kind == VS_NAMED && base->decl->visit == 1)
            vs_fail(c, base->pos, "type '%s' contains itself through "
                    "'%s.%s'", base->decl->name, d->name, d->fields[i].name);
        unsigned fd = 1 + type_depth(c, t);
        if (fd > depth)
            depth = fd;
    }
    if (depth > VS_MAX_DEPTH)
        vs_fail(c, d->pos, "values of '%s' nest more than %d deep", d->name,
                VS_MAX_DEPTH);
    d->depth = depth;
    d->visit = 2;
    return depth;
}

static int by_number(const void *a, const void *b)
{
    uint32_t x = (*(vs_field *const *)a)->number;
    uint32_t y = (*(vs_field *const *)b)->number;
    return x < y ? -1 : x > y;
}

/* Names become C identifiers unchanged (struct members, parts of
 * constants), so C's keywords cannot be names. */
static const char *const c_keywords[] = {
    "asm", "auto", "break", "case", "char", "const", "continue", "default",
    "do", "double", "else", "extern", "false", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "switch", "true", "typedef", "unsigned",
    "void", "volatile", "while", NULL};

static void check_member_name(vs_ctx *c, const vs_decl *d, const vs_field *f)
{
    for (size_t k = 0; c_keywords[k]; k++)
        if (strcmp(f->name, c_keywords[k]) == 0)
            vs_fail(c, f->pos, "'%s' is a C keyword and cannot be a name",
                    f->name);
    /* An optional field x brings a member has_x. */
    if (strncmp(f->name, "has_", 4) != 0)
        return;
    for (size_t j = 0; j < d->n_fields; j++)
        if (d->fields[j].optional && strcmp(d->fields[j].name, f->name + 4) == 0)
            vs_fail(c, f->pos, "field '%s' would clash with the presence "
                    "flag of optional field '%s'", f->name,
                    d->fields[j].name);
}

static void check_members(vs_ctx *c, vs_decl *d)
{
    if (d->kind == VS_ENUM && d->n_fields == 0)
        vs_fail(c, d->pos, "enum '%s' has no values", d->name);
    if (d->kind == VS_UNION && d->n_fields == 0)
        vs_fail(c, d->pos, "union '%s' has no variants", d->name);
    const char *member = d->kind == VS_ENUM    ? "value"
                         : d->kind == VS_UNION ? "variant" : "field";
    for (size_t i = 0; i < d->n_fields; i++) {
        const vs_field *f = &d->fields[i];
        check_member_name(c, d, f);
        for (size_t j = 0; j < i; j++) {
            const vs_field *g = &d->fields[j];
            if (d->kind == VS_ENUM ? same_upper(f->name, g->name)
                                   : strcmp(f->name, g->name) == 0)
                vs_fail(c, f->pos, "%s '%s' already declared at %u:%u",
                        member, f->name, (unsigned)g->pos.line,
                        (unsigned)g->pos.col);
            if (f->number == g->number)
                vs_fail(c, f->pos, "%s '%s' has number %u, already used by "
                        "'%s'", member, f->name, (unsigned)f->number,
                        g->name);
        }
        for (size_t r = 0; r < d->n_reserved; r++)
            if (d->reserved[r] == f->number)
                vs_fail(c, f->pos, "%s '%s' uses reserved number %u", member,
                        f->name, (unsigned)f->number);
    }
    d->sorted = vs_alloc(c, (d->n_fields + 1) * sizeof *d->sorted);
    for (size_t i = 0; i < d->n_fields; i++)
        d->sorted[i] = &d->fields[i];
    qsort(d->sorted, d->n_fields, sizeof *d->sorted, by_number);
}

void vs_check(vs_ctx *c, vs_schema *s)
{
    for (size_t i = 0; i < s->n_decls; i++) {
        vs_decl *d = s->decls[i];
        for (size_t j = 0; j < i; j++) {
            const vs_decl *e = s->decls[j];
            if (same_upper(d->name, e->name))
                vs_fail(c, d->pos, strcmp(d->name, e->name) == 0
                            ? "type '%s' already declared at %u:%u"
                            : "type '%s' differs only in case from the "
                              "type declared at %u:%u",
                        d->name, (unsigned)e->pos.line, (unsigned)e->pos.col);
        }
        check_members(c, d);
    }
    for (size_t i = 0; i < s->n_decls; i++) {
        vs_decl *d = s->decls[i];
        for (size_t j = 0; j < d->n_fields; j++) {
            vs_type *t = d->fields[j].type;
            if (!t)
                continue;
            resolve(c, s, t);
            check_placement(c, d, t);
        }
    }
    for (size_t i = 0; i < s->n_decls; i++)
        decl_depth(c, s->decls[i]);
}
