/* Runs the concurrent_suite image as a spawned Task (v_process_spawn, with
 * the test filters given here as its arguments) and exits with its exit
 * code. The image prints its own results; this root Task hosts the
 * broker, under ASan and UBSan. */
#include <stdio.h>
#include <v/process.h>
#include <vx/vx.h>

int main(int argc, char **argv)
{
    vx_handle img;
    if (vx_task_initial_handle("concurrent_suite", VX_OBJ_REGION, &img) !=
        VX_OK) {
        fprintf(stderr, "in_task: set VX_HOSTED_INITIAL to name "
                        "concurrent_suite\n");
        return 2;
    }
    const char *args[V_PROCESS_ARGS_MAX];
    uint32_t n = 0;
    for (int i = 1; i < argc && n < V_PROCESS_ARGS_MAX; i++)
        args[n++] = argv[i];
    v_process_spawn_args a = {{img}, "concurrent", 128u << 20, 1024, 0, NULL,
                              {n, args, 0, NULL, 0, NULL}};
    vx_task t;
    vx_status st = v_process_spawn(&a, &t);
    if (st != VX_OK) {
        fprintf(stderr, "in_task: spawn: %d\n", st);
        return 2;
    }
    uint64_t p;
    vx_task_status s;
    if (vx_signal_bind(t.h, VX_COND_TASK_EXITED, 0) != VX_OK ||
        vx_wait(1, VX_TIME_INFINITE, &p) != VX_OK ||
        vx_task_status_get(t, &s) != VX_OK)
        return 2;
    if (s.state != VX_TASK_EXITED) {
        fprintf(stderr, "in_task: the suite Task %s\n",
                s.state == VX_TASK_KILLED ? "was killed" : "crashed");
        return 3;
    }
    fprintf(stderr, "in_task: exit %d (%s)\n", s.exit_code,
            v_process_exit_name(s.exit_code));
    return s.exit_code;
}
