/* Threads of a user Task (kernel/user/uthread.c in ring 3): start, the
 * 64-thread limit, slots reused, and every way a Task with several
 * threads ends - a fault in one thread, exit from one, a kill, the last
 * thread returning - with every frame given back; and revoke racing
 * handle moves between threads. */
#include <k/pmm.h>
#include <k/sched.h>
#include <k/task.h>
#include <v/test.h>
#include "../user/utest.h"
#include "utask.h"

static task *spawn(v_test_ctx *v_t, uint64_t mode)
{
    return utask_spawn(v_t, "uthread", mode);
}

/* Runs utest in mode to its end: its final state, *code its exit code. */
static task_state run(v_test_ctx *v_t, uint64_t mode, int32_t *code)
{
    return utask_run(v_t, "uthread", mode, code, 0, 0);
}

V_TEST(kernel, user_threads_start_limit_and_reuse)
{
    int32_t code;
    uint64_t before = pmm_free_frames();
    V_EXPECT_EQ(run(v_t, UTEST_THREADS, &code), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the failed check */
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_thread_fault_ends_the_task)
{
    uint64_t before = pmm_free_frames();
    task *t = spawn(v_t, UTEST_THREAD_FAULT);
    V_ASSERT(t);
    task_wait(t);
    V_EXPECT_EQ(t->state, TASK_CRASHED);
    V_EXPECT_EQ(t->fault_vector, 14u);
    V_EXPECT_EQ(t->fault_addr, 0u);
    task_destroy(t);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_thread_exit_ends_every_thread)
{
    int32_t code;
    uint64_t before = pmm_free_frames();
    V_EXPECT_EQ(run(v_t, UTEST_THREAD_EXIT, &code), TASK_EXITED);
    V_EXPECT_EQ(code, UTEST_THREAD_EXIT_CODE);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_kill_ends_every_thread)
{
    uint64_t before = pmm_free_frames();
    task *t = spawn(v_t, UTEST_THREADS_SPIN);
    V_ASSERT(t);
    thread_sleep_ns(20000000); /* every thread spinning by now */
    V_EXPECT_EQ(t->state, TASK_RUNNING);
    task_kill(t);
    task_wait(t);
    V_EXPECT_EQ(t->state, TASK_KILLED);
    task_destroy(t);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_task_lives_until_its_last_thread)
{
    int32_t code;
    V_EXPECT_EQ(run(v_t, UTEST_THREADS_LAST, &code), TASK_EXITED);
    V_EXPECT_EQ(code, 0);
}

V_TEST(kernel, user_revoke_races_moves_between_threads)
{
    /* One thread sends derived handles, one receives them, the first
     * revokes their root all along (kernel/user/urevoke.c). */
    int32_t code;
    /* Twice: the first run also grows the slab caches it uses. How many
     * objects are alive at once depends on the interleaving, so the slab
     * caches may keep a frame or two more or less after the second run;
     * a leaked Task or Ring would keep far more (its address space,
     * stacks, messages). */
    V_EXPECT_EQ(run(v_t, UTEST_REVOKE_RACE, &code), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the failed check */
    uint64_t before = pmm_free_frames();
    V_EXPECT_EQ(run(v_t, UTEST_REVOKE_RACE, &code), TASK_EXITED);
    V_EXPECT_EQ(code, 0);
    uint64_t after = utask_frames_back_to(before);
    V_EXPECT_LE(before > after ? before - after : 0, 4u);
}
