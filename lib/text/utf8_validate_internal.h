/* The two UTF-8 validators behind v_utf8_validate, shared inside lib/text
 * (and with its tests, which check each against the other). */
#ifndef V_TEXT_UTF8_VALIDATE_INTERNAL_H
#define V_TEXT_UTF8_VALIDATE_INTERNAL_H

#include <stddef.h>
#include <v/status.h>

/* SSE2 when the compiler targets it; the kernel (-mno-sse) does not. */
#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__))
#define V_TEXT_UTF8_SSE2 1
#else
#define V_TEXT_UTF8_SSE2 0
#endif

/* Both have v_utf8_validate's contract (v/text.h). */
v_status v_text_utf8_validate_scalar(const unsigned char *p, size_t len,
                                     size_t *bad_offset);
#if V_TEXT_UTF8_SSE2
v_status v_text_utf8_validate_sse2(const unsigned char *p, size_t len,
                                   size_t *bad_offset);
#endif

#endif
