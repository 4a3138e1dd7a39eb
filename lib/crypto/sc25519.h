/* lib/crypto/sc25519.h — scalars modulo the Ed25519 group order
 * L = 2^252 + 27742317777372353535851937790883648493, as 32-byte
 * little-endian strings. Private to the crypto module. */
#ifndef V_CRYPTO_SC25519_H
#define V_CRYPTO_SC25519_H

#include <stdint.h>

/* Library-internal, but still global: keep them in libv's namespace. */
#define sc_reduce64 v_crypto_sc_reduce64
#define sc_muladd v_crypto_sc_muladd
#define sc_is_canonical v_crypto_sc_is_canonical

/* out = in mod L, for a 64-byte little-endian in. Constant time. */
void sc_reduce64(uint8_t out[32], const uint8_t in[64]);
/* out = (a * b + c) mod L. Constant time. */
void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
               const uint8_t c[32]);
/* 1 when s < L (a canonical scalar), else 0. Not constant time: used on
 * public signature bytes only. */
int sc_is_canonical(const uint8_t s[32]);

#endif
