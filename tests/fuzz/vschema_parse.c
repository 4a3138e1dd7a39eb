/* Fuzz target: the vschema parser and checker over arbitrary text.
 *
 * The input is the file "fuzz.vs"; it may import "b.vs" (a fixed small
 * schema) and nothing else. Invariants: an error names a file and a
 * line:column inside that file (column at most one past the line's end);
 * nothing leaks (every allocation belongs to the context); a schema that
 * compiles has a printable canonical form that is the same when computed
 * twice, fields sorted by strictly ascending number, and a second
 * compilation of the same text gives the same id. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vschema.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char b_vs[] =
    "schema b;\nstruct T { x: u8 = 1; }\nenum E { a = 0; }\n"
    "message M { h: handle<task> = 1; }\n";

static int read_b(void *ctx, const char *path, char **out, size_t *len)
{
    (void)ctx;
    if (strcmp(path, "b.vs") != 0)
        return -1;
    *len = sizeof b_vs - 1;
    *out = malloc(sizeof b_vs);
    memcpy(*out, b_vs, sizeof b_vs);
    return 0;
}

/* Checks "FILE:L:C: " against the text the error points into. */
static void check_position(const char *err, const char *text, size_t len)
{
    const char *name = "fuzz.vs:";
    if (strncmp(err, "b.vs:", 5) == 0) {
        text = b_vs;
        len = sizeof b_vs - 1;
        name = "b.vs:";
    }
    CHECK(strncmp(err, name, strlen(name)) == 0);
    unsigned line = 0, col = 0;
    CHECK(sscanf(err + strlen(name), "%u:%u: ", &line, &col) == 2);
    CHECK(line >= 1 && col >= 1);
    size_t start = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(text + start, '\n', len - start);
        CHECK(nl != NULL);
        start = (size_t)(nl - text) + 1;
    }
    const char *nl = memchr(text + start, '\n', len - start);
    size_t line_len = nl ? (size_t)(nl - text) - start : len - start;
    CHECK(col <= line_len + 1);
}

static uint64_t compile_once(const uint8_t *data, size_t size, bool *ok)
{
    vs_ctx c;
    vs_ctx_init(&c, read_b, NULL);
    vs_schema *s;
    uint64_t id = 0;
    *ok = vs_parse_text(&c, "fuzz.vs", (const char *)data, size, &s) == 0;
    if (!*ok) {
        check_position(c.error, (const char *)data, size);
    } else {
        size_t len, len2;
        const char *canon = vs_canonical(&c, s, NULL, &len);
        const char *again = vs_canonical(&c, s, NULL, &len2);
        CHECK(len == len2 && memcmp(canon, again, len) == 0);
        for (size_t i = 0; i < len; i++)
            CHECK(canon[i] == '\n' || (canon[i] >= 0x20 && canon[i] < 0x7f));
        id = vs_id(canon, len);
        for (size_t i = 0; i < s->n_decls; i++) {
            const vs_decl *d = s->decls[i];
            for (size_t j = 1; j < d->n_fields; j++)
                CHECK(d->sorted[j - 1]->number < d->sorted[j]->number);
            size_t tlen;
            const char *tc = vs_canonical(&c, s, d, &tlen);
            CHECK(tlen > 5 && memcmp(tc, "type ", 5) == 0);
        }
    }
    vs_ctx_free(&c);
    return id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool ok, ok2;
    uint64_t id = compile_once(data, size, &ok);
    uint64_t id2 = compile_once(data, size, &ok2);
    CHECK(ok == ok2 && id == id2);
    return 0;
}
