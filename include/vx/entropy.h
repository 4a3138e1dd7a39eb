/* vx/entropy.h — seed material from the substrate's entropy source.
 * Normative text: docs/substrate.md §9. */
#ifndef VX_ENTROPY_H
#define VX_ENTROPY_H

#include <stddef.h>
#include <vx/status.h>

#define VX_ENTROPY_READ_MAX 256u

/* Fills buf with len (0..VX_ENTROPY_READ_MAX) bytes from a cryptographically
 * seeded source; waits, if it must, until that source is seeded. */
VX_CALL vx_status vx_entropy_read(void *buf, size_t len);

#endif
