/* vx/clock.h — Clock: monotonic time and timers.
 * Normative text: docs/substrate.md §8. */
#ifndef VX_CLOCK_H
#define VX_CLOCK_H

#include <vx/status.h>
#include <vx/types.h>

/* Nanoseconds since the substrate started. Never fails, never decreases. */
vx_time vx_clock_monotonic(void);

/* A disarmed timer. */
VX_CALL vx_status vx_timer_create(vx_timer *out);

/* Arms t: TIMER_FIRED will hold from some instant in
 * [deadline, deadline + slack] until the timer is set again or cancelled. */
VX_CALL vx_status vx_timer_set(vx_timer t, vx_time deadline,
                               vx_duration slack);
VX_CALL vx_status vx_timer_cancel(vx_timer t);

#endif
