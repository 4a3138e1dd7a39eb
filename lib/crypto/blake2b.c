/* BLAKE2b, RFC 7693. Constant time: ARX on the data with a fixed message
 * schedule. The final block is held back until final() because it must be
 * compressed with the last-block flag. */
#include "blake2b.h"

#include <v/mem.h>

#include "bytes.h"

static const uint64_t IV[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

static const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

#define G(a, b, c, d, x, y)                 \
    do {                                    \
        v[a] = v[a] + v[b] + (x);           \
        v[d] = v_rotr64(v[d] ^ v[a], 32);   \
        v[c] = v[c] + v[d];                 \
        v[b] = v_rotr64(v[b] ^ v[c], 24);   \
        v[a] = v[a] + v[b] + (y);           \
        v[d] = v_rotr64(v[d] ^ v[a], 16);   \
        v[c] = v[c] + v[d];                 \
        v[b] = v_rotr64(v[b] ^ v[c], 63);   \
    } while (0)

static void compress(blake2b_ctx *c, const uint8_t *block, int last)
{
    uint64_t v[16], m[16];
    for (int i = 0; i < 16; i++)
        m[i] = v_load64_le(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = c->h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= c->t[0];
    v[13] ^= c->t[1];
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *s = SIGMA[r];
        G(0, 4, 8, 12, m[s[0]], m[s[1]]);
        G(1, 5, 9, 13, m[s[2]], m[s[3]]);
        G(2, 6, 10, 14, m[s[4]], m[s[5]]);
        G(3, 7, 11, 15, m[s[6]], m[s[7]]);
        G(0, 5, 10, 15, m[s[8]], m[s[9]]);
        G(1, 6, 11, 12, m[s[10]], m[s[11]]);
        G(2, 7, 8, 13, m[s[12]], m[s[13]]);
        G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        c->h[i] ^= v[i] ^ v[i + 8];
    v_mem_wipe(v, sizeof v);
    v_mem_wipe(m, sizeof m);
}

static void count(blake2b_ctx *c, size_t n)
{
    c->t[0] += n;
    c->t[1] += c->t[0] < n;
}

void blake2b_init(blake2b_ctx *c, size_t out_len)
{
    for (int i = 0; i < 8; i++)
        c->h[i] = IV[i];
    c->h[0] ^= 0x01010000 ^ (uint64_t)out_len; /* no key, fanout 1, depth 1 */
    c->t[0] = c->t[1] = 0;
    c->fill = 0;
    c->out_len = out_len;
}

void blake2b_update(blake2b_ctx *c, const void *data, size_t n)
{
    const uint8_t *p = data;
    while (n > 0) {
        if (c->fill == sizeof c->buf) {
            /* More input follows, so the buffered block is not last. */
            count(c, sizeof c->buf);
            compress(c, c->buf, 0);
            c->fill = 0;
        }
        size_t take = sizeof c->buf - c->fill;
        if (take > n)
            take = n;
        v_mem_copy(c->buf + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
    }
}

void blake2b_final(blake2b_ctx *c, uint8_t *out)
{
    uint8_t full[64];
    count(c, c->fill);
    v_mem_set(c->buf + c->fill, 0, sizeof c->buf - c->fill);
    compress(c, c->buf, 1);
    for (int i = 0; i < 8; i++)
        v_store64_le(full + 8 * i, c->h[i]);
    v_mem_copy(out, full, c->out_len);
    v_mem_wipe(full, sizeof full);
    v_mem_wipe(c, sizeof *c);
}

void blake2b(uint8_t *out, size_t out_len, const void *data, size_t n)
{
    blake2b_ctx c;
    blake2b_init(&c, out_len);
    blake2b_update(&c, data, n);
    blake2b_final(&c, out);
}
