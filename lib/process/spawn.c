/* Spawning a Task with a start block (docs/process.md). The block is
 * encoded straight into a mapping of a fresh Region, which then moves into
 * the child under the reserved name; the child copies it and closes it, so
 * its charge returns to the spawner as soon as the child has started. */
#include <v/mem.h>
#include <v/process.h>
#include <vx/handle.h>
#include <vx/region.h>

static v_status make_block(const v_process_spec *s, vx_region *out)
{
    size_t len = 0;
    v_status st = v_process_encode(s, NULL, 0, &len);
    if (st != V_ERR_TRUNCATED)
        return st == V_OK ? V_ERR_INVALID_ARGS : st;
    uint64_t size = ((uint64_t)len + VX_PAGE_SIZE - 1) / VX_PAGE_SIZE *
                    VX_PAGE_SIZE;
    vx_region r;
    st = vx_region_create(size, &r);
    if (st != V_OK)
        return st;
    void *addr = NULL;
    st = vx_region_map(r, 0, size, VX_PROT_READ | VX_PROT_WRITE, &addr);
    if (st == V_OK) {
        st = v_process_encode(s, addr, (size_t)size, &len);
        v_status un = vx_region_unmap(addr, size);
        if (st == V_OK)
            st = un;
    }
    if (st != V_OK) {
        (void)!vx_handle_close(r.h);
        return st;
    }
    *out = r;
    return V_OK;
}

v_status v_process_spawn(const v_process_spawn_args *a, vx_task *out)
{
    if (a == NULL || out == NULL || a->spec.namec != 0 ||
        a->handle_count > V_PROCESS_HANDLES_MAX ||
        (a->handle_count > 0 && a->handles == NULL))
        return V_ERR_INVALID_ARGS;
    const char *names[V_PROCESS_HANDLES_MAX];
    vx_named_handle hs[VX_SPAWN_HANDLES_MAX];
    for (uint32_t i = 0; i < a->handle_count; i++) {
        names[i] = a->handles[i].name;
        if (names[i] == NULL)
            return V_ERR_INVALID_ARGS;
        hs[i] = a->handles[i];
    }
    v_process_spec s = a->spec;
    s.namec = a->handle_count;
    s.names = names;
    vx_region block;
    v_status st = make_block(&s, &block); /* refuses the reserved name */
    if (st != V_OK)
        return st;
    hs[a->handle_count] = (vx_named_handle){V_PROCESS_START_NAME, block.h};
    vx_spawn_args sa = {a->image, a->name, a->quota_bytes, a->handle_limit,
                        a->handle_count + 1, hs};
    st = vx_task_spawn(&sa, out);
    if (st != V_OK)
        (void)!vx_handle_close(block.h); /* spawn moved nothing */
    return st;
}
