/* Task calls (docs/substrate.md §3): spawn from an ELF image in a Region
 * with named initial handles (moved with their place in the derivation
 * tree), kill, status, initial-handle lookup, threads. */
#include <arch/layout.h>
#include <arch/user.h>
#include <k/handle.h>
#include <k/heap.h>
#include <k/region.h>
#include <k/sys.h>
#include <k/task.h>
#include <v/mem.h>
#include <vx/task.h>

/* Images larger than this are refused ("not an executable this backend
 * can run"): the kernel copies the image once to parse and load it. */
#define SPAWN_IMAGE_MAX (16u << 20)

/* Copies a NUL-terminated name of 1..VX_NAME_MAX valid bytes. */
static bool name_from_user(uint64_t p, char out[VX_NAME_MAX + 1])
{
    if (!p)
        return false;
    for (unsigned i = 0; i <= VX_NAME_MAX; i++) {
        if (copy_from_user(&out[i], p + i, 1) != V_OK)
            return false;
        if (!out[i])
            return task_name_ok(out);
    }
    return false;
}

static htable *table(void)
{
    return &task_current()->handles;
}

static int64_t get(uint64_t h, vx_obj_type type, kobject **o, vx_rights *r)
{
    if (h >> 32)
        return VX_ERR_BAD_HANDLE;
    return (int64_t)htable_get(table(), (uint32_t)h, type, o, r);
}

typedef struct spawn_state {
    vx_spawn_args a;
    vx_named_handle nh[VX_SPAWN_HANDLES_MAX];
    kobject *image;
    kobject *moved[VX_SPAWN_HANDLES_MAX];
    vx_rights moved_rights[VX_SPAWN_HANDLES_MAX];
    uint32_t looked_up;
    char name[VX_NAME_MAX + 1];
    char hname[VX_SPAWN_HANDLES_MAX][VX_NAME_MAX + 1];
} spawn_state;

static int64_t check(spawn_state *s, uint64_t out)
{
    vx_rights ir;
    int64_t r = get(s->a.image.h.value, VX_OBJ_REGION, &s->image, &ir);
    if (r != VX_OK)
        return r;
    uint32_t n = s->a.handle_count;
    bool look = n <= VX_SPAWN_HANDLES_MAX && (s->a.handles || n == 0);
    if (look && n && copy_from_user(s->nh, (uint64_t)(uintptr_t)s->a.handles,
                                    n * sizeof s->nh[0]) != V_OK)
        return VX_ERR_INVALID_ARGS;
    if (look)
        for (uint32_t i = 0; i < n; i++) {
            r = get(s->nh[i].handle.value, VX_OBJ_NONE, &s->moved[i],
                    &s->moved_rights[i]);
            if (r != VX_OK)
                return r;
            s->looked_up = i + 1;
        }
    if ((ir & (VX_RIGHT_READ | VX_RIGHT_EXEC)) !=
        (VX_RIGHT_READ | VX_RIGHT_EXEC))
        return VX_ERR_ACCESS_DENIED;
    for (uint32_t i = 0; i < s->looked_up; i++)
        if (!(s->moved_rights[i] & VX_RIGHT_TRANSFER))
            return VX_ERR_ACCESS_DENIED;
    if (!out || !look || !name_from_user((uint64_t)(uintptr_t)s->a.name,
                                         s->name))
        return VX_ERR_INVALID_ARGS;
    for (uint32_t i = 0; i < n; i++) {
        if (!name_from_user((uint64_t)(uintptr_t)s->nh[i].name, s->hname[i]))
            return VX_ERR_INVALID_ARGS;
        for (uint32_t j = 0; j < i; j++)
            if (v_cstr_compare(s->hname[i], s->hname[j]) == 0 ||
                s->nh[i].handle.value == s->nh[j].handle.value)
                return VX_ERR_INVALID_ARGS;
    }
    if (s->a.quota_bytes == 0 || s->a.handle_limit == 0 ||
        s->a.handle_limit > HANDLE_ENTRIES_MAX || s->a.handle_limit < n)
        return VX_ERR_INVALID_ARGS;
    if (region_size(s->image) > SPAWN_IMAGE_MAX)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}

/* Moves the named handles into the child's table, all or none, keeping
 * their place in the derivation tree. BAD_HANDLE if another thread of
 * the caller closed one since it was looked up. */
static int64_t move_handles(spawn_state *s, task *self, task *child)
{
    int64_t r = VX_OK;
    hnode *lost = 0;
    handle_tree_lock();
    for (uint32_t i = 0; i < s->a.handle_count; i++)
        if (!htable_node_locked(&self->handles, s->nh[i].handle.value))
            r = VX_ERR_BAD_HANDLE;
    for (uint32_t i = 0; i < s->a.handle_count && r == VX_OK; i++) {
        hnode *x = htable_detach_locked(&self->handles, s->nh[i].handle.value);
        task_initial *in = &child->initial[i];
        r = htable_attach_locked(&child->handles, x, &in->value);
        if (r != VX_OK) { /* NO_MEMORY: this one is lost, like a close */
            lost = x;
            break;
        }
        v_mem_copy(in->name, s->hname[i], sizeof in->name);
        child->initial_count = i + 1;
    }
    handle_tree_unlock();
    if (lost)
        hnodes_release(&lost, 1);
    return r;
}

int64_t sys_task_spawn(uint64_t args, uint64_t out)
{
    spawn_state *s = kzalloc(sizeof *s);
    if (!s)
        return VX_ERR_NO_MEMORY;
    int64_t r = VX_ERR_INVALID_ARGS;
    uint8_t *img = 0;
    task *self = task_current(), *child = 0;
    if (!args || copy_from_user(&s->a, args, sizeof s->a) != V_OK)
        goto done;
    r = check(s, out);
    if (r != VX_OK)
        goto done;
    /* The image is read now: later writes to the Region do not matter. */
    size_t len = (size_t)region_size(s->image);
    img = kmalloc(len);
    if (!img) {
        r = VX_ERR_NO_MEMORY;
        goto done;
    }
    region_read_kernel(s->image, 0, img, len);
    const char *why;
    r = task_create(s->name, img, len, s->a.quota_bytes, s->a.handle_limit,
                    &child, &why);
    if (r != VX_OK)
        goto done;
    if (!quota_charge(self->quota, s->a.quota_bytes)) {
        r = VX_ERR_LIMIT;
        goto done;
    }
    if (htable_live(&self->handles) >= self->handles.limit) {
        quota_uncharge(self->quota, s->a.quota_bytes);
        r = VX_ERR_LIMIT;
        goto done;
    }
    quota_ref(self->quota);
    child->lender = self->quota;
    child->lent = s->a.quota_bytes;
    vx_handle zero = {0};
    if (copy_to_user(out, &zero, sizeof zero) != V_OK) {
        r = VX_ERR_INVALID_ARGS;
        goto done;
    }
    uint32_t value;
    kobject_ref(&child->base);
    r = htable_add(&self->handles, &child->base, child->base.ops->create_rights,
                   &value);
    if (r != VX_OK)
        goto done;
    r = move_handles(s, self, child);
    if (r == VX_OK)
        r = task_start(child, 0);
    if (r != VX_OK) {
        (void)htable_close(&self->handles, value);
        goto done;
    }
    vx_handle h = {value};
    (void)copy_to_user(out, &h, sizeof h);
done:
    if (child)
        kobject_unref(&child->base); /* the create reference */
    if (s->image)
        kobject_unref(s->image);
    for (uint32_t i = 0; i < s->looked_up; i++)
        if (s->moved[i])
            kobject_unref(s->moved[i]);
    kfree(img);
    kfree(s);
    return r;
}

int64_t sys_task_kill(uint64_t h)
{
    kobject *o;
    vx_rights rights;
    int64_t r = get(h, VX_OBJ_TASK, &o, &rights);
    if (r != VX_OK)
        return r;
    if (!(rights & VX_RIGHT_MANAGE))
        r = VX_ERR_ACCESS_DENIED;
    else
        task_kill((task *)o);
    kobject_unref(o);
    return r;
}

int64_t sys_task_status_get(uint64_t h, uint64_t out)
{
    kobject *o;
    vx_rights rights;
    int64_t r = get(h, VX_OBJ_TASK, &o, &rights);
    if (r != VX_OK)
        return r;
    task *t = (task *)o;
    vx_task_status st = {
        .state = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE),
    };
    st.exit_code = st.state == VX_TASK_EXITED ? t->exit_code : 0;
    st.quota_bytes = t->quota->limit;
    st.used_bytes = quota_used(t->quota);
    kobject_unref(o);
    if (!(rights & VX_RIGHT_READ))
        return VX_ERR_ACCESS_DENIED;
    if (!out || copy_to_user(out, &st, sizeof st) != V_OK)
        return VX_ERR_INVALID_ARGS;
    return VX_OK;
}

int64_t sys_task_initial_handle(uint64_t name, uint64_t type, uint64_t out)
{
    char n[VX_NAME_MAX + 1];
    if (!out || !name_from_user(name, n))
        return VX_ERR_INVALID_ARGS;
    task *t = task_current();
    for (uint32_t i = 0; i < t->initial_count; i++) {
        if (v_cstr_compare(t->initial[i].name, n) != 0)
            continue;
        kobject *o;
        vx_rights rights;
        uint32_t v = t->initial[i].value;
        if (htable_get(&t->handles, v, VX_OBJ_NONE, &o, &rights) != V_OK)
            return VX_ERR_BAD_HANDLE;
        bool right_type = o->ops->type == type;
        kobject_unref(o);
        if (!right_type)
            return VX_ERR_INVALID_ARGS;
        vx_handle h = {v};
        if (copy_to_user(out, &h, sizeof h) != V_OK)
            return VX_ERR_INVALID_ARGS;
        return VX_OK;
    }
    return VX_ERR_OUT_OF_RANGE;
}

int64_t sys_thread_start(uint64_t pc, uint64_t entry, uint64_t arg)
{
    /* entry is only passed on (the library's start code at pc calls
     * it), but §3 makes a NULL one INVALID_ARGS. */
    if (!entry || !user_range_ok(pc, 1))
        return VX_ERR_INVALID_ARGS;
    return (int64_t)task_thread_start(pc, entry, arg);
}
