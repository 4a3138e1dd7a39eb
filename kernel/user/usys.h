/* System calls from the kernel's own user programs (raw, before a vx
 * library exists for native). Register ABI: docs/substrate.md, "Native
 * backend": number in rax, arguments in rdi rsi rdx r10 r8 r9, result in
 * rax; rcx and r11 are clobbered, everything else is preserved. */
#ifndef KERNEL_USER_USYS_H
#define KERNEL_USER_USYS_H

#include <stddef.h>
#include <stdint.h>
#include <k/syscall_nr.h>

static inline int64_t usys2(uint64_t nr, uint64_t a, uint64_t b)
{
    int64_t r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b)
                     : "rcx", "r11", "memory");
    return r;
}

static inline int64_t usys3(uint64_t nr, uint64_t a, uint64_t b, uint64_t c)
{
    int64_t r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

static inline int64_t udebug(const char *s, size_t n)
{
    return usys2(SYS_DEBUG_WRITE, (uint64_t)(uintptr_t)s, n);
}

static inline size_t ustrlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static inline void uputs(const char *s)
{
    (void)udebug(s, ustrlen(s));
}

static inline _Noreturn void uexit(int32_t code)
{
    usys2(SYS_TASK_EXIT, (uint64_t)(uint32_t)code, 0);
    __builtin_unreachable();
}

int umain(uint64_t arg);

#endif
