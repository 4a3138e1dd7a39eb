/* lib/crypto/bytes.h — private helpers shared by the crypto sources:
 * endian loads and stores, rotations and a constant-time byte compare.
 *
 * Loads and stores go byte by byte: the compiler merges them into single
 * moves on x86, and they are correct on any alignment and byte order. */
#ifndef V_CRYPTO_BYTES_H
#define V_CRYPTO_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t v_load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint32_t v_load32_be(const uint8_t *p)
{
    return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 |
           (uint32_t)p[0] << 24;
}

static inline uint64_t v_load64_le(const uint8_t *p)
{
    return (uint64_t)v_load32_le(p) | (uint64_t)v_load32_le(p + 4) << 32;
}

static inline uint64_t v_load64_be(const uint8_t *p)
{
    return (uint64_t)v_load32_be(p) << 32 | (uint64_t)v_load32_be(p + 4);
}

static inline void v_store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void v_store32_be(uint8_t *p, uint32_t v)
{
    p[3] = (uint8_t)v;
    p[2] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)(v >> 16);
    p[0] = (uint8_t)(v >> 24);
}

static inline void v_store64_le(uint8_t *p, uint64_t v)
{
    v_store32_le(p, (uint32_t)v);
    v_store32_le(p + 4, (uint32_t)(v >> 32));
}

static inline void v_store64_be(uint8_t *p, uint64_t v)
{
    v_store32_be(p, (uint32_t)(v >> 32));
    v_store32_be(p + 4, (uint32_t)v);
}

static inline uint32_t v_rotr32(uint32_t x, unsigned n)
{
    return x >> n | x << ((32 - n) & 31);
}

static inline uint32_t v_rotl32(uint32_t x, unsigned n)
{
    return x << n | x >> ((32 - n) & 31);
}

static inline uint64_t v_rotr64(uint64_t x, unsigned n)
{
    return x >> n | x << ((64 - n) & 63);
}

/* Returns x unchanged, but hides its value from the optimiser, so a mask
 * derived from a secret bit cannot be turned back into a branch. */
static inline uint64_t v_ct_barrier64(uint64_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

static inline uint32_t v_ct_barrier32(uint32_t x)
{
    __asm__("" : "+r"(x));
    return x;
}

/* 1 when the n bytes are equal, else 0, in time that depends only on n:
 * differences are OR-ed together and looked at once, at the end. */
static inline int v_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint32_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (uint32_t)(a[i] ^ b[i]);
    d = v_ct_barrier32(d);
    return (int)(1 & ((d - 1) >> 8));
}

#endif
