/* Writing a bundle: the one canonical layout of docs/bundle.md. The
 * writer checks its input with the same rules the reader enforces, so
 * whatever it writes, v_bundle_open accepts. */
#include <v/bundle.h>
#include <v/crypto_blake3.h>
#include <v/mem.h>
#include "format.h"

static v_status fail(v_bundle_reason *why, v_bundle_reason r, v_status s)
{
    if (why)
        *why = r;
    return s;
}

/* Checks in[] and computes the layout: names bytes, manifest size, data
 * offset and total size. */
static v_status layout(const v_bundle_input *in, size_t n, uint64_t *names,
                       uint64_t *manifest, uint64_t *data_off,
                       uint64_t *total, v_bundle_reason *why)
{
    if (why)
        *why = V_BUNDLE_REASON_NONE;
    if (n > V_BUNDLE_MAX_ENTRIES)
        return fail(why, V_BUNDLE_TOO_MANY_ENTRIES, V_ERR_LIMIT);
    if (!in && n)
        return V_ERR_INVALID_ARGS;
    uint64_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        if ((!in[i].name && in[i].name_len) || (!in[i].data && in[i].size))
            return V_ERR_INVALID_ARGS;
        if (v_bundle_check_name(in[i].name, in[i].name_len) != V_OK)
            return fail(why, V_BUNDLE_BAD_NAME, V_ERR_MALFORMED);
        if (i > 0) {
            int c = bundle_name_cmp(in[i - 1].name, in[i - 1].name_len,
                                    in[i].name, in[i].name_len);
            if (c == 0)
                return fail(why, V_BUNDLE_DUPLICATE_NAME, V_ERR_MALFORMED);
            if (c > 0)
                return fail(why, V_BUNDLE_NAME_ORDER, V_ERR_MALFORMED);
        }
        nb += in[i].name_len;
    }
    uint64_t m = V_BUNDLE_HEADER_LEN + (uint64_t)n * V_BUNDLE_RECORD_LEN + nb;
    uint64_t cursor = bundle_align(m + V_ED25519_SIG_LEN);
    *data_off = cursor;
    for (size_t i = 0; i < n; i++) {
        /* Compare before adding so neither sum can overflow. */
        if (in[i].size > V_BUNDLE_MAX_SIZE - cursor)
            return fail(why, V_BUNDLE_TOO_LARGE, V_ERR_LIMIT);
        cursor += in[i].size;
        if (bundle_align(cursor) > V_BUNDLE_MAX_SIZE)
            return fail(why, V_BUNDLE_TOO_LARGE, V_ERR_LIMIT);
        cursor = bundle_align(cursor);
    }
    *names = nb;
    *manifest = m;
    *total = cursor;
    return V_OK;
}

v_status v_bundle_size(const v_bundle_input *in, size_t n, uint64_t *size,
                       v_bundle_reason *why)
{
    uint64_t names, manifest, data_off;
    if (!size)
        return V_ERR_INVALID_ARGS;
    return layout(in, n, &names, &manifest, &data_off, size, why);
}

v_status v_bundle_write(const v_bundle_input *in, size_t n,
                        const uint8_t sk[V_ED25519_SECRET_LEN], void *out,
                        size_t cap, size_t *len, v_bundle_reason *why)
{
    uint64_t names, manifest, data_off, total;
    if (!sk || !len || (!out && cap))
        return V_ERR_INVALID_ARGS;
    v_status s = layout(in, n, &names, &manifest, &data_off, &total, why);
    if (s != V_OK)
        return s;
    if (total > cap)
        return fail(why, V_BUNDLE_NO_SPACE, V_ERR_TRUNCATED);
    uint8_t *d = out;
    v_mem_set(d, 0, (size_t)total); /* every padding byte is zero */

    v_mem_copy(d + BH_MAGIC, V_BUNDLE_MAGIC, 8);
    bundle_st(d + BH_VERSION, V_BUNDLE_VERSION, 4);
    bundle_st(d + BH_COUNT, n, 4);
    bundle_st(d + BH_NAMES_SIZE, names, 4);
    bundle_st(d + BH_MANIFEST_SIZE, manifest, 8);
    bundle_st(d + BH_DATA_OFFSET, data_off, 8);
    bundle_st(d + BH_TOTAL_SIZE, total, 8);
    /* The public key is the second half of the expanded secret key. */
    v_bundle_key_id(d + BH_KEY_ID, sk + V_ED25519_SEED_LEN);

    uint8_t *name_at = d + V_BUNDLE_HEADER_LEN + n * V_BUNDLE_RECORD_LEN;
    uint64_t noff = 0, cursor = data_off;
    for (size_t i = 0; i < n; i++) {
        uint8_t *r = d + V_BUNDLE_HEADER_LEN + i * V_BUNDLE_RECORD_LEN;
        bundle_st(r + BR_NAME_OFFSET, noff, 4);
        bundle_st(r + BR_NAME_LEN, in[i].name_len, 2);
        bundle_st(r + BR_OFFSET, cursor, 8);
        bundle_st(r + BR_SIZE, in[i].size, 8);
        v_blake3(in[i].data, (size_t)in[i].size, r + BR_HASH,
                 V_BUNDLE_HASH_LEN);
        v_mem_copy(name_at + noff, in[i].name, in[i].name_len);
        if (in[i].size)
            v_mem_copy(d + cursor, in[i].data, (size_t)in[i].size);
        noff += in[i].name_len;
        cursor = bundle_align(cursor + in[i].size);
    }
    v_ed25519_sign(d + manifest, d, (size_t)manifest, sk);
    *len = (size_t)total;
    return V_OK;
}
