/* The exact (slow) shortest-double method, the reference the tests hold
 * f64_shortest.c to. Test code only. */
#ifndef V_ENCODING_F64_EXACT_REF_H
#define V_ENCODING_F64_EXACT_REF_H

#include <stdbool.h>
#include <stdint.h>

/* As v_enc_f64_shortest (digits without trailing zeros, times 10^e10);
 * false only if a big integer overflowed, which doubles never cause. */
bool f64_exact_ref(uint64_t bits, uint64_t *digits, int *e10);

#endif
