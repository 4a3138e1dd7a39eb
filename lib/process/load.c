/* Receiving the start block (docs/process.md): the Task copies the Region
 * into memory only it can write before validating, because the spawner
 * may have kept a writable handle to the Region and could otherwise change
 * a string after it was checked. The copy is a Region of the Task's own,
 * mapped once and never unmapped: the strings live as long as the Task,
 * with no allocator and no global state. */
#include <v/mem.h>
#include <v/process.h>
#include <vx/handle.h>
#include <vx/region.h>

v_status v_process_load(v_process *p)
{
    if (p == NULL)
        return V_ERR_INVALID_ARGS;
    v_mem_set(p, 0, sizeof *p);
    vx_handle h;
    v_status st = vx_task_initial_handle(V_PROCESS_START_NAME, VX_OBJ_REGION,
                                         &h);
    if (st == V_ERR_OUT_OF_RANGE)
        return V_OK; /* spawned without one: nothing to receive */
    if (st != V_OK)
        return st;
    vx_region start = {h};
    uint64_t size = 0;
    st = vx_region_size(start, &size);
    if (st == V_OK && size > V_PROCESS_START_MAX)
        st = V_ERR_LIMIT;
    vx_region own = {VX_HANDLE_INVALID};
    void *addr = NULL;
    if (st == V_OK)
        st = vx_region_create(size, &own);
    if (st == V_OK) {
        st = vx_region_map(own, 0, size, VX_PROT_READ | VX_PROT_WRITE, &addr);
        /* The mapping keeps the Region alive; the handle is not needed. */
        (void)!vx_handle_close(own.h);
    }
    if (st == V_OK)
        st = vx_region_read(start, 0, addr, (size_t)size);
    (void)!vx_handle_close(start.h);
    if (st == V_OK)
        st = v_process_decode(p, addr, (size_t)size);
    if (st != V_OK) {
        if (addr != NULL)
            (void)!vx_region_unmap(addr, size);
        v_mem_set(p, 0, sizeof *p);
        return st;
    }
    p->map = addr;
    p->map_len = size;
    return V_OK;
}

v_status v_process_handle(const char *name, vx_obj_type type, vx_handle *out)
{
    if (name == NULL || out == NULL)
        return V_ERR_INVALID_ARGS;
    if (v_cstr_compare(name, V_PROCESS_START_NAME) == 0)
        return V_ERR_INVALID_ARGS;
    return vx_task_initial_handle(name, type, out);
}
