/* v_json_number_to_f64's three paths (json_float.c), each with inputs
 * chosen to land in it, including the midpoint case where the extended
 * path must hand over to the exact one. Expected values are the C
 * compiler's own correctly rounded reading of the same literal. */
#include <v/encoding.h>
#include <v/mem.h>
#include <v/test.h>

static bool same_bits(double a, double b)
{
    return v_mem_equal(&a, &b, sizeof a);
}

#define CASE(lit) {#lit, sizeof #lit - 1, lit}
/* An integer text, read by the compiler as a double literal. */
#define INT_CASE(digits) {#digits, sizeof #digits - 1, digits##.0}

static const struct {
    const char *text;
    size_t len;
    double want;
} cases[] = {
    /* Clinger: <= 2^53 and scale within 10^22. */
    CASE(123.456), CASE(1e22), INT_CASE(9007199254740992), CASE(1e23),
    /* Extended: up to 19 digits, scale within 10^27. */
    CASE(0.12345678901234567), CASE(0.9999999999999999),
    INT_CASE(18446744073709551615), CASE(1844674407370955161.5e-27),
    CASE(1234567890123456789e27), CASE(7.3177701707893310e+15),
    CASE(4.9406564584124654e+11), CASE(9007199254740993e-5),
    /* Exact midpoints between two doubles (above 2^53 they are 2 apart):
     * the extended result lands on the midpoint and the slow path
     * rounds to even. */
    INT_CASE(9007199254740993), INT_CASE(9007199254740995),
    INT_CASE(18014398509481986), INT_CASE(18014398509481990),
    /* Slow: more digits or a larger scale. */
    CASE(2.2250738585072011e-308), CASE(1.7976931348623157e308),
    CASE(0.1000000000000000055511151231257827021181583404541015625),
    CASE(4.9406564584124654e-324), CASE(123456789012345678901e-40),
};

V_TEST(encoding, json_number_paths_round_correctly)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d = 0;
        V_ASSERT_OK(v_json_number_to_f64(cases[i].text, cases[i].len, &d));
        if (!V_EXPECT(same_bits(d, cases[i].want)))
            v_test_note(v_t, cases[i].text);
        /* The negative reads as the exact negation. */
        char neg[80];
        V_ASSERT(cases[i].len + 1 <= sizeof neg);
        neg[0] = '-';
        v_mem_copy(neg + 1, cases[i].text, cases[i].len);
        V_ASSERT_OK(v_json_number_to_f64(neg, cases[i].len + 1, &d));
        V_EXPECT(same_bits(d, -cases[i].want));
    }
}
