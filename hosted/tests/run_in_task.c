/* hosted/tests/run_in_task.c — runs the conf_suite image as a spawned Task
 * (with the conf_child image in its footprint, so its spawn tests can
 * spawn grandchildren) and exits with its exit code. The image prints its
 * own results; this root Task only hosts the broker — under ASan and
 * UBSan, so every request of the suite is decoded under the sanitizers. */
#include <stdio.h>
#include <vx/vx.h>

int main(void)
{
    vx_handle suite, child, child_dup;
    if (vx_task_initial_handle("conf_suite", VX_OBJ_REGION, &suite) != VX_OK ||
        vx_task_initial_handle("conf_child", VX_OBJ_REGION, &child) != VX_OK) {
        fprintf(stderr, "run_in_task: set VX_HOSTED_INITIAL to name "
                        "conf_suite and conf_child\n");
        return 2;
    }
    if (vx_handle_dup(child, VX_RIGHT_READ | VX_RIGHT_EXEC | VX_RIGHT_MAP |
                                 VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER,
                      &child_dup) != VX_OK)
        return 2;
    vx_named_handle hs[] = {{"conf_child", child_dup}};
    vx_spawn_args a = {{suite}, "conformance", 128u << 20, 1024, 1, hs};
    vx_task t;
    vx_status st = vx_task_spawn(&a, &t);
    if (st != VX_OK) {
        fprintf(stderr, "run_in_task: spawn: %d\n", st);
        return 2;
    }
    uint64_t p;
    vx_task_status s;
    if (vx_signal_bind(t.h, VX_COND_TASK_EXITED, 0) != VX_OK ||
        vx_wait(1, VX_TIME_INFINITE, &p) != VX_OK ||
        vx_task_status_get(t, &s) != VX_OK)
        return 2;
    if (s.state != VX_TASK_EXITED) {
        fprintf(stderr, "run_in_task: the suite Task %s\n",
                s.state == VX_TASK_KILLED ? "was killed" : "crashed");
        return 3;
    }
    return s.exit_code;
}
