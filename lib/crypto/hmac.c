/* HMAC-SHA-256/512 (RFC 2104) and HKDF over both (RFC 5869): one template,
 * hmac_hkdf.inc, instantiated per hash. */
#include <v/crypto.h>
#include <v/mem.h>

#define HASH sha256
#define HASHU SHA256
#include "hmac_hkdf.inc"
#undef HASH
#undef HASHU

#define HASH sha512
#define HASHU SHA512
#include "hmac_hkdf.inc"
#undef HASH
#undef HASHU
