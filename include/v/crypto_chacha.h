/* v/crypto_chacha.h — ChaCha20 and XChaCha20 stream ciphers, Poly1305,
 * and the ChaCha20-Poly1305 / XChaCha20-Poly1305 AEADs (RFC 8439;
 * draft-irtf-cfrg-xchacha-03). Included by v/crypto.h.
 *
 * ChaCha20 here is the IETF variant: 96-bit nonce, 32-bit block counter,
 * so one (key, nonce) covers at most 2^32 blocks of 64 bytes. A request
 * that would run the counter past that is refused (V_ERR_LIMIT) rather
 * than wrapped, because a wrapped counter reuses keystream.
 *
 * out and in may be the same buffer (in-place); partial overlap is not
 * allowed.
 *
 * Speed: each ChaCha20 user has a `_cpu` form taking the program's
 * v_cpu_features (v/cpu.h, detected once and kept), which selects the
 * AVX2 (8 blocks at a time) or SSE4.1 (4 blocks) path when present, and
 * for Poly1305 an AVX2 path (4 blocks at a time). The plain forms use
 * v_cpu_baseline(): SSE2 ChaCha20 (4 blocks) and scalar Poly1305 on
 * x86-64. Every path gives identical output. */
#ifndef V_CRYPTO_CHACHA_H
#define V_CRYPTO_CHACHA_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <v/cpu.h>
#include <v/status.h>

#define V_CHACHA20_KEY_LEN 32
#define V_CHACHA20_NONCE_LEN 12
#define V_XCHACHA20_NONCE_LEN 24
#define V_HCHACHA20_NONCE_LEN 16
#define V_POLY1305_KEY_LEN 32
#define V_POLY1305_TAG_LEN 16
#define V_AEAD_TAG_LEN 16

/* out = in XOR keystream(key, nonce) starting at block `counter`.
 * V_ERR_LIMIT (nothing written) if the blocks needed run past 2^32. */
v_status v_chacha20_xor(uint8_t *out, const uint8_t *in, size_t n,
                        const uint8_t key[V_CHACHA20_KEY_LEN],
                        const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                        uint32_t counter);
v_status v_chacha20_xor_cpu(v_cpu_features cpu, uint8_t *out,
                            const uint8_t *in, size_t n,
                            const uint8_t key[V_CHACHA20_KEY_LEN],
                            const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                            uint32_t counter);
/* Writes n bytes of raw keystream (as v_chacha20_xor of zeros). */
v_status v_chacha20_keystream(uint8_t *out, size_t n,
                              const uint8_t key[V_CHACHA20_KEY_LEN],
                              const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                              uint32_t counter);

v_status v_chacha20_keystream_cpu(v_cpu_features cpu, uint8_t *out, size_t n,
                                  const uint8_t key[V_CHACHA20_KEY_LEN],
                                  const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                  uint32_t counter);

/* HChaCha20: derives a 32-byte subkey from a key and a 16-byte nonce. */
void v_hchacha20(uint8_t out[32], const uint8_t key[V_CHACHA20_KEY_LEN],
                 const uint8_t nonce[V_HCHACHA20_NONCE_LEN]);

/* XChaCha20: 192-bit nonce, so nonces may be chosen at random. */
v_status v_xchacha20_xor(uint8_t *out, const uint8_t *in, size_t n,
                         const uint8_t key[V_CHACHA20_KEY_LEN],
                         const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                         uint32_t counter);
v_status v_xchacha20_xor_cpu(v_cpu_features cpu, uint8_t *out,
                             const uint8_t *in, size_t n,
                             const uint8_t key[V_CHACHA20_KEY_LEN],
                             const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                             uint32_t counter);

/* ---- Poly1305: a one-time authenticator; never reuse a key ---- */

typedef struct v_poly1305_ctx {
    uint64_t r[3], h[3], pad[2];
    uint8_t buf[16];
    size_t fill;
    bool avx2; /* long updates may take the AVX2 path */
} v_poly1305_ctx;

void v_poly1305_init(v_poly1305_ctx *p, const uint8_t key[V_POLY1305_KEY_LEN]);
/* As init, and lets long updates use AVX2 (4 blocks at a time) when cpu
 * has it. Same tags either way. */
void v_poly1305_init_cpu(v_poly1305_ctx *p,
                         const uint8_t key[V_POLY1305_KEY_LEN],
                         v_cpu_features cpu);
void v_poly1305_update(v_poly1305_ctx *p, const void *data, size_t n);
/* Writes the tag and wipes the context. */
void v_poly1305_final(v_poly1305_ctx *p, uint8_t tag[V_POLY1305_TAG_LEN]);
void v_poly1305(uint8_t tag[V_POLY1305_TAG_LEN], const void *data, size_t n,
                const uint8_t key[V_POLY1305_KEY_LEN]);
void v_poly1305_cpu(v_cpu_features cpu, uint8_t tag[V_POLY1305_TAG_LEN],
                    const void *data, size_t n,
                    const uint8_t key[V_POLY1305_KEY_LEN]);
/* Constant-time tag comparison: true when equal. */
bool v_poly1305_verify(const uint8_t a[V_POLY1305_TAG_LEN],
                       const uint8_t b[V_POLY1305_TAG_LEN]);

/* ---- AEADs, detached tag ----
 * seal: ct = encrypt(pt), tag over (ad, ct). V_ERR_LIMIT if n exceeds
 * the RFC 8439 bound of (2^32 - 1) * 64 bytes.
 * open: verifies the tag in constant time before decrypting anything. On
 * a bad tag it returns V_ERR_MALFORMED and fills pt with zeros (so a
 * forged message never yields plaintext, even partially; in-place, the
 * ciphertext is destroyed). */

v_status v_aead_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *pt, size_t n,
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN]);
v_status v_aead_chacha20poly1305_open(uint8_t *pt, const uint8_t *ct, size_t n,
                                      const uint8_t tag[V_AEAD_TAG_LEN],
                                      const uint8_t *ad, size_t ad_len,
                                      const uint8_t nonce[V_CHACHA20_NONCE_LEN],
                                      const uint8_t key[V_CHACHA20_KEY_LEN]);

v_status v_aead_xchacha20poly1305_seal(uint8_t *ct,
                                       uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *pt, size_t n,
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN]);
v_status v_aead_xchacha20poly1305_open(uint8_t *pt, const uint8_t *ct,
                                       size_t n,
                                       const uint8_t tag[V_AEAD_TAG_LEN],
                                       const uint8_t *ad, size_t ad_len,
                                       const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
                                       const uint8_t key[V_CHACHA20_KEY_LEN]);


/* The same four with the ChaCha20 path chosen from cpu (see above). */
v_status v_aead_chacha20poly1305_seal_cpu(
    v_cpu_features cpu, uint8_t *ct, uint8_t tag[V_AEAD_TAG_LEN],
    const uint8_t *pt, size_t n, const uint8_t *ad, size_t ad_len,
    const uint8_t nonce[V_CHACHA20_NONCE_LEN],
    const uint8_t key[V_CHACHA20_KEY_LEN]);
v_status v_aead_chacha20poly1305_open_cpu(
    v_cpu_features cpu, uint8_t *pt, const uint8_t *ct, size_t n,
    const uint8_t tag[V_AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
    const uint8_t nonce[V_CHACHA20_NONCE_LEN],
    const uint8_t key[V_CHACHA20_KEY_LEN]);
v_status v_aead_xchacha20poly1305_seal_cpu(
    v_cpu_features cpu, uint8_t *ct, uint8_t tag[V_AEAD_TAG_LEN],
    const uint8_t *pt, size_t n, const uint8_t *ad, size_t ad_len,
    const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
    const uint8_t key[V_CHACHA20_KEY_LEN]);
v_status v_aead_xchacha20poly1305_open_cpu(
    v_cpu_features cpu, uint8_t *pt, const uint8_t *ct, size_t n,
    const uint8_t tag[V_AEAD_TAG_LEN], const uint8_t *ad, size_t ad_len,
    const uint8_t nonce[V_XCHACHA20_NONCE_LEN],
    const uint8_t key[V_CHACHA20_KEY_LEN]);

#endif
