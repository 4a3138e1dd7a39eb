/* Monotonic time since boot, in nanoseconds, from the TSC calibrated
 * against the PIT. Works (returning 0) before calibration. */
#ifndef K_CLOCK_H
#define K_CLOCK_H

#include <stdint.h>

void clock_early_init(void);
uint64_t clock_ns(void);
uint64_t clock_tsc_hz(void);
/* Busy-waits: only for early boot and hardware settle times. */
void clock_spin_ns(uint64_t ns);

#endif
