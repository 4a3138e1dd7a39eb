/* UTF-8 decoding, encoding and boundaries, exactly per Unicode Table 3-7.
 *
 * decode_one is the reference: it reads one sequence byte by byte with the
 * exact ranges of Table 3-7. The fast validator (utf8_validate.c) falls
 * back to it to name the offset of the first bad sequence. */
#include <v/text.h>

#include "utf8_internal.h"

/* Table 3-7, one row per lead byte range:
 *   U+0000..U+007F     00..7F
 *   U+0080..U+07FF     C2..DF 80..BF
 *   U+0800..U+0FFF     E0     A0..BF 80..BF
 *   U+1000..U+CFFF     E1..EC 80..BF 80..BF
 *   U+D000..U+D7FF     ED     80..9F 80..BF
 *   U+E000..U+FFFF     EE..EF 80..BF 80..BF
 *   U+10000..U+3FFFF   F0     90..BF 80..BF 80..BF
 *   U+40000..U+FFFFF   F1..F3 80..BF 80..BF 80..BF
 *   U+100000..U+10FFFF F4     80..8F 80..BF 80..BF
 * Only the second byte has a range narrower than 80..BF; that range is
 * what excludes overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4). */
v_status v_text_utf8_decode_one(const unsigned char *p, size_t n,
                                uint32_t *cp, size_t *used)
{
    unsigned char b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        *used = 1;
        return V_OK;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    uint32_t c;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
        c = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        c = b0 & 0x0Fu;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        c = b0 & 0x07u;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        /* 80..BF (stray continuation), C0 C1 (always overlong), F5..FF. */
        *used = 1;
        return V_ERR_MALFORMED;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= n) {
            *used = i; /* truncated: the whole prefix is one bad subpart */
            return V_ERR_MALFORMED;
        }
        unsigned char b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            *used = i;
            return V_ERR_MALFORMED;
        }
        c = (c << 6) | (b & 0x3Fu);
    }
    *cp = c;
    *used = need;
    return V_OK;
}

v_status v_text_utf8_validate_slow(const unsigned char *p, size_t n,
                                   size_t start, size_t *bad_offset)
{
    size_t i = start;
    while (i < n) {
        uint32_t cp;
        size_t used;
        if (v_text_utf8_decode_one(p + i, n - i, &cp, &used) != V_OK) {
            if (bad_offset)
                *bad_offset = i;
            return V_ERR_MALFORMED;
        }
        i += used;
    }
    return V_OK;
}

v_status v_utf8_decode(const void *bytes, size_t len, uint32_t *cp,
                       size_t *used)
{
    if (len == 0)
        return V_ERR_END;
    uint32_t c = 0;
    size_t u = 0;
    v_status st = v_text_utf8_decode_one(bytes, len, &c, &u);
    if (st == V_OK && cp)
        *cp = c;
    if (used)
        *used = u;
    return st;
}

v_status v_utf8_encode(uint32_t cp, void *out, size_t cap, size_t *used)
{
    if (cp > V_UTF8_MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF))
        return V_ERR_INVALID_ARGS;
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (cap < n)
        return V_ERR_TRUNCATED;
    unsigned char *o = out;
    switch (n) {
    case 1:
        o[0] = (unsigned char)cp;
        break;
    case 2:
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        break;
    case 3:
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        break;
    default:
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        break;
    }
    if (used)
        *used = n;
    return V_OK;
}

size_t v_utf8_boundary(const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    /* Find the last byte that is not a continuation, at most 3 back. */
    size_t back = 0;
    while (back < 3 && back < len && (p[len - 1 - back] & 0xC0) == 0x80)
        back++;
    if (back == len)
        return len; /* only continuation bytes: nothing to cut on */
    size_t lead_at = len - 1 - back;
    unsigned char b = p[lead_at];
    size_t want = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    /* 0xF8..0xFF are never leads: counted as 4 here, which only ever
     * drops bytes that were ill-formed anyway. */
    return back + 1 < want ? lead_at : len;
}
