/* ChaCha20-Poly1305 (RFC 8439 §2.8) and XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha-03 §2.4).
 *
 * open computes the tag over the ciphertext first, compares it in
 * constant time, and only then decrypts; on mismatch the output is zeroed
 * and no keystream is ever XOR-ed into it. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"

/* RFC 8439 §2.8: the counter starts at 1 (block 0 made the Poly1305
 * key), so at most 2^32 - 1 blocks. */
#define MAX_MESSAGE (((uint64_t)1 << 32) - 1) * 64

static void pad16(v_poly1305_ctx *p, size_t len)
{
    static const uint8_t zeros[16];
    if (len % 16)
        v_poly1305_update(p, zeros, 16 - len % 16);
}

static void compute_tag(v_cpu_features cpu, uint8_t tag[16],
                        const uint8_t *ct, size_t n,
                        const uint8_t *ad, size_t ad_len,
                        const uint8_t nonce[12], const uint8_t key[32])
{
    uint8_t otk[32], lens[16];
    v_poly1305_ctx p;
    v_chacha20_keystream(otk, sizeof otk, key, nonce, 0);
    v_poly1305_init_cpu(&p, otk, cpu);
    v_poly1305_update(&p, ad, ad_len);
    pad16(&p, ad_len);
    v_poly1305_update(&p, ct, n);
    pad16(&p, n);
    v_store64_le(lens, (uint64_t)ad_len);
    v_store64_le(lens + 8, (uint64_t)n);
    v_poly1305_update(&p, lens, sizeof lens);
    v_poly1305_final(&p, tag);
    v_mem_wipe(otk, sizeof otk);
}

v_status v_aead_chacha20poly1305_seal_cpu(v_cpu_features cpu, uint8_t *ct, uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *pt, size_t n,
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN])
{
    if ((uint64_t)n > MAX_MESSAGE)
        return V_ERR_LIMIT;
    if (n > 0) {
        v_status st = v_chacha20_xor_cpu(cpu, ct, pt, n, key, nonce, 1);
        if (st != V_OK)
            return st;
    }
    compute_tag(cpu, tag, ct, n, ad, ad_len, nonce, key);
    return V_OK;
}

v_status v_aead_chacha20poly1305_open_cpu(v_cpu_features cpu, uint8_t *pt, const uint8_t *ct, size_t n,
                                      const uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN])
{
    if ((uint64_t)n > MAX_MESSAGE)
        return V_ERR_LIMIT;
    uint8_t want[16];
    compute_tag(cpu, want, ct, n, ad, ad_len, nonce, key);
    int ok = v_ct_equal(want, tag, sizeof want);
    v_mem_wipe(want, sizeof want);
    if (!ok) {
        /* Whether the tag matched is public (the caller learns it); only
         * the comparison itself had to be constant time. */
        v_mem_wipe(pt, n);
        return V_ERR_MALFORMED;
    }
    if (n > 0)
        return v_chacha20_xor_cpu(cpu, pt, ct, n, key, nonce, 1);
    return V_OK;
}

/* XChaCha20-Poly1305: HChaCha20 turns (key, first 16 nonce bytes) into a
 * subkey; the last 8 nonce bytes, after four zero bytes, are the nonce. */
static void xsetup(uint8_t subkey[32], uint8_t n12[12],
                   const uint8_t nonce[24], const uint8_t key[32])
{
    v_hchacha20(subkey, key, nonce);
    v_mem_set(n12, 0, 4);
    v_mem_copy(n12 + 4, nonce + 16, 8);
}

v_status v_aead_xchacha20poly1305_seal_cpu(v_cpu_features cpu, uint8_t *ct,
                                       uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *pt, size_t n,
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN])
{
    uint8_t subkey[32], n12[12];
    xsetup(subkey, n12, nonce, key);
    v_status st = v_aead_chacha20poly1305_seal_cpu(cpu, ct, tag, pt, n, ad, ad_len,
                                               n12, subkey);
    v_mem_wipe(subkey, sizeof subkey);
    return st;
}

v_status v_aead_xchacha20poly1305_open_cpu(v_cpu_features cpu, uint8_t *pt, const uint8_t *ct,
                                       size_t n,
                                       const uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN])
{
    uint8_t subkey[32], n12[12];
    xsetup(subkey, n12, nonce, key);
    v_status st = v_aead_chacha20poly1305_open_cpu(cpu, pt, ct, n, tag, ad, ad_len,
                                               n12, subkey);
    v_mem_wipe(subkey, sizeof subkey);
    return st;
}

/* The forms without a CPU argument use the baseline (no detection). */
v_status v_aead_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *pt, size_t n,
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN])
{
    return v_aead_chacha20poly1305_seal_cpu(v_cpu_baseline(), ct, tag, pt, n,
                                            ad, ad_len, nonce, key);
}

v_status v_aead_chacha20poly1305_open(uint8_t *pt, const uint8_t *ct, size_t n,
                                      const uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN])
{
    return v_aead_chacha20poly1305_open_cpu(v_cpu_baseline(), pt, ct, n, tag,
                                            ad, ad_len, nonce, key);
}

v_status v_aead_xchacha20poly1305_seal(uint8_t *ct,
                                       uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *pt, size_t n,
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN])
{
    return v_aead_xchacha20poly1305_seal_cpu(v_cpu_baseline(), ct, tag, pt, n,
                                             ad, ad_len, nonce, key);
}

v_status v_aead_xchacha20poly1305_open(uint8_t *pt, const uint8_t *ct,
                                       size_t n,
                                       const uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN])
{
    return v_aead_xchacha20poly1305_open_cpu(v_cpu_baseline(), pt, ct, n, tag,
                                             ad, ad_len, nonce, key);
}
