/* Monotonic time since boot, in nanoseconds, from the TSC calibrated
 * against the PIT. Works (returning 0) before calibration. */
#ifndef K_CLOCK_H
#define K_CLOCK_H

#include <stdint.h>
#include <arch/cpu.h>

void clock_early_init(void);

/* Set once by clock_early_init and only read after: the TSC at boot and
 * nanoseconds per tick (32.32 fixed point, 0 before calibration). The
 * reading is inline because the scheduler takes one at every switch. */
extern uint64_t clock_tsc_boot, clock_ns_mult;

static inline uint64_t clock_ns(void)
{
    uint64_t mult = clock_ns_mult;
    if (!mult)
        return 0;
    uint64_t ticks = rdtsc() - clock_tsc_boot;
    return (uint64_t)(((unsigned __int128)ticks * mult) >> 32);
}

uint64_t clock_tsc_hz(void);
/* Busy-waits: only for early boot and hardware settle times. */
void clock_spin_ns(uint64_t ns);

#endif
