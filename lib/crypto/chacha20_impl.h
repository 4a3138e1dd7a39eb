/* lib/crypto/chacha20_impl.h — ChaCha20's many-block vector paths
 * (chacha20_simd.c), shared with chacha20.c. Private to the crypto
 * module. */
#ifndef V_CRYPTO_CHACHA20_IMPL_H
#define V_CRYPTO_CHACHA20_IMPL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__SSE2__)
#define V_CHACHA20_SIMD 1
#else
#define V_CHACHA20_SIMD 0
#endif

#define v_chacha20_blocks4_sse2 v_crypto_chacha20_blocks4_sse2
#define v_chacha20_blocks4_sse41 v_crypto_chacha20_blocks4_sse41
#define v_chacha20_blocks8_avx2 v_crypto_chacha20_blocks8_avx2

/* out = in XOR keystream (in NULL: keystream only) for the whole groups
 * of 4 (8) blocks in n bytes, starting at block s[12]; returns the bytes
 * done. s is the initial state (constants, key, counter, nonce). The
 * caller guarantees the counter does not pass 2^32 within those blocks. */
size_t v_chacha20_blocks4_sse2(const uint32_t s[16], const uint8_t *in,
                               uint8_t *out, size_t n);
size_t v_chacha20_blocks4_sse41(const uint32_t s[16], const uint8_t *in,
                                uint8_t *out, size_t n);
size_t v_chacha20_blocks8_avx2(const uint32_t s[16], const uint8_t *in,
                               uint8_t *out, size_t n);

#endif
