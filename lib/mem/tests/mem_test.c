#include <v/mem.h>
#include <v/status.h>
#include <v/test.h>

V_TEST(mem, copy_and_compare)
{
    char a[16] = "hello, vectra!!";
    char b[16];
    v_mem_set(b, 'x', sizeof b);
    V_EXPECT_PTR_EQ(v_mem_copy(b, a, 5), b);
    V_EXPECT_MEM_EQ(b, "helloxxxxx", 10);
    V_EXPECT(v_mem_equal(a, b, 5));
    V_EXPECT(!v_mem_equal(a, b, 6));
    V_EXPECT_LT(v_mem_compare("abc", "abd", 3), 0);
    V_EXPECT_GT(v_mem_compare("\xff", "\x01", 1), 0);
    V_EXPECT_EQ(v_mem_compare("abc", "abd", 0), 0);
}

V_TEST(mem, move_overlapping_both_ways)
{
    char s[] = "0123456789";
    v_mem_move(s + 2, s, 5);
    V_EXPECT_STR_EQ(s, "0101234789");
    char t[] = "0123456789";
    v_mem_move(t, t + 3, 5);
    V_EXPECT_STR_EQ(t, "3456756789");
}

V_TEST(mem, wipe_zeroes)
{
    unsigned char k[32];
    v_mem_set(k, 0xa5, sizeof k);
    v_mem_wipe(k, sizeof k);
    for (size_t i = 0; i < sizeof k; i++)
        V_ASSERT_EQ(k[i], 0);
}

V_TEST(mem, cstr)
{
    V_EXPECT_EQ(v_cstr_len(""), 0);
    V_EXPECT_EQ(v_cstr_len("vectra"), 6);
    V_EXPECT_EQ(v_cstr_compare("a", "a"), 0);
    V_EXPECT_LT(v_cstr_compare("a", "ab"), 0);
    V_EXPECT_GT(v_cstr_compare("b", "ab"), 0);
    V_EXPECT_GT(v_cstr_compare("\xc3", "a"), 0);
}

V_TEST(mem, status_names)
{
    V_EXPECT_STR_EQ(v_status_name(V_OK), "OK");
    V_EXPECT_STR_EQ(v_status_name(V_ERR_NO_MEMORY), "NO_MEMORY");
    V_EXPECT_STR_EQ(v_status_name(V_ERR_NOT_SUPPORTED), "NOT_SUPPORTED");
    V_EXPECT_STR_EQ(v_status_name(V_ERR_TRUNCATED), "TRUNCATED");
    V_EXPECT_STR_EQ(v_status_name(12345), "UNKNOWN");
    /* The substrate codes keep their numeric values (docs/conventions.md). */
    V_EXPECT_EQ(V_ERR_BAD_HANDLE, -1);
    V_EXPECT_EQ(V_ERR_NOT_SUPPORTED, -11);
}
