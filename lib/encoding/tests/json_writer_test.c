/* The JSON writer: canonical bytes, structure checks, buffer and sink
 * output, and what it refuses. */
#include <v/encoding.h>
#include <v/mem.h>
#include <v/test.h>

#define EXPECT_OUT(w, buf, want)                                          \
    do {                                                                  \
        size_t n_ = 0;                                                    \
        V_EXPECT_OK(v_json_writer_finish(&(w), &n_));                     \
        V_EXPECT_EQ(n_, sizeof(want) - 1);                                \
        V_EXPECT_MEM_EQ(buf, want, sizeof(want) - 1);                     \
    } while (0)

V_TEST(encoding, json_writer_document)
{
    char buf[256];
    v_json_frame stack[4];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 4));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_key(&w, "a", 1));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_i64(&w, INT64_MIN));
    V_EXPECT_OK(v_json_write_i64(&w, 0));
    V_EXPECT_OK(v_json_write_u64(&w, UINT64_MAX));
    V_EXPECT_OK(v_json_write_number_text(&w, "-1.5e-3", 7));
    V_EXPECT_OK(v_json_write_bool(&w, true));
    V_EXPECT_OK(v_json_write_bool(&w, false));
    V_EXPECT_OK(v_json_write_null(&w));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_key(&w, "", 0));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_object_end(&w));
    V_EXPECT_OK(v_json_write_key(&w, "s", 1));
    V_EXPECT_OK(v_json_write_string(&w, "x", 1));
    V_EXPECT_OK(v_json_write_object_end(&w));
    EXPECT_OUT(w, buf,
               "{\"a\":[-9223372036854775808,0,18446744073709551615,"
               "-1.5e-3,true,false,null,[]],\"\":{},\"s\":\"x\"}");
}

V_TEST(encoding, json_writer_minimal_escaping)
{
    char buf[128];
    v_json_writer w;
    const char in[] = "q\" b\\ / \b\f\n\r\t \x01\x1f\x7f \xc3\xa9 "
                      "\xe2\x80\xa8";
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_json_write_string(&w, in, sizeof in - 1));
    EXPECT_OUT(w, buf, "\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0001\\u001f\x7f "
                       "\xc3\xa9 \xe2\x80\xa8\"");
    /* NUL inside a string is data, escaped. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_json_write_string(&w, "a\0b", 3));
    EXPECT_OUT(w, buf, "\"a\\u0000b\"");
}

V_TEST(encoding, json_writer_top_level_scalars)
{
    char buf[32];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_json_write_i64(&w, -5));
    EXPECT_OUT(w, buf, "-5");
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_json_write_null(&w));
    V_EXPECT_STATUS(v_json_write_null(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "document already has its value");
    /* Errors are sticky. */
    V_EXPECT_STATUS(v_json_writer_finish(&w, NULL), V_ERR_BAD_STATE);
}

/* Each structural mistake, on a fresh writer. */
V_TEST(encoding, json_writer_structure_checks)
{
    char buf[64];
    v_json_frame stack[4];
    v_json_writer w;
#define FRESH() V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, \
                                               stack, 4))
    FRESH();
    V_EXPECT_STATUS(v_json_write_key(&w, "k", 1), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "member name outside an object");
    FRESH();
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_STATUS(v_json_write_i64(&w, 1), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "value where a member name is due");
    FRESH();
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_key(&w, "k", 1));
    V_EXPECT_STATUS(v_json_write_key(&w, "k", 1), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "member name where a value is due");
    FRESH();
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_key(&w, "k", 1));
    V_EXPECT_STATUS(v_json_write_object_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "member name without a value");
    FRESH();
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_write_key(&w, "k", 1), V_ERR_BAD_STATE);
    FRESH();
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_write_object_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "'}' does not close an object");
    FRESH();
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_STATUS(v_json_write_array_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "']' does not close an array");
    FRESH();
    V_EXPECT_STATUS(v_json_write_array_end(&w), V_ERR_BAD_STATE);
    FRESH();
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_writer_finish(&w, NULL), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "unclosed array or object");
    FRESH();
    V_EXPECT_STATUS(v_json_writer_finish(&w, NULL), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "empty document");
    FRESH();
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_STATUS(v_json_write_array_begin(&w), V_ERR_BAD_STATE);
#undef FRESH
}

V_TEST(encoding, json_writer_depth_limit)
{
    char buf[64];
    v_json_frame stack[2];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_write_object_begin(&w), V_ERR_LIMIT);
    V_EXPECT_STR_EQ(w.error.reason, "nesting deeper than max_depth");
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_STATUS(v_json_write_array_begin(&w), V_ERR_LIMIT);
}

V_TEST(encoding, json_writer_rejects_bad_values)
{
    char buf[64];
    v_json_frame stack[2];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_STATUS(v_json_write_string(&w, "ok\xc3", 3), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(w.error.offset, 2);
    V_EXPECT_STR_EQ(w.error.reason, "string is not valid UTF-8");
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_STATUS(v_json_write_key(&w, "\xed\xa0\x80", 3),
                    V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_STATUS(v_json_write_string(&w, NULL, 1), V_ERR_INVALID_ARGS);
    /* NULL with length 0 is the empty string. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_key(&w, NULL, 0));
    V_EXPECT_OK(v_json_write_string(&w, NULL, 0));
    V_EXPECT_OK(v_json_write_object_end(&w));
    EXPECT_OUT(w, buf, "{\"\":\"\"}");
    static const char *const bad_numbers[] = {"", "01", "1.", "+1", "NaN",
                                              "1e", "0x1", "1 "};
    for (size_t i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++) {
        V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
        V_EXPECT_STATUS(v_json_write_number_text(&w, bad_numbers[i],
                                                 v_cstr_len(bad_numbers[i])),
                        V_ERR_INVALID_ARGS);
        V_EXPECT_STR_EQ(w.error.reason, "not a JSON number");
    }
    /* Numbers beyond what to_f64 converts are still valid text. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_number_text(&w, "1e999", 5));
    EXPECT_OUT(w, buf, "1e999");
    V_EXPECT_STATUS(v_json_writer_init(NULL, buf, 1, NULL, NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_writer_init(&w, NULL, 1, NULL, NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_writer_init(&w, buf, 1, NULL, NULL, 1),
                    V_ERR_INVALID_ARGS);
    v_encoding_sink no_fn = {NULL, NULL};
    V_EXPECT_STATUS(v_json_writer_init(&w, buf, 1, &no_fn, NULL, 0),
                    V_ERR_INVALID_ARGS);
}

V_TEST(encoding, json_writer_buffer_full)
{
    char buf[8];
    v_json_frame stack[2];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, 6, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_write_string(&w, "abcdef", 6), V_ERR_TRUNCATED);
    V_EXPECT_STR_EQ(w.error.reason, "output buffer full");
    /* What fit was written. */
    V_EXPECT_MEM_EQ(buf, "[\"abcd", 6);
    V_EXPECT_STATUS(v_json_write_array_end(&w), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_writer_finish(&w, NULL), V_ERR_TRUNCATED);
    /* Exactly full is fine. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, 4, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_string(&w, "ab", 2));
    EXPECT_OUT(w, buf, "\"ab\"");
    V_ASSERT_OK(v_json_writer_init(&w, NULL, 0, NULL, NULL, 0));
    V_EXPECT_STATUS(v_json_write_null(&w), V_ERR_TRUNCATED);
}

typedef struct collect {
    char data[512];
    size_t len;
    size_t calls;
    size_t fail_after;   /* calls that succeed before an I/O error */
} collect;

static v_status collect_write(void *ctx, const void *bytes, size_t len,
                              size_t *n)
{
    collect *c = ctx;
    *n = 0;
    if (c->calls++ >= c->fail_after)
        return V_ERR_IO;
    if (len > sizeof c->data - c->len)
        return V_ERR_NO_MEMORY;
    v_mem_copy(c->data + c->len, bytes, len);
    c->len += len;
    *n = len;
    return V_OK;
}

V_TEST(encoding, json_writer_sink)
{
    char stage[4];
    v_json_frame stack[2];
    v_json_writer w;
    collect c = {.fail_after = 1000};
    v_encoding_sink sink = {collect_write, &c};
    V_ASSERT_OK(v_json_writer_init(&w, stage, sizeof stage, &sink, stack, 2));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_string(&w, "a long string\n", 14));
    V_EXPECT_OK(v_json_write_u64(&w, 12345));
    V_EXPECT_OK(v_json_write_array_end(&w));
    size_t n;
    V_EXPECT_OK(v_json_writer_finish(&w, &n));
    const char want[] = "[\"a long string\\n\",12345]";
    V_EXPECT_EQ(n, sizeof want - 1);
    V_EXPECT_EQ(c.len, sizeof want - 1);
    V_EXPECT_MEM_EQ(c.data, want, sizeof want - 1);
    V_EXPECT_GT(c.calls, 1);
    /* A sink with no staging buffer gets every piece directly. */
    collect d = {.fail_after = 1000};
    sink.ctx = &d;
    V_ASSERT_OK(v_json_writer_init(&w, NULL, 0, &sink, NULL, 0));
    V_EXPECT_OK(v_json_write_string(&w, "x", 1));
    V_EXPECT_OK(v_json_writer_finish(&w, &n));
    V_EXPECT_EQ(d.len, 3);
    V_EXPECT_MEM_EQ(d.data, "\"x\"", 3);
    /* A sink error stops the writer and is reported. */
    collect e = {.fail_after = 0};
    sink.ctx = &e;
    V_ASSERT_OK(v_json_writer_init(&w, stage, sizeof stage, &sink, stack, 2));
    V_EXPECT_OK(v_json_write_null(&w));
    V_EXPECT_STATUS(v_json_writer_finish(&w, &n), V_ERR_IO);
    V_EXPECT_STR_EQ(w.error.reason, "sink failed");
    V_ASSERT_OK(v_json_writer_init(&w, stage, sizeof stage, &sink, stack, 2));
    V_EXPECT_STATUS(v_json_write_string(&w, "longer than four", 16),
                    V_ERR_IO);
}

/* Writer output always parses back to the same values. */
V_TEST(encoding, json_writer_output_parses_back)
{
    char buf[256], dec[64];
    v_json_frame stack[4];
    v_json_writer w;
    const char s[] = "\x01\"\\/\xf0\x9f\x98\x80\n";
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 4));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_string(&w, s, sizeof s - 1));
    V_EXPECT_OK(v_json_write_i64(&w, INT64_MIN));
    V_EXPECT_OK(v_json_write_array_end(&w));
    size_t n;
    V_ASSERT_OK(v_json_writer_finish(&w, &n));
    v_json_limits lim = {256, 4, 64, 32, 8};
    v_json_reader r;
    v_json_token t;
    V_ASSERT_OK(v_json_reader_init(&r, buf, n, &lim, stack));
    V_ASSERT_OK(v_json_next(&r, &t));
    V_ASSERT_OK(v_json_next(&r, &t));
    size_t m;
    V_ASSERT_OK(v_json_unescape(t.text, t.len, dec, sizeof dec, &m));
    V_EXPECT_EQ(m, sizeof s - 1);
    V_EXPECT_MEM_EQ(dec, s, sizeof s - 1);
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_EQ(t.i64, INT64_MIN);
}

V_TEST(encoding, json_format_f64_canonical_text)
{
    static const struct { double v; const char *want; } cases[] = {
        {0.0, "0"}, {-0.0, "-0"}, {1.0, "1"}, {-1.0, "-1"}, {0.1, "0.1"},
        {-0.5, "-0.5"}, {1.5, "1.5"}, {100.0, "100"}, {123.45, "123.45"},
        {0.30000000000000004, "0.30000000000000004"},
        {1e20, "100000000000000000000"}, {1e21, "1e+21"},
        {123456789012345680000.0, "123456789012345680000"},
        {1.2345678901234568e21, "1.2345678901234568e+21"},
        {0.000001, "0.000001"}, {0.0000012, "0.0000012"}, {1e-7, "1e-7"},
        {1.5e-7, "1.5e-7"}, {123e-20, "1.23e-18"}, {-2.5e-5, "-0.000025"},
        {9007199254740992.0, "9007199254740992"},
        {9007199254740994.0, "9007199254740994"},
        {4503599627370497.0, "4503599627370497"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {5e-324, "5e-324"}, {1e-323, "1e-323"},
        {1e23, "1e+23"}, {9.5e22, "9.5e+22"},
        {5e-7, "5e-7"}, {1e15, "1000000000000000"},
        /* 2^-1022's interval is lopsided: the shortest is above it. */
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {4.35, "4.35"}, {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"}, {2.0 / 3.0, "0.6666666666666666"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[V_JSON_F64_MAX + 1];
        size_t n = 0;
        V_ASSERT_OK(v_json_format_f64(cases[i].v, out, &n));
        V_ASSERT(n <= V_JSON_F64_MAX);
        out[n] = 0;
        V_EXPECT_STR_EQ(out, cases[i].want);
        /* And it reads back exactly. */
        double back;
        V_ASSERT_OK(v_json_number_to_f64(out, n, &back));
        V_EXPECT(v_mem_equal(&back, &cases[i].v, sizeof back));
    }
    char out[V_JSON_F64_MAX];
    size_t n;
    V_EXPECT_STATUS(v_json_format_f64(__builtin_inf(), out, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_format_f64(-__builtin_inf(), out, &n),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_format_f64(__builtin_nan(""), out, &n),
                    V_ERR_INVALID_ARGS);
}

/* Powers of two, where the interval below is half the one above, and the
 * smallest subnormals: shortest text, reading back exactly. */
V_TEST(encoding, json_format_f64_powers_of_two)
{
    double v = 1.0;
    for (int k = 0; k <= 1023; k++, v *= 2) {
        char out[V_JSON_F64_MAX];
        size_t n;
        double back;
        V_ASSERT_OK(v_json_format_f64(v, out, &n));
        V_ASSERT_OK(v_json_number_to_f64(out, n, &back));
        V_ASSERT(back == v);
    }
    v = 1.0;
    for (int k = 0; k <= 1074; k++, v /= 2) {
        char out[V_JSON_F64_MAX];
        size_t n;
        double back;
        V_ASSERT_OK(v_json_format_f64(v, out, &n));
        V_ASSERT_OK(v_json_number_to_f64(out, n, &back));
        V_ASSERT(back == v);
    }
}

V_TEST(encoding, json_write_f64)
{
    char buf[64];
    v_json_frame stack[2];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_f64(&w, 0.1));
    V_EXPECT_OK(v_json_write_f64(&w, -0.0));
    V_EXPECT_OK(v_json_write_f64(&w, 1e21));
    V_EXPECT_OK(v_json_write_array_end(&w));
    EXPECT_OUT(w, buf, "[0.1,-0,1e+21]");
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_STATUS(v_json_write_f64(&w, __builtin_nan("")),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(w.error.reason, "NaN or infinity");
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_STATUS(v_json_write_f64(&w, 1.0), V_ERR_BAD_STATE);
}

V_TEST(encoding, json_writer_indented_layout)
{
    char buf[256];
    v_json_frame stack[4];
    v_json_writer w;
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 4));
    V_ASSERT_OK(v_json_writer_set_indent(&w, 2));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_key(&w, "a", 1));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_i64(&w, 1));
    V_EXPECT_OK(v_json_write_object_begin(&w));
    V_EXPECT_OK(v_json_write_object_end(&w));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_key(&w, "b", 1));
    V_EXPECT_OK(v_json_write_null(&w));
    V_EXPECT_OK(v_json_write_object_end(&w));
    EXPECT_OUT(w, buf, "{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n"
                       "  \"b\": null\n}");
    /* Deep indentation crosses the internal run of spaces. */
    v_json_frame deep[3];
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, deep, 3));
    V_ASSERT_OK(v_json_writer_set_indent(&w, 16));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_OK(v_json_write_bool(&w, true));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    V_EXPECT_OK(v_json_write_array_end(&w));
    size_t n;
    V_ASSERT_OK(v_json_writer_finish(&w, &n));
    V_EXPECT_EQ(n, 3 + 1 + 16 + 1 + 32 + 1 + 48 + 4 + 1 + 32 + 1 + 1 + 16 +
                   1 + 1 + 1);
    /* The output parses back. */
    v_json_limits lim = {256, 4, 16, 16, 16};
    v_json_reader r;
    v_json_token t;
    v_status st = v_json_reader_init(&r, buf, n, &lim, stack);
    while (st == V_OK)
        st = v_json_next(&r, &t);
    V_EXPECT_STATUS(st, V_ERR_END);
    /* Arguments and timing. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, sizeof buf, NULL, stack, 4));
    V_EXPECT_STATUS(v_json_writer_set_indent(&w, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_writer_set_indent(&w, 17), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_writer_set_indent(NULL, 2), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_writer_set_indent(&w, 2), V_ERR_BAD_STATE);
    /* A full buffer during indentation is reported like any other. */
    V_ASSERT_OK(v_json_writer_init(&w, buf, 4, NULL, stack, 4));
    V_ASSERT_OK(v_json_writer_set_indent(&w, 8));
    V_EXPECT_OK(v_json_write_array_begin(&w));
    V_EXPECT_STATUS(v_json_write_null(&w), V_ERR_TRUNCATED);
}
