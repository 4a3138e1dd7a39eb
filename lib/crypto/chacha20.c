/* ChaCha20 (RFC 8439 §2.3-2.4), HChaCha20 and XChaCha20
 * (draft-irtf-cfrg-xchacha-03 §2.2-2.3). Portable C.
 *
 * Constant time: ARX only on the key and counter; the keystream block is
 * XOR-ed in regardless of content. Every stack copy of key-derived state
 * is wiped before return. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"

#define QR(a, b, c, d)                              \
    do {                                            \
        x[a] += x[b]; x[d] = v_rotl32(x[d] ^ x[a], 16); \
        x[c] += x[d]; x[b] = v_rotl32(x[b] ^ x[c], 12); \
        x[a] += x[b]; x[d] = v_rotl32(x[d] ^ x[a], 8);  \
        x[c] += x[d]; x[b] = v_rotl32(x[b] ^ x[c], 7);  \
    } while (0)

static void rounds(uint32_t x[16])
{
    for (int i = 0; i < 10; i++) {
        QR(0, 4, 8, 12);
        QR(1, 5, 9, 13);
        QR(2, 6, 10, 14);
        QR(3, 7, 11, 15);
        QR(0, 5, 10, 15);
        QR(1, 6, 11, 12);
        QR(2, 7, 8, 13);
        QR(3, 4, 9, 14);
    }
}

static void setup(uint32_t s[16], const uint8_t key[32])
{
    s[0] = 0x61707865; /* "expand 32-byte k" */
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        s[4 + i] = v_load32_le(key + 4 * i);
}

/* One keystream block. x is the caller's working copy, wiped by the
 * caller once per call rather than once per block. */
static void block(const uint32_t s[16], uint32_t x[16], uint8_t out[64])
{
    for (int i = 0; i < 16; i++)
        x[i] = s[i];
    rounds(x);
    for (int i = 0; i < 16; i++)
        v_store32_le(out + 4 * i, x[i] + s[i]);
}

#if defined(__x86_64__) && defined(__SSE2__)
/* Four blocks at once, one per 32-bit lane of SSE2 vectors (part of the
 * x86-64 baseline, so no CPU detection is needed; kernel builds, which
 * have no SSE, use the scalar path alone). Same arithmetic as rounds(),
 * widened; nothing depends on the data. x is the caller's scratch. */
typedef uint32_t u32x4 __attribute__((vector_size(16)));
#define CHACHA_LANES 4

#define VROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define VQR(a, b, c, d)                                             \
    do {                                                            \
        v[a] += v[b]; v[d] = VROTL(v[d] ^ v[a], 16);                \
        v[c] += v[d]; v[b] = VROTL(v[b] ^ v[c], 12);                \
        v[a] += v[b]; v[d] = VROTL(v[d] ^ v[a], 8);                 \
        v[c] += v[d]; v[b] = VROTL(v[b] ^ v[c], 7);                 \
    } while (0)

#ifdef __clang__
#define SHUF(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#else
#define SHUF(a, b, i, j, k, l) __builtin_shuffle(a, b, (u32x4){i, j, k, l})
#endif

/* out = in XOR four keystream blocks (in may be NULL: keystream only).
 * The lanes are transposed back into blocks with shuffles; x86-64 is
 * little-endian, so a vector's bytes are the words' LE encodings. */
static void blocks4(const uint32_t s[16], u32x4 v[16], const uint8_t *in,
                    uint8_t *out)
{
    for (int i = 0; i < 16; i++)
        v[i] = (u32x4){0} + s[i];
    v[12] += (u32x4){0, 1, 2, 3};
    u32x4 ctr = v[12];
    for (int i = 0; i < 10; i++) {
        VQR(0, 4, 8, 12);
        VQR(1, 5, 9, 13);
        VQR(2, 6, 10, 14);
        VQR(3, 7, 11, 15);
        VQR(0, 5, 10, 15);
        VQR(1, 6, 11, 12);
        VQR(2, 7, 8, 13);
        VQR(3, 4, 9, 14);
    }
    for (int i = 0; i < 16; i++)
        v[i] += i == 12 ? ctr : (u32x4){0} + s[i];
    for (int g = 0; g < 4; g++) {
        u32x4 a = v[4 * g], b = v[4 * g + 1], c = v[4 * g + 2],
              d = v[4 * g + 3];
        u32x4 t0 = SHUF(a, b, 0, 4, 1, 5), t1 = SHUF(c, d, 0, 4, 1, 5);
        u32x4 t2 = SHUF(a, b, 2, 6, 3, 7), t3 = SHUF(c, d, 2, 6, 3, 7);
        u32x4 rows[4] = {SHUF(t0, t1, 0, 1, 4, 5), SHUF(t0, t1, 2, 3, 6, 7),
                         SHUF(t2, t3, 0, 1, 4, 5), SHUF(t2, t3, 2, 3, 6, 7)};
        for (int j = 0; j < 4; j++) {
            size_t at = (size_t)(64 * j + 16 * g);
            if (in) {
                u32x4 m;
                __builtin_memcpy(&m, in + at, 16);
                rows[j] ^= m;
            }
            __builtin_memcpy(out + at, &rows[j], 16);
        }
    }
}
#endif

/* in == NULL means XOR with zeros: raw keystream. */
static v_status chacha_crypt(uint8_t *out, const uint8_t *in, size_t n,
                      const uint8_t key[32], const uint8_t nonce[12],
                      uint32_t counter)
{
    /* Blocks available from `counter` up to 2^32, compared in 64 bits so
     * the check itself cannot overflow. */
    uint64_t blocks = n / 64 + (n % 64 != 0);
    if (blocks > ((uint64_t)1 << 32) - counter)
        return V_ERR_LIMIT;
    uint32_t s[16], x[16];
    uint8_t ks[64];
    setup(s, key);
    s[12] = counter;
    s[13] = v_load32_le(nonce);
    s[14] = v_load32_le(nonce + 4);
    s[15] = v_load32_le(nonce + 8);
#if defined(CHACHA_LANES)
    if (n >= CHACHA_LANES * 64) {
        u32x4 v[16];
        while (n >= CHACHA_LANES * 64) {
            blocks4(s, v, in, out);
            if (in)
                in += CHACHA_LANES * 64;
            out += CHACHA_LANES * 64;
            n -= CHACHA_LANES * 64;
            s[12] += CHACHA_LANES;
        }
        /* Volatile vector stores: v_mem_wipe's byte loop would cost more
         * than a block here; the guarantee is the same. */
        volatile u32x4 *vv = v;
        for (int i = 0; i < 16; i++)
            vv[i] = (u32x4){0};
    }
#endif
    while (n > 0) {
        block(s, x, ks);
        size_t take = n < 64 ? n : 64;
        if (in) {
            for (size_t i = 0; i < take; i++)
                out[i] = (uint8_t)(in[i] ^ ks[i]);
        } else {
            for (size_t i = 0; i < take; i++)
                out[i] = ks[i];
        }
        out += take;
        if (in)
            in += take;
        n -= take;
        s[12]++;
    }
    v_mem_wipe(s, sizeof s);
    v_mem_wipe(x, sizeof x);
    v_mem_wipe(ks, sizeof ks);
    return V_OK;
}

v_status v_chacha20_xor(uint8_t *out, const uint8_t *in, size_t n,
                        const uint8_t key[V_CHACHA20_KEY_LEN],
                        const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                        uint32_t counter)
{
    if (in == NULL && n > 0)
        return V_ERR_INVALID_ARGS;
    return chacha_crypt(out, in, n, key, nonce, counter);
}

v_status v_chacha20_keystream(uint8_t *out, size_t n,
                              const uint8_t key[V_CHACHA20_KEY_LEN],
                              const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                              uint32_t counter)
{
    return chacha_crypt(out, NULL, n, key, nonce, counter);
}

void v_hchacha20(uint8_t out[32], const uint8_t key[V_CHACHA20_KEY_LEN],
                 const uint8_t nonce[V_HCHACHA20_NONCE_LEN])
{
    uint32_t x[16];
    setup(x, key);
    for (int i = 0; i < 4; i++)
        x[12 + i] = v_load32_le(nonce + 4 * i);
    rounds(x);
    /* No feed-forward: the output is the first and last rows. */
    for (int i = 0; i < 4; i++) {
        v_store32_le(out + 4 * i, x[i]);
        v_store32_le(out + 16 + 4 * i, x[12 + i]);
    }
    v_mem_wipe(x, sizeof x);
}

v_status v_xchacha20_xor(uint8_t *out, const uint8_t *in, size_t n,
                         const uint8_t key[V_CHACHA20_KEY_LEN],
                         const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                         uint32_t counter)
{
    if (in == NULL && n > 0)
        return V_ERR_INVALID_ARGS;
    uint8_t subkey[32], n12[12] = {0};
    v_hchacha20(subkey, key, nonce);
    v_mem_copy(n12 + 4, nonce + 16, 8);
    v_status st = chacha_crypt(out, in, n, subkey, n12, counter);
    v_mem_wipe(subkey, sizeof subkey);
    return st;
}
