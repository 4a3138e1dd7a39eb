/* The conformance suite (tests/conformance/) as a native user Task: the
 * same sources as the hosted runs, linked with vx_native.c. Output goes
 * to the kernel log a line at a time through the debug-write call; the
 * exit code is 0 when every test passed. */
#include "usys.h"

#include <v/test.h>

int umain(uint64_t arg);

typedef struct line_buf {
    char b[SYS_DEBUG_WRITE_MAX];
    size_t n;
} line_buf;

static void flush(line_buf *l)
{
    (void)udebug(l->b, l->n);
    l->n = 0;
}

static void write_log(void *ctx, const char *bytes, size_t len)
{
    line_buf *l = ctx;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\n') {
            flush(l);
            continue;
        }
        if (l->n == sizeof l->b)
            flush(l);
        l->b[l->n++] = bytes[i];
    }
}

int umain(uint64_t arg)
{
    (void)arg;
    static line_buf l;
    v_test_options o = {{write_log, &l}, NULL, 0, false, "conformance(native)"};
    bool ok = v_test_run(&o, NULL);
    if (l.n)
        flush(&l);
    return ok ? 0 : 1;
}
