/* ChaCha20 (RFC 8439 §2.3-2.4), HChaCha20 and XChaCha20
 * (draft-irtf-cfrg-xchacha-03 §2.2-2.3). Portable C, with many-block
 * vector paths (chacha20_simd.c) chosen from the caller's CPU features.
 *
 * Constant time: ARX only on the key and counter; the keystream block is
 * XOR-ed in regardless of content. Every stack copy of key-derived state
 * is wiped before return. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"
#include "chacha20_impl.h"

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

/* in == NULL means XOR with zeros: raw keystream. */
static v_status chacha_crypt(v_cpu_features cpu, uint8_t *out,
                             const uint8_t *in, size_t n,
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
#if V_CHACHA20_SIMD
    /* Widest first; each leaves fewer than its group size behind. */
    size_t done = 0;
    if (v_cpu_has(cpu, V_CPU_AVX2))
        done = v_chacha20_blocks8_avx2(s, in, out, n);
    if (n - done >= 256) {
        s[12] += (uint32_t)(done / 64);
        size_t more = v_cpu_has(cpu, V_CPU_SSE41)
                          ? v_chacha20_blocks4_sse41(s, in ? in + done : NULL,
                                                     out + done, n - done)
                      : v_cpu_has(cpu, V_CPU_SSE2)
                          ? v_chacha20_blocks4_sse2(s, in ? in + done : NULL,
                                                    out + done, n - done)
                          : 0;
        s[12] += (uint32_t)(more / 64);
        done += more;
    } else {
        s[12] += (uint32_t)(done / 64);
    }
    if (in)
        in += done;
    out += done;
    n -= done;
#else
    (void)cpu;
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

v_status v_chacha20_xor_cpu(v_cpu_features cpu, uint8_t *out,
                            const uint8_t *in, size_t n,
                            const uint8_t key[V_CHACHA20_KEY_LEN],
                            const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                            uint32_t counter)
{
    if (in == NULL && n > 0)
        return V_ERR_INVALID_ARGS;
    return chacha_crypt(cpu, out, in, n, key, nonce, counter);
}

v_status v_chacha20_xor(uint8_t *out, const uint8_t *in, size_t n,
                        const uint8_t key[V_CHACHA20_KEY_LEN],
                        const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                        uint32_t counter)
{
    return v_chacha20_xor_cpu(v_cpu_baseline(), out, in, n, key, nonce,
                              counter);
}

v_status v_chacha20_keystream_cpu(v_cpu_features cpu, uint8_t *out, size_t n,
                                  const uint8_t key[V_CHACHA20_KEY_LEN],
                                  const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                  uint32_t counter)
{
    return chacha_crypt(cpu, out, NULL, n, key, nonce, counter);
}

v_status v_chacha20_keystream(uint8_t *out, size_t n,
                              const uint8_t key[V_CHACHA20_KEY_LEN],
                              const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                              uint32_t counter)
{
    return chacha_crypt(v_cpu_baseline(), out, NULL, n, key, nonce, counter);
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
    return v_xchacha20_xor_cpu(v_cpu_baseline(), out, in, n, key, nonce,
                               counter);
}

v_status v_xchacha20_xor_cpu(v_cpu_features cpu, uint8_t *out,
                             const uint8_t *in, size_t n,
                             const uint8_t key[V_CHACHA20_KEY_LEN],
                             const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                             uint32_t counter)
{
    if (in == NULL && n > 0)
        return V_ERR_INVALID_ARGS;
    uint8_t subkey[32], n12[12] = {0};
    v_hchacha20(subkey, key, nonce);
    v_mem_copy(n12 + 4, nonce + 16, 8);
    v_status st = chacha_crypt(cpu, out, in, n, subkey, n12, counter);
    v_mem_wipe(subkey, sizeof subkey);
    return st;
}
