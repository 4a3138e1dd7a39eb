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

#include "all.h"
#include "value.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct counting {
    v_alloc base;
    size_t live;
} counting;

static v_status c_alloc(v_alloc *self, size_t size, size_t align, void **out)
{
    CHECK(size > 0 && align <= 16);
    *out = malloc(size);
    if (!*out)
        return V_ERR_NO_MEMORY;
    ((counting *)self)->live += size;
    return V_OK;
}

static v_status c_resize(v_alloc *self, void *p, size_t o, size_t n,
                         size_t align, void **out)
{
    (void)self; (void)p; (void)o; (void)n; (void)align; (void)out;
    CHECK(0); /* the decoders never resize */
    return V_ERR_NOT_SUPPORTED;
}

static void c_free(v_alloc *self, void *p, size_t size)
{
    if (!p)
        return;
    CHECK(((counting *)self)->live >= size);
    ((counting *)self)->live -= size;
    free(p);
}

static const v_alloc_ops ops = {c_alloc, c_resize, c_free};

typedef v_status (*enc_fn)(const void *v, void *buf, size_t cap,
                           size_t *len, v_encoding_error *err);
typedef v_status (*dec_fn)(const void *buf, size_t len, unsigned flags,
                           v_alloc *a, void *out, v_encoding_error *err);

typedef struct gen {
    const char *name;
    enc_fn enc[3];  /* by vs_format; NULL: no such form */
    dec_fn dec[3];
    void (*free)(v_alloc *a, void *v);
} gen;

#define TEXT(T)                                                           \
    {#T,                                                                  \
     {(enc_fn)vstest_all_##T##_encode, (enc_fn)vstest_all_##T##_encode_json, \
      (enc_fn)vstest_all_##T##_encode_msgpack},                           \
     {(dec_fn)vstest_all_##T##_decode, (dec_fn)vstest_all_##T##_decode_json, \
      (dec_fn)vstest_all_##T##_decode_msgpack},                           \
     (void (*)(v_alloc *, void *))vstest_all_##T##_free}

static const gen gens[] = {
    TEXT(Point), TEXT(Shape), TEXT(Scalars), TEXT(All),
    {"Transfer", {(enc_fn)vstest_all_Transfer_encode, NULL, NULL},
     {(dec_fn)vstest_all_Transfer_decode, NULL, NULL},
     (void (*)(v_alloc *, void *))vstest_all_Transfer_free},
};
#define N_GENS (sizeof gens / sizeof gens[0])

static const vs_decl *decls[N_GENS];

static void load(void)
{
    static vs_ctx c; /* kept for the decls, for the whole run */
    vs_schema *s;
    vs_ctx_init(&c, vs_read_file, NULL);
    if (vs_compile(&c, VCODEC_FUZZ_SCHEMA, &s) != 0) {
        fprintf(stderr, "%s\n", c.error);
        abort();
    }
    for (size_t i = 0; i < N_GENS; i++)
        CHECK((decls[i] = vs_value_find_decl(s, gens[i].name)) != NULL);
}

typedef union any {
    vstest_all_Transfer t;
    vstest_all_All a;
    vstest_all_Shape s;
} any;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t gout[1 << 16], iout[1 << 16];
    if (!decls[0])
        load();
    if (size == 0)
        return 0;
    unsigned pick = data[0];
    const gen *g = &gens[(pick >> 2) % N_GENS];
    const vs_decl *d = decls[(pick >> 2) % N_GENS];
    int f = (int)(pick & 3) % 3;
    unsigned flags = (pick >> 7) & 1;
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    if (!g->dec[f])
        f = VS_FORMAT_BINARY;

    counting ca = {{&ops}, 0};
    any gv;
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
