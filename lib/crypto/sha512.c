/* SHA-512, FIPS 180-4 §6.4. Constant time for the same reasons as
 * sha256.c: arithmetic on the data only, tables indexed by round. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"

static const uint64_t K[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
    0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242,
    0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275,
    0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f,
    0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc,
    0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6,
    0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
    0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc,
    0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915,
    0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba,
    0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* Compresses n consecutive blocks. The schedule is wiped once per call,
 * not per block: wiping costs about as much as a compression. */
static void compress(uint64_t h[8], const uint8_t *block, size_t n)
{
    uint64_t w[80];
    for (; n > 0; n--, block += V_SHA512_BLOCK) {
        for (int i = 0; i < 16; i++)
            w[i] = v_load64_be(block + 8 * i);
        for (int i = 16; i < 80; i++) {
            uint64_t s0 = v_rotr64(w[i - 15], 1) ^ v_rotr64(w[i - 15], 8) ^
                          (w[i - 15] >> 7);
            uint64_t s1 = v_rotr64(w[i - 2], 19) ^ v_rotr64(w[i - 2], 61) ^
                          (w[i - 2] >> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint64_t a = h[0], b = h[1], c = h[2], d = h[3];
        uint64_t e = h[4], f = h[5], g = h[6], k = h[7];
        for (int i = 0; i < 80; i++) {
            uint64_t S1 = v_rotr64(e, 14) ^ v_rotr64(e, 18) ^ v_rotr64(e, 41);
            uint64_t ch = (e & f) ^ (~e & g);
            uint64_t t1 = k + S1 + ch + K[i] + w[i];
            uint64_t S0 = v_rotr64(a, 28) ^ v_rotr64(a, 34) ^ v_rotr64(a, 39);
            uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
            uint64_t t2 = S0 + maj;
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d;
        h[4] += e; h[5] += f; h[6] += g; h[7] += k;
    }
    v_mem_wipe(w, sizeof w);
}

void v_sha512_init(v_sha512_ctx *s)
{
    static const uint64_t iv[8] = {
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    };
    for (int i = 0; i < 8; i++)
        s->h[i] = iv[i];
    s->bytes_lo = s->bytes_hi = 0;
    s->fill = 0;
}

void v_sha512_update(v_sha512_ctx *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    if (n == 0)
        return; /* also keeps NULL + 0 out of the pointer arithmetic */
    uint64_t lo = s->bytes_lo + (uint64_t)n;
    s->bytes_hi += lo < s->bytes_lo;
    s->bytes_lo = lo;
    if (s->fill) {
        size_t take = V_SHA512_BLOCK - s->fill;
        if (take > n)
            take = n;
        v_mem_copy(s->buf + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill < V_SHA512_BLOCK)
            return;
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    if (n >= V_SHA512_BLOCK) {
        size_t blocks = n / V_SHA512_BLOCK;
        compress(s->h, p, blocks);
        p += blocks * V_SHA512_BLOCK;
        n -= blocks * V_SHA512_BLOCK;
    }
    if (n) {
        v_mem_copy(s->buf, p, n);
        s->fill = n;
    }
}

void v_sha512_final(v_sha512_ctx *s, uint8_t out[V_SHA512_SIZE])
{
    /* The length field is 128 bits of *bits*: shift the byte count left
     * by three across both words. */
    uint64_t bits_hi = s->bytes_hi << 3 | s->bytes_lo >> 61;
    uint64_t bits_lo = s->bytes_lo << 3;
    s->buf[s->fill++] = 0x80;
    if (s->fill > V_SHA512_BLOCK - 16) {
        v_mem_set(s->buf + s->fill, 0, V_SHA512_BLOCK - s->fill);
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    v_mem_set(s->buf + s->fill, 0, V_SHA512_BLOCK - 16 - s->fill);
    v_store64_be(s->buf + V_SHA512_BLOCK - 16, bits_hi);
    v_store64_be(s->buf + V_SHA512_BLOCK - 8, bits_lo);
    compress(s->h, s->buf, 1);
    for (int i = 0; i < 8; i++)
        v_store64_be(out + 8 * i, s->h[i]);
    v_mem_wipe(s, sizeof *s);
}

void v_sha512(const void *data, size_t n, uint8_t out[V_SHA512_SIZE])
{
    v_sha512_ctx s;
    v_sha512_init(&s);
    v_sha512_update(&s, data, n);
    v_sha512_final(&s, out);
}
