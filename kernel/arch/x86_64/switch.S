/* Thread context switch.
 * void switch_context(uint64_t *prev_rsp, uint64_t next_rsp,
 *                     volatile int *prev_on_cpu)
 * Saves the callee-saved registers on the old stack, records its stack
 * pointer, then marks the old thread off-CPU: from that store on, another
 * CPU may resume it, so nothing here touches the old stack afterwards. */
    .text
    .globl switch_context
switch_context:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    movl $0, (%rdx)
    mov %rsi, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

/* A new thread's first "return" from switch_context lands here, with the
 * thread in rbx (see thread_create). rbp is 0: backtraces stop here. */
    .cfi_sections .debug_frame
    .globl thread_start
thread_start:
    .cfi_startproc
    .cfi_undefined rip          /* gdb: a thread's outermost frame */
    mov %rbx, %rdi
    call thread_entry
    ud2
    .cfi_endproc
