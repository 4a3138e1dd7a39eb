/* Streams over memory: a slice to read, a fixed buffer to fill and a
 * buffer that grows through an allocator. */
#include <v/io.h>
#include <v/mem.h>

static v_status mem_read(void *ctx, void *buf, size_t cap, size_t *n)
{
    v_io_mem_reader *m = ctx;
    size_t left = m->len - m->pos;
    if (left == 0) {
        *n = 0;
        return V_ERR_END;
    }
    size_t k = left < cap ? left : cap;
    v_mem_copy(buf, m->data + m->pos, k);
    m->pos += k;
    *n = k;
    return V_OK;
}

void v_io_mem_reader_init(v_io_mem_reader *m, const void *data, size_t len)
{
    m->data = data;
    m->len = data ? len : 0;
    m->pos = 0;
}

v_reader v_io_mem_reader_as_reader(v_io_mem_reader *m)
{
    return (v_reader){ mem_read, m };
}

static v_status fixed_write(void *ctx, const void *buf, size_t len,
                            size_t *n)
{
    v_io_fixed_writer *f = ctx;
    size_t room = f->cap - f->len;
    if (room == 0) {
        *n = 0;
        return V_ERR_TRUNCATED;
    }
    size_t k = len < room ? len : room;
    v_mem_copy(f->buf + f->len, buf, k);
    f->len += k;
    *n = k;
    return V_OK;
}

void v_io_fixed_writer_init(v_io_fixed_writer *f, void *buf, size_t cap)
{
    f->buf = buf;
    f->cap = buf ? cap : 0;
    f->len = 0;
}

v_writer v_io_fixed_writer_as_writer(v_io_fixed_writer *f)
{
    return (v_writer){ fixed_write, f };
}

static v_status grow_write(void *ctx, const void *buf, size_t len, size_t *n)
{
    v_io_grow_writer *g = ctx;
    *n = 0;
    if (len > g->max - g->len)
        return V_ERR_LIMIT;
    size_t need = g->len + len;
    if (need > g->cap) {
        /* Double, so n small writes cost O(n) copying in all; clamp to
         * max so a bounded writer never holds more than it may use. */
        size_t cap = g->cap ? g->cap : 64;
        while (cap < need)
            cap = cap > g->max / 2 ? g->max : cap * 2;
        if (cap > g->max)
            cap = g->max;
        void *p;
        v_status s = g->data
            ? v_alloc_resize(g->alloc, g->data, g->cap, cap, 1, &p)
            : v_alloc_bytes(g->alloc, cap, 1, &p);
        if (s != V_OK)
            return s;
        g->data = p;
        g->cap = cap;
    }
    v_mem_copy(g->data + g->len, buf, len);
    g->len += len;
    *n = len;
    return V_OK;
}

void v_io_grow_writer_init(v_io_grow_writer *g, v_alloc *alloc, size_t max)
{
    g->alloc = alloc;
    g->data = NULL;
    g->len = 0;
    g->cap = 0;
    g->max = max;
}

v_writer v_io_grow_writer_as_writer(v_io_grow_writer *g)
{
    return (v_writer){ grow_write, g };
}

void v_io_grow_writer_free(v_io_grow_writer *g)
{
    if (g->data)
        v_alloc_free(g->alloc, g->data, g->cap);
    g->data = NULL;
    g->len = 0;
    g->cap = 0;
}
