/* Fuzz target: the schema interpreter's three decoders (tools/vschema/
 * value.h), differentially against the code generated from the same
 * schema (tools/vschema/tests/all.vs, compiled at the first input; its
 * path is baked in at build time as VCODEC_FUZZ_SCHEMA).
 *
 * The first byte picks the type, the format (binary, JSON, msgpack) and
 * whether unknown fields are skipped. Invariants: both decoders give the
 * same status, and on failure the same offset and reason; on success the
 * interpreter's value validates, re-encodes in every format to the bytes
 * the generated encoder writes for its own value, and without skipping a
 * binary input re-encodes to exactly itself; nothing stays allocated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_codecs.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const vs_decl *decls[FUZZ_N_CODECS];

static void load(void)
{
    static vs_ctx c; /* kept for the decls, for the whole run */
    vs_schema *s;
    vs_ctx_init(&c, vs_read_file, NULL);
    if (vs_compile(&c, VCODEC_FUZZ_SCHEMA, &s) != 0) {
        fprintf(stderr, "%s\n", c.error);
        abort();
    }
    for (size_t i = 0; i < FUZZ_N_CODECS; i++)
        CHECK((decls[i] = vs_value_find_decl(s, fuzz_codecs[i].name)) !=
              NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t gout[1 << 16], iout[1 << 16];
    if (!decls[0])
        load();
    if (size == 0)
        return 0;
    unsigned pick = data[0];
    const fuzz_codec *g = &fuzz_codecs[(pick >> 2) % FUZZ_N_CODECS];
    const vs_decl *d = decls[(pick >> 2) % FUZZ_N_CODECS];
    int f = (int)(pick & 3) % 3;
    unsigned flags = (pick >> 7) & 1;
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    if (!g->dec[f])
        f = VS_FORMAT_BINARY;

    fuzz_alloc ca = fuzz_alloc_make();
    fuzz_value gv;
    vs_value iv;
    v_encoding_error ge = {0, NULL};
    vs_value_error ie;
    v_status gs = g->dec[f](in, n, flags, &ca.base, &gv, &ge);
    v_status is = vs_value_decode(d, (vs_format)f, in, n, flags, &ca.base,
                                  &iv, &ie);
    CHECK(gs == is);
    if (gs != V_OK) {
        CHECK(ge.reason && strcmp(ge.reason, ie.reason) == 0);
        CHECK(ge.offset == ie.offset && ie.offset <= n);
        CHECK(ca.live == 0);
        return 0;
    }
    CHECK(vs_value_validate(d, &iv, &ie) == V_OK);
    for (int to = 0; to < 3; to++) {
        size_t glen = 0, ilen = 0;
        if (!g->enc[to])
            continue;
        v_status ges = g->enc[to](&gv, gout, sizeof gout, &glen, NULL);
        v_status ies = vs_value_encode(d, (vs_format)to, &iv, iout,
                                       sizeof iout, NULL, &ilen, &ie);
        CHECK(ges == ies);
        if (ges == V_OK)
            CHECK(glen == ilen && memcmp(gout, iout, glen) == 0);
        if (to == VS_FORMAT_BINARY && f == VS_FORMAT_BINARY && !flags)
            CHECK(ilen == n && memcmp(iout, in, n) == 0);
    }
    g->free(&ca.base, &gv);
    vs_value_free(d, &ca.base, &iv);
    CHECK(ca.live == 0);
    return 0;
}
