/* The native fallback log sink (v_service_stderr, as the hosted
 * lib/service/hosted/stderr.c): the kernel's debug write, which logs one
 * line of at most SYS_DEBUG_WRITE_MAX bytes, prefixed with the Task's
 * name, to the kernel log (the serial port). Longer lines go in pieces. */
#include <stdint.h>
#include <k/syscall_nr.h>
#include <v/service.h>

void v_service_stderr(void *ctx, const char *line, size_t len);

void v_service_stderr(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    while (len > 0) {
        size_t n = len < SYS_DEBUG_WRITE_MAX ? len : SYS_DEBUG_WRITE_MAX;
        int64_t r;
        __asm__ volatile("syscall"
                         : "=a"(r)
                         : "a"((uint64_t)SYS_DEBUG_WRITE),
                           "D"((uint64_t)(uintptr_t)line), "S"((uint64_t)n)
                         : "rcx", "r11", "memory");
        (void)r;
        line += n;
        len -= n;
    }
}
