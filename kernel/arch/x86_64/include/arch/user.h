/* The user-mode boundary on x86-64: the user half of an address space,
 * the `syscall` entry, the first entry into ring 3, and checked copies
 * between kernel and user memory.
 *
 * User addresses are [USER_BASE, USER_TOP). USER_TOP stops one page short
 * of the end of the canonical lower half on purpose: `sysret` to a
 * non-canonical RIP faults in ring 0 on Intel CPUs with the user's stack
 * pointer already loaded, and the only way a return address becomes
 * non-canonical is a `syscall` in the half's very last page. With nothing
 * ever mapped there, that cannot happen (syscall_return checks anyway). */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

#define USER_BASE 0x10000ull            /* page 0.. stay unmapped: NULL */
#define USER_TOP 0x00007fffffff0000ull  /* exclusive */

/* Per-CPU set-up: EFER.SCE, STAR/LSTAR/FMASK, SMEP and SMAP when the CPU
 * has them. Called by gdt_init_cpu on every CPU. */
void user_init_cpu(void);
bool user_smep_enabled(void);
bool user_smap_enabled(void);

/* Leaves the kernel for good on this stack: ring 3 at rip with rsp, rdi =
 * arg, rsi = arg2, every other register zero, interrupts on. */
_Noreturn void user_enter(uint64_t rip, uint64_t rsp, uint64_t arg,
                          uint64_t arg2);

/* [addr, addr+len) inside [USER_BASE, USER_TOP). Written so that a
 * constant len (most structs) costs one unsigned comparison: below
 * USER_BASE, addr - USER_BASE wraps to a value larger than any bound. */
static inline bool user_range_ok(uint64_t addr, size_t len)
{
    return len <= USER_TOP - USER_BASE &&
           addr - USER_BASE <= USER_TOP - USER_BASE - len;
}

/* Checked copies: INVALID_ARGS if [user, user+len) is not user memory, or
 * if any page of it faults (unmapped, or written without write access).
 * A fault is caught by the fixup table (trap.c), never a kernel crash.
 * Bytes before a fault may have been copied. */
/* Inline: several run on every Ring call, and the range check is a few
 * instructions. user_copy_raw (uaccess.S) and user_copy_words are the
 * ones that may fault. */
int user_copy_raw(void *dst, const void *src, size_t n);
/* The same for n 8-byte words: whole-word sizes (most structs, most
 * Ring messages) skip the split into words and a tail, and the call:
 * this one is inline, as every Ring call makes a few small copies. A
 * fault at either string instruction resumes at the fault path, listed
 * with it in the section uaccess_fixups (searched by user_fixup); with
 * SMAP on, stac/clac open the user half for exactly the copy, and each
 * mode has its own `rep movsq`, so the mode is tested once. */
extern uint8_t smap_on; /* user.c: CR4.SMAP is on (every CPU alike) */

__attribute__((always_inline)) static inline int
user_copy_words(void *dst, const void *src, size_t n)
{
    int err = 0;
    __asm__ volatile(
        "cmpb $0, smap_on(%%rip)\n\t"
        "je .Luw_plain%=\n\t"
        "stac\n"
        ".Luw_smap%=:\n\t"
        "rep movsq\n\t"
        "clac\n\t"
        "jmp .Luw_done%=\n"
        ".Luw_plain%=:\n\t"
        "rep movsq\n"
        ".Luw_done%=:\n\t"
        ".pushsection .text.uaccess_fault, \"ax\"\n"
        ".Luw_fault%=:\n\t"
        "mov $-1, %[err]\n\t"
        "cmpb $0, smap_on(%%rip)\n\t"
        "je .Luw_done%=\n\t"
        "clac\n\t"
        "jmp .Luw_done%=\n\t"
        ".popsection\n\t"
        ".pushsection uaccess_fixups, \"a\"\n\t"
        ".balign 8\n\t"
        ".quad .Luw_smap%=, .Luw_fault%=\n\t"
        ".quad .Luw_plain%=, .Luw_fault%=\n\t"
        ".popsection"
        : "+D"(dst), "+S"(src), "+c"(n), [err] "+r"(err)
        :
        : "memory", "cc");
    return err;
}

/* Whole words inline (a constant size folds the test away; Ring
 * messages are usually whole words too), anything else by the call. */
__attribute__((always_inline)) static inline int
user_copy(void *dst, const void *src, size_t len)
{
    if (len % 8 == 0)
        return user_copy_words(dst, src, len / 8);
    return user_copy_raw(dst, src, len);
}

static inline v_status copy_from_user(void *dst, uint64_t user_src,
                                      size_t len)
{
    if (!len)
        return V_OK;
    if (!user_range_ok(user_src, len) ||
        user_copy(dst, (const void *)(uintptr_t)user_src, len))
        return V_ERR_INVALID_ARGS;
    return V_OK;
}

static inline v_status copy_to_user(uint64_t user_dst, const void *src,
                                    size_t len)
{
    if (!len)
        return V_OK;
    if (!user_range_ok(user_dst, len) ||
        user_copy((void *)(uintptr_t)user_dst, src, len))
        return V_ERR_INVALID_ARGS;
    return V_OK;
}

/* For trap.c: if rip is a user-access instruction that may fault, the
 * address to resume at instead (0 if none). */
uint64_t user_fixup(uint64_t rip);

#endif
