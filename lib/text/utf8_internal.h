/* Shared inside lib/text only. */
#ifndef V_TEXT_UTF8_INTERNAL_H
#define V_TEXT_UTF8_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

/* Decodes one sequence from p[0..n), n >= 1. On error *used is the length
 * of the maximal ill-formed subpart (>= 1). */
v_status v_text_utf8_decode_one(const unsigned char *p, size_t n,
                                uint32_t *cp, size_t *used);

/* Byte-by-byte validation of p[start..n); start must begin a sequence. */
v_status v_text_utf8_validate_slow(const unsigned char *p, size_t n,
                                   size_t start, size_t *bad_offset);

#endif
