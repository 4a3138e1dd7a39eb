/* The formatter: a printf subset streamed to a sink.
 *
 * One engine (format_to) parses the format and emits pieces; v_fmt puts
 * those pieces into a bounded buffer and v_fmt_to hands them to the
 * caller's sink. Nothing is ever formatted into a buffer whose size depends
 * on the input: numbers go through a fixed digit buffer, padding through a
 * constant run of spaces or zeros, so no input can make this code write
 * more than it was given room for. Anything outside the supported subset
 * is an error, not a guess. */
#include <limits.h>
#include <stdarg.h>
#include <v/mem.h>
#include <v/text.h>

_Static_assert(sizeof(uintmax_t) <= 16, "digit buffer is sized for 128 bits");
_Static_assert(sizeof(size_t) == sizeof(ptrdiff_t), "%z/%t read each other");

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J,
              LEN_BIG_L };

typedef struct spec {
    bool minus, zero, plus, space, hash;
    int width;     /* 0 when absent */
    int prec;      /* -1 when absent */
    enum length len;
    char conv;
} spec;

static v_status emit(const v_fmt_sink *s, const char *p, size_t n)
{
    return n ? s->put(s->ctx, p, n) : V_OK;
}

static v_status emit_run(const v_fmt_sink *s, char c, size_t n)
{
    static const char spaces[32] = "                                ";
    static const char zeros[32] = "00000000000000000000000000000000";
    const char *run = c == '0' ? zeros : spaces;
    while (n > 0) {
        size_t k = n < sizeof spaces ? n : sizeof spaces;
        v_status st = emit(s, run, k);
        if (st != V_OK)
            return st;
        n -= k;
    }
    return V_OK;
}

/* Emits body[0..n) padded to the spec's width with spaces. */
static v_status emit_padded(const v_fmt_sink *s, const spec *sp,
                            const char *body, size_t n)
{
    size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;
    v_status st = V_OK;
    if (!sp->minus)
        st = emit_run(s, ' ', pad);
    if (st == V_OK)
        st = emit(s, body, n);
    if (st == V_OK && sp->minus)
        st = emit_run(s, ' ', pad);
    return st;
}

/* Parses a decimal width or precision; anything above `max` is refused
 * before it can overflow. */
static v_status parse_num(const char **f, int max, int *out)
{
    int v = 0;
    while (**f >= '0' && **f <= '9') {
        int d = **f - '0';
        if (v > (max - d) / 10)
            return V_ERR_INVALID_ARGS;
        v = v * 10 + d;
        (*f)++;
    }
    *out = v;
    return V_OK;
}

static v_status parse_spec(const char **fp, va_list *ap, spec *sp)
{
    const char *f = *fp;
    *sp = (spec){ .prec = -1 };
    for (;; f++) {
        if (*f == '-') sp->minus = true;
        else if (*f == '0') sp->zero = true;
        else if (*f == '+') sp->plus = true;
        else if (*f == ' ') sp->space = true;
        else if (*f == '#') sp->hash = true;
        else break;
    }
    if (*f == '*') {
        int w = va_arg(*ap, int);
        f++;
        if (w < 0) {
            sp->minus = true;
            if (w < -V_FMT_MAX_WIDTH)
                return V_ERR_INVALID_ARGS;
            w = -w;
        }
        if (w > V_FMT_MAX_WIDTH)
            return V_ERR_INVALID_ARGS;
        sp->width = w;
    } else if (parse_num(&f, V_FMT_MAX_WIDTH, &sp->width) != V_OK) {
        return V_ERR_INVALID_ARGS;
    }
    if (*f == '.') {
        f++;
        if (*f == '*') {
            int p = va_arg(*ap, int);
            f++;
            sp->prec = p < 0 ? -1 : p; /* negative: as if omitted (C) */
        } else if (parse_num(&f, INT_MAX, &sp->prec) != V_OK) {
            return V_ERR_INVALID_ARGS;
        }
    }
    switch (*f) {
    case 'h':
        f++;
        sp->len = LEN_H;
        if (*f == 'h') { f++; sp->len = LEN_HH; }
        break;
    case 'l':
        f++;
        sp->len = LEN_L;
        if (*f == 'l') { f++; sp->len = LEN_LL; }
        break;
    case 'z': f++; sp->len = LEN_Z; break;
    case 't': f++; sp->len = LEN_T; break;
    case 'j': f++; sp->len = LEN_J; break;
    case 'L': f++; sp->len = LEN_BIG_L; break;
    default: break;
    }
    sp->conv = *f;
    if (*f == '\0')
        return V_ERR_INVALID_ARGS; /* the format ended inside a spec */
    *fp = f + 1;
    return V_OK;
}

static intmax_t read_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return (ptrdiff_t)va_arg(*ap, size_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

static uintmax_t read_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Emits an integer: [pad][sign][prefix][zeros][digits][pad]. */
static v_status emit_int(const v_fmt_sink *s, const spec *sp, uintmax_t mag,
                         bool neg, bool is_signed)
{
    if (sp->prec > V_FMT_MAX_WIDTH)
        return V_ERR_INVALID_ARGS; /* it would be that many zeros */
    char digits[48];
    size_t nd = 0;
    unsigned base = sp->conv == 'o' ? 8 :
                    (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
                        ? 16 : 10;
    const char *set = sp->conv == 'X' ? "0123456789ABCDEF"
                                      : "0123456789abcdef";
    /* Precision 0 with value 0 prints no digits (C 7.21.6.1). */
    if (!(mag == 0 && sp->prec == 0)) {
        uintmax_t v = mag;
        do {
            digits[sizeof digits - 1 - nd++] = set[v % base];
            v /= base;
        } while (v);
    }
    char sign = 0;
    if (neg)
        sign = '-';
    else if (is_signed && sp->plus)
        sign = '+';
    else if (is_signed && sp->space)
        sign = ' ';
    const char *prefix = "";
    if (sp->conv == 'p' || (sp->hash && mag != 0 && base == 16))
        prefix = sp->conv == 'X' ? "0X" : "0x";
    size_t prefix_len = v_cstr_len(prefix);
    size_t zeros = sp->prec > 0 && (size_t)sp->prec > nd
                       ? (size_t)sp->prec - nd : 0;
    /* '#' with %o: the first digit must be 0. */
    if (sp->hash && base == 8 && zeros == 0 &&
        (nd == 0 || digits[sizeof digits - nd] != '0'))
        zeros = 1;
    size_t body = (sign != 0) + prefix_len + zeros + nd;
    size_t pad = (size_t)sp->width > body ? (size_t)sp->width - body : 0;
    /* '0' pads with zeros after the sign, unless '-' or a precision. */
    bool zero_pad = sp->zero && !sp->minus && sp->prec < 0 &&
                    sp->conv != 'p';
    if (zero_pad) {
        zeros += pad;
        pad = 0;
    }
    v_status st = V_OK;
    if (!sp->minus)
        st = emit_run(s, ' ', pad);
    if (st == V_OK && sign)
        st = emit(s, &sign, 1);
    if (st == V_OK)
        st = emit(s, prefix, prefix_len);
    if (st == V_OK)
        st = emit_run(s, '0', zeros);
    if (st == V_OK)
        st = emit(s, digits + sizeof digits - nd, nd);
    if (st == V_OK && sp->minus)
        st = emit_run(s, ' ', pad);
    return st;
}

static v_status emit_str(const v_fmt_sink *s, const spec *sp, const char *p)
{
    if (!p) {
        /* As glibc: "(null)", or nothing when a precision cannot fit it
         * (so an empty slice {NULL, 0} prints as empty). */
        p = sp->prec >= 0 && sp->prec < 6 ? "" : "(null)";
    }
    size_t n = 0;
    if (sp->prec >= 0) {
        /* Never read past the precision: the bytes need not end in NUL. */
        while (n < (size_t)sp->prec && p[n])
            n++;
    } else {
        n = v_cstr_len(p);
    }
    return emit_padded(s, sp, p, n);
}

static v_status format_one(const v_fmt_sink *s, const spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i': {
        if (sp->len == LEN_BIG_L)
            return V_ERR_INVALID_ARGS;
        intmax_t v = read_signed(ap, sp->len);
        uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
        return emit_int(s, sp, mag, v < 0, true);
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        if (sp->len == LEN_BIG_L)
            return V_ERR_INVALID_ARGS;
        return emit_int(s, sp, read_unsigned(ap, sp->len), false, false);
    case 'c': {
        if (sp->len == LEN_L)
            return V_ERR_NOT_SUPPORTED; /* wide characters */
        if (sp->len != LEN_NONE)
            return V_ERR_INVALID_ARGS;
        char c = (char)(unsigned char)va_arg(*ap, int);
        return emit_padded(s, sp, &c, 1);
    }
    case 's':
        if (sp->len == LEN_L)
            return V_ERR_NOT_SUPPORTED; /* wide strings */
        if (sp->len != LEN_NONE)
            return V_ERR_INVALID_ARGS;
        return emit_str(s, sp, va_arg(*ap, const char *));
    case 'p': {
        if (sp->len != LEN_NONE)
            return V_ERR_INVALID_ARGS;
        spec p = { .minus = sp->minus, .width = sp->width, .prec = -1,
                   .conv = 'p' };
        return emit_int(s, &p, (uintptr_t)va_arg(*ap, void *), false,
                        false);
    }
    case 'f': case 'F': case 'e': case 'E':
    case 'g': case 'G': case 'a': case 'A':
        /* Exact, correctly rounded float formatting is a project of its
         * own; until it exists, say so rather than print approximations. */
        return V_ERR_NOT_SUPPORTED;
    default:
        /* Unknown, %n (never: it writes through an argument), or a
         * "%%" with flags or width in between. */
        return V_ERR_INVALID_ARGS;
    }
}

static v_status format_to(const v_fmt_sink *s, const char *fmt, va_list *ap)
{
    const char *f = fmt;
    for (;;) {
        const char *q = f;
        while (*q && *q != '%')
            q++;
        v_status st = emit(s, f, (size_t)(q - f));
        if (st != V_OK || *q == '\0')
            return st;
        f = q + 1;
        if (*f == '%') {
            st = emit(s, "%", 1);
            if (st != V_OK)
                return st;
            f++;
            continue;
        }
        spec sp;
        st = parse_spec(&f, ap, &sp);
        if (st == V_OK)
            st = format_one(s, &sp, ap);
        if (st != V_OK)
            return st;
    }
}

v_status v_vfmt_to(const v_fmt_sink *sink, const char *fmt, va_list ap)
{
    if (!sink || !sink->put || !fmt)
        return V_ERR_INVALID_ARGS;
    va_list aq;
    va_copy(aq, ap);
    v_status st = format_to(sink, fmt, &aq);
    va_end(aq);
    return st;
}

v_status v_fmt_to(const v_fmt_sink *sink, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    v_status st = v_vfmt_to(sink, fmt, ap);
    va_end(ap);
    return st;
}

/* ---- into a bounded buffer ---- */

typedef struct buf_sink {
    char *buf;
    size_t room;  /* bytes of text that fit: cap - 1, or 0 */
    size_t total; /* bytes produced, saturating */
} buf_sink;

static v_status buf_put(void *ctx, const char *bytes, size_t len)
{
    buf_sink *b = ctx;
    if (b->total < b->room) {
        size_t k = b->room - b->total;
        if (k > len)
            k = len;
        v_mem_copy(b->buf + b->total, bytes, k);
    }
    b->total = len > SIZE_MAX - b->total ? SIZE_MAX : b->total + len;
    return V_OK;
}

v_status v_vfmt(char *buf, size_t cap, size_t *needed, const char *fmt,
                va_list ap)
{
    if ((!buf && cap) || !fmt)
        return V_ERR_INVALID_ARGS;
    buf_sink b = { buf, cap ? cap - 1 : 0, 0 };
    v_fmt_sink sink = { buf_put, &b };
    v_status st = v_vfmt_to(&sink, fmt, ap);
    if (needed)
        *needed = b.total;
    if (cap == 0)
        return st == V_OK ? V_ERR_TRUNCATED : st;
    if (b.total <= b.room) {
        buf[b.total] = '\0';
        return st;
    }
    /* Cut so that no multi-byte sequence is split by the truncation. */
    buf[v_utf8_boundary(buf, b.room)] = '\0';
    return st == V_OK ? V_ERR_TRUNCATED : st;
}

v_status v_fmt(char *buf, size_t cap, size_t *needed, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    v_status st = v_vfmt(buf, cap, needed, fmt, ap);
    va_end(ap);
    return st;
}
