/* Interrupt entry stubs. Every vector gets a stub that makes the stack look
 * the same (a zero error code where the CPU pushes none, then the vector)
 * and jumps to one common path, which saves the general registers as a
 * trap_frame and calls trap_dispatch(frame). */
    .text

    .altmacro
    .macro stub v
    .balign 16
isr_stub_\v:
    .if !((\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30))
    pushq $0
    .endif
    pushq $\v
    jmp isr_common
    .endm

    .set i, 0
    .rept 256
    stub %i
    .set i, i + 1
    .endr

/* From ring 3 (the saved CS has RPL 3), GS holds the user's base: swap
 * in the kernel's per-CPU base first, and back on the way out. */
isr_common:
    testb $3, 24(%rsp)          /* cs, above vector, error and rip */
    jz 1f
    swapgs
1:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    cld
    call trap_dispatch
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:
    add $16, %rsp               /* vector and error code */
    iretq

    .macro stub_addr v
    .quad isr_stub_\v
    .endm

    .section .rodata
    .balign 8
    .globl isr_stub_table
isr_stub_table:
    .set i, 0
    .rept 256
    stub_addr %i
    .set i, i + 1
    .endr
