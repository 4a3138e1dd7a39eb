/* v_str slices. */
#include <v/test.h>
#include <v/text.h>

V_TEST(text, str_construct_and_compare)
{
    v_str e = v_str_from_cstr(NULL);
    V_EXPECT_EQ(e.len, 0);
    v_str a = v_str_from_cstr("abc");
    V_EXPECT_EQ(a.len, 3);
    V_EXPECT(v_str_equal(a, V_STR_LIT("abc")));
    V_EXPECT(!v_str_equal(a, V_STR_LIT("abd")));
    V_EXPECT(!v_str_equal(a, V_STR_LIT("ab")));
    V_EXPECT(v_str_equal(e, V_STR_LIT("")));
    V_EXPECT(v_str_equal(v_str_make(NULL, 0), v_str_make("x", 0)));
    V_EXPECT_EQ(v_str_compare(a, a), 0);
    V_EXPECT_EQ(v_str_compare(V_STR_LIT("ab"), a), -1);
    V_EXPECT_EQ(v_str_compare(a, V_STR_LIT("ab")), 1);
    V_EXPECT_EQ(v_str_compare(V_STR_LIT("b"), a), 1);
    V_EXPECT_EQ(v_str_compare(V_STR_LIT("\xC3\xA9"), V_STR_LIT("z")), 1);
    V_EXPECT_EQ(v_str_compare(e, e), 0);
    V_EXPECT_EQ(v_str_compare(e, a), -1);
    /* Embedded NULs are bytes like any other. */
    V_EXPECT_EQ(V_STR_LIT("a\0b").len, 3);
    V_EXPECT(!v_str_equal(V_STR_LIT("a\0b"), V_STR_LIT("a\0c")));
}

V_TEST(text, str_prefix_suffix)
{
    v_str s = V_STR_LIT("hello.txt");
    V_EXPECT(v_str_starts_with(s, V_STR_LIT("hell")));
    V_EXPECT(v_str_starts_with(s, V_STR_LIT("")));
    V_EXPECT(v_str_starts_with(s, s));
    V_EXPECT(!v_str_starts_with(s, V_STR_LIT("hello.txt!")));
    V_EXPECT(!v_str_starts_with(s, V_STR_LIT("x")));
    V_EXPECT(v_str_ends_with(s, V_STR_LIT(".txt")));
    V_EXPECT(v_str_ends_with(s, V_STR_LIT("")));
    V_EXPECT(!v_str_ends_with(s, V_STR_LIT(".txT")));
    V_EXPECT(!v_str_ends_with(V_STR_LIT("t"), V_STR_LIT("tt")));
    V_EXPECT(v_str_starts_with(v_str_make(NULL, 0), V_STR_LIT("")));
}

V_TEST(text, str_find)
{
    v_str s = V_STR_LIT("abcabcab");
    V_EXPECT_EQ(v_str_find_byte(s, 'c', 0), 2);
    V_EXPECT_EQ(v_str_find_byte(s, 'c', 3), 5);
    V_EXPECT_EQ(v_str_find_byte(s, 'z', 0), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find_byte(s, 'a', 8), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find_byte(s, 'a', 100), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find_byte(V_STR_LIT("\xFF"), 0xFF, 0), 0);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("cab"), 0), 2);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("cab"), 3), 5);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("cab"), 6), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("ab"), 6), 6);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("abd"), 0), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT(""), 8), 8);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT(""), 9), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find(s, V_STR_LIT("abcabcabc"), 0), V_STR_NPOS);
    V_EXPECT_EQ(v_str_find(s, s, 0), 0);
    V_EXPECT_EQ(v_str_find(V_STR_LIT("aaab"), V_STR_LIT("aab"), 0), 1);
    V_EXPECT_EQ(v_str_find(v_str_make(NULL, 0), V_STR_LIT("a"), 0),
                V_STR_NPOS);
    /* A match that would run past the end is not a match. */
    V_EXPECT_EQ(v_str_find(v_str_make("abcx", 3), V_STR_LIT("cx"), 0),
                V_STR_NPOS);
}

V_TEST(text, str_split_and_sub)
{
    v_str s = V_STR_LIT("key=value");
    v_str h, t;
    V_EXPECT_OK(v_str_split_at(s, 3, &h, &t));
    V_EXPECT(v_str_equal(h, V_STR_LIT("key")));
    V_EXPECT(v_str_equal(t, V_STR_LIT("=value")));
    V_EXPECT_OK(v_str_split_at(s, 0, &h, &t));
    V_EXPECT_EQ(h.len, 0);
    V_EXPECT(v_str_equal(t, s));
    V_EXPECT_OK(v_str_split_at(s, 9, &h, NULL));
    V_EXPECT(v_str_equal(h, s));
    h = V_STR_LIT("keep");
    V_EXPECT_STATUS(v_str_split_at(s, 10, &h, &t), V_ERR_OUT_OF_RANGE);
    V_EXPECT(v_str_equal(h, V_STR_LIT("keep")));
    V_EXPECT_OK(v_str_split_at(v_str_make(NULL, 0), 0, &h, &t));
    V_EXPECT_EQ(t.len, 0);
    v_str sub;
    V_EXPECT_OK(v_str_sub(s, 4, 5, &sub));
    V_EXPECT(v_str_equal(sub, V_STR_LIT("value")));
    V_EXPECT_OK(v_str_sub(s, 9, 0, &sub));
    V_EXPECT_EQ(sub.len, 0);
    V_EXPECT_STATUS(v_str_sub(s, 4, 6, &sub), V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_str_sub(s, 10, 0, &sub), V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_str_sub(s, 1, (size_t)-1, &sub), V_ERR_OUT_OF_RANGE);
}

V_TEST(text, str_trim)
{
    V_EXPECT(v_str_equal(v_str_trim(V_STR_LIT(" \t\n\v\f\rab c \r\n")),
                         V_STR_LIT("ab c")));
    V_EXPECT(v_str_equal(v_str_trim_start(V_STR_LIT("  x ")), V_STR_LIT("x ")));
    V_EXPECT(v_str_equal(v_str_trim_end(V_STR_LIT("  x ")), V_STR_LIT("  x")));
    V_EXPECT_EQ(v_str_trim(V_STR_LIT("    ")).len, 0);
    V_EXPECT_EQ(v_str_trim(v_str_make(NULL, 0)).len, 0);
    /* Only ASCII whitespace: NBSP (C2 A0) and NUL stay. */
    V_EXPECT(v_str_equal(v_str_trim(V_STR_LIT("\xC2\xA0x\xC2\xA0")),
                         V_STR_LIT("\xC2\xA0x\xC2\xA0")));
    V_EXPECT_EQ(v_str_trim(V_STR_LIT("\0 ")).len, 1);
}
