/* v/crypto_25519.h — X25519 key agreement (RFC 7748) and Ed25519
 * signatures (RFC 8032, pure Ed25519). Included by v/crypto.h.
 *
 * Both run in constant time in their secret inputs (scalars, seeds,
 * nonces); verification handles only public data. */
#ifndef V_CRYPTO_25519_H
#define V_CRYPTO_25519_H

#include <stddef.h>
#include <stdint.h>
#include <v/cpu.h>
#include <v/status.h>

#define V_X25519_KEY_LEN 32
#define V_ED25519_SEED_LEN 32
#define V_ED25519_PUBLIC_LEN 32
#define V_ED25519_SECRET_LEN 64 /* seed || public key */
#define V_ED25519_SIG_LEN 64

/* out = X25519(scalar, point). The scalar is clamped as RFC 7748 says;
 * the point's top bit is ignored and non-canonical values are reduced.
 * Returns V_ERR_MALFORMED when the result is all zeros (the point had
 * small order, so the "shared secret" is not secret); out is written
 * either way. */
v_status v_x25519(uint8_t out[V_X25519_KEY_LEN],
                  const uint8_t scalar[V_X25519_KEY_LEN],
                  const uint8_t point[V_X25519_KEY_LEN]);
/* The public key for a secret scalar: X25519(scalar, 9). */
void v_x25519_public(uint8_t out[V_X25519_KEY_LEN],
                     const uint8_t scalar[V_X25519_KEY_LEN]);
/* The same, on the fastest path the program's v_cpu_features (v/cpu.h,
 * detected once and kept) allow: on x86-64 with BMI2 and ADX, 64-bit
 * limbs with MULX/ADCX/ADOX (about 1.18x the portable speed on an AMD
 * EPYC). The plain forms use v_cpu_baseline(), the portable path, as the
 * other _cpu families do. Every path gives identical output and runs in
 * constant time. */
v_status v_x25519_cpu(v_cpu_features cpu, uint8_t out[V_X25519_KEY_LEN],
                      const uint8_t scalar[V_X25519_KEY_LEN],
                      const uint8_t point[V_X25519_KEY_LEN]);
void v_x25519_public_cpu(v_cpu_features cpu, uint8_t out[V_X25519_KEY_LEN],
                         const uint8_t scalar[V_X25519_KEY_LEN]);

/* Ed25519 key pair from a 32-byte secret seed. sk is seed || pk, the
 * form v_ed25519_sign takes. */
void v_ed25519_keypair(uint8_t pk[V_ED25519_PUBLIC_LEN],
                       uint8_t sk[V_ED25519_SECRET_LEN],
                       const uint8_t seed[V_ED25519_SEED_LEN]);
/* Deterministic signature (R || S) of msg. sk must come from
 * v_ed25519_keypair: its public half is trusted, not recomputed. */
void v_ed25519_sign(uint8_t sig[V_ED25519_SIG_LEN], const void *msg,
                    size_t n, const uint8_t sk[V_ED25519_SECRET_LEN]);
/* V_OK when sig is a valid signature of msg under pk, else
 * V_ERR_MALFORMED. Strict and cofactorless: rejects a public key or R
 * that is not a canonical point encoding, rejects S >= L, and accepts only
 * when [S]B - [k]A encodes to exactly the bytes of R (docs/crypto.md). */
v_status v_ed25519_verify(const uint8_t sig[V_ED25519_SIG_LEN],
                          const void *msg, size_t n,
                          const uint8_t pk[V_ED25519_PUBLIC_LEN]);

#endif
