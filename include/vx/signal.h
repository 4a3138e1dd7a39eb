/* vx/signal.h — Signal: each Task's 64-bit signal word, and waiting on it.
 * Normative text: docs/substrate.md §7. */
#ifndef VX_SIGNAL_H
#define VX_SIGNAL_H

#include <vx/status.h>
#include <vx/types.h>

#define VX_SIGNAL_BITS 64u

/* Bit `bit` of the caller's signal word is pending while any of
 * `conditions` holds on h's object. */
VX_CALL vx_status vx_signal_bind(vx_handle h, vx_conditions conditions,
                                 uint32_t bit);
VX_CALL vx_status vx_signal_unbind(uint32_t bit);

/* Raises `bits` in another Task's signal word (SIGNAL right), or in the
 * caller's own. A raised bit stays pending until a wait returns it. */
VX_CALL vx_status vx_signal_raise(vx_task task, uint64_t bits);
VX_CALL vx_status vx_signal_raise_self(uint64_t bits);

/* Sleeps until a bit of `mask` is pending or the monotonic clock reaches
 * `deadline` (VX_TIME_INFINITE: never). Returns the pending bits of mask
 * and clears the raised ones among them. */
VX_CALL vx_status vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending);

#endif
