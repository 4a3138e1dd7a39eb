/* initd's log: to logd once it runs; before that (a refusal at boot), and
 * for every error, to its sink (standard error hosted), so nothing is lost
 * for want of logd and the terminal is not flooded once logd is up. */
#include <stdarg.h>
#include <v/text.h>

#include "initd.h"

void v_service_stderr(void *ctx, const char *line, size_t len);

void initd_log(initd *d, v_service_level level, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    (void)v_vfmt(text, sizeof text, NULL, fmt, ap);
    va_end(ap);
    initd_svc *logd = initd_find(d, "logd", 4);
    bool up = logd != NULL && logd->state == VECTRA_INITD_STATE_RUNNING;
    if (up)
        v_service_log_to("initd", logd->inbox_tx, NULL, NULL, level, text,
                         &d->control.stats.logs_lost);
    if (!up || level >= V_SERVICE_ERROR)
        v_service_log_to("initd", (vx_ring_tx){{0}}, v_service_stderr, NULL,
                         level, text, NULL);
}
