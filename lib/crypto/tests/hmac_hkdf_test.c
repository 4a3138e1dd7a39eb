/* HMAC against all seven RFC 4231 cases (SHA-256 and SHA-512), HKDF-SHA-256
 * against RFC 5869 cases 1-3 (cases 4-7 are SHA-1, which libv does not
 * provide). HKDF-SHA-512 has no RFC vectors; its expected values come from
 * Python's hmac module run on the same inputs as RFC 5869 cases 1-3. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "hex.h"

struct hmac_case {
    const char *key, *data;  /* hex */
    const char *mac256, *mac512;
};

static const struct hmac_case HMAC_CASES[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {"4a656665",
     "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
     "dddddddddddddddddddddddddddddddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {"0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    /* Case 5: the RFC gives the output truncated to 128 bits. */
    {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
     "546573742057697468205472756e636174696f6e",
     "a3b6167473100ee06e0c796c2955552b", "415fad6271580a531d4179bc891d87a6"},
};

/* Cases 6 and 7: a 131-byte key of 0xaa (longer than either block). */
static const char CASE6_DATA[] =
    "Test Using Larger Than Block-Size Key - Hash Key First";
static const char CASE7_DATA[] =
    "This is a test using a larger than block-size key and a larger than "
    "block-size data. The key needs to be hashed before being used by the "
    "HMAC algorithm.";

static void check_hmac(v_test_ctx *v_t, const uint8_t *key, size_t klen,
                       const uint8_t *data, size_t dlen, const char *w256,
                       const char *w512)
{
    uint8_t want[64], got[64];
    size_t n = hex_decode(want, sizeof want, w256);
    v_hmac_sha256(key, klen, data, dlen, got);
    V_EXPECT_MEM_EQ(got, want, n);
    n = hex_decode(want, sizeof want, w512);
    v_hmac_sha512(key, klen, data, dlen, got);
    V_EXPECT_MEM_EQ(got, want, n);
}

V_TEST(crypto, hmac_rfc4231)
{
    for (size_t i = 0; i < sizeof HMAC_CASES / sizeof HMAC_CASES[0]; i++) {
        uint8_t key[64], data[64];
        size_t kn = hex_decode(key, sizeof key, HMAC_CASES[i].key);
        size_t dn = hex_decode(data, sizeof data, HMAC_CASES[i].data);
        V_ASSERT(kn != (size_t)-1 && dn != (size_t)-1);
        check_hmac(v_t, key, kn, data, dn, HMAC_CASES[i].mac256,
                   HMAC_CASES[i].mac512);
    }
    uint8_t key[131];
    v_mem_set(key, 0xaa, sizeof key);
    check_hmac(v_t, key, sizeof key, (const uint8_t *)CASE6_DATA,
               sizeof CASE6_DATA - 1,
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
               "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
               "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
    check_hmac(v_t, key, sizeof key, (const uint8_t *)CASE7_DATA,
               sizeof CASE7_DATA - 1,
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
               "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
               "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58");
}

V_TEST(crypto, hmac_incremental_matches_one_shot)
{
    uint8_t key[200], msg[257], a[64], b[64];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i ^ 0x5a);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7);
    for (size_t klen = 0; klen <= sizeof key; klen += 25) {
        v_hmac_sha256(key, klen, msg, sizeof msg, a);
        v_hmac_sha256_ctx h;
        v_hmac_sha256_init(&h, key, klen);
        v_hmac_sha256_update(&h, msg, 100);
        v_hmac_sha256_update(&h, msg + 100, sizeof msg - 100);
        v_hmac_sha256_final(&h, b);
        V_EXPECT_MEM_EQ(a, b, 32);
        v_hmac_sha512(key, klen, msg, sizeof msg, a);
        v_hmac_sha512_ctx g;
        v_hmac_sha512_init(&g, key, klen);
        v_hmac_sha512_update(&g, msg, 200);
        v_hmac_sha512_update(&g, msg + 200, sizeof msg - 200);
        v_hmac_sha512_final(&g, b);
        V_EXPECT_MEM_EQ(a, b, 64);
    }
}

struct hkdf_case {
    const char *ikm, *salt, *info;
    size_t len;
    const char *prk256, *okm256, *prk512, *okm512;
};

static const struct hkdf_case HKDF_CASES[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
     "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
     "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
     "34007208d5b887185865",
     "665799823737ded04a88e47e54a5890bb2c3d247c7a4254a8e61350723590a26"
     "c36238127d8661b88cf80ef802d57e2f7cebcf1e00e083848be19929c61b4237",
     "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c14815793"
     "38da362cb8d9f925d7cb"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
     "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
     "404142434445464748494a4b4c4d4e4f",
     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
     "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
     "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
     "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     82,
     "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
     "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
     "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
     "cc30c58179ec3e87c14c01d5c1f3434f1d87",
     "35672542907d4e142c00e84499e74e1de08be86535f924e022804ad775dde27e"
     "c86cd1e5b7d178c74489bdbeb30712beb82d4f97416c5a94ea81ebdf3e629e4a",
     "ce6c97192805b346e6161e821ed165673b84f400a2b514b2fe23d84cd189ddf1"
     "b695b48cbd1c8388441137b3ce28f16aa64ba33ba466b24df6cfcb021ecff235"
     "f6a2056ce3af1de44d572097a8505d9e7a93"},
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
     "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
     "9d201395faa4b61a96c8",
     "fd200c4987ac491313bd4a2a13287121247239e11c9ef82802044b66ef357e5b"
     "194498d0682611382348572a7b1611de54764094286320578a863f36562b0df6",
     "f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf90f"
     "ff22d04836d0e2343bac"},
};

V_TEST(crypto, hkdf_rfc5869)
{
    for (size_t i = 0; i < sizeof HKDF_CASES / sizeof HKDF_CASES[0]; i++) {
        const struct hkdf_case *c = &HKDF_CASES[i];
        uint8_t ikm[80], salt[80], info[80], want[128], prk[64], okm[128];
        size_t in = hex_decode(ikm, sizeof ikm, c->ikm);
        size_t sn = hex_decode(salt, sizeof salt, c->salt);
        size_t fn = hex_decode(info, sizeof info, c->info);
        V_ASSERT(in != (size_t)-1 && sn != (size_t)-1 && fn != (size_t)-1);

        v_hkdf_sha256_extract(salt, sn, ikm, in, prk);
        hex_decode(want, sizeof want, c->prk256);
        V_EXPECT_MEM_EQ(prk, want, 32);
        V_EXPECT_OK(v_hkdf_sha256_expand(prk, 32, info, fn, okm, c->len));
        V_EXPECT_EQ(hex_decode(want, sizeof want, c->okm256), c->len);
        V_EXPECT_MEM_EQ(okm, want, c->len);
        v_mem_set(okm, 0, sizeof okm);
        V_EXPECT_OK(v_hkdf_sha256(salt, sn, ikm, in, info, fn, okm, c->len));
        V_EXPECT_MEM_EQ(okm, want, c->len);

        v_hkdf_sha512_extract(salt, sn, ikm, in, prk);
        hex_decode(want, sizeof want, c->prk512);
        V_EXPECT_MEM_EQ(prk, want, 64);
        V_EXPECT_OK(v_hkdf_sha512_expand(prk, 64, info, fn, okm, c->len));
        V_EXPECT_EQ(hex_decode(want, sizeof want, c->okm512), c->len);
        V_EXPECT_MEM_EQ(okm, want, c->len);
        v_mem_set(okm, 0, sizeof okm);
        V_EXPECT_OK(v_hkdf_sha512(salt, sn, ikm, in, info, fn, okm, c->len));
        V_EXPECT_MEM_EQ(okm, want, c->len);
    }
}

V_TEST(crypto, hkdf_bounds)
{
    static uint8_t out[255 * 64 + 1];
    uint8_t prk[64] = {1};
    /* The largest allowed output works; one byte more is refused and
     * leaves the output untouched. */
    V_EXPECT_OK(v_hkdf_sha256_expand(prk, 32, NULL, 0, out, 255 * 32));
    v_mem_set(out, 0x77, sizeof out);
    V_EXPECT_STATUS(v_hkdf_sha256_expand(prk, 32, NULL, 0, out, 255 * 32 + 1),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_hkdf_sha256(NULL, 0, "k", 1, NULL, 0, out,
                                  255 * 32 + 1),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_hkdf_sha256_expand(prk, 31, NULL, 0, out, 1),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(out[0], 0x77);
    V_EXPECT_OK(v_hkdf_sha512_expand(prk, 64, NULL, 0, out, 255 * 64));
    V_EXPECT_STATUS(v_hkdf_sha512_expand(prk, 64, NULL, 0, out, 255 * 64 + 1),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_hkdf_sha512_expand(prk, 63, NULL, 0, out, 1),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_hkdf_sha512(NULL, 0, "k", 1, NULL, 0, out,
                                  255 * 64 + 1),
                    V_ERR_INVALID_ARGS);
    /* Zero-length output is allowed and writes nothing. */
    V_EXPECT_OK(v_hkdf_sha256_expand(prk, 32, NULL, 0, out, 0));
}
