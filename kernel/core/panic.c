/* kpanic and the frame-pointer backtrace. The kernel is built with frame
 * pointers, so each frame starts with [saved rbp][return address]; the
 * walk stops at rbp 0 (set at boot and at every thread's first frame) or
 * at anything that does not look like a kernel stack address. */
#include <arch/cpu.h>
#include <k/console.h>
#include <k/ksyms.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/cpu.h>
#include <k/panic.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/vm.h>

#define MAX_FRAMES 32   /* lines printed */
#define MAX_STEPS 4096  /* frames walked */

static bool frame_readable(uint64_t rbp)
{
    if (rbp & 7 || rbp < PHYSMAP_BASE || rbp > (uint64_t)-16)
        return false;
    return vm_is_mapped(rbp) && vm_is_mapped(rbp + 8);
}

static void print_frame(unsigned i, uint64_t rip)
{
    const char *name;
    uint64_t off;
    if (ksyms_lookup(rip, &name, &off))
        kprintf("  #%-2u 0x%016lx %s+0x%lx\n", i, rip, name, off);
    else
        kprintf("  #%-2u 0x%016lx ?\n", i, rip);
}

/* Runs of the same return address (deep recursion, the usual cause of
 * a stack overflow) print once with a count, so the frames that called
 * into the recursion still fit in the report. */
static void walk(unsigned i, uint64_t rbp)
{
    uint64_t last = 0, repeats = 0;
    unsigned steps = 0;
    while (rbp && i < MAX_FRAMES && steps++ < MAX_STEPS &&
           frame_readable(rbp)) {
        const uint64_t *fp = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = fp[1];
        if (!ret)
            break;
        if (ret == last) {
            repeats++;
        } else {
            if (repeats)
                kprintf("      (the frame above %lu more times)\n", repeats);
            repeats = 0;
            last = ret;
            /* A return address points after the call; step back into it
             * so the symbol is the caller's even for a call at the end of
             * a function. */
            print_frame(i++, ret - 1);
        }
        if (fp[0] <= rbp)
            break; /* frames must move up the stack */
        rbp = fp[0];
    }
    if (repeats)
        kprintf("      (the frame above %lu more times)\n", repeats);
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    print_frame(0, rip);
    walk(1, rbp);
}

void backtrace_print_trap(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
    print_frame(0, rip);
    /* A leaf function (or one interrupted before its prologue) has no
     * frame of its own, so the rbp chain starts at its caller's caller.
     * Its return address is then on top of the stack: show it, marked,
     * unless the chain would show it anyway. */
    const char *name;
    uint64_t off;
    if (!(rsp & 7) && vm_is_mapped(rsp)) {
        uint64_t top = *(const uint64_t *)(uintptr_t)rsp;
        bool chain_has_it = frame_readable(rbp) &&
                            ((const uint64_t *)(uintptr_t)rbp)[1] == top;
        if (!chain_has_it && ksyms_lookup(top - 1, &name, &off)) {
            kprintf("  #?  0x%016lx %s+0x%lx (return address on the stack "
                    "top: a function without a frame)\n", top - 1, name,
                    off);
        }
    }
    walk(1, rbp);
}

void kpanic(const char *fmt, ...)
{
    irq_disable();
    smp_stop_others();
    klog_panicking = true;
    kprintf("\n!!! PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    thread *t = this_cpu()->current;
    kprintf("\n!!! cpu %u, thread '%s'\nbacktrace:\n", this_cpu()->index,
            t ? t->name : "(none yet)");
    uint64_t rbp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
    backtrace_print((uint64_t)(uintptr_t)&kpanic, rbp);
    machine_exit(K_EXIT_CRASH);
}
