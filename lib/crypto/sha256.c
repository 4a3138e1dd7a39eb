/* SHA-256, FIPS 180-4 §6.2.
 *
 * Constant time by construction: only additions, rotations and boolean
 * operations on the data; the one table (K) is indexed by round number.
 * Branches depend on lengths only, which are public. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Compresses n consecutive blocks. The schedule is wiped once per call,
 * not per block: wiping costs about as much as a compression. */
static void compress(uint32_t h[8], const uint8_t *block, size_t n)
{
    uint32_t w[64];
    for (; n > 0; n--, block += V_SHA256_BLOCK) {
        for (int i = 0; i < 16; i++)
            w[i] = v_load32_be(block + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = v_rotr32(w[i - 15], 7) ^ v_rotr32(w[i - 15], 18) ^
                          (w[i - 15] >> 3);
            uint32_t s1 = v_rotr32(w[i - 2], 17) ^ v_rotr32(w[i - 2], 19) ^
                          (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = v_rotr32(e, 6) ^ v_rotr32(e, 11) ^ v_rotr32(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = k + S1 + ch + K[i] + w[i];
            uint32_t S0 = v_rotr32(a, 2) ^ v_rotr32(a, 13) ^ v_rotr32(a, 22);
            uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + maj;
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

void v_sha256_init(v_sha256_ctx *s)
{
    static const uint32_t iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    for (int i = 0; i < 8; i++)
        s->h[i] = iv[i];
    s->bytes = 0;
    s->fill = 0;
}

void v_sha256_update(v_sha256_ctx *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    if (n == 0)
        return; /* also keeps NULL + 0 out of the pointer arithmetic */
    s->bytes += n;
    if (s->fill) {
        size_t take = V_SHA256_BLOCK - s->fill;
        if (take > n)
            take = n;
        v_mem_copy(s->buf + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill < V_SHA256_BLOCK)
            return;
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    if (n >= V_SHA256_BLOCK) {
        size_t blocks = n / V_SHA256_BLOCK;
        compress(s->h, p, blocks);
        p += blocks * V_SHA256_BLOCK;
        n -= blocks * V_SHA256_BLOCK;
    }
    if (n) {
        v_mem_copy(s->buf, p, n);
        s->fill = n;
    }
}

void v_sha256_final(v_sha256_ctx *s, uint8_t out[V_SHA256_SIZE])
{
    uint64_t bits = s->bytes << 3;
    s->buf[s->fill++] = 0x80;
    if (s->fill > V_SHA256_BLOCK - 8) {
        v_mem_set(s->buf + s->fill, 0, V_SHA256_BLOCK - s->fill);
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    v_mem_set(s->buf + s->fill, 0, V_SHA256_BLOCK - 8 - s->fill);
    v_store64_be(s->buf + V_SHA256_BLOCK - 8, bits);
    compress(s->h, s->buf, 1);
    for (int i = 0; i < 8; i++)
        v_store32_be(out + 4 * i, s->h[i]);
    v_mem_wipe(s, sizeof *s);
}

void v_sha256(const void *data, size_t n, uint8_t out[V_SHA256_SIZE])
{
    v_sha256_ctx s;
    v_sha256_init(&s);
    v_sha256_update(&s, data, n);
    v_sha256_final(&s, out);
}
