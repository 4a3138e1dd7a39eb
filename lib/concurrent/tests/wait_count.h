/* Counts vx_wait calls made by the calling thread: the test binary is
 * linked with -Wl,--wrap=vx_wait, so every call the executor makes passes
 * through here before reaching the hosted core. */
#ifndef CONCURRENT_WAIT_COUNT_H
#define CONCURRENT_WAIT_COUNT_H

#include <stdint.h>

uint64_t wait_count(void);

#endif
