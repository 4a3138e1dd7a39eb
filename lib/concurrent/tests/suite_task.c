/* v_main of the concurrent_suite image: the same concurrent tests, run
 * inside a spawned, sandboxed Task, where every substrate call is a
 * request to the broker and threads have their own connections. Started
 * through the hosted start file, so it is also a live use of v_process. */
#include <stdio.h>
#include <v/process.h>
#include <v/test.h>

static void write_stdout(void *ctx, const char *bytes, size_t len)
{
    (void)ctx;
    fwrite(bytes, 1, len, stdout);
    fflush(stdout);
}

int32_t v_main(const v_process *p)
{
    v_test_options o = {{write_stdout, NULL}, p->argv, p->argc, false,
                        "concurrent(hosted-task)"};
    return v_test_run(&o, NULL) ? V_EXIT_OK : V_EXIT_FAILURE;
}
