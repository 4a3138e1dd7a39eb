/* User Tasks (k/task.h): creation from an ELF image, the ring-3 thread,
 * ending by exit, fault or kill, and the reaper that frees what an ended
 * Task owned. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/user.h>
#include <k/elf.h>
#include <k/heap.h>
#include <k/cpu.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/smp.h>
#include <k/task.h>
#include <k/vm.h>
#include <v/mem.h>

bool task_name_ok(const char *name)
{
    size_t n = 0;
    for (; name[n]; n++) {
        char c = name[n];
        if (n >= TASK_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return n > 0;
}

/* ---- the object ---- */

static vx_conditions conditions(kobject *o)
{
    task *t = (task *)o;
    return __atomic_load_n(&t->ended, __ATOMIC_ACQUIRE) ? VX_COND_TASK_EXITED
                                                        : 0;
}

/* The last reference: the Task has ended (or never started). */
static void destroy(kobject *o)
{
    task *t = (task *)o;
    htable_fini(&t->handles); /* empty unless it never started */
    if (t->root) /* never started */
        vm_root_destroy(t->root);
    if (t->lender) {
        quota_uncharge(t->lender, t->lent);
        quota_unref(t->lender);
    }
    quota_unref(t->quota);
    kfree(t);
}

static const kobject_ops ops = {
    .type = VX_OBJ_TASK,
    .create_rights = VX_RIGHT_READ | VX_RIGHT_SIGNAL | VX_RIGHT_WAIT |
                     VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE |
                     VX_RIGHT_TRANSFER,
    .can_assert = VX_COND_TASK_EXITED,
    .conditions = conditions,
    .destroy = destroy,
};

/* ---- the reaper ---- */

static waitq reap_wq = WAITQ_INIT; /* its lock also guards reap_head */
static task *reap_head;
static kmutex reaper_once = KMUTEX_INIT;
static thread *reaper;

static void reap(task *t)
{
    thread_join(t->main); /* off every CPU: its root can go */
    t->main = 0;
    vm_root_destroy(t->root);
    t->root = 0;
    if (t->lender) { /* the creator's quota gets the loan back now */
        quota_uncharge(t->lender, t->lent);
        quota_unref(t->lender);
        t->lender = 0;
    }
    uint64_t f = spin_lock_irqsave(&t->end_wq.lock);
    __atomic_store_n(&t->ended, true, __ATOMIC_RELEASE);
    waitq_wake_all_locked(&t->end_wq);
    spin_unlock_irqrestore(&t->end_wq.lock, f);
    signal_broadcast(); /* TASK_EXITED holds now */
    kobject_unref(&t->base); /* the reference its thread held */
}

static void reaper_main(void *arg)
{
    (void)arg;
    for (;;) {
        uint64_t f = spin_lock_irqsave(&reap_wq.lock);
        while (!reap_head)
            waitq_wait_locked(&reap_wq);
        task *t = reap_head;
        reap_head = t->reap_next;
        spin_unlock_irqrestore(&reap_wq.lock, f);
        reap(t);
    }
}

static bool reaper_running(void)
{
    kmutex_lock(&reaper_once);
    if (!reaper)
        reaper = thread_create("reaper", reaper_main, 0, SCHED_PRIO_DEFAULT);
    kmutex_unlock(&reaper_once);
    return reaper != 0;
}

/* ---- creation ---- */

static void user_thread_start(void *arg)
{
    task *t = arg;
    task_check_kill(); /* killed before it ever ran */
    user_enter(t->entry, USER_STACK_TOP, t->arg);
}

static v_status map_stack(uint64_t root)
{
    /* The page below the stack stays unmapped: an overflow faults. */
    for (unsigned i = 1; i <= USER_STACK_PAGES; i++) {
        uint64_t pa = pmm_alloc_zeroed();
        if (!pa)
            return V_ERR_NO_MEMORY;
        v_status st = vm_root_map(root, USER_STACK_TOP - i * PAGE_SIZE, pa,
                                  VM_WRITE);
        if (st != V_OK) {
            pmm_free(pa);
            return st;
        }
    }
    return V_OK;
}

v_status task_create(const char *name, const void *image, size_t len,
                     uint64_t quota_bytes, uint32_t handle_limit, task **out,
                     const char **why)
{
    *why = 0;
    if (!name || !task_name_ok(name)) {
        *why = "bad Task name";
        return V_ERR_INVALID_ARGS;
    }
    elf_image e;
    v_status st = elf_parse(image, len, UMAP_BASE, &e, why);
    if (st != V_OK)
        return st;
    if (!reaper_running())
        return V_ERR_NO_MEMORY;
    task *t = kzalloc(sizeof *t);
    if (!t)
        return V_ERR_NO_MEMORY;
    kobject_init(&t->base, &ops);
    v_mem_copy(t->name, name, v_cstr_len(name));
    t->entry = e.entry;
    t->state = TASK_RUNNING;
    waitq_init(&t->end_wq);
    t->signals.timer = (ktimer)KTIMER_INIT;
    htable_init(&t->handles, handle_limit);
    umaps_init(&t->maps);
    t->quota = quota_create(quota_bytes);
    t->root = t->quota ? vm_root_create() : 0;
    if (!t->root) {
        if (t->quota)
            quota_unref(t->quota);
        kfree(t);
        return V_ERR_NO_MEMORY;
    }
    st = elf_load(t->root, image, &e);
    if (st == V_OK)
        st = map_stack(t->root);
    if (st != V_OK) {
        kobject_unref(&t->base);
        return st;
    }
    *out = t;
    return V_OK;
}

v_status task_add_initial(task *t, const char *name, kobject *o,
                          vx_rights rights)
{
    bool dup = false;
    for (uint32_t i = 0; i < t->initial_count; i++)
        if (v_cstr_compare(t->initial[i].name, name) == 0)
            dup = true;
    if (!task_name_ok(name) || dup ||
        t->initial_count == VX_SPAWN_HANDLES_MAX) {
        kobject_unref(o);
        return V_ERR_INVALID_ARGS;
    }
    uint32_t value;
    v_status st = htable_add(&t->handles, o, rights, &value);
    if (st != V_OK)
        return st;
    task_initial *in = &t->initial[t->initial_count++];
    v_mem_copy(in->name, name, v_cstr_len(name) + 1);
    in->value = value;
    return V_OK;
}

v_status task_start(task *t, uint64_t arg)
{
    t->arg = arg;
    kobject_ref(&t->base); /* the running Task's own, dropped by reap */
    t->main = thread_create_user(t->name, user_thread_start, t, t->root, t);
    if (!t->main) {
        __atomic_sub_fetch(&t->base.refs, 1, __ATOMIC_RELAXED);
        return V_ERR_NO_MEMORY;
    }
    return V_OK;
}

v_status task_spawn(const char *name, const void *image, size_t len,
                    uint64_t arg, task **out, const char **why)
{
    task *t;
    v_status st = task_create(name, image, len, TASK_QUOTA_BYTES,
                              TASK_HANDLE_LIMIT, &t, why);
    if (st != V_OK)
        return st;
    st = task_start(t, arg);
    if (st != V_OK) {
        kobject_unref(&t->base);
        return st;
    }
    *out = t;
    return V_OK;
}

void task_wait(task *t)
{
    WAIT_EVENT(&t->end_wq, t->ended);
}

void task_destroy(task *t)
{
    task_wait(t);
    kobject_unref(&t->base);
}

/* ---- ending ---- */

task *task_current(void)
{
    thread *th = thread_current();
    return th ? th->task : 0;
}

static _Noreturn void end(task *t, task_state how)
{
    /* The state first (status_get reads it), then every handle and
     * mapping goes, from thread context: the caller has interrupts on. */
    __atomic_store_n(&t->state, how, __ATOMIC_RELEASE);
    timer_cancel(&t->signals.timer);
    htable_fini(&t->handles);
    umaps_fini(&t->maps, t->root);
    /* task_start may not have stored it yet: the thread can run (and
     * end) on another CPU before thread_create_user returns there. */
    t->main = thread_current();
    uint64_t f = spin_lock_irqsave(&reap_wq.lock);
    t->reap_next = reap_head;
    reap_head = t;
    waitq_wake_one_locked(&reap_wq);
    spin_unlock_irqrestore(&reap_wq.lock, f);
    thread_exit();
}

void task_exit_current(int32_t code)
{
    task *t = task_current();
    t->exit_code = code;
    end(t, TASK_EXITED);
}

void task_fault(const char *what, uint64_t vector, uint64_t rip,
                uint64_t addr)
{
    task *t = task_current();
    if (!t)
        kpanic("ring-3 fault (%s) in thread without a Task", what);
    kwarn("task '%s' killed: %s at rip 0x%lx, address 0x%lx", t->name, what,
          rip, addr);
    t->fault_vector = vector;
    t->fault_addr = addr;
    /* The fault came from ring 3, so this is the Task's own thread with
     * nothing of the kernel's held: as safe as a syscall. */
    irq_enable();
    end(t, TASK_CRASHED);
}

void task_kill(task *t)
{
    if (__atomic_exchange_n(&t->kill_requested, true, __ATOMIC_ACQ_REL))
        return;
    /* Wherever its thread runs, an interrupt brings it back through
     * task_check_kill on its way to ring 3. */
    unsigned self = this_cpu()->index;
    for (unsigned i = 0; i < smp_cpu_count(); i++)
        if (i != self)
            smp_kick(i);
    signal_broadcast(); /* out of vx_wait */
}

void task_check_kill(void)
{
    task *t = task_current();
    if (t && __atomic_load_n(&t->kill_requested, __ATOMIC_ACQUIRE)) {
        irq_enable(); /* on the way to ring 3: nothing is held */
        end(t, TASK_KILLED);
    }
}
