/* The echo schema's glue (schemas/service_echo.vs), shared by its servers
 * (testsvc, the native bench's trivial service) and its clients (the
 * probe Task, the hosted supervision tests): the skeleton's decode and
 * envelope hooks, and one synchronous call. */
#ifndef VECTRA_SERVICES_ECHO_H
#define VECTRA_SERVICES_ECHO_H

#include <v/service.h>
#include <vx/vx.h>

#include "service_echo.h"

v_status echo_decode(const void *buf, size_t len, unsigned flags, v_alloc *a,
                     void *out, v_encoding_error *err);
void echo_envelope(const void *req, uint64_t *id, bool *has_reply,
                   uint32_t *tag);

/* The call `echo value`. */
vectra_echo_Call echo_of(uint64_t value);

/* Sends `call` through `tx` with a reply Ring whose readable condition is
 * bound to signal `bit`, and waits for the answer until `deadline`. V_OK
 * and the reply's value (0 if it carries none); the service's error
 * status; or the failure of the call itself (PEER_CLOSED when the
 * service ended with the request, TIMED_OUT). */
v_status echo_call(vx_ring_tx tx, vectra_echo_Call call, uint32_t bit,
                   vx_time deadline, uint64_t *value);

#endif
