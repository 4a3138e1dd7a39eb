/* A writing buffer with sticky errors. The one rule that matters: a byte
 * the caller was told is written is either passed to dst or still in the
 * buffer, never dropped. */
#include <v/io.h>
#include <v/mem.h>

v_status v_io_buf_writer_init(v_io_buf_writer *b, v_writer dst,
                              void *storage, size_t cap)
{
    if (!storage || cap == 0)
        return V_ERR_INVALID_ARGS;
    b->dst = dst;
    b->buf = storage;
    b->cap = cap;
    b->len = 0;
    b->err = V_OK;
    return V_OK;
}

size_t v_io_buf_writer_pending(const v_io_buf_writer *b)
{
    return b->len;
}

v_status v_io_buf_writer_error(const v_io_buf_writer *b)
{
    return b->err;
}

void v_io_buf_writer_clear_error(v_io_buf_writer *b)
{
    b->err = V_OK;
}

v_status v_io_buf_writer_flush(v_io_buf_writer *b)
{
    if (b->err != V_OK)
        return b->err;
    size_t done = 0;
    v_status s = v_write_all(&b->dst, b->buf, b->len, &done);
    /* Keep what dst did not take at the front, for a later retry. */
    v_mem_move(b->buf, b->buf + done, b->len - done);
    b->len -= done;
    b->err = s;
    return s;
}

static v_status buf_write(void *ctx, const void *data, size_t len,
                          size_t *n)
{
    v_io_buf_writer *b = ctx;
    const uint8_t *p = data;
    size_t done = 0;
    *n = 0;
    if (b->err != V_OK)
        return b->err;
    while (done < len) {
        if (b->len == b->cap && v_io_buf_writer_flush(b) != V_OK) {
            /* Report the bytes this call buffered; the error comes with
             * the next call. */
            if (done > 0)
                break;
            return b->err;
        }
        size_t room = b->cap - b->len;
        size_t k = len - done < room ? len - done : room;
        v_mem_copy(b->buf + b->len, p + done, k);
        b->len += k;
        done += k;
    }
    *n = done;
    return V_OK;
}

v_writer v_io_buf_writer_as_writer(v_io_buf_writer *b)
{
    return (v_writer){ buf_write, b };
}
