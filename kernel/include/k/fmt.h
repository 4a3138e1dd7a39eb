/* The kernel's printf: a subset exact enough for logs and crash reports.
 * Conversions: %d %i %u %x %X %p %s %c %%, length modifiers l ll z,
 * flags '-' and '0', a decimal field width. Anything else is printed
 * literally, so a bad format shows up in the log instead of crashing. */
#ifndef K_FMT_H
#define K_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*kfmt_sink)(void *ctx, const char *s, size_t n);

void kfmt_v(kfmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when cap > 0 and returns the
 * length the whole output would have had. */
size_t ksnprintf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
