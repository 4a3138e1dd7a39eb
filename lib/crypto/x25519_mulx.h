/* lib/crypto/x25519_mulx.h — the X25519 ladder on four 64-bit limbs with
 * MULX, ADCX and ADOX (BMI2 + ADX), private to the crypto module.
 * v_x25519_cpu picks it when the caller's v_cpu_features report both. */
#ifndef V_CRYPTO_X25519_MULX_H
#define V_CRYPTO_X25519_MULX_H

#include <stdint.h>

#if defined(__x86_64__)
#define V_X25519_MULX 1
#define x25519_mulx v_crypto_x25519_mulx

/* out = X25519(k, point) for an already clamped scalar k. The caller
 * must have checked that the CPU has BMI2 and ADX. */
void x25519_mulx(uint8_t out[32], const uint8_t k[32],
                 const uint8_t point[32]);
#else
#define V_X25519_MULX 0
#endif

#endif
