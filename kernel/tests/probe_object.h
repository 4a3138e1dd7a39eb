/* A kernel object for handle-table tests (handle_test.c, derive_test.c):
 * it counts its own destruction, so a test sees exactly when the last
 * handle to it went. */
#ifndef VECTRA_KERNEL_TESTS_PROBE_OBJECT_H
#define VECTRA_KERNEL_TESTS_PROBE_OBJECT_H

#include <k/handle.h>

/* A new object of type REGION that adds 1 to *destroyed when destroyed;
 * 0 when out of memory. */
kobject *probe_object_new(int *destroyed);

#endif
