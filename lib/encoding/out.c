/* Writer output: a caller buffer, optionally drained into a sink. One
 * place for this so both writers treat a full buffer the same way. */
#include "internal.h"

void v_enc_out_init(v_encoding_out *o, void *buf, size_t cap,
                    const v_encoding_sink *sink)
{
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->flushed = 0;
    o->sink = sink;
}

v_status v_enc_out_flush(v_encoding_out *o)
{
    if (!o->sink || o->len == 0)
        return V_OK;
    v_status s = v_write_all(o->sink, o->buf, o->len, NULL);
    o->flushed += o->len;
    o->len = 0;
    return s;
}

v_status v_enc_out_put(v_encoding_out *o, const void *bytes, size_t n)
{
    if (n <= o->cap - o->len) {
        if (n)
            v_mem_copy(o->buf + o->len, (const uint8_t *)bytes, n);
        o->len += n;
        return V_OK;
    }
    if (!o->sink) {
        size_t fit = o->cap - o->len;
        if (fit)
            v_mem_copy(o->buf + o->len, (const uint8_t *)bytes, fit);
        o->len += fit;
        return V_ERR_TRUNCATED;
    }
    v_status s = v_enc_out_flush(o);
    if (s != V_OK)
        return s;
    if (n > o->cap) { /* larger than the staging buffer: pass it straight on */
        o->flushed += n;
        return v_write_all(o->sink, bytes, n, NULL);
    }
    v_mem_copy(o->buf, (const uint8_t *)bytes, n);
    o->len = n;
    return V_OK;
}

v_status v_enc_out_byte(v_encoding_out *o, uint8_t b)
{
    if (o->len < o->cap) {
        o->buf[o->len++] = b;
        return V_OK;
    }
    return v_enc_out_put(o, &b, 1);
}
