/* Test helper: hex strings to bytes, so vectors read as in their RFCs. */
#ifndef V_CRYPTO_TEST_HEX_H
#define V_CRYPTO_TEST_HEX_H

#include <stddef.h>
#include <stdint.h>

static inline int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes hex (whitespace ignored) into out (capacity cap); returns the
 * byte count, or (size_t)-1 on bad hex or overflow. */
static inline size_t hex_decode(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        if (*hex == ' ' || *hex == '\n')
            continue;
        int v = hex_nibble(*hex);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n == cap)
            return (size_t)-1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? n : (size_t)-1;
}

#endif
