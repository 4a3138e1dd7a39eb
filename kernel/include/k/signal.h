/* Signal words and waiting (docs/substrate.md §7).
 *
 * Each Task has a raised-bits word and 64 bindings (a handle value and
 * conditions). A binding names a handle value, so it ends by itself when
 * that handle is closed or moved away: the value is stale for good and
 * the binding is dropped the next time it is looked at.
 *
 * Waking: every change that can make a condition hold (a raise, a timer
 * set, a Task ending, a kill) bumps one global generation and wakes every
 * waiter, which re-evaluates; a waiter also sleeps no later than the
 * earliest deadline of the armed timers it has bound. Simple and never
 * loses a wakeup; a thundering herd when many Tasks wait. */
#ifndef K_SIGNAL_H
#define K_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <k/timer.h>
#include <vx/types.h>

#define SIGNAL_BITS 64

typedef struct signal_binding {
    uint32_t value;            /* 0: unbound */
    vx_conditions conditions;
} signal_binding;

typedef struct signal_word {
    uint64_t raised;           /* atomic */
    signal_binding bind[SIGNAL_BITS]; /* any thread of the Task */
} signal_word;

/* Wakes every waiter to re-evaluate (any context). */
void signal_broadcast(void);
/* The same from a syscall's path (interrupts on, no spinlock held);
 * true if a woken waiter is queued on this CPU and at least as urgent
 * as the caller, which should then hand the CPU over (thread_yield)
 * once it holds nothing. */
bool signal_broadcast_handoff(void);

/* The same with the handoff done here: a waiter woken onto this CPU and
 * at least as urgent as the caller runs at once (sched_wake_all_yield),
 * the caller queued behind it. From a syscall's path with nothing held
 * (interrupts on). */
void signal_broadcast_yield(void);

/* Waiting for a change without a binding (vx_ring_send_recv): read
 * signal_gen, evaluate the condition, and if it does not hold yet call
 * signal_sleep with that generation. It returns once a broadcast has
 * happened since the read (at once if one already has), or once the
 * clock reaches deadline (VX_TIME_INFINITE: never); the caller then
 * evaluates again. From a syscall's path with nothing held. */
uint64_t signal_gen(void);
void signal_sleep(uint64_t gen, vx_time deadline);

#endif
