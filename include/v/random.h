/* v/random.h — random numbers with a stated confidence level.
 *
 * A generator is a value the program owns (never a global). All three
 * levels draw from the same ChaCha20 generator with fast key erasure:
 * each refill produces keystream whose first 32 bytes replace the key, so
 * a later compromise of the state reveals nothing already output. They
 * differ in how they are seeded and what they promise:
 *
 *   SLOPPY    fast, reproducible if you want (seed it yourself); for
 *             simulations, tests, hash-table salts. Never for secrets.
 *   STANDARD  a CSPRNG seeded with 32 bytes from the entropy source (the
 *             substrate's entropy call), trusted as delivered.
 *   HIGH      counts the entropy the source vouches for and refuses to
 *             produce output (V_ERR_SHOULD_WAIT) until at least 256 bits
 *             have been gathered; then reseeds the same way after every
 *             V_RANDOM_HIGH_RESEED_BYTES of output, refusing again if the
 *             source cannot deliver.
 *
 * The entropy source is a value passed in: natively the substrate will
 * offer RDSEED/RDRAND mixed with timer jitter, hosted getrandom.
 *
 * Fork and restart: copying a generator (fork, a VM snapshot, memcpy)
 * copies its future output. After anything that may duplicate a process,
 * call v_random_reseed on each copy (SLOPPY generators seeded from a value
 * cannot tell copies apart and will repeat). See docs/crypto.md. */
#ifndef V_RANDOM_H
#define V_RANDOM_H

#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

typedef enum v_random_level {
    V_RANDOM_SLOPPY = 0,
    V_RANDOM_STANDARD = 1,
    V_RANDOM_HIGH = 2,
} v_random_level;

/* An entropy source. fill writes n bytes to out and sets *bits to how
 * many bits of entropy the source vouches for in them (0..8n; a full-
 * entropy source such as getrandom says 8n). It returns V_OK, or an error
 * (V_ERR_SHOULD_WAIT when nothing is available yet). */
typedef struct v_entropy_source {
    v_status (*fill)(void *ctx, uint8_t *out, size_t n, uint32_t *bits);
    void *ctx;
} v_entropy_source;

#define V_RANDOM_SEED_BITS 256u            /* HIGH's threshold */
#define V_RANDOM_HIGH_RESEED_BYTES (1u << 20)
#define V_RANDOM_GATHER_CALLS 16u          /* source calls per attempt */
#define V_RANDOM_BUF_LEN 480u              /* buffered output, 8 blocks - key */

typedef struct v_random {
    uint8_t key[32];
    uint8_t buf[V_RANDOM_BUF_LEN]; /* unread keystream is buf[pos..] */
    size_t pos;
    v_random_level level;
    v_entropy_source source;       /* .fill NULL for a seeded SLOPPY one */
    uint8_t pool[32];              /* HIGH: entropy being accumulated */
    uint32_t pool_bits;
    int ready;                     /* seeded well enough for its level */
    uint64_t since_reseed;         /* bytes output since the last seed */
} v_random;

/* A SLOPPY generator from a seed value: the same seed gives the same
 * stream, on every platform. */
void v_random_init_seeded(v_random *g, const void *seed, size_t seed_len);

/* A generator of any level drawing on src (which is copied; its ctx must
 * outlive the generator). V_ERR_INVALID_ARGS without a source. For HIGH,
 * V_ERR_SHOULD_WAIT means not enough entropy yet: the generator is valid
 * but refuses output until a later call gathers enough. Other source
 * errors are returned as they are, and the generator is then not ready. */
v_status v_random_init(v_random *g, v_random_level level,
                       const v_entropy_source *src);

/* Fills out with n random bytes. SLOPPY and a ready STANDARD always
 * succeed; HIGH returns V_ERR_SHOULD_WAIT (writing nothing) while it lacks
 * entropy. V_ERR_BAD_STATE for a generator whose seeding failed. */
v_status v_random_bytes(v_random *g, void *out, size_t n);

/* A uniformly distributed 64-bit value, and one in [0, bound) without
 * modulo bias (bound > 0, else V_ERR_INVALID_ARGS). */
v_status v_random_u64(v_random *g, uint64_t *out);
v_status v_random_uniform(v_random *g, uint64_t bound, uint64_t *out);

/* Mixes fresh entropy from the source into the key (and for HIGH starts
 * a new gathering round). Call after fork or restore. Buffered output is
 * dropped first. If the source fails, a STANDARD generator refuses output
 * (V_ERR_BAD_STATE) until a reseed succeeds, and a HIGH one until it has
 * gathered enough again. A seeded SLOPPY generator has no source:
 * V_ERR_NOT_SUPPORTED. */
v_status v_random_reseed(v_random *g);

/* Wipes the whole state. */
void v_random_wipe(v_random *g);

#endif
