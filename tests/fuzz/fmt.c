/* Fuzz: the formatter, driven by a small program read from the input.
 *
 * Fuzz bytes never become a format string with mismatched arguments. Each
 * step picks, from the input, a conversion from a fixed menu, its flags,
 * width, precision and length modifier, an argument of exactly the type
 * that spec reads, and literal text around it (with '%' removed). Then:
 *  - the full output matches the host C library's snprintf for the same
 *    spec and argument (for conversions both define the same way);
 *  - v_fmt_to through a sink produces the same bytes;
 *  - into a buffer of exactly `cap` bytes (heap, so ASan sees overruns),
 *    the result is TRUNCATED iff it did not fit, and is then the longest
 *    prefix that fits cut back to a UTF-8 boundary. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v/text.h>

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t take(input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static uint64_t take64(input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | take(in);
    return v;
}

/* The argument, typed by the spec's conversion and length. */
typedef enum { A_INT, A_LONG, A_LLONG, A_SIZE, A_PTRDIFF, A_INTMAX,
               A_STR, A_PTR } arg_kind;

typedef struct collect {
    char buf[16384];
    size_t len;
} collect;

static v_status collect_put(void *ctx, const char *bytes, size_t len)
{
    collect *c = ctx;
    if (len == 0 || len > sizeof c->buf - c->len)
        abort(); /* never empty; never more than the whole output */
    memcpy(c->buf + c->len, bytes, len);
    c->len += len;
    return V_OK;
}

/* Calls f(...) with the spec's arguments in the one right shape. */
#define CALL_WITH_ARGS(call, ...)                                           \
    do {                                                                    \
        if (star)                                                           \
            switch (kind) {                                                 \
            case A_INT: call(__VA_ARGS__, w, pr, (int)v); break;            \
            case A_LONG: call(__VA_ARGS__, w, pr, (long)v); break;          \
            case A_LLONG: call(__VA_ARGS__, w, pr, (long long)v); break;    \
            case A_SIZE: call(__VA_ARGS__, w, pr, (size_t)v); break;        \
            case A_PTRDIFF: call(__VA_ARGS__, w, pr, (ptrdiff_t)v); break;  \
            case A_INTMAX: call(__VA_ARGS__, w, pr, (intmax_t)v); break;    \
            case A_STR: call(__VA_ARGS__, w, pr, str); break;               \
            case A_PTR: call(__VA_ARGS__, w, pr, (void *)(uintptr_t)v); break; \
            }                                                               \
        else                                                                \
            switch (kind) {                                                 \
            case A_INT: call(__VA_ARGS__, (int)v); break;                   \
            case A_LONG: call(__VA_ARGS__, (long)v); break;                 \
            case A_LLONG: call(__VA_ARGS__, (long long)v); break;           \
            case A_SIZE: call(__VA_ARGS__, (size_t)v); break;               \
            case A_PTRDIFF: call(__VA_ARGS__, (ptrdiff_t)v); break;         \
            case A_INTMAX: call(__VA_ARGS__, (intmax_t)v); break;           \
            case A_STR: call(__VA_ARGS__, str); break;                      \
            case A_PTR: call(__VA_ARGS__, (void *)(uintptr_t)v); break;     \
            }                                                               \
    } while (0)

static v_status st_out;
static int libc_out;
#define DO_VFMT(...) (st_out = v_fmt(__VA_ARGS__))
#define DO_SINK(...) (st_out = v_fmt_to(__VA_ARGS__))
#define DO_LIBC(...) (libc_out = snprintf(__VA_ARGS__))

static void one_step(input *in)
{
    static const char convs[] = "diuxXocsp";
    char conv = convs[take(in) % 9];
    uint8_t fl = take(in);
    uint8_t shape = take(in);
    bool star = shape & 1;
    char f[96];
    size_t k = 0;
    /* Literal text before, from the input, without '%' or NUL. */
    for (uint8_t n = take(in) % 8; n > 0; n--) {
        uint8_t c = take(in);
        f[k++] = (char)(c == '%' || c == 0 ? '.' : c);
    }
    f[k++] = '%';
    for (int i = 0; i < 5; i++)
        if (fl & (1u << i))
            f[k++] = "-0+ #"[i];
    int w = (int)(take(in) % 80) - 20; /* negative: '-' via '*' */
    int pr = (int)(take(in) % 70) - 10; /* negative: no precision */
    if (star) {
        f[k++] = '*';
        f[k++] = '.';
        f[k++] = '*';
    } else {
        if (w > 0)
            k += (size_t)snprintf(f + k, 8, "%d", w);
        if (pr >= 0)
            k += (size_t)snprintf(f + k, 8, ".%d", pr);
    }
    arg_kind kind = A_INT;
    if (conv == 's') {
        kind = A_STR;
    } else if (conv == 'p') {
        kind = A_PTR;
    } else if (conv != 'c') {
        static const char *const lens[] = { "", "hh", "h", "l", "ll", "z",
                                            "t", "j" };
        static const arg_kind kinds[] = { A_INT, A_INT, A_INT, A_LONG,
                                          A_LLONG, A_SIZE, A_PTRDIFF,
                                          A_INTMAX };
        uint8_t l = (shape >> 1) % 8;
        for (const char *s = lens[l]; *s; s++)
            f[k++] = *s;
        kind = kinds[l];
    }
    f[k++] = conv;
    for (uint8_t n = take(in) % 8; n > 0; n--) {
        uint8_t c = take(in);
        f[k++] = (char)(c == '%' || c == 0 ? '.' : c);
    }
    f[k] = 0;
    uint64_t v = take64(in);
    if (conv == 'c' && (uint8_t)v == 0)
        v |= 1; /* a NUL byte in the output would hide from strlen */
    /* A string argument: NUL-terminated, from the input. */
    char str[64];
    size_t sl = take(in) % sizeof str;
    for (size_t i = 0; i < sl; i++) {
        uint8_t c = take(in);
        str[i] = (char)(c ? c : 'z');
    }
    str[sl] = 0;
    uint16_t cap = (uint16_t)(take(in) << 8 | take(in));

    static char full[16384];
    size_t need = 0;
    CALL_WITH_ARGS(DO_VFMT, full, sizeof full, &need, f);
    if (st_out != V_OK || need >= sizeof full || strlen(full) != need)
        abort();

    /* Against libc, where both define the same output: %p differs by
     * design, and '0' with %c/%s is undefined in C. */
    if (conv != 'p') {
        static char want[16384];
        CALL_WITH_ARGS(DO_LIBC, want, sizeof want, f);
        if (libc_out < 0 || (size_t)libc_out != need || strcmp(want, full))
            abort();
    }

    static collect c;
    c.len = 0;
    v_fmt_sink sink = { collect_put, &c };
    CALL_WITH_ARGS(DO_SINK, &sink, f);
    if (st_out != V_OK || c.len != need || memcmp(c.buf, full, need))
        abort();

    size_t cp = cap % (need + 2);
    char *buf = cp ? malloc(cp) : NULL;
    size_t need2 = 0;
    CALL_WITH_ARGS(DO_VFMT, buf, cp, &need2, f);
    if (need2 != need)
        abort();
    if (need < cp) {
        if (st_out != V_OK || strcmp(buf, full))
            abort();
    } else {
        if (st_out != V_ERR_TRUNCATED)
            abort();
        if (cp) {
            size_t got = strlen(buf);
            if (got != v_utf8_boundary(full, cp - 1) || got + 3 < cp - 1 ||
                memcmp(buf, full, got))
                abort();
        }
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = { data, size };
    for (int steps = 0; steps < 8 && in.n > 0; steps++)
        one_step(&in);
    return 0;
}
