/* Deliberately mixed results, for harness_check.sh to verify what the
 * harness prints and returns. Not part of libv_tests. */
#include <v/test.h>

V_TEST(selftest, passes)
{
    V_EXPECT_EQ(2 + 2, 4);
    V_EXPECT_STR_EQ("a", "a");
}

V_TEST(selftest, int_mismatch)
{
    unsigned long big = 18446744073709551615ul;
    V_EXPECT_EQ(big, -1); /* must fail: compared mathematically */
    V_EXPECT_LT(3, 2);
}

V_TEST(selftest, str_mismatch)
{
    V_EXPECT_STR_EQ("tab\there", "tab here");
}

V_TEST(selftest, mem_mismatch)
{
    V_EXPECT_MEM_EQ("abcdefghij", "abcdefghiX", 10);
}

V_TEST(selftest, status_mismatch)
{
    V_EXPECT_OK(V_ERR_NO_MEMORY);
}

V_TEST(selftest, assert_stops)
{
    V_ASSERT(1 == 2);
    V_EXPECT(0 && "never reached");
}

V_TEST(other, passes_too)
{
    V_EXPECT(1);
}
