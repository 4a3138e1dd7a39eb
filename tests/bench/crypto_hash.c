/* Hash benchmarks: BLAKE3 of 1 MiB against libsodium's BLAKE2b and
 * OpenSSL's SHA-256 (the peers), BLAKE3 both with the path a
 * program gets from v_cpu_detect() (as vhash does) and with the baseline
 * SSE2 path (no detection), and our SHA-256 against OpenSSL's. Same 1 MiB buffer for every side; MB/s, higher is better.
 *
 * A separate binary from the AEAD benchmark on purpose: OpenSSL's AVX-512
 * ChaCha20-Poly1305 was seen to leave the vector unit in a state that
 * halves the speed of any later non-VEX SSE code in the same process,
 * which would measure OpenSSL's side effect rather than our code. */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>

#include <v/crypto.h>

#include "bench.h"

enum { HASH_LEN = 1024 * 1024 };

static uint8_t msg[HASH_LEN];

static void ours_blake3_baseline(void *arg)
{
    uint8_t h[32];
    v_blake3(msg, HASH_LEN, h, sizeof h);
    bench_consume(h[0]);
}

/* The program's CPU features, detected once (v/cpu.h). */
static v_cpu_features cpu;

static void ours_blake3(void *arg)
{
    uint8_t h[32];
    v_blake3_hasher x;
    v_blake3_init(&x);
    v_blake3_use_cpu(&x, cpu);
    v_blake3_update(&x, msg, HASH_LEN);
    v_blake3_finalize(&x, h, sizeof h);
    bench_consume(h[0]);
}

static void sodium_blake2b(void *arg)
{
    uint8_t h[32];
    crypto_generichash(h, sizeof h, msg, HASH_LEN, NULL, 0);
    bench_consume(h[0]);
}

static void openssl_sha256(void *arg)
{
    uint8_t h[32];
    unsigned n;
    EVP_Digest(msg, HASH_LEN, h, &n, EVP_sha256(), NULL);
    bench_consume(h[0]);
}

static void ours_sha256(void *arg)
{
    uint8_t h[32];
    v_sha256(msg, HASH_LEN, h);
    bench_consume(h[0]);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    double o, s, p;
    static const char *const impl_names[] = {"auto", "portable", "sse2",
                                             "sse4.1", "avx2"};
    cpu = v_cpu_detect();
    int impl = v_blake3_impl_for_cpu(cpu);
    printf("# blake3: ours = %s (chosen from v_cpu_detect), baseline = "
           "SSE2 4-way (no detection); libsodium BLAKE2b and OpenSSL SHA-256 "
           "use their own run-time dispatch (SHA-NI where present)\n",
           impl_names[impl]);
    o = bench_median_ns(ours_blake3, NULL, 3, 31);
    double ob = bench_median_ns(ours_blake3_baseline, NULL, 3, 31);
    s = bench_median_ns(sodium_blake2b, NULL, 3, 31);
    p = bench_median_ns(openssl_sha256, NULL, 3, 31);
    bench_report("blake3_1m_vs_blake2b", "MB/s", bench_mb_per_s(HASH_LEN, o),
                 "libsodium", bench_mb_per_s(HASH_LEN, s));
    bench_report("blake3_1m_vs_sha256", "MB/s", bench_mb_per_s(HASH_LEN, o),
                 "openssl", bench_mb_per_s(HASH_LEN, p));
    bench_report("blake3_sse2_1m_vs_blake2b", "MB/s",
                 bench_mb_per_s(HASH_LEN, ob), "libsodium",
                 bench_mb_per_s(HASH_LEN, s));
    bench_report("blake3_sse2_1m_vs_sha256", "MB/s",
                 bench_mb_per_s(HASH_LEN, ob), "openssl",
                 bench_mb_per_s(HASH_LEN, p));
    o = bench_median_ns(ours_sha256, NULL, 3, 31);
    bench_report("sha256_1m", "MB/s", bench_mb_per_s(HASH_LEN, o), "openssl",
                 bench_mb_per_s(HASH_LEN, p));
    return 0;
}
