/* Fuzz: the fast UTF-8 validator must agree with an obviously-correct
 * reference, on the verdict and on the offset of the first bad byte.
 *
 * The reference below is written straight from Unicode Table 3-7: for each
 * lead byte, the allowed range of every following byte. No tricks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <v/text.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct row {
    uint8_t lead_lo, lead_hi;
    uint8_t n;              /* bytes in the sequence */
    uint8_t lo[3], hi[3];   /* ranges of bytes 2..n */
} row;

static const row table_3_7[] = {
    { 0x00, 0x7F, 1, { 0 }, { 0 } },
    { 0xC2, 0xDF, 2, { 0x80 }, { 0xBF } },
    { 0xE0, 0xE0, 3, { 0xA0, 0x80 }, { 0xBF, 0xBF } },
    { 0xE1, 0xEC, 3, { 0x80, 0x80 }, { 0xBF, 0xBF } },
    { 0xED, 0xED, 3, { 0x80, 0x80 }, { 0x9F, 0xBF } },
    { 0xEE, 0xEF, 3, { 0x80, 0x80 }, { 0xBF, 0xBF } },
    { 0xF0, 0xF0, 4, { 0x90, 0x80, 0x80 }, { 0xBF, 0xBF, 0xBF } },
    { 0xF1, 0xF3, 4, { 0x80, 0x80, 0x80 }, { 0xBF, 0xBF, 0xBF } },
    { 0xF4, 0xF4, 4, { 0x80, 0x80, 0x80 }, { 0x8F, 0xBF, 0xBF } },
};

/* Length of the well-formed sequence at p[0..n), or 0 if there is none. */
static size_t ref_seq(const uint8_t *p, size_t n)
{
    for (size_t r = 0; r < sizeof table_3_7 / sizeof table_3_7[0]; r++) {
        const row *t = &table_3_7[r];
        if (p[0] < t->lead_lo || p[0] > t->lead_hi)
            continue;
        if (n < t->n)
            return 0;
        for (size_t k = 1; k < t->n; k++)
            if (p[k] < t->lo[k - 1] || p[k] > t->hi[k - 1])
                return 0;
        return t->n;
    }
    return 0;
}

static size_t ref_validate(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = ref_seq(p + i, n - i);
        if (k == 0)
            return i;
        i += k;
    }
    return (size_t)-1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy of exactly `size` bytes, so ASan sees any over-read
     * by the word-at-a-time loads. */
    uint8_t *p = malloc(size ? size : 1);
    if (!p)
        return 0;
    for (size_t i = 0; i < size; i++)
        p[i] = data[i];
    size_t want = ref_validate(p, size);
    size_t got = (size_t)-7;
    v_status st = v_utf8_validate(p, size, &got);
    if (want == (size_t)-1) {
        if (st != V_OK)
            abort();
    } else if (st != V_ERR_MALFORMED || got != want) {
        abort();
    }
    /* Every suffix start is checked too, which moves the data relative to
     * the 8-byte word boundaries the fast path cares about. */
    for (size_t s = 1; s < size && s < 9; s++) {
        size_t w = ref_validate(p + s, size - s);
        size_t g = (size_t)-7;
        v_status st2 = v_utf8_validate(p + s, size - s, &g);
        if (w == (size_t)-1 ? st2 != V_OK : (st2 != V_ERR_MALFORMED || g != w))
            abort();
    }
    /* decode agrees with the reference sequence by sequence. */
    size_t i = 0;
    while (i < size) {
        uint32_t cp;
        size_t used = 0;
        v_status d = v_utf8_decode(p + i, size - i, &cp, &used);
        size_t k = ref_seq(p + i, size - i);
        if ((d == V_OK) != (k != 0) || used == 0 || used > 4 ||
            (k && used != k))
            abort();
        if (d == V_OK) {
            uint8_t enc[4];
            size_t n = 0;
            if (v_utf8_encode(cp, enc, sizeof enc, &n) != V_OK || n != k)
                abort();
            for (size_t j = 0; j < n; j++)
                if (enc[j] != p[i + j])
                    abort();
        }
        i += used;
    }
    free(p);
    return 0;
}
