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

typedef struct conf_case {
    char cat;
    const char *name;
    const char *input;
    size_t len;
    bool accept;
} conf_case;

#define Y(name, s) {'y', name, s, sizeof(s) - 1, true}
#define N(name, s) {'n', name, s, sizeof(s) - 1, false}
#define I(name, s, acc) {'i', name, s, sizeof(s) - 1, acc}

#define OPEN8 "[[[[[[[["
#define CLOSE8 "]]]]]]]]"
#define OPEN64 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8
#define CLOSE64 CLOSE8 CLOSE8 CLOSE8 CLOSE8 CLOSE8 CLOSE8 CLOSE8 CLOSE8
#define DIGITS10 "1234567890"
#define DIGITS100 DIGITS10 DIGITS10 DIGITS10 DIGITS10 DIGITS10 \
                  DIGITS10 DIGITS10 DIGITS10 DIGITS10 DIGITS10

static const conf_case cases[] = {
    /* ---- arrays ---- */
    Y("y_array_empty", "[]"),
    Y("y_array_empty_with_spaces", " [ ] "),
    Y("y_array_one_number", "[7]"),
    Y("y_array_nested_empty", "[[[]]]"),
    Y("y_array_siblings", "[[],[],[[]]]"),
    Y("y_array_every_type", "[1,\"a\",true,false,null,{},[]]"),
    Y("y_array_all_whitespace_kinds", " \t\r\n[ \t1 \n, 2\r]\n"),
    Y("y_array_of_strings", "[\"a\",\"\",\"b c\"]"),
    Y("y_array_of_nulls", "[null,null,null]"),
    Y("y_array_of_objects", "[{},{\"k\":[]}]"),
    N("n_array_unclosed", "["),
    N("n_array_unclosed_after_value", "[1"),
    N("n_array_unclosed_after_comma", "[1,"),
    N("n_array_trailing_comma", "[1,]"),
    N("n_array_leading_comma", "[,1]"),
    N("n_array_only_comma", "[,]"),
    N("n_array_double_comma", "[1,,2]"),
    N("n_array_missing_comma", "[1 2]"),
    N("n_array_colon_separator", "[1:2]"),
    N("n_array_closed_by_brace", "[}"),
    N("n_array_unclosed_nested", "[[[]]"),
    N("n_array_extra_close", "[]]"),
    N("n_array_value_then_object", "[1{}]"),
    N("n_array_semicolon", "[1;2]"),
    N("n_array_key_value_inside", "[\"a\":1]"),
    /* ---- objects ---- */
    Y("y_object_empty", "{}"),
    Y("y_object_one_member", "{\"a\":1}"),
    Y("y_object_two_members", "{\"a\":1,\"b\":2}"),
    Y("y_object_nested", "{\"a\":{\"b\":{\"c\":[]}}}"),
    Y("y_object_spaces_everywhere", "{ \"a\" : 1 , \"b\" : [ ] }"),
    Y("y_object_empty_key", "{\"\":0}"),
    Y("y_object_escaped_key", "{\"\\u0061\\n\":1}"),
    Y("y_object_every_value_type",
      "{\"a\":[],\"b\":{},\"c\":\"\",\"d\":0,\"e\":true,\"f\":null}"),
    Y("y_object_key_with_utf8", "{\"\xc3\xa9t\xc3\xa9\":1}"),
    Y("y_object_long_key", "{\"" DIGITS100 "\":1}"),
    N("n_object_unclosed", "{"),
    N("n_object_unclosed_after_key", "{\"a\""),
    N("n_object_unclosed_after_colon", "{\"a\":"),
    N("n_object_unclosed_after_value", "{\"a\":1"),
    N("n_object_unclosed_after_comma", "{\"a\":1,"),
    N("n_object_trailing_comma", "{\"a\":1,}"),
    N("n_object_leading_comma", "{,\"a\":1}"),
    N("n_object_missing_colon", "{\"a\" 1}"),
    N("n_object_missing_value", "{\"a\":}"),
    N("n_object_missing_key", "{:1}"),
    N("n_object_unquoted_key", "{a:1}"),
    N("n_object_single_quoted_key", "{'a':1}"),
    N("n_object_number_key", "{1:1}"),
    N("n_object_null_key", "{null:1}"),
    N("n_object_array_key", "{[]:1}"),
    N("n_object_closed_by_bracket", "{]"),
    N("n_object_comma_instead_of_colon", "{\"a\",1}"),
    N("n_object_double_colon", "{\"a\"::1}"),
    N("n_object_colon_instead_of_comma", "{\"a\":1:\"b\":2}"),
    N("n_object_key_without_value_then_next", "{\"a\",\"b\":1}"),
    N("n_object_extra_close", "{}}"),
    N("n_object_bare_value", "{1}"),
    N("n_object_missing_comma", "{\"a\":1 \"b\":2}"),
    /* ---- literals ---- */
    Y("y_literal_true", "true"),
    Y("y_literal_false", "false"),
    Y("y_literal_null", "null"),
    Y("y_literal_in_array", "[true,false,null]"),
    N("n_literal_capitalised", "True"),
    N("n_literal_truncated_true", "tru"),
    N("n_literal_truncated_null", "nul"),
    N("n_literal_truncated_false", "fals"),
    N("n_literal_single_letter", "t"),
    N("n_literal_misspelt", "nulx"),
    N("n_literal_followed_by_letter", "truex"),
    N("n_literal_twice", "nullnull"),
    N("n_literal_nan", "NaN"),
    N("n_literal_nan_lower_in_array", "[nan]"),
    N("n_literal_infinity", "Infinity"),
    N("n_literal_minus_infinity", "-Infinity"),
    N("n_literal_undefined", "undefined"),
    /* ---- numbers ---- */
    Y("y_number_zero", "0"),
    Y("y_number_minus_zero", "-0"),
    Y("y_number_negative", "-1"),
    Y("y_number_fraction", "0.5"),
    Y("y_number_minus_zero_fraction", "-0.0"),
    Y("y_number_fraction_trailing_zeros", "1.000"),
    Y("y_number_exponent", "1e10"),
    Y("y_number_exponent_capital", "1E10"),
    Y("y_number_exponent_plus", "1e+10"),
    Y("y_number_exponent_minus", "1e-10"),
    Y("y_number_fraction_and_exponent", "-1.5E-3"),
    Y("y_number_zero_exponent", "0e0"),
    Y("y_number_minus_zero_exponent", "-0e-0"),
    Y("y_number_exponent_leading_zeros", "1e007"),
    Y("y_number_int64_max", "9223372036854775807"),
    Y("y_number_int64_min", "-9223372036854775808"),
    Y("y_number_uint64_max", "18446744073709551615"),
    Y("y_number_in_array", "[-1,0,1,2.5]"),
    Y("y_number_after_space", " 42"),
    Y("y_number_before_newline", "42\n"),
    N("n_number_plus_sign", "+1"),
    N("n_number_leading_zero", "01"),
    N("n_number_negative_leading_zero", "-01"),
    N("n_number_double_zero", "00"),
    N("n_number_leading_zero_fraction", "01.5"),
    N("n_number_starts_with_dot", ".5"),
    N("n_number_minus_dot", "-.5"),
    N("n_number_ends_with_dot", "1."),
    N("n_number_dot_then_exponent", "1.e1"),
    N("n_number_exponent_empty", "1e"),
    N("n_number_exponent_sign_only", "1e+"),
    N("n_number_exponent_minus_only", "1E-"),
    N("n_number_exponent_fraction", "1e1.5"),
    N("n_number_hex", "0x10"),
    N("n_number_minus_only", "-"),
    N("n_number_minus_space", "- 1"),
    N("n_number_double_minus", "--1"),
    N("n_number_two_dots", "1.2.3"),
    N("n_number_decimal_comma", "1,5"),
    N("n_number_trailing_letter", "12a"),
    N("n_number_infinity_sign", "\xe2\x88\x9e"),
    N("n_number_fullwidth_digit", "\xef\xbc\x91"),
    N("n_number_in_array_leading_zero", "[00]"),
    N("n_number_exponent_twice", "1e2e3"),
    /* ---- strings ---- */
    Y("y_string_empty", "\"\""),
    Y("y_string_simple", "\"hello\""),
    Y("y_string_simple_escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    Y("y_string_u_escape_ascii", "\"\\u0041\""),
    Y("y_string_u_escape_two_bytes", "\"\\u00e9\""),
    Y("y_string_u_escape_upper_hex", "\"\\u20AC\""),
    Y("y_string_surrogate_pair", "\"\\ud83d\\ude00\""),
    Y("y_string_surrogate_pair_upper", "\"\\uD83D\\uDE00\""),
    Y("y_string_utf8_two_bytes", "\"\xc3\xa9\""),
    Y("y_string_utf8_three_bytes", "\"\xe2\x82\xac\""),
    Y("y_string_utf8_four_bytes", "\"\xf0\x9f\x98\x80\""),
    Y("y_string_utf8_max_code_point", "\"\xf4\x8f\xbf\xbf\""),
    Y("y_string_line_separator_raw", "\"\xe2\x80\xa8\""),
    Y("y_string_del_raw", "\"\x7f\""),
    Y("y_string_slash_unescaped", "\"/\""),
    Y("y_string_single_quote", "\"'\""),
    Y("y_string_spaces", "\"  a  \""),
    Y("y_string_escaped_backslash_before_quote", "\"\\\\\""),
    Y("y_string_many_escapes", "\"\\n\\n\\n\\t\\t\\\"\""),
    Y("y_string_mixed_escapes_and_utf8", "\"a\\u00e9\xc3\xa9\\n\""),
    N("n_string_unclosed", "\"abc"),
    N("n_string_only_quote", "\""),
    N("n_string_single_quotes", "'a'"),
    N("n_string_raw_newline", "\"a\nb\""),
    N("n_string_raw_tab", "\"\t\""),
    N("n_string_raw_nul", "\"\0\""),
    N("n_string_raw_unit_separator", "\"\x1f\""),
    N("n_string_escape_x", "\"\\x41\""),
    N("n_string_escape_a", "\"\\a\""),
    N("n_string_escape_single_quote", "\"\\'\""),
    N("n_string_escape_zero", "\"\\0\""),
    N("n_string_escape_capital_u", "\"\\U0041\""),
    N("n_string_escape_eats_quote", "\"\\\""),
    N("n_string_backslash_at_end", "\"\\"),
    N("n_string_u_escape_short", "\"\\u12\""),
    N("n_string_u_escape_bad_hex", "\"\\u12G4\""),
    N("n_string_u_escape_truncated", "\"\\u00"),
    N("n_string_escaped_raw_newline", "\"\\\n\""),
    N("n_string_invalid_byte_ff", "\"\xff\""),
    N("n_string_lone_continuation", "\"\x80\""),
    N("n_string_overlong_slash", "\"\xc0\xaf\""),
    N("n_string_overlong_three_bytes", "\"\xe0\x80\xaf\""),
    N("n_string_encoded_surrogate", "\"\xed\xa0\x80\""),
    N("n_string_truncated_sequence", "\"\xe2\x82\""),
    N("n_string_five_byte_form", "\"\xf8\x88\x80\x80\x80\""),
    N("n_string_above_max_code_point", "\"\xf4\x90\x80\x80\""),
    N("n_string_lead_then_ascii", "\"\xc3x\""),
    /* ---- structure ---- */
    Y("y_structure_top_string", "\"a\""),
    Y("y_structure_surrounding_whitespace", " \n\t\r true \n"),
    Y("y_structure_depth_64", OPEN64 CLOSE64),
    N("n_structure_empty", ""),
    N("n_structure_whitespace_only", "  \n"),
    N("n_structure_two_values", "1 2"),
    N("n_structure_two_arrays", "[] []"),
    N("n_structure_two_objects", "{}{}"),
    N("n_structure_garbage_after_array", "[]x"),
    N("n_structure_garbage_after_number", "1x"),
    N("n_structure_close_bracket_only", "]"),
    N("n_structure_close_brace_only", "}"),
    N("n_structure_comma_only", ","),
    N("n_structure_colon_only", ":"),
    N("n_structure_line_comment", "[1]//c"),
    N("n_structure_block_comment", "/*c*/[1]"),
    N("n_structure_hash_comment", "# c\n1"),
    N("n_structure_nul_after_value", "[]\0"),
    N("n_structure_form_feed_whitespace", "[\f]"),
    N("n_structure_vertical_tab_whitespace", "[\v1]"),
    N("n_structure_no_break_space", "[\xc2\xa0]"),
    N("n_structure_invalid_byte", "[\xff]"),
    N("n_structure_angle_brackets", "<>"),
    N("n_structure_depth_65", "[" OPEN64 CLOSE64 "]"),
    N("n_structure_unmatched_nesting", "[{]}"),
    /* ---- implementation-defined ---- */
    I("i_object_duplicate_key", "{\"a\":1,\"a\":2}", true),
    I("i_object_duplicate_key_via_escape", "{\"a\":1,\"\\u0061\":2}", true),
    I("i_string_lone_high_surrogate", "\"\\ud800\"", false),
    I("i_string_lone_low_surrogate", "\"\\udc00\"", false),
    I("i_string_reversed_surrogates", "\"\\udc00\\ud800\"", false),
    I("i_string_high_surrogate_then_letter", "\"\\ud800x\"", false),
    I("i_string_two_high_surrogates", "\"\\ud800\\ud800\"", false),
    I("i_string_high_surrogate_then_simple_escape", "\"\\ud800\\n\"", false),
    I("i_string_high_surrogate_at_end", "\"\\udbff\"", false),
    I("i_string_noncharacter_escape", "\"\\uffff\"", true),
    I("i_string_noncharacter_raw", "\"\xef\xbf\xbe\"", true),
    I("i_string_nul_escape", "\"\\u0000\"", true),
    I("i_structure_byte_order_mark", "\xef\xbb\xbf[]", false),
    I("i_structure_utf16_bom", "\xfe\xff[]", false),
    I("i_number_huge_exponent", "1e99999", true),
    I("i_number_huge_negative_exponent", "1e-99999", true),
    I("i_number_above_uint64", "18446744073709551616", true),
    I("i_number_below_int64", "-9223372036854775809", true),
    I("i_number_hundred_digits", DIGITS100, true),
    I("i_number_tiny_fraction", "0." DIGITS100, true),
    I("i_structure_top_level_scalar", "1", true),
};

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
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const conf_case *c = &cases[i];
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
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const conf_case *c = &cases[i];
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
