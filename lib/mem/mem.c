/* Portable byte routines. Copying goes by words (it is on every hot path:
 * buffers, encoders, strings); the rest are byte loops, small and exact. */
#include <v/mem.h>
#include <stdint.h>

/* Whole 8-byte words, the last word overlapping the one before it, so a
 * copy of n bytes takes about n/8 moves and no byte loop. The fixed-size
 * __builtin_memcpy calls compile to single unaligned loads and stores; they
 * never become library calls, which matters because lib/mem/rt.c's memcpy
 * is built on this function. */
void *v_mem_copy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n >= 8) {
        for (size_t i = 0; n - i > 8; i += 8)
            __builtin_memcpy(d + i, s + i, 8);
        __builtin_memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        __builtin_memcpy(d, s, 4);
        __builtin_memcpy(d + n - 4, s + n - 4, 4);
    } else if (n) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
    return dst;
}

void *v_mem_move(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    /* Compare as integers: relational comparison of unrelated pointers is
     * undefined in C. */
    if ((uintptr_t)d < (uintptr_t)s) {
        while (n--)
            *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n--)
            *--d = *--s;
    }
    return dst;
}

void *v_mem_set(void *dst, int byte, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)byte;
    return dst;
}

int v_mem_compare(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

bool v_mem_equal(const void *a, const void *b, size_t n)
{
    return v_mem_compare(a, b, n) == 0;
}

void v_mem_wipe(void *dst, size_t n)
{
    volatile unsigned char *d = dst;
    while (n--)
        *d++ = 0;
    /* Keeps the stores from being sunk past later reads of the memory. */
    __asm__ __volatile__("" : : "r"(dst) : "memory");
}

size_t v_cstr_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int v_cstr_compare(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}
