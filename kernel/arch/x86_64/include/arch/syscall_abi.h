/* Numbers the syscall entry (syscall.S, which includes this file) needs
 * from C structures; core/syscall.c checks each against the real layout,
 * so a change there is a build error, not a wrong offset. Plain
 * constants only: assembler and C both read this. */
#ifndef ARCH_SYSCALL_ABI_H
#define ARCH_SYSCALL_ABI_H

#define SYSCALL_OFF_CPU_CURRENT 16      /* cpu.current */
#define SYSCALL_OFF_THREAD_TASK 208     /* thread.task */
#define SYSCALL_OFF_TASK_KILL 752       /* task.kill_requested (a bool) */
#define SYSCALL_USER_TOP 0x00007fffffff0000 /* USER_TOP (arch/user.h) */

#endif
