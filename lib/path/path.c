/* The v_path value: its invariants, and the operations on components.
 * Component i occupies bytes[start(i)..end[i]); start(0) is 0. */
#include <v/path.h>
#include <v/mem.h>
#include <v/text.h>

static size_t start_of(const v_path *p, size_t i)
{
    return i == 0 ? 0 : p->end[i - 1];
}

static size_t used_bytes(const v_path *p)
{
    return p->depth == 0 ? 0 : p->end[p->depth - 1];
}

void v_path_init_root(v_path *p)
{
    p->absolute = true;
    p->depth = 0;
}

void v_path_init_relative(v_path *p)
{
    p->absolute = false;
    p->depth = 0;
}

v_status v_path_check_component(const char *name, size_t len)
{
    if (len == 0)
        return V_ERR_MALFORMED;
    if (len > V_PATH_MAX_COMPONENT)
        return V_ERR_LIMIT;
    if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
        return V_ERR_MALFORMED;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/' || name[i] == '\0')
            return V_ERR_MALFORMED;
    return v_utf8_validate(name, len, NULL);
}

v_status v_path_push(v_path *p, const char *name, size_t len)
{
    v_status s = v_path_check_component(name, len);
    if (s != V_OK)
        return s;
    size_t used = used_bytes(p);
    if (p->depth == V_PATH_MAX_DEPTH || len > V_PATH_MAX_BYTES - used)
        return V_ERR_LIMIT;
    /* name may point into p itself (pushing a copy of a component): the
     * new bytes land past `used`, so the source is never overwritten. */
    v_mem_move(p->bytes + used, name, len);
    p->end[p->depth++] = (uint16_t)(used + len);
    return V_OK;
}

v_status v_path_component(const v_path *p, size_t i, v_str *out)
{
    if (i >= p->depth)
        return V_ERR_OUT_OF_RANGE;
    size_t s = start_of(p, i);
    *out = v_str_make(p->bytes + s, p->end[i] - s);
    return V_OK;
}

bool v_path_equal(const v_path *a, const v_path *b)
{
    if (a->absolute != b->absolute || a->depth != b->depth)
        return false;
    for (size_t i = 0; i < a->depth; i++)
        if (a->end[i] != b->end[i])
            return false;
    return v_mem_equal(a->bytes, b->bytes, used_bytes(a));
}

bool v_path_starts_with(const v_path *p, const v_path *prefix)
{
    if (p->absolute != prefix->absolute || prefix->depth > p->depth)
        return false;
    for (size_t i = 0; i < prefix->depth; i++)
        if (p->end[i] != prefix->end[i])
            return false;
    return v_mem_equal(p->bytes, prefix->bytes, used_bytes(prefix));
}

v_status v_path_join(v_path *p, const v_path *rel)
{
    if (rel->absolute)
        return V_ERR_INVALID_ARGS;
    size_t used = used_bytes(p);
    size_t add = used_bytes(rel);
    size_t depth = rel->depth;
    if (depth > (size_t)V_PATH_MAX_DEPTH - p->depth ||
        add > V_PATH_MAX_BYTES - used)
        return V_ERR_LIMIT;
    /* Ends first, from a copy of the count: rel may be p. */
    size_t old_depth = p->depth;
    for (size_t i = 0; i < depth; i++)
        p->end[old_depth + i] = (uint16_t)(used + rel->end[i]);
    v_mem_move(p->bytes + used, rel->bytes, add);
    p->depth = (uint8_t)(old_depth + depth);
    return V_OK;
}

v_status v_path_parent(v_path *p)
{
    if (p->depth == 0)
        return V_ERR_OUT_OF_RANGE;
    p->depth--;
    return V_OK;
}
