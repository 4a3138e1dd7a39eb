/* Poly1305 (RFC 8439 §2.5), with h and r in three limbs of 44, 44 and 42
 * bits and 64 x 64 -> 128-bit products (unsigned __int128).
 *
 * Constant time: the arithmetic has no data-dependent branches; the final
 * reduction mod 2^130 - 5 chooses between h and h - p with a mask, not a
 * branch. Lengths (public) drive the only branches. */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"
#include "poly1305_impl.h"

#define M44 ((uint64_t)0xfffffffffff)
#define M42 ((uint64_t)0x3ffffffffff)

typedef unsigned __int128 u128;

void v_poly1305_init(v_poly1305_ctx *p, const uint8_t key[V_POLY1305_KEY_LEN])
{
    uint64_t t0 = v_load64_le(key), t1 = v_load64_le(key + 8);
    /* r is clamped as the RFC requires, while being split into limbs. */
    p->r[0] = t0 & 0xffc0fffffff;
    p->r[1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
    p->r[2] = (t1 >> 24) & 0x00ffffffc0f;
    p->h[0] = p->h[1] = p->h[2] = 0;
    p->pad[0] = v_load64_le(key + 16);
    p->pad[1] = v_load64_le(key + 24);
    p->fill = 0;
    p->avx2 = false;
}

void v_poly1305_init_cpu(v_poly1305_ctx *p,
                         const uint8_t key[V_POLY1305_KEY_LEN],
                         v_cpu_features cpu)
{
    v_poly1305_init(p, key);
    p->avx2 = V_POLY1305_SIMD && v_cpu_has(cpu, V_CPU_AVX2);
}

/* Absorbs n/16 whole blocks; hibit is 2^128 in limb 2 (1 << 40) for full
 * blocks, 0 for the already-padded final block. */
static void blocks(v_poly1305_ctx *p, const uint8_t *m, size_t n,
                   uint64_t hibit)
{
    const uint64_t r0 = p->r[0], r1 = p->r[1], r2 = p->r[2];
    /* Limbs weigh 2^0, 2^44, 2^88. Products that land at 2^132 or above
     * wrap round with 2^132 = 4 * 2^130 = 4 * 5 = 20 (mod p). */
    const uint64_t s1 = r1 * 20, s2 = r2 * 20;
    uint64_t h0 = p->h[0], h1 = p->h[1], h2 = p->h[2];
    for (; n >= 16; n -= 16, m += 16) {
        uint64_t t0 = v_load64_le(m), t1 = v_load64_le(m + 8);
        h0 += t0 & M44;
        h1 += ((t0 >> 44) | (t1 << 20)) & M44;
        h2 += ((t1 >> 24) & M42) | hibit;

        u128 d0 = (u128)h0 * r0 + (u128)h1 * s2 + (u128)h2 * s1;
        u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s2;
        u128 d2 = (u128)h0 * r2 + (u128)h1 * r1 + (u128)h2 * r0;

        /* Partial carry: limbs stay small enough for the next round. */
        uint64_t c = (uint64_t)(d0 >> 44);
        h0 = (uint64_t)d0 & M44;
        d1 += c;
        c = (uint64_t)(d1 >> 44);
        h1 = (uint64_t)d1 & M44;
        d2 += c;
        c = (uint64_t)(d2 >> 42);
        h2 = (uint64_t)d2 & M42;
        h0 += c * 5;
        c = h0 >> 44;
        h0 &= M44;
        h1 += c;
    }
    p->h[0] = h0;
    p->h[1] = h1;
    p->h[2] = h2;
}

void v_poly1305_update(v_poly1305_ctx *p, const void *data, size_t n)
{
    const uint8_t *m = data;
    if (n == 0)
        return;
    if (p->fill) {
        size_t take = 16 - p->fill;
        if (take > n)
            take = n;
        v_mem_copy(p->buf + p->fill, m, take);
        p->fill += take;
        m += take;
        n -= take;
        if (p->fill < 16)
            return;
        blocks(p, p->buf, 16, (uint64_t)1 << 40);
        p->fill = 0;
    }
#if V_POLY1305_SIMD
    /* Below 256 bytes the setup (powers of r) costs more than it saves. */
    if (p->avx2 && n >= 256) {
        size_t done = v_poly1305_blocks_avx2(p->h, p->r, m, n);
        m += done;
        n -= done;
    }
#endif
    size_t whole = n & ~(size_t)15;
    if (whole) {
        blocks(p, m, whole, (uint64_t)1 << 40);
        m += whole;
        n -= whole;
    }
    if (n) {
        v_mem_copy(p->buf, m, n);
        p->fill = n;
    }
}

void v_poly1305_final(v_poly1305_ctx *p, uint8_t tag[V_POLY1305_TAG_LEN])
{
    if (p->fill) {
        /* The last partial block gets a 1 byte after it, then zeros, and
         * no 2^128 bit. */
        p->buf[p->fill] = 1;
        for (size_t i = p->fill + 1; i < 16; i++)
            p->buf[i] = 0;
        blocks(p, p->buf, 16, 0);
    }
    uint64_t h0 = p->h[0], h1 = p->h[1], h2 = p->h[2], c;
    /* Full carry, twice round, so h < 2^130 with every limb in range. */
    for (int i = 0; i < 2; i++) {
        c = h1 >> 44; h1 &= M44; h2 += c;
        c = h2 >> 42; h2 &= M42; h0 += c * 5;
        c = h0 >> 44; h0 &= M44; h1 += c;
    }
    c = h1 >> 44; h1 &= M44; h2 += c;

    /* g = h + 5 - 2^130; use g when it did not go negative (h >= p). */
    uint64_t g0 = h0 + 5; c = g0 >> 44; g0 &= M44;
    uint64_t g1 = h1 + c; c = g1 >> 44; g1 &= M44;
    uint64_t g2 = h2 + c - ((uint64_t)1 << 42);
    uint64_t use_g = v_ct_barrier64((g2 >> 63) - 1); /* ones if g2 >= 0 */
    h0 = (h0 & ~use_g) | (g0 & use_g);
    h1 = (h1 & ~use_g) | (g1 & use_g);
    h2 = (h2 & ~use_g) | (g2 & use_g);

    /* tag = (h + s) mod 2^128 */
    uint64_t s0 = p->pad[0], s1 = p->pad[1];
    h0 += s0 & M44;
    c = h0 >> 44; h0 &= M44;
    h1 += (((s0 >> 44) | (s1 << 20)) & M44) + c;
    c = h1 >> 44; h1 &= M44;
    h2 += ((s1 >> 24) & M42) + c;
    v_store64_le(tag, h0 | h1 << 44);
    v_store64_le(tag + 8, h1 >> 20 | h2 << 24);
    v_mem_wipe(p, sizeof *p);
}

void v_poly1305(uint8_t tag[V_POLY1305_TAG_LEN], const void *data, size_t n,
                const uint8_t key[V_POLY1305_KEY_LEN])
{
    v_poly1305_ctx p;
    v_poly1305_init(&p, key);
    v_poly1305_update(&p, data, n);
    v_poly1305_final(&p, tag);
}

void v_poly1305_cpu(v_cpu_features cpu, uint8_t tag[V_POLY1305_TAG_LEN],
                    const void *data, size_t n,
                    const uint8_t key[V_POLY1305_KEY_LEN])
{
    v_poly1305_ctx p;
    v_poly1305_init_cpu(&p, key, cpu);
    v_poly1305_update(&p, data, n);
    v_poly1305_final(&p, tag);
}

bool v_poly1305_verify(const uint8_t a[V_POLY1305_TAG_LEN],
                       const uint8_t b[V_POLY1305_TAG_LEN])
{
    return v_ct_equal(a, b, V_POLY1305_TAG_LEN) != 0;
}
