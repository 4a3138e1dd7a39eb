/* The native start file (docs/process.md, "Start files"): the kernel
 * starts a Task at _start with rsp at the top of its stack and rdi = the
 * spawn argument (unused: a Task's inputs come through its footprint).
 * Nothing to set up but an aligned stack and a call; there is no libc
 * underneath. Equivalent to vx_task_exit(v_process_run()). */
    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call v_process_run
    mov %eax, %edi
    call vx_task_exit
    ud2
    .size _start, . - _start
    .section .note.GNU-stack, "", @progbits
