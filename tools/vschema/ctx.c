/* ctx.c — vschema's memory (blocks freed together) and error reporting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vschema.h"

struct vs_block {
    vs_block *next;
    max_align_t data[];
};

const char *const vs_handle_kinds[] = {
    "task", "region", "ring_tx", "ring_rx", "timer", NULL};
/* The order of include/vx/types.h VX_RIGHT_*: bit i is vs_rights[i]. */
const char *const vs_rights[] = {
    "read", "write", "map", "exec", "send", "recv", "signal", "wait",
    "manage", "duplicate", "transfer", NULL};

void vs_ctx_init(vs_ctx *c, vs_read_fn read, void *read_ctx)
{
    memset(c, 0, sizeof *c);
    c->read = read;
    c->read_ctx = read_ctx;
}

void vs_ctx_free(vs_ctx *c)
{
    vs_block *b = c->blocks;
    while (b) {
        vs_block *next = b->next;
        free(b);
        b = next;
    }
    c->blocks = NULL;
}

/* One malloc per allocation keeps ASan precise; compilation is small. */
void *vs_alloc(vs_ctx *c, size_t size)
{
    vs_block *b = calloc(1, sizeof *b + size);
    if (!b) {
        vs_pos none = {"vschema", 0, 0};
        vs_fail(c, none, "out of memory");
    }
    b->next = c->blocks;
    c->blocks = b;
    return b->data;
}

char *vs_strndup(vs_ctx *c, const char *s, size_t n)
{
    char *r = vs_alloc(c, n + 1);
    memcpy(r, s, n);
    return r;
}

char *vs_printf(vs_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *r = vs_alloc(c, (size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(r, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return r;
}

_Noreturn void vs_fail(vs_ctx *c, vs_pos pos, const char *fmt, ...)
{
    int n;
    if (pos.line)
        n = snprintf(c->error, sizeof c->error, "%s:%u:%u: ", pos.file,
                     (unsigned)pos.line, (unsigned)pos.col);
    else
        n = snprintf(c->error, sizeof c->error, "%s: ", pos.file);
    if (n < 0 || (size_t)n >= sizeof c->error)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error + n, sizeof c->error - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(*c->on_error, 1);
}

int vs_read_file(void *ctx, const char *path, char **data, size_t *len)
{
    (void)ctx;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}
