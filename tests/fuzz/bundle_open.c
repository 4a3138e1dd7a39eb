/* Fuzz target for v_bundle_open. For any bytes: no crash, no read past
 * the input, and a failure always names a reason. A fuzzer cannot forge
 * Ed25519, so when the only fault is the signature the input is signed
 * again with the target's own key and opened once more: that is what
 * lets the record checks behind the signature be explored. When a
 * bundle opens, every entry is reachable by index and by name and its
 * hash check runs; the writer computes the same size for them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/bundle.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void explore(const uint8_t *d, size_t n, const uint8_t *pk)
{
    v_bundle b;
    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    if (v_bundle_open(&b, d, n, pk, &why) != V_OK) {
        check(why != V_BUNDLE_REASON_NONE && why < V_BUNDLE_REASON_COUNT);
        return;
    }
    check(why == V_BUNDLE_REASON_NONE && b.count <= V_BUNDLE_MAX_ENTRIES);
    v_bundle_input *in = calloc(b.count + 1, sizeof *in);
    check(in != NULL);
    for (uint32_t i = 0; i < b.count; i++) {
        v_bundle_entry e, f;
        check(v_bundle_entry_at(&b, i, &e) == V_OK);
        check(e.offset % V_BUNDLE_ALIGN == 0 && e.offset <= n &&
              e.size <= n - e.offset);
        check(v_bundle_find(&b, e.name, e.name_len, &f, NULL) == V_OK);
        check(f.offset == e.offset);
        v_status s = v_bundle_entry_verify(&e, &why);
        check(s == V_OK || why == V_BUNDLE_HASH_MISMATCH);
        in[i] = (v_bundle_input){e.name, e.name_len, e.data, e.size};
    }
    /* The writer accepts the same entries and lays them out in exactly
     * as many bytes (canonical layout). */
    uint64_t size;
    check(v_bundle_size(in, b.count, &size, NULL) == V_OK && size == n);
    free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t seed[V_ED25519_SEED_LEN] = {1};
    uint8_t pk[V_ED25519_PUBLIC_LEN], sk[V_ED25519_SECRET_LEN];
    v_ed25519_keypair(pk, sk, seed);
    explore(data, size, pk);

    /* Put the key id and a real signature in, then try again. */
    if (size < V_BUNDLE_HEADER_LEN)
        return 0;
    uint64_t m = 0;
    for (unsigned i = 8; i-- > 0;)
        m = (m << 8) | data[24 + i];
    if (m > size || size - m < V_ED25519_SIG_LEN)
        return 0;
    uint8_t *copy = malloc(size);
    check(copy != NULL);
    memcpy(copy, data, size);
    memcpy(copy + 48, pk, V_BUNDLE_KEY_ID_LEN);
    v_ed25519_sign(copy + m, copy, (size_t)m, sk);
    explore(copy, size, pk);
    free(copy);
    return 0;
}
