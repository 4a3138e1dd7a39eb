/* The hosted fallback log sink: hosted Tasks keep standard error for
 * diagnostics (docs/substrate.md §11). Natively the same role falls to
 * the kernel's debug write. Not part of the freestanding archive. */
#include <unistd.h>
#include <v/service.h>

void v_service_stderr(void *ctx, const char *line, size_t len);

void v_service_stderr(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = write(2, line, len);
        if (n <= 0)
            return;
        line += n;
        len -= (size_t)n;
    }
}
