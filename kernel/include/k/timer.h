/* One-shot deadline timers on the monotonic clock.
 *
 * A timer belongs to the CPU that armed it and fires there, in interrupt
 * context with interrupts off: callbacks must be short and must not
 * sleep (wake a thread instead). A fired or cancelled timer may be armed
 * again; the struct is the caller's (no allocation). */
#ifndef K_TIMER_H
#define K_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ktimer ktimer;
typedef void (*ktimer_fn)(ktimer *t, void *ctx);

struct ktimer {
    uint64_t deadline; /* clock_ns() value */
    ktimer_fn fn;
    void *ctx;
    ktimer *next;
    int cpu;           /* owning CPU while armed, -1 otherwise */
};

#define KTIMER_INIT {0, 0, 0, 0, -1}

/* Starts the timer interrupt on this CPU (after its local APIC). */
void timer_init_cpu(void);

/* Arms t to call fn(t, ctx) at or after deadline. A deadline already
 * past fires at the next timer interrupt (promptly). Re-arming an armed
 * timer moves it. */
void timer_arm(ktimer *t, uint64_t deadline, ktimer_fn fn, void *ctx);
/* True if t was armed and will now not fire. */
bool timer_cancel(ktimer *t);

/* Timer interrupts handled on this CPU (for tests and reports). */
uint64_t timer_interrupts(void);

#endif
