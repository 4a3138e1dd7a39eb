/* The JSON pull parser: tokens, values, error offsets and reasons, every
 * limit, skipping, unescaping and number conversion. */
#include <v/encoding.h>
#include <v/mem.h>
#include <v/test.h>

static const v_json_limits roomy = {
    .max_input = 1 << 16, .max_depth = 16, .max_string = 256,
    .max_number = 64, .max_elements = 64,
};

/* The same, for scalar documents parsed without a stack. */
static const v_json_limits flat = {
    .max_input = 1 << 16, .max_depth = 0, .max_string = 256,
    .max_number = 64, .max_elements = 64,
};

/* Parses s to its end with limits lim; returns the final status and
 * leaves the reader for inspection. */
static v_status run(v_json_reader *r, v_json_frame *stack,
                    const v_json_limits *lim, const char *s)
{
    v_json_token t;
    v_status st = v_json_reader_init(r, s, v_cstr_len(s), lim, stack);
    while (st == V_OK)
        st = v_json_next(r, &t);
    return st;
}

static bool reason_is(const v_json_reader *r, const char *want)
{
    return r->error.reason && v_cstr_compare(r->error.reason, want) == 0;
}

V_TEST(encoding, json_token_stream)
{
    const char *doc = " {\"a\" : [1, -2, 3.5, \"x\\n\", true, false, null], "
                      "\"b\":{}} ";
    v_json_frame stack[16];
    v_json_reader r;
    v_json_token t;
    V_ASSERT_OK(v_json_reader_init(&r, doc, v_cstr_len(doc), &roomy, stack));
    static const struct { v_json_kind kind; size_t offset, depth; } want[] = {
        {V_JSON_OBJECT_BEGIN, 1, 0}, {V_JSON_KEY, 2, 1},
        {V_JSON_ARRAY_BEGIN, 8, 1}, {V_JSON_INTEGER, 9, 2},
        {V_JSON_INTEGER, 12, 2}, {V_JSON_NUMBER, 16, 2},
        {V_JSON_STRING, 21, 2}, {V_JSON_BOOL, 28, 2}, {V_JSON_BOOL, 34, 2},
        {V_JSON_NULL, 41, 2}, {V_JSON_ARRAY_END, 45, 1}, {V_JSON_KEY, 48, 1},
        {V_JSON_OBJECT_BEGIN, 52, 1}, {V_JSON_OBJECT_END, 53, 1},
        {V_JSON_OBJECT_END, 54, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        V_ASSERT_OK(v_json_next(&r, &t));
        V_EXPECT_EQ(t.kind, want[i].kind);
        V_EXPECT_EQ(t.offset, want[i].offset);
        V_EXPECT_EQ(t.depth, want[i].depth);
        switch (i) {
        case 1:
            V_EXPECT_EQ(t.len, 1);
            V_EXPECT_MEM_EQ(t.text, "a", 1);
            V_EXPECT(!t.has_escapes);
            break;
        case 3:
            V_EXPECT_EQ(t.i64, 1);
            V_EXPECT_EQ(t.u64, 1);
            V_EXPECT_EQ(t.fits, V_JSON_FITS_I64 | V_JSON_FITS_U64);
            break;
        case 4:
            V_EXPECT_EQ(t.i64, -2);
            V_EXPECT_EQ(t.fits, V_JSON_FITS_I64);
            break;
        case 5:
            V_EXPECT_EQ(t.len, 3);
            V_EXPECT_MEM_EQ(t.text, "3.5", 3);
            break;
        case 6:
            V_EXPECT_EQ(t.len, 3);
            V_EXPECT_EQ(t.decoded_len, 2);
            V_EXPECT(t.has_escapes);
            break;
        case 7: V_EXPECT(t.boolean); break;
        case 8: V_EXPECT(!t.boolean); break;
        }
    }
    V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_END);
    V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_END);
    V_EXPECT_NULL(r.error.reason);
}

V_TEST(encoding, json_integer_ranges)
{
    static const struct {
        const char *s;
        v_json_kind kind;
        unsigned fits;
        int64_t i;
        uint64_t u;
    } cases[] = {
        {"0", V_JSON_INTEGER, 3, 0, 0},
        {"-0", V_JSON_INTEGER, 3, 0, 0},
        {"9223372036854775807", V_JSON_INTEGER, 3, INT64_MAX, INT64_MAX},
        {"9223372036854775808", V_JSON_INTEGER, 2, 0, 9223372036854775808u},
        {"18446744073709551615", V_JSON_INTEGER, 2, 0, UINT64_MAX},
        {"18446744073709551616", V_JSON_NUMBER, 0, 0, 0},
        {"99999999999999999999", V_JSON_NUMBER, 0, 0, 0},
        {"-9223372036854775808", V_JSON_INTEGER, 1, INT64_MIN, 0},
        {"-9223372036854775809", V_JSON_NUMBER, 0, 0, 0},
        {"1.0", V_JSON_NUMBER, 0, 0, 0},
        {"1e0", V_JSON_NUMBER, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v_json_reader r;
        v_json_token t;
        const char *s = cases[i].s;
        V_ASSERT_OK(v_json_reader_init(&r, s, v_cstr_len(s), &flat, NULL));
        V_ASSERT_OK(v_json_next(&r, &t));
        V_EXPECT_EQ(t.kind, cases[i].kind);
        V_EXPECT_EQ(t.len, v_cstr_len(s));
        if (cases[i].kind == V_JSON_INTEGER) {
            V_EXPECT_EQ(t.fits, cases[i].fits);
            if (t.fits & V_JSON_FITS_I64)
                V_EXPECT_EQ(t.i64, cases[i].i);
            if (t.fits & V_JSON_FITS_U64)
                V_EXPECT_EQ(t.u64, cases[i].u);
        }
        V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_END);
    }
}

/* Errors: status, offset and reason, and they stay. */
V_TEST(encoding, json_error_offsets_and_reasons)
{
    static const struct {
        const char *s;
        v_status st;
        size_t offset;
        const char *reason;
    } cases[] = {
        {"", V_ERR_MALFORMED, 0, "unexpected end of input"},
        {"[1,", V_ERR_MALFORMED, 3, "unexpected end of input"},
        {"[1,]", V_ERR_MALFORMED, 3, "trailing comma before ']'"},
        {"{\"a\":1,}", V_ERR_MALFORMED, 7, "trailing comma before '}'"},
        {"[1 2]", V_ERR_MALFORMED, 3, "expected ',' or ']'"},
        {"{\"a\":1 2}", V_ERR_MALFORMED, 7, "expected ',' or '}'"},
        {"{\"a\" 1}", V_ERR_MALFORMED, 5, "expected ':' after member name"},
        {"{1:2}", V_ERR_MALFORMED, 1, "expected a member name or '}'"},
        {"{\"a\":1,2}", V_ERR_MALFORMED, 7, "expected a member name"},
        {"[01]", V_ERR_MALFORMED, 1, "leading zero in number"},
        {"-x", V_ERR_MALFORMED, 1, "expected a digit"},
        {"1.x", V_ERR_MALFORMED, 2, "expected a digit after '.'"},
        {"1ex", V_ERR_MALFORMED, 2, "expected a digit in the exponent"},
        {"[tru]", V_ERR_MALFORMED, 1, "invalid literal"},
        {"[x]", V_ERR_MALFORMED, 1, "expected a value"},
        {"\xef\xbb\xbf{}", V_ERR_MALFORMED, 0,
         "byte order mark is not allowed"},
        {"{} {}", V_ERR_MALFORMED, 3,
         "trailing characters after the document"},
        {"\"ab\x01\"", V_ERR_MALFORMED, 3,
         "control character in string (must be escaped)"},
        {"\"a\\qb\"", V_ERR_MALFORMED, 2, "invalid escape"},
        {"\"\\u12x4\"", V_ERR_MALFORMED, 1, "\\u needs four hex digits"},
        {"\"x\\udc00\"", V_ERR_MALFORMED, 2, "unpaired low surrogate escape"},
        {"\"\\ud800\\u0041\"", V_ERR_MALFORMED, 1,
         "unpaired high surrogate escape"},
        {"\"\\ud800\"", V_ERR_MALFORMED, 1, "unpaired high surrogate escape"},
        {"\"\\ud800", V_ERR_MALFORMED, 7, "unexpected end of input"},
        {"\"\\ud800\\udc0", V_ERR_MALFORMED, 12, "unexpected end of input"},
        {"\"ok\xc3\xa9\xff\"", V_ERR_MALFORMED, 5, "invalid UTF-8 in string"},
        {"\"\\u00", V_ERR_MALFORMED, 5, "unexpected end of input"},
        {"\"\\", V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"-", V_ERR_MALFORMED, 1, "unexpected end of input"},
        {"1.", V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"1e+", V_ERR_MALFORMED, 3, "unexpected end of input"},
        {"nul", V_ERR_MALFORMED, 3, "unexpected end of input"},
    };
    v_json_frame stack[16];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v_json_reader r;
        v_json_token t;
        v_status st = run(&r, stack, &roomy, cases[i].s);
        if (st != cases[i].st || r.error.offset != cases[i].offset ||
            !reason_is(&r, cases[i].reason))
            v_test_note(v_t, cases[i].s);
        V_EXPECT_STATUS(st, cases[i].st);
        V_EXPECT_EQ(r.error.offset, cases[i].offset);
        V_EXPECT_STR_EQ(r.error.reason, cases[i].reason);
        V_EXPECT_STATUS(v_json_next(&r, &t), cases[i].st);
        V_EXPECT_STATUS(v_json_skip(&r, &t), cases[i].st);
    }
}

V_TEST(encoding, json_limit_input)
{
    v_json_limits lim = flat;
    v_json_reader r;
    v_json_token t;
    lim.max_input = 3;
    V_EXPECT_OK(v_json_reader_init(&r, "123", 3, &lim, NULL));
    V_EXPECT_STATUS(v_json_reader_init(&r, "1234", 4, &lim, NULL),
                    V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason, "document longer than max_input");
    V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_LIMIT);
}

V_TEST(encoding, json_limit_depth)
{
    v_json_frame stack[2];
    v_json_limits lim = roomy;
    v_json_reader r;
    lim.max_depth = 2;
    V_EXPECT_STATUS(run(&r, stack, &lim, "[{\"a\":[]}]"), V_ERR_LIMIT);
    V_EXPECT_EQ(r.error.offset, 6);
    V_EXPECT_STR_EQ(r.error.reason, "nesting deeper than max_depth");
    V_EXPECT_STATUS(run(&r, stack, &lim, "[{\"a\":1}]"), V_ERR_END);
    /* Depth 0: scalars only, and no stack needed. */
    lim.max_depth = 0;
    V_EXPECT_STATUS(run(&r, NULL, &lim, "\"s\""), V_ERR_END);
    V_EXPECT_STATUS(run(&r, NULL, &lim, "[]"), V_ERR_LIMIT);
    V_EXPECT_EQ(r.error.offset, 0);
}

V_TEST(encoding, json_limit_string)
{
    v_json_frame stack[4];
    v_json_limits lim = roomy;
    v_json_reader r;
    lim.max_string = 3;
    V_EXPECT_STATUS(run(&r, stack, &lim, "[\"abc\"]"), V_ERR_END);
    /* The limit is on decoded bytes: 6 raw bytes decode to 3. */
    V_EXPECT_STATUS(run(&r, stack, &lim, "[\"\\u00e9a\"]"), V_ERR_END);
    V_EXPECT_STATUS(run(&r, stack, &lim, "[\"abcd\"]"), V_ERR_LIMIT);
    V_EXPECT_EQ(r.error.offset, 1);
    V_EXPECT_STR_EQ(r.error.reason, "string longer than max_string");
    V_EXPECT_STATUS(run(&r, stack, &lim, "{\"abcd\":1}"), V_ERR_LIMIT);
    V_EXPECT_STATUS(run(&r, stack, &lim, "\"\\ud83d\\ude00\""), V_ERR_LIMIT);
    lim.max_string = 4;
    V_EXPECT_STATUS(run(&r, stack, &lim, "\"\\ud83d\\ude00\""), V_ERR_END);
    lim.max_string = 0;
    V_EXPECT_STATUS(run(&r, stack, &lim, "\"\""), V_ERR_END);
    V_EXPECT_STATUS(run(&r, stack, &lim, "\"a\""), V_ERR_LIMIT);
}

V_TEST(encoding, json_limit_number)
{
    v_json_limits lim = flat;
    v_json_reader r;
    lim.max_number = 4;
    V_EXPECT_STATUS(run(&r, NULL, &lim, "-1.5"), V_ERR_END);
    V_EXPECT_STATUS(run(&r, NULL, &lim, "1.5e1"), V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason, "number longer than max_number");
    V_EXPECT_STATUS(run(&r, NULL, &lim, "12345"), V_ERR_LIMIT);
}

V_TEST(encoding, json_limit_elements)
{
    v_json_frame stack[4];
    v_json_limits lim = roomy;
    v_json_reader r;
    lim.max_elements = 2;
    V_EXPECT_STATUS(run(&r, stack, &lim, "[1,2]"), V_ERR_END);
    V_EXPECT_STATUS(run(&r, stack, &lim, "[1,2,3]"), V_ERR_LIMIT);
    V_EXPECT_EQ(r.error.offset, 5);
    V_EXPECT_STR_EQ(r.error.reason,
                    "container has more than max_elements members");
    V_EXPECT_STATUS(run(&r, stack, &lim, "{\"a\":1,\"b\":[1,2]}"), V_ERR_END);
    V_EXPECT_STATUS(run(&r, stack, &lim, "{\"a\":1,\"b\":2,\"c\":3}"),
                    V_ERR_LIMIT);
    /* Counted per container: siblings do not add up. */
    V_EXPECT_STATUS(run(&r, stack, &lim, "[[1,2],[3,4]]"), V_ERR_END);
}

V_TEST(encoding, json_init_rejects_bad_arguments)
{
    v_json_reader r;
    V_EXPECT_STATUS(v_json_reader_init(NULL, "1", 1, &roomy, NULL),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_reader_init(&r, "1", 1, NULL, NULL),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_reader_init(&r, NULL, 1, &roomy, NULL),
                    V_ERR_INVALID_ARGS);
    /* roomy.max_depth > 0 needs a stack. */
    V_EXPECT_STATUS(v_json_reader_init(&r, "1", 1, &roomy, NULL),
                    V_ERR_INVALID_ARGS);
    v_json_limits lim = roomy;
    lim.max_depth = 0;
    V_EXPECT_OK(v_json_reader_init(&r, NULL, 0, &lim, NULL));
}

V_TEST(encoding, json_skip)
{
    const char *doc = "{\"a\":{\"x\":[1,{\"y\":2}]},\"b\":[[]],\"c\":3,\"d\":4}";
    v_json_frame stack[8];
    v_json_reader r;
    v_json_token t;
    V_ASSERT_OK(v_json_reader_init(&r, doc, v_cstr_len(doc), &roomy, stack));
    V_ASSERT_OK(v_json_next(&r, &t));      /* { */
    V_ASSERT_OK(v_json_next(&r, &t));      /* "a" */
    V_ASSERT_OK(v_json_skip(&r, &t));      /* skips the key's value */
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_JSON_KEY);
    V_EXPECT_MEM_EQ(t.text, "b", 1);
    V_ASSERT_OK(v_json_next(&r, &t));      /* [ */
    V_ASSERT_OK(v_json_skip(&r, &t));      /* to its ] */
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_MEM_EQ(t.text, "c", 1);
    V_ASSERT_OK(v_json_next(&r, &t));      /* 3 */
    V_ASSERT_OK(v_json_skip(&r, &t));      /* scalar: nothing */
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_MEM_EQ(t.text, "d", 1);
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_EQ(t.u64, 4);
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_JSON_OBJECT_END);
    V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_END);
    /* Skipping into a malformed tail reports the error. */
    V_ASSERT_OK(v_json_reader_init(&r, "[[1,]", 5, &roomy, stack));
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_STATUS(v_json_skip(&r, &t), V_ERR_MALFORMED);
}

V_TEST(encoding, json_unescape)
{
    char out[32];
    size_t n = 99;
    const char *raw = "a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac"
                      "\\ud83d\\ude00z";
    V_ASSERT_OK(v_json_unescape(raw, v_cstr_len(raw), out, sizeof out, &n));
    const char want[] = "a\"\\/\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
    V_EXPECT_EQ(n, sizeof want - 1);
    V_EXPECT_MEM_EQ(out, want, sizeof want - 1);
    /* Exactly decoded_len bytes fit; one fewer does not. */
    V_EXPECT_STATUS(v_json_unescape(raw, v_cstr_len(raw), out,
                                    sizeof want - 2, &n), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_unescape("\\u20ac", 6, out, 2, &n),
                    V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_unescape("ab", 2, out, 1, &n), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_unescape("\\n", 2, out, 0, &n), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_unescape("\\u0041", 6, NULL, 0, &n),
                    V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_json_unescape("a", 1, NULL, 0, &n), V_ERR_TRUNCATED);
    V_EXPECT_OK(v_json_unescape("", 0, NULL, 0, &n));
    V_EXPECT_EQ(n, 0);
    static const char *const bad[] = {
        "\\", "\\x", "\\u12", "\\u12g4", "\\udc00", "\\ud800", "\\ud800\\n",
        "\\ud800\\u0041", "\\ud800\\ud800",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        V_EXPECT_STATUS(v_json_unescape(bad[i], v_cstr_len(bad[i]), out,
                                        sizeof out, &n), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_json_unescape("a", 1, out, sizeof out, NULL),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_unescape(NULL, 1, out, sizeof out, &n),
                    V_ERR_INVALID_ARGS);
}

V_TEST(encoding, json_number_to_integers)
{
    int64_t i;
    uint64_t u;
    V_EXPECT_OK(v_json_number_to_i64("-9223372036854775808", 20, &i));
    V_EXPECT_EQ(i, INT64_MIN);
    V_EXPECT_OK(v_json_number_to_i64("-0", 2, &i));
    V_EXPECT_EQ(i, 0);
    V_EXPECT_STATUS(v_json_number_to_i64("9223372036854775808", 19, &i),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_json_number_to_i64("-9223372036854775809", 20, &i),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_json_number_to_i64("1.5", 3, &i), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_number_to_i64("1e2", 3, &i), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_json_number_to_u64("18446744073709551615", 20, &u));
    V_EXPECT_EQ(u, UINT64_MAX);
    V_EXPECT_STATUS(v_json_number_to_u64("18446744073709551616", 20, &u),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_json_number_to_u64("-1", 2, &u), V_ERR_OUT_OF_RANGE);
    V_EXPECT_OK(v_json_number_to_u64("-0", 2, &u));
    V_EXPECT_EQ(u, 0);
    static const char *const bad[] = {"", "-", "01", "+1", "1.", ".1", "1e",
                                      "1x", " 1", "0x1", "--1"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        V_EXPECT_STATUS(v_json_number_to_i64(bad[k], v_cstr_len(bad[k]), &i),
                        V_ERR_MALFORMED);
        V_EXPECT_STATUS(v_json_number_to_u64(bad[k], v_cstr_len(bad[k]), &u),
                        V_ERR_MALFORMED);
    }
    V_EXPECT_STATUS(v_json_number_to_i64(NULL, 0, &i), V_ERR_MALFORMED);
}

/* Doubles are compared bit for bit against values the compiler rounded
 * from the same decimal text (correctly, per C17 with IEEE arithmetic). */
static bool same_double(double a, double b)
{
    return v_mem_equal(&a, &b, sizeof a);
}

V_TEST(encoding, json_number_to_f64_correctly_rounded)
{
    /* Expected values are the compiler's own rounding of the same text
     * (gcc and clang round decimal literals correctly). */
#define F(x) {#x, x}
    static const struct { const char *s; double d; } cases[] = {
        F(0), F(1), F(-1), F(0.5), F(0.1), F(-0.1), F(3.14159), F(1e22),
        F(1e23), F(1e-22), F(1e-23), F(1.5e-3), F(123456789012345e3),
        F(9007199254740992.0), F(9007199254740993.0), /* tie: even */
        F(9007199254740995.0),                    /* tie: to even */
        F(9007199254740993.0000000000000000000001), /* just above a tie */
        F(0.000001), F(100), F(1.000), F(1e30), F(12e28), F(8.5e-5),
        F(2.5E+2), F(0.30000000000000004), F(1234567890123456789e-19),
        F(12345678901234567890.0), F(0.1234567890123456789012),
        F(1.7976931348623157e308), F(1.7976931348623158e308),
        F(2.2250738585072011e-308), F(2.2250738585072012e-308),
        F(2.2250738585072014e-308), F(4.9406564584124654e-324),
        F(4.9e-324), F(5e-324), F(2.4703282292062328e-324), F(1e-320),
        F(123e-320), F(7.2057594037927933e16), F(3.0517578125e-5),
        F(6.02214076e23), F(1.602176634e-19), F(0e999999999999999999),
        F(0.000000000000000000000000000000000000000000000000000000000000001),
        F(1e0000000000000000000000000000001),
        F(179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.0),
    };
#undef F
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d = -42;
        v_status st = v_json_number_to_f64(cases[i].s, v_cstr_len(cases[i].s),
                                           &d);
        if (st != V_OK || !same_double(d, cases[i].d))
            v_test_note(v_t, cases[i].s);
        V_EXPECT_OK(st);
        V_EXPECT(same_double(d, cases[i].d));
    }
    double d;
    V_ASSERT_OK(v_json_number_to_f64("-0", 2, &d));
    V_EXPECT(same_double(d, -0.0));
    V_ASSERT_OK(v_json_number_to_f64("-0.0e5", 6, &d));
    V_EXPECT(same_double(d, -0.0));
}

/* Exactly halfway between two doubles, with the tie decided by a digit
 * far beyond the 780 the converter keeps. */
V_TEST(encoding, json_number_to_f64_long_halfway_cases)
{
    /* 2^53 + 1 is halfway between 2^53 and 2^53 + 2. */
    char buf[1200];
    const char head[] = "9007199254740993.";
    for (size_t variant = 0; variant < 3; variant++) {
        size_t n = sizeof head - 1;
        v_mem_copy(buf, head, n);
        for (size_t k = 0; k < 1000; k++)
            buf[n++] = '0';
        if (variant == 1)
            buf[n - 1] = '1';   /* just above the tie */
        if (variant == 2)
            buf[n++] = '0';     /* still exactly the tie */
        double d;
        V_ASSERT_OK(v_json_number_to_f64(buf, n, &d));
        V_EXPECT(same_double(d, variant == 1 ? 9007199254740994.0
                                             : 9007199254740992.0));
    }
    /* 1000 significant digits of 1/3 of 2^-1074's neighbourhood: compare
     * against rounding the first 20 digits, which is unambiguous here. */
    size_t n = 0;
    buf[n++] = '0';
    buf[n++] = '.';
    for (size_t k = 0; k < 1000; k++)
        buf[n++] = '3';
    double d;
    V_ASSERT_OK(v_json_number_to_f64(buf, n, &d));
    V_EXPECT(same_double(d, 0.33333333333333333333));
}

V_TEST(encoding, json_number_to_f64_out_of_range)
{
    static const char *const over[] = {
        "1.7976931348623159e308", "1e309", "-1e309", "1e400",
        "1e99999999999999999999999", "18e307",
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        double d = 7;
        V_EXPECT_STATUS(v_json_number_to_f64(over[i], v_cstr_len(over[i]),
                                             &d), V_ERR_OUT_OF_RANGE);
        V_EXPECT(same_double(d, 7));
    }
    /* Below half the smallest subnormal: zero, keeping the sign. */
    static const char *const under[] = {
        "2.4703282292062327e-324", "1e-325", "1e-400", "-1e-400",
        "1e-99999999999999999999999", "0.0000000001e-320",
    };
    for (size_t i = 0; i < sizeof under / sizeof under[0]; i++) {
        double d = 7;
        V_EXPECT_OK(v_json_number_to_f64(under[i], v_cstr_len(under[i]), &d));
        V_EXPECT(same_double(d, under[i][0] == '-' ? -0.0 : 0.0));
    }
    double d;
    V_EXPECT_STATUS(v_json_number_to_f64("1.", 2, &d), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_json_number_to_f64("NaN", 3, &d), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_json_number_to_f64(NULL, 0, &d), V_ERR_MALFORMED);
}

static v_status run_checked(const char *s, size_t n_slots,
                            v_json_reader *r)
{
    static v_json_frame stack[16];
    static v_json_key_slot slots[16];
    v_json_token t;
    v_status st = v_json_reader_init(r, s, v_cstr_len(s), &roomy, stack);
    if (st == V_OK)
        st = v_json_reader_check_duplicates(r, slots, n_slots);
    while (st == V_OK)
        st = v_json_next(r, &t);
    return st;
}

V_TEST(encoding, json_duplicate_keys_when_checked)
{
    v_json_reader r;
    V_EXPECT_STATUS(run_checked("{\"a\":1,\"b\":2}", 16, &r), V_ERR_END);
    V_EXPECT_STATUS(run_checked("{\"a\":1,\"b\":2,\"a\":3}", 16, &r),
                    V_ERR_MALFORMED);
    V_EXPECT_EQ(r.error.offset, 13);
    V_EXPECT_STR_EQ(r.error.reason, "duplicate key");
    /* Equal after unescaping, including a surrogate pair. */
    V_EXPECT_STATUS(run_checked("{\"a\\n\":1,\"\\u0061\\u000a\":2}", 16, &r),
                    V_ERR_MALFORMED);
    V_EXPECT_STATUS(run_checked("{\"\xf0\x9f\x98\x80\":1,"
                                "\"\\ud83d\\ude00\":2}", 16, &r),
                    V_ERR_MALFORMED);
    V_EXPECT_STATUS(run_checked("{\"\\u00e9\":1,\"\xc3\xa9\":2}", 16, &r),
                    V_ERR_MALFORMED);
    /* Prefixes and near misses are different keys. */
    V_EXPECT_STATUS(run_checked("{\"ab\":1,\"a\":2,\"\":3,\"b\":4}", 16, &r),
                    V_ERR_END);
    V_EXPECT_STATUS(run_checked("{\"\\u00e9\":1,\"\\u00e8\":2}", 16, &r),
                    V_ERR_END);
    /* Keys are per object: the same key in sibling or nested objects is
     * fine, and a closed object's keys are forgotten. */
    V_EXPECT_STATUS(run_checked("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}",
                                16, &r), V_ERR_END);
    V_EXPECT_STATUS(run_checked("{\"a\":{\"x\":1},\"a\":2}", 16, &r),
                    V_ERR_MALFORMED);
    /* Slots bound the keys of all open objects together. */
    V_EXPECT_STATUS(run_checked("{\"a\":1,\"b\":2}", 2, &r), V_ERR_END);
    V_EXPECT_STATUS(run_checked("{\"a\":1,\"b\":2,\"c\":3}", 2, &r),
                    V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason,
                    "more open keys than duplicate-check slots");
    V_EXPECT_STATUS(run_checked("{\"a\":{\"b\":{}},\"c\":2}", 2, &r),
                    V_ERR_END);
    V_EXPECT_STATUS(run_checked("{\"a\":{\"b\":{\"c\":1}}}", 2, &r),
                    V_ERR_LIMIT);
    /* Without the check, duplicates pass (the documented default). */
    v_json_frame stack[4];
    V_EXPECT_STATUS(run(&r, stack, &roomy, "{\"a\":1,\"a\":2}"), V_ERR_END);
}

V_TEST(encoding, json_duplicate_check_arguments)
{
    v_json_frame stack[4];
    v_json_key_slot slots[4];
    v_json_reader r;
    v_json_token t;
    V_ASSERT_OK(v_json_reader_init(&r, "{}", 2, &roomy, stack));
    V_EXPECT_STATUS(v_json_reader_check_duplicates(NULL, slots, 4),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_json_reader_check_duplicates(&r, NULL, 4),
                    V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_STATUS(v_json_reader_check_duplicates(&r, slots, 4),
                    V_ERR_BAD_STATE);
    /* Zero slots: any key is over the limit. */
    V_ASSERT_OK(v_json_reader_init(&r, "{\"k\":1}", 7, &roomy, stack));
    V_ASSERT_OK(v_json_reader_check_duplicates(&r, NULL, 0));
    V_ASSERT_OK(v_json_next(&r, &t));
    V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_LIMIT);
}

/* Strings are scanned eight bytes at a time when possible: put each kind
 * of special byte at every position of strings of many lengths, so both
 * the wide and the byte-wise paths see it at every alignment. */
V_TEST(encoding, json_string_scan_every_position)
{
    static const struct {
        const char *ins;
        size_t n;
        bool ok;
        size_t decoded;   /* bytes the insert decodes to */
    } ins[] = {
        {"\x01", 1, false, 0}, {"\x1f", 1, false, 0}, {"\x80", 1, false, 0},
        {"\\q", 2, false, 0}, {" ", 1, true, 1}, {"\x7f", 1, true, 1},
        {"\\n", 2, true, 1}, {"\\\"", 2, true, 1}, {"\xc3\xa9", 2, true, 2},
        {"\\u00e9", 6, true, 2}, {"\xf0\x9f\x98\x80", 4, true, 4},
    };
    char doc[64];
    v_json_reader r;
    v_json_token t;
    for (size_t k = 0; k < sizeof ins / sizeof ins[0]; k++) {
        for (size_t len = 0; len <= 24; len++) {
            for (size_t p = 0; p <= len; p++) {
                size_t n = 0;
                doc[n++] = '"';
                for (size_t j = 0; j < p; j++)
                    doc[n++] = 'a';
                v_mem_copy(doc + n, ins[k].ins, ins[k].n);
                n += ins[k].n;
                for (size_t j = p; j < len; j++)
                    doc[n++] = 'b';
                doc[n++] = '"';
                V_ASSERT_OK(v_json_reader_init(&r, doc, n, &flat, NULL));
                v_status st = v_json_next(&r, &t);
                if (ins[k].ok) {
                    V_ASSERT_OK(st);
                    V_EXPECT_EQ(t.decoded_len, len + ins[k].decoded);
                    V_EXPECT_EQ(t.len, len + ins[k].n);
                } else {
                    V_ASSERT_STATUS(st, V_ERR_MALFORMED);
                    V_EXPECT_EQ(r.error.offset, 1 + p);
                }
            }
        }
    }
    /* The length limit holds exactly on both paths. */
    for (size_t len = 0; len <= 40; len++) {
        v_json_limits lim = flat;
        size_t n = 0;
        doc[n++] = '"';
        for (size_t j = 0; j < len; j++)
            doc[n++] = 'x';
        doc[n++] = '"';
        lim.max_string = len;
        V_ASSERT_OK(v_json_reader_init(&r, doc, n, &lim, NULL));
        V_EXPECT_OK(v_json_next(&r, &t));
        if (len == 0)
            continue;
        lim.max_string = len - 1;
        V_ASSERT_OK(v_json_reader_init(&r, doc, n, &lim, NULL));
        V_EXPECT_STATUS(v_json_next(&r, &t), V_ERR_LIMIT);
    }
}
