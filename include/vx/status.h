/* vx/status.h — the substrate's error vocabulary.
 *
 * Every substrate call that can fail returns vx_status: VX_OK (0) or one of
 * the negative codes below. The values are fixed by the ABI and equal the
 * libv codes V_ERR_* in <v/status.h> (a conformance test asserts it), so a
 * status passes from the substrate through libv unchanged.
 * docs/substrate.md lists, for every call, exactly which codes it returns. */
#ifndef VX_STATUS_H
#define VX_STATUS_H

typedef int vx_status;

enum {
    VX_OK = 0,
    VX_ERR_BAD_HANDLE = -1,     /* value names no live handle of that kind */
    VX_ERR_ACCESS_DENIED = -2,  /* the handle lacks a required right */
    VX_ERR_INVALID_ARGS = -3,   /* an argument is malformed or out of domain */
    VX_ERR_NO_MEMORY = -4,      /* the substrate itself ran out of memory */
    VX_ERR_SHOULD_WAIT = -5,    /* not possible now; wait for a signal, retry */
    VX_ERR_PEER_CLOSED = -6,    /* the other side of the object is gone */
    VX_ERR_TIMED_OUT = -7,      /* the deadline passed first */
    VX_ERR_BAD_STATE = -8,      /* the object is in the wrong state for this */
    VX_ERR_OUT_OF_RANGE = -9,   /* an offset, size or name is past the end */
    VX_ERR_LIMIT = -10,         /* a quota or declared limit would be exceeded */
    VX_ERR_NOT_SUPPORTED = -11, /* not available on this backend */
};

#define VX_CALL __attribute__((warn_unused_result))

#endif
