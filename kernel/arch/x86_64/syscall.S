/* The `syscall` entry and the first entry into ring 3.
 *
 * syscall leaves rip in rcx, rflags in r11, and nothing else: the stack is
 * still the user's and GS still the user's. FMASK has cleared IF, TF, DF
 * and AC, so nothing interrupts us until the kernel stack is in place.
 * Register ABI: docs/substrate.md, "Native backend".
 *
 * The entry is the cost every call pays, so it stores only what the ABI
 * makes it keep: the user's rsp, rflags and rip (for sysret), rbp (it is
 * zeroed so backtraces stop here) and the six argument registers, which
 * are preserved but which C may clobber. rbx and r12..r15 are callee-saved
 * in C, so every handler preserves them. The handler is called straight
 * from syscall_table (core/syscall.c) with the arguments still in their
 * registers (r10, the fourth, moved to rcx as C expects); a handler taking
 * fewer arguments ignores the rest, as the SysV ABI allows. Its result is
 * already in rax. The frame, from kstack_top down: user rsp, rflags, rip,
 * rbp, rdi, rsi, rdx, r10, r8, r9 (80 bytes, so the stack stays 16-byte
 * aligned at the call). Nothing else reads it. */
#include <arch/syscall_abi.h>
#include <k/syscall_nr.h>

#define CPU_OFF_KSTACK_TOP 48
#define CPU_OFF_USER_RSP 56
#define FRAME_RIP 56                    /* from rsp once r9 is pushed */
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2B

    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_OFF_USER_RSP
    mov %gs:CPU_OFF_KSTACK_TOP, %rsp
    pushq %gs:CPU_OFF_USER_RSP
    push %r11                       /* rflags */
    push %rcx                       /* rip */
    push %rbp
    push %rdi
    push %rsi
    push %rdx
    push %r10
    push %r8
    push %r9
    xor %ebp, %ebp                  /* backtraces stop at the boundary */
    cmp $SYS_COUNT, %rax
    jae .Lbad_call
    mov %r10, %rcx
    sti
    call *syscall_table(, %rax, 8)  /* may switch threads, may not return */
    cli
    /* The common case inline: nobody asked this Task to end. */
    mov %gs:SYSCALL_OFF_CPU_CURRENT, %rcx
    mov SYSCALL_OFF_THREAD_TASK(%rcx), %rcx
    cmpb $0, SYSCALL_OFF_TASK_KILL(%rcx)
    jne .Lkill
.Lreturn:
    pop %r9
    pop %r8
    pop %r10
    pop %rdx
    pop %rsi
    pop %rdi
    pop %rbp
    pop %rcx                        /* rip */
    /* sysret must not meet a non-canonical rip; nothing can be mapped
     * where one would come from, so this is a last guard. */
    cmp .Luser_top(%rip), %rcx
    jae .Lbad_return
    pop %r11                        /* rflags */
    pop %rsp                        /* the user's stack */
    swapgs
    sysretq

.Lkill:                             /* leaves if the Task is ending */
    push %rax
    sub $8, %rsp
    sti
    call task_check_kill
    cli
    add $8, %rsp
    pop %rax
    jmp .Lreturn

.Lbad_call:                         /* a number past the table */
    mov %rax, %rdi
    mov FRAME_RIP(%rsp), %rsi
    sti
    call syscall_bad                /* does not return */

.Lbad_return:                       /* rip in rcx, the stack aligned */
    mov %rcx, %rdi
    sti
    call syscall_bad_return         /* does not return */

    .section .rodata
    .balign 8
.Luser_top:
    .quad SYSCALL_USER_TOP
    .text

/* _Noreturn void user_enter(uint64_t rip, uint64_t rsp, uint64_t arg,
 *                          uint64_t arg2) */
    .globl user_enter
user_enter:
    cli
    pushq $SEL_UDATA
    pushq %rsi
    pushq $0x202                    /* IF, and the always-one bit */
    pushq $SEL_UCODE
    pushq %rdi
    mov %rdx, %rdi
    mov %rcx, %rsi
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %ebp, %ebp
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r11d, %r11d
    xor %r12d, %r12d
    xor %r13d, %r13d
    xor %r14d, %r14d
    xor %r15d, %r15d
    swapgs
    iretq
