/* ed25519.c compiled a second time with its portable (limb-wise) table
 * selection, the form kernel builds (-mno-sse) use, under other names, so
 * that ed25519_test.c can compare it with the SSE2 form the library uses
 * here. Not a test file by itself. */
#define V_ED25519_PORTABLE 1
#define v_ed25519_keypair v_test_ed25519_keypair_portable
#define v_ed25519_sign v_test_ed25519_sign_portable
#define v_crypto_ge_frombytes v_test_ge_frombytes_portable
#define v_crypto_ge_tobytes v_test_ge_tobytes_portable

#include "../ed25519.c"
