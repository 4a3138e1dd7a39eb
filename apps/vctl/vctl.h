/* vctl: the administration prompt's commands (docs/services.md). It talks
 * to initd over a TX of its control inbox and to logd over a TX of logd's
 * inbox; output goes to a writer the host program gives (the console's
 * terminal). The console service runs it; so could any Task holding the
 * same two handles. */
#ifndef VCTL_H
#define VCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <vx/types.h>

typedef void (*vctl_out)(void *ctx, const char *text, size_t len);

typedef struct vctl {
    vx_ring_tx control;   /* initd's control inbox */
    vx_ring_tx logd;      /* logd's inbox, or invalid */
    vctl_out out;
    void *out_ctx;
    uint32_t bit;         /* a signal bit vctl may use for its calls */
    uint64_t next_id;
} vctl;

/* Runs one command line. Returns false once the machine is powering off
 * (the prompt should end). */
bool vctl_run(vctl *v, const char *line, size_t len);

#endif
