/* v/crypto_argon2.h — Argon2id (RFC 9106, version 0x13), the memory-hard
 * password hash. Included by v/crypto.h.
 *
 * The only allocating call in libv's crypto: the caller's v_alloc supplies
 * the m_cost_kib KiB of working memory (plus 5 KiB of scratch), which is
 * wiped and freed before returning. Running out of memory is
 * V_ERR_NO_MEMORY, never a crash. Lanes are computed one after another
 * (no threads), with results identical to a parallel implementation. */
#ifndef V_CRYPTO_ARGON2_H
#define V_CRYPTO_ARGON2_H

#include <stddef.h>
#include <stdint.h>
#include <v/alloc.h>
#include <v/status.h>

/* Bounds checked by v_argon2id (V_ERR_INVALID_ARGS outside them). The RFC
 * allows more; these keep one call's time and memory finite and sane. */
#define V_ARGON2_MIN_T 1u
#define V_ARGON2_MAX_T 65536u
#define V_ARGON2_MIN_LANES 1u
#define V_ARGON2_MAX_LANES 255u
#define V_ARGON2_MAX_M_KIB 4194304u /* 4 GiB; also at least 8 * lanes */
#define V_ARGON2_MIN_SALT 8u
#define V_ARGON2_MIN_OUT 4u
#define V_ARGON2_MAX_INPUT 0xffffffffu /* any one input, and the output */

typedef struct v_argon2_params {
    uint32_t t_cost;     /* passes over memory */
    uint32_t m_cost_kib; /* memory, in KiB (1 KiB blocks) */
    uint32_t lanes;      /* parallelism degree p */
    const void *secret;  /* optional key K (NULL when secret_len is 0) */
    size_t secret_len;
    const void *ad;      /* optional associated data X */
    size_t ad_len;
} v_argon2_params;

v_status v_argon2id(uint8_t *out, size_t out_len, const void *pwd,
                    size_t pwd_len, const void *salt, size_t salt_len,
                    const v_argon2_params *params, v_alloc *alloc);

#endif
