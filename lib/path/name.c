/* The last component of a path: its name and the name's extension. */
#include <v/path.h>
#include <v/mem.h>

bool v_path_name(const v_path *p, v_str *out)
{
    return p->depth > 0 && v_path_component(p, p->depth - 1u, out) == V_OK;
}

/* Index of the '.' that starts the extension of name, or len when there
 * is none. A dot at index 0 marks a hidden file (".bashrc"), not an
 * extension. */
static size_t extension_dot(v_str name)
{
    for (size_t i = name.len; i > 1; i--)
        if (name.p[i - 1] == '.')
            return i - 1;
    return name.len;
}

bool v_path_extension(const v_path *p, v_str *out)
{
    v_str name;
    if (!v_path_name(p, &name))
        return false;
    size_t dot = extension_dot(name);
    if (dot == name.len)
        return false;
    *out = v_str_make(name.p + dot + 1, name.len - dot - 1);
    return true;
}

v_status v_path_with_extension(v_path *p, const char *ext, size_t len)
{
    v_str name;
    if (!v_path_name(p, &name))
        return V_ERR_OUT_OF_RANGE;
    if (len > 0 && ext[0] == '.')
        return V_ERR_MALFORMED;
    if (len > V_PATH_MAX_COMPONENT)
        return V_ERR_LIMIT;
    /* Build the new name aside (it may be longer than any component,
     * which push then reports as LIMIT). */
    char buf[V_PATH_MAX_COMPONENT * 2 + 1];
    size_t stem = extension_dot(name);
    v_mem_copy(buf, name.p, stem);
    size_t n = stem;
    if (len > 0) {
        buf[n++] = '.';
        v_mem_copy(buf + n, ext, len);
        n += len;
    }
    /* Drop the name and push the new one. A failed push writes nothing,
     * so restoring the depth restores the old name. */
    p->depth--;
    v_status s = v_path_push(p, buf, n);
    if (s != V_OK)
        p->depth++;
    return s;
}
