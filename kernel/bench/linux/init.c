/* /init of the Linux peer of the native benchmarks (kernel/bench/linux/
 * peer.sh boots Debian's kernel with this as the whole initramfs).
 * Measures what kernel/bench/kbench.c measures on Vectra, with the same
 * counts (../params.h), and prints `peer NAME instructions=N` lines and
 * `# ` notes on the serial console, then powers the machine off.
 *
 * Under QEMU -icount shift=0 the virtual clock advances 1 ns per guest
 * instruction, and CLOCK_MONOTONIC follows the virtual clock whatever
 * clocksource Linux picked (TSC, HPET and the PIT all derive from it), so
 * a clock difference over code that never idles is an instruction count.
 * The "clock check" line tests that with a loop of known length.
 *
 * Run as `init exit`, it exits at once: the child of fork_exec_wait. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../params.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
    printf("# linux peer: %s failed\n", what);
    fflush(stdout);
    reboot(RB_POWER_OFF);
    _exit(1);
}

/* Reads or writes exactly n bytes (a pipe may split; it does not here). */
static void full_read(int fd, void *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            die("read");
        got += (size_t)r;
    }
}

static void full_write(int fd, const void *buf, size_t n)
{
    if (write(fd, buf, n) != (ssize_t)n)
        die("write");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* One warm-up run, then the median of NB_REPEATS. */
static uint64_t median_of(uint64_t (*run)(void))
{
    uint64_t v[NB_REPEATS];
    run();
    for (int i = 0; i < NB_REPEATS; i++)
        v[i] = run();
    qsort(v, NB_REPEATS, sizeof v[0], cmp_u64);
    return v[NB_REPEATS / 2];
}

static void report(const char *name, uint64_t (*run)(void))
{
    printf("peer %s instructions=%llu\n", name,
           (unsigned long long)median_of(run));
    fflush(stdout);
}

/* ---- the clock check: 2 * NB_CALIB_LOOPS instructions ---- */

static uint64_t calibrate(void)
{
    uint64_t n = NB_CALIB_LOOPS, t0 = now_ns();
    __asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
    return now_ns() - t0;
}

/* ---- null syscall: getppid, as a bare `syscall` like Vectra's loop ---- */

static uint64_t null_loop(void)
{
    uint64_t t0 = now_ns();
    for (int i = 0; i < NB_NULL_CALLS; i++) {
        long r;
        __asm__ volatile("syscall"
                         : "=a"(r)
                         : "a"((long)SYS_getppid)
                         : "rcx", "r11", "memory");
    }
    return (now_ns() - t0) / NB_NULL_CALLS;
}

/* ---- 64-byte round trip through two pipes to an echoing child ---- */

static uint64_t pipe_round_trip(void)
{
    int to[2], back[2];
    if (pipe(to) || pipe(back))
        die("pipe");
    pid_t c = fork();
    if (c < 0)
        die("fork");
    if (c == 0) {
        close(to[1]);
        close(back[0]);
        char buf[NB_RT_BYTES];
        for (;;) {
            ssize_t r = read(to[0], buf, sizeof buf);
            if (r == 0)
                _exit(0);
            if (r != (ssize_t)sizeof buf || write(back[1], buf, (size_t)r) != r)
                _exit(1);
        }
    }
    close(to[0]);
    close(back[1]);
    char req[NB_RT_BYTES] = {1}, rep[NB_RT_BYTES];
    uint64_t t0 = 0;
    for (int i = 0; i < NB_RT_WARMUP + NB_RT_ITERS; i++) {
        if (i == NB_RT_WARMUP)
            t0 = now_ns();
        full_write(to[1], req, sizeof req);
        full_read(back[0], rep, sizeof rep);
    }
    uint64_t t = now_ns() - t0;
    close(to[1]); /* the child sees end of file and exits */
    close(back[0]);
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("pipe child");
    return t / NB_RT_ITERS;
}

/* ---- signal raise-to-wake, three ways; each figure is half a round
 * trip between two processes, as Vectra's ---- */

/* eventfd: an object named by a descriptor, written to raise (never
 * blocks), read to wait (returns and clears the count): the closest
 * shape to vx_signal_raise on a Task handle and vx_wait. */
static uint64_t eventfd_wake(void)
{
    int ping = eventfd(0, 0), pong = eventfd(0, 0);
    if (ping < 0 || pong < 0)
        die("eventfd");
    pid_t c = fork();
    if (c < 0)
        die("fork");
    if (c == 0) {
        for (;;) {
            uint64_t v, one = 1;
            if (read(ping, &v, sizeof v) != sizeof v)
                _exit(1);
            if (v != 1) /* 2 is the parent's "quit" */
                _exit(v == 2 ? 0 : 1);
            if (write(pong, &one, sizeof one) != sizeof one)
                _exit(1);
        }
    }
    uint64_t t0 = 0, one = 1, two = 2, v;
    for (int i = 0; i < NB_SIG_WARMUP + NB_SIG_ITERS; i++) {
        if (i == NB_SIG_WARMUP)
            t0 = now_ns();
        full_write(ping, &one, sizeof one);
        full_read(pong, &v, sizeof v);
    }
    uint64_t t = now_ns() - t0;
    full_write(ping, &two, sizeof two);
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("eventfd child");
    close(ping);
    close(pong);
    return t / (2 * NB_SIG_ITERS);
}

/* futex: wait on / wake a word in memory both processes share. Lighter
 * than a signal object (no descriptor, the word is the waker's to set);
 * Linux's cheapest way to wake another process. */
static long futex(uint32_t *w, int op, uint32_t val)
{
    return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

static void futex_wait_for(uint32_t *w, uint32_t want)
{
    uint32_t v;
    while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != want)
        futex(w, FUTEX_WAIT, v);
}

static void futex_raise(uint32_t *w, uint32_t val)
{
    __atomic_store_n(w, val, __ATOMIC_RELEASE);
    futex(w, FUTEX_WAKE, 1); /* always a call, as vx_signal_raise is */
}

static uint64_t futex_wake(void)
{
    uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED)
        die("mmap");
    uint32_t *ping = &w[0], *pong = &w[16];
    *ping = *pong = 0;
    const uint32_t n = NB_SIG_WARMUP + NB_SIG_ITERS;
    pid_t c = fork();
    if (c < 0)
        die("fork");
    if (c == 0) {
        for (uint32_t i = 1; i <= n; i++) {
            futex_wait_for(ping, i);
            futex_raise(pong, i);
        }
        _exit(0);
    }
    uint64_t t0 = 0;
    for (uint32_t i = 1; i <= n; i++) {
        if (i == NB_SIG_WARMUP + 1)
            t0 = now_ns();
        futex_raise(ping, i);
        futex_wait_for(pong, i);
    }
    uint64_t t = now_ns() - t0;
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("futex child");
    munmap(w, 4096);
    return t / (2 * NB_SIG_ITERS);
}

/* POSIX signals: kill() raises SIGUSR1 in the other process, which waits
 * for it blocked in sigwaitinfo (no handler runs). */
static uint64_t sigwait_wake(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL); /* inherited by the child */
    pid_t parent = getpid(), c = fork();
    if (c < 0)
        die("fork");
    if (c == 0) {
        for (int i = 0; i < NB_SIG_WARMUP + NB_SIG_ITERS; i++) {
            if (sigwaitinfo(&s, NULL) != SIGUSR1 || kill(parent, SIGUSR1))
                _exit(1);
        }
        _exit(0);
    }
    uint64_t t0 = 0;
    for (int i = 0; i < NB_SIG_WARMUP + NB_SIG_ITERS; i++) {
        if (i == NB_SIG_WARMUP)
            t0 = now_ns();
        if (kill(c, SIGUSR1) || sigwaitinfo(&s, NULL) != SIGUSR1)
            die("sigwait");
    }
    uint64_t t = now_ns() - t0;
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("sigwait child");
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    return t / (2 * NB_SIG_ITERS);
}

/* ---- fork + _exit + waitpid, and fork + execve(/init exit) + waitpid
 * (the closer analogue of spawning from an ELF image) ---- */

static void reap(pid_t c)
{
    int st;
    if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) ||
        WEXITSTATUS(st) != 0)
        die("child");
}

static uint64_t fork_exit_wait(void)
{
    uint64_t t0 = now_ns();
    for (int i = 0; i < NB_SPAWN_ITERS; i++) {
        pid_t c = fork();
        if (c == 0)
            _exit(0);
        reap(c);
    }
    return (now_ns() - t0) / NB_SPAWN_ITERS;
}

static uint64_t fork_exec_wait(void)
{
    static char *const argv[] = {"init", "exit", NULL};
    static char *const envp[] = {NULL};
    uint64_t t0 = now_ns();
    for (int i = 0; i < NB_SPAWN_ITERS; i++) {
        pid_t c = fork();
        if (c == 0) {
            execve("/init", argv, envp);
            _exit(1);
        }
        reap(c);
    }
    return (now_ns() - t0) / NB_SPAWN_ITERS;
}

/* ---- notes: what ran, and how ---- */

static void print_file(const char *label, const char *path)
{
    char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    printf("# %s: %s\n", label, n ? buf : "(unknown)");
}

static void notes(void)
{
    struct utsname u;
    if (uname(&u) == 0)
        printf("# linux peer: %s %s\n", u.release, u.version);
    print_file("linux command line", "/proc/cmdline");
    print_file("linux clocksource",
               "/sys/devices/system/clocksource/clocksource0/current_clocksource");
    static const char *const vulns[] = {"meltdown", "spectre_v1",
                                        "spectre_v2", "retbleed",
                                        "spec_store_bypass"};
    for (size_t i = 0; i < sizeof vulns / sizeof vulns[0]; i++) {
        char path[128], label[64];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/vulnerabilities/%s",
                 vulns[i]);
        snprintf(label, sizeof label, "linux %s", vulns[i]);
        print_file(label, path);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    notes();
    printf("# clock check (linux): a loop of %u instructions took %llu ns "
           "of CLOCK_MONOTONIC time (median of %d)\n",
           2u * NB_CALIB_LOOPS, (unsigned long long)median_of(calibrate),
           NB_REPEATS);
    report("getppid", null_loop);
    report("pipe_round_trip_64b", pipe_round_trip);
    report("eventfd_raise_to_wake", eventfd_wake);
    report("futex_raise_to_wake", futex_wake);
    report("sigwait_raise_to_wake", sigwait_wake);
    report("fork_exit_wait", fork_exit_wait);
    report("fork_exec_wait", fork_exec_wait);
    printf("# linux peer: done\n");
    fflush(stdout);
    reboot(RB_POWER_OFF);
    return 0;
}
