/* A reading buffer. The buffer is refilled only when it is empty, so
 * buffered bytes always go out before any error or END of the source. */
#include <v/io.h>
#include <v/mem.h>

v_status v_io_buf_reader_init(v_io_buf_reader *b, v_reader src,
                              void *storage, size_t cap)
{
    if (!storage || cap == 0)
        return V_ERR_INVALID_ARGS;
    b->src = src;
    b->buf = storage;
    b->cap = cap;
    b->start = 0;
    b->end = 0;
    return V_OK;
}

size_t v_io_buf_reader_buffered(const v_io_buf_reader *b)
{
    return b->end - b->start;
}

/* Makes at least one byte available, or returns the source's status. */
static v_status fill(v_io_buf_reader *b)
{
    if (b->start < b->end)
        return V_OK;
    size_t n;
    v_status s = v_read(&b->src, b->buf, b->cap, &n);
    b->start = 0;
    b->end = n;
    return s;
}

static v_status buf_read(void *ctx, void *out, size_t cap, size_t *n)
{
    v_io_buf_reader *b = ctx;
    *n = 0;
    /* A read at least as large as the buffer gains nothing from it. */
    if (b->start == b->end && cap >= b->cap)
        return v_read(&b->src, out, cap, n);
    v_status s = fill(b);
    if (s != V_OK)
        return s;
    size_t k = b->end - b->start;
    if (k > cap)
        k = cap;
    v_mem_copy(out, b->buf + b->start, k);
    b->start += k;
    *n = k;
    return V_OK;
}

v_reader v_io_buf_reader_as_reader(v_io_buf_reader *b)
{
    return (v_reader){ buf_read, b };
}

v_status v_io_buf_reader_read_until(v_io_buf_reader *b, uint8_t delim,
                                    void *out, size_t cap, size_t *n)
{
    uint8_t *o = out;
    size_t done = 0;
    for (;;) {
        if (done == cap) {
            *n = done;
            return V_ERR_LIMIT;
        }
        v_status s = fill(b);
        if (s != V_OK) {
            *n = done;
            if (s == V_ERR_END && done > 0)
                return V_OK;
            return s;
        }
        size_t avail = b->end - b->start;
        size_t room = cap - done;
        size_t k = avail < room ? avail : room;
        const uint8_t *p = b->buf + b->start;
        size_t i = 0;
        while (i < k && p[i] != delim)
            i++;
        bool found = i < k;
        if (found)
            i++;
        v_mem_copy(o + done, p, i);
        b->start += i;
        done += i;
        if (found) {
            *n = done;
            return V_OK;
        }
    }
}

v_status v_io_buf_reader_read_line(v_io_buf_reader *b, void *out,
                                   size_t cap, size_t *n)
{
    uint8_t *o = out;
    size_t got = 0;
    bool newline = false;
    v_status s = v_io_buf_reader_read_until(b, '\n', out, cap, &got);
    if (s == V_OK && got > 0 && o[got - 1] == '\n') {
        got--;
        newline = true;
    } else if (s == V_ERR_LIMIT) {
        /* cap bytes and no '\n' among them: the line still fits if the
         * very next byte ends it (or the stream ends there). */
        v_status f = fill(b);
        if (f == V_OK && b->buf[b->start] == '\n') {
            b->start++;
            newline = true;
            s = V_OK;
        } else if (f == V_ERR_END) {
            s = V_OK;
        } else if (f != V_OK) {
            s = f; /* cut by an error, not proven too long */
        }
    }
    if (newline && got > 0 && o[got - 1] == '\r')
        got--;
    *n = got;
    return s;
}
