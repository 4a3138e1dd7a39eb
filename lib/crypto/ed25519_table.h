/* lib/crypto/ed25519_table.h — precomputed multiples of the Ed25519 base
 * point, for fixed-base scalar multiplication. Private. */
#ifndef V_CRYPTO_ED25519_TABLE_H
#define V_CRYPTO_ED25519_TABLE_H

#include "fe25519.h"

#define v_ed25519_base v_crypto_ed25519_base

/* An affine point as (y + x, y - x, 2 d x y): what mixed addition needs. */
typedef struct ge_niels {
    fe ypx, ymx, xy2d;
} ge_niels;

extern const ge_niels v_ed25519_base[32][8];

#endif
