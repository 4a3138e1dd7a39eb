/* The kernel log: one line per call on the serial console, prefixed with
 * the time since boot and the level:
 *     [    0.012345] I mm: 126 MiB usable
 * and, once several CPUs run, with the CPU's index before the level:
 *     [    0.052345] 3 W timer: ...
 * Lines from different CPUs never interleave (the console has a lock). */
#ifndef K_LOG_H
#define K_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum klog_level { KLOG_ERROR, KLOG_WARN, KLOG_INFO, KLOG_DEBUG };

/* Messages above this level are dropped. */
extern int klog_threshold;
/* Set once a panic starts: the console then ignores its lock. */
extern bool klog_panicking;

void klog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Raw text with no prefix and no added newline (crash reports, tests). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s, unsigned long n);

#define kerror(...) klog(KLOG_ERROR, __VA_ARGS__)
#define kwarn(...) klog(KLOG_WARN, __VA_ARGS__)
#define kinfo(...) klog(KLOG_INFO, __VA_ARGS__)
#define kdebug(...) klog(KLOG_DEBUG, __VA_ARGS__)

#endif
