/* Differential tests, symmetric primitives: bit-exact agreement with
 * libsodium and OpenSSL on thousands of random inputs, and AEAD tamper
 * rejection. */
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <sodium.h>
#include <string.h>

#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "diff.h"

enum { MAXLEN = 3000 };

V_TEST(crypto_diff, sha2_vs_openssl_and_libsodium)
{
    static uint8_t msg[MAXLEN];
    v_random g;
    diff_rng(&g, "sha2");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        size_t n = diff_len(&g, MAXLEN);
        diff_fill(&g, msg, n);
        uint8_t a[64], b[64], c[64];
        unsigned blen = 0;
        v_sha256(msg, n, a);
        V_ASSERT(EVP_Digest(msg, n, b, &blen, EVP_sha256(), NULL) == 1);
        crypto_hash_sha256(c, msg, n);
        V_ASSERT(v_mem_equal(a, b, 32) && v_mem_equal(a, c, 32));
        v_sha512(msg, n, a);
        V_ASSERT(EVP_Digest(msg, n, b, &blen, EVP_sha512(), NULL) == 1);
        crypto_hash_sha512(c, msg, n);
        V_ASSERT(v_mem_equal(a, b, 64) && v_mem_equal(a, c, 64));
    }
}

V_TEST(crypto_diff, hmac_vs_libsodium)
{
    static uint8_t msg[MAXLEN];
    uint8_t key[300];
    v_random g;
    diff_rng(&g, "hmac");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        size_t n = diff_len(&g, MAXLEN), kn = diff_len(&g, sizeof key - 1);
        diff_fill(&g, msg, n);
        diff_fill(&g, key, kn);
        uint8_t a[64], b[64];
        crypto_auth_hmacsha256_state s256;
        crypto_auth_hmacsha512_state s512;
        v_hmac_sha256(key, kn, msg, n, a);
        crypto_auth_hmacsha256_init(&s256, key, kn);
        crypto_auth_hmacsha256_update(&s256, msg, n);
        crypto_auth_hmacsha256_final(&s256, b);
        V_ASSERT(v_mem_equal(a, b, 32));
        v_hmac_sha512(key, kn, msg, n, a);
        crypto_auth_hmacsha512_init(&s512, key, kn);
        crypto_auth_hmacsha512_update(&s512, msg, n);
        crypto_auth_hmacsha512_final(&s512, b);
        V_ASSERT(v_mem_equal(a, b, 64));
    }
}

static int openssl_hkdf(const char *digest, const uint8_t *salt, size_t sn,
                        const uint8_t *ikm, size_t in, const uint8_t *info,
                        size_t fn, uint8_t *out, size_t on)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    OSSL_PARAM p[5], *q = p;
    *q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                            (char *)digest, 0);
    *q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                             (void *)ikm, in);
    *q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                             (void *)salt, sn);
    *q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                             (void *)info, fn);
    *q = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, on, p) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
}

V_TEST(crypto_diff, hkdf_vs_openssl)
{
    uint8_t salt[100], ikm[100], info[100], a[600], b[600];
    v_random g;
    diff_rng(&g, "hkdf");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        size_t sn = diff_len(&g, sizeof salt), in = diff_len(&g, sizeof ikm);
        size_t fn = diff_len(&g, sizeof info), on = 1 + diff_len(&g, 599);
        diff_fill(&g, salt, sn);
        diff_fill(&g, ikm, in);
        diff_fill(&g, info, fn);
        V_ASSERT_OK(v_hkdf_sha256(salt, sn, ikm, in, info, fn, a, on));
        V_ASSERT(openssl_hkdf("SHA256", salt, sn, ikm, in, info, fn, b, on));
        V_ASSERT(v_mem_equal(a, b, on));
        V_ASSERT_OK(v_hkdf_sha512(salt, sn, ikm, in, info, fn, a, on));
        V_ASSERT(openssl_hkdf("SHA512", salt, sn, ikm, in, info, fn, b, on));
        V_ASSERT(v_mem_equal(a, b, on));
    }
}

V_TEST(crypto_diff, chacha20_xchacha20_poly1305_vs_libsodium)
{
    static uint8_t msg[MAXLEN], a[MAXLEN], b[MAXLEN];
    uint8_t key[32], nonce[24];
    v_random g;
    v_cpu_features cpu = v_cpu_detect(); /* the widest vector paths */
    diff_rng(&g, "chacha");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        size_t n = diff_len(&g, MAXLEN);
        uint32_t ctr;
        diff_fill(&g, msg, n);
        diff_fill(&g, key, sizeof key);
        diff_fill(&g, nonce, sizeof nonce);
        diff_fill(&g, &ctr, sizeof ctr);
        ctr %= 1000000; /* stay clear of the 2^32 block limit */
        V_ASSERT_OK(v_chacha20_xor(a, msg, n, key, nonce, ctr));
        crypto_stream_chacha20_ietf_xor_ic(b, msg, n, nonce, ctr, key);
        V_ASSERT(v_mem_equal(a, b, n));
        V_ASSERT_OK(v_chacha20_xor_cpu(cpu, a, msg, n, key, nonce, ctr));
        V_ASSERT(v_mem_equal(a, b, n));
        V_ASSERT_OK(v_xchacha20_xor(a, msg, n, key, nonce, ctr));
        crypto_stream_xchacha20_xor_ic(b, msg, n, nonce, ctr, key);
        V_ASSERT(v_mem_equal(a, b, n));
        V_ASSERT_OK(v_xchacha20_xor_cpu(cpu, a, msg, n, key, nonce, ctr));
        V_ASSERT(v_mem_equal(a, b, n));
        uint8_t h1[32], h2[32];
        v_hchacha20(h1, key, nonce);
        crypto_core_hchacha20(h2, nonce, key, NULL);
        V_ASSERT(v_mem_equal(h1, h2, 32));
        uint8_t t1[16], t2[16];
        v_poly1305(t1, msg, n, key);
        crypto_onetimeauth_poly1305(t2, msg, n, key);
        V_ASSERT(v_mem_equal(t1, t2, 16));
        v_poly1305_cpu(cpu, t1, msg, n, key);
        V_ASSERT(v_mem_equal(t1, t2, 16));
    }
}

/* Flips one random bit of nonce, AD, ciphertext or tag. */
static void flip_random_bit(v_random *g, uint8_t *nonce, size_t nn,
                            uint8_t *ad, size_t an, uint8_t *ct, size_t cn,
                            uint8_t *tag)
{
    uint8_t *parts[] = {nonce, ad, ct, tag};
    size_t sizes[] = {nn, an, cn, 16};
    uint64_t which, bit;
    do
        (void)v_random_uniform(g, 4, &which);
    while (sizes[which] == 0);
    (void)v_random_uniform(g, sizes[which] * 8, &bit);
    parts[which][bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

V_TEST(crypto_diff, aead_vs_libsodium_and_tampering)
{
    static uint8_t msg[MAXLEN], ct[MAXLEN], ct2[MAXLEN], pt[MAXLEN];
    uint8_t key[32], nonce[24], ad[80], tag[16], tag2[16];
    v_random g;
    v_cpu_features wide = v_cpu_detect();
    diff_rng(&g, "aead");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        size_t n = diff_len(&g, MAXLEN), an = diff_len(&g, sizeof ad);
        diff_fill(&g, msg, n);
        diff_fill(&g, ad, an);
        diff_fill(&g, key, sizeof key);
        diff_fill(&g, nonce, sizeof nonce);
        int x = i & 1; /* alternate ChaCha20-Poly1305 and XChaCha20 */
        /* and, every other pair, the baseline and the widest paths */
        v_cpu_features cpu = i & 2 ? wide : v_cpu_baseline();
        unsigned long long tl;
        if (x) {
            V_ASSERT_OK(v_aead_xchacha20poly1305_seal_cpu(
                cpu, ct, tag, msg, n, ad, an, nonce, key));
            crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                ct2, tag2, &tl, msg, n, ad, an, NULL, nonce, key);
        } else {
            V_ASSERT_OK(v_aead_chacha20poly1305_seal_cpu(
                cpu, ct, tag, msg, n, ad, an, nonce, key));
            crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                ct2, tag2, &tl, msg, n, ad, an, NULL, nonce, key);
        }
        V_ASSERT(v_mem_equal(ct, ct2, n) && v_mem_equal(tag, tag2, 16));
        /* The peer's output opens with ours. */
        v_status ok =
            x ? v_aead_xchacha20poly1305_open_cpu(cpu, pt, ct2, n, tag2, ad,
                                                  an, nonce, key)
              : v_aead_chacha20poly1305_open_cpu(cpu, pt, ct2, n, tag2, ad,
                                                 an, nonce, key);
        V_ASSERT_OK(ok);
        V_ASSERT(v_mem_equal(pt, msg, n));
        size_t nn = x ? 24 : 12;
        flip_random_bit(&g, nonce, nn, ad, an, ct, n, tag);
        v_status st =
            x ? v_aead_xchacha20poly1305_open_cpu(cpu, pt, ct, n, tag, ad, an,
                                                  nonce, key)
              : v_aead_chacha20poly1305_open_cpu(cpu, pt, ct, n, tag, ad, an,
                                                 nonce, key);
        V_ASSERT_STATUS(st, V_ERR_MALFORMED);
        int peer = x ? crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                           pt, NULL, ct, n, tag, ad, an, nonce, key)
                     : crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                           pt, NULL, ct, n, tag, ad, an, nonce, key);
        V_ASSERT_EQ(peer, -1);
    }
}
