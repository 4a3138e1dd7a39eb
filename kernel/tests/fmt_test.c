/* The kernel printf: every conversion, width and flag, and truncation. */
#include <k/fmt.h>
#include <stdarg.h>
#include <stdint.h>
#include <v/test.h>

#define FMT_EQ(want, ...)                                                    \
    do {                                                                     \
        char buf_[64];                                                       \
        size_t n_ = ksnprintf(buf_, sizeof buf_, __VA_ARGS__);               \
        V_EXPECT_STR_EQ(buf_, want);                                         \
        V_EXPECT_EQ(n_, sizeof(want) - 1);                                   \
    } while (0)

/* ksnprintf without the compiler's format checking, for formats that are
 * wrong on purpose (kfmt_v takes a va_list and is not checked). */
typedef struct raw_buf {
    char *p;
    size_t len, cap;
} raw_buf;

static void raw_sink(void *ctx, const char *s, size_t n)
{
    raw_buf *b = ctx;
    for (size_t i = 0; i < n && b->len + 1 < b->cap; i++)
        b->p[b->len++] = s[i];
}

static const char *raw(char *buf, size_t cap, const char *fmt, ...)
{
    raw_buf b = {buf, 0, cap};
    va_list ap;
    va_start(ap, fmt);
    kfmt_v(raw_sink, &b, fmt, ap);
    va_end(ap);
    buf[b.len] = '\0';
    return buf;
}

V_TEST(kernel, fmt_integers)
{
    FMT_EQ("0", "%d", 0);
    FMT_EQ("-42", "%d", -42);
    FMT_EQ("-2147483648", "%d", INT32_MIN);
    FMT_EQ("4294967295", "%u", UINT32_MAX);
    FMT_EQ("-9223372036854775808", "%ld", INT64_MIN);
    FMT_EQ("18446744073709551615", "%lu", UINT64_MAX);
    FMT_EQ("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    FMT_EQ("ff", "%x", 255u);
    FMT_EQ("FF", "%X", 255u);
    FMT_EQ("ffffffffffffffff", "%lx", UINT64_MAX);
    FMT_EQ("123", "%zu", (size_t)123);
    FMT_EQ("7", "%i", 7);
}

V_TEST(kernel, fmt_width_and_flags)
{
    FMT_EQ("   42", "%5d", 42);
    FMT_EQ("42   |", "%-5d|", 42);
    FMT_EQ("00042", "%05d", 42);
    FMT_EQ("-0042", "%05d", -42);
    FMT_EQ("0000beef", "%08x", 0xbeefu);
    FMT_EQ("123456", "%3d", 123456); /* width is a minimum */
    FMT_EQ("  ab", "%4s", "ab");
    FMT_EQ("ab  |", "%-4s|", "ab");
}

V_TEST(kernel, fmt_strings_chars_pointers)
{
    FMT_EQ("hello world", "%s %s", "hello", "world");
    char buf[16];
    V_EXPECT_STR_EQ(raw(buf, sizeof buf, "%s", (const char *)0), "(null)");
    FMT_EQ("x=A", "x=%c", 'A');
    FMT_EQ("100%", "100%%");
    FMT_EQ("0x00000000deadbeef", "%p", (void *)(uintptr_t)0xdeadbeef);
}

V_TEST(kernel, fmt_unknown_conversions_print_literally)
{
    char buf[16];
    V_EXPECT_STR_EQ(raw(buf, sizeof buf, "%q"), "%q");
    V_EXPECT_STR_EQ(raw(buf, sizeof buf, "a%"), "a%");
    V_EXPECT_STR_EQ(raw(buf, sizeof buf, "%5q|"), "%5q|");
    V_EXPECT_STR_EQ(raw(buf, sizeof buf, "%lq"), "%lq");
}

V_TEST(kernel, fmt_truncates_and_reports_full_length)
{
    char buf[6];
    V_EXPECT_EQ(ksnprintf(buf, sizeof buf, "%s", "abcdefgh"), 8u);
    V_EXPECT_STR_EQ(buf, "abcde");
    V_EXPECT_EQ(ksnprintf(buf, 1, "%d", 12345), 5u);
    V_EXPECT_STR_EQ(buf, "");
    /* cap 0: nothing is written, not even the terminator. */
    buf[0] = 'z';
    V_EXPECT_EQ(ksnprintf(buf, 0, "abc"), 3u);
    V_EXPECT_EQ(buf[0], 'z');
}
