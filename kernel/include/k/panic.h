/* Fatal errors: print the reason, the registers where possible and a
 * backtrace, then end the machine with K_EXIT_CRASH. */
#ifndef K_PANIC_H
#define K_PANIC_H

#include <stdint.h>

_Noreturn void kpanic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Prints "  #n 0x... symbol+0xoff" for each frame from rip/rbp outwards. */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* The same for an interrupted context, which may have stopped in a
 * function without a frame: rsp lets it show that function's caller. */
void backtrace_print_trap(uint64_t rip, uint64_t rbp, uint64_t rsp);

#define KASSERT(cond)                                                       \
    do {                                                                    \
        if (!(cond))                                                        \
            kpanic("assertion failed: %s (%s:%d)", #cond, __FILE__,         \
                   __LINE__);                                               \
    } while (0)

#endif
