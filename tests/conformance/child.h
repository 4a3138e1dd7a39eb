/* tests/conformance/child.h — spawning and driving the child Task image
 * (images/conf_child.c, protocol in images/child.h). The image comes to
 * the suite as its initial handle "conf_child". */
#ifndef CONF_CHILD_UTIL_H
#define CONF_CHILD_UTIL_H

#include "conf.h"

typedef struct conf_child {
    vx_task task;
    vx_ring_tx cmd;   /* commands to the child */
    vx_ring_rx reply; /* its answers */
} conf_child;

/* Spawns the child with a 16 MiB quota (or `quota`) and 64 handles. */
bool conf_child_start(v_test_ctx *v_t, conf_child *c);
bool conf_child_start_with(v_test_ctx *v_t, conf_child *c, uint64_t quota);

/* One command: its code, argument bytes and handles (moved to the child). */
vx_status conf_child_send(conf_child *c, uint32_t cmd, const void *arg,
                          uint32_t len, const vx_handle *h, uint32_t hc);
/* Waits (at most 10 s) for the next answer: returns the child's status,
 * copies the result bytes to out[cap]; `in` (optional) gets the message,
 * for the handles it carries. */
vx_status conf_child_reply(conf_child *c, void *out, uint32_t cap,
                           uint32_t *len, vx_msg_in *in);
vx_status conf_child_call(conf_child *c, uint32_t cmd, const void *arg,
                          uint32_t len, const vx_handle *h, uint32_t hc,
                          void *out, uint32_t cap, uint32_t *out_len);

/* Waits (at most 10 s) for TASK_EXITED, then reads the status. */
vx_status conf_child_wait_exit(conf_child *c, vx_task_status *s);
/* Closes the command Ring (a live child then returns 0 from main), checks
 * how it ended, and closes the remaining handles. */
void conf_child_finish(v_test_ctx *v_t, conf_child *c, vx_task_state state,
                       int32_t code);

#endif
