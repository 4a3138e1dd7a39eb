/* The reader/writer contract, checked in one place (see v/io.h), and the
 * loops built on it. Every other part of io calls the callbacks only
 * through v_read and v_write, so a broken callback shows up as V_ERR_IO
 * rather than as an endless loop or an overrun. */
#include <v/io.h>

v_status v_read(const v_reader *r, void *buf, size_t cap, size_t *n)
{
    *n = 0;
    if (cap == 0)
        return V_OK;
    size_t got = 0;
    v_status s = r->read(r->ctx, buf, cap, &got);
    if (s != V_OK)
        return s;
    if (got == 0 || got > cap)
        return V_ERR_IO;
    *n = got;
    return V_OK;
}

v_status v_write(const v_writer *w, const void *buf, size_t len, size_t *n)
{
    *n = 0;
    if (len == 0)
        return V_OK;
    size_t put = 0;
    v_status s = w->write(w->ctx, buf, len, &put);
    if (s != V_OK)
        return s;
    if (put == 0 || put > len)
        return V_ERR_IO;
    *n = put;
    return V_OK;
}

v_status v_write_all(const v_writer *w, const void *buf, size_t len,
                     size_t *written)
{
    const uint8_t *p = buf;
    size_t done = 0;
    v_status s = V_OK;
    while (done < len) {
        size_t n;
        s = v_write(w, p + done, len - done, &n);
        if (s != V_OK)
            break;
        done += n;
    }
    if (written)
        *written = done;
    return s;
}

v_status v_read_full(const v_reader *r, void *buf, size_t len, size_t *got)
{
    uint8_t *p = buf;
    size_t done = 0;
    v_status s = V_OK;
    while (done < len) {
        size_t n;
        s = v_read(r, p + done, len - done, &n);
        if (s != V_OK)
            break;
        done += n;
    }
    if (got)
        *got = done;
    return s;
}
