/* hosted/sandbox.h — the seccomp filter of spawned Tasks (sandbox.c). */
#ifndef HOSTED_SANDBOX_H
#define HOSTED_SANDBOX_H

#include <linux/filter.h>
#include <stddef.h>

#define SANDBOX_FILTER_MAX 160

/* Writes the filter for a process whose pid is `pid` into f[cap]; returns
 * its length (> cap means it did not fit). */
size_t sandbox_filter(struct sock_filter *f, size_t cap, int pid);

#endif
