/* The first Task `make run` starts: proves ring 3, the syscall path and
 * the loader work on a real boot, then exits 0. */
#include "usys.h"

int umain(uint64_t arg)
{
    (void)arg;
    uputs("hello from the first user Task (ring 3)");
    uint64_t t0 = (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
    uint64_t t1 = (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
    return t1 >= t0 ? 0 : 1;
}
