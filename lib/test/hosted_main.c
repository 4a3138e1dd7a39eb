/* Hosted test runner: `TESTS [--list] [--suite NAME] [FILTER...]`.
 * Links with any set of V_TEST files; exit status 0 only if all passed. */
#include <v/test.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_stdout(void *ctx, const char *bytes, size_t len)
{
    (void)ctx;
    fwrite(bytes, 1, len, stdout);
}

int main(int argc, char **argv)
{
    v_test_options o = {{write_stdout, NULL}, NULL, 0, false, NULL};
    const char *filters[256];
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            o.list_only = true;
        } else if (strcmp(argv[i], "--suite") == 0 && i + 1 < argc) {
            o.suite = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || argv[i][0] == '-') {
            fprintf(stderr,
                    "usage: %s [--list] [--suite NAME] [FILTER...]\n"
                    "  FILTER: module, module.test, or a prefix ending in '*'\n",
                    argv[0]);
            return 2;
        } else if (n < sizeof filters / sizeof filters[0]) {
            filters[n++] = argv[i];
        } else {
            fprintf(stderr, "%s: more than %zu filters\n", argv[0],
                    sizeof filters / sizeof filters[0]);
            return 2;
        }
    }
    o.filters = filters;
    o.filter_count = n;
    /* Line-buffered so that a crash mid-suite still shows every result
     * line that came before it. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return v_test_run(&o, NULL) ? 0 : 1;
}
