/* v_path to text: the one way out. */
#include <v/path.h>
#include <v/mem.h>

size_t v_path_text_len(const v_path *p)
{
    if (p->depth == 0)
        return 1; /* "/" or "." */
    size_t n = p->end[p->depth - 1] + (p->depth - 1u);
    return p->absolute ? n + 1 : n;
}

/* Writes the canonical text into out, which has room for all of it. */
static void render_into(const v_path *p, char *out)
{
    if (p->depth == 0) {
        out[0] = p->absolute ? '/' : '.';
        return;
    }
    size_t k = 0, from = 0;
    for (size_t i = 0; i < p->depth; i++) {
        if (p->absolute || i > 0)
            out[k++] = '/';
        size_t n = p->end[i] - from;
        v_mem_copy(out + k, p->bytes + from, n);
        k += n;
        from = p->end[i];
    }
}

v_status v_path_render(const v_path *p, char *buf, size_t cap,
                       size_t *needed)
{
    size_t len = v_path_text_len(p);
    if (needed)
        *needed = len;
    if (cap > len) {
        render_into(p, buf);
        buf[len] = '\0';
        return V_OK;
    }
    if (cap > 0) {
        char full[V_PATH_MAX_TEXT];
        render_into(p, full);
        v_mem_copy(buf, full, cap - 1);
        buf[cap - 1] = '\0';
    }
    return V_ERR_TRUNCATED;
}

v_status v_path_render_alloc(const v_path *p, v_alloc *alloc, char **text,
                             size_t *len)
{
    size_t n = v_path_text_len(p);
    void *mem;
    v_status s = v_alloc_bytes(alloc, n + 1, 1, &mem);
    if (s != V_OK)
        return s;
    render_into(p, mem);
    ((char *)mem)[n] = '\0';
    *text = mem;
    *len = n;
    return V_OK;
}
