/* JSON conformance set, in the manner of JSONTestSuite: every input here
 * was written for Vectra. Categories:
 *   y_  RFC 8259 says it is JSON: must be accepted;
 *   n_  RFC 8259 says it is not: must be rejected;
 *   i_  the RFC leaves it to the implementation: `accept` records what
 *       Vectra does, and docs/encoding.md says why.
 * A case passes when parsing the whole input ends in V_ERR_END (accepted)
 * or in an error (rejected), as the table says. */
#include <v/encoding.h>
#include <v/mem.h>
#include <v/test.h>

#include "json_cases.h"

typedef json_conf_case conf_case;

static const v_json_limits conf_limits = {
    .max_input = 4096, .max_depth = 64, .max_string = 1024,
    .max_number = 512, .max_elements = 1024,
};

/* Parses a whole document: V_ERR_END when it is accepted. */
static v_status parse_all(const char *s, size_t len, v_json_reader *r)
{
    static v_json_frame stack[64]; /* test code: one test at a time */
    v_json_token t;
    v_status st = v_json_reader_init(r, s, len, &conf_limits, stack);
    if (st != V_OK)
        return st;
    while ((st = v_json_next(r, &t)) == V_OK)
        ;
    return st;
}

V_TEST(encoding, json_conformance_set)
{
    size_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < json_conf_case_count; i++) {
        const conf_case *c = &json_conf_cases[i];
        v_json_reader r;
        char tail[512]; /* input at the end: overreads trip ASan */
        V_ASSERT(c->len <= sizeof tail);
        v_mem_copy(tail + sizeof tail - c->len, c->input, c->len);
        v_status st = parse_all(tail + sizeof tail - c->len, c->len, &r);
        bool accepted = st == V_ERR_END;
        if (accepted != c->accept) {
            v_test_note(v_t, c->name);
            V_EXPECT_EQ(accepted, c->accept);
        }
        if (!accepted) {
            /* Every rejection says where and why. */
            V_EXPECT(st == V_ERR_MALFORMED || st == V_ERR_LIMIT);
            V_EXPECT_NOT_NULL(r.error.reason);
            V_EXPECT_LE(r.error.offset, c->len);
        }
        counts[c->cat == 'y' ? 0 : c->cat == 'n' ? 1 : 2]++;
        /* Names carry their category, so the table cannot drift. */
        V_EXPECT_EQ(c->name[0], c->cat);
    }
    V_EXPECT_GE(counts[0] + counts[1] + counts[2], 150);
    V_EXPECT_GE(counts[0], 40);
    V_EXPECT_GE(counts[1], 80);
    V_EXPECT_GE(counts[2], 15);
}

/* Every proper prefix of an accepted document is rejected: the parser
 * never takes a truncated document for a complete one, unless the prefix
 * is itself a complete number ("12" of "123"). */
V_TEST(encoding, json_conformance_prefixes_rejected)
{
    for (size_t i = 0; i < json_conf_case_count; i++) {
        const conf_case *c = &json_conf_cases[i];
        if (c->cat != 'y')
            continue;
        v_json_reader r;
        /* Each prefix sits at the very end of a stack array, so a read
         * past it is an ASan error, not a read of the rest of the case. */
        char tail[512];
        V_ASSERT(c->len <= sizeof tail);
        for (size_t k = 0; k < c->len; k++) {
            char *p = tail + sizeof tail - k;
            v_mem_copy(p, c->input, k);
            v_status st = parse_all(p, k, &r);
            if (st != V_ERR_END)
                continue;
            /* Accepted prefixes: a number cut inside its digits, or a
             * complete document followed only by whitespace. */
            bool ok = true;
            for (size_t j = k; j < c->len; j++) {
                char ch = c->input[j];
                if (!(ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' ||
                      (ch >= '0' && ch <= '9') || ch == 'e' || ch == 'E' ||
                      ch == '.' || ch == '+' || ch == '-'))
                    ok = false;
            }
            if (!ok)
                v_test_note(v_t, c->name);
            V_EXPECT(ok);
        }
    }
}
