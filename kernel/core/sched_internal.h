/* Between the scheduler (sched.c) and thread lifetime (thread.c). */
#ifndef K_SCHED_INTERNAL_H
#define K_SCHED_INTERNAL_H

#include <k/sched.h>

/* Gives t a stack whose first switch_context starts fn(arg) with
 * interrupts on. False without memory. */
bool thread_init_stack(thread *t, void (*fn)(void *), void *arg);
void thread_free_stack(thread *t);
/* Queues a new runnable thread on this CPU. */
void sched_add(thread *t);
void sched_kick_idle(void);

#endif
