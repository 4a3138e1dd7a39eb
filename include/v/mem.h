/* v/mem.h — byte and C-string primitives every libv module uses.
 *
 * libv is freestanding, so it cannot call the C library. These are the few
 * memory routines it needs, under libv names. (The compiler may still emit
 * calls to memcpy/memset/memmove/memcmp on its own; lib/mem/rt.c supplies
 * them for freestanding links such as the kernel; hosted programs get
 * them from their C library.) */
#ifndef V_MEM_H
#define V_MEM_H

#include <stddef.h>
#include <stdbool.h>

void *v_mem_copy(void *restrict dst, const void *restrict src, size_t n);
void *v_mem_move(void *dst, const void *src, size_t n);
void *v_mem_set(void *dst, int byte, size_t n);
int v_mem_compare(const void *a, const void *b, size_t n);
bool v_mem_equal(const void *a, const void *b, size_t n);

/* Writes zeros the optimiser may not remove: for wiping secrets. */
void v_mem_wipe(void *dst, size_t n);

/* Length of a NUL-terminated string. */
size_t v_cstr_len(const char *s);
/* strcmp semantics (bytes compared as unsigned char). */
int v_cstr_compare(const char *a, const char *b);

#endif
