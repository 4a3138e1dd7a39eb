/* Decoding of JSON string escapes. Separate from the parser so that
 * callers who only compare or skip strings never pay for it. It checks
 * escapes again because it is public and may see text that did not come
 * from the parser. */
#include <v/encoding.h>
#include <v/text.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int32_t hex4(const char *s, size_t len, size_t i)
{
    if (len - i < 4)
        return -1;
    int32_t v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_digit(s[i + k]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

v_status v_json_unescape(const char *raw, size_t len, char *out, size_t cap,
                         size_t *out_len)
{
    size_t i = 0, o = 0;
    if ((!raw && len) || (!out && cap) || !out_len)
        return V_ERR_INVALID_ARGS;
    while (i < len) {
        char c = raw[i];
        if (c != '\\') {
            if (o >= cap)
                return V_ERR_TRUNCATED;
            out[o++] = c;
            i++;
            continue;
        }
        if (i + 1 >= len)
            return V_ERR_MALFORMED;
        char e = raw[i + 1];
        const char *simple = "\"\"\\\\//b\bf\fn\nr\rt\t";
        size_t k = 0;
        while (simple[k] && simple[k] != e)
            k += 2;
        if (simple[k]) {
            if (o >= cap)
                return V_ERR_TRUNCATED;
            out[o++] = simple[k + 1];
            i += 2;
            continue;
        }
        if (e != 'u')
            return V_ERR_MALFORMED;
        int32_t cp = hex4(raw, len, i + 2);
        if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff))
            return V_ERR_MALFORMED;
        i += 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            int32_t lo = -1;
            if (len - i >= 2 && raw[i] == '\\' && raw[i + 1] == 'u')
                lo = hex4(raw, len, i + 2);
            if (lo < 0xdc00 || lo > 0xdfff)
                return V_ERR_MALFORMED;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
        }
        size_t n;
        if (o >= cap) /* (also keeps a NULL out from being offset) */
            return V_ERR_TRUNCATED;
        v_status st = v_utf8_encode((uint32_t)cp, out + o, cap - o, &n);
        if (st != V_OK)
            return st; /* TRUNCATED: no room */
        o += n;
    }
    *out_len = o;
    return V_OK;
}
