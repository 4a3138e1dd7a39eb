/* Reading a bundle, the structural half: the header and record checks of
 * docs/bundle.md "Verifying" (steps 1, 4 and 5), v_bundle_inspect, and
 * the lookups. No cryptography here: the key, signature and hash checks
 * are in verify.c, so a reader that only inspects (the kernel, which
 * trusts its boot modules as it trusts its own image) links no crypto. */
#include <stdbool.h>
#include <v/bundle.h>
#include <v/mem.h>
#include "format.h"

v_status bundle_fail(v_bundle_reason *why, v_bundle_reason r, v_status s)
{
    if (why)
        *why = r;
    return s;
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
    uint8_t acc = 0;
    for (uint64_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* Header: every field checked against the others and against len. */
v_status bundle_check_header(const uint8_t *d, size_t len,
                             v_bundle_reason *why)
{
    if (len < V_BUNDLE_HEADER_LEN)
        return bundle_fail(why, V_BUNDLE_TRUNCATED, V_ERR_MALFORMED);
    if (!v_mem_equal(d + BH_MAGIC, V_BUNDLE_MAGIC, 8))
        return bundle_fail(why, V_BUNDLE_BAD_MAGIC, V_ERR_MALFORMED);
    if (bundle_ld(d + BH_VERSION, 4) != V_BUNDLE_VERSION)
        return bundle_fail(why, V_BUNDLE_BAD_VERSION, V_ERR_NOT_SUPPORTED);
    if (bundle_ld(d + BH_FLAGS, 4) != 0 || bundle_ld(d + BH_RESERVED, 8) != 0)
        return bundle_fail(why, V_BUNDLE_BAD_RESERVED, V_ERR_MALFORMED);
    uint64_t count = bundle_ld(d + BH_COUNT, 4);
    uint64_t names = bundle_ld(d + BH_NAMES_SIZE, 4);
    uint64_t manifest = bundle_ld(d + BH_MANIFEST_SIZE, 8);
    uint64_t data_off = bundle_ld(d + BH_DATA_OFFSET, 8);
    uint64_t total = bundle_ld(d + BH_TOTAL_SIZE, 8);
    if (count > V_BUNDLE_MAX_ENTRIES)
        return bundle_fail(why, V_BUNDLE_TOO_MANY_ENTRIES, V_ERR_LIMIT);
    /* count and names are 32-bit and bounded: no overflow below. */
    if (names < count || names > count * V_BUNDLE_MAX_NAME ||
        manifest != V_BUNDLE_HEADER_LEN + count * V_BUNDLE_RECORD_LEN + names ||
        data_off != bundle_align(manifest + V_ED25519_SIG_LEN))
        return bundle_fail(why, V_BUNDLE_BAD_LAYOUT, V_ERR_MALFORMED);
    if (total > V_BUNDLE_MAX_SIZE)
        return bundle_fail(why, V_BUNDLE_TOO_LARGE, V_ERR_LIMIT);
    if (total < data_off || total % V_BUNDLE_ALIGN != 0)
        return bundle_fail(why, V_BUNDLE_BAD_LAYOUT, V_ERR_MALFORMED);
    if (len < total)
        return bundle_fail(why, V_BUNDLE_TRUNCATED, V_ERR_MALFORMED);
    if (len > total)
        return bundle_fail(why, V_BUNDLE_TRAILING, V_ERR_MALFORMED);
    return V_OK;
}

/* Padding after the signature, then records: signed, but still checked, so a buggy signer cannot make a
 * reader step out of bounds, and so each bundle has one encoding. */
v_status bundle_check_records(const uint8_t *d, v_bundle_reason *why)
{
    uint64_t count = bundle_ld(d + BH_COUNT, 4);
    uint64_t names_size = bundle_ld(d + BH_NAMES_SIZE, 4);
    uint64_t total = bundle_ld(d + BH_TOTAL_SIZE, 8);
    const uint8_t *names = d + V_BUNDLE_HEADER_LEN + count * V_BUNDLE_RECORD_LEN;
    uint64_t cursor = bundle_ld(d + BH_DATA_OFFSET, 8);
    uint64_t sig_end = bundle_ld(d + BH_MANIFEST_SIZE, 8) + V_ED25519_SIG_LEN;
    if (!all_zero(d + sig_end, cursor - sig_end))
        return bundle_fail(why, V_BUNDLE_BAD_PADDING, V_ERR_MALFORMED);
    uint64_t name_cursor = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *r = d + V_BUNDLE_HEADER_LEN + i * V_BUNDLE_RECORD_LEN;
        if (bundle_ld(r + BR_RESERVED0, 2) != 0 ||
            bundle_ld(r + BR_RESERVED1, 8) != 0)
            return bundle_fail(why, V_BUNDLE_BAD_RESERVED, V_ERR_MALFORMED);
        uint64_t noff = bundle_ld(r + BR_NAME_OFFSET, 4);
        uint64_t nlen = bundle_ld(r + BR_NAME_LEN, 2);
        if (noff != name_cursor || nlen > names_size - name_cursor)
            return bundle_fail(why, V_BUNDLE_BAD_NAME_TABLE, V_ERR_MALFORMED);
        const char *name = (const char *)names + noff;
        if (v_bundle_check_name(name, (size_t)nlen) != V_OK)
            return bundle_fail(why, V_BUNDLE_BAD_NAME, V_ERR_MALFORMED);
        if (prev) {
            int c = bundle_name_cmp(prev, prev_len, name, (size_t)nlen);
            if (c == 0)
                return bundle_fail(why, V_BUNDLE_DUPLICATE_NAME, V_ERR_MALFORMED);
            if (c > 0)
                return bundle_fail(why, V_BUNDLE_NAME_ORDER, V_ERR_MALFORMED);
        }
        prev = name;
        prev_len = (size_t)nlen;
        name_cursor += nlen;

        uint64_t off = bundle_ld(r + BR_OFFSET, 8);
        uint64_t size = bundle_ld(r + BR_SIZE, 8);
        if (off != cursor)
            return bundle_fail(why, V_BUNDLE_BAD_OFFSET, V_ERR_MALFORMED);
        if (size > total - off)
            return bundle_fail(why, V_BUNDLE_OUT_OF_RANGE, V_ERR_OUT_OF_RANGE);
        uint64_t end = off + size, padded = bundle_align(end);
        if (!all_zero(d + end, padded - end))
            return bundle_fail(why, V_BUNDLE_BAD_PADDING, V_ERR_MALFORMED);
        cursor = padded;
    }
    if (name_cursor != names_size)
        return bundle_fail(why, V_BUNDLE_BAD_NAME_TABLE, V_ERR_MALFORMED);
    if (cursor != total)
        return bundle_fail(why, V_BUNDLE_BAD_LAYOUT, V_ERR_MALFORMED);
    return V_OK;
}

/* Fills *b from bytes that passed both checks. */
void bundle_fill(v_bundle *b, const uint8_t *d, size_t len)
{
    b->data = d;
    b->len = len;
    b->count = (uint32_t)bundle_ld(d + BH_COUNT, 4);
    b->records = d + V_BUNDLE_HEADER_LEN;
    b->names = b->records + (size_t)b->count * V_BUNDLE_RECORD_LEN;
}

v_status v_bundle_inspect(v_bundle *b, const void *data, size_t len,
                          v_bundle_reason *why)
{
    if (why)
        *why = V_BUNDLE_REASON_NONE;
    if (!b || (!data && len))
        return V_ERR_INVALID_ARGS;
    const uint8_t *d = data;
    v_status s = bundle_check_header(d, len, why);
    if (s == V_OK)
        s = bundle_check_records(d, why);
    if (s != V_OK)
        return s;
    bundle_fill(b, d, len);
    return V_OK;
}

v_status v_bundle_entry_at(const v_bundle *b, uint32_t i, v_bundle_entry *e)
{
    if (!b || !e)
        return V_ERR_INVALID_ARGS;
    if (i >= b->count)
        return V_ERR_OUT_OF_RANGE;
    const uint8_t *r = b->records + (size_t)i * V_BUNDLE_RECORD_LEN;
    e->name = (const char *)b->names + bundle_ld(r + BR_NAME_OFFSET, 4);
    e->name_len = (size_t)bundle_ld(r + BR_NAME_LEN, 2);
    e->offset = bundle_ld(r + BR_OFFSET, 8);
    e->size = bundle_ld(r + BR_SIZE, 8);
    e->data = b->data + e->offset;
    v_mem_copy(e->hash, r + BR_HASH, V_BUNDLE_HASH_LEN);
    return V_OK;
}

v_status v_bundle_find(const v_bundle *b, const char *name, size_t len,
                       v_bundle_entry *e, v_bundle_reason *why)
{
    if (why)
        *why = V_BUNDLE_REASON_NONE;
    if (!b || !e || (!name && len))
        return V_ERR_INVALID_ARGS;
    uint32_t lo = 0, hi = b->count; /* names are sorted: binary search */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        v_bundle_entry m;
        v_bundle_entry_at(b, mid, &m);
        int c = bundle_name_cmp(m.name, m.name_len, name, len);
        if (c == 0) {
            *e = m;
            return V_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return bundle_fail(why, V_BUNDLE_NOT_FOUND, V_ERR_OUT_OF_RANGE);
}
