/* Reading a bundle, the authenticating half: v_bundle_open runs the
 * checks of docs/bundle.md "Verifying" in that order. Header bounds come
 * first so nothing past the buffer is read; the signature comes before
 * the records so no unauthenticated record is ever interpreted; entry
 * hashes are checked on demand because an entry may be large and only
 * some are needed. The structural checks are shared with
 * v_bundle_inspect (open.c). */
#include <v/bundle.h>
#include <v/crypto_blake3.h>
#include <v/mem.h>
#include "format.h"

/* Key id, then the signature over the exact manifest bytes. The header
 * has been checked, so manifest and signature lie inside d. */
static v_status check_signature(const uint8_t *d, const uint8_t *trusted,
                                v_bundle_reason *why)
{
    uint64_t manifest = bundle_ld(d + BH_MANIFEST_SIZE, 8);
    /* The key id is unsigned-for-trust (it is inside the signed bytes,
     * but a forger chooses it); it only turns "bad signature" into the
     * more useful "signed by another key". */
    if (!v_mem_equal(d + BH_KEY_ID, trusted, V_BUNDLE_KEY_ID_LEN))
        return bundle_fail(why, V_BUNDLE_WRONG_KEY, V_ERR_ACCESS_DENIED);
    if (v_ed25519_verify(d + manifest, d, (size_t)manifest, trusted) != V_OK)
        return bundle_fail(why, V_BUNDLE_BAD_SIGNATURE, V_ERR_ACCESS_DENIED);
    return V_OK;
}

v_status v_bundle_open(v_bundle *b, const void *data, size_t len,
                       const uint8_t trusted[V_ED25519_PUBLIC_LEN],
                       v_bundle_reason *why)
{
    if (why)
        *why = V_BUNDLE_REASON_NONE;
    if (!b || !trusted || (!data && len))
        return V_ERR_INVALID_ARGS;
    const uint8_t *d = data;
    v_status s = bundle_check_header(d, len, why);
    if (s == V_OK)
        s = check_signature(d, trusted, why);
    if (s == V_OK)
        s = bundle_check_records(d, why);
    if (s != V_OK)
        return s;
    bundle_fill(b, d, len);
    return V_OK;
}

v_status v_bundle_entry_verify(const v_bundle_entry *e, v_bundle_reason *why)
{
    if (why)
        *why = V_BUNDLE_REASON_NONE;
    if (!e)
        return V_ERR_INVALID_ARGS;
    uint8_t h[V_BUNDLE_HASH_LEN];
    v_blake3(e->data, (size_t)e->size, h, sizeof h);
    if (!v_mem_equal(h, e->hash, sizeof h))
        return bundle_fail(why, V_BUNDLE_HASH_MISMATCH, V_ERR_ACCESS_DENIED);
    return V_OK;
}
