/* Fuzz target for v_ed25519_verify. Input: signature (64) || public key
 * (32) || message. For any bytes: no crash, the verdict is V_OK or
 * V_ERR_MALFORMED. And as a property (for public keys whose last byte has
 * low nibble 0): a key derived from those 32 bytes signs the message, that signature verifies, and the fuzzed
 * signature verifies under that key only if it equals the real one: other
 * valid signatures exist, but producing one without the secret key would
 * be a forgery, so a fuzzer finding one has found a bug. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 96)
        return 0;
    const uint8_t *sig = data, *pk = data + 64, *msg = data + 96;
    size_t n = size - 96;
    v_status st = v_ed25519_verify(sig, msg, n, pk);
    check(st == V_OK || st == V_ERR_MALFORMED);

    /* Signing is slow under the sanitizers: check the property on one
     * input in 16 (chosen by the input, so the fuzzer can steer there). */
    if ((pk[31] & 15) != 0)
        return 0;
    uint8_t mypk[32], sk[64], mysig[64];
    v_ed25519_keypair(mypk, sk, data + 64);
    v_ed25519_sign(mysig, msg, n, sk);
    check(v_ed25519_verify(mysig, msg, n, mypk) == V_OK);
    st = v_ed25519_verify(sig, msg, n, mypk);
    check((st == V_OK) == v_mem_equal(sig, mysig, 64));
    return 0;
}
