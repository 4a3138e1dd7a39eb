/* Test streams that misbehave on purpose: readers and writers that move at
 * most `chunk` bytes per call and fail at a chosen byte position, and an
 * allocator that fails on a chosen call. Hosted test code only. */
#ifndef IO_TESTS_FAULT_H
#define IO_TESTS_FAULT_H

#include <stdlib.h>
#include <string.h>
#include <v/alloc.h>
#include <v/io.h>

#define FAULT_NEVER ((size_t)-1)

typedef struct fault_reader {
    const unsigned char *data;
    size_t len, pos;
    size_t chunk;      /* at most this many bytes per read */
    size_t fail_at;    /* the read that starts at this offset fails */
    v_status fail_status;
    bool fail_once;    /* then succeed on retry */
    unsigned calls;
} fault_reader;

static inline v_status fault_read(void *ctx, void *buf, size_t cap,
                                  size_t *n)
{
    fault_reader *f = ctx;
    f->calls++;
    *n = 0;
    if (f->pos == f->fail_at) {
        if (f->fail_once)
            f->fail_at = FAULT_NEVER;
        return f->fail_status;
    }
    if (f->pos == f->len)
        return V_ERR_END;
    size_t k = f->len - f->pos;
    if (k > cap)
        k = cap;
    if (k > f->chunk)
        k = f->chunk;
    /* Never read across the failure point: stop just before it. */
    if (f->fail_at != FAULT_NEVER && f->fail_at > f->pos &&
        k > f->fail_at - f->pos)
        k = f->fail_at - f->pos;
    memcpy(buf, f->data + f->pos, k);
    f->pos += k;
    *n = k;
    return V_OK;
}

static inline v_reader fault_reader_make(fault_reader *f, const void *data,
                                         size_t len, size_t chunk,
                                         size_t fail_at, v_status st)
{
    *f = (fault_reader){ data, len, 0, chunk, fail_at, st, false, 0 };
    return (v_reader){ fault_read, f };
}

typedef struct fault_writer {
    unsigned char out[4096];
    size_t len;
    size_t chunk;
    size_t fail_at;    /* a write when len == fail_at fails */
    v_status fail_status;
    bool fail_once;
    unsigned calls;
} fault_writer;

static inline v_status fault_write(void *ctx, const void *buf, size_t len,
                                   size_t *n)
{
    fault_writer *f = ctx;
    f->calls++;
    *n = 0;
    if (f->len == f->fail_at) {
        if (f->fail_once)
            f->fail_at = FAULT_NEVER;
        return f->fail_status;
    }
    size_t k = len < f->chunk ? len : f->chunk;
    if (f->fail_at != FAULT_NEVER && f->fail_at > f->len &&
        k > f->fail_at - f->len)
        k = f->fail_at - f->len;
    if (k > sizeof f->out - f->len)
        abort();
    memcpy(f->out + f->len, buf, k);
    f->len += k;
    *n = k;
    return V_OK;
}

static inline v_writer fault_writer_make(fault_writer *f, size_t chunk,
                                         size_t fail_at, v_status st)
{
    memset(f, 0, sizeof *f);
    f->chunk = chunk;
    f->fail_at = fail_at;
    f->fail_status = st;
    return (v_writer){ fault_write, f };
}

/* malloc-backed allocator that fails the call numbered fail_on (0-based,
 * counting alloc and resize) and tracks the bytes it has out. */
typedef struct test_alloc {
    v_alloc base;
    unsigned calls;
    unsigned fail_on;
    size_t live;
} test_alloc;

static inline v_status ta_alloc(v_alloc *self, size_t size, size_t align,
                                void **out)
{
    test_alloc *t = (test_alloc *)self;
    if (t->calls++ == t->fail_on)
        return V_ERR_NO_MEMORY;
    void *p = malloc(size);
    if (!p)
        return V_ERR_NO_MEMORY;
    t->live += size;
    *out = p;
    return V_OK;
}

static inline v_status ta_resize(v_alloc *self, void *ptr, size_t old_size,
                                 size_t new_size, size_t align, void **out)
{
    test_alloc *t = (test_alloc *)self;
    if (t->calls++ == t->fail_on)
        return V_ERR_NO_MEMORY;
    void *p = realloc(ptr, new_size);
    if (!p)
        return V_ERR_NO_MEMORY;
    t->live += new_size;
    t->live -= old_size;
    *out = p;
    return V_OK;
}

static inline void ta_free(v_alloc *self, void *ptr, size_t size)
{
    test_alloc *t = (test_alloc *)self;
    if (ptr)
        t->live -= size;
    free(ptr);
}

static const v_alloc_ops ta_ops = { ta_alloc, ta_resize, ta_free };

static inline void test_alloc_init(test_alloc *t, unsigned fail_on)
{
    *t = (test_alloc){ { &ta_ops }, 0, fail_on, 0 };
}

#endif
