/* Running the embedded utest program as a user Task, for the kernel's
 * user-mode tests (user_test.c, uthread_test.c). */
#ifndef VECTRA_KERNEL_TESTS_UTASK_H
#define VECTRA_KERNEL_TESTS_UTASK_H

#include <k/task.h>
#include <v/test.h>

/* Spawns utest as Task `name` in `mode` (user/utest.h); the loader's
 * reason, if any, goes to the test's notes. 0 on failure (recorded). */
task *utask_spawn(v_test_ctx *v_t, const char *name, uint64_t mode);

/* Spawns utest as Task `name` in `mode`, waits for its end and destroys
 * it: its final state (RUNNING if it could not start), *code its exit
 * code, and, where not 0, *vector and *addr its fault's (else -1 and
 * all ones). */
task_state utask_run(v_test_ctx *v_t, const char *name, uint64_t mode,
                     int32_t *code, uint64_t *vector, uint64_t *addr);

/* The free-frame count once it is back to want, or what it is after a
 * generous while: the reaper's last step (freeing the Task record) may
 * trail task_wait by a moment. */
uint64_t utask_frames_back_to(uint64_t want);

#endif
