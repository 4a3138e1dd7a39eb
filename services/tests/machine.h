/* Test helpers: boot initd from a Bundle Region in the hosted root Task
 * and talk to it and its services (services/tests/). */
#ifndef SERVICES_TESTS_MACHINE_H
#define SERVICES_TESTS_MACHINE_H

#include <v/service.h>
#include <vx/vx.h>

#include "initd_control.h"

typedef struct machine {
    vx_task initd;
    vx_ring_tx control;
} machine;

/* The Bundle given to the test (initial handle "bundle"), copied into a
 * fresh Region the caller may alter. */
v_status machine_bundle_copy(vx_region *out, uint8_t **map, uint64_t *len);
/* Spawns initd (initial handle "initd") with `bundle` (moved). */
v_status machine_boot(machine *m, vx_region bundle);
/* One control call; *rep decoded into a static arena (valid until the
 * next call); *tx gets a handle the reply carried, if any. */
v_status machine_control(machine *m, vectra_initd_Call call,
                         vectra_initd_Reply *rep, vx_handle *tx);
/* Polls `tasks` until `name` is in `state` (10 s at most). */
v_status machine_wait_state(machine *m, const char *name,
                            vectra_initd_State state,
                            vectra_initd_TaskInfo *info);
v_status machine_info(machine *m, const char *name,
                      vectra_initd_TaskInfo *info);
/* A TX of the named service's inbox. */
v_status machine_connect(machine *m, const char *name, vx_ring_tx *tx);
/* Powers off and waits for initd to end; closes everything. */
v_status machine_poweroff(machine *m);
void machine_sleep_ms(uint32_t ms);

#endif
