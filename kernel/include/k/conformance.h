/* The conformance suite as a native user Task (core/conformance.c). */
#ifndef K_CONFORMANCE_H
#define K_CONFORMANCE_H

#include <stdbool.h>

/* Runs it to the end; true if every test passed. */
bool conformance_run(void);

#endif
