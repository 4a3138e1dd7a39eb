/* hosted/tests/suite_main.c — main of the conf_suite image: the whole
 * conformance suite, running inside a spawned, sandboxed Task, where every
 * substrate call crosses the broker protocol. Same test sources as the
 * root-Task run; only the summary label differs. */
#include <v/test.h>
#include <stdio.h>

static void write_stdout(void *ctx, const char *bytes, size_t len)
{
    (void)ctx;
    fwrite(bytes, 1, len, stdout);
}

int main(void)
{
    v_test_options o = {{write_stdout, NULL}, NULL, 0, false,
                        "conformance(hosted-task)"};
    setvbuf(stdout, NULL, _IOLBF, 0);
    return v_test_run(&o, NULL) ? 0 : 1;
}
