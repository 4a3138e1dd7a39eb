/* parse.c — recursive-descent parser for one schema file (grammar in
 * docs/schema.md §2). Checks what one token can tell (name shapes, number
 * ranges, reserved words); everything that needs the whole schema is in
 * check.c. Recursion follows type nesting in the source, bounded by
 * VS_MAX_DEPTH, so input cannot drive it without bound. */
#include <string.h>

#include "lex.h"

typedef struct parser {
    vs_ctx *c;
    vs_lexer lx;
    vs_token tok;
    bool doc_taken;
} parser;

static const char *const reserved_words[] = {
    "schema", "import", "struct", "message", "enum", "union", "optional",
    "reserved", "bool", "u8", "u16", "u32", "u64", "i8", "i16", "i32",
    "i64", "f64", "string", "bytes", "array", "list", "handle", NULL};

static void advance(parser *p)
{
    if (p->tok.doc && !p->doc_taken)
        vs_fail(p->c, p->tok.doc_pos,
                "a doc comment must come before a declaration, a field, an "
                "enum value or a variant");
    p->tok = vs_lex_next(&p->lx);
    p->doc_taken = false;
}

static const char *take_doc(parser *p)
{
    p->doc_taken = true;
    return p->tok.doc;
}

static _Noreturn void expected(parser *p, const char *what)
{
    vs_fail(p->c, p->tok.pos, "expected %s, found %s", what,
            vs_token_desc(p->c, &p->tok));
}

static void expect(parser *p, int kind, const char *what)
{
    if (p->tok.kind != kind)
        expected(p, what);
    advance(p);
}

static bool is_word(const vs_token *t, const char *w)
{
    return t->kind == VS_TK_IDENT && strlen(w) == t->len &&
           memcmp(t->text, w, t->len) == 0;
}

static bool is_reserved(const vs_token *t)
{
    for (size_t i = 0; reserved_words[i]; i++)
        if (is_word(t, reserved_words[i]))
            return true;
    return false;
}

enum name_kind { TYPE_NAME, MEMBER_NAME, SCHEMA_PART };

/* An identifier of the given shape (docs/schema.md, Names). */
static const char *take_name(parser *p, enum name_kind kind, const char *what)
{
    if (p->tok.kind != VS_TK_IDENT)
        expected(p, what);
    const vs_token *t = &p->tok;
    if (is_reserved(t))
        vs_fail(p->c, t->pos, "'%.*s' is a reserved word, not allowed as %s",
                (int)t->len, t->text, what);
    bool ok = true;
    for (size_t i = 0; i < t->len; i++) {
        char ch = t->text[i];
        bool lower = ch >= 'a' && ch <= 'z', upper = ch >= 'A' && ch <= 'Z';
        bool digit = ch >= '0' && ch <= '9';
        if (kind == TYPE_NAME)
            ok = ok && (i == 0 ? upper : (lower || upper || digit));
        else if (kind == MEMBER_NAME)
            ok = ok && (i == 0 ? lower : (lower || digit || ch == '_'));
        else
            ok = ok && (i == 0 ? lower : (lower || digit));
    }
    if (!ok)
        vs_fail(p->c, t->pos, "%s '%.*s' must match %s", what, (int)t->len,
                t->text,
                kind == TYPE_NAME     ? "[A-Z][A-Za-z0-9]*"
                : kind == MEMBER_NAME ? "[a-z][a-z0-9_]*"
                                      : "[a-z][a-z0-9]*");
    const char *name = vs_strndup(p->c, t->text, t->len);
    advance(p);
    return name;
}

static uint32_t take_number(parser *p, const char *what, uint32_t lo,
                            uint32_t hi)
{
    if (p->tok.kind != VS_TK_NUMBER)
        expected(p, what);
    uint32_t v = p->tok.number;
    if (v < lo || v > hi)
        vs_fail(p->c, p->tok.pos, "%s must be between %u and %u, found %u",
                what, (unsigned)lo, (unsigned)hi, (unsigned)v);
    advance(p);
    return v;
}

/* Appends one element to a vs_alloc'd array, doubling as it fills. */
static void *grow(vs_ctx *c, void *arr, size_t n, size_t elem)
{
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t cap = n == 0 ? 4 : n * 2;
        if (n >= 4 || n == 0) {
            void *bigger = vs_alloc(c, cap * elem);
            if (n)
                memcpy(bigger, arr, n * elem);
            return bigger;
        }
    }
    return arr;
}
#define PUSH(c, arr, n) \
    ((arr) = grow((c), (arr), (n), sizeof *(arr)), &(arr)[(n)++])

static vs_type *parse_type(parser *p, unsigned depth);

static vs_type *new_type(parser *p, vs_kind kind)
{
    vs_type *t = vs_alloc(p->c, sizeof *t);
    t->kind = kind;
    t->pos = p->tok.pos;
    return t;
}

/* Everything after the qualified name's first identifier. */
static const char *parse_qname_rest(parser *p, const char *first)
{
    const char *name = first;
    while (p->tok.kind == '.') {
        advance(p);
        if (p->tok.kind != VS_TK_IDENT)
            expected(p, "a name after '.'");
        name = vs_printf(p->c, "%s.%.*s", name, (int)p->tok.len, p->tok.text);
        advance(p);
    }
    return name;
}

static void parse_handle(parser *p, vs_type *t)
{
    expect(p, '<', "'<' after 'handle'");
    if (p->tok.kind != VS_TK_IDENT)
        expected(p, "an object kind (task, region, ring_tx, ring_rx, timer)");
    size_t k = 0;
    while (vs_handle_kinds[k] && !is_word(&p->tok, vs_handle_kinds[k]))
        k++;
    if (!vs_handle_kinds[k])
        vs_fail(p->c, p->tok.pos,
                "unknown object kind '%.*s' (expected task, region, "
                "ring_tx, ring_rx or timer)",
                (int)p->tok.len, p->tok.text);
    t->handle_kind = (uint32_t)k;
    advance(p);
    if (p->tok.kind == ',') {
        do {
            advance(p);
            if (p->tok.kind != VS_TK_IDENT)
                expected(p, "a right");
            size_t r = 0;
            while (vs_rights[r] && !is_word(&p->tok, vs_rights[r]))
                r++;
            if (!vs_rights[r])
                vs_fail(p->c, p->tok.pos,
                        "unknown right '%.*s' (expected read, write, map, "
                        "exec, send, recv, signal, wait, manage, duplicate "
                        "or transfer)",
                        (int)p->tok.len, p->tok.text);
            if (t->rights & (1u << r))
                vs_fail(p->c, p->tok.pos, "right '%s' listed twice",
                        vs_rights[r]);
            t->rights |= 1u << r;
            advance(p);
        } while (p->tok.kind == '|');
    }
    expect(p, '>', t->rights ? "'|' or '>'" : "',' or '>'");
}

static vs_type *parse_type(parser *p, unsigned depth)
{
    static const struct { const char *word; vs_kind kind; } scalars[] = {
        {"bool", VS_BOOL}, {"u8", VS_U8},   {"u16", VS_U16}, {"u32", VS_U32},
        {"u64", VS_U64},   {"i8", VS_I8},   {"i16", VS_I16}, {"i32", VS_I32},
        {"i64", VS_I64},   {"f64", VS_F64}};
    if (depth > VS_MAX_DEPTH)
        vs_fail(p->c, p->tok.pos, "type nested more than %d deep",
                VS_MAX_DEPTH);
    if (p->tok.kind != VS_TK_IDENT)
        expected(p, "a type");
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        if (is_word(&p->tok, scalars[i].word)) {
            vs_type *t = new_type(p, scalars[i].kind);
            advance(p);
            return t;
        }
    }
    if (is_word(&p->tok, "string") || is_word(&p->tok, "bytes")) {
        vs_type *t = new_type(p, p->tok.text[0] == 's' ? VS_STRING : VS_BYTES);
        advance(p);
        expect(p, '<', t->kind == VS_STRING ? "'<' after 'string'"
                                            : "'<' after 'bytes'");
        t->max = take_number(p, "the maximum length", 1, VS_MAX_LENGTH);
        expect(p, '>', "'>'");
        return t;
    }
    if (is_word(&p->tok, "array") || is_word(&p->tok, "list")) {
        vs_type *t = new_type(p, p->tok.text[0] == 'a' ? VS_ARRAY : VS_LIST);
        advance(p);
        expect(p, '<', t->kind == VS_ARRAY ? "'<' after 'array'"
                                           : "'<' after 'list'");
        t->elem = parse_type(p, depth + 1);
        if (t->elem->kind == VS_ARRAY || t->elem->kind == VS_LIST)
            vs_fail(p->c, t->elem->pos,
                    "an array or list cannot hold another array or list "
                    "directly: wrap it in a struct");
        expect(p, ',', "','");
        if (t->kind == VS_ARRAY)
            t->max = take_number(p, "the array length", 1, VS_MAX_ARRAY);
        else
            t->max = take_number(p, "the maximum count", 1, VS_MAX_LENGTH);
        expect(p, '>', "'>'");
        return t;
    }
    if (is_word(&p->tok, "handle")) {
        vs_type *t = new_type(p, VS_HANDLE);
        advance(p);
        parse_handle(p, t);
        return t;
    }
    if (is_reserved(&p->tok))
        expected(p, "a type");
    vs_type *t = new_type(p, VS_NAMED);
    const char *first = vs_strndup(p->c, p->tok.text, p->tok.len);
    advance(p);
    t->name = parse_qname_rest(p, first);
    return t;
}

static void parse_reserved(parser *p, vs_decl *d)
{
    do {
        advance(p); /* 'reserved', then each ',' */
        vs_pos at = p->tok.pos;
        uint32_t n = take_number(p, "a field number", 1, VS_MAX_FIELD_NUMBER);
        for (size_t i = 0; i < d->n_reserved; i++)
            if (d->reserved[i] == n)
                vs_fail(p->c, at, "number %u reserved twice", (unsigned)n);
        *PUSH(p->c, d->reserved, d->n_reserved) = n;
    } while (p->tok.kind == ',');
    expect(p, ';', "',' or ';'");
}

static void parse_members(parser *p, vs_decl *d)
{
    bool is_enum = d->kind == VS_ENUM;
    const char *what = is_enum ? "an enum value name or '}'"
                       : d->kind == VS_UNION
                           ? "a variant name, 'reserved' or '}'"
                           : "a field name, 'optional', 'reserved' or '}'";
    while (p->tok.kind != '}') {
        if (p->tok.kind != VS_TK_IDENT)
            expected(p, what);
        if (!is_enum && is_word(&p->tok, "reserved")) {
            parse_reserved(p, d);
            continue;
        }
        vs_field f;
        memset(&f, 0, sizeof f);
        f.doc = take_doc(p);
        if (d->kind != VS_ENUM && d->kind != VS_UNION &&
            is_word(&p->tok, "optional")) {
            f.optional = true;
            advance(p);
        }
        f.pos = p->tok.pos;
        f.name = take_name(p, MEMBER_NAME,
                           is_enum              ? "an enum value name"
                           : d->kind == VS_UNION ? "a variant name"
                                                : "a field name");
        if (!is_enum) {
            expect(p, ':', "':'");
            f.type = parse_type(p, 1);
        }
        expect(p, '=', is_enum ? "'='" : "'=' and a number");
        if (is_enum)
            f.number = take_number(p, "an enum value", 0, VS_MAX_ENUM_VALUE);
        else
            f.number = take_number(p, d->kind == VS_UNION ? "a variant number"
                                                          : "a field number",
                                   1, VS_MAX_FIELD_NUMBER);
        expect(p, ';', "';'");
        *PUSH(p->c, d->fields, d->n_fields) = f;
    }
    advance(p);
}

static vs_decl *parse_decl(parser *p, vs_schema *s)
{
    static const struct { const char *word; vs_decl_kind kind; } kinds[] = {
        {"struct", VS_STRUCT}, {"message", VS_MESSAGE}, {"enum", VS_ENUM},
        {"union", VS_UNION}};
    const char *doc = take_doc(p);
    size_t k = 0;
    while (k < 4 && !is_word(&p->tok, kinds[k].word))
        k++;
    if (k == 4) {
        if (is_word(&p->tok, "import"))
            vs_fail(p->c, p->tok.pos,
                    "imports must come before the declarations");
        expected(p, "'struct', 'message', 'enum' or 'union'");
    }
    vs_decl *d = vs_alloc(p->c, sizeof *d);
    d->kind = kinds[k].kind;
    d->doc = doc;
    d->schema = s;
    advance(p);
    d->pos = p->tok.pos;
    d->name = take_name(p, TYPE_NAME, "a type name");
    d->qname = vs_printf(p->c, "%s.%s", s->name, d->name);
    expect(p, '{', "'{'");
    parse_members(p, d);
    return d;
}

vs_schema *vs_parse(vs_ctx *c, const char *file, const char *text,
                    size_t len)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.c = c;
    vs_lex_init(&p.lx, c, file, text, len);
    p.tok = vs_lex_next(&p.lx);

    vs_schema *s = vs_alloc(c, sizeof *s);
    s->file = file;
    s->doc = take_doc(&p);
    if (!is_word(&p.tok, "schema"))
        expected(&p, "'schema'");
    advance(&p);
    const char *name = take_name(&p, SCHEMA_PART, "a schema name");
    while (p.tok.kind == '.') {
        advance(&p);
        const char *part = take_name(&p, SCHEMA_PART, "a schema name part");
        name = vs_printf(c, "%s.%s", name, part);
    }
    s->name = name;
    expect(&p, ';', "'.' or ';'");

    while (is_word(&p.tok, "import")) {
        vs_import *im = PUSH(c, s->imports, s->n_imports);
        im->pos = p.tok.pos;
        advance(&p);
        if (p.tok.kind != VS_TK_STRING)
            expected(&p, "a file name in quotes");
        if (p.tok.len == 2)
            vs_fail(c, p.tok.pos, "empty file name");
        im->path = vs_strndup(c, p.tok.text + 1, p.tok.len - 2);
        advance(&p);
        expect(&p, ';', "';'");
    }
    while (p.tok.kind != VS_TK_EOF)
        *PUSH(c, s->decls, s->n_decls) = parse_decl(&p, s);
    if (p.tok.doc)
        vs_fail(c, p.tok.doc_pos,
                "a doc comment must come before a declaration, a field, an "
                "enum value or a variant");
    return s;
}
