/* The shortest decimal that reads back as a given double (internal to
 * the encoding module; f64_shortest.c). */
#ifndef V_ENCODING_F64_SHORTEST_H
#define V_ENCODING_F64_SHORTEST_H

#include <stdint.h>

#define V_ENC_POW5_COUNT 326
#define V_ENC_POW5_INV_COUNT 292

/* 128-bit powers of five and their inverses, {low, high} halves
 * (f64_pow5_table.c, made by gen_pow5_table.py). */
extern const uint64_t v_enc_pow5[V_ENC_POW5_COUNT][2];
extern const uint64_t v_enc_pow5_inv[V_ENC_POW5_INV_COUNT][2];

/* For the bits of a finite, positive, non-zero double: *digits (no
 * trailing zeros) and *e10 with digits * 10^e10 the shortest decimal
 * that rounds back to the double; among equally short ones the nearest
 * to it, and of two equally near the one with an even last digit. */
void v_enc_f64_shortest(uint64_t bits, uint64_t *digits, int *e10);

#endif
