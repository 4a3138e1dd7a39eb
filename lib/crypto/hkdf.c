/* HKDF, RFC 5869, over SHA-256 and SHA-512.
 *
 * Expand keeps T(i) in a local block that is wiped at the end; the HMAC
 * key schedule for PRK is computed once and copied per block, so PRK is
 * not re-hashed for every output block. */
#include <v/crypto.h>
#include <v/mem.h>

void v_hkdf_sha256_extract(const void *salt, size_t salt_len,
                           const void *ikm, size_t ikm_len,
                           uint8_t prk[V_SHA256_SIZE])
{
    static const uint8_t zeros[V_SHA256_SIZE];
    if (salt_len == 0) {
        salt = zeros;
        salt_len = sizeof zeros;
    }
    v_hmac_sha256(salt, salt_len, ikm, ikm_len, prk);
}

v_status v_hkdf_sha256_expand(const uint8_t *prk, size_t prk_len,
                              const void *info, size_t info_len,
                              uint8_t *out, size_t out_len)
{
    if (prk_len < V_SHA256_SIZE || out_len > 255 * V_SHA256_SIZE)
        return V_ERR_INVALID_ARGS;
    v_hmac_sha256_ctx base, h;
    uint8_t t[V_SHA256_SIZE];
    v_hmac_sha256_init(&base, prk, prk_len);
    for (uint8_t i = 1; out_len > 0; i++) {
        h = base;
        if (i > 1)
            v_hmac_sha256_update(&h, t, sizeof t);
        v_hmac_sha256_update(&h, info, info_len);
        v_hmac_sha256_update(&h, &i, 1);
        v_hmac_sha256_final(&h, t);
        size_t take = out_len < sizeof t ? out_len : sizeof t;
        v_mem_copy(out, t, take);
        out += take;
        out_len -= take;
    }
    v_mem_wipe(&base, sizeof base);
    v_mem_wipe(&h, sizeof h);
    v_mem_wipe(t, sizeof t);
    return V_OK;
}

v_status v_hkdf_sha256(const void *salt, size_t salt_len, const void *ikm,
                       size_t ikm_len, const void *info, size_t info_len,
                       uint8_t *out, size_t out_len)
{
    if (out_len > 255 * V_SHA256_SIZE)
        return V_ERR_INVALID_ARGS;
    uint8_t prk[V_SHA256_SIZE];
    v_hkdf_sha256_extract(salt, salt_len, ikm, ikm_len, prk);
    v_status st = v_hkdf_sha256_expand(prk, sizeof prk, info, info_len,
                                       out, out_len);
    v_mem_wipe(prk, sizeof prk);
    return st;
}

void v_hkdf_sha512_extract(const void *salt, size_t salt_len,
                           const void *ikm, size_t ikm_len,
                           uint8_t prk[V_SHA512_SIZE])
{
    static const uint8_t zeros[V_SHA512_SIZE];
    if (salt_len == 0) {
        salt = zeros;
        salt_len = sizeof zeros;
    }
    v_hmac_sha512(salt, salt_len, ikm, ikm_len, prk);
}

v_status v_hkdf_sha512_expand(const uint8_t *prk, size_t prk_len,
                              const void *info, size_t info_len,
                              uint8_t *out, size_t out_len)
{
    if (prk_len < V_SHA512_SIZE || out_len > 255 * V_SHA512_SIZE)
        return V_ERR_INVALID_ARGS;
    v_hmac_sha512_ctx base, h;
    uint8_t t[V_SHA512_SIZE];
    v_hmac_sha512_init(&base, prk, prk_len);
    for (uint8_t i = 1; out_len > 0; i++) {
        h = base;
        if (i > 1)
            v_hmac_sha512_update(&h, t, sizeof t);
        v_hmac_sha512_update(&h, info, info_len);
        v_hmac_sha512_update(&h, &i, 1);
        v_hmac_sha512_final(&h, t);
        size_t take = out_len < sizeof t ? out_len : sizeof t;
        v_mem_copy(out, t, take);
        out += take;
        out_len -= take;
    }
    v_mem_wipe(&base, sizeof base);
    v_mem_wipe(&h, sizeof h);
    v_mem_wipe(t, sizeof t);
    return V_OK;
}

v_status v_hkdf_sha512(const void *salt, size_t salt_len, const void *ikm,
                       size_t ikm_len, const void *info, size_t info_len,
                       uint8_t *out, size_t out_len)
{
    if (out_len > 255 * V_SHA512_SIZE)
        return V_ERR_INVALID_ARGS;
    uint8_t prk[V_SHA512_SIZE];
    v_hkdf_sha512_extract(salt, salt_len, ikm, ikm_len, prk);
    v_status st = v_hkdf_sha512_expand(prk, sizeof prk, info, info_len,
                                       out, out_len);
    v_mem_wipe(prk, sizeof prk);
    return st;
}
