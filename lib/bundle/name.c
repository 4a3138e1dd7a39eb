/* Entry names, reason texts, key ids: the small pieces both the reader
 * and the writer need. */
#include <v/bundle.h>
#include <v/mem.h>
#include <v/path.h>
#include "format.h"

/* A name is a small relative path in canonical text: it is what a
 * package installer would join under a directory, so it must never
 * climb out ("..") or carry ambiguous spellings ("a//b", "./a"). */
v_status v_bundle_check_name(const char *name, size_t len)
{
    if (len == 0 || len > V_BUNDLE_MAX_NAME)
        return V_ERR_MALFORMED;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/')
            continue;
        if (i == start)
            return V_ERR_MALFORMED; /* empty component */
        if (v_path_check_component(name + start, i - start) != V_OK)
            return V_ERR_MALFORMED;
        start = i + 1;
    }
    return V_OK;
}

int bundle_name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int c = v_mem_compare(a, b, n);
    if (c != 0)
        return c;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

void v_bundle_key_id(uint8_t id[V_BUNDLE_KEY_ID_LEN],
                     const uint8_t pk[V_ED25519_PUBLIC_LEN])
{
    v_mem_copy(id, pk, V_BUNDLE_KEY_ID_LEN);
}

const char *v_bundle_reason_text(v_bundle_reason r)
{
    static const char *const text[V_BUNDLE_REASON_COUNT] = {
        [V_BUNDLE_REASON_NONE] = "no error",
        [V_BUNDLE_TRUNCATED] = "bundle is truncated: shorter than its header says",
        [V_BUNDLE_TRAILING] = "bundle has trailing bytes past its declared size",
        [V_BUNDLE_BAD_MAGIC] = "not a bundle: bad magic",
        [V_BUNDLE_BAD_VERSION] = "unsupported bundle version",
        [V_BUNDLE_BAD_RESERVED] = "a reserved field or flag is not zero",
        [V_BUNDLE_TOO_MANY_ENTRIES] = "too many entries",
        [V_BUNDLE_BAD_LAYOUT] = "manifest size or data offset disagrees with the layout",
        [V_BUNDLE_TOO_LARGE] = "bundle exceeds the size limit",
        [V_BUNDLE_WRONG_KEY] = "bundle is signed by another key",
        [V_BUNDLE_BAD_SIGNATURE] = "BAD signature: the manifest or signature was altered",
        [V_BUNDLE_BAD_NAME] = "entry name is empty, too long or not a clean relative path",
        [V_BUNDLE_NAME_ORDER] = "entry names are not in ascending order",
        [V_BUNDLE_DUPLICATE_NAME] = "two entries have the same name",
        [V_BUNDLE_BAD_NAME_TABLE] = "name table is not packed in record order",
        [V_BUNDLE_BAD_OFFSET] = "entry is not at its canonical offset",
        [V_BUNDLE_OUT_OF_RANGE] = "entry runs past the end of the bundle",
        [V_BUNDLE_BAD_PADDING] = "a padding byte is not zero",
        [V_BUNDLE_HASH_MISMATCH] = "entry data does not match its signed hash",
        [V_BUNDLE_NO_SPACE] = "output buffer too small for the bundle",
        [V_BUNDLE_NOT_FOUND] = "no entry has that name",
    };
    if ((unsigned)r >= V_BUNDLE_REASON_COUNT)
        return "unknown reason";
    return text[r];
}
