/* Bundles: round trips, and every tamper, truncation and malformed
 * manifest refused with its own reason. Malformed records are made by
 * editing a good bundle and signing it again, so the record checks (not
 * the signature) are what must catch them. */
#include <string.h>
#include <v/bundle.h>
#include <v/crypto_blake3.h>
#include <v/test.h>
#include "../format.h"

#define CAP (8 * V_BUNDLE_ALIGN)

typedef struct keys {
    uint8_t pk[V_ED25519_PUBLIC_LEN], sk[V_ED25519_SECRET_LEN];
} keys;

static keys key(uint8_t fill)
{
    keys k;
    uint8_t seed[V_ED25519_SEED_LEN];
    memset(seed, fill, sizeof seed);
    v_ed25519_keypair(k.pk, k.sk, seed);
    return k;
}

static v_bundle_input IN(const char *name, const char *data)
{
    v_bundle_input in = {name, strlen(name), data, strlen(data)};
    return in;
}

/* Three entries: one plain, one in a folder, one empty. */
static size_t build(uint8_t *buf, const keys *k)
{
    v_bundle_input in[3] = {IN("a.txt", "hello"), IN("bin/init", "\x7f" "ELF..."),
                            IN("z", "")};
    size_t len = 0;
    v_status s = v_bundle_write(in, 3, k->sk, buf, CAP, &len, NULL);
    return s == V_OK ? len : 0;
}

static void resign(uint8_t *buf, const keys *k)
{
    uint64_t m = bundle_ld(buf + BH_MANIFEST_SIZE, 8);
    v_ed25519_sign(buf + m, buf, (size_t)m, k->sk);
}

static uint8_t *record(uint8_t *buf, unsigned i)
{
    return buf + V_BUNDLE_HEADER_LEN + i * V_BUNDLE_RECORD_LEN;
}

static v_bundle_reason open_why(const uint8_t *buf, size_t len,
                                const uint8_t *pk)
{
    v_bundle b;
    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    v_status s = v_bundle_open(&b, buf, len, pk, &why);
    if (s == V_OK)
        return V_BUNDLE_REASON_NONE;
    return why == V_BUNDLE_REASON_NONE ? V_BUNDLE_REASON_COUNT : why;
}

static uint8_t buf[CAP], copy[CAP];

V_TEST(bundle, round_trip)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    /* Manifest page, one page each for the two non-empty entries; the
     * empty one sits at the very end and takes no space. */
    V_ASSERT_EQ(len, 3 * (size_t)V_BUNDLE_ALIGN);
    uint64_t size;
    v_bundle_input in[3] = {IN("a.txt", "hello"), IN("bin/init", "\x7f" "ELF..."),
                            IN("z", "")};
    V_EXPECT_OK(v_bundle_size(in, 3, &size, NULL));
    V_EXPECT_EQ(size, (uint64_t)len);

    v_bundle b;
    v_bundle_reason why = V_BUNDLE_BAD_MAGIC;
    V_ASSERT_OK(v_bundle_open(&b, buf, len, k.pk, &why));
    V_EXPECT_EQ(why, V_BUNDLE_REASON_NONE);
    V_EXPECT_EQ(b.count, 3u);
    for (uint32_t i = 0; i < 3; i++) {
        v_bundle_entry e;
        V_ASSERT_OK(v_bundle_entry_at(&b, i, &e));
        V_EXPECT_EQ(e.name_len, in[i].name_len);
        V_EXPECT_MEM_EQ(e.name, in[i].name, e.name_len);
        V_EXPECT_EQ(e.size, in[i].size);
        V_EXPECT_EQ(e.offset % V_BUNDLE_ALIGN, 0u);
        V_EXPECT_MEM_EQ(e.data, in[i].data, (size_t)e.size);
        V_EXPECT_OK(v_bundle_entry_verify(&e, NULL));
        v_bundle_entry f;
        V_ASSERT_OK(v_bundle_find(&b, in[i].name, in[i].name_len, &f, NULL));
        V_EXPECT_EQ(f.offset, e.offset);
    }
    v_bundle_entry e;
    V_EXPECT_STATUS(v_bundle_entry_at(&b, 3, &e), V_ERR_OUT_OF_RANGE);
    static const char *const absent[] = {"", "a", "a.txt2", "bin", "y", "zz"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        V_EXPECT_STATUS(v_bundle_find(&b, absent[i], strlen(absent[i]), &e,
                                      &why), V_ERR_OUT_OF_RANGE);
        V_EXPECT_EQ(why, V_BUNDLE_NOT_FOUND);
    }
}

V_TEST(bundle, empty_bundle_is_one_page)
{
    keys k = key(2);
    size_t len = 0;
    V_ASSERT_OK(v_bundle_write(NULL, 0, k.sk, buf, CAP, &len, NULL));
    V_EXPECT_EQ(len, (size_t)V_BUNDLE_ALIGN);
    v_bundle b;
    V_ASSERT_OK(v_bundle_open(&b, buf, len, k.pk, NULL));
    V_EXPECT_EQ(b.count, 0u);
    v_bundle_entry e;
    V_EXPECT_STATUS(v_bundle_find(&b, "a", 1, &e, NULL), V_ERR_OUT_OF_RANGE);
}

V_TEST(bundle, header_fields_refused_with_their_reason)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    V_ASSERT_NE(len, 0u);
    static const struct {
        unsigned byte;
        v_bundle_reason why;
    } cases[] = {
        {BH_MAGIC, V_BUNDLE_BAD_MAGIC},        {BH_MAGIC + 7, V_BUNDLE_BAD_MAGIC},
        {BH_VERSION, V_BUNDLE_BAD_VERSION},    {BH_VERSION + 3, V_BUNDLE_BAD_VERSION},
        {BH_FLAGS, V_BUNDLE_BAD_RESERVED},     {BH_RESERVED + 7, V_BUNDLE_BAD_RESERVED},
        {BH_COUNT, V_BUNDLE_BAD_LAYOUT},       {BH_COUNT + 3, V_BUNDLE_TOO_MANY_ENTRIES},
        {BH_NAMES_SIZE, V_BUNDLE_BAD_LAYOUT},  {BH_MANIFEST_SIZE, V_BUNDLE_BAD_LAYOUT},
        {BH_DATA_OFFSET, V_BUNDLE_BAD_LAYOUT}, {BH_DATA_OFFSET + 1, V_BUNDLE_BAD_LAYOUT},
        {BH_TOTAL_SIZE + 1, V_BUNDLE_TRUNCATED}, {BH_TOTAL_SIZE + 7, V_BUNDLE_TOO_LARGE},
        {BH_TOTAL_SIZE, V_BUNDLE_BAD_LAYOUT},  {BH_KEY_ID, V_BUNDLE_WRONG_KEY},
        {BH_KEY_ID + 7, V_BUNDLE_WRONG_KEY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(copy, buf, len);
        copy[cases[i].byte] ^= 0x01;
        if (cases[i].byte == BH_TOTAL_SIZE + 1) /* 12 KiB -> 28 KiB */
            copy[cases[i].byte] ^= 0x41;
        V_EXPECT_EQ(open_why(copy, len, k.pk), cases[i].why);
    }
    /* Every single-bit flip in the header is refused, whatever the reason. */
    for (unsigned bit = 0; bit < V_BUNDLE_HEADER_LEN * 8; bit++) {
        memcpy(copy, buf, len);
        copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        V_EXPECT_NE(open_why(copy, len, k.pk), V_BUNDLE_REASON_NONE);
    }
}

V_TEST(bundle, manifest_and_signature_flips_break_the_signature)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    uint64_t m = bundle_ld(buf + BH_MANIFEST_SIZE, 8);
    /* Records, names and signature: one flip per byte, rotating bits. */
    for (uint64_t i = V_BUNDLE_HEADER_LEN; i < m + V_ED25519_SIG_LEN; i++) {
        memcpy(copy, buf, len);
        copy[i] ^= (uint8_t)(1u << (i % 8));
        V_EXPECT_EQ(open_why(copy, len, k.pk), V_BUNDLE_BAD_SIGNATURE);
    }
    /* Padding after the signature is not signed but must be zero. */
    memcpy(copy, buf, len);
    copy[m + V_ED25519_SIG_LEN] = 1;
    V_EXPECT_EQ(open_why(copy, len, k.pk), V_BUNDLE_BAD_PADDING);
    memcpy(copy, buf, len);
    copy[V_BUNDLE_ALIGN - 1] = 0x80;
    V_EXPECT_EQ(open_why(copy, len, k.pk), V_BUNDLE_BAD_PADDING);
}

V_TEST(bundle, entry_data_flip_fails_its_hash_only)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    for (uint32_t i = 0; i < 2; i++) {
        memcpy(copy, buf, len);
        v_bundle b;
        v_bundle_entry e;
        V_ASSERT_OK(v_bundle_open(&b, copy, len, k.pk, NULL));
        V_ASSERT_OK(v_bundle_entry_at(&b, i, &e));
        copy[e.offset + e.size - 1] ^= 0x40;
        v_bundle_reason why;
        V_EXPECT_STATUS(v_bundle_entry_verify(&e, &why), V_ERR_ACCESS_DENIED);
        V_EXPECT_EQ(why, V_BUNDLE_HASH_MISMATCH);
        v_bundle_entry other;
        V_ASSERT_OK(v_bundle_entry_at(&b, 1 - i, &other));
        V_EXPECT_OK(v_bundle_entry_verify(&other, NULL));
        /* Padding after an entry is checked by open. */
        copy[e.offset + e.size - 1] ^= 0x40;
        copy[e.offset + e.size] = 0xff;
        V_EXPECT_EQ(open_why(copy, len, k.pk), V_BUNDLE_BAD_PADDING);
    }
}

V_TEST(bundle, truncated_or_extended_refused)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    static const size_t cut[] = {0, 1, 63, 64, 200, V_BUNDLE_ALIGN,
                                 2 * V_BUNDLE_ALIGN, 3 * V_BUNDLE_ALIGN - 1};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
        V_EXPECT_EQ(open_why(buf, cut[i], k.pk), V_BUNDLE_TRUNCATED);
    buf[len] = 0;
    V_EXPECT_EQ(open_why(buf, len + 1, k.pk), V_BUNDLE_TRAILING);
    v_bundle b;
    V_EXPECT_STATUS(v_bundle_open(&b, NULL, 0, k.pk, NULL), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_bundle_open(&b, NULL, 5, k.pk, NULL), V_ERR_INVALID_ARGS);
}

V_TEST(bundle, wrong_key_and_forged_key_id)
{
    keys k = key(1), other = key(9);
    size_t len = build(buf, &k);
    v_bundle b;
    v_bundle_reason why;
    V_EXPECT_STATUS(v_bundle_open(&b, buf, len, other.pk, &why),
                    V_ERR_ACCESS_DENIED);
    V_EXPECT_EQ(why, V_BUNDLE_WRONG_KEY);
    /* Signed by `other` but claiming to be by k: the signature fails. */
    memcpy(copy, buf, len);
    resign(copy, &other);
    V_EXPECT_EQ(open_why(copy, len, k.pk), V_BUNDLE_BAD_SIGNATURE);
}

/* Edits a record field and signs again. */
static v_bundle_reason edit(const keys *k, size_t len, unsigned rec,
                            unsigned field, unsigned width, uint64_t value)
{
    memcpy(copy, buf, len);
    bundle_st(record(copy, rec) + field, value, width);
    resign(copy, k);
    return open_why(copy, len, k->pk);
}

V_TEST(bundle, signed_but_malformed_records_refused)
{
    keys k = key(1);
    size_t len = build(buf, &k);
    uint64_t off0 = bundle_ld(record(buf, 0) + BR_OFFSET, 8);
    uint64_t off2 = bundle_ld(record(buf, 2) + BR_OFFSET, 8);
    V_EXPECT_EQ(edit(&k, len, 1, BR_OFFSET, 8, off0), V_BUNDLE_BAD_OFFSET);
    V_EXPECT_EQ(edit(&k, len, 0, BR_OFFSET, 8, off0 + 4096), V_BUNDLE_BAD_OFFSET);
    V_EXPECT_EQ(edit(&k, len, 2, BR_SIZE, 8, len - off2 + 1), V_BUNDLE_OUT_OF_RANGE);
    V_EXPECT_EQ(edit(&k, len, 2, BR_SIZE, 8, UINT64_MAX), V_BUNDLE_OUT_OF_RANGE);
    /* A size that overlaps the next entry moves where the next must be. */
    V_EXPECT_EQ(edit(&k, len, 0, BR_SIZE, 8, 5000), V_BUNDLE_BAD_OFFSET);
    V_EXPECT_EQ(edit(&k, len, 1, BR_RESERVED0, 2, 1), V_BUNDLE_BAD_RESERVED);
    V_EXPECT_EQ(edit(&k, len, 1, BR_RESERVED1, 8, 1), V_BUNDLE_BAD_RESERVED);
    V_EXPECT_EQ(edit(&k, len, 1, BR_NAME_OFFSET, 4, 4), V_BUNDLE_BAD_NAME_TABLE);
    V_EXPECT_EQ(edit(&k, len, 2, BR_NAME_LEN, 2, 2), V_BUNDLE_BAD_NAME_TABLE);
    V_EXPECT_EQ(edit(&k, len, 2, BR_NAME_LEN, 2, 0), V_BUNDLE_BAD_NAME);
    V_EXPECT_EQ(edit(&k, len, 1, BR_NAME_LEN, 2, 7), V_BUNDLE_BAD_NAME_TABLE);

    /* Names: "a.txt" "bin/init" "z" in the packed table. */
    uint8_t *names = record(buf, 3);
    static const struct {
        unsigned at;
        char c;
        v_bundle_reason why;
    } names_cases[] = {
        {13, 'a', V_BUNDLE_NAME_ORDER},      /* "z" -> "a" */
        {5, '/', V_BUNDLE_BAD_NAME},         /* "/in/init" */
        {9, '/', V_BUNDLE_BAD_NAME},         /* "bin//nit" */
        {12, '/', V_BUNDLE_BAD_NAME},        /* "bin/ini/" */
        {0, '\0', V_BUNDLE_BAD_NAME},        /* NUL inside */
    };
    for (size_t i = 0; i < sizeof names_cases / sizeof names_cases[0]; i++) {
        memcpy(copy, buf, len);
        copy[(names - buf) + names_cases[i].at] = (uint8_t)names_cases[i].c;
        resign(copy, &k);
        V_EXPECT_EQ(open_why(copy, len, k.pk), names_cases[i].why);
    }
}

V_TEST(bundle, duplicate_names_refused)
{
    keys k = key(1);
    v_bundle_input in[2] = {IN("ab", "1"), IN("ac", "2")};
    size_t len = 0;
    v_bundle_reason why;
    V_ASSERT_OK(v_bundle_write(in, 2, k.sk, buf, CAP, &len, NULL));
    uint8_t *names = record(buf, 2);
    names[3] = 'b'; /* "ab" "ab" */
    resign(buf, &k);
    V_EXPECT_EQ(open_why(buf, len, k.pk), V_BUNDLE_DUPLICATE_NAME);

    in[1] = IN("ab", "2");
    V_EXPECT_STATUS(v_bundle_write(in, 2, k.sk, buf, CAP, &len, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_EQ(why, V_BUNDLE_DUPLICATE_NAME);
}

V_TEST(bundle, writer_refuses_bad_input)
{
    keys k = key(1);
    size_t len = 0;
    v_bundle_reason why;
    static const char *const bad[] = {"", ".", "..", "a/..", "./a", "/a",
                                      "a/", "a//b", "a\0b", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = strlen(bad[i]);
        if (i == 8)
            n = 3;
        v_bundle_input in = {bad[i], n, "x", 1};
        V_EXPECT_STATUS(v_bundle_write(&in, 1, k.sk, buf, CAP, &len, &why),
                        V_ERR_MALFORMED);
        V_EXPECT_EQ(why, V_BUNDLE_BAD_NAME);
    }
    char longname[V_BUNDLE_MAX_NAME + 1];
    memset(longname, 'n', sizeof longname);
    v_bundle_input in = {longname, V_BUNDLE_MAX_NAME, "x", 1};
    V_EXPECT_OK(v_bundle_write(&in, 1, k.sk, buf, CAP, &len, &why));
    in.name_len++;
    V_EXPECT_STATUS(v_bundle_write(&in, 1, k.sk, buf, CAP, &len, &why),
                    V_ERR_MALFORMED);

    v_bundle_input two[2] = {IN("b", "1"), IN("a", "2")};
    V_EXPECT_STATUS(v_bundle_write(two, 2, k.sk, buf, CAP, &len, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_EQ(why, V_BUNDLE_NAME_ORDER);

    two[0] = IN("a", "1");
    two[1] = IN("b", "2");
    V_EXPECT_STATUS(v_bundle_write(two, 2, k.sk, buf, 3 * V_BUNDLE_ALIGN - 1,
                                   &len, &why), V_ERR_TRUNCATED);
    V_EXPECT_EQ(why, V_BUNDLE_NO_SPACE);
    V_EXPECT_STATUS(v_bundle_write(two, V_BUNDLE_MAX_ENTRIES + 1, k.sk, buf,
                                   CAP, &len, &why), V_ERR_LIMIT);
    V_EXPECT_EQ(why, V_BUNDLE_TOO_MANY_ENTRIES);
    v_bundle_input huge = {"h", 1, "x", V_BUNDLE_MAX_SIZE};
    uint64_t size;
    V_EXPECT_STATUS(v_bundle_size(&huge, 1, &size, &why), V_ERR_LIMIT);
    V_EXPECT_EQ(why, V_BUNDLE_TOO_LARGE);
    huge.size = UINT64_MAX;
    V_EXPECT_STATUS(v_bundle_size(&huge, 1, &size, &why), V_ERR_LIMIT);
}

V_TEST(bundle, reason_texts)
{
    for (int r = 0; r < V_BUNDLE_REASON_COUNT; r++) {
        const char *t = v_bundle_reason_text((v_bundle_reason)r);
        V_ASSERT_EQ(t != NULL, 1);
        V_EXPECT_NE(strcmp(t, "unknown reason"), 0);
    }
    V_EXPECT_STR_EQ(v_bundle_reason_text(V_BUNDLE_REASON_COUNT),
                    "unknown reason");
}

V_TEST(bundle, inspect_checks_all_but_the_signature)
{
    keys k = key(1), other = key(9);
    size_t len = build(buf, &k);
    v_bundle b;
    v_bundle_reason why;
    memcpy(copy, buf, len);
    copy[BH_KEY_ID] ^= 1;
    copy[len - V_BUNDLE_ALIGN] ^= 1; /* entry data: not checked by either */
    bundle_st(record(copy, 0) + BR_HASH, 0, 8);
    V_ASSERT_OK(v_bundle_inspect(&b, copy, len, &why));
    V_EXPECT_EQ(b.count, 3u);
    V_EXPECT_STATUS(v_bundle_open(&b, copy, len, other.pk, &why),
                    V_ERR_ACCESS_DENIED);
    /* Structure is still checked. */
    bundle_st(record(copy, 1) + BR_OFFSET, 0, 8);
    V_EXPECT_STATUS(v_bundle_inspect(&b, copy, len, &why), V_ERR_MALFORMED);
    V_EXPECT_EQ(why, V_BUNDLE_BAD_OFFSET);
    V_EXPECT_STATUS(v_bundle_inspect(&b, copy, 100, &why), V_ERR_MALFORMED);
    V_EXPECT_EQ(why, V_BUNDLE_TRUNCATED);
    memcpy(copy, buf, len);
    copy[V_BUNDLE_ALIGN - 1] = 1;
    V_EXPECT_STATUS(v_bundle_inspect(&b, copy, len, &why), V_ERR_MALFORMED);
    V_EXPECT_EQ(why, V_BUNDLE_BAD_PADDING);
}
