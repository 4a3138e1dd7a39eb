/* The `syscall` entry and the first entry into ring 3.
 *
 * syscall leaves rip in rcx, rflags in r11, and nothing else: the stack is
 * still the user's and GS still the user's. FMASK has cleared IF, TF, DF
 * and AC, so nothing interrupts us until the kernel stack is in place.
 * The entry builds a trap_frame (arch/trap.h) on the thread's kernel
 * stack, exactly as an interrupt from ring 3 would, so syscalls, faults
 * and the scheduler see one frame shape. Vector 0x100 marks a syscall.
 * Register ABI: docs/substrate.md, "Native backend". */
#define CPU_OFF_KSTACK_TOP 48
#define CPU_OFF_USER_RSP 56
#define SEL_UDATA 0x23
#define SEL_UCODE 0x2B

    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:CPU_OFF_USER_RSP
    mov %gs:CPU_OFF_KSTACK_TOP, %rsp
    pushq $SEL_UDATA                /* ss */
    pushq %gs:CPU_OFF_USER_RSP      /* rsp */
    pushq %r11                      /* rflags */
    pushq $SEL_UCODE                /* cs */
    pushq %rcx                      /* rip */
    pushq $0                        /* error */
    pushq $0x100                    /* vector: a syscall */
    /* rbx and r12..r15 are callee-saved in C: syscall_dispatch and
     * everything it calls preserve them, so their slots are left unset
     * (nothing reads a syscall frame's copies) and they reach ring 3
     * again untouched. rbp is saved: it is zeroed below. */
    push %rax
    sub $8, %rsp                    /* rbx */
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    sub $32, %rsp                   /* r12..r15 */
    mov %rsp, %rdi
    xor %ebp, %ebp                  /* backtraces stop at the boundary */
    sti
    call syscall_dispatch           /* may switch threads, may not return */
    cli
    add $40, %rsp                   /* r15..r12 (see above); r11: rflags */
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    add $16, %rsp                   /* rcx (rip, below), rbx */
    pop %rax
    add $16, %rsp                   /* vector, error */
    /* syscall_dispatch has checked the frame's rip is a user address
     * below USER_TOP (canonical), so sysret cannot fault in ring 0. */
    mov 0(%rsp), %rcx               /* rip */
    mov 16(%rsp), %r11              /* rflags */
    mov 24(%rsp), %rsp              /* the user's stack */
    swapgs
    sysretq

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
