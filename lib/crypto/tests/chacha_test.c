/* ChaCha20, Poly1305 and ChaCha20-Poly1305 against RFC 8439 (§2.3.2,
 * §2.4.2, §2.5.2, §2.6.2, §2.8.2 and appendix A.1-A.5); HChaCha20,
 * XChaCha20 and XChaCha20-Poly1305 against draft-irtf-cfrg-xchacha-03
 * (§2.2.1, A.3.1, A.3.2). Plus bounds, aliasing, incremental Poly1305 and
 * the forged-message behaviour of open. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "hex.h"

static const char SUNSCREEN[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only "
    "one tip for the future, sunscreen would be it.";
static const char IETF[] =
    "Any submission to the IETF intended by the Contributor for publication "
    "as all or part of an IETF Internet-Draft or RFC and any statement made "
    "within the context of an IETF activity is considered an \"IETF "
    "Contribution\". Such statements include oral statements in IETF "
    "sessions, as well as written and electronic communications made at any "
    "time or place, which are addressed to";
static const char JABBER[] =
    "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\n"
    "All mimsy were the borogoves,\nAnd the mome raths outgrabe.";
static const char DRAFTS[] =
    "Internet-Drafts are draft documents valid for a maximum of six months "
    "and may be updated, replaced, or obsoleted by other documents at any "
    "time. It is inappropriate to use Internet-Drafts as reference material "
    "or to cite them other than as /\xe2\x80\x9cwork in progress./\xe2\x80\x9d";
static const char DHOLE[] =
    "The dhole (pronounced \"dole\") is also known as the Asiatic wild dog, "
    "red dog, and whistling dog. It is about the size of a German shepherd "
    "but looks more like a long-legged fox. This highly elusive and skilled "
    "jumper is classified with wolves, coyotes, jackals, and foxes in the "
    "taxonomic family Canidae.";

#define H(buf, hex) hex_decode((buf), sizeof(buf), (hex))

struct ks_case {
    const char *key, *nonce;
    uint32_t counter;
    const char *stream;
};

V_TEST(crypto, chacha20_rfc8439_block_function)
{
    static const struct ks_case cases[] = {
        /* §2.3.2 */
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         "000000090000004a00000000", 1,
         "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
         "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"},
        /* A.1 #1-#5 */
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", 0,
         "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
         "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"},
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", 1,
         "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
         "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"},
        {"0000000000000000000000000000000000000000000000000000000000000001",
         "000000000000000000000000", 1,
         "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
         "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0"},
        {"00ff000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000000", 2,
         "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
         "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096"},
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "000000000000000000000002", 0,
         "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
         "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d"},
        /* §2.6.2 (Poly1305 key generation: first 32 bytes, counter 0) */
        {"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
         "000000000001020304050607", 0,
         "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t key[32], nonce[12], want[64], got[64];
        H(key, cases[i].key);
        H(nonce, cases[i].nonce);
        size_t n = H(want, cases[i].stream);
        V_ASSERT_OK(v_chacha20_keystream(got, n, key, nonce,
                                         cases[i].counter));
        V_EXPECT_MEM_EQ(got, want, n);
    }
}

struct enc_case {
    const char *key, *nonce;
    uint32_t counter;
    const char *pt;
    size_t pt_len;
    const char *ct;
};

V_TEST(crypto, chacha20_rfc8439_encryption)
{
    static const struct enc_case cases[] = {
        /* §2.4.2 */
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
         "000000000000004a00000000", 1, SUNSCREEN, sizeof SUNSCREEN - 1,
         "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
         "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
         "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
         "5af90bbf74a35be6b40b8eedf2785e42874d"},
        /* A.2 #2 */
        {"0000000000000000000000000000000000000000000000000000000000000001",
         "000000000000000000000002", 1, IETF, sizeof IETF - 1,
         "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
         "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
         "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
         "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
         "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
         "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
         "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
         "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
         "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
         "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
         "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
         "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221"},
        /* A.2 #3 */
        {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
         "000000000000000000000002", 42, JABBER, sizeof JABBER - 1,
         "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
         "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
         "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
         "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t key[32], nonce[12], want[512], got[512];
        H(key, cases[i].key);
        H(nonce, cases[i].nonce);
        V_ASSERT_EQ(H(want, cases[i].ct), cases[i].pt_len);
        V_ASSERT_OK(v_chacha20_xor(got, (const uint8_t *)cases[i].pt,
                                   cases[i].pt_len, key, nonce,
                                   cases[i].counter));
        V_EXPECT_MEM_EQ(got, want, cases[i].pt_len);
        /* In place, back again. */
        V_ASSERT_OK(v_chacha20_xor(got, got, cases[i].pt_len, key, nonce,
                                   cases[i].counter));
        V_EXPECT_MEM_EQ(got, cases[i].pt, cases[i].pt_len);
    }
}

V_TEST(crypto, chacha20_counter_limit)
{
    uint8_t key[32] = {0}, nonce[12] = {0}, buf[130] = {0}, ref[130];
    /* The last block (counter 2^32 - 1) is usable; past it is refused. */
    V_EXPECT_OK(v_chacha20_xor(buf, buf, 64, key, nonce, 0xffffffff));
    v_mem_set(buf, 0x5a, sizeof buf);
    v_mem_copy(ref, buf, sizeof buf);
    V_EXPECT_STATUS(v_chacha20_xor(buf, buf, 65, key, nonce, 0xffffffff),
                    V_ERR_LIMIT);
    V_EXPECT_STATUS(v_chacha20_keystream(buf, 130, key, nonce, 0xfffffffe),
                    V_ERR_LIMIT);
    V_EXPECT_MEM_EQ(buf, ref, sizeof buf);
    V_EXPECT_OK(v_chacha20_keystream(buf, 128, key, nonce, 0xfffffffe));
    V_EXPECT_OK(v_chacha20_xor(buf, NULL, 0, key, nonce, 0));
    V_EXPECT_STATUS(v_chacha20_xor(buf, NULL, 1, key, nonce, 0),
                    V_ERR_INVALID_ARGS);
}

struct poly_case {
    const char *key, *tag;
    const char *msg_hex;          /* or */
    const char *msg_text;
};

V_TEST(crypto, poly1305_rfc8439)
{
    static const struct poly_case cases[] = {
        /* §2.5.2 */
        {"85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
         "a8061dc1305136c6c22b8baf0c0127a9", NULL,
         "Cryptographic Forum Research Group"},
        /* A.3 #1-#11 */
        {"0000000000000000000000000000000000000000000000000000000000000000",
         "00000000000000000000000000000000",
         "0000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000",
         NULL},
        {"0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
         "36e5f6b5c5e06070f0efca96227a863e", NULL, IETF},
        {"36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
         "f3477e7cd95417af89a6b8794c310cf0", NULL, IETF},
        {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
         "4541669a7eaaee61e708dc7cbcc5eb62", NULL, JABBER},
        {"0200000000000000000000000000000000000000000000000000000000000000",
         "03000000000000000000000000000000",
         "ffffffffffffffffffffffffffffffff", NULL},
        {"02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
         "03000000000000000000000000000000",
         "02000000000000000000000000000000", NULL},
        {"0100000000000000000000000000000000000000000000000000000000000000",
         "05000000000000000000000000000000",
         "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
         "11000000000000000000000000000000", NULL},
        {"0100000000000000000000000000000000000000000000000000000000000000",
         "00000000000000000000000000000000",
         "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe"
         "01010101010101010101010101010101", NULL},
        {"0200000000000000000000000000000000000000000000000000000000000000",
         "faffffffffffffffffffffffffffffff",
         "fdffffffffffffffffffffffffffffff", NULL},
        {"0100000000000000040000000000000000000000000000000000000000000000",
         "14000000000000005500000000000000",
         "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
         "0000000000000000000000000000000001000000000000000000000000000000",
         NULL},
        {"0100000000000000040000000000000000000000000000000000000000000000",
         "13000000000000000000000000000000",
         "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
         "00000000000000000000000000000000", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t key[32], want[16], got[16], hexmsg[128];
        const uint8_t *msg;
        size_t n;
        H(key, cases[i].key);
        H(want, cases[i].tag);
        if (cases[i].msg_hex) {
            n = H(hexmsg, cases[i].msg_hex);
            msg = hexmsg;
        } else {
            msg = (const uint8_t *)cases[i].msg_text;
            n = v_cstr_len(cases[i].msg_text);
        }
        v_poly1305(got, msg, n, key);
        if (!V_EXPECT_MEM_EQ(got, want, 16))
            v_test_note(v_t, cases[i].tag);
        V_EXPECT(v_poly1305_verify(got, want));
        /* Byte-at-a-time and odd pieces give the same tag. */
        v_poly1305_ctx p;
        v_poly1305_init(&p, key);
        for (size_t j = 0; j < n; j++)
            v_poly1305_update(&p, msg + j, 1);
        v_poly1305_final(&p, got);
        V_EXPECT_MEM_EQ(got, want, 16);
        v_poly1305_init(&p, key);
        size_t off = 0, step = 3;
        while (off < n) {
            size_t take = n - off < step ? n - off : step;
            v_poly1305_update(&p, msg + off, take);
            off += take;
            step = step * 5 % 37 + 1;
        }
        v_poly1305_final(&p, got);
        V_EXPECT_MEM_EQ(got, want, 16);
    }
    uint8_t a[16] = {0}, b[16] = {0};
    b[15] = 0x80;
    V_EXPECT(!v_poly1305_verify(a, b));
}

struct aead_case {
    const char *key, *nonce, *ad;
    const char *pt;
    size_t pt_len;
    const char *ct, *tag;
};

static const struct aead_case AEAD_CASES[] = {
    /* §2.8.2 */
    {"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7", SUNSCREEN,
     sizeof SUNSCREEN - 1,
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
    /* A.5 */
    {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "000000000102030405060708", "f33388860000000000004e91", DRAFTS,
     sizeof DRAFTS - 1,
     "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
     "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
     "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
     "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
     "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
     "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
     "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
     "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
     "a6ad5cb4022b02709b",
     "eead9d67890cbb22392336fea1851f38"},
};

V_TEST(crypto, aead_chacha20poly1305_rfc8439)
{
    for (size_t i = 0; i < sizeof AEAD_CASES / sizeof AEAD_CASES[0]; i++) {
        const struct aead_case *c = &AEAD_CASES[i];
        uint8_t key[32], nonce[12], ad[32], want[300], tag_want[16];
        uint8_t ct[300], tag[16], pt[300];
        H(key, c->key);
        H(nonce, c->nonce);
        size_t adn = H(ad, c->ad);
        V_ASSERT_EQ(H(want, c->ct), c->pt_len);
        H(tag_want, c->tag);
        V_ASSERT_OK(v_aead_chacha20poly1305_seal(
            ct, tag, (const uint8_t *)c->pt, c->pt_len, ad, adn, nonce, key));
        V_EXPECT_MEM_EQ(ct, want, c->pt_len);
        V_EXPECT_MEM_EQ(tag, tag_want, 16);
        V_ASSERT_OK(v_aead_chacha20poly1305_open(pt, ct, c->pt_len, tag, ad,
                                                 adn, nonce, key));
        V_EXPECT_MEM_EQ(pt, c->pt, c->pt_len);
        /* A wrong tag: refused, and the output is all zeros. */
        tag[0] ^= 0x10;
        v_mem_set(pt, 0xee, sizeof pt);
        V_EXPECT_STATUS(v_aead_chacha20poly1305_open(pt, ct, c->pt_len, tag,
                                                     ad, adn, nonce, key),
                        V_ERR_MALFORMED);
        for (size_t j = 0; j < c->pt_len; j++)
            V_ASSERT_EQ(pt[j], 0);
        V_EXPECT_EQ(pt[c->pt_len], 0xee); /* nothing beyond n touched */
    }
}

V_TEST(crypto, aead_tamper_any_bit_is_rejected)
{
    uint8_t key[32], nonce[12], xnonce[24], ad[20], pt[70], ct[70], tag[16];
    uint8_t out[70];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 3 + 1);
    for (size_t i = 0; i < sizeof xnonce; i++)
        xnonce[i] = (uint8_t)(i + 9);
    v_mem_copy(nonce, xnonce, 12);
    for (size_t i = 0; i < sizeof ad; i++)
        ad[i] = (uint8_t)(0xa0 + i);
    for (size_t i = 0; i < sizeof pt; i++)
        pt[i] = (uint8_t)i;
    V_ASSERT_OK(v_aead_chacha20poly1305_seal(ct, tag, pt, sizeof pt, ad,
                                             sizeof ad, nonce, key));
    /* Every single-bit flip of nonce, AD, ciphertext or tag fails. */
    uint8_t *parts[] = {nonce, ad, ct, tag};
    size_t sizes[] = {sizeof nonce, sizeof ad, sizeof ct, sizeof tag};
    for (size_t p = 0; p < 4; p++) {
        for (size_t bit = 0; bit < sizes[p] * 8; bit++) {
            parts[p][bit / 8] ^= (uint8_t)(1u << (bit % 8));
            V_ASSERT_STATUS(v_aead_chacha20poly1305_open(
                                out, ct, sizeof ct, tag, ad, sizeof ad,
                                nonce, key),
                            V_ERR_MALFORMED);
            parts[p][bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
    /* Truncated lengths fail too. */
    V_EXPECT_STATUS(v_aead_chacha20poly1305_open(out, ct, sizeof ct - 1, tag,
                                                 ad, sizeof ad, nonce, key),
                    V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_aead_chacha20poly1305_open(out, ct, sizeof ct, tag, ad,
                                                 sizeof ad - 1, nonce, key),
                    V_ERR_MALFORMED);
    V_EXPECT_OK(v_aead_chacha20poly1305_open(out, ct, sizeof ct, tag, ad,
                                             sizeof ad, nonce, key));
    V_EXPECT_MEM_EQ(out, pt, sizeof pt);

    /* The same for XChaCha20-Poly1305 (the nonce is 24 bytes here). */
    V_ASSERT_OK(v_aead_xchacha20poly1305_seal(ct, tag, pt, sizeof pt, ad,
                                              sizeof ad, xnonce, key));
    uint8_t *xparts[] = {xnonce, ad, ct, tag};
    size_t xsizes[] = {sizeof xnonce, sizeof ad, sizeof ct, sizeof tag};
    for (size_t p = 0; p < 4; p++) {
        for (size_t bit = 0; bit < xsizes[p] * 8; bit++) {
            xparts[p][bit / 8] ^= (uint8_t)(1u << (bit % 8));
            V_ASSERT_STATUS(v_aead_xchacha20poly1305_open(
                                out, ct, sizeof ct, tag, ad, sizeof ad,
                                xnonce, key),
                            V_ERR_MALFORMED);
            xparts[p][bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
    V_EXPECT_OK(v_aead_xchacha20poly1305_open(out, ct, sizeof ct, tag, ad,
                                              sizeof ad, xnonce, key));
    V_EXPECT_MEM_EQ(out, pt, sizeof pt);
}

V_TEST(crypto, aead_empty_message_and_in_place)
{
    uint8_t key[32] = {7}, nonce[12] = {1}, tag[16], buf[33];
    V_EXPECT_OK(v_aead_chacha20poly1305_seal(NULL, tag, NULL, 0, NULL, 0,
                                             nonce, key));
    V_EXPECT_OK(v_aead_chacha20poly1305_open(NULL, NULL, 0, tag, NULL, 0,
                                             nonce, key));
    tag[3] ^= 1;
    V_EXPECT_STATUS(v_aead_chacha20poly1305_open(NULL, NULL, 0, tag, NULL, 0,
                                                 nonce, key),
                    V_ERR_MALFORMED);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
    V_ASSERT_OK(v_aead_chacha20poly1305_seal(buf, tag, buf, sizeof buf,
                                             (const uint8_t *)"ad", 2, nonce,
                                             key));
    V_ASSERT_OK(v_aead_chacha20poly1305_open(buf, buf, sizeof buf, tag,
                                             (const uint8_t *)"ad", 2, nonce,
                                             key));
    for (size_t i = 0; i < sizeof buf; i++)
        V_ASSERT_EQ(buf[i], i);
}

V_TEST(crypto, xchacha_draft_vectors)
{
    uint8_t key[32], nonce[24], sub[32], want[320], got[320], tag[16];
    /* §2.2.1 HChaCha20 */
    H(key, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    H(nonce, "000000090000004a0000000031415927");
    H(want, "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
    v_hchacha20(sub, key, nonce);
    V_EXPECT_MEM_EQ(sub, want, 32);

    /* A.3.1 XChaCha20-Poly1305 */
    H(key, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    H(nonce, "404142434445464748494a4b4c4d4e4f5051525354555657");
    uint8_t ad[12];
    H(ad, "50515253c0c1c2c3c4c5c6c7");
    size_t n = H(want,
                 "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                 "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                 "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                 "21f9664c97637da9768812f615c68b13b52e");
    V_ASSERT_EQ(n, sizeof SUNSCREEN - 1);
    V_ASSERT_OK(v_aead_xchacha20poly1305_seal(got, tag,
                                              (const uint8_t *)SUNSCREEN, n,
                                              ad, sizeof ad, nonce, key));
    V_EXPECT_MEM_EQ(got, want, n);
    H(want, "c0875924c1c7987947deafd8780acf49");
    V_EXPECT_MEM_EQ(tag, want, 16);
    V_ASSERT_OK(v_aead_xchacha20poly1305_open(got, got, n, tag, ad, sizeof ad,
                                              nonce, key));
    V_EXPECT_MEM_EQ(got, SUNSCREEN, n);

    /* A.3.2 XChaCha20 (the A.3.2.2 ciphertext, block counter 1) */
    H(nonce, "404142434445464748494a4b4c4d4e4f5051525354555658");
    n = H(want,
          "7d0a2e6b7f7c65a236542630294e063b7ab9b555a5d5149aa21e4ae1e4fbce87"
          "ecc8e08a8b5e350abe622b2ffa617b202cfad72032a3037e76ffdcdc4376ee05"
          "3a190d7e46ca1de04144850381b9cb29f051915386b8a710b8ac4d027b8b050f"
          "7cba5854e028d564e453b8a968824173fc16488b8970cac828f11ae53cabd201"
          "12f87107df24ee6183d2274fe4c8b1485534ef2c5fbc1ec24bfc3663efaa08bc"
          "047d29d25043532db8391a8a3d776bf4372a6955827ccb0cdd4af403a7ce4c63"
          "d595c75a43e045f0cce1f29c8b93bd65afc5974922f214a40b7c402cdb91ae73"
          "c0b63615cdad0480680f16515a7ace9d39236464328a37743ffc28f4ddb324f4"
          "d0f5bbdc270c65b1749a6efff1fbaa09536175ccd29fb9e6057b307320d31683"
          "8a9c71f70b5b5907a66f7ea49aadc409");
    V_ASSERT_EQ(n, sizeof DHOLE - 1);
    V_ASSERT_OK(v_xchacha20_xor(got, (const uint8_t *)DHOLE, n, key, nonce,
                                1));
    V_EXPECT_MEM_EQ(got, want, n);
    V_EXPECT_STATUS(v_xchacha20_xor(got, NULL, 1, key, nonce, 0),
                    V_ERR_INVALID_ARGS);
}

V_TEST(crypto, chacha20_wide_paths_match_portable)
{
    /* Every vector path this CPU offers (AVX2 8 blocks, SSE4.1 and SSE2
     * 4 blocks, then the scalar tail) must equal the portable path run
     * block by block (cpu = no features), also up against the counter
     * limit (the last 16, 8 and 4 blocks before 2^32) and in place. */
    static const uint32_t starts[] = {0, 1, 7, 0xfffffff0, 0xfffffff8,
                                      0xfffffffc};
    static const uint32_t masks[] = {0, V_CPU_SSE2, V_CPU_SSE2 | V_CPU_SSE41,
                                     V_CPU_SSE2 | V_CPU_AVX2,
                                     V_CPU_AVX2, UINT32_MAX};
    static const size_t lens[] = {1021, 1024, 768, 513, 512, 300, 256, 255};
    v_cpu_features all = v_cpu_detect(), none = {0};
    uint8_t key[32], nonce[12], whole[1024], piece[1024], in[1024];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 13 + 5);
    for (size_t i = 0; i < sizeof nonce; i++)
        nonce[i] = (uint8_t)(i + 100);
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 7);
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        v_cpu_features cpu = {all.bits & masks[m]};
        for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
            for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
                uint64_t room = ((uint64_t)1 << 32) - starts[k];
                size_t len = room * 64 < lens[l] ? (size_t)room * 64
                                                 : lens[l];
                V_ASSERT_OK(v_chacha20_xor_cpu(cpu, whole, in, len, key,
                                               nonce, starts[k]));
                for (size_t off = 0; off < len; off += 64) {
                    size_t n = len - off < 64 ? len - off : 64;
                    V_ASSERT_OK(v_chacha20_xor_cpu(
                        none, piece + off, in + off, n, key, nonce,
                        starts[k] + (uint32_t)(off / 64)));
                }
                V_ASSERT(v_mem_equal(whole, piece, len));
                V_ASSERT_OK(v_chacha20_keystream_cpu(cpu, whole, len, key,
                                                     nonce, starts[k]));
                for (size_t i = 0; i < len; i++)
                    V_ASSERT_EQ(whole[i], piece[i] ^ in[i]);
                v_mem_copy(whole, in, len);
                V_ASSERT_OK(v_chacha20_xor_cpu(cpu, whole, whole, len, key,
                                               nonce, starts[k]));
                V_ASSERT(v_mem_equal(whole, piece, len));
            }
            /* One block past the limit is refused whatever the path. */
            uint64_t room = ((uint64_t)1 << 32) - starts[k];
            if (room * 64 < sizeof whole)
                V_EXPECT_STATUS(v_chacha20_xor_cpu(cpu, whole, in,
                                                   (size_t)room * 64 + 1, key,
                                                   nonce, starts[k]),
                                V_ERR_LIMIT);
        }
    }
}

V_TEST(crypto, aead_cpu_forms_match_baseline)
{
    /* The _cpu forms of both AEADs, with every feature subset, give the
     * bytes of the plain forms and open each other's output. */
    static const uint32_t masks[] = {0, V_CPU_SSE2, V_CPU_SSE2 | V_CPU_SSE41,
                                     UINT32_MAX};
    v_cpu_features all = v_cpu_detect();
    uint8_t key[32], nonce[24], ad[13], pt[1500], ct[1500], ct2[1500],
        back[1500], tag[16], tag2[16];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 3 + 1);
    for (size_t i = 0; i < sizeof nonce; i++)
        nonce[i] = (uint8_t)(i * 5);
    for (size_t i = 0; i < sizeof ad; i++)
        ad[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof pt; i++)
        pt[i] = (uint8_t)(i * 11 + 3);
    V_ASSERT_OK(v_aead_chacha20poly1305_seal(ct, tag, pt, sizeof pt, ad,
                                             sizeof ad, nonce, key));
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        v_cpu_features cpu = {all.bits & masks[m]};
        V_ASSERT_OK(v_aead_chacha20poly1305_seal_cpu(
            cpu, ct2, tag2, pt, sizeof pt, ad, sizeof ad, nonce, key));
        V_EXPECT_MEM_EQ(ct, ct2, sizeof ct);
        V_EXPECT_MEM_EQ(tag, tag2, sizeof tag);
        V_ASSERT_OK(v_aead_chacha20poly1305_open_cpu(
            cpu, back, ct, sizeof ct, tag, ad, sizeof ad, nonce, key));
        V_EXPECT_MEM_EQ(back, pt, sizeof pt);
        tag2[0] ^= 1;
        V_EXPECT_STATUS(v_aead_chacha20poly1305_open_cpu(
                            cpu, back, ct, sizeof ct, tag2, ad, sizeof ad,
                            nonce, key),
                        V_ERR_MALFORMED);
        V_EXPECT_OK(v_aead_xchacha20poly1305_seal_cpu(
            cpu, ct2, tag2, pt, sizeof pt, ad, sizeof ad, nonce, key));
        V_ASSERT_OK(v_aead_xchacha20poly1305_open(back, ct2, sizeof ct2, tag2,
                                                  ad, sizeof ad, nonce, key));
        V_EXPECT_MEM_EQ(back, pt, sizeof pt);
        V_ASSERT_OK(v_aead_xchacha20poly1305_open_cpu(
            cpu, back, ct2, sizeof ct2, tag2, ad, sizeof ad, nonce, key));
        V_EXPECT_MEM_EQ(back, pt, sizeof pt);
        V_ASSERT_OK(v_xchacha20_xor_cpu(cpu, back, pt, sizeof pt, key, nonce,
                                        1));
        V_EXPECT_MEM_EQ(back, ct2, sizeof pt);
    }
}

V_TEST(crypto, poly1305_avx2_path_matches_scalar)
{
    /* Long updates take the AVX2 path when the CPU has it; tags must equal
     * the scalar path's for every length around the 256-byte threshold
     * and the 64-byte groups, whole or fed in odd pieces, with keys whose
     * r has every clamped bit set (the largest limbs). */
    static uint8_t msg[2100];
    uint8_t key[32], t1[16], t2[16];
    v_cpu_features cpu = v_cpu_detect();
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 29 + (i >> 8));
    static const size_t lens[] = {0,   16,  127, 128, 255, 256,  257,  300,
                                  319, 320, 321, 383, 384, 1023, 1024, 2100};
    for (int kk = 0; kk < 3; kk++) {
        for (size_t i = 0; i < sizeof key; i++)
            key[i] = kk == 0 ? (uint8_t)(i * 7 + 1)
                   : kk == 1 ? 0xff
                             : (uint8_t)(255 - i);
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            size_t n = lens[l];
            v_poly1305(t1, msg, n, key);
            v_poly1305_cpu(cpu, t2, msg, n, key);
            V_ASSERT(v_mem_equal(t1, t2, 16));
            /* All-ones message: the largest message limbs. */
            v_poly1305_ctx p;
            v_poly1305_init_cpu(&p, key, cpu);
            size_t off = 0, step = 3;
            while (off < n) {
                size_t take = n - off < step ? n - off : step;
                v_poly1305_update(&p, msg + off, take);
                off += take;
                step = step * 5 + 1; /* 3, 16, 81, 406, ... */
            }
            v_poly1305_final(&p, t2);
            V_ASSERT(v_mem_equal(t1, t2, 16));
        }
    }
    uint8_t ones[1000];
    v_mem_set(ones, 0xff, sizeof ones);
    v_mem_set(key, 0xff, sizeof key);
    v_poly1305(t1, ones, sizeof ones, key);
    v_poly1305_cpu(cpu, t2, ones, sizeof ones, key);
    V_EXPECT_MEM_EQ(t1, t2, 16);
}
