/* convert.c — `vcodec convert`: a value of a schema named at run time,
 * from one encoding to another (docs/tools.md). The schema is compiled
 * with vschema's own front end (vs_compile) and the value goes through
 * its interpreter (tools/vschema/value.h), which follows the same wire
 * rules as the generated codecs. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vschema/value.h"
#include "vcodec.h"

/* Input bound. Decoding builds a tree of 32-byte values, up to one per
 * input byte (a list of bools in binary), so this also bounds memory:
 * at most about half a GiB. */
#define CONVERT_MAX_INPUT (16u * 1024u * 1024u)
#define OUT_STAGE (64u * 1024u)

/* The decoder's allocator: malloc, for a short-lived tool. */
static v_status heap_alloc(v_alloc *self, size_t size, size_t align,
                           void **out)
{
    (void)self;
    if (align > _Alignof(max_align_t))
        return V_ERR_INVALID_ARGS;
    *out = malloc(size);
    return *out ? V_OK : V_ERR_NO_MEMORY;
}

static v_status heap_resize(v_alloc *self, void *ptr, size_t old_size,
                            size_t new_size, size_t align, void **out)
{
    (void)self;
    (void)old_size;
    if (align > _Alignof(max_align_t))
        return V_ERR_INVALID_ARGS;
    void *p = realloc(ptr, new_size);
    if (!p)
        return V_ERR_NO_MEMORY;
    *out = p;
    return V_OK;
}

static void heap_free(v_alloc *self, void *ptr, size_t size)
{
    (void)self;
    (void)size;
    free(ptr);
}

static const v_alloc_ops heap_ops = {heap_alloc, heap_resize, heap_free};

static vs_format format_of(const char *name)
{
    return strcmp(name, "json") == 0      ? VS_FORMAT_JSON
           : strcmp(name, "msgpack") == 0 ? VS_FORMAT_MSGPACK
                                          : VS_FORMAT_BINARY;
}

/* "NAME: offset N: reason", and for JSON also where that is in lines
 * and columns (bytes from 1, as check reports them). */
static void report(const char *name, vs_format f, const uint8_t *in,
                   size_t len, const vs_value_error *e)
{
    fprintf(stderr, "vcodec: %s: offset %zu: %s", vcodec_display_name(name),
            e->offset, e->reason);
    if (f == VS_FORMAT_JSON) {
        size_t line = 1, col = 1;
        for (size_t i = 0; i < e->offset && i < len; i++) {
            if (in[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        fprintf(stderr, " (line %zu, column %zu)", line, col);
    }
    fputc('\n', stderr);
}

/* Writes v in format f to stdout: 0, 1 (the value has no form there: an
 * infinity in JSON) or 2 (output failed). */
static int write_value(const vs_decl *d, vs_format f, const vs_value *v,
                       const char *name)
{
    vs_value_error e;
    size_t len = 0;
    v_status s;
    if (f == VS_FORMAT_BINARY) {
        s = vs_value_encode(d, f, v, NULL, 0, NULL, &len, &e);
        uint8_t *buf = s == V_OK ? malloc(len ? len : 1) : NULL;
        if (s == V_OK && !buf) {
            fputs("vcodec: out of memory\n", stderr);
            return 2;
        }
        if (s == V_OK)
            s = vs_value_encode(d, f, v, buf, len, NULL, &len, &e);
        if (s == V_OK && fwrite(buf, 1, len, stdout) != len)
            s = V_ERR_IO;
        free(buf);
    } else {
        static uint8_t stage[OUT_STAGE];
        v_writer sink = {.write = vcodec_stdout_write};
        s = vs_value_encode(d, f, v, stage, sizeof stage, &sink, &len, &e);
    }
    if (s == V_OK && fflush(stdout) != 0)
        s = V_ERR_IO;
    if (s == V_ERR_IO) {
        fprintf(stderr, "vcodec: writing the output: %s\n",
                strerror(errno ? errno : EIO));
        return 2;
    }
    if (s != V_OK) {
        fprintf(stderr, "vcodec: %s: the value cannot be written: %s\n",
                vcodec_display_name(name), e.reason);
        return 1;
    }
    return 0;
}

int vcodec_convert(const vcodec_convert_args *args)
{
    vs_ctx c;
    vs_schema *schema;
    const vs_decl *d;
    vs_format from = format_of(args->from), to = format_of(args->to);
    const char *file = args->file ? args->file : "-";
    v_alloc heap = {&heap_ops};
    uint8_t *in = NULL;
    size_t len = 0;
    vs_value v;
    vs_value_error e;
    int rc = 2;

    vs_ctx_init(&c, vs_read_file, NULL);
    c.include_dirs = args->include_dirs;
    c.n_include_dirs = args->n_include_dirs;
    if (vs_compile(&c, args->schema, &schema) != 0) {
        fprintf(stderr, "%s\n", c.error);
        goto out;
    }
    if (!(d = vs_value_find_decl(schema, args->type))) {
        fprintf(stderr, "vcodec: schema %s has no type '%s'\n",
                schema->name, args->type);
        goto out;
    }
    if (d->kind == VS_ENUM) {
        fprintf(stderr, "vcodec: '%s' is an enum; convert takes a struct, "
                "union or message\n", args->type);
        goto out;
    }
    if (!vs_value_has_format(d, from) || !vs_value_has_format(d, to)) {
        fprintf(stderr, "vcodec: '%s' is a message: its handles have no "
                "JSON or msgpack form, only binary\n", args->type);
        goto out;
    }
    if ((rc = vcodec_read_all(file, CONVERT_MAX_INPUT, 1, &in, &len)) != 0)
        goto out;
    v_status s = vs_value_decode(d, from, in, len,
                                 args->skip_unknown ? 1u : 0u, &heap, &v, &e);
    if (s == V_ERR_NO_MEMORY) {
        fputs("vcodec: out of memory\n", stderr);
        rc = 2;
    } else if (s != V_OK) {
        report(file, from, in, len, &e);
        rc = 1;
    } else {
        rc = write_value(d, to, &v, file);
        vs_value_free(d, &heap, &v);
    }
out:
    free(in);
    vs_ctx_free(&c);
    return rc;
}
