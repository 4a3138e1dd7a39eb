/* tests/conformance/images/child.h — the command protocol between the
 * conformance suite and its child Task image (conf_child.c).
 *
 * The child receives initial handles "cmd" (Ring RX) and "reply" (Ring
 * TX). Each command is one message: a u32 command code, then arguments;
 * handles in the message are kept by the child in numbered slots. Every
 * command except EXIT, CRASH and SLEEP answers with one message: an
 * i32 status, then results. */
#ifndef CONF_CHILD_H
#define CONF_CHILD_H

#include <stdint.h>

#define CHILD_SLOT_SIZE 256u
#define CHILD_SLOTS 16u   /* handles the child keeps */

enum child_cmd {
    CHILD_ECHO = 1,      /* -> status, badge (u64), the same bytes */
    CHILD_EXIT,          /* i32 code: vx_task_exit(code) */
    CHILD_CRASH,         /* write through a null pointer */
    CHILD_SLEEP,         /* -> status; then waits forever */
    CHILD_KEEP,          /* handles -> status, per handle: slot, type, rights */
    CHILD_READ,          /* u32 slot, u32 len -> status, bytes (Region) */
    CHILD_WRITE_MAPPED,  /* u32 slot, u8 byte -> status: map RW, fill page 0 */
    CHILD_GIVE,          /* u32 slot -> status, and the handle moved back */
    CHILD_CLOSE,         /* u32 slot -> status */
    CHILD_WAIT_BITS,     /* u64 mask -> status, pending bits */
    CHILD_RAISE,         /* u32 slot (a Task), u64 bits -> status */
    CHILD_QUOTA,         /* -> status of the first refused region_create,
                          * u32 regions made, u8 usage unchanged after */
    CHILD_USAGE,         /* -> status, vx_task_usage */
    CHILD_SEND,          /* u32 slot (a Ring TX), bytes -> status of send */
    CHILD_PROBE,         /* -> status, i32 errno of: open, socket, kill of
                          * another process, fork, exec (hosted only) */
    CHILD_THREAD_WAIT,   /* u64 mask: a new thread waits for those bits,
                          * then answers status, pending bits; the main
                          * thread answers status at once */
};

#endif
