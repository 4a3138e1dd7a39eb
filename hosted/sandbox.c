/* hosted/sandbox.c — the seccomp filter every spawned Task runs under.
 *
 * A Task's only authority must be its handles, so the filter allows just
 * what a statically linked program and the client library need: memory,
 * threads, time, entropy, and talking over the sockets it already holds.
 * Everything that reaches the host by name or creates authority — open,
 * socket, connect, kill of another process, fork, ptrace, exec of
 * anything but its own image — fails with EPERM (the process is not
 * killed: a program may probe, it just gets nothing). The filter is
 * installed between fork and exec, so the image never runs without it. */
#define _GNU_SOURCE
#include "sandbox.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>

#define ARCH_NR AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000u

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARG_LO(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS,                      \
                               offsetof(struct seccomp_data, args[i]))
#define LD_ARG_HI(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS,                      \
                               offsetof(struct seccomp_data, args[i]) + 4)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define ALLOW RET(SECCOMP_RET_ALLOW)
#define DENY RET(SECCOMP_RET_ERRNO | EPERM)

/* Syscalls allowed whatever their arguments. */
static const unsigned allowed[] = {
    SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_close, SYS_fstat,
    SYS_newfstatat, SYS_lseek, SYS_mmap, SYS_mprotect, SYS_munmap, SYS_brk,
    SYS_mremap, SYS_madvise, SYS_rt_sigaction, SYS_rt_sigprocmask,
    SYS_rt_sigreturn, SYS_sigaltstack, SYS_sched_yield, SYS_nanosleep,
    SYS_clock_nanosleep, SYS_clock_gettime, SYS_clock_getres,
    SYS_gettimeofday, SYS_time, SYS_getpid, SYS_gettid, SYS_getrandom,
    SYS_sendmsg, SYS_recvmsg, SYS_sendto, SYS_recvfrom, SYS_shutdown,
    SYS_futex, SYS_set_robust_list, SYS_get_robust_list,
    SYS_set_tid_address, SYS_rseq, SYS_arch_prctl, SYS_exit,
    SYS_exit_group, SYS_sched_getaffinity, SYS_membarrier,
};

size_t sandbox_filter(struct sock_filter *f, size_t cap, int pid)
{
    size_t n = 0;
#define EMIT(x) do { if (n < cap) f[n] = (struct sock_filter)x; n++; } while (0)
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                  offsetof(struct seccomp_data, arch)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NR, 1, 0));
    EMIT(RET(SECCOMP_RET_KILL_PROCESS)); /* a foreign ABI: no way round */
    EMIT(LD_NR);
    EMIT(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1));
    EMIT(RET(SECCOMP_RET_KILL_PROCESS));
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i], 0, 1));
        EMIT(ALLOW);
    }
    /* clone: threads only (a fork would be a process we do not track).
     * clone3 hides its flags in memory the filter cannot read: ENOSYS
     * makes libc fall back to clone. */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1));
    EMIT(RET(SECCOMP_RET_ERRNO | ENOSYS));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
    EMIT(LD_ARG_LO(0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1));
    EMIT(ALLOW);
    EMIT(DENY);
    /* kill and tgkill: only this process itself (abort, raise). */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_kill, 1, 0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_tgkill, 0, 4));
    EMIT(LD_ARG_LO(0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)pid, 0, 1));
    EMIT(ALLOW);
    EMIT(DENY);
    /* prlimit64: reading its own limits only (libc asks for the stack
     * size). Setting one would let a Task raise the memory limit its
     * quota set (docs/substrate.md §11) — as root it could raise the
     * hard one too — or change another process's. */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prlimit64, 0, 8));
    EMIT(LD_ARG_LO(0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 4));
    EMIT(LD_ARG_LO(2));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2));
    EMIT(LD_ARG_HI(2));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
    EMIT(DENY);
    EMIT(ALLOW);
    /* execveat: only the image fd, by itself (the one exec at startup). */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execveat, 0, 6));
    EMIT(LD_ARG_LO(0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROTO_IMAGE_FD, 0, 3));
    EMIT(LD_ARG_LO(4));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AT_EMPTY_PATH, 0, 1));
    EMIT(ALLOW);
    EMIT(DENY);
    EMIT(DENY);
#undef EMIT
    return n;
}
