/* The test image's last stage: run every V_TEST linked into the kernel,
 * print results on the serial console, and end QEMU with the verdict.
 * The command line may hold "filter=PATTERN" words to run a subset. */
#include <k/bench.h>
#include <k/bootinfo.h>
#include <k/conformance.h>
#include <k/console.h>
#include <k/fmt.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/sched.h>
#include <k/smp.h>
#include <v/mem.h>
#include <v/test.h>
#include <stdint.h>

static void to_console(void *ctx, const char *bytes, size_t len)
{
    (void)ctx;
    kputs(bytes, len);
}

#define MAX_FILTERS 8

/* Splits "filter=X" words out of the copied command line (in place). */
static size_t collect_filters(const char **out)
{
    static char line[BOOT_CMDLINE_MAX];
    v_mem_copy(line, g_boot.cmdline, sizeof line);
    size_t n = 0;
    char *s = line;
    while (*s) {
        while (*s == ' ')
            *s++ = '\0';
        char *w = s;
        while (*s && *s != ' ')
            s++;
        if (s - w > 7 && v_mem_equal(w, "filter=", 7) && n < MAX_FILTERS)
            out[n++] = w + 7;
    }
    return n;
}

/* The crash check (run-tests.sh ... crash): a write to an unmapped
 * address with no catcher armed must produce the full exception report
 * naming this function and its caller, then end QEMU with K_EXIT_CRASH.
 * Not static, so the symbol keeps its name in the backtrace. */
void crash_test_fault(volatile uint64_t *p);
__attribute__((noinline)) void crash_test_fault(volatile uint64_t *p)
{
    *p = 1;
}

/* The stack-overflow check (run-tests.sh ... crash-stack): a thread that
 * recurses without end must hit its guard page; the CPU cannot push the
 * page-fault frame there, so a double fault follows, reported from its
 * own stack (IST) instead of silently resetting the machine. */
unsigned crash_test_recurse(volatile unsigned *depth);
__attribute__((noinline)) unsigned crash_test_recurse(volatile unsigned *depth)
{
    volatile char pad[256];
    pad[0] = (char)*depth;
    /* The bound only keeps the compiler from calling this an endless
     * recursion; 16 KiB of stack runs out long before it. */
    if (++*depth > 1000000)
        return 0;
    return crash_test_recurse(depth) + (unsigned)pad[0];
}

static void overflow_thread(void *arg)
{
    crash_test_recurse(arg);
}

void kernel_run(void)
{
    if (bootinfo_has_word("crash-stack")) {
        static volatile unsigned depth;
        kinfo("tests: crash test: overflowing a thread's stack");
        thread *t = thread_create("overflow", overflow_thread,
                                  (void *)&depth, SCHED_PRIO_DEFAULT);
        if (t)
            thread_join(t);
        kpanic("crash test: the stack overflow did not stop the kernel");
    }
    if (bootinfo_has_word("conformance"))
        machine_exit(conformance_run() ? K_EXIT_PASS : K_EXIT_FAIL);
    if (bootinfo_has_word("bench")) {
        bench_run();
        machine_exit(K_EXIT_PASS);
    }
    if (bootinfo_has_word("crash-test")) {
        kinfo("tests: crash test: writing to an unmapped address");
        crash_test_fault((volatile uint64_t *)8);
        kpanic("crash test: the fault did not stop the kernel");
    }
    static char suite[32];
    const char *filters[MAX_FILTERS];
    ksnprintf(suite, sizeof suite, "kernel(smp%u)", smp_cpu_count());
    v_test_options o = {{to_console, NULL}, filters, 0, false, suite};
    o.filter_count = collect_filters(filters);
    kinfo("tests: running in-kernel tests");
    bool ok = v_test_run(&o, NULL);
    machine_exit(ok ? K_EXIT_PASS : K_EXIT_FAIL);
}
