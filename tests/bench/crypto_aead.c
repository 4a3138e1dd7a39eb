/* AEAD benchmark: ChaCha20-Poly1305 seal of 16 KiB against libsodium and
 * OpenSSL. Same message, key, nonce and AD for every side (checked equal
 * before timing); MB/s, higher is better. */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <v/crypto.h>

#include "bench.h"

enum { AEAD_LEN = 16 * 1024 };

static uint8_t msg[AEAD_LEN], out[AEAD_LEN + 16];
static uint8_t key[32] = {1, 2, 3}, nonce[12] = {9}, ad[16] = {7};
static EVP_CIPHER_CTX *ossl_ctx;

/* The program's CPU features, detected once (v/cpu.h). */
static v_cpu_features cpu;

static void ours_seal(void *arg)
{
    uint8_t tag[16];
    (void)v_aead_chacha20poly1305_seal_cpu(cpu, out, tag, msg, AEAD_LEN, ad,
                                           sizeof ad, nonce, key);
    bench_consume(tag[0]);
}

static void ours_seal_baseline(void *arg)
{
    uint8_t tag[16];
    (void)v_aead_chacha20poly1305_seal(out, tag, msg, AEAD_LEN, ad, sizeof ad,
                                       nonce, key);
    bench_consume(tag[0]);
}

static void ours_chacha20(void *arg)
{
    (void)v_chacha20_xor_cpu(cpu, out, msg, AEAD_LEN, key, nonce, 1);
    bench_consume(out[0]);
}

static void sodium_chacha20(void *arg)
{
    crypto_stream_chacha20_ietf_xor_ic(out, msg, AEAD_LEN, nonce, 1, key);
    bench_consume(out[0]);
}

static void ours_poly1305(void *arg)
{
    uint8_t tag[16];
    v_poly1305_cpu(cpu, tag, msg, AEAD_LEN, key);
    bench_consume(tag[0]);
}

static void sodium_poly1305(void *arg)
{
    uint8_t tag[16];
    crypto_onetimeauth_poly1305(tag, msg, AEAD_LEN, key);
    bench_consume(tag[0]);
}

static void sodium_seal(void *arg)
{
    uint8_t tag[16];
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(
        out, tag, NULL, msg, AEAD_LEN, ad, sizeof ad, NULL, nonce, key);
    bench_consume(tag[0]);
}

static void openssl_seal(void *arg)
{
    uint8_t tag[16];
    int len;
    EVP_EncryptInit_ex(ossl_ctx, NULL, NULL, key, nonce);
    EVP_EncryptUpdate(ossl_ctx, NULL, &len, ad, sizeof ad);
    EVP_EncryptUpdate(ossl_ctx, out, &len, msg, AEAD_LEN);
    EVP_EncryptFinal_ex(ossl_ctx, out + len, &len);
    EVP_CIPHER_CTX_ctrl(ossl_ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag);
    bench_consume(tag[0]);
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "crypto_aead: %s disagrees with the peer\n", what);
        _Exit(1);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    ossl_ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ossl_ctx, EVP_chacha20_poly1305(), NULL, NULL, NULL);

    /* Same work: check the outputs agree before timing anything. */
    cpu = v_cpu_detect();
    uint8_t a[AEAD_LEN], ta[16], tb[16];
    v_aead_chacha20poly1305_seal_cpu(cpu, a, ta, msg, AEAD_LEN, ad, sizeof ad, nonce,
                                 key);
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(
        out, tb, NULL, msg, AEAD_LEN, ad, sizeof ad, NULL, nonce, key);
    check(memcmp(a, out, AEAD_LEN) == 0 && memcmp(ta, tb, 16) == 0,
          "ChaCha20-Poly1305");

    printf("# chacha20-poly1305: ours ChaCha20 %s (from v_cpu_detect; "
           "baseline = SSE2 4-way) + Poly1305 %s; libsodium "
           "1.0.18 and OpenSSL 3 pick their SSSE3/AVX2/AVX-512 code at run "
           "time\n",
           v_cpu_has(cpu, V_CPU_AVX2)    ? "AVX2 8-way"
           : v_cpu_has(cpu, V_CPU_SSE41) ? "SSE4.1 4-way"
                                         : "SSE2 4-way",
           v_cpu_has(cpu, V_CPU_AVX2) ? "AVX2 4-way" : "64-bit scalar");
    double o = bench_median_ns(ours_seal, NULL, 20, 201);
    double ob = bench_median_ns(ours_seal_baseline, NULL, 20, 201);
    double s = bench_median_ns(sodium_seal, NULL, 20, 201);
    double p = bench_median_ns(openssl_seal, NULL, 20, 201);
    bench_report("chacha20poly1305_seal_16k", "MB/s",
                 bench_mb_per_s(AEAD_LEN, o), "libsodium",
                 bench_mb_per_s(AEAD_LEN, s));
    bench_report("chacha20poly1305_seal_16k", "MB/s",
                 bench_mb_per_s(AEAD_LEN, o), "openssl",
                 bench_mb_per_s(AEAD_LEN, p));
    bench_report("chacha20poly1305_sse2_seal_16k", "MB/s",
                 bench_mb_per_s(AEAD_LEN, ob), "libsodium",
                 bench_mb_per_s(AEAD_LEN, s));
    /* The two halves alone, to see where the time goes. */
    o = bench_median_ns(ours_chacha20, NULL, 20, 201);
    s = bench_median_ns(sodium_chacha20, NULL, 20, 201);
    bench_report("chacha20_16k", "MB/s", bench_mb_per_s(AEAD_LEN, o),
                 "libsodium", bench_mb_per_s(AEAD_LEN, s));
    o = bench_median_ns(ours_poly1305, NULL, 20, 201);
    s = bench_median_ns(sodium_poly1305, NULL, 20, 201);
    bench_report("poly1305_16k", "MB/s", bench_mb_per_s(AEAD_LEN, o),
                 "libsodium", bench_mb_per_s(AEAD_LEN, s));

    EVP_CIPHER_CTX_free(ossl_ctx);
    return 0;
}
