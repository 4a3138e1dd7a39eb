/* Object calls behind syscalls: handles (docs/substrate.md §4) and
 * timers (§8). Checks run in the order §1 prescribes: BAD_HANDLE,
 * ACCESS_DENIED, INVALID_ARGS, ... An out-pointer that cannot be written
 * is INVALID_ARGS, and a handle made for it is taken back: the call then
 * changes nothing. */
#include <arch/entropy.h>
#include <arch/user.h>
#include <v/mem.h>
#include <vx/entropy.h>
#include <k/ring.h>
#include <k/sys.h>
#include <k/task.h>
#include <k/timer_obj.h>

static vx_status status(v_status s)
{
    return (vx_status)s; /* the same values (vx/status.h) */
}

/* Writes a new handle's value to user memory, or takes it back. */
static int64_t hand_out(htable *ht, uint32_t value, uint64_t out)
{
    vx_handle h = {value};
    if (copy_to_user(out, &h, sizeof h) != V_OK) {
        (void)htable_close(ht, value);
        return VX_ERR_INVALID_ARGS;
    }
    return VX_OK;
}

int64_t sys_handle_dup(uint64_t h, uint64_t rights, uint64_t out)
{
    htable *ht = &task_current()->handles;
    kobject *o;
    vx_rights have;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(ht, (uint32_t)h, VX_OBJ_NONE, &o, &have);
    if (st != V_OK)
        return status(st);
    int64_t r;
    if (!(have & VX_RIGHT_DUPLICATE) || (rights & ~(uint64_t)have))
        r = VX_ERR_ACCESS_DENIED;
    else if (!out)
        r = VX_ERR_INVALID_ARGS;
    else {
        uint32_t value;
        kobject_ref(o);
        st = htable_derive(ht, (uint32_t)h, o, (vx_rights)rights, &value);
        r = st == V_OK ? hand_out(ht, value, out) : status(st);
    }
    kobject_unref(o);
    return r;
}

int64_t sys_handle_close(uint64_t h)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    return status(htable_close(&task_current()->handles, (uint32_t)h));
}

int64_t sys_handle_revoke(uint64_t h)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    return status(htable_revoke(&task_current()->handles, (uint32_t)h));
}

int64_t sys_handle_info_get(uint64_t h, uint64_t out)
{
    kobject *o;
    vx_rights have;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&task_current()->handles, (uint32_t)h,
                             VX_OBJ_NONE, &o, &have);
    if (st != V_OK)
        return status(st);
    vx_handle_info info = {
        .type = o->ops->type,
        .rights = have,
        .conditions = kobject_conditions(o),
        .badge = ring_badge(o) /* 0 unless a TX with one */,
    };
    kobject_unref(o);
    if (!out || copy_to_user(out, &info, sizeof info) != V_OK)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}

int64_t sys_timer_create(uint64_t out)
{
    if (!out)
        return VX_ERR_INVALID_ARGS;
    htable *ht = &task_current()->handles;
    kobject *o = timer_obj_create();
    if (!o)
        return VX_ERR_NO_MEMORY;
    uint32_t value;
    v_status st = htable_add(ht, o, o->ops->create_rights, &value);
    if (st != V_OK)
        return status(st);
    return hand_out(ht, value, out);
}

/* A Timer handle with WRITE, or the error to return. */
static int64_t writable_timer(uint64_t h, kobject **o)
{
    vx_rights have;
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    v_status st = htable_get(&task_current()->handles, (uint32_t)h,
                             VX_OBJ_TIMER, o, &have);
    if (st != V_OK)
        return status(st);
    if (!(have & VX_RIGHT_WRITE)) {
        kobject_unref(*o);
        return VX_ERR_ACCESS_DENIED;
    }
    return VX_OK;
}

int64_t sys_timer_set(uint64_t h, uint64_t deadline, uint64_t slack)
{
    kobject *o;
    int64_t r = writable_timer(h, &o);
    if (r != VX_OK)
        return r;
    timer_obj_set(o, deadline, slack);
    kobject_unref(o);
    return VX_OK;
}

int64_t sys_timer_cancel(uint64_t h)
{
    kobject *o;
    int64_t r = writable_timer(h, &o);
    if (r != VX_OK)
        return r;
    timer_obj_cancel(o);
    kobject_unref(o);
    return VX_OK;
}

int64_t sys_entropy_read(uint64_t buf, uint64_t len)
{
    if ((len && !buf) || len > VX_ENTROPY_READ_MAX)
        return VX_ERR_INVALID_ARGS;
    if (!arch_entropy_available())
        return VX_ERR_NOT_SUPPORTED;
    uint8_t tmp[VX_ENTROPY_READ_MAX];
    for (uint64_t i = 0; i < len; i += 8) {
        uint64_t v;
        if (!arch_entropy64(&v))
            return VX_ERR_NO_MEMORY; /* the generator is failing */
        for (unsigned b = 0; b < 8 && i + b < len; b++)
            tmp[i + b] = (uint8_t)(v >> (8 * b));
    }
    int64_t r = copy_to_user(buf, tmp, len) == V_OK ? VX_OK
                                                   : VX_ERR_INVALID_ARGS;
    v_mem_wipe(tmp, sizeof tmp);
    return r;
}
