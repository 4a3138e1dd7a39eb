/* Parser and checker: every error's exact message and position, and the
 * canonical form. Sources live in memory; imports read from a small
 * table of files. */
#include <stdlib.h>
#include <string.h>
#include <v/crypto_blake3.h>
#include <v/test.h>

#include "vschema.h"

typedef struct mem_file {
    const char *path;
    const char *text;
} mem_file;

static const mem_file files[] = {
    {"dir/b.vs", "schema test.b;\nstruct Thing { x: i32 = 1; }\n"
                 "message Msg { h: handle<task> = 1; }\n"},
    {"dir/c.vs", "schema test.c;\nimport \"d.vs\";\n"},
    {"dir/d.vs", "schema test.d;\nimport \"c.vs\";\n"},
    {"dir/same.vs", "schema test.a;\n"},
    {"dir/b2.vs", "schema test.b;\n"},
    {"dir/bad.vs", "schema test.bad;\nstruct X { a: u8 = 0; }\n"},
    {"inc/e.vs", "schema test.e;\nenum E { a = 0; }\n"},
    {NULL, NULL}};

static int mem_read(void *ctx, const char *path, char **data, size_t *len)
{
    (void)ctx;
    for (const mem_file *f = files; f->path; f++) {
        if (strcmp(f->path, path) == 0) {
            *len = strlen(f->text);
            *data = malloc(*len + 1);
            memcpy(*data, f->text, *len + 1);
            return 0;
        }
    }
    return -1;
}

/* Compiles `src` as dir/a.vs; returns the error ("" on success) in buf. */
static const char *compile(const char *src, char *buf, size_t cap)
{
    static const char *inc[] = {"inc"};
    vs_ctx c;
    vs_ctx_init(&c, mem_read, NULL);
    c.include_dirs = inc;
    c.n_include_dirs = 1;
    vs_schema *s;
    int r = vs_parse_text(&c, "dir/a.vs", src, strlen(src), &s);
    snprintf(buf, cap, "%s", r == 0 ? "" : c.error);
    vs_ctx_free(&c);
    return buf;
}

typedef struct error_case {
    const char *src;
    const char *error;
} error_case;

static const error_case cases[] = {
    /* lexical */
    {"schema a;\nstruct A { x: u8 = 1; } $", "dir/a.vs:2:25: unexpected character '$'"},
    {"schema a;\n\x01", "dir/a.vs:2:1: unexpected control character 0x01"},
    {"schema a;\nstruct \xc3\xa9", "dir/a.vs:2:8: non-ASCII character outside a comment"},
    {"schema a; // ok \xc3\xa9\n\xff", "dir/a.vs:2:1: invalid UTF-8"},
    {"schema a;\nstruct A { x: u8 = 01; }", "dir/a.vs:2:20: number with a leading zero"},
    {"schema a;\nstruct A { x: u8 = 4294967296; }", "dir/a.vs:2:20: number too large (at most 4294967295)"},
    {"schema a;\nstruct A { x: u8 = 1x; }", "dir/a.vs:2:21: expected a digit or a separator after the number, found 'x'"},
    {"schema a;\nimport \"b.vs;\n", "dir/a.vs:2:8: unterminated string"},
    {"schema a;\nimport \"b\\.vs\";\n", "dir/a.vs:2:10: strings hold printable ASCII without '\\'"},
    {"schema a;\nstruct Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa {}",
     "dir/a.vs:2:8: identifier longer than 64 bytes"},
    /* structure */
    {"", "dir/a.vs:1:1: expected 'schema', found end of file"},
    {"struct A {}", "dir/a.vs:1:1: expected 'schema', found 'struct'"},
    {"schema;", "dir/a.vs:1:7: expected a schema name, found ';'"},
    {"schema a", "dir/a.vs:1:9: expected '.' or ';', found end of file"},
    {"schema A;", "dir/a.vs:1:8: a schema name 'A' must match [a-z][a-z0-9]*"},
    {"schema a.b_c;", "dir/a.vs:1:10: a schema name part 'b_c' must match [a-z][a-z0-9]*"},
    {"schema a.;", "dir/a.vs:1:10: expected a schema name part, found ';'"},
    {"schema struct;", "dir/a.vs:1:8: 'struct' is a reserved word, not allowed as a schema name"},
    {"schema a;\nimport b;", "dir/a.vs:2:8: expected a file name in quotes, found 'b'"},
    {"schema a;\nimport \"\";", "dir/a.vs:2:8: empty file name"},
    {"schema a;\nimport \"b.vs\"", "dir/a.vs:2:14: expected ';', found end of file"},
    {"schema a;\nstruct A {}\nimport \"b.vs\";", "dir/a.vs:3:1: imports must come before the declarations"},
    {"schema a;\nfoo", "dir/a.vs:2:1: expected 'struct', 'message', 'enum' or 'union', found 'foo'"},
    {"schema a;\nstruct {", "dir/a.vs:2:8: expected a type name, found '{'"},
    {"schema a;\nstruct a {}", "dir/a.vs:2:8: a type name 'a' must match [A-Z][A-Za-z0-9]*"},
    {"schema a;\nstruct A_B {}", "dir/a.vs:2:8: a type name 'A_B' must match [A-Z][A-Za-z0-9]*"},
    {"schema a;\nstruct A ;", "dir/a.vs:2:10: expected '{', found ';'"},
    {"schema a;\nstruct A {", "dir/a.vs:2:11: expected a field name, 'optional', 'reserved' or '}', found end of file"},
    {"schema a;\nstruct A { 1 }", "dir/a.vs:2:12: expected a field name, 'optional', 'reserved' or '}', found number 1"},
    {"schema a;\nstruct A { X: u8 = 1; }", "dir/a.vs:2:12: a field name 'X' must match [a-z][a-z0-9_]*"},
    {"schema a;\nstruct A { list: u8 = 1; }", "dir/a.vs:2:12: 'list' is a reserved word, not allowed as a field name"},
    {"schema a;\nstruct A { x u8 = 1; }", "dir/a.vs:2:14: expected ':', found 'u8'"},
    {"schema a;\nstruct A { x: = 1; }", "dir/a.vs:2:15: expected a type, found '='"},
    {"schema a;\nstruct A { x: u8; }", "dir/a.vs:2:17: expected '=' and a number, found ';'"},
    {"schema a;\nstruct A { x: u8 = y; }", "dir/a.vs:2:20: expected a field number, found 'y'"},
    {"schema a;\nstruct A { x: u8 = 0; }", "dir/a.vs:2:20: a field number must be between 1 and 536870911, found 0"},
    {"schema a;\nstruct A { x: u8 = 536870912; }", "dir/a.vs:2:20: a field number must be between 1 and 536870911, found 536870912"},
    {"schema a;\nstruct A { x: u8 = 1 }", "dir/a.vs:2:22: expected ';', found '}'"},
    {"schema a;\nstruct A { optional optional: u8 = 1; }", "dir/a.vs:2:21: 'optional' is a reserved word, not allowed as a field name"},
    {"schema a;\nenum E { a = 2147483648; }", "dir/a.vs:2:14: an enum value must be between 0 and 2147483647, found 2147483648"},
    {"schema a;\nenum E { a: u8 = 1; }", "dir/a.vs:2:11: expected '=', found ':'"},
    {"schema a;\nenum E { reserved = 1; }", "dir/a.vs:2:10: 'reserved' is a reserved word, not allowed as an enum value name"},
    {"schema a;\nunion U { optional a: u8 = 1; }", "dir/a.vs:2:11: 'optional' is a reserved word, not allowed as a variant name"},
    {"schema a;\nunion U { a: u8 = 0; }", "dir/a.vs:2:19: a variant number must be between 1 and 536870911, found 0"},
    /* types */
    {"schema a;\nstruct A { x: string = 1; }", "dir/a.vs:2:22: expected '<' after 'string', found '='"},
    {"schema a;\nstruct A { x: bytes<0> = 1; }", "dir/a.vs:2:21: the maximum length must be between 1 and 2147483647, found 0"},
    {"schema a;\nstruct A { x: string<2147483648> = 1; }", "dir/a.vs:2:22: the maximum length must be between 1 and 2147483647, found 2147483648"},
    {"schema a;\nstruct A { x: string<4 = 1; }", "dir/a.vs:2:24: expected '>', found '='"},
    {"schema a;\nstruct A { x: array<u8> = 1; }", "dir/a.vs:2:23: expected ',', found '>'"},
    {"schema a;\nstruct A { x: array<u8, 65537> = 1; }", "dir/a.vs:2:25: the array length must be between 1 and 65536, found 65537"},
    {"schema a;\nstruct A { x: list<u8, 0> = 1; }", "dir/a.vs:2:24: the maximum count must be between 1 and 2147483647, found 0"},
    {"schema a;\nstruct A { x: list<list<u8, 2>, 2> = 1; }", "dir/a.vs:2:20: an array or list cannot hold another array or list directly: wrap it in a struct"},
    {"schema a;\nstruct A { x: array<list<u8, 2>, 2> = 1; }", "dir/a.vs:2:21: an array or list cannot hold another array or list directly: wrap it in a struct"},
    {"schema a;\nstruct A { x: handle = 1; }", "dir/a.vs:2:22: expected '<' after 'handle', found '='"},
    {"schema a;\nstruct A { x: handle<> = 1; }", "dir/a.vs:2:22: expected an object kind (task, region, ring_tx, ring_rx, timer), found '>'"},
    {"schema a;\nstruct A { x: handle<file> = 1; }", "dir/a.vs:2:22: unknown object kind 'file' (expected task, region, ring_tx, ring_rx or timer)"},
    {"schema a;\nstruct A { x: handle<task, fly> = 1; }", "dir/a.vs:2:28: unknown right 'fly' (expected read, write, map, exec, send, recv, signal, wait, manage, duplicate or transfer)"},
    {"schema a;\nstruct A { x: handle<task, read|read> = 1; }", "dir/a.vs:2:33: right 'read' listed twice"},
    {"schema a;\nstruct A { x: handle<task, read; }", "dir/a.vs:2:32: expected '|' or '>', found ';'"},
    {"schema a;\nstruct A { x: handle<task; }", "dir/a.vs:2:26: expected ',' or '>', found ';'"},
    {"schema a;\nstruct A { x: handle<task,> = 1; }", "dir/a.vs:2:27: expected a right, found '>'"},
    {"schema a;\nstruct A { x: B. = 1; }", "dir/a.vs:2:18: expected a name after '.', found '='"},
    {"schema a;\nstruct A { x: struct = 1; }", "dir/a.vs:2:15: expected a type, found 'struct'"},
    /* reserved */
    {"schema a;\nstruct A { reserved; }", "dir/a.vs:2:20: expected a field number, found ';'"},
    {"schema a;\nstruct A { reserved 1 2; }", "dir/a.vs:2:23: expected ',' or ';', found number 2"},
    {"schema a;\nstruct A { reserved 1, 1; }", "dir/a.vs:2:24: number 1 reserved twice"},
    {"schema a;\nstruct A { reserved 1; reserved 2, 1; }", "dir/a.vs:2:36: number 1 reserved twice"},
    {"schema a;\nstruct A { x: u8 = 3; reserved 3; }", "dir/a.vs:2:12: field 'x' uses reserved number 3"},
    {"schema a;\nenum E { reserved 3; }", "dir/a.vs:2:10: 'reserved' is a reserved word, not allowed as an enum value name"},
    /* doc comments */
    {"schema a;\nstruct A {\n  x: u8 = 1;\n  /// dangling\n}", "dir/a.vs:4:3: a doc comment must come before a declaration, a field, an enum value or a variant"},
    {"schema a;\nstruct A { /// a\n reserved 1; }", "dir/a.vs:2:12: a doc comment must come before a declaration, a field, an enum value or a variant"},
    {"schema a;\n/// at the end\n", "dir/a.vs:2:1: a doc comment must come before a declaration, a field, an enum value or a variant"},
    {"schema a;\n/// doc\nimport \"b.vs\";", "dir/a.vs:2:1: a doc comment must come before a declaration, a field, an enum value or a variant"},
    /* checker */
    {"schema a;\nstruct A {}\nstruct A {}", "dir/a.vs:3:8: type 'A' already declared at 2:8"},
    {"schema a;\nstruct Ab {}\nenum AB { x = 1; }", "dir/a.vs:3:6: type 'AB' differs only in case from the type declared at 2:8"},
    {"schema a;\nstruct A { x: u8 = 1; x: u8 = 2; }", "dir/a.vs:2:23: field 'x' already declared at 2:12"},
    {"schema a;\nstruct A { x: u8 = 1; y: u8 = 1; }", "dir/a.vs:2:23: field 'y' has number 1, already used by 'x'"},
    {"schema a;\nenum E { a = 1; b = 1; }", "dir/a.vs:2:17: value 'b' has number 1, already used by 'a'"},
    {"schema a;\nunion U { a: u8 = 1; a: u16 = 2; }", "dir/a.vs:2:22: variant 'a' already declared at 2:11"},
    {"schema a;\nenum E {}", "dir/a.vs:2:6: enum 'E' has no values"},
    {"schema a;\nunion U {}", "dir/a.vs:2:7: union 'U' has no variants"},
    {"schema a;\nstruct A { x: B = 1; }", "dir/a.vs:2:15: unknown type 'B'"},
    {"schema a;\nstruct A { x: z.B = 1; }", "dir/a.vs:2:15: unknown schema 'z' in 'z.B' (not imported)"},
    {"schema a;\nimport \"b.vs\";\nstruct A { x: test.b.Nope = 1; }", "dir/a.vs:3:15: schema 'test.b' has no type 'Nope'"},
    {"schema a;\nstruct A { x: a.B = 1; }", "dir/a.vs:2:15: schema 'a' has no type 'B'"},
    {"schema a;\nstruct A { x: handle<task> = 1; }", "dir/a.vs:2:15: a handle in struct 'A': only messages may carry handles"},
    {"schema a;\nunion U { x: list<handle<task>, 2> = 1; }", "dir/a.vs:2:19: a handle in union 'U': only messages may carry handles"},
    {"schema a;\nmessage M { x: u8 = 1; }\nstruct A { m: M = 1; }", "dir/a.vs:3:15: message 'M' used in struct 'A': only messages may contain messages"},
    {"schema a;\nimport \"b.vs\";\nunion U { m: test.b.Msg = 1; }", "dir/a.vs:3:14: message 'Msg' used in union 'U': only messages may contain messages"},
    {"schema a;\nstruct A { a: A = 1; }", "dir/a.vs:2:15: type 'A' contains itself through 'A.a'"},
    {"schema a;\nstruct A { b: B = 1; }\nunion B { a: list<A, 2> = 1; }", "dir/a.vs:3:19: type 'A' contains itself through 'B.a'"},
    {"schema a;\nenum E { x = 0; X = 1; }", "dir/a.vs:2:17: an enum value name 'X' must match [a-z][a-z0-9_]*"},
    {"schema a;\nstruct A { for: u8 = 1; }", "dir/a.vs:2:12: 'for' is a C keyword and cannot be a name"},
    {"schema a;\nenum E { default = 0; }", "dir/a.vs:2:10: 'default' is a C keyword and cannot be a name"},
    {"schema a;\nunion U { int: u8 = 1; }", "dir/a.vs:2:11: 'int' is a C keyword and cannot be a name"},
    {"schema a;\nstruct A { optional x: u8 = 1; has_x: bool = 2; }", "dir/a.vs:2:32: field 'has_x' would clash with the presence flag of optional field 'x'"},
    {"schema a;\nstruct A { has_x: bool = 2; optional x: u8 = 1; }", "dir/a.vs:2:12: field 'has_x' would clash with the presence flag of optional field 'x'"},
    /* imports */
    {"schema a;\nimport \"nope.vs\";", "dir/a.vs:2:1: cannot read 'dir/nope.vs'"},
    {"schema a;\nimport \"c.vs\";", "dir/d.vs:2:1: import cycle: 'dir/c.vs' imports itself"},
    {"schema test.a;\nimport \"same.vs\";", "dir/a.vs:2:1: 'same.vs' declares schema 'test.a', the name of the importing schema"},
    {"schema a;\nimport \"b.vs\";\nimport \"b2.vs\";", "dir/a.vs:3:1: schema 'test.b' imported twice"},
    {"schema a;\nimport \"bad.vs\";", "dir/bad.vs:2:20: a field number must be between 1 and 536870911, found 0"},
    {NULL, NULL}};

V_TEST(vschema, every_error_message_and_position)
{
    char buf[VS_MAX_ERROR];
    for (const error_case *e = cases; e->src; e++) {
        const char *got = compile(e->src, buf, sizeof buf);
        if (strcmp(got, e->error) != 0)
            v_test_note(v_t, e->src);
        V_EXPECT_STR_EQ(got, e->error);
    }
}

V_TEST(vschema, accepts_valid_schemas)
{
    static const char *const ok[] = {
        "schema a;",
        "/// doc\nschema a.b.c2;\n",
        "schema a;\nimport \"b.vs\";\nimport \"e.vs\"; // from inc/\n"
        "struct A { x: test.b.Thing = 1; e: test.e.E = 2; }",
        "schema a;\nstruct A {}\nstruct B { a: A = 1; b: a.A = 2; }",
        "schema a;\nmessage M { h: handle<task> = 1; }\n"
        "message N { m: M = 1; ms: list<M, 2> = 2; }",
        "schema a;\nstruct A { optional: u8 = 1; reserved: u8 = 2; }",
        "schema a;\nstruct A { // comment\n  /// doc\n  // between\n  x: u8 = 1; }",
        "schema a;\nstruct A { x: array<array2, 1> = 1; }\nstruct Array2 {}",
        NULL};
    char buf[VS_MAX_ERROR];
    for (size_t i = 0; ok[i]; i++) {
        const char *got = compile(ok[i], buf, sizeof buf);
        if (i == 5 || i == 7)
            continue; /* checked below */
        V_EXPECT_STR_EQ(got, "");
    }
    /* 'optional' and 'reserved' stay reserved words even where the
     * grammar could tell them apart. */
    V_EXPECT_STR_EQ(compile(ok[5], buf, sizeof buf),
                    "dir/a.vs:2:20: expected a field name, found ':'");
    V_EXPECT_STR_EQ(compile(ok[7], buf, sizeof buf),
                    "dir/a.vs:2:21: unknown type 'array2'");
}

V_TEST(vschema, nesting_depth_is_bounded)
{
    /* 33 structs, each holding the next: values nest 33 deep. */
    char src[4096] = "schema a;\n";
    for (int i = 0; i < 33; i++) {
        char line[64];
        if (i < 32)
            snprintf(line, sizeof line, "struct S%d { x: S%d = 1; }\n", i,
                     i + 1);
        else
            snprintf(line, sizeof line, "struct S%d {}\n", i);
        strcat(src, line);
    }
    char buf[VS_MAX_ERROR];
    V_EXPECT_STR_EQ(compile(src, buf, sizeof buf),
                    "dir/a.vs:2:8: values of 'S0' nest more than 32 deep");
    /* One fewer is fine. */
    char *last = strstr(src, "struct S31");
    strcpy(last, "struct S31 {}\n");
    V_EXPECT_STR_EQ(compile(src, buf, sizeof buf), "");

    char deep[256] = "schema a;\nstruct A { x: ";
    V_EXPECT_STR_EQ(compile(strcat(deep, "list<u8, 1> = 1; }"), buf,
                            sizeof buf), "");
}

static char *canonical_of(const char *src, const char *type, char *buf,
                          size_t cap, uint64_t *id)
{
    vs_ctx c;
    vs_ctx_init(&c, mem_read, NULL);
    vs_schema *s;
    buf[0] = 0;
    if (vs_parse_text(&c, "dir/a.vs", src, strlen(src), &s) == 0) {
        const vs_decl *root = NULL;
        for (size_t i = 0; type && i < s->n_decls; i++)
            if (strcmp(s->decls[i]->name, type) == 0)
                root = s->decls[i];
        size_t len;
        char *text = vs_canonical(&c, s, root, &len);
        snprintf(buf, cap, "%.*s", (int)len, text);
        *id = vs_id(text, len);
    } else {
        snprintf(buf, cap, "%s", c.error);
    }
    vs_ctx_free(&c);
    return buf;
}

V_TEST(vschema, canonical_form)
{
    const char *src =
        "/// ignored\nschema x.y;\nimport \"b.vs\";\n"
        "union U { b: test.b.Thing = 2; a: list<string<3>,3> = 1; }\n"
        "// comments, order and reserved numbers do not matter\n"
        "struct S { reserved 9; optional s: string<5> = 3; e: E = 1; "
        "r: array<bytes<2>, 4> = 2; }\n"
        "enum E { z = 5; y = 0; }\n"
        "message M { h: handle<task,transfer|read> = 2; u: list<S, 2> = 1; }\n";
    char buf[1024];
    uint64_t id = 0, id2 = 0;
    V_EXPECT_STR_EQ(
        canonical_of(src, NULL, buf, sizeof buf, &id),
        "schema x.y\n"
        "struct test.b.Thing {1:x:i32;}\n"
        "enum x.y.E {y=0;z=5;}\n"
        "message x.y.M {1:u:list<x.y.S,2>;2:h:handle<task,read|transfer>;}\n"
        "struct x.y.S {1:e:x.y.E;2:r:array<bytes<2>,4>;3:s?:string<5>;}\n"
        "union x.y.U {1:a:list<string<3>,3>;2:b:test.b.Thing;}\n");
    /* The id is the first 8 bytes of BLAKE3, little-endian. */
    uint8_t h[32];
    v_blake3(buf, strlen(buf), h, sizeof h);
    uint64_t want = 0;
    for (int i = 7; i >= 0; i--)
        want = want << 8 | h[i];
    V_EXPECT_EQ(id, want);

    V_EXPECT_STR_EQ(canonical_of(src, "S", buf, sizeof buf, &id2),
                    "type x.y.S\n"
                    "enum x.y.E {y=0;z=5;}\n"
                    "struct x.y.S {1:e:x.y.E;2:r:array<bytes<2>,4>;"
                    "3:s?:string<5>;}\n");
    V_EXPECT_NE(id, id2);

    /* Reordering, comments and whitespace keep the id; a rename, a limit
     * or optionality change it. */
    const char *same =
        "schema x.y; import \"b.vs\";\nenum E { y = 0; z = 5; }\n"
        "message M { u: list<S,2> = 1; h: handle<task,read|transfer> = 2; }\n"
        "struct S { e: E = 1; r: array<bytes<2>,4> = 2; optional s: "
        "string<5> = 3; }\n"
        "union U { a: list<string<3>,3> = 1; b: test.b.Thing = 2; }\n";
    canonical_of(same, NULL, buf, sizeof buf, &id2);
    V_EXPECT_EQ(id2, id);
    static const char *const changes[][2] = {
        {"string<5>", "string<6>"}, {"optional s", "s"},
        {"z = 5", "w = 5"}, {"e: E = 1", "e: E = 4"}, {"read|", "write|"}};
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        char changed[1024];
        const char *at = strstr(same, changes[i][0]);
        V_ASSERT_NOT_NULL(at);
        snprintf(changed, sizeof changed, "%.*s%s%s", (int)(at - same), same,
                 changes[i][1], at + strlen(changes[i][0]));
        canonical_of(changed, NULL, buf, sizeof buf, &id2);
        V_EXPECT_NE(id2, id);
    }
}
