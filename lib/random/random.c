/* Confidence-levelled random generator: ChaCha20 with fast key erasure,
 * keys mixed with BLAKE3. See v/random.h for the levels.
 *
 * Why each piece:
 * - Fast key erasure: every refill runs ChaCha20 under the current key
 *   and immediately replaces the key with the first 32 keystream bytes, so
 *   the state never holds anything that could rebuild earlier output.
 *   Bytes handed out are wiped from the buffer as they leave.
 * - Seeding and reseeding hash the old key with the new material (BLAKE3
 *   keyed by the old key), so a weak reseed never makes things worse.
 * - HIGH accumulates into a separate pool and only folds it into the key
 *   once 256 bits are credited: folding in dribbles would let an attacker
 *   who knows the state guess each small addition in turn. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/random.h>

#define BLOCKS_BYTES (32 + V_RANDOM_BUF_LEN) /* 8 ChaCha20 blocks */

static const uint8_t ZERO_NONCE[12];

static void discard_buffer(v_random *g)
{
    v_mem_wipe(g->buf, sizeof g->buf);
    g->pos = V_RANDOM_BUF_LEN;
}

static void refill(v_random *g)
{
    uint8_t ks[BLOCKS_BYTES];
    /* The key changes on every refill, so a fixed nonce and counter
     * never repeat a (key, nonce, counter) triple. 512 bytes is far below
     * the counter limit, so this cannot fail. */
    (void)v_chacha20_keystream(ks, sizeof ks, g->key, ZERO_NONCE, 0);
    v_mem_copy(g->key, ks, 32);
    v_mem_copy(g->buf, ks + 32, V_RANDOM_BUF_LEN);
    g->pos = 0;
    v_mem_wipe(ks, sizeof ks);
}

/* key = BLAKE3-keyed(key, material): the new key depends on both. */
static void mix_into(uint8_t key[32], const uint8_t *material, size_t n)
{
    uint8_t next[32];
    v_blake3_keyed(key, material, n, next, sizeof next);
    v_mem_copy(key, next, 32);
    v_mem_wipe(next, sizeof next);
}

static void init_common(v_random *g, v_random_level level)
{
    v_mem_set(g, 0, sizeof *g);
    g->level = level;
    g->pos = V_RANDOM_BUF_LEN;
}

void v_random_init_seeded(v_random *g, const void *seed, size_t seed_len)
{
    init_common(g, V_RANDOM_SLOPPY);
    v_blake3_derive_key("vectra 2026 v_random sloppy seed", 32, seed,
                        seed_len, g->key, sizeof g->key);
    g->ready = 1;
}

/* STANDARD and SLOPPY: one 32-byte draw, trusted as delivered. */
static v_status seed_once(v_random *g)
{
    uint8_t fresh[32];
    uint32_t bits = 0;
    v_status st = g->source.fill(g->source.ctx, fresh, sizeof fresh, &bits);
    if (st == V_OK) {
        mix_into(g->key, fresh, sizeof fresh);
        discard_buffer(g);
        g->ready = 1;
        g->since_reseed = 0;
    }
    v_mem_wipe(fresh, sizeof fresh);
    return st;
}

/* HIGH: gather into the pool, at most V_RANDOM_GATHER_CALLS source calls
 * per attempt; fold the pool into the key once it holds enough. */
static v_status gather(v_random *g)
{
    uint8_t fresh[32];
    v_status st = V_ERR_SHOULD_WAIT;
    for (unsigned i = 0; i < V_RANDOM_GATHER_CALLS; i++) {
        uint32_t bits = 0;
        st = g->source.fill(g->source.ctx, fresh, sizeof fresh, &bits);
        if (st != V_OK)
            break;
        if (bits > 8 * sizeof fresh)
            bits = 8 * sizeof fresh; /* a source cannot vouch for more */
        mix_into(g->pool, fresh, sizeof fresh);
        g->pool_bits += bits;
        if (g->pool_bits >= V_RANDOM_SEED_BITS) {
            mix_into(g->key, g->pool, sizeof g->pool);
            v_mem_wipe(g->pool, sizeof g->pool);
            g->pool_bits = 0;
            discard_buffer(g);
            g->ready = 1;
            g->since_reseed = 0;
            v_mem_wipe(fresh, sizeof fresh);
            return V_OK;
        }
        st = V_ERR_SHOULD_WAIT;
    }
    v_mem_wipe(fresh, sizeof fresh);
    return st;
}

v_status v_random_init(v_random *g, v_random_level level,
                       const v_entropy_source *src)
{
    if (g == NULL || src == NULL || src->fill == NULL ||
        (level != V_RANDOM_SLOPPY && level != V_RANDOM_STANDARD &&
         level != V_RANDOM_HIGH))
        return V_ERR_INVALID_ARGS;
    init_common(g, level);
    g->source = *src;
    return level == V_RANDOM_HIGH ? gather(g) : seed_once(g);
}

v_status v_random_bytes(v_random *g, void *out, size_t n)
{
    if (g->level == V_RANDOM_HIGH) {
        if (n > V_RANDOM_HIGH_RESEED_BYTES)
            return V_ERR_LIMIT;
        if (g->ready && g->since_reseed + n > V_RANDOM_HIGH_RESEED_BYTES)
            g->ready = 0; /* due for a reseed before more output */
        if (!g->ready) {
            v_status st = gather(g);
            if (st != V_OK)
                return st;
        }
    } else if (!g->ready) {
        return V_ERR_BAD_STATE;
    }
    uint8_t *p = out;
    g->since_reseed += n;
    while (n > 0) {
        if (g->pos == V_RANDOM_BUF_LEN)
            refill(g);
        size_t take = V_RANDOM_BUF_LEN - g->pos;
        if (take > n)
            take = n;
        v_mem_copy(p, g->buf + g->pos, take);
        v_mem_wipe(g->buf + g->pos, take);
        g->pos += take;
        p += take;
        n -= take;
    }
    return V_OK;
}

v_status v_random_u64(v_random *g, uint64_t *out)
{
    uint8_t b[8];
    v_status st = v_random_bytes(g, b, sizeof b);
    if (st != V_OK)
        return st;
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | b[i];
    *out = x;
    v_mem_wipe(b, sizeof b);
    return V_OK;
}

v_status v_random_uniform(v_random *g, uint64_t bound, uint64_t *out)
{
    if (bound == 0)
        return V_ERR_INVALID_ARGS;
    /* Reject the lowest 2^64 mod bound values so every residue is equally
     * likely; each draw is rejected with probability below 1/2. */
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x;
        v_status st = v_random_u64(g, &x);
        if (st != V_OK)
            return st;
        if (x >= threshold) {
            *out = x % bound;
            return V_OK;
        }
    }
}

v_status v_random_reseed(v_random *g)
{
    if (g->source.fill == NULL)
        return V_ERR_NOT_SUPPORTED;
    /* Drop buffered output at once, so copies of a generator stop sharing
     * a future even if the source fails below. */
    discard_buffer(g);
    if (g->level == V_RANDOM_HIGH) {
        g->ready = 0;
        return gather(g);
    }
    v_status st = seed_once(g);
    if (st != V_OK && g->level == V_RANDOM_STANDARD)
        g->ready = 0; /* better no output than a stream a copy shares */
    return st;
}

void v_random_wipe(v_random *g)
{
    v_mem_wipe(g, sizeof *g);
}
