/* HMAC-SHA-256 and HMAC-SHA-512, RFC 2104.
 *
 * The padded key blocks are secret; they live on the stack only while the
 * two hash states absorb them and are wiped before returning. Key length
 * is public (it selects hashing the key or not). */
#include <v/crypto.h>
#include <v/mem.h>

void v_hmac_sha256_init(v_hmac_sha256_ctx *h, const void *key, size_t key_len)
{
    uint8_t block[V_SHA256_BLOCK] = {0};
    if (key_len > V_SHA256_BLOCK)
        v_sha256(key, key_len, block);
    else if (key_len)
        v_mem_copy(block, key, key_len);
    for (int i = 0; i < V_SHA256_BLOCK; i++)
        block[i] ^= 0x36;
    v_sha256_init(&h->inner);
    v_sha256_update(&h->inner, block, sizeof block);
    for (int i = 0; i < V_SHA256_BLOCK; i++)
        block[i] ^= 0x36 ^ 0x5c;
    v_sha256_init(&h->outer);
    v_sha256_update(&h->outer, block, sizeof block);
    v_mem_wipe(block, sizeof block);
}

void v_hmac_sha256_update(v_hmac_sha256_ctx *h, const void *data, size_t n)
{
    v_sha256_update(&h->inner, data, n);
}

void v_hmac_sha256_final(v_hmac_sha256_ctx *h, uint8_t out[V_SHA256_SIZE])
{
    uint8_t ihash[V_SHA256_SIZE];
    v_sha256_final(&h->inner, ihash);
    v_sha256_update(&h->outer, ihash, sizeof ihash);
    v_sha256_final(&h->outer, out);
    v_mem_wipe(ihash, sizeof ihash);
}

void v_hmac_sha256(const void *key, size_t key_len, const void *data,
                   size_t n, uint8_t out[V_SHA256_SIZE])
{
    v_hmac_sha256_ctx h;
    v_hmac_sha256_init(&h, key, key_len);
    v_hmac_sha256_update(&h, data, n);
    v_hmac_sha256_final(&h, out);
}

void v_hmac_sha512_init(v_hmac_sha512_ctx *h, const void *key, size_t key_len)
{
    uint8_t block[V_SHA512_BLOCK] = {0};
    if (key_len > V_SHA512_BLOCK)
        v_sha512(key, key_len, block);
    else if (key_len)
        v_mem_copy(block, key, key_len);
    for (int i = 0; i < V_SHA512_BLOCK; i++)
        block[i] ^= 0x36;
    v_sha512_init(&h->inner);
    v_sha512_update(&h->inner, block, sizeof block);
    for (int i = 0; i < V_SHA512_BLOCK; i++)
        block[i] ^= 0x36 ^ 0x5c;
    v_sha512_init(&h->outer);
    v_sha512_update(&h->outer, block, sizeof block);
    v_mem_wipe(block, sizeof block);
}

void v_hmac_sha512_update(v_hmac_sha512_ctx *h, const void *data, size_t n)
{
    v_sha512_update(&h->inner, data, n);
}

void v_hmac_sha512_final(v_hmac_sha512_ctx *h, uint8_t out[V_SHA512_SIZE])
{
    uint8_t ihash[V_SHA512_SIZE];
    v_sha512_final(&h->inner, ihash);
    v_sha512_update(&h->outer, ihash, sizeof ihash);
    v_sha512_final(&h->outer, out);
    v_mem_wipe(ihash, sizeof ihash);
}

void v_hmac_sha512(const void *key, size_t key_len, const void *data,
                   size_t n, uint8_t out[V_SHA512_SIZE])
{
    v_hmac_sha512_ctx h;
    v_hmac_sha512_init(&h, key, key_len);
    v_hmac_sha512_update(&h, data, n);
    v_hmac_sha512_final(&h, out);
}
