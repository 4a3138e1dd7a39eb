/* The kernel's printf. It formats into small stack buffers and hands
 * pieces to a sink, so it needs no heap and works in a crash handler. */
#include <k/fmt.h>
#include <stdbool.h>
#include <stdint.h>
#include <v/mem.h>

typedef struct spec {
    bool left;
    bool zero;
    unsigned width;
} spec;

static void pad(kfmt_sink sink, void *ctx, char c, size_t n)
{
    char buf[16];
    v_mem_set(buf, c, sizeof buf);
    while (n) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        sink(ctx, buf, k);
        n -= k;
    }
}

/* Emits s (n bytes) inside the field width; zero padding goes after a
 * leading '-' so that "-0042" comes out right. */
static void field(kfmt_sink sink, void *ctx, const spec *sp, const char *s,
                  size_t n)
{
    size_t fill = sp->width > n ? sp->width - n : 0;
    if (sp->left) {
        sink(ctx, s, n);
        pad(sink, ctx, ' ', fill);
    } else if (sp->zero) {
        if (n && s[0] == '-') {
            sink(ctx, s, 1);
            s++;
            n--;
        }
        pad(sink, ctx, '0', fill);
        sink(ctx, s, n);
    } else {
        pad(sink, ctx, ' ', fill);
        sink(ctx, s, n);
    }
}

static size_t utoa(char *end, uint64_t x, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[x % base];
        x /= base;
    } while (x);
    return (size_t)(end - p);
}

static void number(kfmt_sink sink, void *ctx, const spec *sp, uint64_t x,
                   bool negative, unsigned base, bool upper)
{
    char buf[24];
    char *end = buf + sizeof buf;
    size_t n = utoa(end, x, base, upper);
    if (negative) {
        n++;
        end[-(long)n] = '-';
    }
    field(sink, ctx, sp, end - n, n);
}

void kfmt_v(kfmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
    const char *p = fmt;
    while (*p) {
        const char *start = p;
        while (*p && *p != '%')
            p++;
        if (p > start)
            sink(ctx, start, (size_t)(p - start));
        if (!*p)
            break;
        const char *conv = p++;
        spec sp = {false, false, 0};
        for (;; p++) {
            if (*p == '-')
                sp.left = true;
            else if (*p == '0')
                sp.zero = true;
            else
                break;
        }
        while (*p >= '0' && *p <= '9' && sp.width < 1000)
            sp.width = sp.width * 10 + (unsigned)(*p++ - '0');
        int longs = 0;
        bool size = false;
        while (*p == 'l' && longs < 2) {
            longs++;
            p++;
        }
        if (!longs && *p == 'z') {
            size = true;
            p++;
        }
        bool wide = longs || size;
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            number(sink, ctx, &sp, mag, v < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            number(sink, ctx, &sp, v, false, *p == 'u' ? 10 : 16, *p == 'X');
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            spec hex = {false, true, 16};
            sink(ctx, "0x", 2);
            number(sink, ctx, &hex, v, false, 16, false);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            field(sink, ctx, &sp, s, v_cstr_len(s));
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            field(sink, ctx, &sp, &c, 1);
            break;
        }
        case '%':
            sink(ctx, "%", 1);
            break;
        default:
            /* Unknown conversion: show it as written. */
            if (!*p) {
                sink(ctx, conv, (size_t)(p - conv));
                return;
            }
            sink(ctx, conv, (size_t)(p + 1 - conv));
            break;
        }
        p++;
    }
}

typedef struct bufsink {
    char *buf;
    size_t cap;
    size_t len;
} bufsink;

static void to_buf(void *ctx, const char *s, size_t n)
{
    bufsink *b = ctx;
    if (b->cap && b->len < b->cap - 1) {
        size_t room = b->cap - 1 - b->len;
        v_mem_copy(b->buf + b->len, s, n < room ? n : room);
    }
    b->len += n;
}

size_t ksnprintf(char *buf, size_t cap, const char *fmt, ...)
{
    bufsink b = {buf, cap, 0};
    va_list ap;
    va_start(ap, fmt);
    kfmt_v(to_buf, &b, fmt, ap);
    va_end(ap);
    if (cap)
        buf[b.len < cap ? b.len : cap - 1] = '\0';
    return b.len;
}
