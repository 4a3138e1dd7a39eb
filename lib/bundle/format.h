/* Byte-level layout shared by the bundle reader and writer
 * (docs/bundle.md). Little-endian fields, fixed offsets. */
#ifndef V_BUNDLE_FORMAT_H
#define V_BUNDLE_FORMAT_H

#include <stdint.h>
#include <v/bundle.h>

/* Header field offsets. */
#define BH_MAGIC 0
#define BH_VERSION 8
#define BH_FLAGS 12
#define BH_COUNT 16
#define BH_NAMES_SIZE 20
#define BH_MANIFEST_SIZE 24
#define BH_DATA_OFFSET 32
#define BH_TOTAL_SIZE 40
#define BH_KEY_ID 48
#define BH_RESERVED 56

/* Record field offsets. */
#define BR_NAME_OFFSET 0
#define BR_NAME_LEN 4
#define BR_RESERVED0 6
#define BR_OFFSET 8
#define BR_SIZE 16
#define BR_HASH 24
#define BR_RESERVED1 56

static inline uint64_t bundle_ld(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static inline void bundle_st(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Rounds up to V_BUNDLE_ALIGN; callers keep v below V_BUNDLE_MAX_SIZE so
 * this cannot overflow. */
static inline uint64_t bundle_align(uint64_t v)
{
    return (v + (V_BUNDLE_ALIGN - 1)) & ~(uint64_t)(V_BUNDLE_ALIGN - 1);
}

/* The structural checks (open.c), shared by v_bundle_inspect and
 * v_bundle_open (verify.c): the header against itself and len (step 1 of
 * docs/bundle.md "Verifying"), then, on a checked header, the padding
 * and the records (steps 4 and 5). */
v_status bundle_check_header(const uint8_t *d, size_t len,
                             v_bundle_reason *why);
v_status bundle_check_records(const uint8_t *d, v_bundle_reason *why);
void bundle_fill(v_bundle *b, const uint8_t *d, size_t len);
/* Sets *why (if not NULL) to r and returns s. */
v_status bundle_fail(v_bundle_reason *why, v_bundle_reason r, v_status s);

/* Bytewise comparison of two names, shorter prefix first. */
int bundle_name_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
