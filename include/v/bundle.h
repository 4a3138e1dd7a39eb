/* v/bundle.h — Bundles: a signed manifest of named, BLAKE3-hashed entries
 * followed by the entries' bytes (docs/bundle.md is the byte format).
 *
 * Reading: v_bundle_open checks the header's bounds, then the Ed25519
 * signature over the exact manifest bytes against a key the caller
 * trusts, then every record (names, order, offsets, padding). Only then
 * are entries visible. An entry's bytes are trusted only after
 * v_bundle_entry_verify has matched them against the signed hash.
 *
 * Writing: v_bundle_write lays out entries given by the caller (sorted by
 * name, strictly ascending bytewise) into caller memory and signs them.
 *
 * Every failure returns a status and, through `why` (may be NULL), one
 * v_bundle_reason naming the exact rule broken. Nothing allocates. */
#ifndef V_BUNDLE_H
#define V_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <v/crypto_25519.h>
#include <v/status.h>

#define V_BUNDLE_MAGIC "VBUNDLE\0"  /* 8 bytes, the NUL included */
#define V_BUNDLE_VERSION 1u
#define V_BUNDLE_HEADER_LEN 64u
#define V_BUNDLE_RECORD_LEN 64u
#define V_BUNDLE_ALIGN 4096u        /* entry data alignment: a page */
#define V_BUNDLE_MAX_ENTRIES 65535u
#define V_BUNDLE_MAX_NAME 255u      /* bytes of an entry name */
#define V_BUNDLE_MAX_SIZE (UINT64_C(1) << 40) /* whole bundle, bytes */
#define V_BUNDLE_HASH_LEN 32u
#define V_BUNDLE_KEY_ID_LEN 8u

typedef enum v_bundle_reason {
    V_BUNDLE_REASON_NONE = 0,
    V_BUNDLE_TRUNCATED,        /* shorter than the header says */
    V_BUNDLE_TRAILING,         /* longer than the header says */
    V_BUNDLE_BAD_MAGIC,
    V_BUNDLE_BAD_VERSION,
    V_BUNDLE_BAD_RESERVED,     /* a reserved field or flag is not zero */
    V_BUNDLE_TOO_MANY_ENTRIES,
    V_BUNDLE_BAD_LAYOUT,       /* manifest/data offsets disagree */
    V_BUNDLE_TOO_LARGE,
    V_BUNDLE_WRONG_KEY,        /* key id names a different signer */
    V_BUNDLE_BAD_SIGNATURE,
    V_BUNDLE_BAD_NAME,         /* empty, too long, or not a clean path */
    V_BUNDLE_NAME_ORDER,       /* names not strictly ascending */
    V_BUNDLE_DUPLICATE_NAME,
    V_BUNDLE_BAD_NAME_TABLE,   /* name offsets not packed in order */
    V_BUNDLE_BAD_OFFSET,       /* entry not at its one canonical place */
    V_BUNDLE_OUT_OF_RANGE,     /* entry runs past the end */
    V_BUNDLE_BAD_PADDING,      /* a padding byte is not zero */
    V_BUNDLE_HASH_MISMATCH,    /* entry bytes differ from the signed hash */
    V_BUNDLE_NO_SPACE,         /* writer: output buffer too small */
    V_BUNDLE_NOT_FOUND,
    V_BUNDLE_REASON_COUNT
} v_bundle_reason;

/* One sentence ("entry data does not match its signed hash"). */
const char *v_bundle_reason_text(v_bundle_reason r);

typedef struct v_bundle {
    const uint8_t *data;       /* the whole bundle, len bytes */
    size_t len;
    uint32_t count;
    const uint8_t *records;    /* count records of V_BUNDLE_RECORD_LEN */
    const uint8_t *names;      /* the packed name table */
} v_bundle;

typedef struct v_bundle_entry {
    const char *name;          /* not NUL-terminated */
    size_t name_len;
    uint64_t offset;           /* from the start of the bundle */
    uint64_t size;
    const uint8_t *data;       /* bundle data + offset; unverified */
    uint8_t hash[V_BUNDLE_HASH_LEN];
} v_bundle_entry;

/* Validates data[0..len) as a bundle signed by `trusted` and fills *b.
 * Statuses: V_ERR_MALFORMED (format), V_ERR_NOT_SUPPORTED (version),
 * V_ERR_LIMIT (a limit), V_ERR_ACCESS_DENIED (key or signature). */
v_status v_bundle_open(v_bundle *b, const void *data, size_t len,
                       const uint8_t trusted[V_ED25519_PUBLIC_LEN],
                       v_bundle_reason *why);

/* Every check of v_bundle_open except the key id and the signature: the
 * bytes are well-formed but NOT authentic. For display (mkbundle list)
 * and diagnosis only; never use what it returns as trusted. */
v_status v_bundle_inspect(v_bundle *b, const void *data, size_t len,
                          v_bundle_reason *why);

/* Entry i (0 <= i < b->count), in name order. V_ERR_OUT_OF_RANGE past. */
v_status v_bundle_entry_at(const v_bundle *b, uint32_t i, v_bundle_entry *e);

/* Binary search by exact name. V_ERR_OUT_OF_RANGE (NOT_FOUND) if absent. */
v_status v_bundle_find(const v_bundle *b, const char *name, size_t len,
                       v_bundle_entry *e, v_bundle_reason *why);

/* Hashes the entry's bytes; V_ERR_ACCESS_DENIED (HASH_MISMATCH) unless
 * they equal the signed hash. */
v_status v_bundle_entry_verify(const v_bundle_entry *e,
                               v_bundle_reason *why);

/* Checks an entry name: 1..V_BUNDLE_MAX_NAME bytes, components split by
 * single '/', each one valid for v_path_check_component. */
v_status v_bundle_check_name(const char *name, size_t len);

/* The first V_BUNDLE_KEY_ID_LEN bytes of a public key. */
void v_bundle_key_id(uint8_t id[V_BUNDLE_KEY_ID_LEN],
                     const uint8_t pk[V_ED25519_PUBLIC_LEN]);

/* ------------------------------------------------------------ writing */

typedef struct v_bundle_input {
    const char *name;
    size_t name_len;
    const void *data;
    uint64_t size;
} v_bundle_input;

/* Exact size of the bundle holding in[0..n), after checking names, order
 * and limits. */
v_status v_bundle_size(const v_bundle_input *in, size_t n, uint64_t *size,
                       v_bundle_reason *why);

/* Writes and signs the bundle into out[0..cap) (V_ERR_TRUNCATED,
 * NO_SPACE, and nothing written if it does not fit); *len gets its size.
 * sk is the 64-byte expanded secret key of v_ed25519_keypair. */
v_status v_bundle_write(const v_bundle_input *in, size_t n,
                        const uint8_t sk[V_ED25519_SECRET_LEN], void *out,
                        size_t cap, size_t *len, v_bundle_reason *why);

#endif
