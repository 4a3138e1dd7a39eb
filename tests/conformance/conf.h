/* tests/conformance/conf.h — helpers for the conformance suite.
 *
 * The suite is written only against include/vx and the libv test harness
 * (include/v/test.h), so the same sources run on every backend. Every test
 * leaves the Task as it found it; CONF_BEGIN/CONF_END check that (same
 * handles in use, same bytes charged), which turns each test into a leak
 * test of the substrate as well. */
#ifndef CONF_H
#define CONF_H

#include <v/test.h>
#include <vx/vx.h>

typedef struct conf_snapshot {
    vx_task_usage usage;
} conf_snapshot;

#define CONF_BEGIN()                                                        \
    conf_snapshot conf_before_;                                             \
    V_ASSERT_OK(vx_task_usage_get(&conf_before_.usage))
#define CONF_END() conf_check_unchanged(v_t, &conf_before_)

void conf_check_unchanged(v_test_ctx *v_t, const conf_snapshot *before);

/* A Ring with the given geometry (schema id 0x5eed). */
bool conf_ring(v_test_ctx *v_t, uint32_t slot_size, uint32_t slot_count,
               vx_ring_tx *tx, vx_ring_rx *rx);
/* Sends `len` bytes of `data` with no handles. */
vx_status conf_send(vx_ring_tx tx, const void *data, uint32_t len);
/* Receives into buf[cap]; *len gets the length. */
vx_status conf_recv(vx_ring_rx rx, void *buf, uint32_t cap, uint32_t *len);
/* Closes a handle, failing the test if that fails. */
void conf_close(v_test_ctx *v_t, vx_handle h);
/* Pending bits of mask right now (0 when none): a wait with a past
 * deadline. */
uint64_t conf_poll(v_test_ctx *v_t, uint64_t mask);
/* The rights of h (0 if h is not valid). */
vx_rights conf_rights(vx_handle h);
/* Whether h names a live handle. */
bool conf_alive(vx_handle h);

#define CONF_MS UINT64_C(1000000)

#endif
