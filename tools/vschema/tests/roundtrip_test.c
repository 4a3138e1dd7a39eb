/* Generated binary codecs (tools/vschema/tests/all.vs): round trips of
 * random values of every type, the canonical property under mutation
 * (every accepted input re-encodes to itself), each rejection with its
 * offset and reason, validate, encode's buffer handling, and cleanup on
 * allocation failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v/test.h>

#include "all.h"
#include "sample.h"

/* ---- one codec interface over the three top-level types ---- */

typedef struct codec {
    const char *name;
    size_t size;
    void (*make)(rng *r, void *v);
    v_status (*encode)(const void *v, void *buf, size_t cap, size_t *len,
                       v_encoding_error *err);
    v_status (*decode)(const void *buf, size_t len, unsigned flags,
                       v_alloc *a, void *out, v_encoding_error *err);
    void (*free)(v_alloc *a, void *v);
    bool (*equal)(const void *v, const void *w);
} codec;

static void make_shape(rng *r, void *v)
{
    *(vstest_all_Shape *)v = some_shape(r);
}
static void make_all(rng *r, void *v) { some_all(r, v); }
static void make_transfer(rng *r, void *v) { some_transfer(r, v); }

#define CODEC(T, make)                                                     \
    {#T, sizeof(vstest_all_##T), make,                                     \
     (v_status(*)(const void *, void *, size_t, size_t *,                  \
                  v_encoding_error *))vstest_all_##T##_encode,             \
     (v_status(*)(const void *, size_t, unsigned, v_alloc *, void *,       \
                  v_encoding_error *))vstest_all_##T##_decode,             \
     (void (*)(v_alloc *, void *))vstest_all_##T##_free,                   \
     (bool (*)(const void *, const void *))vstest_all_##T##_equal}

static const codec codecs[] = {
    CODEC(Shape, make_shape),
    CODEC(All, make_all),
    CODEC(Transfer, make_transfer),
};

enum { BUF = 4096 };

/* The canonical property for one input: accepted => re-encodes to itself.
 * With SKIP_UNKNOWN: accepted => its re-encoding decodes strictly to an
 * equal value. A rejection is MALFORMED with a reason and an offset
 * within the input. Nothing may stay allocated. Returns 1 (accepted),
 * 0 (rejected) or -1 (a property failed). */
static int check_input(const codec *c, const uint8_t *in, size_t n)
{
    test_alloc ta = ta_make();
    _Alignas(16) unsigned char val[sizeof(vstest_all_Transfer)];
    _Alignas(16) unsigned char again[sizeof(vstest_all_Transfer)];
    v_encoding_error err = {0, NULL};
    static uint8_t out[BUF];
    size_t len = 0;
    int accepted = 0;
    bool good = true;
    v_status s = c->decode(in, n, 0, &ta.base, val, &err);
    if (s == V_OK) {
        accepted = 1;
        good = c->encode(val, out, sizeof out, &len, NULL) == V_OK &&
               len == n && memcmp(out, in, n) == 0;
        c->free(&ta.base, val);
    } else {
        good = s == V_ERR_MALFORMED && err.reason && err.offset <= n;
    }
    s = c->decode(in, n, V_SCHEMA_SKIP_UNKNOWN, &ta.base, val, &err);
    if (s == V_OK) {
        good = good && c->encode(val, out, sizeof out, &len, NULL) == V_OK &&
               c->decode(out, len, 0, &ta.base, again, NULL) == V_OK &&
               c->equal(val, again);
        c->free(&ta.base, val);
        c->free(&ta.base, again);
    } else {
        good = good && !accepted;
    }
    good = good && ta.live_blocks == 0 && ta.live_bytes == 0;
    return good ? accepted : -1;
}

static bool count(v_test_ctx *v_t, int r, size_t *accepted, size_t *all,
                  const char *what, size_t at)
{
    (*all)++;
    if (r < 0) {
        char note[96];
        snprintf(note, sizeof note, "property failed: %s at %zu", what, at);
        v_test_note(v_t, note);
        V_EXPECT(r >= 0);
        return false;
    }
    *accepted += (size_t)r;
    return true;
}

V_TEST(vschema, round_trips_and_mutations_of_random_values)
{
    static uint8_t enc[BUF], mut[BUF + 1];
    size_t accepted_mutants = 0, mutants = 0;
    for (size_t ci = 0; ci < sizeof codecs / sizeof codecs[0]; ci++) {
        const codec *c = &codecs[ci];
        rng r = {0x9e3779b97f4a7c15u + ci, NULL};
        for (int iter = 0; iter < 60; iter++) {
            test_alloc ta = ta_make();
            r.a = &ta.base;
            _Alignas(16) unsigned char v[sizeof(vstest_all_Transfer)];
            _Alignas(16) unsigned char w[sizeof(vstest_all_Transfer)];
            c->make(&r, v);
            size_t len = 0, need = 0;
            V_ASSERT_OK(c->encode(v, NULL, 0, &need, NULL));
            V_ASSERT_OK(c->encode(v, enc, sizeof enc, &len, NULL));
            V_EXPECT_EQ(len, need);
            V_ASSERT_OK(c->decode(enc, len, 0, &ta.base, w, NULL));
            V_EXPECT(c->equal(v, w));
            c->free(&ta.base, w);
            c->free(&ta.base, v);
            V_EXPECT_EQ(ta.live_blocks, 0);

            V_EXPECT_EQ(check_input(c, enc, len), 1);
            /* Every truncation, byte change, insertion and deletion. */
            bool ok = true;
            for (size_t i = 0; ok && i <= len; i++) {
                ok = count(v_t, check_input(c, enc, i), &accepted_mutants,
                           &mutants, "truncation", i);
                static const uint8_t ins[] = {0x00, 0x80, 0x01};
                for (size_t k = 0; ok && k < sizeof ins; k++) {
                    memcpy(mut, enc, i);
                    mut[i] = ins[k];
                    memcpy(mut + i + 1, enc + i, len - i);
                    ok = count(v_t, check_input(c, mut, len + 1),
                               &accepted_mutants, &mutants, "insertion", i);
                }
                if (i == len)
                    break;
                static const uint8_t flips[] = {0x01, 0x80, 0x7f, 0xff};
                memcpy(mut, enc, len);
                for (size_t k = 0; ok && k < sizeof flips; k++) {
                    mut[i] = enc[i] ^ flips[k];
                    ok = count(v_t, check_input(c, mut, len),
                               &accepted_mutants, &mutants, "change", i);
                }
                memcpy(mut, enc, i);
                memcpy(mut + i, enc + i + 1, len - i - 1);
                ok = ok && count(v_t, check_input(c, mut, len - 1),
                                 &accepted_mutants, &mutants, "deletion", i);
            }
            if (!ok)
                return;
        }
    }
    /* Both outcomes must have happened, or the check proved little. */
    V_EXPECT_GT(accepted_mutants, 100);
    V_EXPECT_LT(accepted_mutants, mutants / 2);
}

/* ---- hand-made inputs: each rejection's offset and reason ---- */

typedef struct bad_case {
    int type;  /* 0 Point, 1 Shape, 2 Scalars, 3 Transfer, 4 Point with
                  V_SCHEMA_SKIP_UNKNOWN */
    const char *bytes;     /* hex */
    size_t offset;
    const char *reason;    /* NULL: must be accepted */
} bad_case;

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        unsigned v;
        sscanf(p, "%2x", &v);
        out[n++] = (uint8_t)v;
        p += 2;
    }
    return n;
}

/* Scalars with every field zero but for the hex given in the middle:
 * "F" marks where fields 10.. (f64 r, color) begin. */
#define SCALARS_HEAD "08 00 10 00 18 00 20 00 28 00 30 00 38 00 40 00 48 00 "
#define SCALARS_TAIL "51 0000000000000000 58 00"

static const bad_case bad_cases[] = {
    /* Point {x: i32 = 1; y: i32 = 2} */
    {0, "08 02 10 01", 0, NULL},
    {0, "08 82 00 10 01", 1, "varint not in its shortest form"},
    {0, "88 00 02 10 01", 0, "varint not in its shortest form"},
    {0, "10 01 08 02", 2, "field out of order or repeated"},
    {0, "08 02 08 02 10 01", 2, "field out of order or repeated"},
    {0, "08 02", 2, "missing required field y"},
    {0, "", 0, "missing required field x"},
    {0, "09 0000000000000000 10 01", 0, "wrong wire type for field"},
    {0, "0b", 0, "invalid wire type"},
    {0, "00", 0, "invalid field number"},
    {0, "08 02 10 01 18 05", 4, "unknown field"},
    {0, "08 02 10 01 00", 4, "invalid field number"},
    {0, "08 8080808010 10 01", 1, "integer out of range"},
    {0, "08 ffffffff0f 10 feffffff0f", 0, NULL},
    {0, "08", 1, "truncated varint"},
    {0, "08 80", 2, "truncated varint"},
    {0, "08 ffffffffffffffffff02 10 01", 1, "varint overflows 64 bits"},
    {4, "08 02 10 01 1a 05 aa", 5, "length runs past its container"},
    {4, "08 02 10 01 1a 01 aa", 0, NULL},
    {4, "08 02 10 01 19 aabb", 7, "truncated f64"},
    {4, "08 02 10 01 19 aabbccddeeff0011", 0, NULL},
    {4, "08 02 10 01 18 80", 6, "truncated varint"},
    /* Shape: a union */
    {1, "", 0, "union without a variant"},
    {1, "11 0000000000000000", 0, NULL},
    {1, "11 0000000000000080", 0, NULL}, /* -0.0 */
    {1, "11 000000000000f87f", 1, "NaN is not allowed"},
    {1, "11 010000000000f0ff", 1, "NaN is not allowed"},
    {1, "11 0000000000000000 1a 00", 9, "union with more than one variant"},
    {1, "38 00", 0, "unknown union variant"},
    {1, "1a 00", 0, NULL},
    {1, "1a 02 c3 28", 2, "invalid UTF-8"},
    {1, "1a 11 6161616161616161616161616161616161", 1,
     "string longer than its maximum"},
    {1, "1a 05 61", 1, "length runs past its container"},
    {1, "2a 06 05 01 01 01 01 01", 2, "list longer than its maximum"},
    {1, "2a 01 03", 2, "count exceeds the bytes that follow"},
    {1, "2a 03 01 05 00", 4, "bytes left over in a length"},
    {1, "2a 01 00", 0, NULL},
    {1, "2a 04 01 ffff07", 3, "integer out of range"},
    {1, "2a 04 01 ffff03", 0, NULL},
    {1, "2a 03 01 ffff03", 5, "truncated varint"},
    {1, "22 01 01", 2, "array count is not its length"},
    {1, "22 09 02 04 08 00 10 00 02 08 00", 11, "missing required field y"},
    {1, "22 0b 02 04 08 00 10 00 04 08 00 10 00", 0, NULL},
    {1, "22 0a 02 04 08 00 10 00 04 08 00 10 00", 8, "length runs past its container"},
    {1, "0a 04 08 00 10 00", 0, NULL},
    {1, "0a 05 08 00 10 00", 1, "length runs past its container"},
    {1, "0a 04 08 00 10 00 00", 6, "union with more than one variant"},
    {1, "0a 03 08 00 10", 5, "truncated varint"},
    {1, "32 00", 0, NULL},
    {1, "32 01 00", 2, "invalid field number"},
    {1, "30 00", 0, "wrong wire type for field"},
    /* Scalars */
    {2, SCALARS_HEAD SCALARS_TAIL, 0, NULL},
    {2, "08 02 10 00 18 00 20 00 28 00 30 00 38 00 40 00 48 00 "
        SCALARS_TAIL, 1, "bool is not 0 or 1"},
    {2, "08 00 10 8002 18 00 20 00 28 00 30 00 38 00 40 00 48 00 "
        SCALARS_TAIL, 3, "integer out of range"},
    {2, "08 00 10 ff01 18 00 20 00 28 00 30 00 38 00 40 00 48 00 "
        SCALARS_TAIL, 0, NULL},
    {2, SCALARS_HEAD "51 0000000000000000 58 02", 28, "unknown enum value"},
    {2, SCALARS_HEAD "51 0000000000000000 58 07", 0, NULL},
    {2, SCALARS_HEAD "51 0000000000000000", 27, "missing required field color"},
    /* Transfer: handle slots follow encoding order */
    {3, "08 01", 1, "handle slot out of order"},
    {3, "08 00 10 00", 3, "handle slot out of order"},
    {3, "08 00 10 01 1a 03 02 02 02", 8, "handle slot out of order"},
    {3, "08 00 10 01 1a 03 02 02 03", 9, "missing required field data"},
    {-1, NULL, 0, NULL}};

/* Whether a decode ended as a table row expects (to note only failures). */
static bool case_ok(v_status s, const v_encoding_error *err, size_t offset,
                    const char *reason)
{
    if (!reason)
        return s == V_OK;
    return s == V_ERR_MALFORMED && err->offset == offset && err->reason &&
           strcmp(err->reason, reason) == 0;
}

static v_status decode_by_type(int type, const uint8_t *in, size_t n,
                               unsigned flags, v_alloc *a, void *out,
                               v_encoding_error *err)
{
    switch (type) {
    case 0: return vstest_all_Point_decode(in, n, flags, a, out, err);
    case 4: return vstest_all_Point_decode(in, n, V_SCHEMA_SKIP_UNKNOWN, a,
                                           out, err);
    case 1: return vstest_all_Shape_decode(in, n, flags, a, out, err);
    case 2: return vstest_all_Scalars_decode(in, n, flags, a, out, err);
    default: return vstest_all_Transfer_decode(in, n, flags, a, out, err);
    }
}

static void free_by_type(int type, v_alloc *a, void *v)
{
    switch (type) {
    case 0: case 4: vstest_all_Point_free(a, v); break;
    case 1: vstest_all_Shape_free(a, v); break;
    case 2: vstest_all_Scalars_free(a, v); break;
    default: vstest_all_Transfer_free(a, v); break;
    }
}

V_TEST(vschema, rejects_each_non_canonical_input_with_offset_and_reason)
{
    for (const bad_case *b = bad_cases; b->type >= 0; b++) {
        uint8_t in[256];
        size_t n = unhex(b->bytes, in);
        test_alloc ta = ta_make();
        _Alignas(16) unsigned char v[sizeof(vstest_all_Transfer)];
        v_encoding_error err = {999, NULL};
        v_status s = decode_by_type(b->type, in, n, 0, &ta.base, v, &err);
        if (!case_ok(s, &err, b->offset, b->reason))
            v_test_note(v_t, b->bytes);
        if (!b->reason) {
            V_EXPECT_OK(s);
            free_by_type(b->type, &ta.base, v);
        } else {
            V_EXPECT_STATUS(s, V_ERR_MALFORMED);
            V_EXPECT_EQ(err.offset, b->offset);
            V_EXPECT_STR_EQ(err.reason ? err.reason : "(none)", b->reason);
        }
        V_EXPECT_EQ(ta.live_blocks, 0);
    }
}

V_TEST(vschema, unknown_fields_are_skipped_only_on_request)
{
    uint8_t in[64];
    size_t n = unhex("08 02 10 01 18 05 21 0102030405060708 2a 02 aabb "
                     "f8ffffff0f 7f", in);
    test_alloc ta = ta_make();
    vstest_all_Point p;
    v_encoding_error err;
    V_EXPECT_STATUS(vstest_all_Point_decode(in, n, 0, &ta.base, &p, &err),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(err.reason, "unknown field");
    V_EXPECT_EQ(err.offset, 4);
    V_ASSERT_OK(vstest_all_Point_decode(in, n, V_SCHEMA_SKIP_UNKNOWN,
                                        &ta.base, &p, &err));
    V_EXPECT_EQ(p.x, 1);
    V_EXPECT_EQ(p.y, -1);
    /* Still checked at the wire level, and still in ascending order. */
    n = unhex("08 02 10 01 2a 02 aabb 18 05", in);
    V_EXPECT_STATUS(vstest_all_Point_decode(in, n, V_SCHEMA_SKIP_UNKNOWN,
                                            &ta.base, &p, &err),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(err.reason, "field out of order or repeated");
    n = unhex("08 02 10 01 18 8000", in);
    V_EXPECT_STATUS(vstest_all_Point_decode(in, n, V_SCHEMA_SKIP_UNKNOWN,
                                            &ta.base, &p, &err),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(err.reason, "varint not in its shortest form");
    /* Unknown union variants are errors in every mode. */
    vstest_all_Shape sh;
    n = unhex("38 00", in);
    V_EXPECT_STATUS(vstest_all_Shape_decode(in, n, V_SCHEMA_SKIP_UNKNOWN,
                                            &ta.base, &sh, &err),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(err.reason, "unknown union variant");
    V_EXPECT_EQ(ta.live_blocks, 0);
}

/* ---- validate and encode ---- */

static void valid_all(vstest_all_All *v)
{
    memset(v, 0, sizeof *v);
    v->shape.tag = VSTEST_ALL_SHAPE_RADIUS;
    v->shape.u.radius = 1.5;
}

V_TEST(vschema, validate_reports_each_violation)
{
    vstest_all_All v;
    v_encoding_error err;
    valid_all(&v);
    V_EXPECT_OK(vstest_all_All_validate(&v, &err));

    v.name.ptr = "abc";
    v.name.len = 33;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "string longer than its maximum");
    v.name.ptr = NULL;
    v.name.len = 1;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "NULL pointer with a non-zero length");
    v.name.ptr = "\xc0\x80";
    v.name.len = 2;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "invalid UTF-8");
    valid_all(&v);
    v.blob.len = 9;
    v.blob.ptr = (const uint8_t *)"123456789";
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "bytes longer than their maximum");
    valid_all(&v);
    v.scalars.r = __builtin_nan("");
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "NaN is not allowed");
    valid_all(&v);
    v.scalars.color = (vstest_all_Color)2;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "unknown enum value");
    valid_all(&v);
    v.colors[1] = (vstest_all_Color)3;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "unknown enum value");
    valid_all(&v);
    v.shape.tag = 0;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "no union variant set");
    valid_all(&v);
    v.words.count = 5;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "list longer than its maximum");
    v.words.count = 1;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "NULL pointer with a non-zero length");
    valid_all(&v);
    v.has_note = true;
    v.note.ptr = "12345678901";
    v.note.len = 11;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, &err), V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "string longer than its maximum");
    v.has_note = false; /* absent: its value is not looked at */
    V_EXPECT_OK(vstest_all_All_validate(&v, NULL));
    double reals[1] = {__builtin_nan("")};
    v.reals.items = reals;
    v.reals.count = 1;
    V_EXPECT_STATUS(vstest_all_All_validate(&v, NULL), V_ERR_INVALID_ARGS);

    /* Handles: slots must be 0, 1, ... in encoding order. */
    vstest_all_Transfer t;
    memset(&t, 0, sizeof t);
    valid_all(&t.data);
    v_schema_handle more[2] = {{1}, {2}};
    t.more.items = more;
    t.more.count = 2;
    V_EXPECT_OK(vstest_all_Transfer_validate(&t, &err));
    t.has_region = true;
    V_EXPECT_STATUS(vstest_all_Transfer_validate(&t, &err),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(err.reason, "handle slot out of order");
    t.region.slot = 1;
    more[0].slot = 2;
    more[1].slot = 3;
    V_EXPECT_OK(vstest_all_Transfer_validate(&t, &err));
    t.ring.slot = 7;
    V_EXPECT_STATUS(vstest_all_Transfer_validate(&t, &err),
                    V_ERR_INVALID_ARGS);
    /* encode refuses what validate refuses. */
    uint8_t buf[256];
    size_t len = 99;
    V_EXPECT_STATUS(vstest_all_Transfer_encode(&t, buf, sizeof buf, &len,
                                               &err), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(len, 99);
    V_EXPECT_EQ(vstest_all_Transfer_ring_KIND, 3);
    V_EXPECT_EQ(vstest_all_Transfer_ring_RIGHTS, (1u << 4) | (1u << 10));
}

V_TEST(vschema, encode_sizes_and_buffer)
{
    vstest_all_Point p = {1, -1};
    uint8_t buf[8];
    size_t len = 0;
    v_encoding_error err;
    V_EXPECT_OK(vstest_all_Point_encode(&p, NULL, 0, &len, &err));
    V_EXPECT_EQ(len, 4);
    V_EXPECT_STATUS(vstest_all_Point_encode(&p, buf, 3, &len, &err),
                    V_ERR_TRUNCATED);
    V_EXPECT_EQ(len, 4);
    V_EXPECT_STR_EQ(err.reason, "buffer too small");
    V_EXPECT_STATUS(vstest_all_Point_encode(&p, NULL, 4, &len, &err),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_OK(vstest_all_Point_encode(&p, buf, 4, &len, &err));
    V_EXPECT_MEM_EQ(buf, "\x08\x02\x10\x01", 4);
    /* An empty struct encodes to nothing, and decodes from nothing. */
    vstest_all_Nothing none = {0};
    test_alloc ta = ta_make();
    V_EXPECT_OK(vstest_all_Nothing_encode(&none, buf, sizeof buf, &len,
                                          NULL));
    V_EXPECT_EQ(len, 0);
    V_EXPECT_OK(vstest_all_Nothing_decode(NULL, 0, 0, &ta.base, &none,
                                          NULL));
    V_EXPECT_STATUS(vstest_all_Nothing_decode(buf, 1, 0, NULL, &none, NULL),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vstest_all_Point_decode(NULL, 1, 0, &ta.base, &p, NULL),
                    V_ERR_INVALID_ARGS);
    /* i64 and u64 extremes. */
    vstest_all_Scalars s;
    memset(&s, 0, sizeof s);
    s.h = INT64_MIN;
    s.d = UINT64_MAX;
    s.r = -0.0;
    uint8_t big[64];
    V_ASSERT_OK(vstest_all_Scalars_encode(&s, big, sizeof big, &len, NULL));
    vstest_all_Scalars back;
    V_ASSERT_OK(vstest_all_Scalars_decode(big, len, 0, &ta.base, &back,
                                          NULL));
    V_EXPECT(vstest_all_Scalars_equal(&s, &back));
    back.r = 0.0;
    V_EXPECT(!vstest_all_Scalars_equal(&s, &back)); /* -0.0 is not 0.0 */
}

V_TEST(vschema, decode_frees_everything_when_allocation_fails)
{
    rng r = {12345, NULL};
    test_alloc gen = ta_make();
    r.a = &gen.base;
    vstest_all_Transfer t;
    static uint8_t enc[BUF];
    size_t len;
    bool saw_failure = false, saw_success = false;
    for (int iter = 0; iter < 20; iter++) {
        some_transfer(&r, &t);
        V_ASSERT_OK(vstest_all_Transfer_encode(&t, enc, sizeof enc, &len,
                                               NULL));
        for (long k = 0; k < 64; k++) {
            test_alloc ta = ta_make();
            ta.fail_after = k;
            vstest_all_Transfer out;
            v_encoding_error err = {0, NULL};
            v_status s = vstest_all_Transfer_decode(enc, len, 0, &ta.base,
                                                    &out, &err);
            if (s == V_OK) {
                saw_success = true;
                V_EXPECT(vstest_all_Transfer_equal(&t, &out));
                vstest_all_Transfer_free(&ta.base, &out);
                V_EXPECT_EQ(ta.live_blocks, 0);
                break;
            }
            saw_failure = true;
            V_EXPECT_STATUS(s, V_ERR_NO_MEMORY);
            V_EXPECT_STR_EQ(err.reason, "allocation failed");
            V_EXPECT_EQ(ta.live_blocks, 0);
            V_EXPECT_EQ(ta.live_bytes, 0);
        }
        vstest_all_Transfer_free(&gen.base, &t);
    }
    V_EXPECT(saw_failure && saw_success);
    V_EXPECT_EQ(gen.live_blocks, 0);
}

/* ---- msgpack ---- */

typedef v_status (*mp_encode_fn)(const void *v, void *buf, size_t cap,
                                 size_t *len, v_encoding_error *err);
typedef v_status (*mp_decode_fn)(const void *buf, size_t len,
                                 unsigned flags, v_alloc *a, void *out,
                                 v_encoding_error *err);

/* The document parses with the schema-less reader, to its end. */
static bool plain_msgpack(const uint8_t *buf, size_t len)
{
    v_msgpack_frame stack[16];
    v_msgpack_limits lim = {len, 16, len, len, true};
    v_msgpack_reader r;
    v_msgpack_token t;
    if (v_msgpack_reader_init(&r, buf, len, &lim, stack) != V_OK)
        return false;
    v_status s;
    while ((s = v_msgpack_next(&r, &t)) == V_OK) {
    }
    return s == V_ERR_END;
}

V_TEST(vschema, msgpack_round_trips_of_random_values)
{
    static uint8_t enc[BUF], enc2[BUF];
    for (int which = 0; which < 2; which++) {
        const codec *c = &codecs[which]; /* Shape, All */
        mp_encode_fn enc_mp = which == 0
            ? (mp_encode_fn)vstest_all_Shape_encode_msgpack
            : (mp_encode_fn)vstest_all_All_encode_msgpack;
        mp_decode_fn dec_mp = which == 0
            ? (mp_decode_fn)vstest_all_Shape_decode_msgpack
            : (mp_decode_fn)vstest_all_All_decode_msgpack;
        rng r = {777 + (uint64_t)which, NULL};
        for (int iter = 0; iter < 200; iter++) {
            test_alloc ta = ta_make();
            r.a = &ta.base;
            _Alignas(16) unsigned char v[sizeof(vstest_all_Transfer)];
            _Alignas(16) unsigned char w[sizeof(vstest_all_Transfer)];
            c->make(&r, v);
            size_t len = 0, len2 = 0;
            v_encoding_error err = {0, NULL};
            v_status s = enc_mp(v, enc, sizeof enc, &len, &err);
            /* Infinities are values in msgpack too; only the writer's
             * own refusals would fail here. */
            V_ASSERT_OK(s);
            V_EXPECT(plain_msgpack(enc, len));
            V_ASSERT_OK(dec_mp(enc, len, 0, &ta.base, w, &err));
            V_EXPECT(c->equal(v, w));
            V_ASSERT_OK(enc_mp(w, enc2, sizeof enc2, &len2, NULL));
            V_EXPECT(len == len2 && memcmp(enc, enc2, len) == 0);
            /* Every truncation is rejected with a reason. */
            for (size_t i = 0; i < len; i++) {
                _Alignas(16) unsigned char x[sizeof(vstest_all_Transfer)];
                err.reason = NULL;
                V_EXPECT_STATUS(dec_mp(enc, i, 0, &ta.base, x, &err),
                                V_ERR_MALFORMED);
                V_EXPECT_NOT_NULL(err.reason);
            }
            c->free(&ta.base, w);
            c->free(&ta.base, v);
            V_EXPECT_EQ(ta.live_blocks, 0);
        }
    }
}

typedef struct mp_case {
    int type;           /* 0 Point, 1 Shape, 2 Scalars */
    const char *bytes;
    size_t offset;
    const char *reason; /* NULL: accepted */
} mp_case;

static const mp_case mp_cases[] = {
    {0, "82 a178 01 a179 ff", 0, NULL},
    {0, "82 a179 ff a178 01", 0, NULL},             /* any key order */
    {0, "82 a178 cc01 a179 d0ff", 0, NULL},         /* non-minimal ints */
    {0, "83 a178 01 a179 ff a178 02", 7, "duplicate field"},
    {0, "81 a178 01", 0, "missing required field y"},
    {0, "83 a178 01 a179 ff a17a 00", 7, "unknown field"},
    {0, "82 01 01 a179 ff", 1, "expected a field name"},
    {0, "82 a178 c3 a179 ff", 3, "expected an integer"},
    {0, "82 a178 ce80000000 a179 ff", 3, "integer out of range"},
    {0, "82 a178 d280000000 a179 ff", 0, NULL},     /* INT32_MIN */
    {0, "92 01 02", 0, "expected a map"},
    {0, "82 a178 01 a179 ff c0", 7, "trailing bytes after the document"},
    {0, "82 a178 01 a179", 6, "unexpected end of input"},
    {1, "81 a6726164697573 cb3ff8000000000000", 0, NULL},
    {1, "81 a6726164697573 ca3fc00000", 0, NULL},   /* float32 widens */
    {1, "81 a6726164697573 01", 8, "expected a float"},
    {1, "81 a6726164697573 cb7ff8000000000000", 8, "NaN is not allowed"},
    {1, "82 a3646f74 80 a46e6f6e65 80", 0, "expected a map of one variant"},
    {1, "81 a3626f78 80", 1, "unknown union variant"},
    {1, "81 a56c6162656c a3616263", 0, NULL},
    {1, "81 a56c6162656c c403616263", 7, "expected a str"},
    {1, "81 a56c6162656c b1 6161616161616161616161616161616161", 7,
     "string longer than its maximum"},
    {1, "81 a46d616e79 95 0101010101", 6, "list longer than its maximum"},
    {1, "81 a46d616e79 93 01 02 cdffff", 0, NULL},
    {1, "81 a46d616e79 91 ce00010000", 7, "integer out of range"},
    {1, "81 a7636f726e657273 91 82 a178 00 a179 00", 9,
     "array count is not its length"},
    {1, "81 a7636f726e657273 c0", 9, "expected an array"},
    {2, "8b a4666c6167 c3 a161 00 a162 00 a163 00 a164 00 a165 00 a166 00"
        " a167 00 a168 00 a172 cb0000000000000000 a5636f6c6f72 a4626c7565",
     0, NULL},
    {2, "8b a4666c6167 c3 a161 00 a162 00 a163 00 a164 00 a165 00 a166 00"
        " a167 00 a168 00 a172 cb0000000000000000 a5636f6c6f72 a470696e6b",
     48, "unknown enum value"},
    {2, "8b a4666c6167 01 a161 00 a162 00 a163 00 a164 00 a165 00 a166 00"
        " a167 00 a168 00 a172 cb0000000000000000 a5636f6c6f72 a4626c7565",
     6, "expected a bool"},
    {-1, NULL, 0, NULL}};

V_TEST(vschema, msgpack_rejections_with_offset_and_reason)
{
    for (const mp_case *m = mp_cases; m->type >= 0; m++) {
        uint8_t in[256];
        size_t n = unhex(m->bytes, in);
        test_alloc ta = ta_make();
        _Alignas(16) unsigned char v[sizeof(vstest_all_All)];
        v_encoding_error err = {999, NULL};
        v_status s;
        if (m->type == 0)
            s = vstest_all_Point_decode_msgpack(in, n, 0, &ta.base,
                                                (void *)v, &err);
        else if (m->type == 1)
            s = vstest_all_Shape_decode_msgpack(in, n, 0, &ta.base,
                                                (void *)v, &err);
        else
            s = vstest_all_Scalars_decode_msgpack(in, n, 0, &ta.base,
                                                  (void *)v, &err);
        if (!case_ok(s, &err, m->offset, m->reason))
            v_test_note(v_t, m->bytes);
        if (!m->reason) {
            V_EXPECT_OK(s);
            if (m->type == 1)
                vstest_all_Shape_free(&ta.base, (void *)v);
        } else {
            V_EXPECT_STATUS(s, V_ERR_MALFORMED);
            V_EXPECT_EQ(err.offset, m->offset);
            V_EXPECT_STR_EQ(err.reason ? err.reason : "(none)", m->reason);
        }
        V_EXPECT_EQ(ta.live_blocks, 0);
    }
    /* Known bytes out: the smallest forms, fields in number order. */
    vstest_all_Point p = {1, -1};
    uint8_t out[16], want[16];
    size_t len;
    V_ASSERT_OK(vstest_all_Point_encode_msgpack(&p, out, sizeof out, &len,
                                                NULL));
    V_EXPECT_EQ(len, unhex("82 a178 01 a179 ff", want));
    V_EXPECT_MEM_EQ(out, want, 7);
    v_encoding_error err;
    V_EXPECT_STATUS(vstest_all_Point_encode_msgpack(&p, out, 6, &len, &err),
                    V_ERR_TRUNCATED);
    V_EXPECT_STR_EQ(err.reason, "buffer too small");
    /* Unknown keys are skipped on request. */
    test_alloc ta = ta_make();
    size_t n = unhex("83 a178 01 a17a 92 01 02 a179 ff", want);
    V_EXPECT_OK(vstest_all_Point_decode_msgpack(want, n,
                                                V_SCHEMA_SKIP_UNKNOWN,
                                                &ta.base, &p, NULL));
    V_EXPECT_EQ(p.y, -1);
}

/* ---- JSON ---- */

static bool plain_json(const uint8_t *buf, size_t len)
{
    v_json_frame stack[16];
    v_json_limits lim = {len, 16, len, len, len};
    v_json_reader r;
    v_json_token t;
    if (v_json_reader_init(&r, buf, len, &lim, stack) != V_OK)
        return false;
    v_status s;
    while ((s = v_json_next(&r, &t)) == V_OK) {
    }
    return s == V_ERR_END;
}

V_TEST(vschema, json_round_trips_of_random_values)
{
    static uint8_t enc[BUF * 4], enc2[BUF * 4];
    size_t infinities = 0, done = 0;
    for (int which = 0; which < 2; which++) {
        const codec *c = &codecs[which]; /* Shape, All */
        mp_encode_fn enc_js = which == 0
            ? (mp_encode_fn)vstest_all_Shape_encode_json
            : (mp_encode_fn)vstest_all_All_encode_json;
        mp_decode_fn dec_js = which == 0
            ? (mp_decode_fn)vstest_all_Shape_decode_json
            : (mp_decode_fn)vstest_all_All_decode_json;
        rng r = {4242 + (uint64_t)which, NULL};
        for (int iter = 0; iter < 200; iter++) {
            test_alloc ta = ta_make();
            r.a = &ta.base;
            _Alignas(16) unsigned char v[sizeof(vstest_all_Transfer)];
            _Alignas(16) unsigned char w[sizeof(vstest_all_Transfer)];
            c->make(&r, v);
            size_t len = 0, len2 = 0;
            v_encoding_error err = {0, NULL};
            v_status s = enc_js(v, enc, sizeof enc, &len, &err);
            if (s == V_ERR_INVALID_ARGS) {
                /* JSON has no infinities; nothing else may fail. */
                V_EXPECT_STR_EQ(err.reason, "infinity has no JSON form");
                infinities++;
                c->free(&ta.base, v);
                continue;
            }
            V_ASSERT_OK(s);
            done++;
            V_EXPECT(plain_json(enc, len));
            V_ASSERT_OK(dec_js(enc, len, 0, &ta.base, w, &err));
            V_EXPECT(c->equal(v, w));
            V_ASSERT_OK(enc_js(w, enc2, sizeof enc2, &len2, NULL));
            V_EXPECT(len == len2 && memcmp(enc, enc2, len) == 0);
            for (size_t i = 0; i < len; i++) {
                _Alignas(16) unsigned char x[sizeof(vstest_all_Transfer)];
                err.reason = NULL;
                V_EXPECT_STATUS(dec_js(enc, i, 0, &ta.base, x, &err),
                                V_ERR_MALFORMED);
                V_EXPECT_NOT_NULL(err.reason);
                V_EXPECT_LE(err.offset, i);
            }
            c->free(&ta.base, w);
            c->free(&ta.base, v);
            V_EXPECT_EQ(ta.live_blocks, 0);
        }
    }
    V_EXPECT_GT(done, 300);
    V_EXPECT_GT(infinities, 0);
}

typedef struct json_case {
    int type;           /* 0 Point, 1 Shape, 2 All (bytes, enums) */
    const char *text;
    size_t offset;
    const char *reason; /* NULL: accepted */
} json_case;

static const json_case json_cases[] = {
    {0, "{\"x\":1,\"y\":-1}", 0, NULL},
    {0, " { \"y\" : -1 ,\n \"x\" : 1 } ", 0, NULL},
    {0, "{\"\\u0078\":1,\"y\":-1}", 0, NULL},          /* escaped key */
    {0, "{\"x\":1,\"y\":-1,\"x\":2}", 14, "duplicate field"},
    {0, "{\"x\":1}", 0, "missing required field y"},
    {0, "{\"x\":1,\"y\":-1,\"z\":[1,{}]}", 14, "unknown field"},
    {0, "{\"x\":true,\"y\":-1}", 5, "expected an integer"},
    {0, "{\"x\":1.0,\"y\":-1}", 5, "expected an integer"},
    {0, "{\"x\":2147483648,\"y\":-1}", 5, "integer out of range"},
    {0, "{\"x\":-2147483648,\"y\":-1}", 0, NULL},
    {0, "[1,2]", 0, "expected an object"},
    {0, "{\"x\":1,\"y\":-1} x", 15, "trailing characters after the document"},
    {0, "{\"x\":1,\"y\":-1,}", 14, "trailing comma before '}'"},
    {1, "{\"radius\":1.5}", 0, NULL},
    {1, "{\"radius\":-0}", 0, NULL},
    {1, "{\"radius\":1e400}", 10, "number out of range"},
    {1, "{\"radius\":\"1\"}", 10, "expected a number"},
    {1, "{}", 1, "union without a variant"},
    {1, "{\"dot\":{\"x\":0,\"y\":0},\"none\":{}}", 21,
     "union with more than one variant"},
    {1, "{\"box\":{}}", 1, "unknown union variant"},
    {1, "{\"label\":\"h\\u00e9llo\"}", 0, NULL},
    {1, "{\"label\":\"aaaaaaaaaaaaaaaaa\"}", 9, "string longer than its maximum"},
    {1, "{\"many\":[1,2,3,4,5]}", 8, "list longer than its maximum"},
    {1, "{\"many\":[1,65536]}", 11, "integer out of range"},
    {1, "{\"many\":[]}", 0, NULL},
    {1, "{\"many\":7}", 8, "expected an array"},
    {1, "{\"corners\":[{\"x\":0,\"y\":0}]}", 11, "array count is not its length"},
    {1, "{\"corners\":[{\"x\":0,\"y\":0},{\"x\":1,\"y\":2}]}", 0, NULL},
    {-1, NULL, 0, NULL}};

V_TEST(vschema, json_rejections_with_offset_and_reason)
{
    for (const json_case *j = json_cases; j->type >= 0; j++) {
        size_t n = strlen(j->text);
        test_alloc ta = ta_make();
        _Alignas(16) unsigned char v[sizeof(vstest_all_All)];
        v_encoding_error err = {999, NULL};
        v_status s;
        if (j->type == 0)
            s = vstest_all_Point_decode_json(j->text, n, 0, &ta.base,
                                             (void *)v, &err);
        else
            s = vstest_all_Shape_decode_json(j->text, n, 0, &ta.base,
                                             (void *)v, &err);
        if (!case_ok(s, &err, j->offset, j->reason))
            v_test_note(v_t, j->text);
        if (!j->reason) {
            V_EXPECT_OK(s);
            if (j->type == 1)
                vstest_all_Shape_free(&ta.base, (void *)v);
        } else {
            V_EXPECT_STATUS(s, V_ERR_MALFORMED);
            V_EXPECT_EQ(err.offset, j->offset);
            V_EXPECT_STR_EQ(err.reason ? err.reason : "(none)", j->reason);
        }
        V_EXPECT_EQ(ta.live_blocks, 0);
    }
    /* Canonical output, and bytes as arrays of 0..255. */
    vstest_all_Point p = {1, -1};
    char out[64];
    size_t len;
    V_ASSERT_OK(vstest_all_Point_encode_json(&p, out, sizeof out, &len,
                                             NULL));
    V_EXPECT_EQ(len, 14);
    V_EXPECT_MEM_EQ(out, "{\"x\":1,\"y\":-1}", 14);
    vstest_part_Part part = {7, {(const uint8_t *)"\x00\xff", 2}};
    V_ASSERT_OK(vstest_part_Part_encode_json(&part, out, sizeof out, &len,
                                             NULL));
    V_EXPECT_EQ(len, 22);
    V_EXPECT_MEM_EQ(out, "{\"id\":7,\"tag\":[0,255]}", 22);
    test_alloc ta = ta_make();
    v_encoding_error err;
    static const char *const bad_bytes[] = {
        "{\"id\":7,\"tag\":[256]}", "{\"id\":7,\"tag\":[1,2,3,4,5]}",
        "{\"id\":7,\"tag\":\"00ff\"}", "{\"id\":7,\"tag\":[-1]}"};
    static const char *const why[] = {
        "expected a byte (0 to 255)", "bytes longer than their maximum",
        "expected an array of bytes", "expected a byte (0 to 255)"};
    for (size_t i = 0; i < 4; i++) {
        V_EXPECT_STATUS(vstest_part_Part_decode_json(
                            bad_bytes[i], strlen(bad_bytes[i]), 0, &ta.base,
                            &part, &err), V_ERR_MALFORMED);
        V_EXPECT_STR_EQ(err.reason, why[i]);
    }
    V_EXPECT_EQ(ta.live_blocks, 0);
    /* Enum names. */
    vstest_all_Scalars sc;
    memset(&sc, 0, sizeof sc);
    sc.color = VSTEST_ALL_COLOR_BLUE;
    char big[512];
    V_ASSERT_OK(vstest_all_Scalars_encode_json(&sc, big, sizeof big, &len,
                                               NULL));
    V_EXPECT(len > 14 && memcmp(big + len - 15, "\"color\":\"blue\"}", 15) ==
                             0);
    V_EXPECT_STATUS(vstest_all_Point_encode_json(&p, out, 5, &len, &err),
                    V_ERR_TRUNCATED);
    /* Unknown members are skipped on request. */
    const char *extra = "{\"x\":1,\"q\":{\"a\":[1,2,{}]},\"y\":-1}";
    V_EXPECT_OK(vstest_all_Point_decode_json(extra, strlen(extra),
                                             V_SCHEMA_SKIP_UNKNOWN, &ta.base,
                                             &p, NULL));
    V_EXPECT_EQ(p.y, -1);
}

V_TEST(vschema, text_decoders_free_everything_when_allocation_fails)
{
    rng r = {99, NULL};
    test_alloc gen = ta_make();
    r.a = &gen.base;
    static uint8_t mp[BUF];
    static char js[BUF * 4];
    size_t mp_len, js_len;
    size_t failures = 0;
    for (int iter = 0; iter < 30; iter++) {
        vstest_all_All v;
        some_all(&r, &v);
        v.scalars.r = 0.5; /* JSON has no infinities */
        for (size_t i = 0; i < v.reals.count; i++)
            v.reals.items[i] = 0.25;
        if (v.shape.tag == VSTEST_ALL_SHAPE_RADIUS)
            v.shape.u.radius = 1;
        for (size_t i = 0; i < v.shapes.count; i++)
            if (v.shapes.items[i].tag == VSTEST_ALL_SHAPE_RADIUS)
                v.shapes.items[i].u.radius = 2;
        V_ASSERT_OK(vstest_all_All_encode_msgpack(&v, mp, sizeof mp, &mp_len,
                                                  NULL));
        V_ASSERT_OK(vstest_all_All_encode_json(&v, js, sizeof js, &js_len,
                                               NULL));
        for (int format = 0; format < 2; format++) {
            for (long k = 0; k < 64; k++) {
                test_alloc ta = ta_make();
                ta.fail_after = k;
                vstest_all_All out;
                v_encoding_error err = {0, NULL};
                v_status s = format == 0
                    ? vstest_all_All_decode_msgpack(mp, mp_len, 0, &ta.base,
                                                    &out, &err)
                    : vstest_all_All_decode_json(js, js_len, 0, &ta.base,
                                                 &out, &err);
                if (s == V_OK) {
                    V_EXPECT(vstest_all_All_equal(&v, &out));
                    vstest_all_All_free(&ta.base, &out);
                    V_EXPECT_EQ(ta.live_blocks, 0);
                    break;
                }
                failures++;
                V_EXPECT_STATUS(s, V_ERR_NO_MEMORY);
                V_EXPECT_STR_EQ(err.reason, "allocation failed");
                V_EXPECT_EQ(ta.live_blocks, 0);
            }
        }
        vstest_all_All_free(&gen.base, &v);
    }
    V_EXPECT_GT(failures, 30);
    V_EXPECT_EQ(gen.live_blocks, 0);
}
