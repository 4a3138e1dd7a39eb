/* Where every interrupt and exception lands (from isr.S).
 *
 * Exceptions are fatal unless a trap_catch is armed on this CPU: the
 * report (vector, error code, CR2, registers, backtrace with symbols) is
 * the one thing a kernel crash must always produce, so it uses nothing
 * but the polled console. Vectors 32..255 go to registered handlers. */
#include <arch/cpu.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <k/cpu.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/task.h>
#include <k/vm.h>
#include <k/console.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/ksyms.h>

typedef struct handler_slot {
    irq_handler fn;
    void *ctx;
} handler_slot;

static handler_slot handlers[256];
/* Catchers belong to threads (a thread may move between CPUs between
 * arming and faulting); before threads exist, to the CPU. */
static trap_catch *cpu_catcher[MAX_CPUS];

static trap_catch **catcher_slot(void)
{
    thread *t = this_cpu()->current;
    return t ? &t->catcher : &cpu_catcher[this_cpu()->index];
}

static const char *const names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode",
    "#NM device not available", "#DF double fault",
    "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualization", "#CP control protection",
    "reserved 22", "reserved 23", "reserved 24", "reserved 25",
    "reserved 26", "reserved 27", "#HV hypervisor injection",
    "#VC VMM communication", "#SX security", "reserved 31",
};

bool trap_set_handler(unsigned vector, irq_handler h, void *ctx)
{
    if (vector < 32 || vector > 255 || handlers[vector].fn)
        return false;
    handlers[vector].ctx = ctx;
    __atomic_store_n(&handlers[vector].fn, h, __ATOMIC_RELEASE);
    return true;
}

void trap_clear_handler(unsigned vector)
{
    if (vector >= 32 && vector <= 255)
        __atomic_store_n(&handlers[vector].fn, (irq_handler)0,
                         __ATOMIC_RELEASE);
}

void trap_catch_arm(trap_catch *c)
{
    c->vector = c->error = c->cr2 = c->rip = 0;
    *catcher_slot() = c;
}

void trap_catch_end(trap_catch *c)
{
    trap_catch **slot = catcher_slot();
    if (*slot == c)
        *slot = 0;
}

static void print_pf_error(uint64_t e)
{
    kprintf(" (%s, %s, %s%s%s)", e & 1 ? "protection" : "not present",
            e & 2 ? "write" : "read", e & 4 ? "user" : "kernel",
            e & 8 ? ", reserved bit" : "", e & 16 ? ", fetch" : "");
}

void trap_report(const trap_frame *f, uint64_t cr2)
{
    kprintf("\n!!! exception %lu: %s, error 0x%lx", f->vector,
            f->vector < 32 ? names[f->vector] : "?", f->error);
    if (f->vector == 14)
        print_pf_error(f->error);
    kprintf("\n!!! cr2 0x%016lx  cr3 0x%016lx\n", cr2, read_cr3());
    thread *t = this_cpu()->current;
    kprintf("!!! cpu %u, thread '%s'\n", this_cpu()->index,
            t ? t->name : "(none yet)");
    const char *sym;
    uint64_t off;
    if (ksyms_lookup(f->rip, &sym, &off))
        kprintf("!!! rip 0x%016lx <%s+0x%lx>\n", f->rip, sym, off);
    else
        kprintf("!!! rip 0x%016lx\n", f->rip);
    kprintf("    cs  0x%04lx  ss 0x%04lx  rflags 0x%08lx  rsp 0x%016lx\n",
            f->cs, f->ss, f->rflags, f->rsp);
    kprintf("    rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", f->rax,
            f->rbx, f->rcx);
    kprintf("    rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", f->rdx,
            f->rsi, f->rdi);
    kprintf("    rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", f->rbp, f->r8,
            f->r9);
    kprintf("    r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", f->r10,
            f->r11, f->r12);
    kprintf("    r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", f->r13,
            f->r14, f->r15);
    uint64_t gap = cr2 > f->rsp ? cr2 - f->rsp : f->rsp - cr2;
    if ((f->vector == 8 || f->vector == 14) && gap < 4096 && !vm_is_mapped(cr2))
        kprintf("!!! the faulting address is unmapped and next to the stack "
                "pointer: probably a stack overflow into a guard page\n");
    kprintf("backtrace:\n");
    backtrace_print_trap(f->rip, f->rbp, f->rsp);
}

void trap_dispatch(trap_frame *f);

void trap_dispatch(trap_frame *f)
{
    if (f->vector >= 32) {
        cpu *c = this_cpu();
        c->irq_depth++;
        handler_slot *h = &handlers[f->vector];
        irq_handler fn = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);
        if (fn)
            fn(f, h->ctx);
        else if (f->vector >= VEC_PIC_BASE + 16 || (f->vector & 7) != 7)
            kwarn("trap: stray interrupt on vector %lu", f->vector);
        /* The spurious vector and the masked PICs' spurious IRQ 7/15
         * must not be acknowledged; everything else is the APIC's. */
        if (f->vector != VEC_SPURIOUS && f->vector >= VEC_PIC_BASE + 16)
            lapic_eoi();
        c->irq_depth--;
        /* The preemption point: the interrupt is acknowledged, and the
         * frame stays on this thread's stack until it runs again. */
        if (c->need_resched && !c->preempt_off && !c->irq_depth)
            sched_preempt();
        if ((f->cs & 3) == 3) /* back to ring 3: unless it was killed */
            task_check_kill();
        return;
    }
    if (f->vector == 2 && __atomic_load_n(&smp_stopping, __ATOMIC_ACQUIRE)) {
        for (;;) /* another CPU is reporting a crash: stay out of it */
            __asm__ volatile("cli; hlt");
    }
    uint64_t cr2 = read_cr2();
    if ((f->cs & 3) == 3) /* a user fault ends its Task, not the kernel */
        task_fault(f->vector < 32 ? names[f->vector] : "?", f->vector,
                   f->rip, f->vector == 14 ? cr2 : f->rip);
    uint64_t fix = f->vector == 14 ? user_fixup(f->rip) : 0;
    if (fix) { /* a checked user copy met a bad page: it returns an error */
        f->rip = fix;
        return;
    }
    trap_catch **slot = catcher_slot();
    trap_catch *c = *slot;
    if (c && f->vector != 2 && f->vector != 8 && f->vector != 18) {
        /* Resume in kjmp_jump(&c->jb, 1): it restores the stack and
         * registers saved by TRAP_CATCH, so the interrupted frame is
         * simply abandoned. */
        *slot = 0;
        c->vector = f->vector;
        c->error = f->error;
        c->cr2 = cr2;
        c->rip = f->rip;
        f->rdi = (uint64_t)(uintptr_t)&c->jb;
        f->rsi = 1;
        f->rip = (uint64_t)(uintptr_t)kjmp_jump;
        return;
    }
    smp_stop_others();
    klog_panicking = true;
    trap_report(f, cr2);
    kprintf("!!! kernel stopped by an unexpected exception\n");
    machine_exit(K_EXIT_CRASH);
}
