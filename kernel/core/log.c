/* The kernel log over the serial console. One lock serialises whole lines;
 * after a panic starts, the lock is bypassed (the panicking CPU may be the
 * one holding it) and other output is best effort. */
#include <k/clock.h>
#include <k/console.h>
#include <k/fmt.h>
#include <k/cpu.h>
#include <k/log.h>
#include <k/smp.h>
#include <k/spinlock.h>

int klog_threshold = KLOG_INFO;
bool klog_panicking;

static spinlock console_lock = SPINLOCK_INIT;

static void to_serial(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    serial_write(s, n);
}

static uint64_t lock_console(void)
{
    uint64_t flags = read_rflags();
    irq_disable();
    if (!klog_panicking)
        spin_lock(&console_lock);
    return flags;
}

static void unlock_console(uint64_t flags)
{
    if (!klog_panicking)
        spin_unlock(&console_lock);
    if (flags & RFLAGS_IF)
        irq_enable();
}

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kfmt_v(to_serial, NULL, fmt, ap);
    va_end(ap);
}

void klog(int level, const char *fmt, ...)
{
    static const char tags[] = "EWID";
    if (level > klog_threshold)
        return;
    if (level < KLOG_ERROR)
        level = KLOG_ERROR;
    if (level > KLOG_DEBUG)
        level = KLOG_DEBUG;
    uint64_t ns = clock_ns();
    uint64_t flags = lock_console();
    /* The CPU only matters once there are several; this_cpu() is valid
     * from arch_cpu_init on, and the first lines come before it. */
    if (smp_cpu_count() > 1)
        emit("[%5lu.%06lu] %u %c ", ns / 1000000000u, ns / 1000u % 1000000u,
             this_cpu()->index, tags[level]);
    else
        emit("[%5lu.%06lu] %c ", ns / 1000000000u, ns / 1000u % 1000000u,
             tags[level]);
    va_list ap;
    va_start(ap, fmt);
    kfmt_v(to_serial, NULL, fmt, ap);
    va_end(ap);
    serial_write("\n", 1);
    unlock_console(flags);
}

void kvprintf(const char *fmt, va_list ap)
{
    uint64_t flags = lock_console();
    kfmt_v(to_serial, NULL, fmt, ap);
    unlock_console(flags);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void kputs(const char *s, unsigned long n)
{
    uint64_t flags = lock_console();
    serial_write(s, n);
    unlock_console(flags);
}
