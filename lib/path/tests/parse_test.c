/* Text at the boundary: what the parser accepts, what it rejects and
 * where, the bounds, lexical resolution and rendering back to text. */
#include <string.h>
#include <v/path.h>
#include <v/test.h>
#include "../../io/tests/fault.h"

/* Parses s (C string) strictly and renders it again. */
static v_status roundtrip(const char *s, unsigned flags, char *out,
                          size_t cap)
{
    v_path p;
    v_status st = v_path_parse(&p, s, strlen(s), flags, NULL);
    if (st != V_OK)
        return st;
    return v_path_render(&p, out, cap, NULL);
}

V_TEST(path, parse_strict_accepts_canonical_text)
{
    static const char *const ok[] = {
        "/", ".", "a", "/a", "a/b/c", "/a/b", "...", ".a", "a.", "..a",
        "a..", "with space", "/h\xc3\xa9llo/\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x98\x80", "-", "a\\b", "\x01\x7f",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[64];
        V_EXPECT_OK(roundtrip(ok[i], 0, out, sizeof out));
        V_EXPECT_STR_EQ(out, ok[i]);
    }
    v_path p;
    V_ASSERT_OK(v_path_parse(&p, "/usr/lib", 8, 0, NULL));
    V_EXPECT(v_path_is_absolute(&p));
    V_EXPECT_EQ(v_path_depth(&p), 2);
    V_ASSERT_OK(v_path_parse(&p, "usr/lib/x", 9, 0, NULL));
    V_EXPECT(!v_path_is_absolute(&p));
    V_EXPECT_EQ(v_path_depth(&p), 3);
    V_ASSERT_OK(v_path_parse(&p, ".", 1, 0, NULL));
    V_EXPECT(!v_path_is_absolute(&p));
    V_EXPECT_EQ(v_path_depth(&p), 0);
    V_ASSERT_OK(v_path_parse(&p, "/", 1, 0, NULL));
    V_EXPECT(v_path_is_absolute(&p));
    V_EXPECT_EQ(v_path_depth(&p), 0);
    /* Only len bytes are read: no NUL needed. */
    V_ASSERT_OK(v_path_parse(&p, "a/bXXX", 3, 0, NULL));
    V_EXPECT_EQ(v_path_depth(&p), 2);
}

V_TEST(path, parse_strict_rejects_with_offset)
{
    static const struct { const char *s; size_t len; v_status st;
                          size_t at; } bad[] = {
        { "", 0, V_ERR_MALFORMED, 0 },
        { "//", 2, V_ERR_MALFORMED, 1 },
        { "/a/", 3, V_ERR_MALFORMED, 3 },
        { "a/", 2, V_ERR_MALFORMED, 2 },
        { "a//b", 4, V_ERR_MALFORMED, 2 },
        { "./a", 3, V_ERR_MALFORMED, 0 },
        { "a/.", 3, V_ERR_MALFORMED, 2 },
        { "a/../b", 6, V_ERR_MALFORMED, 2 },
        { "/..", 3, V_ERR_MALFORMED, 1 },
        { "..", 2, V_ERR_MALFORMED, 0 },
        { "/.", 2, V_ERR_MALFORMED, 1 },
        { "a/b\0c", 5, V_ERR_MALFORMED, 2 },
        { "\0", 1, V_ERR_MALFORMED, 0 },
        { "a/\xff", 3, V_ERR_MALFORMED, 2 },
        { "\xc0\xaf", 2, V_ERR_MALFORMED, 0 },         /* overlong '/' */
        { "x/\xed\xa0\x80", 5, V_ERR_MALFORMED, 2 },   /* surrogate */
        { "\xf4\x90\x80\x80", 4, V_ERR_MALFORMED, 0 }, /* > U+10FFFF */
        { "a/\xe6\x97", 4, V_ERR_MALFORMED, 2 },       /* cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v_path p, before;
        memset(&p, 0x5a, sizeof p);
        before = p;
        size_t at = 999;
        V_EXPECT_STATUS(v_path_parse(&p, bad[i].s, bad[i].len, 0, &at),
                        bad[i].st);
        V_EXPECT_EQ(at, bad[i].at);
        V_EXPECT(memcmp(&p, &before, sizeof p) == 0);
        /* bad_offset may be NULL. */
        V_EXPECT_STATUS(v_path_parse(&p, bad[i].s, bad[i].len, 0, NULL),
                        bad[i].st);
    }
    v_path p;
    size_t at;
    V_EXPECT_STATUS(v_path_parse(&p, "a", 1, 2, &at), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_path_parse(&p, "a", 1, 0x80000000u, NULL),
                    V_ERR_INVALID_ARGS);
}

V_TEST(path, parse_bounds)
{
    static char text[4 * V_PATH_MAX_TEXT + 8];
    v_path p;
    size_t at;
    /* Component length. */
    memset(text, 'c', V_PATH_MAX_COMPONENT + 1);
    V_EXPECT_OK(v_path_parse(&p, text, V_PATH_MAX_COMPONENT, 0, NULL));
    V_EXPECT_STATUS(v_path_parse(&p, text, V_PATH_MAX_COMPONENT + 1, 0, &at),
                    V_ERR_LIMIT);
    V_EXPECT_EQ(at, 0);
    /* Depth: "a/a/.../a". */
    for (size_t i = 0; i < 2 * (V_PATH_MAX_DEPTH + 1); i += 2) {
        text[i] = 'a';
        text[i + 1] = '/';
    }
    V_EXPECT_OK(v_path_parse(&p, text, 2 * V_PATH_MAX_DEPTH - 1, 0, NULL));
    V_EXPECT_EQ(v_path_depth(&p), V_PATH_MAX_DEPTH);
    V_EXPECT_STATUS(v_path_parse(&p, text, 2 * V_PATH_MAX_DEPTH + 1, 0, &at),
                    V_ERR_LIMIT);
    V_EXPECT_EQ(at, 2 * V_PATH_MAX_DEPTH);
    /* Total bytes: 4 components of 255 is 1020; then 4 and 5 more. */
    size_t k = 0;
    for (int c = 0; c < 4; c++) {
        memset(text + k, 'x', 255);
        k += 255;
        text[k++] = '/';
    }
    memcpy(text + k, "yyyyy", 5);
    V_EXPECT_OK(v_path_parse(&p, text, k + 4, 0, NULL));
    V_EXPECT_EQ(v_path_text_len(&p), k + 4);
    V_EXPECT_STATUS(v_path_parse(&p, text, k + 5, 0, &at), V_ERR_LIMIT);
    V_EXPECT_EQ(at, k);
    /* The longest canonical text parses; one byte more is refused before
     * any scanning. */
    text[0] = '/';
    k = 1;
    for (int c = 0; c < V_PATH_MAX_DEPTH; c++) {
        memset(text + k, 'z', 16);
        k += 16;
        text[k++] = '/';
    }
    k--;
    V_EXPECT_EQ(k, V_PATH_MAX_TEXT);
    V_EXPECT_OK(v_path_parse(&p, text, k, 0, NULL));
    V_EXPECT_EQ(v_path_text_len(&p), V_PATH_MAX_TEXT);
    V_EXPECT_STATUS(v_path_parse(&p, text, k + 1, 0, &at), V_ERR_LIMIT);
    V_EXPECT_EQ(at, V_PATH_MAX_TEXT);
    /* Resolve mode takes longer text, bounded too. */
    for (size_t i = 0; i < sizeof text; i += 2) {
        text[i] = '.';
        text[i + 1] = '/';
    }
    V_EXPECT_OK(v_path_parse(&p, text, 4 * V_PATH_MAX_TEXT,
                             V_PATH_PARSE_RESOLVE, NULL));
    V_EXPECT_STATUS(v_path_parse(&p, text, 4 * V_PATH_MAX_TEXT + 1,
                                 V_PATH_PARSE_RESOLVE, &at), V_ERR_LIMIT);
}

V_TEST(path, parse_resolve)
{
    static const struct { const char *in, *out; } cases[] = {
        { "a/./b", "a/b" },      { "/a/b/../c", "/a/c" },
        { "a//b/", "a/b" },      { "a/..", "." },
        { "./", "." },           { "/./", "/" },
        { "//", "/" },           { "/", "/" },
        { ".", "." },            { "./a/./", "a" },
        { "a/b/../../c", "c" },  { "/x/..", "/" },
        { "...", "..." },        { "a/.b/..", "a" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        V_EXPECT_OK(roundtrip(cases[i].in, V_PATH_PARSE_RESOLVE, out,
                              sizeof out));
        V_EXPECT_STR_EQ(out, cases[i].out);
    }
    static const struct { const char *s; v_status st; size_t at; } bad[] = {
        { "/..", V_ERR_OUT_OF_RANGE, 1 },
        { "..", V_ERR_OUT_OF_RANGE, 0 },
        { "a/../..", V_ERR_OUT_OF_RANGE, 5 },
        { "./../a", V_ERR_OUT_OF_RANGE, 2 },
        { "", V_ERR_MALFORMED, 0 },
        { "a/./\xff", V_ERR_MALFORMED, 4 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v_path p;
        size_t at = 999;
        V_EXPECT_STATUS(v_path_parse(&p, bad[i].s, strlen(bad[i].s),
                                     V_PATH_PARSE_RESOLVE, &at), bad[i].st);
        V_EXPECT_EQ(at, bad[i].at);
    }
}

V_TEST(path, render_truncates_and_terminates)
{
    v_path p;
    V_ASSERT_OK(v_path_parse(&p, "/ab/cd", 6, 0, NULL));
    char buf[8];
    size_t need = 0;
    V_EXPECT_OK(v_path_render(&p, buf, 7, &need));
    V_EXPECT_EQ(need, 6);
    V_EXPECT_STR_EQ(buf, "/ab/cd");
    memset(buf, '#', sizeof buf);
    V_EXPECT_STATUS(v_path_render(&p, buf, 6, &need), V_ERR_TRUNCATED);
    V_EXPECT_EQ(need, 6);
    V_EXPECT_STR_EQ(buf, "/ab/c");
    V_EXPECT_STATUS(v_path_render(&p, buf, 1, NULL), V_ERR_TRUNCATED);
    V_EXPECT_STR_EQ(buf, "");
    buf[0] = '#';
    V_EXPECT_STATUS(v_path_render(&p, buf, 0, &need), V_ERR_TRUNCATED);
    V_EXPECT_EQ(buf[0], '#');
    V_EXPECT_EQ(need, 6);
    v_path_init_relative(&p);
    V_EXPECT_OK(v_path_render(&p, buf, 2, &need));
    V_EXPECT_STR_EQ(buf, ".");
    v_path_init_root(&p);
    V_EXPECT_OK(v_path_render(&p, buf, 2, &need));
    V_EXPECT_STR_EQ(buf, "/");
    V_EXPECT_STATUS(v_path_render(&p, buf, 1, &need), V_ERR_TRUNCATED);
}

V_TEST(path, render_alloc)
{
    test_alloc ta;
    test_alloc_init(&ta, 0);
    v_path p;
    V_ASSERT_OK(v_path_parse(&p, "x/y", 3, 0, NULL));
    char *text = (char *)1;
    size_t len = 99;
    V_EXPECT_STATUS(v_path_render_alloc(&p, &ta.base, &text, &len),
                    V_ERR_NO_MEMORY);
    V_EXPECT_EQ(len, 99);
    V_EXPECT_PTR_EQ(text, (char *)1);
    V_ASSERT_OK(v_path_render_alloc(&p, &ta.base, &text, &len));
    V_EXPECT_EQ(len, 3);
    V_EXPECT_STR_EQ(text, "x/y");
    V_EXPECT_EQ(ta.live, 4);
    v_alloc_free(&ta.base, text, len + 1);
    V_EXPECT_EQ(ta.live, 0);
}
