/* lib/crypto/poly1305_impl.h — Poly1305's vector path
 * (poly1305_avx2.c), shared with poly1305.c. Private to the crypto
 * module. */
#ifndef V_CRYPTO_POLY1305_IMPL_H
#define V_CRYPTO_POLY1305_IMPL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__SSE2__)
#define V_POLY1305_SIMD 1
#else
#define V_POLY1305_SIMD 0
#endif

#define v_poly1305_blocks_avx2 v_crypto_poly1305_blocks_avx2

/* Absorbs whole 64-byte groups of full 16-byte blocks (at least 128
 * bytes; the caller checks) into h, the scalar state in 44/44/42-bit
 * limbs, under r (same limbs). Returns the bytes absorbed, a multiple of
 * 64. h leaves in the same partially carried form the scalar loop keeps. */
size_t v_poly1305_blocks_avx2(uint64_t h[3], const uint64_t r[3],
                              const uint8_t *m, size_t n);

#endif
