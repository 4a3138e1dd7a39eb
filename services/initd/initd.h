/* initd: the first Task. It reads the boot Bundle, verifies it, spawns
 * every service from its manifest with exactly the declared footprint,
 * keeps each inbox (TX and a duplicate of the RX) so a restarted instance
 * takes over the same inbox, restarts ended services per policy with
 * backoff, records crash loops as FAILED, and serves its control protocol
 * (docs/services.md). Only include/vx and libv: the same code serves both
 * backends. */
#ifndef INITD_H
#define INITD_H

#include <stdbool.h>
#include <stdint.h>
#include <v/bundle.h>
#include <v/concurrent.h>
#include <v/service.h>
#include <vx/vx.h>

#include "initd_control.h"
#include "service_manifest.h"

#define INITD_SERVICES_MAX 16u
#define INITD_RESTART_LOG 16u   /* restart times remembered per service */
#define INITD_BADGE_CONTROL UINT64_C(0x10000) /* connect: badge base */

typedef struct initd initd;

typedef struct initd_svc {
    initd *owner;
    char name[32];
    const vectra_service_Manifest *m; /* in the manifest arena */
    vectra_initd_State state;
    vx_region image;           /* verified image bytes, kept for restarts */
    bool has_inbox;
    vx_ring_tx inbox_tx;       /* kept: mints the TXs others get */
    vx_ring_rx inbox_rx;       /* kept: each instance gets a duplicate */
    vx_task task;              /* the running instance, or invalid */
    uint32_t exit_bit;         /* TASK_EXITED of `task` */
    vx_timer timer;            /* backoff */
    uint32_t timer_bit;
    v_future f;
    uint32_t restarts;         /* restarts since boot (or start request) */
    uint32_t consecutive;      /* restarts without a healthy run between */
    vx_time started_at;
    vx_time restart_times[INITD_RESTART_LOG];
    uint32_t restart_count;    /* entries in restart_times (ring) */
    uint32_t last_end;
    int32_t last_code;
    bool stop_requested;       /* stop: no restart when it ends */
    bool restart_requested;    /* restart: start again at once */
} initd_svc;

struct initd {
    v_exec exec;
    v_service control;         /* the control protocol */
    vx_ring_tx control_tx;     /* mints the control TXs services get */
    v_bundle bundle;
    const uint8_t *bundle_map;
    uint64_t bundle_len;
    initd_svc svc[INITD_SERVICES_MAX];
    uint32_t count;
    uint32_t order[INITD_SERVICES_MAX]; /* indexes in start order */
    bool powering_off;
    v_arena manifests;
    _Alignas(16) uint8_t manifest_mem[65536];
};

/* Logs to stderr (the sink) and, once logd runs, to logd. */
void initd_log(initd *d, v_service_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* boot.c: copies and opens the boot Bundle (signature), reads and checks
 * every svc/<name>.json manifest and its image (hashes). Refused entries
 * are logged and recorded as REFUSED; the rest are ready to start. */
v_status initd_boot(initd *d, vx_region boot);

/* supervise.c */
v_status initd_start(initd *d, initd_svc *s);  /* spawn one instance */
void initd_start_all(initd *d);
void initd_stop(initd *d, initd_svc *s);        /* kill, no restart */
void initd_restart(initd *d, initd_svc *s);     /* kill, start at once */
void initd_poweroff(initd *d);
initd_svc *initd_find(initd *d, const char *name, size_t len);

/* control.c */
v_status initd_control_init(initd *d, vx_ring_rx rx);

#endif
