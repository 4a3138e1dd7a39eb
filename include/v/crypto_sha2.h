/* v/crypto_sha2.h — SHA-256 and SHA-512 (FIPS 180-4), HMAC over both
 * (RFC 2104) and HKDF over both (RFC 5869). Included by v/crypto.h.
 *
 * Every function takes bytes and lengths; none allocates or fails except
 * HKDF-Expand, whose output length is bounded by the RFC. The *_final calls
 * wipe the state they were given, so a context is single-use after final
 * (call *_init again to reuse it). */
#ifndef V_CRYPTO_SHA2_H
#define V_CRYPTO_SHA2_H

#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

#define V_SHA256_SIZE 32
#define V_SHA256_BLOCK 64
#define V_SHA512_SIZE 64
#define V_SHA512_BLOCK 128

typedef struct v_sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;             /* total input so far */
    uint8_t buf[V_SHA256_BLOCK];
    size_t fill;                /* bytes waiting in buf */
} v_sha256_ctx;

typedef struct v_sha512_ctx {
    uint64_t h[8];
    uint64_t bytes_lo, bytes_hi; /* total input, 128 bits */
    uint8_t buf[V_SHA512_BLOCK];
    size_t fill;
} v_sha512_ctx;

void v_sha256_init(v_sha256_ctx *s);
void v_sha256_update(v_sha256_ctx *s, const void *data, size_t n);
void v_sha256_final(v_sha256_ctx *s, uint8_t out[V_SHA256_SIZE]);
void v_sha256(const void *data, size_t n, uint8_t out[V_SHA256_SIZE]);

void v_sha512_init(v_sha512_ctx *s);
void v_sha512_update(v_sha512_ctx *s, const void *data, size_t n);
void v_sha512_final(v_sha512_ctx *s, uint8_t out[V_SHA512_SIZE]);
void v_sha512(const void *data, size_t n, uint8_t out[V_SHA512_SIZE]);

/* ---- HMAC: any key length (longer than a block is hashed first) ---- */

typedef struct v_hmac_sha256_ctx {
    v_sha256_ctx inner, outer;
} v_hmac_sha256_ctx;

typedef struct v_hmac_sha512_ctx {
    v_sha512_ctx inner, outer;
} v_hmac_sha512_ctx;

void v_hmac_sha256_init(v_hmac_sha256_ctx *h, const void *key, size_t key_len);
void v_hmac_sha256_update(v_hmac_sha256_ctx *h, const void *data, size_t n);
void v_hmac_sha256_final(v_hmac_sha256_ctx *h, uint8_t out[V_SHA256_SIZE]);
void v_hmac_sha256(const void *key, size_t key_len, const void *data,
                   size_t n, uint8_t out[V_SHA256_SIZE]);

void v_hmac_sha512_init(v_hmac_sha512_ctx *h, const void *key, size_t key_len);
void v_hmac_sha512_update(v_hmac_sha512_ctx *h, const void *data, size_t n);
void v_hmac_sha512_final(v_hmac_sha512_ctx *h, uint8_t out[V_SHA512_SIZE]);
void v_hmac_sha512(const void *key, size_t key_len, const void *data,
                   size_t n, uint8_t out[V_SHA512_SIZE]);

/* ---- HKDF ----
 * Extract: PRK = HMAC(salt, ikm); an empty salt means HashLen zero bytes.
 * Expand: out_len at most 255 * HashLen, prk_len at least HashLen, else
 * V_ERR_INVALID_ARGS and nothing is written. The one-shot form does both. */

void v_hkdf_sha256_extract(const void *salt, size_t salt_len,
                           const void *ikm, size_t ikm_len,
                           uint8_t prk[V_SHA256_SIZE]);
v_status v_hkdf_sha256_expand(const uint8_t *prk, size_t prk_len,
                              const void *info, size_t info_len,
                              uint8_t *out, size_t out_len);
v_status v_hkdf_sha256(const void *salt, size_t salt_len, const void *ikm,
                       size_t ikm_len, const void *info, size_t info_len,
                       uint8_t *out, size_t out_len);

void v_hkdf_sha512_extract(const void *salt, size_t salt_len,
                           const void *ikm, size_t ikm_len,
                           uint8_t prk[V_SHA512_SIZE]);
v_status v_hkdf_sha512_expand(const uint8_t *prk, size_t prk_len,
                              const void *info, size_t info_len,
                              uint8_t *out, size_t out_len);
v_status v_hkdf_sha512(const void *salt, size_t salt_len, const void *ikm,
                       size_t ikm_len, const void *info, size_t info_len,
                       uint8_t *out, size_t out_len);

#endif
