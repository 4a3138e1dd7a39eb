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
static task *reap_head, *reap_tail; /* FIFO */
static kmutex reaper_once = KMUTEX_INIT;
static thread *reaper;

static void reap(task *t)
{
    /* Every thread has left (live_threads is 0): join them all, so the
     * address space is on no CPU and its root can go. */
    for (uint32_t i = 0; i < TASK_THREADS_MAX; i++)
        if (t->threads[i]) {
            thread_join(t->threads[i]);
            t->threads[i] = 0;
        }
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
    kobject_unref(&t->base); /* the reference its threads held */
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
        if (!reap_head)
            reap_tail = 0;
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

/* What a new thread's kernel half needs to enter ring 3 (freed there). */
typedef struct uthread_start {
    uint32_t slot;
    uint64_t pc, sp, a0, a1;
} uthread_start;

static void user_thread_start(void *arg)
{
    uthread_start s = *(uthread_start *)arg;
    kfree(arg);
    thread_current()->task_slot = s.slot;
    task_check_kill(); /* killed before it ever ran */
    user_enter(s.pc, s.sp, s.a0, s.a1);
}

uint64_t task_thread_stack_top(uint32_t slot)
{
    return slot == 0 ? USER_STACK_TOP
                     : USER_THREAD_STACKS + (slot + 1) * USER_THREAD_STRIDE;
}

/* USER_STACK_PAGES zeroed pages below top; the page below them stays
 * unmapped, so an overflow faults. */
static v_status map_stack(uint64_t root, uint64_t top)
{
    for (unsigned i = 1; i <= USER_STACK_PAGES; i++) {
        uint64_t pa = pmm_alloc_zeroed();
        if (!pa)
            return V_ERR_NO_MEMORY;
        v_status st = vm_root_map(root, top - i * PAGE_SIZE, pa, VM_WRITE);
        if (st != V_OK) {
            pmm_free(pa);
            return st;
        }
    }
    return V_OK;
}

/* Frees what map_stack mapped (all or part of it). No lock held: each
 * unmap shoots the page down on every CPU. */
static void unmap_stack(uint64_t root, uint64_t top)
{
    for (unsigned i = 1; i <= USER_STACK_PAGES; i++) {
        uint64_t pa;
        if (vm_root_unmap(root, top - i * PAGE_SIZE, &pa) == V_OK)
            pmm_free(pa);
    }
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
    t->tlock = (spinlock)SPINLOCK_INIT;
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
        st = map_stack(t->root, USER_STACK_TOP);
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
    uthread_start *s = kmalloc(sizeof *s);
    if (!s)
        return V_ERR_NO_MEMORY;
    *s = (uthread_start){0, t->entry, USER_STACK_TOP, arg, 0};
    kobject_ref(&t->base); /* the running Task's own, dropped by reap */
    t->slots_used = 1;
    t->live_threads = 1;
    thread *th = thread_create_user(t->name, user_thread_start, s, t->root, t);
    if (!th) {
        t->slots_used = 0;
        t->live_threads = 0;
        kfree(s);
        __atomic_sub_fetch(&t->base.refs, 1, __ATOMIC_RELAXED);
        return V_ERR_NO_MEMORY;
    }
    /* Not stored in threads[0] here: it may have run, left and been
     * reaped already. Each thread stores itself when it leaves. */
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

/* Sets the final state, once: the first of exit, fault and kill wins.
 * Then every thread of t is asked to leave: wherever one runs, an
 * interrupt brings it back through task_check_kill on its way to ring 3,
 * and one asleep in vx_wait is woken. */
static void finish(task *t, task_state how, int32_t code)
{
    if (__atomic_exchange_n(&t->ending, true, __ATOMIC_ACQ_REL))
        return;
    t->exit_code = code;
    __atomic_store_n(&t->state, how, __ATOMIC_RELEASE);
    __atomic_store_n(&t->kill_requested, true, __ATOMIC_RELEASE);
    unsigned self = this_cpu()->index;
    for (unsigned i = 0; i < smp_cpu_count(); i++)
        if (i != self)
            smp_kick(i);
    signal_broadcast();
}

/* The calling thread leaves its Task (interrupts on, nothing held). The
 * last one out closes every handle and mapping and hands the Task to the
 * reaper. */
static _Noreturn void leave(task *t)
{
    thread *self = thread_current();
    uint32_t slot = self->task_slot;
    /* Its user stack stays mapped for the slot's next thread: unmapping
     * would cost a TLB shootdown per page. */
    uint64_t f = spin_lock_irqsave(&t->tlock);
    t->threads[slot] = self; /* joined by the next user of the slot */
    bool last = --t->live_threads == 0;
    spin_unlock_irqrestore(&t->tlock, f);
    if (last) {
        finish(t, TASK_EXITED, 0); /* every thread returned: exit 0 */
        htable_fini(&t->handles);
        umaps_fini(&t->maps, t->root);
        f = spin_lock_irqsave(&reap_wq.lock);
        t->reap_next = 0;
        if (reap_tail)
            reap_tail->reap_next = t;
        else
            reap_head = t;
        reap_tail = t;
        waitq_wake_one_locked(&reap_wq);
        spin_unlock_irqrestore(&reap_wq.lock, f);
    }
    thread_exit();
}

void task_exit_current(int32_t code)
{
    task *t = task_current();
    finish(t, TASK_EXITED, code);
    leave(t);
}

void task_thread_exit(void)
{
    leave(task_current());
}

void task_fault(const char *what, uint64_t vector, uint64_t rip,
                uint64_t addr)
{
    task *t = task_current();
    if (!t)
        kpanic("ring-3 fault (%s) in thread without a Task", what);
    kwarn("task '%s' killed: %s at rip 0x%lx, address 0x%lx", t->name, what,
          rip, addr);
    /* The fault came from ring 3, so this is one of the Task's threads
     * with nothing of the kernel's held: as safe as a syscall. */
    irq_enable();
    if (!__atomic_load_n(&t->ending, __ATOMIC_ACQUIRE)) {
        t->fault_vector = vector;
        t->fault_addr = addr;
    }
    finish(t, TASK_CRASHED, 0);
    leave(t);
}

void task_kill(task *t)
{
    if (__atomic_exchange_n(&t->kill_requested, true, __ATOMIC_ACQ_REL))
        return;
    /* Wherever its threads run, an interrupt brings them back through
     * task_check_kill on their way to ring 3. */
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
        finish(t, TASK_KILLED, 0); /* unless exit or a fault came first */
        leave(t);
    }
}

/* ---- more threads ---- */

v_status task_thread_start(uint64_t pc, uint64_t a0, uint64_t a1)
{
    task *t = task_current();
    thread *dead[TASK_THREADS_MAX];
    unsigned ndead = 0;
    uint32_t slot = 0;
    uint64_t f = spin_lock_irqsave(&t->tlock);
    /* Threads that ended alone are joined by whoever needs their slot. */
    for (uint32_t i = 1; i < TASK_THREADS_MAX; i++) {
        thread *th = t->threads[i];
        if (th && __atomic_load_n(&th->exited, __ATOMIC_ACQUIRE)) {
            dead[ndead++] = th;
            t->threads[i] = 0;
            t->slots_used &= ~(1ull << i);
        }
    }
    bool ending = __atomic_load_n(&t->ending, __ATOMIC_ACQUIRE);
    for (uint32_t i = 1; i < TASK_THREADS_MAX && !slot && !ending; i++)
        if (!(t->slots_used >> i & 1)) {
            slot = i;
            t->slots_used |= 1ull << i;
            t->live_threads++;
        }
    spin_unlock_irqrestore(&t->tlock, f);
    for (unsigned i = 0; i < ndead; i++)
        thread_join(dead[i]);
    if (!slot)
        return ending ? V_ERR_BAD_STATE : V_ERR_LIMIT;
    uint64_t top = task_thread_stack_top(slot);
    uthread_start *s = kmalloc(sizeof *s);
    bool mapped = t->stacks_mapped >> slot & 1; /* the slot is ours */
    v_status st = !s ? V_ERR_NO_MEMORY
                     : mapped ? V_OK : map_stack(t->root, top);
    if (st == V_OK && !mapped)
        __atomic_or_fetch(&t->stacks_mapped, 1ull << slot, __ATOMIC_RELAXED);
    thread *th = 0;
    if (st == V_OK) {
        *s = (uthread_start){slot, pc, top, a0, a1};
        th = thread_create_user(t->name, user_thread_start, s, t->root, t);
    }
    if (th)
        return V_OK; /* it stores itself in its slot when it leaves */
    f = spin_lock_irqsave(&t->tlock);
    t->slots_used &= ~(1ull << slot);
    t->live_threads--; /* the caller still counts: never the last */
    spin_unlock_irqrestore(&t->tlock, f);
    if (st != V_OK && !mapped)
        unmap_stack(t->root, top); /* what map_stack managed */
    kfree(s);
    return V_ERR_NO_MEMORY;
}
