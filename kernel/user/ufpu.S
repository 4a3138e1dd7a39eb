/* FPU/SSE state across switches (kernel/tests/user_test.c): each routine
 * is assembly so that no compiler-generated code touches the xmm
 * registers between the loads and the checks. */
#include <k/syscall_nr.h>

    .text

/* int ufpu_hold(uint64_t seed, uint64_t rounds)
 * Loads xmm0..15 with seed-derived values (both halves) and MXCSR with a
 * seed-derived rounding mode; then, each round, sleeps (vx_wait with a
 * deadline 100 us ahead, so other threads run on this CPU meanwhile),
 * checks every register, and loads new values. Returns 0, or 1 + the
 * number of the first register found changed (17: MXCSR). */
    .globl ufpu_hold
    .type ufpu_hold, @function
ufpu_hold:
    push %rbp
    mov %rsp, %rbp
    push %r12
    push %r13
    sub $32, %rsp               /* 0: scratch 16 bytes, 16: pending */
    mov %rdi, %r12
    mov %rsi, %r13
1:  /* load */
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    lea \i(%r12), %rax
    movq %rax, %xmm\i
    punpcklqdq %xmm\i, %xmm\i
    .endr
    mov %r12, %rax
    and $3, %eax
    shl $13, %eax               /* MXCSR.RC */
    or $0x1f80, %eax
    mov %eax, (%rsp)
    ldmxcsr (%rsp)
    /* sleep: vx_wait(1 << 62, now + 100 us, &pending) times out */
    mov $SYS_CLOCK_MONOTONIC, %eax
    syscall
    lea 100000(%rax), %rsi
    movabs $0x4000000000000000, %rdi
    lea 16(%rsp), %rdx
    mov $SYS_WAIT, %eax
    syscall
    /* check */
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu %xmm\i, (%rsp)
    lea \i(%r12), %rax
    mov $(\i + 1), %ecx
    cmp %rax, (%rsp)
    jne 9f
    cmp %rax, 8(%rsp)
    jne 9f
    .endr
    stmxcsr (%rsp)
    mov %r12, %rax
    and $3, %eax
    shl $13, %eax
    or $0x1f80, %eax
    mov $17, %ecx
    cmp %eax, (%rsp)
    jne 9f
    add $0x10000, %r12          /* new values next round */
    dec %r13
    jnz 1b
    xor %ecx, %ecx
9:  mov $0x1f80, %eax           /* leave MXCSR as the ABI expects */
    mov %eax, (%rsp)
    ldmxcsr (%rsp)
    mov %ecx, %eax
    add $32, %rsp
    pop %r13
    pop %r12
    pop %rbp
    ret
    .size ufpu_hold, . - ufpu_hold

/* int ufpu_is_clean(void)
 * 0 if every xmm register is zero, MXCSR is 0x1f80 and the x87 control
 * word 0x37f (the state a new thread starts with); else 1. */
    .globl ufpu_is_clean
    .type ufpu_is_clean, @function
ufpu_is_clean:
    sub $24, %rsp
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu %xmm\i, (%rsp)
    cmpq $0, (%rsp)
    jne 9f
    cmpq $0, 8(%rsp)
    jne 9f
    .endr
    stmxcsr (%rsp)
    cmpl $0x1f80, (%rsp)
    jne 9f
    fnstcw (%rsp)
    cmpw $0x37f, (%rsp)
    jne 9f
    xor %eax, %eax
    add $24, %rsp
    ret
9:  mov $1, %eax
    add $24, %rsp
    ret
    .size ufpu_is_clean, . - ufpu_is_clean

/* void ufpu_dirty(void): garbage in every xmm register and the x87
 * control word, MXCSR rounding toward zero. */
    .globl ufpu_dirty
    .type ufpu_dirty, @function
ufpu_dirty:
    sub $8, %rsp
    movabs $0x5a5a5a5aa5a5a5a5, %rax
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movq %rax, %xmm\i
    punpcklqdq %xmm\i, %xmm\i
    .endr
    movl $0x7f80, (%rsp)
    ldmxcsr (%rsp)
    movw $0x27f, (%rsp)
    fldcw (%rsp)
    add $8, %rsp
    ret
    .size ufpu_dirty, . - ufpu_dirty

    .section .note.GNU-stack, "", @progbits
