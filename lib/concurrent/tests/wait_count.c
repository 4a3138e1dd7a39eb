/* The vx_wait wrapper behind wait_count.h. */
#include "wait_count.h"

#include <vx/signal.h>

vx_status __real_vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending);
vx_status __wrap_vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending);

static _Thread_local uint64_t waits;

vx_status __wrap_vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending)
{
    waits++;
    return __real_vx_wait(mask, deadline, pending);
}

uint64_t wait_count(void)
{
    return waits;
}
