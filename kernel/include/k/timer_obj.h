/* Timer objects (docs/substrate.md §8). TIMER_FIRED is evaluated when
 * asked: armed and the clock has reached the deadline. That is exact
 * (never early, never late) and needs no interrupt; a kernel timer that
 * wakes waiters arrives with vx_wait. */
#ifndef K_TIMER_OBJ_H
#define K_TIMER_OBJ_H

#include <stdbool.h>
#include <k/object.h>
#include <vx/types.h>

/* A new disarmed Timer with one reference, or NULL. */
kobject *timer_obj_create(void);
void timer_obj_set(kobject *o, vx_time deadline, vx_duration slack);
void timer_obj_cancel(kobject *o);
/* True with *deadline if armed. */
bool timer_obj_deadline(kobject *o, vx_time *deadline);

#endif
