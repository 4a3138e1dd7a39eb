/* Text to v_path: the one way in from the outside. Strict mode accepts
 * only canonical text, so every accepted text names exactly one path and
 * renders back to itself; resolve mode also takes the sloppy spellings
 * people type and normalises them lexically (see v/path.h). */
#include <v/path.h>

/* Resolve mode tolerates redundant "./" and "//", so its input may be
 * longer than any canonical text, but still not unbounded. */
#define RESOLVE_MAX_TEXT (4 * V_PATH_MAX_TEXT)

static v_status fail(v_status s, size_t at, size_t *bad_offset)
{
    if (bad_offset)
        *bad_offset = at;
    return s;
}

v_status v_path_parse(v_path *out, const char *text, size_t len,
                      unsigned flags, size_t *bad_offset)
{
    if (flags & ~(unsigned)V_PATH_PARSE_RESOLVE)
        return fail(V_ERR_INVALID_ARGS, 0, bad_offset);
    bool resolve = flags & V_PATH_PARSE_RESOLVE;
    if (len == 0)
        return fail(V_ERR_MALFORMED, 0, bad_offset);
    size_t max = resolve ? RESOLVE_MAX_TEXT : V_PATH_MAX_TEXT;
    if (len > max)
        return fail(V_ERR_LIMIT, max, bad_offset);

    v_path p;
    size_t i = 0;
    if (text[0] == '/') {
        v_path_init_root(&p);
        i = 1;
    } else {
        v_path_init_relative(&p);
    }
    /* The whole text "/" is the root, "." the empty relative path. */
    if (len == 1 && (text[0] == '/' || text[0] == '.')) {
        *out = p;
        return V_OK;
    }

    for (;;) {
        size_t start = i;
        while (i < len && text[i] != '/')
            i++;
        const char *seg = text + start;
        size_t n = i - start;
        bool dot = n == 1 && seg[0] == '.';
        bool dotdot = n == 2 && seg[0] == '.' && seg[1] == '.';
        if (n == 0 || dot || dotdot) {
            if (!resolve)
                return fail(V_ERR_MALFORMED, start, bad_offset);
            if (dotdot && v_path_parent(&p) != V_OK)
                return fail(V_ERR_OUT_OF_RANGE, start, bad_offset);
        } else {
            v_status s = v_path_push(&p, seg, n);
            if (s != V_OK)
                return fail(s, start, bad_offset);
        }
        if (i == len)
            break;
        i++; /* the '/' */
        /* In strict mode a text ending in '/' gets one more, empty,
         * segment, which is rejected above. */
    }
    *out = p;
    return V_OK;
}
