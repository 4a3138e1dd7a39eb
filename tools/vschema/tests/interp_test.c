/* The schema interpreter (value.h) against the code generated from the
 * same schema (tests/all.vs): for every type and all three formats,
 * - encoding a value gives the generated encoder's bytes exactly;
 * - the interpreter decodes what the generated encoders write, and what
 *   it decodes the generated decoders read back as the same value;
 * - on every mutation of those encodings both decoders come to the same
 *   verdict, with the same offset and reason, and re-encode what they
 *   accept to the same bytes;
 * and its own rejections, encode errors and allocation failures. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v/test.h>

#include "all.h"
#include "sample.h"
#include "value.h"

#define SCHEMA_FILE "tools/vschema/tests/all.vs"

/* ---- the compiled schema, once ---- */

static vs_ctx the_ctx;
static vs_schema *the_schema;

static const vs_decl *decl(const char *name)
{
    if (!the_schema) {
        vs_ctx_init(&the_ctx, vs_read_file, NULL);
        if (vs_compile(&the_ctx, SCHEMA_FILE, &the_schema) != 0) {
            fprintf(stderr, "%s\n", the_ctx.error);
            abort();
        }
    }
    const vs_decl *d = vs_value_find_decl(the_schema, name);
    if (!d)
        abort();
    return d;
}

/* ---- the generated codecs of each top-level type, behind one shape ---- */

typedef v_status (*enc_fn)(const void *v, void *buf, size_t cap,
                           size_t *len, v_encoding_error *err);
typedef v_status (*dec_fn)(const void *buf, size_t len, unsigned flags,
                           v_alloc *a, void *out, v_encoding_error *err);

typedef struct gen_codec {
    const char *name;  /* as vcodec --type takes it */
    void (*make)(rng *r, void *v);
    enc_fn enc[3];     /* by vs_format; NULL: no such form */
    dec_fn dec[3];
    void (*free)(v_alloc *a, void *v);
    bool (*equal)(const void *v, const void *w);
} gen_codec;

static void make_point(rng *r, void *v)
{
    *(vstest_all_Point *)v = some_point(r);
}
static void make_nothing(rng *r, void *v)
{
    (void)r;
    memset(v, 0, sizeof(vstest_all_Nothing));
}
static void make_shape(rng *r, void *v)
{
    *(vstest_all_Shape *)v = some_shape(r);
}
static void make_scalars(rng *r, void *v)
{
    *(vstest_all_Scalars *)v = some_scalars(r);
}
static void make_all(rng *r, void *v) { some_all(r, v); }
static void make_transfer(rng *r, void *v) { some_transfer(r, v); }
static void make_part(rng *r, void *v)
{
    vstest_part_Part *p = v;
    p->id = (uint32_t)some_u64(r);
    p->tag = some_bytes(r, 4);
}

#define FN(P, T, f) (P##_##T##_##f)
#define TEXT_CODEC(P, T, name, make)                                        \
    {name, make,                                                            \
     {(enc_fn)FN(P, T, encode), (enc_fn)FN(P, T, encode_json),             \
      (enc_fn)FN(P, T, encode_msgpack)},                                    \
     {(dec_fn)FN(P, T, decode), (dec_fn)FN(P, T, decode_json),             \
      (dec_fn)FN(P, T, decode_msgpack)},                                    \
     (void (*)(v_alloc *, void *))FN(P, T, free),                           \
     (bool (*)(const void *, const void *))FN(P, T, equal)}

static const gen_codec codecs[] = {
    TEXT_CODEC(vstest_all, Point, "Point", make_point),
    TEXT_CODEC(vstest_all, Nothing, "Nothing", make_nothing),
    TEXT_CODEC(vstest_all, Shape, "Shape", make_shape),
    TEXT_CODEC(vstest_all, Scalars, "Scalars", make_scalars),
    TEXT_CODEC(vstest_all, All, "All", make_all),
    TEXT_CODEC(vstest_part, Part, "vstest.part.Part", make_part),
    {"Transfer", make_transfer,
     {(enc_fn)vstest_all_Transfer_encode, NULL, NULL},
     {(dec_fn)vstest_all_Transfer_decode, NULL, NULL},
     (void (*)(v_alloc *, void *))vstest_all_Transfer_free,
     (bool (*)(const void *, const void *))vstest_all_Transfer_equal},
};
#define N_CODECS (sizeof codecs / sizeof codecs[0])

static const char *const format_names[] = {"binary", "json", "msgpack"};

enum { BUF = 16384 };
/* Storage for a value of any of the generated types. */
typedef union value_buf {
    vstest_all_Transfer t;
    vstest_all_All a;
    max_align_t align;
} value_buf;

/* ---- byte-identical encodings, and both round trips ---- */

V_TEST(vschema, interp_encodes_every_type_as_the_generated_code_does)
{
    static uint8_t gen_out[BUF], int_out[BUF], again[BUF];
    for (size_t ci = 0; ci < N_CODECS; ci++) {
        const gen_codec *c = &codecs[ci];
        const vs_decl *d = decl(c->name);
        rng r = {0x51ed2701u + ci, NULL};
        for (int iter = 0; iter < 40; iter++) {
            test_alloc ta = ta_make();
            value_buf v, w;
            r.a = &ta.base;
            c->make(&r, &v);
            size_t blen = 0, len = 0, ilen = 0;
            static uint8_t bin[BUF];
            V_ASSERT_OK(c->enc[0](&v, bin, sizeof bin, &blen, NULL));
            vs_value iv;
            vs_value_error e;
            V_ASSERT_OK(vs_value_decode(d, VS_FORMAT_BINARY, bin, blen, 0,
                                        &ta.base, &iv, &e));
            for (int f = 0; f < 3; f++) {
                if (!c->enc[f]) {
                    V_EXPECT(!vs_value_has_format(d, (vs_format)f));
                    continue;
                }
                /* Same verdict, same bytes (JSON has no infinities). */
                v_status gs = c->enc[f](&v, gen_out, sizeof gen_out, &len,
                                        NULL);
                v_status is = vs_value_encode(d, (vs_format)f, &iv, int_out,
                                              sizeof int_out, NULL, &ilen,
                                              &e);
                V_EXPECT_EQ(gs, is);
                if (gs != V_OK || is != V_OK) {
                    V_EXPECT_EQ(gs, V_ERR_INVALID_ARGS);
                    V_EXPECT_EQ(f, VS_FORMAT_JSON);
                    V_EXPECT_STR_EQ(e.reason, "infinity has no JSON form");
                    continue;
                }
                if (!V_EXPECT_EQ(len, ilen) ||
                    !V_EXPECT_MEM_EQ(gen_out, int_out, len))
                    return;
                /* The interpreter reads the generated text, writes binary,
                 * and the generated decoder gets the value back. */
                vs_value tv;
                size_t alen = 0;
                V_ASSERT_OK(vs_value_decode(d, (vs_format)f, gen_out, len, 0,
                                            &ta.base, &tv, &e));
                V_ASSERT_OK(vs_value_encode(d, VS_FORMAT_BINARY, &tv, again,
                                            sizeof again, NULL, &alen, &e));
                V_EXPECT_EQ(alen, blen);
                V_ASSERT_OK(c->dec[0](again, alen, 0, &ta.base, &w, NULL));
                if (!V_EXPECT(c->equal(&v, &w)))
                    return;
                c->free(&ta.base, &w);
                vs_value_free(d, &ta.base, &tv);
            }
            /* The binary size alone, as the generated encode gives it. */
            V_ASSERT_OK(vs_value_encode(d, VS_FORMAT_BINARY, &iv, NULL, 0,
                                        NULL, &ilen, &e));
            V_EXPECT_EQ(ilen, blen);
            vs_value_free(d, &ta.base, &iv);
            c->free(&ta.base, &v);
            V_EXPECT_EQ(ta.live_blocks, 0);
            V_EXPECT_EQ(ta.live_bytes, 0);
        }
    }
}

/* ---- differential decoding of mutated inputs ---- */

/* Decodes in[0..n) with both; 1 accepted, 0 rejected (alike), -1 they
 * disagree (described in why). */
static int compare(const gen_codec *c, int f, const uint8_t *in, size_t n,
                   unsigned flags, char *why, size_t why_len)
{
    static uint8_t gen_out[BUF], int_out[BUF];
    const vs_decl *d = decl(c->name);
    test_alloc ta = ta_make();
    value_buf gv;
    vs_value iv;
    v_encoding_error ge = {0, NULL};
    vs_value_error ie = {0, ""};
    v_status gs = c->dec[f](in, n, flags, &ta.base, &gv, &ge);
    v_status is = vs_value_decode(d, (vs_format)f, in, n, flags, &ta.base,
                                  &iv, &ie);
    int verdict = gs == V_OK;
    if (gs != is) {
        snprintf(why, why_len, "status %d vs %d (%s / %s)", gs, is,
                 ge.reason ? ge.reason : "-", ie.reason);
        verdict = -1;
    } else if (gs != V_OK) {
        if (!ge.reason || strcmp(ge.reason, ie.reason) != 0 ||
            ge.offset != ie.offset) {
            snprintf(why, why_len, "'%s' at %zu vs '%s' at %zu",
                     ge.reason ? ge.reason : "-", ge.offset, ie.reason,
                     ie.offset);
            verdict = -1;
        }
    } else {
        size_t glen = 0, ilen = 0;
        v_status ges = c->enc[f](&gv, gen_out, sizeof gen_out, &glen, NULL);
        v_status ies = vs_value_encode(d, (vs_format)f, &iv, int_out,
                                       sizeof int_out, NULL, &ilen, &ie);
        if (ges != ies || (ges == V_OK && (glen != ilen ||
                                           memcmp(gen_out, int_out, glen)))) {
            snprintf(why, why_len, "re-encodings differ");
            verdict = -1;
        }
        c->free(&ta.base, &gv);
        vs_value_free(d, &ta.base, &iv);
    }
    if (ta.live_blocks || ta.live_bytes) {
        snprintf(why, why_len, "%zu blocks left allocated", ta.live_blocks);
        verdict = -1;
    }
    return verdict;
}

/* Bytes worth inserting or substituting, per format: ones that change
 * varints and keys (binary), structure (JSON), and type bytes (msgpack). */
static const uint8_t mut_bin[] = {0x00, 0x01, 0x80, 0x7f, 0xff, 0x0a};
static const uint8_t mut_json[] = {' ', '0', '1', '-', '"', ',', ':', ']',
                                   '}', '[', '{', 'e', '.', '\\', 'x'};
static const uint8_t mut_mp[] = {0x00, 0x7f, 0x80, 0x81, 0x90, 0xa1, 0xc0,
                                 0xc1, 0xc2, 0xcb, 0xcc, 0xd9, 0xdc, 0xff};

V_TEST(vschema, interp_and_generated_decoders_agree_on_every_mutation)
{
    static uint8_t enc[BUF], mut[BUF + 1];
    size_t inputs = 0, accepted = 0;
    char why[160];
    for (size_t ci = 0; ci < N_CODECS; ci++) {
        const gen_codec *c = &codecs[ci];
        for (int f = 0; f < 3; f++) {
            if (!c->enc[f])
                continue;
            const uint8_t *subs = f == 0 ? mut_bin : f == 1 ? mut_json
                                                            : mut_mp;
            size_t n_subs = f == 0 ? sizeof mut_bin
                            : f == 1 ? sizeof mut_json : sizeof mut_mp;
            rng r = {0xabcdef12u + ci * 3 + (unsigned)f, NULL};
            for (int iter = 0; iter < 6; iter++) {
                test_alloc ta = ta_make();
                value_buf v;
                size_t len = 0;
                r.a = &ta.base;
                c->make(&r, &v);
                v_status s = c->enc[f](&v, enc, sizeof enc, &len, NULL);
                c->free(&ta.base, &v);
                if (s != V_OK)
                    continue; /* an infinity, in JSON */
                for (size_t i = 0; i <= len; i++) {
                    for (int k = -2; k < (int)n_subs; k++) {
                        size_t n;
                        if (k == -2) { /* truncated */
                            n = i;
                            memcpy(mut, enc, n);
                        } else if (k == -1) { /* one byte deleted */
                            if (i == len)
                                continue;
                            memcpy(mut, enc, i);
                            memcpy(mut + i, enc + i + 1, len - i - 1);
                            n = len - 1;
                        } else if (i == len || (i + k) % 2) { /* insert */
                            memcpy(mut, enc, i);
                            mut[i] = subs[k];
                            memcpy(mut + i + 1, enc + i, len - i);
                            n = len + 1;
                        } else { /* substitute */
                            memcpy(mut, enc, len);
                            mut[i] = subs[k];
                            n = len;
                        }
                        for (unsigned flags = 0; flags < 2; flags++) {
                            int got = compare(c, f, mut, n, flags, why,
                                              sizeof why);
                            inputs++;
                            if (got < 0) {
                                char note[300];
                                snprintf(note, sizeof note,
                                         "%s %s, mutation %d at %zu, flags "
                                         "%u: %s", c->name, format_names[f],
                                         k, i, flags, why);
                                v_test_note(v_t, note);
                                V_EXPECT(got >= 0);
                                return;
                            }
                            accepted += (size_t)got;
                        }
                    }
                }
            }
        }
    }
    /* Both verdicts must have been common, or the comparison proved
     * little. */
    V_EXPECT_GT(accepted, 1000);
    V_EXPECT_LT(accepted, inputs / 2);
}

/* ---- hand-made inputs: each rejection's offset and reason ---- */

typedef struct interp_case {
    const char *type;
    vs_format format;
    unsigned flags;
    const char *input;  /* hex for binary and msgpack, text for JSON */
    size_t offset;
    const char *reason; /* NULL: accepted */
} interp_case;

#define BIN VS_FORMAT_BINARY
#define JSON VS_FORMAT_JSON
#define MP VS_FORMAT_MSGPACK

static const interp_case interp_cases[] = {
    /* binary: Point {x: 1, y: -2} is 08 02 10 03 */
    {"Point", BIN, 0, "08021003", 0, NULL},
    {"Point", BIN, 0, "080210", 3, "truncated varint"},
    {"Point", BIN, 0, "0802", 2, "missing required field y"},
    {"Point", BIN, 0, "0802100300", 4, "invalid field number"},
    {"Point", BIN, 0, "1003", 2, "missing required field x"},
    {"Point", BIN, 0, "10030802", 2, "field out of order or repeated"},
    {"Point", BIN, 0, "8800021003", 0, "varint not in its shortest form"},
    {"Point", BIN, 0, "088200", 1, "varint not in its shortest form"},
    {"Point", BIN, 0, "0b021003", 0, "invalid wire type"},
    {"Point", BIN, 0, "0902", 0, "wrong wire type for field"},
    {"Point", BIN, 0, "08feffffff1f", 1, "integer out of range"},
    {"Point", BIN, 0, "08021003180a", 4, "unknown field"},
    {"Point", BIN, 1, "08021003180a", 0, NULL},
    {"Point", BIN, 1, "080210031a0201", 5, "length runs past its container"},
    {"Point", BIN, 0, "08ffffffffffffffffff02", 1, "varint overflows 64 bits"},
    /* Shape: a union; 3 label, 2 radius, 5 many, 4 corners */
    {"Shape", BIN, 0, "", 0, "union without a variant"},
    {"Shape", BIN, 0, "3a00", 0, "unknown union variant"},
    {"Shape", BIN, 0, "1a0161", 0, NULL},
    {"Shape", BIN, 0, "1a01611a0162", 3, "union with more than one variant"},
    {"Shape", BIN, 0, "1a02c328", 2, "invalid UTF-8"},
    {"Shape", BIN, 0, "1a11616161616161616161616161616161616161", 1,
     "string longer than its maximum"},
    {"Shape", BIN, 0, "11000000000000f87f", 1, "NaN is not allowed"},
    {"Shape", BIN, 0, "110000", 3, "truncated f64"},
    {"Shape", BIN, 0, "2a020500", 2, "list longer than its maximum"},
    {"Shape", BIN, 0, "2a020203", 2, "count exceeds the bytes that follow"},
    {"Shape", BIN, 0, "2a03010102", 4, "bytes left over in a length"},
    {"Shape", BIN, 0, "220101", 2, "array count is not its length"},
    {"Shape", BIN, 0, "2a03018000", 3, "varint not in its shortest form"},
    /* Scalars: flag 2 is no bool; color 3 is not declared */
    {"Scalars", BIN, 0, "0802", 1, "bool is not 0 or 1"},
    {"Scalars", BIN, 0, "08011000180020002800300038004000480051000000000000"
                        "00005803", 28, "unknown enum value"},
    /* Transfer: handle slots in encoding order */
    {"Transfer", BIN, 0, "0801", 1, "handle slot out of order"},
    /* JSON */
    {"Point", JSON, 0, "{\"x\":1,\"y\":-2}", 0, NULL},
    {"Point", JSON, 0, " { \"y\" : -2 , \"\\u0078\" : 1 } ", 0, NULL},
    {"Point", JSON, 0, "{\"x\":1,\"y\":-2} x", 15,
     "trailing characters after the document"},
    {"Point", JSON, 0, "{\"x\":1,\"y\":-2}{}", 14,
     "trailing characters after the document"},
    {"Point", JSON, 0, "{\"x\":1,\"y\":", 11, "unexpected end of input"},
    {"Point", JSON, 0, "{\"x\":1}", 0, "missing required field y"},
    {"Point", JSON, 0, "{\"x\":1,\"x\":1,\"y\":2}", 7, "duplicate field"},
    {"Point", JSON, 0, "{\"x\":\"1\",\"y\":2}", 5, "expected an integer"},
    {"Point", JSON, 0, "{\"x\":1.0,\"y\":2}", 5, "expected an integer"},
    {"Point", JSON, 0, "{\"x\":2147483648,\"y\":2}", 5,
     "integer out of range"},
    {"Point", JSON, 0, "{\"x\":1,\"y\":2,\"z\":3}", 13, "unknown field"},
    {"Point", JSON, 1, "{\"x\":1,\"y\":2,\"z\":[[{}]]}", 0, NULL},
    {"Point", JSON, 0, "[1,2]", 0, "expected an object"},
    {"Shape", JSON, 0, "{}", 1, "union without a variant"},
    {"Shape", JSON, 0, "{\"oval\":1}", 1, "unknown union variant"},
    {"Shape", JSON, 0, "{\"radius\":1,\"label\":\"a\"}", 12,
     "union with more than one variant"},
    {"Shape", JSON, 0, "{\"radius\":1e999}", 10, "number out of range"},
    {"Shape", JSON, 0, "{\"many\":[1,2,3,4,5]}", 8,
     "list longer than its maximum"},
    {"Shape", JSON, 0, "{\"corners\":[{\"x\":1,\"y\":2}]}", 11,
     "array count is not its length"},
    {"Shape", JSON, 0, "{\"label\":\"aaaaaaaaaaaaaaaaa\"}", 9,
     "string longer than its maximum"},
    {"Scalars", JSON, 0, "{\"flag\":1}", 8, "expected true or false"},
    /* msgpack: Point {x: 1, y: -2} is 82 a1 78 01 a1 79 fe */
    {"Point", MP, 0, "82a17801a179fe", 0, NULL},
    {"Point", MP, 0, "82a17801a179d0fe", 0, NULL}, /* non-minimal int */
    {"Point", MP, 0, "82a17801a179", 6, "unexpected end of input"},
    {"Point", MP, 0, "82a17801a179fec0", 7,
     "trailing bytes after the document"},
    {"Point", MP, 0, "82a17801a179a0", 6, "expected an integer"},
    {"Point", MP, 0, "82a17801a179cf0000000100000000", 6,
     "integer out of range"},
    {"Point", MP, 0, "8201a179fe", 1, "expected a field name"},
    {"Point", MP, 0, "81a17801", 0, "missing required field y"},
    {"Point", MP, 0, "83a17801a179fea17a01", 7, "unknown field"},
    {"Shape", MP, 0, "82a16401a16501", 0, "expected a map of one variant"},
    {"Shape", MP, 0, "81a47a7a7a7a01", 1, "unknown union variant"},
    {"Shape", MP, 0, "81a6726164697573cb7ff8000000000000", 8,
     "NaN is not allowed"},
};

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned b;
        sscanf(hex, "%2x", &b);
        out[n++] = (uint8_t)b;
    }
    return n;
}

V_TEST(vschema, interp_rejects_each_bad_input_with_offset_and_reason)
{
    for (size_t i = 0; i < sizeof interp_cases / sizeof interp_cases[0];
         i++) {
        const interp_case *k = &interp_cases[i];
        static uint8_t in[256];
        size_t n;
        if (k->format == JSON) {
            n = strlen(k->input);
            memcpy(in, k->input, n);
        } else {
            n = unhex(k->input, in);
        }
        test_alloc ta = ta_make();
        vs_value v;
        vs_value_error e = {0, ""};
        const vs_decl *d = decl(k->type);
        v_status s = vs_value_decode(d, k->format, in, n, k->flags, &ta.base,
                                     &v, &e);
        char note[200];
        snprintf(note, sizeof note, "case %zu (%s %s '%s'): got '%s' at %zu",
                 i, k->type, format_names[k->format], k->input, e.reason,
                 e.offset);
        v_test_note(v_t, note);
        if (k->reason == NULL) {
            V_EXPECT_OK(s);
            vs_value_free(d, &ta.base, &v);
        } else {
            V_EXPECT_STATUS(s, V_ERR_MALFORMED);
            V_EXPECT_STR_EQ(e.reason, k->reason);
            V_EXPECT_EQ(e.offset, k->offset);
        }
        V_EXPECT_EQ(ta.live_blocks, 0);
    }
}

/* ---- encoding errors, lookups, allocation failures ---- */

V_TEST(vschema, interp_encode_refuses_invalid_values_and_small_buffers)
{
    test_alloc ta = ta_make();
    const vs_decl *shape = decl("Shape"), *point = decl("Point");
    vs_value v;
    vs_value_error e;
    uint8_t in[16], out[64];
    size_t len = 0;
    /* {radius: inf} decodes from binary; JSON cannot write it. */
    size_t n = unhex("11000000000000f07f", in);
    V_ASSERT_OK(vs_value_decode(shape, BIN, in, n, 0, &ta.base, &v, &e));
    V_EXPECT_STATUS(vs_value_encode(shape, JSON, &v, out, sizeof out, NULL,
                                    &len, &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "infinity has no JSON form");
    V_EXPECT_OK(vs_value_encode(shape, MP, &v, out, sizeof out, NULL, &len,
                                &e));
    V_EXPECT_EQ(len, 17); /* 81, a6 "radius", cb and 8 bytes */
    /* Buffers one byte short, in every format. */
    for (int f = 0; f < 3; f++) {
        if (f == JSON)
            continue;
        V_ASSERT_OK(vs_value_encode(shape, (vs_format)f, &v, out, sizeof out,
                                    NULL, &len, &e));
        V_EXPECT_STATUS(vs_value_encode(shape, (vs_format)f, &v, out,
                                        len - 1, NULL, &len, &e),
                        V_ERR_TRUNCATED);
        V_EXPECT_STR_EQ(e.reason, "buffer too small");
    }
    /* An invalid value: no variant, a variant out of range, NaN. */
    uint32_t tag = v.tag;
    v.tag = 0;
    V_EXPECT_STATUS(vs_value_encode(shape, BIN, &v, out, sizeof out, NULL,
                                    &len, &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "no union variant set");
    v.tag = 99;
    V_EXPECT_STATUS(vs_value_validate(shape, &v, &e), V_ERR_INVALID_ARGS);
    v.tag = tag;
    ((vs_value *)v.ptr)->n.f = __builtin_nan("");
    V_EXPECT_STATUS(vs_value_validate(shape, &v, &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "NaN is not allowed");
    vs_value_free(shape, &ta.base, &v);
    V_EXPECT(v.ptr == NULL);

    /* Point: an i32 out of range, a required field absent. */
    n = unhex("08021003", in);
    V_ASSERT_OK(vs_value_decode(point, BIN, in, n, 0, &ta.base, &v, &e));
    vs_value *f = v.ptr;
    f[0].n.i = INT64_C(1) << 40;
    V_EXPECT_STATUS(vs_value_validate(point, &v, &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "integer out of range");
    f[0].n.i = 1;
    f[1].present = false;
    V_EXPECT_STATUS(vs_value_validate(point, &v, &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "required field not present");
    f[1].present = true;
    V_EXPECT_OK(vs_value_validate(point, &v, &e));
    vs_value_free(point, &ta.base, &v);
    V_EXPECT_EQ(ta.live_blocks, 0);
}

V_TEST(vschema, interp_formats_and_lookups)
{
    test_alloc ta = ta_make();
    vs_value v;
    vs_value_error e;
    const vs_decl *transfer = decl("Transfer");
    V_EXPECT(vs_value_has_format(transfer, BIN));
    V_EXPECT(!vs_value_has_format(transfer, JSON));
    V_EXPECT(!vs_value_has_format(transfer, MP));
    V_EXPECT_STATUS(vs_value_decode(transfer, JSON, "{}", 2, 0, &ta.base, &v,
                                    &e), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(e.reason, "a message has only the binary form");
    const vs_decl *color = decl("vstest.all.Color");
    V_EXPECT(!vs_value_has_format(color, BIN));
    V_EXPECT_STATUS(vs_value_decode(color, BIN, "", 0, 0, &ta.base, &v, &e),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vs_value_decode(decl("Point"), BIN, NULL, 1, 0,
                                    &ta.base, &v, &e), V_ERR_INVALID_ARGS);
    /* Imported types go by their qualified name only. */
    V_EXPECT(vs_value_find_decl(the_schema, "Part") == NULL);
    V_EXPECT(vs_value_find_decl(the_schema, "Nope") == NULL);
    V_EXPECT(vs_value_find_decl(the_schema, "vstest.all.Point") ==
             decl("Point"));
    /* The depths the generated code declares. */
    V_EXPECT_EQ(vs_value_tree_depth(decl("All")), vstest_all_All_TREE_DEPTH);
    V_EXPECT_EQ(vs_value_json_depth(decl("All")), vstest_all_All_JSON_DEPTH);
    V_EXPECT_EQ(vs_value_json_depth(decl("Shape")),
                vstest_all_Shape_JSON_DEPTH);
}

/* Every allocation of a decode failing in turn: NO_MEMORY, nothing left
 * allocated, the value zeroed; then the decode that succeeds. */
V_TEST(vschema, interp_decode_frees_everything_when_allocation_fails)
{
    static uint8_t enc[BUF];
    const gen_codec *c = &codecs[4]; /* All */
    const vs_decl *d = decl(c->name);
    rng r = {77, NULL};
    test_alloc mk = ta_make();
    value_buf v;
    r.a = &mk.base;
    c->make(&r, &v);
    for (int f = 0; f < 3; f++) {
        size_t len = 0;
        if (c->enc[f](&v, enc, sizeof enc, &len, NULL) != V_OK)
            continue;
        long k = 0;
        for (;; k++) {
            test_alloc ta = ta_make();
            vs_value iv;
            vs_value_error e;
            ta.fail_after = k;
            v_status s = vs_value_decode(d, (vs_format)f, enc, len, 0,
                                         &ta.base, &iv, &e);
            if (s == V_OK) {
                vs_value_free(d, &ta.base, &iv);
                V_EXPECT_EQ(ta.live_blocks, 0);
                break;
            }
            V_EXPECT_STATUS(s, V_ERR_NO_MEMORY);
            V_EXPECT_EQ(ta.live_blocks, 0);
            V_EXPECT(iv.ptr == NULL);
            if (s != V_ERR_NO_MEMORY)
                break;
        }
        V_EXPECT_GT(k, 5);
    }
    c->free(&mk.base, &v);
}
