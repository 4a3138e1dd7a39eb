/* BLAKE3 against the official test vectors (all three modes, 131 bytes of
 * extended output, first 32 bytes as the default hash), through the
 * one-shot, incremental (many split patterns) and seekable-output paths. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "blake3_vectors.h"
#include "hex.h"

enum { MAX_INPUT = 102400 };
static uint8_t input[MAX_INPUT];

static void fill_input(void)
{
    for (size_t i = 0; i < MAX_INPUT; i++)
        input[i] = (uint8_t)(i % 251);
}

enum mode { HASH, KEYED, DERIVE };

static void init_mode(v_blake3_hasher *h, enum mode m)
{
    if (m == HASH)
        v_blake3_init(h);
    else if (m == KEYED)
        v_blake3_init_keyed(h, (const uint8_t *)B3V_KEY);
    else
        v_blake3_init_derive_key(h, B3V_CONTEXT, sizeof B3V_CONTEXT - 1);
}

static const char *want_hex(const struct b3v_case *c, enum mode m)
{
    return m == HASH ? c->hash : m == KEYED ? c->keyed_hash : c->derive_key;
}

V_TEST(crypto, blake3_official_vectors_one_shot)
{
    fill_input();
    for (size_t i = 0; i < sizeof B3V_CASES / sizeof B3V_CASES[0]; i++) {
        const struct b3v_case *c = &B3V_CASES[i];
        uint8_t want[B3V_OUT_LEN], got[B3V_OUT_LEN];
        for (enum mode m = HASH; m <= DERIVE; m++) {
            V_ASSERT_EQ(hex_decode(want, sizeof want, want_hex(c, m)),
                        B3V_OUT_LEN);
            v_mem_set(got, 0, sizeof got);
            if (m == HASH)
                v_blake3(input, c->input_len, got, sizeof got);
            else if (m == KEYED)
                v_blake3_keyed((const uint8_t *)B3V_KEY, input, c->input_len,
                               got, sizeof got);
            else
                v_blake3_derive_key(B3V_CONTEXT, sizeof B3V_CONTEXT - 1,
                                    input, c->input_len, got, sizeof got);
            if (!V_EXPECT_MEM_EQ(got, want, B3V_OUT_LEN)) {
                v_test_note(v_t, m == HASH ? "hash" : m == KEYED ? "keyed"
                                                                  : "derive");
                return;
            }
            /* The default-length output is the first 32 bytes. */
            uint8_t short_out[V_BLAKE3_OUT_LEN];
            if (m == HASH)
                v_blake3(input, c->input_len, short_out, sizeof short_out);
            else if (m == KEYED)
                v_blake3_keyed((const uint8_t *)B3V_KEY, input, c->input_len,
                               short_out, sizeof short_out);
            else
                v_blake3_derive_key(B3V_CONTEXT, sizeof B3V_CONTEXT - 1,
                                    input, c->input_len, short_out,
                                    sizeof short_out);
            V_EXPECT_MEM_EQ(short_out, want, V_BLAKE3_OUT_LEN);
        }
    }
}

V_TEST(crypto, blake3_official_vectors_incremental)
{
    /* Piece sizes chosen to straddle block (64) and chunk (1024) edges. */
    static const size_t steps[] = {1, 7, 63, 64, 65, 1000, 1023, 1024, 1025,
                                   4096, 65536};
    fill_input();
    for (size_t i = 0; i < sizeof B3V_CASES / sizeof B3V_CASES[0]; i++) {
        const struct b3v_case *c = &B3V_CASES[i];
        for (enum mode m = HASH; m <= DERIVE; m++) {
            uint8_t want[B3V_OUT_LEN], got[B3V_OUT_LEN];
            hex_decode(want, sizeof want, want_hex(c, m));
            for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
                v_blake3_hasher h;
                init_mode(&h, m);
                for (size_t off = 0; off < c->input_len; off += steps[s]) {
                    size_t n = c->input_len - off;
                    v_blake3_update(&h, input + off, n < steps[s] ? n
                                                                  : steps[s]);
                }
                v_blake3_finalize(&h, got, sizeof got);
                v_blake3_wipe(&h);
                V_ASSERT(v_mem_equal(got, want, sizeof got));
            }
        }
    }
}

V_TEST(crypto, blake3_seek_and_stream_output)
{
    fill_input();
    const struct b3v_case *c = &B3V_CASES[4]; /* 1025 bytes: two chunks */
    uint8_t want[B3V_OUT_LEN], got[B3V_OUT_LEN];
    hex_decode(want, sizeof want, c->keyed_hash);
    v_blake3_hasher h;
    v_blake3_init_keyed(&h, (const uint8_t *)B3V_KEY);
    v_blake3_update(&h, input, c->input_len);
    /* Every offset and every length that fits in the vector. */
    for (size_t off = 0; off < B3V_OUT_LEN; off++) {
        v_blake3_finalize_seek(&h, off, got, B3V_OUT_LEN - off);
        V_ASSERT(v_mem_equal(got, want + off, B3V_OUT_LEN - off));
    }
    /* A stream read in uneven pieces, then rewound. */
    v_blake3_output o;
    v_blake3_output_init(&h, &o);
    size_t pos = 0, piece = 1;
    while (pos < B3V_OUT_LEN) {
        size_t n = B3V_OUT_LEN - pos < piece ? B3V_OUT_LEN - pos : piece;
        v_blake3_output_read(&o, got + pos, n);
        pos += n;
        piece = piece * 3 % 70 + 1;
    }
    V_EXPECT_MEM_EQ(got, want, B3V_OUT_LEN);
    v_blake3_output_seek(&o, 100);
    v_blake3_output_read(&o, got, 31);
    V_EXPECT_MEM_EQ(got, want + 100, 31);
    /* Finalize leaves the hasher usable: more input, new hash. */
    v_blake3_update(&h, input + c->input_len, 1023);
    v_blake3_finalize(&h, got, B3V_OUT_LEN);
    hex_decode(want, sizeof want, B3V_CASES[5].keyed_hash); /* 2048 */
    V_EXPECT_MEM_EQ(got, want, B3V_OUT_LEN);
    v_blake3_wipe(&h);
    const uint8_t *p = (const uint8_t *)&h;
    uint8_t acc = 0;
    for (size_t i = 0; i < sizeof h; i++)
        acc |= p[i];
    V_EXPECT_EQ(acc, 0);
}

V_TEST(crypto, blake3_every_split_of_small_inputs)
{
    /* Lengths around one and two chunks, split at every point. */
    fill_input();
    static const size_t lens[] = {0, 1, 64, 65, 128, 1024, 1025, 2049};
    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
        uint8_t a[40], b[40];
        v_blake3(input, lens[l], a, sizeof a);
        for (size_t cut = 0; cut <= lens[l]; cut++) {
            v_blake3_hasher h;
            v_blake3_init(&h);
            v_blake3_update(&h, input, cut);
            v_blake3_update(&h, NULL, 0);
            v_blake3_update(&h, input + cut, lens[l] - cut);
            v_blake3_finalize(&h, b, sizeof b);
            V_ASSERT(v_mem_equal(a, b, sizeof a));
        }
    }
}

V_TEST(crypto, blake3_long_output_spans_many_blocks)
{
    /* 1 KiB of output equals 16 separately-sought 64-byte blocks. */
    uint8_t big[1024], blk[64];
    v_blake3("abc", 3, big, sizeof big);
    v_blake3_hasher h;
    v_blake3_init(&h);
    v_blake3_update(&h, "abc", 3);
    for (size_t i = 0; i < 16; i++) {
        v_blake3_finalize_seek(&h, i * 64, blk, sizeof blk);
        V_ASSERT(v_mem_equal(blk, big + i * 64, 64));
    }
}

/* Every implementation this CPU offers (portable, SSE2, SSE4.1, AVX2) gives the
 * official vectors and agrees with the portable path on other lengths. */
V_TEST(crypto, blake3_every_impl_matches_portable)
{
    static const int impls[] = {V_BLAKE3_IMPL_PORTABLE, V_BLAKE3_IMPL_SSE2,
                                V_BLAKE3_IMPL_SSE41, V_BLAKE3_IMPL_AVX2,
                                V_BLAKE3_IMPL_AUTO};
    fill_input();
    int tried = 0;
    for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
        v_blake3_hasher probe;
        v_blake3_init(&probe);
        v_status st = v_blake3_use_impl(&probe, impls[k]);
        if (st == V_ERR_NOT_SUPPORTED)
            continue;
        V_ASSERT_OK(st);
        tried++;
        for (size_t i = 0; i < sizeof B3V_CASES / sizeof B3V_CASES[0]; i++) {
            const struct b3v_case *c = &B3V_CASES[i];
            for (enum mode m = HASH; m <= DERIVE; m++) {
                uint8_t want[B3V_OUT_LEN], got[B3V_OUT_LEN];
                hex_decode(want, sizeof want, want_hex(c, m));
                v_blake3_hasher h;
                init_mode(&h, m);
                V_ASSERT_OK(v_blake3_use_impl(&h, impls[k]));
                v_blake3_update(&h, input, c->input_len);
                v_blake3_finalize(&h, got, sizeof got);
                V_ASSERT(v_mem_equal(got, want, sizeof got));
            }
        }
        /* Lengths around multiples of 4 and 8 chunks, fed whole and in
         * 3000-byte pieces, against the portable path. */
        for (size_t len = 0; len <= 20 * 1024 + 1; len += 1023) {
            uint8_t a[32], b[32];
            v_blake3_hasher h, ref;
            v_blake3_init_keyed(&ref, (const uint8_t *)B3V_KEY);
            V_ASSERT_OK(v_blake3_use_impl(&ref, V_BLAKE3_IMPL_PORTABLE));
            v_blake3_update(&ref, input, len);
            v_blake3_finalize(&ref, a, sizeof a);
            v_blake3_init_keyed(&h, (const uint8_t *)B3V_KEY);
            V_ASSERT_OK(v_blake3_use_impl(&h, impls[k]));
            for (size_t off = 0; off < len; off += 3000)
                v_blake3_update(&h, input + off,
                                len - off < 3000 ? len - off : 3000);
            v_blake3_finalize(&h, b, sizeof b);
            V_ASSERT(v_mem_equal(a, b, sizeof a));
        }
    }
    V_EXPECT_GE(tried, 1);
    v_blake3_hasher h;
    v_blake3_init(&h);
    V_EXPECT_STATUS(v_blake3_use_impl(&h, 9), V_ERR_INVALID_ARGS);
    V_EXPECT_GE(v_blake3_detect_impl(), V_BLAKE3_IMPL_PORTABLE);
    V_EXPECT_STATUS(v_blake3_use_impl(&h, -1), V_ERR_INVALID_ARGS);
}

V_TEST(crypto, blake3_use_cpu_picks_the_widest_allowed)
{
    /* The choice follows the features passed in (no CPUID of its own),
     * and the chosen path hashes like the portable one. */
    v_cpu_features none = {0}, all = v_cpu_detect();
    V_EXPECT_EQ(v_blake3_impl_for_cpu(none),
                v_blake3_impl_for_cpu(v_cpu_baseline()) ==
                        V_BLAKE3_IMPL_PORTABLE
                    ? V_BLAKE3_IMPL_PORTABLE
                    : V_BLAKE3_IMPL_SSE2);
    V_EXPECT_EQ(v_blake3_impl_for_cpu(all), v_blake3_detect_impl());
#if defined(__x86_64__) && defined(__SSE2__)
    V_EXPECT_EQ(v_blake3_impl_for_cpu(v_cpu_baseline()), V_BLAKE3_IMPL_SSE2);
    V_EXPECT_EQ(v_blake3_impl_for_cpu((v_cpu_features){V_CPU_SSE2 |
                                                       V_CPU_SSE41}),
                V_BLAKE3_IMPL_SSE41);
    V_EXPECT_EQ(v_blake3_impl_for_cpu((v_cpu_features){V_CPU_AVX2}),
                V_BLAKE3_IMPL_AVX2);
#endif
    static uint8_t in[40000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i % 251);
    uint8_t want[64], got[64];
    v_blake3_hasher h;
    v_blake3_init(&h);
    V_ASSERT_OK(v_blake3_use_impl(&h, V_BLAKE3_IMPL_PORTABLE));
    v_blake3_update(&h, in, sizeof in);
    v_blake3_finalize(&h, want, sizeof want);
    v_blake3_init(&h);
    v_blake3_use_cpu(&h, all);
    v_blake3_update(&h, in, sizeof in);
    v_blake3_finalize(&h, got, sizeof got);
    V_EXPECT_MEM_EQ(want, got, sizeof want);
}

V_TEST(crypto, blake3_seek_far_is_consistent)
{
    /* Offsets whose block counter needs more than 32 bits: a read that
     * starts earlier and crosses them agrees with one that starts there. */
    static const uint64_t offsets[] = {((uint64_t)1 << 38) - 10,
                                       ((uint64_t)1 << 40) + 3,
                                       UINT64_MAX - 200};
    v_blake3_hasher h;
    v_blake3_init(&h);
    v_blake3_update(&h, "far", 3);
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        uint8_t a[150], b[100];
        v_blake3_finalize_seek(&h, offsets[i], a, sizeof a);
        v_blake3_finalize_seek(&h, offsets[i] + 50, b, sizeof b);
        V_EXPECT_MEM_EQ(a + 50, b, sizeof b);
    }
    /* Different far blocks differ (the high counter bits are used). */
    uint8_t x[64], y[64];
    v_blake3_finalize_seek(&h, (uint64_t)1 << 38, x, sizeof x);
    v_blake3_finalize_seek(&h, 0, y, sizeof y);
    V_EXPECT(!v_mem_equal(x, y, sizeof x));
}
