/* The user-mode tests' Task helpers (utask.h). */
#include "utask.h"

#include <k/pmm.h>
#include <k/sched.h>
#include <k/user_images.h>

task *utask_spawn(v_test_ctx *v_t, const char *name, uint64_t mode)
{
    task *t = 0;
    const char *why = 0;
    v_status st = task_spawn(name, user_utest_image,
                             user_image_size(user_utest_image,
                                             user_utest_image_end),
                             mode, &t, &why);
    if (why)
        v_test_note(v_t, why);
    V_EXPECT_OK(st);
    return st == V_OK ? t : 0;
}

task_state utask_run(v_test_ctx *v_t, const char *name, uint64_t mode,
                     int32_t *code, uint64_t *vector, uint64_t *addr)
{
    *code = -1;
    if (vector)
        *vector = ~0ull;
    if (addr)
        *addr = ~0ull;
    task *t = utask_spawn(v_t, name, mode);
    if (!t)
        return TASK_RUNNING;
    task_wait(t);
    task_state s = t->state;
    *code = t->exit_code;
    if (vector)
        *vector = t->fault_vector;
    if (addr)
        *addr = t->fault_addr;
    task_destroy(t);
    return s;
}

uint64_t utask_frames_back_to(uint64_t want)
{
    for (int i = 0; i < 500 && pmm_free_frames() != want; i++)
        thread_sleep_ns(1000000);
    return pmm_free_frames();
}
