/* v/status.h — the one error vocabulary of libv.
 *
 * Every fallible libv call returns v_status: V_OK (0) or a negative code.
 * Codes -1..-11 have the same values and meanings as the substrate's
 * vx_status (docs/substrate.md), so a status can pass from the kernel
 * through libv to a program unchanged. Codes from -32 down are libv's own. */
#ifndef V_STATUS_H
#define V_STATUS_H

typedef int v_status;

enum {
    V_OK = 0,
    V_ERR_BAD_HANDLE = -1,     /* handle value names no live object */
    V_ERR_ACCESS_DENIED = -2,  /* the handle lacks a required right */
    V_ERR_INVALID_ARGS = -3,   /* an argument is malformed or out of domain */
    V_ERR_NO_MEMORY = -4,      /* an allocator or quota is exhausted */
    V_ERR_SHOULD_WAIT = -5,    /* not ready now; wait for a signal and retry */
    V_ERR_PEER_CLOSED = -6,    /* the other end is gone */
    V_ERR_TIMED_OUT = -7,      /* a deadline passed */
    V_ERR_BAD_STATE = -8,      /* the object is in the wrong state for this */
    V_ERR_OUT_OF_RANGE = -9,   /* an offset or index is past the end */
    V_ERR_LIMIT = -10,         /* a declared limit would be exceeded */
    V_ERR_NOT_SUPPORTED = -11, /* not implemented or not available here */

    V_ERR_END = -32,           /* end of stream: no more bytes will come */
    V_ERR_MALFORMED = -33,     /* input bytes violate their format */
    V_ERR_TRUNCATED = -34,     /* output did not fit; what fit was written */
    V_ERR_IO = -35,            /* the underlying device or peer failed */
};

/* Stable upper-case name ("NO_MEMORY"), or "UNKNOWN" for a value that is
 * not a status. Never NULL. */
const char *v_status_name(v_status s);

#endif
