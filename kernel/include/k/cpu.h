/* Per-CPU state. Each CPU's GS base points at its own `cpu`, whose first
 * member points at itself, so this_cpu() is one load and needs no lock:
 * only the owning CPU writes its fields unless a comment says otherwise. */
#ifndef K_CPU_H
#define K_CPU_H

#include <arch/gdt.h>
#include <stdint.h>

struct thread;

typedef struct cpu {
    struct cpu *self;          /* must stay first: this_cpu() reads gs:0 */
    unsigned index;            /* 0 = the boot CPU */
    uint32_t apic_id;
    struct thread *current;    /* running thread (NULL before threads) */
    struct thread *idle;
    int online;                /* set by the CPU itself, read by others */
    int preempt_off;           /* > 0: no involuntary switch */
    int need_resched;          /* set by timers, wakeups and IPIs */
    unsigned irq_depth;        /* > 0: inside an interrupt handler */
    /* Read by the syscall entry (arch/x86_64/syscall.S) at fixed offsets,
     * checked below: */
    uint64_t kstack_top;       /* the current thread's kernel stack top */
    uint64_t user_rsp;         /* scratch: the user's rsp during entry */
    /* This CPU's TSS RSP0 (gdt_init_cpu), written at every switch to a
     * thread with its own stack; unaligned (the TSS is packed), so it
     * is written with a memcpy. */
    void *tss_rsp0;
} cpu;

#define CPU_OFF_KSTACK_TOP 48
#define CPU_OFF_USER_RSP 56
_Static_assert(__builtin_offsetof(cpu, kstack_top) == CPU_OFF_KSTACK_TOP,
               "syscall.S reads cpu.kstack_top at a fixed offset");
_Static_assert(__builtin_offsetof(cpu, user_rsp) == CPU_OFF_USER_RSP,
               "syscall.S writes cpu.user_rsp at a fixed offset");

extern cpu cpus[MAX_CPUS];

static inline cpu *this_cpu(void)
{
    cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

/* Points GS at cpus[index] on the calling CPU. */
void percpu_init(unsigned index, uint32_t apic_id);

#endif
