/* hosted/client/client.h — internals shared by the client library's files
 * (hosted/client/). */
#ifndef HOSTED_CLIENT_H
#define HOSTED_CLIENT_H

#include "../proto.h"

#include <vx/vx.h>

/* One request on this thread's connection; the reply body is malloc'd in
 * out->p (the caller frees); *fd gets a received descriptor or -1 (NULL:
 * close any). */
vx_status client_call(int op, const buf *req, buf *out, int *fd);

/* The Ring fast path (lane_client.c). Each returns true if it handled the
 * call (result in *st), false if the call must go to the broker. */
bool client_lane_send(vx_ring_tx tx, const vx_msg_out *msgs, size_t count,
                      size_t *done, vx_status *st);
bool client_lane_recv(vx_ring_rx rx, vx_msg_in *msgs, size_t count,
                      size_t *done, vx_status *st);

#endif
