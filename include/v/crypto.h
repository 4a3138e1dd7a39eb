/* v/crypto.h — libv's cryptography: the trust primitives every Task and
 * the kernel share. Freestanding, no allocation (except Argon2id, which
 * takes a v_alloc), constant time where secrets are involved, secrets
 * wiped after use. docs/crypto.md says how each property is upheld and
 * what is out of scope.
 *
 * The module is split into a few sub-headers by primitive family; include
 * this one. */
#ifndef V_CRYPTO_H
#define V_CRYPTO_H

#include <v/crypto_sha2.h>
#include <v/crypto_blake3.h>
#include <v/crypto_chacha.h>
#include <v/crypto_25519.h>
#include <v/crypto_argon2.h>

#endif
