/* Region calls (docs/substrate.md §5) and vx_task_usage_get (§3). Checks
 * in the §1 order: BAD_HANDLE, ACCESS_DENIED, INVALID_ARGS, OUT_OF_RANGE,
 * LIMIT. */
#include <arch/layout.h>
#include <arch/user.h>
#include <k/region.h>
#include <k/sys.h>
#include <k/task.h>
#include <k/vm.h>
#include <vx/region.h>
#include <vx/task.h>

/* The Region named by h (a new reference), or the error. */
static int64_t get_region(uint64_t h, kobject **o, vx_rights *rights)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    return (int64_t)htable_get(&task_current()->handles, (uint32_t)h,
                               VX_OBJ_REGION, o, rights);
}

static bool out_of_range(kobject *o, uint64_t offset, uint64_t len)
{
    uint64_t size = region_size(o);
    return offset > size || len > size - offset;
}

int64_t sys_region_create(uint64_t size, uint64_t out)
{
    if (!out || size == 0 || size % PAGE_SIZE || size > REGION_SIZE_MAX)
        return VX_ERR_INVALID_ARGS;
    task *t = task_current();
    kobject *o;
    v_status st = region_create(size, t->quota, &o);
    if (st != V_OK)
        return st;
    uint32_t value;
    st = htable_add(&t->handles, o, o->ops->create_rights, &value);
    if (st != V_OK)
        return st;
    vx_handle h = {value};
    if (copy_to_user(out, &h, sizeof h) != V_OK) {
        (void)htable_close(&t->handles, value);
        return VX_ERR_INVALID_ARGS;
    }
    return VX_OK;
}

int64_t sys_region_size(uint64_t h, uint64_t out)
{
    kobject *o;
    vx_rights rights;
    int64_t r = get_region(h, &o, &rights);
    if (r != VX_OK)
        return r;
    uint64_t size = region_size(o);
    kobject_unref(o);
    if (!out || copy_to_user(out, &size, sizeof size) != V_OK)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}

static int64_t rw(uint64_t h, uint64_t offset, uint64_t buf, uint64_t len,
                  bool read)
{
    kobject *o;
    vx_rights rights;
    int64_t r = get_region(h, &o, &rights);
    if (r != VX_OK)
        return r;
    if (!(rights & (read ? VX_RIGHT_READ : VX_RIGHT_WRITE)))
        r = VX_ERR_ACCESS_DENIED;
    else if (len && !buf)
        r = VX_ERR_INVALID_ARGS;
    else if (out_of_range(o, offset, len))
        r = VX_ERR_OUT_OF_RANGE;
    else if (len && !user_range_ok(buf, len))
        r = VX_ERR_INVALID_ARGS;
    else
        r = read ? region_copy_out(o, offset, buf, len)
                 : region_copy_in(o, offset, buf, len);
    kobject_unref(o);
    return r;
}

int64_t sys_region_read(uint64_t h, uint64_t offset, uint64_t buf,
                        uint64_t len)
{
    return rw(h, offset, buf, len, true);
}

int64_t sys_region_write(uint64_t h, uint64_t offset, uint64_t buf,
                         uint64_t len)
{
    return rw(h, offset, buf, len, false);
}

int64_t sys_region_map(uint64_t h, uint64_t offset, uint64_t len,
                       uint64_t prot, uint64_t addr_out)
{
    kobject *o;
    vx_rights rights;
    int64_t r = get_region(h, &o, &rights);
    if (r != VX_OK)
        return r;
    task *t = task_current();
    uint64_t at = 0;
    if (!(rights & VX_RIGHT_MAP) ||
        ((prot & VX_PROT_READ) && !(rights & VX_RIGHT_READ)) ||
        ((prot & VX_PROT_WRITE) && !(rights & VX_RIGHT_WRITE)) ||
        ((prot & VX_PROT_EXEC) && !(rights & VX_RIGHT_EXEC)))
        r = VX_ERR_ACCESS_DENIED;
    else if (!addr_out || prot == 0 ||
             (prot & ~(uint64_t)(VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC)) ||
             ((prot & VX_PROT_WRITE) && (prot & VX_PROT_EXEC)) || len == 0 ||
             offset % PAGE_SIZE || len % PAGE_SIZE)
        r = VX_ERR_INVALID_ARGS;
    else if (out_of_range(o, offset, len))
        r = VX_ERR_OUT_OF_RANGE;
    else {
        unsigned vmprot = (prot & VX_PROT_WRITE ? VM_WRITE : 0) |
                          (prot & VX_PROT_EXEC ? VM_EXEC : 0);
        r = umaps_map(&t->maps, t->root, o, offset, len, vmprot, &at);
        if (r == VX_OK && copy_to_user(addr_out, &at, sizeof at) != V_OK) {
            (void)umaps_unmap(&t->maps, t->root, at, len);
            r = VX_ERR_INVALID_ARGS;
        }
    }
    kobject_unref(o);
    return r;
}

int64_t sys_region_unmap(uint64_t addr, uint64_t len)
{
    task *t = task_current();
    return umaps_unmap(&t->maps, t->root, addr, len);
}

int64_t sys_task_usage_get(uint64_t out)
{
    if (!out)
        return VX_ERR_INVALID_ARGS;
    task *t = task_current();
    vx_task_usage u = {
        .quota_bytes = t->quota->limit,
        .used_bytes = quota_used(t->quota),
        .handle_limit = t->handles.limit,
        .handles_used = htable_live(&t->handles),
    };
    if (copy_to_user(out, &u, sizeof u) != V_OK)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}
