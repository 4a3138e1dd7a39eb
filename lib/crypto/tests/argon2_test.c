/* Argon2id against RFC 9106 §5.3, BLAKE2b (its building block) against
 * RFC 7693 Appendix A, plus parameter bounds and allocation failure.
 * A small malloc-backed allocator stands in for the caller's v_alloc so
 * the test can count bytes, check they come back, and inject failure. */
#include <stdlib.h>

#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "../blake2b.h"
#include "hex.h"

typedef struct test_alloc {
    v_alloc base;
    size_t live, peak, limit;
    int calls;
} test_alloc;

static v_status ta_alloc(v_alloc *self, size_t size, size_t align,
                         void **out)
{
    test_alloc *t = (test_alloc *)self;
    t->calls++;
    if (t->live + size > t->limit)
        return V_ERR_NO_MEMORY;
    void *p = aligned_alloc(align < 16 ? 16 : align,
                            (size + 63) & ~(size_t)63);
    if (p == NULL)
        return V_ERR_NO_MEMORY;
    t->live += size;
    if (t->live > t->peak)
        t->peak = t->live;
    *out = p;
    return V_OK;
}

static v_status ta_resize(v_alloc *self, void *ptr, size_t old_size,
                          size_t new_size, size_t align, void **out)
{
    return V_ERR_NOT_SUPPORTED;
}

static void ta_free(v_alloc *self, void *ptr, size_t size)
{
    test_alloc *t = (test_alloc *)self;
    if (ptr == NULL)
        return;
    t->live -= size;
    free(ptr);
}

static const v_alloc_ops TA_OPS = {ta_alloc, ta_resize, ta_free};

static test_alloc make_alloc(size_t limit)
{
    test_alloc t = {{&TA_OPS}, 0, 0, limit, 0};
    return t;
}

V_TEST(crypto, blake2b_rfc7693)
{
    uint8_t want[64], got[64];
    hex_decode(want, sizeof want,
               "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
               "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    blake2b(got, 64, "abc", 3);
    V_EXPECT_MEM_EQ(got, want, 64);
    /* Incremental across the 128-byte block edge matches one-shot. */
    uint8_t msg[300], a[40], b[40];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    for (size_t len = 0; len <= sizeof msg; len += 64) {
        blake2b(a, sizeof a, msg, len);
        for (size_t cut = 0; cut <= len; cut += 7) {
            blake2b_ctx c;
            blake2b_init(&c, sizeof b);
            blake2b_update(&c, msg, cut);
            blake2b_update(&c, msg + cut, len - cut);
            blake2b_final(&c, b);
            V_ASSERT(v_mem_equal(a, b, sizeof a));
        }
    }
}

static const uint8_t PWD[32] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const uint8_t SALT[16] = {2, 2, 2, 2, 2, 2, 2, 2,
                                 2, 2, 2, 2, 2, 2, 2, 2};
static const uint8_t SECRET[8] = {3, 3, 3, 3, 3, 3, 3, 3};
static const uint8_t AD[12] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4};

V_TEST(crypto, argon2id_rfc9106)
{
    v_argon2_params p = {3, 32, 4, SECRET, sizeof SECRET, AD, sizeof AD};
    test_alloc a = make_alloc((size_t)1 << 30);
    uint8_t want[32], tag[32];
    hex_decode(want, sizeof want,
               "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    V_ASSERT_OK(v_argon2id(tag, sizeof tag, PWD, sizeof PWD, SALT,
                           sizeof SALT, &p, &a.base));
    V_EXPECT_MEM_EQ(tag, want, 32);
    V_EXPECT_EQ(a.live, 0);           /* everything given back */
    V_EXPECT_EQ(a.calls, 1);
    V_EXPECT_GE(a.peak, 32u * 1024);  /* m KiB of blocks, plus scratch */
    V_EXPECT_LE(a.peak, 40u * 1024);
}

V_TEST(crypto, argon2id_shapes)
{
    /* Outputs of several lengths (H' below, at and above 64 bytes) and
     * lane counts differ from each other and are deterministic. */
    v_argon2_params p = {1, 16, 1, NULL, 0, NULL, 0};
    test_alloc a = make_alloc((size_t)1 << 30);
    static const size_t lens[] = {4, 32, 64, 65, 100, 128, 1024};
    uint8_t x[1024], y[1024];
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        V_ASSERT_OK(v_argon2id(x, lens[i], "pw", 2, SALT, 8, &p, &a.base));
        V_ASSERT_OK(v_argon2id(y, lens[i], "pw", 2, SALT, 8, &p, &a.base));
        V_EXPECT_MEM_EQ(x, y, lens[i]);
    }
    V_ASSERT_OK(v_argon2id(x, 32, "pw", 2, SALT, 8, &p, &a.base));
    p.lanes = 2;
    V_ASSERT_OK(v_argon2id(y, 32, "pw", 2, SALT, 8, &p, &a.base));
    V_EXPECT(!v_mem_equal(x, y, 32));
    /* Memory not a multiple of 4 * lanes is rounded down (m' = 16 here)
     * but m itself still enters H0, so the tag differs. */
    p.m_cost_kib = 17;
    V_ASSERT_OK(v_argon2id(x, 32, "pw", 2, SALT, 8, &p, &a.base));
    V_EXPECT(!v_mem_equal(x, y, 32));
    /* An empty password is allowed. */
    V_EXPECT_OK(v_argon2id(x, 32, NULL, 0, SALT, 8, &p, &a.base));
    V_EXPECT_EQ(a.live, 0);
}

V_TEST(crypto, argon2id_bounds_and_out_of_memory)
{
    v_argon2_params p = {1, 8, 1, NULL, 0, NULL, 0};
    test_alloc a = make_alloc((size_t)1 << 30);
    uint8_t out[32];
    V_EXPECT_OK(v_argon2id(out, 32, "pw", 2, SALT, 8, &p, &a.base));
    V_EXPECT_STATUS(v_argon2id(out, 3, "pw", 2, SALT, 8, &p, &a.base),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 7, &p, &a.base),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_argon2id(out, 32, NULL, 2, SALT, 8, &p, &a.base),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, NULL, &a.base),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &p, NULL),
                    V_ERR_INVALID_ARGS);
    v_argon2_params bad = p;
    bad.t_cost = 0;
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.t_cost = V_ARGON2_MAX_T + 1;
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.lanes = 0;
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.lanes = 2; /* needs m >= 16 */
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.lanes = V_ARGON2_MAX_LANES + 1;
    bad.m_cost_kib = 8 * bad.lanes;
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.m_cost_kib = V_ARGON2_MAX_M_KIB + 1;
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    bad = p;
    bad.secret_len = 4; /* with a NULL secret */
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &bad, &a.base),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(a.calls, 1); /* no allocation for refused parameters */

    /* The allocator refuses: the error comes back, nothing leaks. */
    test_alloc tight = make_alloc(4096);
    v_mem_set(out, 0x55, sizeof out);
    V_EXPECT_STATUS(v_argon2id(out, 32, "pw", 2, SALT, 8, &p, &tight.base),
                    V_ERR_NO_MEMORY);
    V_EXPECT_EQ(tight.live, 0);
    V_EXPECT_EQ(out[0], 0x55);
}
