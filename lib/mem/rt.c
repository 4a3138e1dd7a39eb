/* The four routines a freestanding C compiler may call on its own (for
 * struct copies and loops it recognises). Linked only into freestanding
 * images — the kernel and the libv link check — never into hosted
 * programs, whose C library provides faster ones that sanitizers know. */
#include <v/mem.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int byte, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    return v_mem_copy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
    return v_mem_move(dst, src, n);
}

void *memset(void *dst, int byte, size_t n)
{
    return v_mem_set(dst, byte, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
    return v_mem_compare(a, b, n);
}
