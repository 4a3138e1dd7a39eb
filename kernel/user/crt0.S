/* Entry of the kernel's own user programs: the kernel starts a Task at
 * _start with rsp at the top of its stack (16-byte aligned) and rdi = the
 * spawn argument; main's return value becomes the exit code. */
#define SYS_TASK_EXIT 2
    .text
    .globl _start
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call umain
    mov %eax, %edi
    mov $SYS_TASK_EXIT, %eax
    syscall
    ud2
