/* v/process.h — the main entry shape of a Task, and its exit codes.
 *
 * A program written against libv defines
 *
 *     int32_t v_main(const v_process *p);
 *
 * and receives its arguments, its environment and the names of the
 * initial handles of its footprint in *p. The start file of the backend
 * (lib/process/hosted/start.c hosted; a _start natively) calls
 * v_process_run, which loads the start block, calls v_main and returns
 * its code for vx_task_exit. docs/process.md is the normative text: the
 * start block format, the reserved handle name and the exit code table.
 *
 * The start block travels as a Region among the initial handles under
 * V_PROCESS_START_NAME: the substrate needs nothing new for it. A Task
 * spawned without one (directly by vx_task_spawn) starts with no
 * arguments, no environment and no listed handles; its handles can still
 * be looked up by name. */
#ifndef V_PROCESS_H
#define V_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>
#include <vx/task.h>
#include <vx/types.h>

#define V_PROCESS_START_NAME "v.start"   /* reserved initial handle name */
#define V_PROCESS_ARGS_MAX 64u           /* arguments */
#define V_PROCESS_ENV_MAX 64u            /* environment entries */
#define V_PROCESS_HANDLES_MAX (VX_SPAWN_HANDLES_MAX - 1u) /* v.start is one */
#define V_PROCESS_STR_MAX 4096u          /* bytes of one string */
/* Bytes of a start block: every spec within the limits above fits (at
 * most 128 strings of 4 KiB plus 15 names), so this only bounds what a
 * Task accepts from a spawner that does not use v_process_encode. */
#define V_PROCESS_START_MAX (1024u * 1024u)

/* What a Task was started with. Strings are NUL-terminated, valid UTF-8
 * and live as long as the Task (they point into a private mapping). */
typedef struct v_process {
    uint32_t argc;
    uint32_t envc;
    uint32_t handle_count;
    const char *argv[V_PROCESS_ARGS_MAX];
    const char *envv[V_PROCESS_ENV_MAX]; /* "KEY=value" */
    const char *handle_names[V_PROCESS_HANDLES_MAX];
    void *map;        /* the private copy of the start block, or NULL */
    uint64_t map_len;
} v_process;

/* The program's entry point, defined by the program. */
int32_t v_main(const v_process *p);

/* ---- exit codes (docs/process.md has the table) ----
 * Codes are 0..127 so that they survive every path to a supervisor,
 * including a hosted root Task whose parent sees only the low 8 bits. */
enum {
    V_EXIT_OK = 0,          /* finished its work */
    V_EXIT_FAILURE = 1,     /* failed; a restart may help */
    V_EXIT_USAGE = 2,       /* arguments or environment invalid */
    V_EXIT_FOOTPRINT = 3,   /* an initial handle is missing or wrong */
    V_EXIT_START = 4,       /* the start block is malformed or too big */
    V_EXIT_PEER_CLOSED = 5, /* a peer it depends on went away */
    V_EXIT_RESOURCES = 6,   /* quota, handles or memory exhausted */
    V_EXIT_CONFIG = 7,      /* configuration it was given is invalid */
    V_EXIT_SOFTWARE = 8,    /* an internal invariant failed (a bug) */
    V_EXIT_EXEC = 127,      /* reserved: the image could not execute */
};

/* The exit code a program should use after failing with `st`. */
int32_t v_process_exit_code(v_status st);
/* Stable upper-case name ("FOOTPRINT"), "UNKNOWN" otherwise. Never NULL. */
const char *v_process_exit_name(int32_t code);
/* Whether restarting the same image with the same footprint can help: no
 * for USAGE, FOOTPRINT, START, CONFIG and EXEC (a supervisor should record
 * the failure instead of looping); yes for every other non-zero code. */
bool v_process_exit_restartable(int32_t code);

/* ---- the start block ---- */

/* What a spawner passes. Arrays may be NULL when their count is 0. */
typedef struct v_process_spec {
    uint32_t argc;
    const char *const *argv;
    uint32_t envc;
    const char *const *envv;
    uint32_t namec;
    const char *const *names;
} v_process_spec;

/* Encodes a start block into buf[cap]; *len gets its size. INVALID_ARGS:
 * NULL pointers (buf may be NULL with cap 0) or a spec that v_process_
 * decode would refuse (a count above its maximum, a string too long, not
 * UTF-8 or holding NUL, an env entry not KEY=value or a repeated KEY, a
 * name that is not a substrate handle name, repeated or reserved).
 * TRUNCATED: cap < *len (nothing useful written; *len still set). */
v_status v_process_encode(const v_process_spec *s, void *buf, size_t cap,
                          size_t *len);

/* Validates the start block at the front of block[len] (bytes after its
 * recorded size are ignored) and points p's strings into it, so the
 * block must outlive p and must not change. MALFORMED (p zeroed) for
 * anything docs/process.md does not allow. INVALID_ARGS: NULL pointers. */
v_status v_process_decode(v_process *p, const void *block, size_t len);

/* The value of environment entry `key`, or NULL. */
const char *v_process_env(const v_process *p, const char *key);

/* ---- with the substrate ---- */

/* Fills *p from the calling Task's start block: copies the Region into a
 * private mapping (so the spawner cannot change it after validation),
 * closes the start handle and decodes. No start handle: an empty *p, V_OK.
 * LIMIT: the Region is larger than V_PROCESS_START_MAX. Substrate errors
 * as returned. */
v_status v_process_load(v_process *p);

/* Initial handle `name` of the footprint, checked to be of `type`
 * (vx_task_initial_handle). INVALID_ARGS also for the reserved name. */
v_status v_process_handle(const char *name, vx_obj_type type, vx_handle *out);

/* Loads the start block and calls v_main: the body of every start file.
 * Returns v_main's code, or V_EXIT_START if the block was unusable. */
int32_t v_process_run(void);

typedef struct v_process_spawn_args {
    vx_region image;
    const char *name;
    uint64_t quota_bytes;
    uint32_t handle_limit;
    uint32_t handle_count;           /* 0..V_PROCESS_HANDLES_MAX */
    const vx_named_handle *handles;  /* moved into the Task on success */
    v_process_spec spec;             /* names are filled in from handles */
} v_process_spawn_args;

/* Spawns a Task whose v_main receives spec's arguments and environment and
 * the names of `handles`. The start block Region is made here, moved in
 * under V_PROCESS_START_NAME, and charged to the caller until the child
 * has loaded it. handle_limit must leave room for it and for the child's
 * private copy while loading: at least handle_count + 2.
 * INVALID_ARGS: NULL pointers, spec.namec not 0, more than
 * V_PROCESS_HANDLES_MAX handles, a handle named V_PROCESS_START_NAME, or
 * an invalid spec. Otherwise vx_task_spawn's errors; on any failure the
 * handles stay with the caller. */
v_status v_process_spawn(const v_process_spawn_args *a, vx_task *out);

#endif
