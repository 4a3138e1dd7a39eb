/* The formatter: expected strings, every flag/width/precision combination
 * against the host C library (the tests are hosted, so glibc's snprintf is
 * an independent oracle for the subset both define), truncation at every
 * capacity with guard bytes, errors, sinks. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <v/mem.h>
#include <v/test.h>
#include <v/text.h>

/* Formats built at run time, and deliberately malformed ones, must reach
 * the formatter without the compiler's format check. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#ifndef __clang__
/* gcc checks v_fmt as printf: NULL for %s is defined here, not there. */
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
typedef v_status (*fmt_fn)(char *, size_t, size_t *, const char *, ...);
static fmt_fn const fmt_unchecked = v_fmt;

#define EXPECT_FMT(want, ...)                                               \
    do {                                                                    \
        char buf_[256];                                                     \
        size_t need_ = 0;                                                   \
        V_EXPECT_OK(v_fmt(buf_, sizeof buf_, &need_, __VA_ARGS__));         \
        V_EXPECT_STR_EQ(buf_, want);                                        \
        V_EXPECT_EQ(need_, strlen(want));                                   \
    } while (0)

V_TEST(text, fmt_basic_conversions)
{
    EXPECT_FMT("", "");
    EXPECT_FMT("plain text", "plain text");
    EXPECT_FMT("100%", "100%%");
    EXPECT_FMT("42 -7 42", "%d %i %u", 42, -7, 42u);
    EXPECT_FMT("ff FF 17", "%x %X %o", 255u, 255u, 15u);
    EXPECT_FMT("0xff 0XFF 017 0", "%#x %#X %#o %#x", 255u, 255u, 15u, 0u);
    EXPECT_FMT("[a][  b][c  ]", "[%c][%3c][%-3c]", 'a', 'b', 'c');
    EXPECT_FMT("hi (null)", "%s %s", "hi", (const char *)NULL);
    EXPECT_FMT("[]", "[%.3s]", (const char *)NULL);
    EXPECT_FMT("0x0 0x1000", "%p %p", (void *)0, (void *)(uintptr_t)0x1000);
    EXPECT_FMT("[    0x10]", "[%8p]", (void *)(uintptr_t)16);
    EXPECT_FMT("[0x10    ]", "[%-8p]", (void *)(uintptr_t)16);
    EXPECT_FMT("\xE2\x82\xAC 5", "\xE2\x82\xAC %d", 5);
}

V_TEST(text, fmt_integer_extremes)
{
    EXPECT_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    EXPECT_FMT("9223372036854775807", "%lld", (long long)INT64_MAX);
    EXPECT_FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    EXPECT_FMT("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
    EXPECT_FMT("ffffffffffffffff", "%jx", (uintmax_t)UINTMAX_MAX);
    EXPECT_FMT("-9223372036854775808", "%jd", (intmax_t)INT64_MIN);
    EXPECT_FMT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
    EXPECT_FMT("-128 127 255", "%hhd %hhd %hhu", -128, 127, 255);
    EXPECT_FMT("-1 44", "%hhd %hhu", 255, 300); /* converted as C says */
    EXPECT_FMT("-32768 65535", "%hd %hu", -32768, 65535);
    EXPECT_FMT("-1 1", "%hd %hu", 65535, 65537);
    EXPECT_FMT("18446744073709551615 -1", "%zu %zd", (size_t)-1, (size_t)-1);
    EXPECT_FMT("-5 5", "%td %tu", (ptrdiff_t)-5, (ptrdiff_t)5);
    EXPECT_FMT("-1 4294967295", "%ld %lu", -1L, 4294967295UL);
    EXPECT_FMT("[-00000000000000000000009223372036854775808]", "[%042lld]",
               (long long)INT64_MIN);
}

V_TEST(text, fmt_long_slices)
{
    /* A %s precision is a read limit, not padding: no 4096 cap. */
    static char big[10000];
    v_mem_set(big, 'q', sizeof big);
    v_str s = v_str_make(big, 9000);
    char out[16];
    size_t need = 0;
    V_EXPECT_STATUS(v_fmt(out, sizeof out, &need, "<" V_STR_FMT ">",
                          V_STR_ARG(s)), V_ERR_TRUNCATED);
    V_EXPECT_EQ(need, 9002);
    V_EXPECT_STR_EQ(out, "<qqqqqqqqqqqqqq");
    V_EXPECT_OK(v_fmt(out, sizeof out, &need, "%.2147483647s", "abc"));
    V_EXPECT_STR_EQ(out, "abc");
    v_str empty = v_str_make(NULL, 0);
    V_EXPECT_OK(v_fmt(out, sizeof out, &need, "[" V_STR_FMT "]",
                      V_STR_ARG(empty)));
    V_EXPECT_STR_EQ(out, "[]");
}

V_TEST(text, fmt_slices_and_precision)
{
    const char bytes[] = { 'a', 'b', 'c', 'd' }; /* no NUL */
    EXPECT_FMT("[abc]", "[%.*s]", 3, bytes);
    EXPECT_FMT("[abcd]", "[%.*s]", 4, bytes);
    EXPECT_FMT("[]", "[%.*s]", 0, (const char *)NULL);
    EXPECT_FMT("[  ab]", "[%4.2s]", "abcdef");
    EXPECT_FMT("[ab  ]", "[%-4.*s]", 2, "abcdef");
    EXPECT_FMT("[abcdef]", "[%.*s]", -1, "abcdef"); /* negative: omitted */
    EXPECT_FMT("[     7]", "[%*d]", 6, 7);
    EXPECT_FMT("[7     ]", "[%*d]", -6, 7);
    EXPECT_FMT("[   007]", "[%*.*d]", 6, 3, 7);
    EXPECT_FMT("[7]", "[%.*d]", -3, 7);
    EXPECT_FMT("[]", "[%.0d]", 0);
    EXPECT_FMT("[ ]", "[%1.0x]", 0u);
    EXPECT_FMT("[0]", "[%#.0o]", 0u);
    EXPECT_FMT("[00042]", "[%.5d]", 42);
    EXPECT_FMT("[   00042]", "[%08.5d]", 42); /* precision disables '0' */
    EXPECT_FMT("[+00042]", "[%+06d]", 42);
    EXPECT_FMT("[ 42]", "[% d]", 42);
    EXPECT_FMT("[+42]", "[%+ d]", 42);
    EXPECT_FMT("[0x002a]", "[%#06x]", 42u);
    EXPECT_FMT("[0x2a  ]", "[%-#6x]", 42u);
}

/* Compares v_fmt to the host snprintf for one format and two arguments
 * (the second is used by '*'s; integer conversions read the first). */
static bool same_as_libc(v_test_ctx *v_t, const char *f, long long a,
                         long long b, int kind)
{
    char want[512], got[512];
    size_t need = 0;
    v_status st;
    int n;
    switch (kind) {
    case 0: /* int-sized */
        n = snprintf(want, sizeof want, f, (int)a);
        st = fmt_unchecked(got, sizeof got, &need, f, (int)a);
        break;
    case 1: /* long long */
        n = snprintf(want, sizeof want, f, a);
        st = fmt_unchecked(got, sizeof got, &need, f, a);
        break;
    default: /* star width and precision, then an int */
        n = snprintf(want, sizeof want, f, (int)b, (int)b, (int)a);
        st = fmt_unchecked(got, sizeof got, &need, f, (int)b, (int)b, (int)a);
        break;
    }
    bool ok = st == V_OK && n >= 0 && need == (size_t)n &&
              strcmp(want, got) == 0;
    if (!ok) {
        char note[600];
        snprintf(note, sizeof note, "format \"%s\" a=%lld b=%lld: libc "
                 "\"%s\", ours \"%s\" (%s)", f, a, b, want, got,
                 v_status_name(st));
        v_test_note(v_t, note);
    }
    return V_EXPECT(ok);
}

V_TEST(text, fmt_all_flag_width_precision_combinations_match_libc)
{
    static const char *const widths[] = { "", "1", "5", "24" };
    static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".22" };
    static const char convs[] = "diuxXo";
    static const long long values[] = { 0, 1, -1, 42, 7, -100000, INT_MAX,
                                        INT_MIN, (long long)INT64_MIN,
                                        INT64_MAX, 0x7f5a3c };
    int failures = 0;
    for (unsigned flags = 0; flags < 32; flags++) {
        char fl[8];
        size_t k = 0;
        for (int i = 0; i < 5; i++)
            if (flags & (1u << i))
                fl[k++] = "-0+ #"[i];
        fl[k] = 0;
        for (size_t w = 0; w < 4; w++)
            for (size_t p = 0; p < 6; p++)
                for (size_t c = 0; c < 6; c++)
                    for (int ll = 0; ll < 2; ll++)
                        for (size_t v = 0; v < sizeof values / sizeof values[0];
                             v++) {
                            char f[32];
                            snprintf(f, sizeof f, "[%%%s%s%s%s%c]", fl,
                                     widths[w], precs[p], ll ? "ll" : "",
                                     convs[c]);
                            if (!same_as_libc(v_t, f, values[v], 0, ll) &&
                                ++failures > 10)
                                return;
                        }
    }
}

V_TEST(text, fmt_star_and_strings_match_libc)
{
    static const int stars[] = { -30, -5, -1, 0, 1, 3, 9, 30 };
    static const char *const forms[] = { "[%*.*d]", "[%-*.*x]", "[%0*.*o]",
                                         "[%+*.*i]", "[%#*.*X]", "[% 0*.*u]" };
    for (size_t f = 0; f < 6; f++)
        for (size_t s = 0; s < 8; s++) {
            same_as_libc(v_t, forms[f], 12345, stars[s], 2);
            same_as_libc(v_t, forms[f], 0, stars[s], 2);
            same_as_libc(v_t, forms[f], -77, stars[s], 2);
        }
    static const char *const sforms[] = { "[%s]", "[%10s]", "[%-10s]",
                                          "[%.2s]", "[%10.3s]", "[%-1.0s]",
                                          "[%05s]", "[%c]", "[%5c]",
                                          "[%-5c]" };
    for (size_t f = 0; f < sizeof sforms / sizeof sforms[0]; f++) {
        char want[64], got[64];
        size_t need;
        bool is_c = strchr(sforms[f], 'c') != NULL;
        if (is_c) {
            snprintf(want, sizeof want, sforms[f], 'Z');
            V_EXPECT_OK(fmt_unchecked(got, sizeof got, &need, sforms[f], 'Z'));
        } else {
            snprintf(want, sizeof want, sforms[f], "hello");
            V_EXPECT_OK(fmt_unchecked(got, sizeof got, &need, sforms[f],
                                      "hello"));
        }
        V_EXPECT_STR_EQ(got, want);
        V_EXPECT_EQ(need, strlen(want));
    }
}

V_TEST(text, fmt_length_modifiers_match_libc)
{
    static const long long values[] = { 0, 1, -1, 127, 128, 255, 256, -129,
                                        32767, 32768, 65535, 65536, -32769,
                                        INT_MAX, INT_MIN };
    static const char *const forms[] = { "%hhd", "%hhu", "%hhx", "%hd",
                                         "%hu", "%ho", "%d", "%u", "%X" };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++)
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
            same_as_libc(v_t, forms[f], values[v], 0, 0);
}

/* Truncation: at every capacity, the result is the longest prefix that
 * fits cut on a UTF-8 boundary, NUL-terminated, and nothing is written at
 * or past cap (guard bytes). */
static void check_truncation(v_test_ctx *v_t, const char *full,
                             const char *f, const char *arg)
{
    size_t len = strlen(full);
    for (size_t cap = 0; cap <= len + 2; cap++) {
        char buf[128];
        v_mem_set(buf, 0x5A, sizeof buf);
        size_t need = 0;
        v_status st = fmt_unchecked(cap ? buf : NULL, cap, &need, f, arg);
        V_EXPECT_EQ(need, len);
        if (cap > len) {
            V_EXPECT_OK(st);
            V_EXPECT_STR_EQ(buf, full);
        } else {
            V_EXPECT_STATUS(st, V_ERR_TRUNCATED);
            if (cap > 0) {
                size_t keep = v_utf8_boundary(full, cap - 1);
                V_EXPECT_EQ(strlen(buf), keep);
                V_EXPECT_MEM_EQ(buf, full, keep);
                V_EXPECT_OK(v_utf8_validate(buf, strlen(buf), NULL));
            }
        }
        for (size_t g = cap; g < sizeof buf; g++)
            V_ASSERT_EQ(buf[g], 0x5A); /* nothing written at or past cap */
    }
}

V_TEST(text, fmt_truncation_at_every_capacity)
{
    check_truncation(v_t, "hello, world", "hello, %s", "world");
    check_truncation(v_t, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80!",
                     "caf\xC3\xA9 %s!", "\xE2\x82\xAC \xF0\x9F\x98\x80");
    check_truncation(v_t, "[     \xCE\xB1\xCE\xB2]", "[%9s]",
                     "\xCE\xB1\xCE\xB2");
    char big[128];
    size_t need;
    v_mem_set(big, 0x5A, sizeof big);
    V_EXPECT_STATUS(v_fmt(big, 10, &need, "%40d|", 5), V_ERR_TRUNCATED);
    V_EXPECT_EQ(need, 41);
    V_EXPECT_STR_EQ(big, "         ");
    V_EXPECT_EQ(big[10], 0x5A);
    V_EXPECT_STATUS(v_fmt(NULL, 0, NULL, "x"), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_fmt(NULL, 0, &need, "%s", ""), V_ERR_TRUNCATED);
    V_EXPECT_EQ(need, 0);
    V_EXPECT_OK(v_fmt(big, 1, &need, "%s", ""));
    V_EXPECT_STR_EQ(big, "");
}

static v_status expect_err(const char *f, int arg, char *buf, size_t *need)
{
    v_mem_set(buf, 0x5A, 64);
    return fmt_unchecked(buf, 64, need, f, arg, arg, arg);
}

V_TEST(text, fmt_rejects_malformed_and_unsupported)
{
    static const char *const invalid[] = {
        "%", "abc%", "%5", "%-", "%.", "%.3", "%l", "%ll", "%hh", "%y",
        "%n", "%hhhd", "%lld%", "%5%", "%-%", "%Ld", "%Lx", "%hs", "%hc",
        "%zp", "%lp", "%C", "%S", "%m", "%4097d", "%.4097d",
        "%99999999999999999999d", "%.99999999999999999999d", "%q", "%lq",
        "%jc",
    };
    char buf[64];
    size_t need;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        v_status st = expect_err(invalid[i], 1, buf, &need);
        if (!V_EXPECT_STATUS(st, V_ERR_INVALID_ARGS))
            v_test_note(v_t, invalid[i]);
        V_EXPECT_EQ(buf[need], 0); /* NUL-terminated */
    }
    static const char *const unsupported[] = { "%f", "%F", "%e", "%E", "%g",
                                               "%G", "%a", "%A", "%Lf",
                                               "%lf", "%lc", "%ls" };
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        v_status st = expect_err(unsupported[i], 1, buf, &need);
        if (!V_EXPECT_STATUS(st, V_ERR_NOT_SUPPORTED))
            v_test_note(v_t, unsupported[i]);
    }
    /* Text before the bad conversion stays, terminated. */
    V_EXPECT_STATUS(expect_err("ok %d then %y", 7, buf, &need),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(buf, "ok 7 then ");
    V_EXPECT_EQ(need, 10);
    /* '*' out of range either way. */
    V_EXPECT_STATUS(expect_err("%*d", 4097, buf, &need), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%*d", -4097, buf, &need), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%*d", INT_MIN, buf, &need),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%.*d", 4097, buf, &need), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%.*x", INT_MAX, buf, &need),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%.2147483648s", 0, buf, &need),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(expect_err("%*d", 4096, buf, &need), V_ERR_TRUNCATED);
    V_EXPECT_EQ(need, 4096);
    V_EXPECT_OK(expect_err("%.*d", INT_MIN, buf, &need)); /* as omitted */
    V_EXPECT_STATUS(v_fmt(buf, 8, &need, NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_fmt(NULL, 8, &need, "x"), V_ERR_INVALID_ARGS);
}

typedef struct collect {
    char buf[256];
    size_t len;
    int calls;
    int fail_at; /* call number that fails, or -1 */
} collect;

static v_status collect_put(void *ctx, const char *bytes, size_t len)
{
    collect *c = ctx;
    if (c->calls++ == c->fail_at)
        return V_ERR_IO;
    if (len == 0 || len > sizeof c->buf - c->len)
        return V_ERR_LIMIT; /* never called with 0; never overflows here */
    v_mem_copy(c->buf + c->len, bytes, len);
    c->len += len;
    return V_OK;
}

V_TEST(text, fmt_to_sink_streams_and_stops_at_error)
{
    collect c = { .fail_at = -1 };
    v_fmt_sink sink = { collect_put, &c };
    V_EXPECT_OK(v_fmt_to(&sink, "a=%d, s=%-6s|%%|%50x", -12, "xy", 255u));
    V_EXPECT_EQ(c.len, strlen("a=-12, s=xy    |%|") + 50);
    V_EXPECT_MEM_EQ(c.buf, "a=-12, s=xy    |%|", 18);
    V_EXPECT_MEM_EQ(c.buf + c.len - 3, " ff", 3);
    for (int k = 0; k < 6; k++) {
        collect d = { .fail_at = k };
        v_fmt_sink s2 = { collect_put, &d };
        V_EXPECT_STATUS(v_fmt_to(&s2, "a=%d, s=%-6s|%%|%50x", -12, "xy",
                                 255u), V_ERR_IO);
        V_EXPECT_EQ(d.calls, k + 1); /* stopped at the first error */
    }
    V_EXPECT_STATUS(v_fmt_to(NULL, "x"), V_ERR_INVALID_ARGS);
    v_fmt_sink none = { NULL, NULL };
    V_EXPECT_STATUS(v_fmt_to(&none, "x"), V_ERR_INVALID_ARGS);
}
