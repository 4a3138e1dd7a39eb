/* Per-CPU set-up of the user boundary, the fault fixup table, checked
 * user copies, and the per-thread state the CPU needs on a switch (the
 * kernel stack for entries from ring 3, the address space). */
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/gdt.h>
#include <arch/layout.h>
#include <arch/user.h>
#include <k/cpu.h>
#include <k/log.h>
#include <k/sched.h>
#include <k/vm.h>

#define MSR_EFER 0xC0000080u
#define MSR_STAR 0xC0000081u
#define MSR_LSTAR 0xC0000082u
#define MSR_FMASK 0xC0000084u
#define EFER_SCE (1ull << 0)

#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_NT (1ull << 14)
#define RFLAGS_AC (1ull << 18)

void syscall_entry(void);
extern char uaccess_copy8[], uaccess_copy[], uaccess_fault[];
extern char uaccess_copy8_nosmap[], uaccess_copy_nosmap[];

/* Read by uaccess.S: every CPU agrees, since all run the same model. */
uint8_t smap_on;
static bool smep_on;

static uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

void user_init_cpu(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* syscall loads CS = 0x08, SS = 0x10; sysret (64-bit) loads
     * CS = 0x18 + 16 = SEL_UCODE, SS = 0x18 + 8 = SEL_UDATA, RPL 3. */
    wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 & ~3u) << 48) |
                        ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT |
                         RFLAGS_AC);
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    uint32_t ebx7 = 0;
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        ebx7 = r[1];
    }
    uint64_t cr4 = read_cr4();
    if (ebx7 & (1u << 7)) {
        cr4 |= CR4_SMEP;
        smep_on = true;
    }
    if (ebx7 & (1u << 20)) {
        cr4 |= CR4_SMAP;
        smap_on = 1;
    }
    write_cr4(cr4);
    fpu_init_cpu();
    static bool reported; /* the boot CPU comes first, alone */
    if (!reported) {
        reported = true;
        kinfo("user: syscall entry ready, SMEP %s, SMAP %s",
              smep_on ? "on" : "not offered", smap_on ? "on" : "not offered");
    }
}

bool user_smep_enabled(void)
{
    return smep_on;
}

bool user_smap_enabled(void)
{
    return smap_on;
}

/* The fixup table: kernel instructions allowed to fault on a user
 * address, and where each resumes. */
static const struct {
    const char *insn;
    const char *fixup;
} fixups[] = {
    {uaccess_copy8, uaccess_fault},
    {uaccess_copy, uaccess_fault},
    {uaccess_copy8_nosmap, uaccess_fault},
    {uaccess_copy_nosmap, uaccess_fault},
};

/* The inline word copies' pairs (arch/user.h), gathered by the linker
 * script: instruction, resume address. */
extern const uint64_t __start_uaccess_fixups[], __stop_uaccess_fixups[];

uint64_t user_fixup(uint64_t rip)
{
    for (size_t i = 0; i < sizeof fixups / sizeof fixups[0]; i++)
        if (rip == (uint64_t)(uintptr_t)fixups[i].insn)
            return (uint64_t)(uintptr_t)fixups[i].fixup;
    for (const uint64_t *p = __start_uaccess_fixups; p < __stop_uaccess_fixups;
         p += 2)
        if (rip == p[0])
            return p[1];
    return 0;
}

/* Called by schedule() just before switching from prev to next,
 * interrupts off. The FPU registers hold prev's user state (the kernel
 * never touches them): saved here, next's loaded (arch/fpu.h). */
void arch_switch_to(thread *prev, thread *next)
{
    cpu *c = this_cpu();
    if (prev->fpu)
        fpu_save(prev->fpu);
    if (next->fpu)
        fpu_restore(next->fpu);
    if (next->stack) {
        uint64_t top = next->stack + (THREAD_STACK_PAGES + 1) * PAGE_SIZE;
        __builtin_memcpy(c->tss_rsp0, &top, sizeof top); /* tss_set_rsp0 */
        c->kstack_top = top;
    }
    uint64_t want = next->user_root ? next->user_root : vm_kernel_root();
    if ((read_cr3() & ~0xfffull) != want)
        write_cr3(want);
}
