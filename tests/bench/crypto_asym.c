/* Public-key and password-hash benchmarks: Ed25519 sign and verify,
 * X25519, against libsodium (operations per second, higher is better);
 * Argon2id at m = 64 MiB, t = 3, p = 1 against libargon2 (ns per hash,
 * lower is better). Same keys, messages and parameters on both sides. */
#include <argon2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v/crypto.h>

#include "bench.h"

static uint8_t seed[32] = {42}, pk[32], sk[64], sig[64], msg[64];
static uint8_t xk[32] = {5}, xu[32] = {9, 1, 2};
static v_cpu_features cpu; /* detected once in main */

static void ours_sign(void *arg)
{
    v_ed25519_sign(sig, msg, sizeof msg, sk);
    bench_consume(sig[0]);
}

static void sodium_sign(void *arg)
{
    crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
    bench_consume(sig[0]);
}

static void ours_verify(void *arg)
{
    bench_consume((uint64_t)v_ed25519_verify(sig, msg, sizeof msg, pk));
}

static void sodium_verify(void *arg)
{
    bench_consume((uint64_t)crypto_sign_verify_detached(sig, msg, sizeof msg,
                                                        pk));
}

static void ours_x25519(void *arg)
{
    uint8_t out[32];
    (void)v_x25519_cpu(cpu, out, xk, xu);
    bench_consume(out[0]);
}

static void sodium_x25519(void *arg)
{
    uint8_t out[32];
    if (crypto_scalarmult(out, xk, xu) != 0)
        abort();
    bench_consume(out[0]);
}

/* A malloc-backed allocator for Argon2id's working memory. */
static v_status m_alloc(v_alloc *self, size_t size, size_t align, void **out)
{
    void *p = aligned_alloc(align < 64 ? 64 : align, (size + 63) & ~(size_t)63);
    if (p == NULL)
        return V_ERR_NO_MEMORY;
    *out = p;
    return V_OK;
}

static v_status m_resize(v_alloc *self, void *ptr, size_t old_size,
                         size_t new_size, size_t align, void **out)
{
    return V_ERR_NOT_SUPPORTED;
}

static void m_free(v_alloc *self, void *ptr, size_t size)
{
    free(ptr);
}

static const v_alloc_ops M_OPS = {m_alloc, m_resize, m_free};
static v_alloc heap = {&M_OPS};
static const uint8_t salt[16] = "vectra bench slt";
enum { A_T = 3, A_M = 64 * 1024, A_P = 1 };

static void ours_argon2(void *arg)
{
    uint8_t out[32];
    v_argon2_params p = {A_T, A_M, A_P, NULL, 0, NULL, 0};
    if (v_argon2id(out, sizeof out, "password", 8, salt, sizeof salt, &p,
                   &heap) != V_OK)
        abort();
    bench_consume(out[0]);
}

static void ref_argon2(void *arg)
{
    uint8_t out[32];
    if (argon2id_hash_raw(A_T, A_M, A_P, "password", 8, salt, sizeof salt,
                          out, sizeof out) != ARGON2_OK)
        abort();
    bench_consume(out[0]);
}

static double per_s(double ns)
{
    return 1e9 / ns;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { PAIR_REPS = 501 };

/* Medians of ours() and peer() timed in alternation, one call each per
 * round, so both sides run under the same machine load (timed one side
 * after the other, a burst of load on this shared machine moved the
 * ratio by up to 0.2). */
static void median_pair(void (*ours)(void *), void (*peer)(void *),
                        double *ours_ns, double *peer_ns)
{
    static double to[PAIR_REPS], tp[PAIR_REPS];
    for (int i = 0; i < 50; i++) {
        ours(NULL);
        peer(NULL);
    }
    for (int i = 0; i < PAIR_REPS; i++) {
        uint64_t t0 = bench_now_ns();
        ours(NULL);
        uint64_t t1 = bench_now_ns();
        peer(NULL);
        uint64_t t2 = bench_now_ns();
        to[i] = (double)(t1 - t0);
        tp[i] = (double)(t2 - t1);
    }
    qsort(to, PAIR_REPS, sizeof to[0], cmp_double);
    qsort(tp, PAIR_REPS, sizeof tp[0], cmp_double);
    *ours_ns = to[PAIR_REPS / 2];
    *peer_ns = tp[PAIR_REPS / 2];
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    cpu = v_cpu_detect();
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    v_ed25519_keypair(pk, sk, seed);
    uint8_t pk2[32], sk2[64], sig2[64];
    crypto_sign_seed_keypair(pk2, sk2, seed);
    v_ed25519_sign(sig, msg, sizeof msg, sk);
    crypto_sign_detached(sig2, NULL, msg, sizeof msg, sk2);
    if (memcmp(pk, pk2, 32) || memcmp(sig, sig2, 64)) {
        fprintf(stderr, "crypto_asym: Ed25519 disagrees with libsodium\n");
        return 1;
    }
    printf("# ours, X25519: v_x25519_cpu with v_cpu_detect(): %s\n",
           v_cpu_has(cpu, V_CPU_BMI2 | V_CPU_ADX)
               ? "64-bit limbs with MULX/ADCX/ADOX (BMI2 + ADX)"
               : "portable C, 51-bit limbs with 128-bit products");
    puts("# ours, Ed25519: portable C, 51-bit limbs with 128-bit products "
         "(no CPU detection); signing: signed radix-16 fixed-base tables, "
         "selected with SSE2 masks; verification: width-8/width-5 NAF "
         "Straus; inversion by constant-time divsteps");
    puts("# libsodium 1.0.18: ref10 with 128-bit products for Ed25519; "
         "for X25519 its AVX assembly (sandy2x), picked at run time "
         "when the CPU has AVX");
    double o, s;
    median_pair(ours_sign, sodium_sign, &o, &s);
    bench_report("ed25519_sign", "ops/s", per_s(o), "libsodium", per_s(s));
    median_pair(ours_verify, sodium_verify, &o, &s);
    bench_report("ed25519_verify", "ops/s", per_s(o), "libsodium", per_s(s));
    median_pair(ours_x25519, sodium_x25519, &o, &s);
    bench_report("x25519", "ops/s", per_s(o), "libsodium", per_s(s));

    uint8_t a[32], b[32];
    v_argon2_params p = {A_T, A_M, A_P, NULL, 0, NULL, 0};
    if (v_argon2id(a, 32, "password", 8, salt, sizeof salt, &p, &heap) != V_OK ||
        argon2id_hash_raw(A_T, A_M, A_P, "password", 8, salt, sizeof salt, b,
                          32) != ARGON2_OK ||
        memcmp(a, b, 32)) {
        fprintf(stderr, "crypto_asym: Argon2id disagrees with libargon2\n");
        return 1;
    }
    puts("# argon2id m=64MiB t=3 p=1: ours portable C, one thread; "
         "libargon2 as packaged by Debian (p=1, so one thread)");
    o = bench_median_ns(ours_argon2, NULL, 1, 5);
    s = bench_median_ns(ref_argon2, NULL, 1, 5);
    bench_report("argon2id_64m_t3", "ns", o, "libargon2", s);
    return 0;
}
