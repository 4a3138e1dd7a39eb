/* The lowest-level output and the way out: the serial port and the
 * machine exit. Usable from the first instruction of kmain. */
#ifndef K_CONSOLE_H
#define K_CONSOLE_H

#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t n);

/* Exit codes for machine_exit; under QEMU's isa-debug-exit the process
 * status becomes (code << 1) | 1, so 1, 3 and 5. */
enum {
    K_EXIT_PASS = 0,
    K_EXIT_FAIL = 1,  /* tests ran and some failed */
    K_EXIT_CRASH = 2, /* panic or unexpected exception */
};

_Noreturn void machine_exit(int code);

#endif
