/* The random generators: construction (the stream is ChaCha20 with fast
 * key erasure under the derived key), determinism of seeded SLOPPY,
 * seeding and reseeding of STANDARD, HIGH's refusal until 256 bits are
 * credited and its periodic reseed, source failures, copies and fork
 * safety, and the unbiased bounded draw. */
#include <sys/random.h>

#include <v/crypto.h>
#include <v/mem.h>
#include <v/random.h>
#include <v/test.h>

/* A scripted entropy source: counter bytes, a fixed credit per call, and
 * an error to return once `fail_after` calls have been made. */
typedef struct fake_source {
    uint8_t next;
    uint32_t bits_per_call;
    unsigned calls, fail_after;
    v_status fail_with;
} fake_source;

static v_status fake_fill(void *ctx, uint8_t *out, size_t n, uint32_t *bits)
{
    fake_source *f = ctx;
    if (f->calls >= f->fail_after)
        return f->fail_with;
    f->calls++;
    for (size_t i = 0; i < n; i++)
        out[i] = f->next++;
    *bits = f->bits_per_call;
    return V_OK;
}

static fake_source fake(uint32_t bits)
{
    fake_source f = {0, bits, 0, ~0u, V_ERR_IO};
    return f;
}

static v_entropy_source src_of(fake_source *f)
{
    v_entropy_source s = {fake_fill, f};
    return s;
}

V_TEST(random, seeded_stream_is_chacha20_under_derived_key)
{
    v_random g;
    v_random_init_seeded(&g, "seed", 4);
    uint8_t key[32], ks[512], out[960];
    v_blake3_derive_key("vectra 2026 v_random sloppy seed", 32, "seed", 4,
                        key, sizeof key);
    V_ASSERT_OK(v_random_bytes(&g, out, sizeof out));
    /* First refill: keystream under the seed key; bytes 32.. are output,
     * bytes 0..31 the next key. */
    static const uint8_t nonce[12];
    V_ASSERT_OK(v_chacha20_keystream(ks, sizeof ks, key, nonce, 0));
    V_EXPECT_MEM_EQ(out, ks + 32, 480);
    v_mem_copy(key, ks, 32);
    V_ASSERT_OK(v_chacha20_keystream(ks, sizeof ks, key, nonce, 0));
    V_EXPECT_MEM_EQ(out + 480, ks + 32, 480);
    /* The state now holds only the next key: not the one just used. */
    V_EXPECT(!v_mem_equal(g.key, key, 32));
    V_EXPECT_MEM_EQ(g.key, ks, 32);
}

V_TEST(random, seeded_is_deterministic_however_read)
{
    v_random a, b, c;
    v_random_init_seeded(&a, "abc", 3);
    v_random_init_seeded(&b, "abc", 3);
    v_random_init_seeded(&c, "abd", 3);
    uint8_t x[2000], y[2000], z[2000];
    V_ASSERT_OK(v_random_bytes(&a, x, sizeof x));
    for (size_t off = 0, step = 1; off < sizeof y; step = step * 3 % 101 + 1) {
        size_t n = sizeof y - off < step ? sizeof y - off : step;
        V_ASSERT_OK(v_random_bytes(&b, y + off, n));
        off += n;
    }
    V_EXPECT_MEM_EQ(x, y, sizeof x);
    V_ASSERT_OK(v_random_bytes(&c, z, sizeof z));
    V_EXPECT(!v_mem_equal(x, z, sizeof x));
    /* Bytes handed out are wiped from the buffer. */
    for (size_t i = 0; i < a.pos; i++)
        V_ASSERT_EQ(a.buf[i], 0);
    V_EXPECT_STATUS(v_random_reseed(&a), V_ERR_NOT_SUPPORTED);
    v_random_wipe(&a);
    V_EXPECT_EQ(a.ready, 0);
}

V_TEST(random, standard_seeds_and_reseeds)
{
    fake_source f = fake(0); /* STANDARD trusts the source, credit or not */
    v_entropy_source s = src_of(&f);
    v_random g;
    V_ASSERT_OK(v_random_init(&g, V_RANDOM_STANDARD, &s));
    V_EXPECT_EQ(f.calls, 1);
    uint8_t a[64], b[64];
    V_ASSERT_OK(v_random_bytes(&g, a, sizeof a));
    /* A copy (as after fork) repeats the original's future... */
    v_random copy = g;
    V_ASSERT_OK(v_random_bytes(&g, a, sizeof a));
    V_ASSERT_OK(v_random_bytes(&copy, b, sizeof b));
    V_EXPECT_MEM_EQ(a, b, sizeof a);
    /* ...until each copy reseeds (the source gives them different bytes). */
    V_ASSERT_OK(v_random_reseed(&g));
    V_ASSERT_OK(v_random_reseed(&copy));
    V_ASSERT_OK(v_random_bytes(&g, a, sizeof a));
    V_ASSERT_OK(v_random_bytes(&copy, b, sizeof b));
    V_EXPECT(!v_mem_equal(a, b, sizeof a));
    V_EXPECT_EQ(f.calls, 3);
}

V_TEST(random, standard_source_failure)
{
    fake_source f = fake(256);
    f.fail_after = 0;
    v_entropy_source s = src_of(&f);
    v_random g;
    uint8_t out[8] = {0};
    V_EXPECT_STATUS(v_random_init(&g, V_RANDOM_STANDARD, &s), V_ERR_IO);
    V_EXPECT_STATUS(v_random_bytes(&g, out, sizeof out), V_ERR_BAD_STATE);
    /* Seeded fine, then a failed reseed: refuse rather than risk sharing a
     * stream with a copy; a later good reseed restores it. */
    f.fail_after = 1;
    V_ASSERT_OK(v_random_init(&g, V_RANDOM_STANDARD, &s));
    V_EXPECT_STATUS(v_random_reseed(&g), V_ERR_IO);
    V_EXPECT_STATUS(v_random_bytes(&g, out, sizeof out), V_ERR_BAD_STATE);
    f.fail_after = 10;
    V_EXPECT_OK(v_random_reseed(&g));
    V_EXPECT_OK(v_random_bytes(&g, out, sizeof out));
    V_EXPECT_STATUS(v_random_init(&g, V_RANDOM_STANDARD, NULL),
                    V_ERR_INVALID_ARGS);
    v_entropy_source none = {NULL, NULL};
    V_EXPECT_STATUS(v_random_init(&g, V_RANDOM_STANDARD, &none),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_random_init(&g, (v_random_level)7, &s),
                    V_ERR_INVALID_ARGS);
}

V_TEST(random, high_waits_for_256_bits)
{
    /* 4 bits per call: 64 calls needed, 16 per attempt. */
    fake_source f = fake(4);
    v_entropy_source s = src_of(&f);
    v_random g;
    uint8_t out[16];
    v_mem_set(out, 0xab, sizeof out);
    V_EXPECT_STATUS(v_random_init(&g, V_RANDOM_HIGH, &s), V_ERR_SHOULD_WAIT);
    V_EXPECT_STATUS(v_random_bytes(&g, out, sizeof out), V_ERR_SHOULD_WAIT);
    V_EXPECT_STATUS(v_random_bytes(&g, out, sizeof out), V_ERR_SHOULD_WAIT);
    V_EXPECT_EQ(out[0], 0xab); /* nothing written while refusing */
    V_EXPECT_EQ(f.calls, 48);
    V_EXPECT_OK(v_random_bytes(&g, out, sizeof out)); /* the 64th call */
    V_EXPECT_EQ(f.calls, 64);
    V_EXPECT_OK(v_random_bytes(&g, out, sizeof out));
    V_EXPECT_EQ(f.calls, 64);
    /* A source vouching for more than 8 bits a byte is capped. */
    fake_source liar = fake(100000);
    v_entropy_source ls = src_of(&liar);
    V_EXPECT_OK(v_random_init(&g, V_RANDOM_HIGH, &ls));
    V_EXPECT_EQ(liar.calls, 1);
}

V_TEST(random, high_reseeds_after_its_budget)
{
    static uint8_t big[V_RANDOM_HIGH_RESEED_BYTES + 1];
    fake_source f = fake(256);
    v_entropy_source s = src_of(&f);
    v_random g;
    V_ASSERT_OK(v_random_init(&g, V_RANDOM_HIGH, &s));
    V_EXPECT_STATUS(v_random_bytes(&g, big, sizeof big), V_ERR_LIMIT);
    V_ASSERT_OK(v_random_bytes(&g, big, V_RANDOM_HIGH_RESEED_BYTES - 10));
    V_EXPECT_EQ(f.calls, 1);
    V_ASSERT_OK(v_random_bytes(&g, big, 10));
    V_EXPECT_EQ(f.calls, 1);
    /* The budget is spent: the next request reseeds first... */
    V_ASSERT_OK(v_random_bytes(&g, big, 1));
    V_EXPECT_EQ(f.calls, 2);
    /* ...and when the source has dried up, output is refused. */
    V_ASSERT_OK(v_random_bytes(&g, big, V_RANDOM_HIGH_RESEED_BYTES - 1));
    f.fail_after = f.calls;
    f.fail_with = V_ERR_SHOULD_WAIT;
    V_EXPECT_STATUS(v_random_bytes(&g, big, 1), V_ERR_SHOULD_WAIT);
    V_EXPECT_STATUS(v_random_reseed(&g), V_ERR_SHOULD_WAIT);
    f.fail_after = ~0u;
    V_EXPECT_OK(v_random_bytes(&g, big, 1));
}

V_TEST(random, uniform_is_in_range)
{
    v_random g;
    v_random_init_seeded(&g, "u", 1);
    uint64_t x;
    V_EXPECT_STATUS(v_random_uniform(&g, 0, &x), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(v_random_uniform(&g, 1, &x));
    V_EXPECT_EQ(x, 0);
    unsigned seen[6] = {0};
    for (int i = 0; i < 6000; i++) {
        V_ASSERT_OK(v_random_uniform(&g, 6, &x));
        V_ASSERT(x < 6);
        seen[x]++;
    }
    for (int i = 0; i < 6; i++)
        V_EXPECT_GT(seen[i], 800); /* far from any plausible fluctuation */
    /* A bound just above 2^63 rejects almost half the draws; still ends. */
    uint64_t big = ((uint64_t)1 << 63) + 1;
    for (int i = 0; i < 100; i++) {
        V_ASSERT_OK(v_random_uniform(&g, big, &x));
        V_ASSERT(x < big);
    }
}

/* The hosted entropy source: getrandom(2), full entropy. */
static v_status getrandom_fill(void *ctx, uint8_t *out, size_t n,
                               uint32_t *bits)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = getrandom(out + done, n - done, 0);
        if (r < 0)
            return V_ERR_IO;
        done += (size_t)r;
    }
    *bits = (uint32_t)(8 * n);
    return V_OK;
}

V_TEST(random, hosted_getrandom_source)
{
    v_entropy_source s = {getrandom_fill, NULL};
    v_random a, b;
    V_ASSERT_OK(v_random_init(&a, V_RANDOM_HIGH, &s));
    V_ASSERT_OK(v_random_init(&b, V_RANDOM_STANDARD, &s));
    uint8_t x[32], y[32];
    V_ASSERT_OK(v_random_bytes(&a, x, sizeof x));
    V_ASSERT_OK(v_random_bytes(&b, y, sizeof y));
    V_EXPECT(!v_mem_equal(x, y, sizeof x));
}
