/* UTF-8: validation against Unicode Table 3-7, decode, encode, boundary. */
#include <v/mem.h>
#include <v/test.h>
#include <v/text.h>

/* Validates s[0..n) and returns the bad offset, or (size_t)-1 for OK. */
static size_t bad_at(const void *s, size_t n)
{
    size_t off = 12345;
    v_status st = v_utf8_validate(s, n, &off);
    if (st == V_OK)
        return (size_t)-1;
    if (st != V_ERR_MALFORMED)
        return (size_t)-2;
    return off;
}

#define OK_SEQ(lit) V_EXPECT_EQ(bad_at(lit, sizeof(lit) - 1), (size_t)-1)
#define BAD_SEQ(lit, off) V_EXPECT_EQ(bad_at(lit, sizeof(lit) - 1), off)

V_TEST(text, utf8_table_3_7_rows)
{
    /* Each row's lowest and highest sequence is accepted. */
    OK_SEQ("\x00");
    OK_SEQ("\x7F");
    OK_SEQ("\xC2\x80");
    OK_SEQ("\xDF\xBF");
    OK_SEQ("\xE0\xA0\x80");
    OK_SEQ("\xE0\xBF\xBF");
    OK_SEQ("\xE1\x80\x80");
    OK_SEQ("\xEC\xBF\xBF");
    OK_SEQ("\xED\x80\x80");
    OK_SEQ("\xED\x9F\xBF");
    OK_SEQ("\xEE\x80\x80");
    OK_SEQ("\xEF\xBF\xBF");
    OK_SEQ("\xF0\x90\x80\x80");
    OK_SEQ("\xF0\xBF\xBF\xBF");
    OK_SEQ("\xF1\x80\x80\x80");
    OK_SEQ("\xF3\xBF\xBF\xBF");
    OK_SEQ("\xF4\x80\x80\x80");
    OK_SEQ("\xF4\x8F\xBF\xBF");
    /* Just outside each second-byte range. */
    BAD_SEQ("\xC2\x7F", 0);
    BAD_SEQ("\xC2\xC0", 0);
    BAD_SEQ("\xE0\x9F\x80", 0);
    BAD_SEQ("\xE0\xC0\x80", 0);
    BAD_SEQ("\xE1\x7F\x80", 0);
    BAD_SEQ("\xE1\xC0\x80", 0);
    BAD_SEQ("\xED\x7F\x80", 0);
    BAD_SEQ("\xED\xA0\x80", 0);
    BAD_SEQ("\xEE\x7F\x80", 0);
    BAD_SEQ("\xF0\x8F\x80\x80", 0);
    BAD_SEQ("\xF0\xC0\x80\x80", 0);
    BAD_SEQ("\xF1\x7F\x80\x80", 0);
    BAD_SEQ("\xF3\xC0\x80\x80", 0);
    BAD_SEQ("\xF4\x7F\x80\x80", 0);
    BAD_SEQ("\xF4\x90\x80\x80", 0);
    /* Third and fourth bytes are always 80..BF. */
    BAD_SEQ("\xE1\x80\x7F", 0);
    BAD_SEQ("\xE1\x80\xC0", 0);
    BAD_SEQ("\xF1\x80\x80\x7F", 0);
    BAD_SEQ("\xF1\x80\x7F\x80", 0);
    BAD_SEQ("\xF1\x80\x80\xC0", 0);
}

V_TEST(text, utf8_rejects_overlong_surrogate_and_too_big)
{
    BAD_SEQ("\xC0\x80", 0);     /* overlong U+0000 */
    BAD_SEQ("\xC0\xAF", 0);     /* overlong '/' */
    BAD_SEQ("\xC1\xBF", 0);
    BAD_SEQ("\xE0\x80\x80", 0); /* overlong U+0000 */
    BAD_SEQ("\xE0\x9F\xBF", 0); /* overlong U+07FF */
    BAD_SEQ("\xF0\x80\x80\x80", 0);
    BAD_SEQ("\xF0\x8F\xBF\xBF", 0); /* overlong U+FFFF */
    BAD_SEQ("\xED\xA0\x80", 0); /* U+D800 */
    BAD_SEQ("\xED\xAD\xBF", 0);
    BAD_SEQ("\xED\xB0\x80", 0); /* U+DC00 */
    BAD_SEQ("\xED\xBF\xBF", 0); /* U+DFFF */
    BAD_SEQ("\xED\xA0\x80\xED\xB0\x80", 0); /* CESU-8 pair */
    BAD_SEQ("\xF4\x90\x80\x80", 0); /* U+110000 */
    BAD_SEQ("\xF4\xBF\xBF\xBF", 0);
    for (unsigned b = 0xF5; b <= 0xFF; b++) {
        unsigned char s[4] = { (unsigned char)b, 0x80, 0x80, 0x80 };
        V_EXPECT_EQ(bad_at(s, 4), 0);
        V_EXPECT_EQ(bad_at(s, 1), 0);
    }
    for (unsigned b = 0x80; b <= 0xBF; b++) {
        unsigned char s[3] = { 'a', (unsigned char)b, 'b' };
        V_EXPECT_EQ(bad_at(s, 3), 1); /* stray continuation */
    }
}

V_TEST(text, utf8_truncated_at_end_and_in_middle)
{
    BAD_SEQ("\xC2", 0);
    BAD_SEQ("\xE0\xA0", 0);
    BAD_SEQ("\xE1", 0);
    BAD_SEQ("\xF0\x90\x80", 0);
    BAD_SEQ("\xF4\x8F", 0);
    BAD_SEQ("ab\xF1\x80\x80", 2);
    BAD_SEQ("abc\xE2\x82", 3);
    /* Cut short by something that is not a continuation. */
    BAD_SEQ("\xC2" "A", 0);
    BAD_SEQ("x\xE2\x82" "A", 1);
    BAD_SEQ("xy\xF0\x9F\x98" "A", 2);
    BAD_SEQ("\xE2\x82\xAC\xE2\x82\xE2\x82\xAC", 3);
    BAD_SEQ("\xC3\xA9\xC3", 2);
    /* Empty input and NULL with len 0 are fine. */
    V_EXPECT_OK(v_utf8_validate(NULL, 0, NULL));
    V_EXPECT_STATUS(v_utf8_validate("\x80", 1, NULL), V_ERR_MALFORMED);
}

/* Independent oracle: decode by arithmetic, then apply the rules that
 * Table 3-7 encodes (shortest form, no surrogates, <= U+10FFFF). Returns
 * the sequence length if s[0..n) starts with a well-formed one, else 0. */
static size_t oracle_len(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    size_t need;
    uint32_t cp, min;
    if (b < 0x80)
        return 1;
    if ((b & 0xE0) == 0xC0) { need = 2; cp = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { need = 3; cp = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { need = 4; cp = b & 0x07; min = 0x10000; }
    else return 0;
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

V_TEST(text, utf8_exhaustive_two_and_three_bytes)
{
    unsigned char s[3];
    for (unsigned a = 0x80; a <= 0xFF; a++) {
        for (unsigned b = 0; b <= 0xFF; b++) {
            s[0] = (unsigned char)a;
            s[1] = (unsigned char)b;
            bool want = oracle_len(s, 2) == 2;
            size_t got = bad_at(s, 2);
            if (want)
                V_ASSERT_EQ(got, (size_t)-1);
            else
                V_ASSERT_EQ(got, 0); /* a is never a complete char alone */
        }
    }
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0; b <= 0xFF; b++)
            for (unsigned c = 0; c <= 0xFF; c++) {
                s[0] = (unsigned char)a;
                s[1] = (unsigned char)b;
                s[2] = (unsigned char)c;
                bool want = oracle_len(s, 3) == 3;
                V_ASSERT_EQ(bad_at(s, 3), want ? (size_t)-1 : 0);
            }
}

V_TEST(text, utf8_every_code_point_round_trips)
{
    unsigned char enc[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        size_t n = 0;
        v_status st = v_utf8_encode(cp, enc, sizeof enc, &n);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            V_ASSERT_STATUS(st, V_ERR_INVALID_ARGS);
            continue;
        }
        V_ASSERT_OK(st);
        V_ASSERT_EQ(n, cp < 0x80 ? 1u : cp < 0x800 ? 2u : cp < 0x10000 ? 3u : 4u);
        V_ASSERT_OK(v_utf8_validate(enc, n, NULL));
        uint32_t back = 0xFFFFFFFF;
        size_t used = 0;
        V_ASSERT_OK(v_utf8_decode(enc, n, &back, &used));
        V_ASSERT_EQ(back, cp);
        V_ASSERT_EQ(used, n);
        if (n > 1) /* every proper prefix is truncated */
            V_ASSERT_EQ(bad_at(enc, n - 1), 0);
    }
}

V_TEST(text, utf8_encode_errors)
{
    unsigned char out[4] = { 1, 2, 3, 4 };
    size_t n = 99;
    V_EXPECT_STATUS(v_utf8_encode(0x110000, out, 4, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_utf8_encode(0xFFFFFFFF, out, 4, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_utf8_encode(0xD800, out, 4, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_utf8_encode(0xDFFF, out, 4, &n), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_utf8_encode(0x20AC, out, 2, &n), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_utf8_encode(0x41, out, 0, &n), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_utf8_encode(0x1F600, out, 3, &n), V_ERR_TRUNCATED);
    V_EXPECT_MEM_EQ(out, "\x01\x02\x03\x04", 4); /* untouched */
    V_EXPECT_EQ(n, 99);
    V_EXPECT_OK(v_utf8_encode(0x20AC, out, 3, NULL));
    V_EXPECT_MEM_EQ(out, "\xE2\x82\xAC", 3);
}

V_TEST(text, utf8_decode_maximal_subparts)
{
    uint32_t cp = 7;
    size_t used = 0;
    V_EXPECT_STATUS(v_utf8_decode("", 0, &cp, &used), V_ERR_END);
    V_EXPECT_STATUS(v_utf8_decode("\x80", 1, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    V_EXPECT_STATUS(v_utf8_decode("\xC0\x80", 2, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    V_EXPECT_STATUS(v_utf8_decode("\xE0\x80\x80", 3, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    V_EXPECT_STATUS(v_utf8_decode("\xED\xA0\x80", 3, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    V_EXPECT_STATUS(v_utf8_decode("\xE1\x80" "A", 3, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 2);
    V_EXPECT_STATUS(v_utf8_decode("\xF0\x90\x80", 3, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 3);
    V_EXPECT_STATUS(v_utf8_decode("\xF4\x90\x80\x80", 4, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    V_EXPECT_STATUS(v_utf8_decode("\xFF", 1, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 1);
    /* The length bounds the read even when more bytes would follow. */
    V_EXPECT_STATUS(v_utf8_decode("\xE2\x82\xAC", 2, &cp, &used), V_ERR_MALFORMED);
    V_EXPECT_EQ(used, 2);
    V_EXPECT_EQ(cp, 7); /* untouched on error */
    V_EXPECT_OK(v_utf8_decode("\xF0\x9F\x98\x80rest", 8, &cp, &used));
    V_EXPECT_EQ(cp, 0x1F600);
    V_EXPECT_EQ(used, 4);
    V_EXPECT_OK(v_utf8_decode("A", 1, NULL, NULL));
}

V_TEST(text, utf8_boundary)
{
    V_EXPECT_EQ(v_utf8_boundary("", 0), 0);
    V_EXPECT_EQ(v_utf8_boundary("abc", 3), 3);
    V_EXPECT_EQ(v_utf8_boundary("a\xE2\x82\xAC", 4), 4);
    V_EXPECT_EQ(v_utf8_boundary("a\xE2\x82\xAC", 3), 1);
    V_EXPECT_EQ(v_utf8_boundary("a\xE2\x82\xAC", 2), 1);
    V_EXPECT_EQ(v_utf8_boundary("\xF0\x9F\x98\x80", 3), 0);
    V_EXPECT_EQ(v_utf8_boundary("\xF0\x9F\x98\x80", 4), 4);
    V_EXPECT_EQ(v_utf8_boundary("\xC3\xA9", 1), 0);
    V_EXPECT_EQ(v_utf8_boundary("\xC3\xA9", 2), 2);
    /* Continuation bytes with no lead in reach are left alone. */
    V_EXPECT_EQ(v_utf8_boundary("\x80\x80", 2), 2);
    V_EXPECT_EQ(v_utf8_boundary("a\x80\x80\x80\x80", 5), 5);
}

/* Fills buf[0..n) with valid text of the given flavour. */
static void fill(unsigned char *buf, size_t n, int flavour)
{
    static const char *const pieces[] = { "a", "\xC3\xA9", "\xE2\x82\xAC",
                                          "\xF0\x9F\x98\x80" };
    size_t i = 0, k = 0;
    while (i < n) {
        const char *p = flavour == 0 ? "x" : pieces[(k * 7 + 3) % 4];
        size_t len = v_cstr_len(p);
        if (len > n - i)
            p = "y", len = 1;
        v_mem_copy(buf + i, p, len);
        i += len;
        k++;
    }
}

/* Start of the character containing position pos (valid text). */
static size_t char_start(const unsigned char *buf, size_t pos)
{
    while (pos > 0 && (buf[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

V_TEST(text, utf8_error_at_every_position_of_long_inputs)
{
    static const char *const bad[] = { "\x80", "\xC0\x80", "\xED\xA0\x80",
                                       "\xF4\x90\x80\x80", "\xFF",
                                       "\xE2\x82\x41" };
    unsigned char buf[160];
    for (int flavour = 0; flavour < 2; flavour++) {
        for (size_t n = 1; n <= 150; n += (n < 70 ? 1 : 13)) {
            fill(buf, n, flavour);
            V_ASSERT_EQ(bad_at(buf, n), (size_t)-1);
            for (size_t pos = 0; pos < n; pos++) {
                for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
                    unsigned char t[160];
                    fill(t, n, flavour);
                    size_t at = char_start(t, pos);
                    size_t bl = v_cstr_len(bad[b]);
                    if (at + bl > n)
                        continue;
                    v_mem_copy(t + at, bad[b], bl);
                    /* Overwriting may split the following character; its
                     * tail is then a stray continuation, later than at. */
                    V_ASSERT_EQ(bad_at(t, n), at);
                    /* The same bytes at other alignments to 8-byte words. */
                    unsigned char moved[168];
                    for (size_t off = 1; off < 8; off += 3) {
                        v_mem_copy(moved + off, t, n);
                        V_ASSERT_EQ(bad_at(moved + off, n), at);
                    }
                }
            }
            /* Truncation at the very end, at every length. */
            for (size_t cut = 1; cut <= n; cut++) {
                size_t expect = (size_t)-1;
                size_t s = char_start(buf, cut < n ? cut : n - 1);
                if (cut < n && s != cut)
                    expect = s; /* cut inside a character */
                else if (cut == n)
                    expect = (size_t)-1;
                V_ASSERT_EQ(bad_at(buf, cut), expect);
            }
        }
    }
}

V_TEST(text, utf8_long_valid_and_null_offset)
{
    unsigned char buf[4096];
    fill(buf, sizeof buf, 1);
    V_EXPECT_OK(v_utf8_validate(buf, sizeof buf, NULL));
    fill(buf, sizeof buf, 0);
    V_EXPECT_OK(v_utf8_validate(buf, sizeof buf, NULL));
    buf[4000] = 0xC2;
    buf[4001] = 'x';
    V_EXPECT_EQ(bad_at(buf, sizeof buf), 4000);
    V_EXPECT_STATUS(v_utf8_validate(buf, sizeof buf, NULL), V_ERR_MALFORMED);
}
