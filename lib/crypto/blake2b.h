/* lib/crypto/blake2b.h — BLAKE2b (RFC 7693), unkeyed, any digest length
 * 1..64. Private to the crypto module: Argon2 is built on it. */
#ifndef V_CRYPTO_BLAKE2B_H
#define V_CRYPTO_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

#define blake2b_init v_crypto_blake2b_init
#define blake2b_update v_crypto_blake2b_update
#define blake2b_final v_crypto_blake2b_final
#define blake2b v_crypto_blake2b

typedef struct blake2b_ctx {
    uint64_t h[8];
    uint64_t t[2];     /* bytes compressed so far, 128 bits */
    uint8_t buf[128];
    size_t fill;
    size_t out_len;
} blake2b_ctx;

void blake2b_init(blake2b_ctx *c, size_t out_len);
void blake2b_update(blake2b_ctx *c, const void *data, size_t n);
/* Writes out_len bytes and wipes the context. */
void blake2b_final(blake2b_ctx *c, uint8_t *out);
void blake2b(uint8_t *out, size_t out_len, const void *data, size_t n);

#endif
