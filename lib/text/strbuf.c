/* v_strbuf: a growable string over a caller-chosen allocator.
 *
 * Every change either completes or leaves the builder exactly as it was:
 * growth happens (through v_alloc_resize, whose failure leaves the old
 * block valid) before any byte is written, and formatted appends roll back
 * to the old length if anything fails part-way. */
#include <v/alloc.h>
#include <v/mem.h>
#include <v/text.h>

void v_strbuf_init(v_strbuf *b, v_alloc *alloc)
{
    *b = V_STRBUF_INIT(alloc);
}

v_status v_strbuf_reserve(v_strbuf *b, size_t extra)
{
    if (!b->alloc)
        return V_ERR_INVALID_ARGS;
    /* Room needed: text + extra + NUL, checked for overflow. */
    if (extra > SIZE_MAX - 1 - b->len)
        return V_ERR_NO_MEMORY;
    size_t want = b->len + extra + 1;
    if (want <= b->cap)
        return V_OK;
    /* Grow geometrically (x1.5, at least 16) so n appends cost O(n). */
    size_t cap = b->cap < 16 ? 16 : b->cap;
    while (cap < want)
        cap = cap > SIZE_MAX / 3 * 2 ? want : cap + cap / 2;
    void *p;
    v_status st = b->data
        ? v_alloc_resize(b->alloc, b->data, b->cap, cap, 1, &p)
        : v_alloc_bytes(b->alloc, cap, 1, &p);
    if (st != V_OK)
        return st; /* the allocator's reason, builder untouched */
    b->data = p;
    if (b->cap == 0)
        b->data[0] = '\0';
    b->cap = cap;
    return V_OK;
}

v_status v_strbuf_append(v_strbuf *b, const void *bytes, size_t len)
{
    /* bytes may point into our own text; growth may move it. */
    uintptr_t at = (uintptr_t)bytes, base = (uintptr_t)b->data;
    bool inside = b->data && at >= base && at < base + b->cap;
    v_status st = v_strbuf_reserve(b, len);
    if (st != V_OK)
        return st;
    if (inside)
        bytes = b->data + (at - base);
    if (len)
        v_mem_move(b->data + b->len, bytes, len);
    b->len += len;
    b->data[b->len] = '\0';
    return V_OK;
}

v_status v_strbuf_append_str(v_strbuf *b, v_str s)
{
    return v_strbuf_append(b, s.p, s.len);
}

v_status v_strbuf_append_cstr(v_strbuf *b, const char *s)
{
    return v_strbuf_append(b, s, s ? v_cstr_len(s) : 0);
}

v_status v_strbuf_append_char(v_strbuf *b, char c)
{
    return v_strbuf_append(b, &c, 1);
}

v_status v_strbuf_append_utf8(v_strbuf *b, uint32_t cp)
{
    char enc[V_UTF8_MAX_LEN];
    size_t n;
    v_status st = v_utf8_encode(cp, enc, sizeof enc, &n);
    if (st != V_OK)
        return st;
    return v_strbuf_append(b, enc, n);
}

static v_status strbuf_put(void *ctx, const char *bytes, size_t len)
{
    return v_strbuf_append(ctx, bytes, len);
}

v_status v_strbuf_vappendf(v_strbuf *b, const char *fmt, va_list ap)
{
    size_t old_len = b->len;
    v_fmt_sink sink = { strbuf_put, b };
    v_status st = v_vfmt_to(&sink, fmt, ap);
    if (st != V_OK) {
        b->len = old_len;
        if (b->data)
            b->data[old_len] = '\0';
    }
    return st;
}

v_status v_strbuf_appendf(v_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    v_status st = v_strbuf_vappendf(b, fmt, ap);
    va_end(ap);
    return st;
}

v_str v_strbuf_view(const v_strbuf *b)
{
    return v_str_make(b->data, b->len);
}

void v_strbuf_clear(v_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void v_strbuf_free(v_strbuf *b)
{
    if (b->data)
        v_alloc_free(b->alloc, b->data, b->cap);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

v_status v_strbuf_take(v_strbuf *b, char **data, size_t *len, size_t *size)
{
    if (!b->data) {
        v_status st = v_strbuf_reserve(b, 0);
        if (st != V_OK)
            return st;
    }
    *data = b->data;
    if (len)
        *len = b->len;
    if (size)
        *size = b->cap;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return V_OK;
}
