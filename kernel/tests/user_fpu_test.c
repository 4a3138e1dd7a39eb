/* FPU/SSE state is per thread (arch/fpu.h): Tasks and threads that keep
 * values in all sixteen xmm registers and MXCSR while sleeping, so that
 * others run on the same CPUs in between, each find their own values;
 * a new thread starts clean whatever its creator left in the registers.
 * (Named user_*: it must run after the heap tests, which expect no
 * kernel thread - such as the reaper - to exist yet.) */
#include <k/sched.h>
#include <k/task.h>
#include <k/user_images.h>
#include <v/test.h>
#include "../user/utest.h"

V_TEST(kernel, user_fpu_state_is_per_thread)
{
    /* Two Tasks alone and two with two threads each, at once: on one CPU
     * they take turns at every sleep; on four they also move between
     * CPUs, so the state travels with the thread. */
    enum { N = 4 };
    static const uint64_t modes[N] = {UTEST_FPU, UTEST_FPU, UTEST_FPU_THREADS,
                                      UTEST_FPU_THREADS};
    task *ts[N];
    for (int i = 0; i < N; i++) {
        const char *why = 0;
        ts[i] = 0;
        V_EXPECT_OK(task_spawn("fpu", user_utest_image,
                               user_image_size(user_utest_image,
                                               user_utest_image_end),
                               modes[i] | (uint64_t)(i + 1) << 32, &ts[i],
                               &why));
    }
    for (int i = 0; i < N; i++) {
        if (!ts[i])
            continue;
        task_wait(ts[i]);
        V_EXPECT_EQ(ts[i]->state, TASK_EXITED);
        /* 1..16: that xmm register changed, 17: MXCSR, 100: a new
         * thread did not start clean. */
        V_EXPECT_EQ(ts[i]->exit_code, 0);
        task_destroy(ts[i]);
    }
}
