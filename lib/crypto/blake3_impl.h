/* lib/crypto/blake3_impl.h — what blake3.c shares with its many-chunk
 * (SIMD) implementations. Private to the crypto module. */
#ifndef V_CRYPTO_BLAKE3_IMPL_H
#define V_CRYPTO_BLAKE3_IMPL_H

#include <stddef.h>
#include <stdint.h>

enum {
    B3_CHUNK_START = 1 << 0,
    B3_CHUNK_END = 1 << 1,
    B3_PARENT = 1 << 2,
    B3_ROOT = 1 << 3,
    B3_KEYED_HASH = 1 << 4,
    B3_DERIVE_KEY_CONTEXT = 1 << 5,
    B3_DERIVE_KEY_MATERIAL = 1 << 6,
};

#define v_blake3_iv v_crypto_blake3_iv
#define v_blake3_schedule v_crypto_blake3_schedule
#define v_blake3_hash4_sse2 v_crypto_blake3_hash4_sse2
#define v_blake3_hash4_sse41 v_crypto_blake3_hash4_sse41
#define v_blake3_hash8_avx2 v_crypto_blake3_hash8_avx2

extern const uint32_t v_blake3_iv[8];
extern const uint8_t v_blake3_schedule[7][16];

/* Hashes 4 (or 8) whole consecutive 1 KiB chunks at `in`, chunk i with
 * counter `counter + i`, into their chaining values. None of them may be
 * the root. Present only on x86-64 builds with SSE2 as the baseline. */
void v_blake3_hash4_sse2(const uint8_t *in, const uint32_t key[8],
                         uint64_t counter, uint32_t flags,
                         uint32_t out[4][8]);
void v_blake3_hash4_sse41(const uint8_t *in, const uint32_t key[8],
                          uint64_t counter, uint32_t flags,
                          uint32_t out[4][8]);
void v_blake3_hash8_avx2(const uint8_t *in, const uint32_t key[8],
                         uint64_t counter, uint32_t flags,
                         uint32_t out[8][8]);

#if defined(__x86_64__) && defined(__SSE2__)
#define V_BLAKE3_SIMD 1
#else
#define V_BLAKE3_SIMD 0
#endif

#endif
