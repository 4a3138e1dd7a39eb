/* v_str: borrowed byte slices. Every operation is bounded by len; none
 * looks for a NUL except v_str_from_cstr. */
#include <v/mem.h>
#include <v/text.h>

v_str v_str_from_cstr(const char *s)
{
    if (!s)
        return v_str_make(NULL, 0);
    return v_str_make(s, v_cstr_len(s));
}

bool v_str_equal(v_str a, v_str b)
{
    return a.len == b.len && (a.len == 0 || v_mem_equal(a.p, b.p, a.len));
}

int v_str_compare(v_str a, v_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? v_mem_compare(a.p, b.p, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

bool v_str_starts_with(v_str s, v_str prefix)
{
    return prefix.len <= s.len &&
           (prefix.len == 0 || v_mem_equal(s.p, prefix.p, prefix.len));
}

bool v_str_ends_with(v_str s, v_str suffix)
{
    return suffix.len <= s.len &&
           (suffix.len == 0 ||
            v_mem_equal(s.p + (s.len - suffix.len), suffix.p, suffix.len));
}

size_t v_str_find_byte(v_str s, unsigned char c, size_t from)
{
    for (size_t i = from; i < s.len; i++)
        if ((unsigned char)s.p[i] == c)
            return i;
    return V_STR_NPOS;
}

size_t v_str_find(v_str s, v_str needle, size_t from)
{
    if (from > s.len || needle.len > s.len - from)
        return V_STR_NPOS;
    if (needle.len == 0)
        return from;
    /* Scan for the first byte, then compare the rest: simple and, for the
     * short needles text code uses, fast enough. */
    size_t last = s.len - needle.len;
    unsigned char first = (unsigned char)needle.p[0];
    for (size_t i = from; i <= last; i++) {
        i = v_str_find_byte(s, first, i);
        if (i == V_STR_NPOS || i > last)
            return V_STR_NPOS;
        if (v_mem_equal(s.p + i + 1, needle.p + 1, needle.len - 1))
            return i;
    }
    return V_STR_NPOS;
}

v_status v_str_split_at(v_str s, size_t i, v_str *head, v_str *tail)
{
    if (i > s.len)
        return V_ERR_OUT_OF_RANGE;
    if (head)
        *head = v_str_make(s.p, i);
    if (tail)
        *tail = v_str_make(s.len ? s.p + i : s.p, s.len - i);
    return V_OK;
}

v_status v_str_sub(v_str s, size_t from, size_t len, v_str *out)
{
    if (from > s.len || len > s.len - from)
        return V_ERR_OUT_OF_RANGE;
    *out = v_str_make(s.len ? s.p + from : s.p, len);
    return V_OK;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

v_str v_str_trim_start(v_str s)
{
    size_t i = 0;
    while (i < s.len && is_ascii_space(s.p[i]))
        i++;
    return v_str_make(i ? s.p + i : s.p, s.len - i);
}

v_str v_str_trim_end(v_str s)
{
    size_t n = s.len;
    while (n > 0 && is_ascii_space(s.p[n - 1]))
        n--;
    return v_str_make(s.p, n);
}

v_str v_str_trim(v_str s)
{
    return v_str_trim_end(v_str_trim_start(s));
}
