/* kjmp_set / kjmp_jump: setjmp and longjmp for kernel code, used to
 * resume after a caught exception. Only callee-saved state is kept: the
 * jump lands as a second return from kjmp_set. */
    .text
    .globl kjmp_set
kjmp_set:
    mov %rbx, 0(%rdi)
    mov %rbp, 8(%rdi)
    mov %r12, 16(%rdi)
    mov %r13, 24(%rdi)
    mov %r14, 32(%rdi)
    mov %r15, 40(%rdi)
    lea 8(%rsp), %rax           /* the caller's stack after we return */
    mov %rax, 48(%rdi)
    mov (%rsp), %rax            /* our return address */
    mov %rax, 56(%rdi)
    xor %eax, %eax
    ret

    .globl kjmp_jump
kjmp_jump:
    mov 0(%rdi), %rbx
    mov 8(%rdi), %rbp
    mov 16(%rdi), %r12
    mov 24(%rdi), %r13
    mov 32(%rdi), %r14
    mov 40(%rdi), %r15
    mov 48(%rdi), %rsp
    mov %esi, %eax
    test %eax, %eax
    jnz 1f
    inc %eax                    /* like longjmp: never return 0 twice */
1:  jmp *56(%rdi)
