/* Fixed-size unsigned big integers for exact decimal-to-binary
 * conversion (json_float.c). Internal to the encoding module.
 *
 * Fixed capacity instead of an allocator: the conversion bounds every
 * operand (see json_float.c), so 4096 bits always suffice; an operation
 * that would exceed them reports it rather than truncating. */
#ifndef V_ENCODING_BIGINT_H
#define V_ENCODING_BIGINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define V_ENC_BIG_LIMBS 128 /* 32-bit limbs: 4096 bits */

typedef struct v_enc_big {
    uint32_t w[V_ENC_BIG_LIMBS]; /* little-endian limbs */
    size_t n;                    /* limbs in use; w[n-1] != 0 unless n==0 */
} v_enc_big;

void v_enc_big_set(v_enc_big *x, uint32_t v);
/* x = x * m + a. false if the result does not fit. */
bool v_enc_big_mul_add(v_enc_big *x, uint32_t m, uint32_t a);
/* x = x * 10^e (e >= 0). */
bool v_enc_big_mul_pow10(v_enc_big *x, uint32_t e);
/* x = x << s. */
bool v_enc_big_shl(v_enc_big *x, size_t s);
/* x = x >> 1. */
void v_enc_big_shr1(v_enc_big *x);
/* <0, 0, >0 as a < b, a == b, a > b. */
int v_enc_big_cmp(const v_enc_big *a, const v_enc_big *b);
/* a = a - b; requires a >= b. */
void v_enc_big_sub(v_enc_big *a, const v_enc_big *b);
/* Number of significant bits (0 for zero). */
size_t v_enc_big_bits(const v_enc_big *x);

#endif
