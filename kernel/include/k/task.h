/* User Tasks: an address space with up to TASK_THREADS_MAX threads in
 * ring 3, a handle table, a quota and Region mappings. A Task is a kernel
 * object (handles of type VX_OBJ_TASK refer to it); its record lives
 * while referenced, its memory is freed as soon as it has ended.
 *
 * Threads: slot 0 is the first thread (the stack below USER_STACK_TOP);
 * slot i >= 1 has its own stack of USER_STACK_PAGES at
 * task_thread_stack_top(i), mapped by the slot's first vx_thread_start
 * and kept for its later threads until the Task ends. A thread that ends alone leaves its record in
 * its slot; whoever next needs the slot (thread start, the reaper) joins
 * it. Each thread has its own kernel thread (kernel stack, FPU area).
 *
 * Ending: exit, a fault in any thread, or a kill sets the final state
 * once and asks every thread to leave (each does on its way back to
 * ring 3; an IPI and a wake-up of vx_wait make that prompt). The last
 * thread to leave closes the handles and mappings and queues the Task for
 * the reaper thread, which joins every thread, frees the address space,
 * returns the quota lent by the creator, and only then marks the Task
 * ended (TASK_EXITED holds, task_wait returns). */
#ifndef K_TASK_H
#define K_TASK_H

#include <stdint.h>
#include <stddef.h>
#include <k/handle.h>
#include <k/object.h>
#include <k/quota.h>
#include <k/sched.h>
#include <k/signal.h>
#include <k/spinlock.h>
#include <k/umap.h>
#include <k/waitq.h>
#include <v/status.h>
#include <vx/task.h>

/* Values as vx_task_state (include/vx/task.h). */
typedef enum task_state {
    TASK_RUNNING = 0,
    TASK_EXITED = 1,
    TASK_KILLED = 2,
    TASK_CRASHED = 3,
} task_state;

#define TASK_NAME_MAX 31
#define USER_STACK_TOP 0x00007fffffe00000ull
#define USER_STACK_PAGES 16
#define TASK_THREADS_MAX 64 /* docs/substrate.md §10 */
/* Stacks of threads 1..63: one per MiB from here, the stack at the top of
 * its MiB and the rest unmapped (guard). Above the Region area
 * (UMAP_TOP), below the first thread's stack. */
#define USER_THREAD_STACKS 0x00007fff00000000ull
#define USER_THREAD_STRIDE 0x100000ull
/* For Tasks the kernel starts itself: */
#define TASK_HANDLE_LIMIT 256
#define TASK_QUOTA_BYTES (64ull << 20)

typedef struct task_initial {
    char name[VX_NAME_MAX + 1];
    uint32_t value;
} task_initial;

typedef struct task {
    kobject base;              /* first: handles point here */
    char name[TASK_NAME_MAX + 1];
    uint64_t root;             /* page tables; freed by the reaper */
    spinlock tlock;            /* threads[], live_threads */
    thread *threads[TASK_THREADS_MAX]; /* threads that left, unjoined */
    uint64_t slots_used;       /* bit i: slot i taken (reserved or run) */
    uint64_t stacks_mapped;    /* bit i: slot i's stack is mapped */
    uint32_t live_threads;     /* started and not yet left */
    volatile bool ending;      /* the final state is being decided/set */
    volatile task_state state;
    int32_t exit_code;         /* meaningful when EXITED */
    uint64_t fault_vector;     /* when CRASHED */
    uint64_t fault_addr;
    uint64_t entry, arg;
    htable handles;            /* closed when the Task ends */
    kquota *quota;             /* what its objects are charged to */
    umaps maps;                /* its Region mappings */
    kquota *lender;            /* charged `lent` bytes for this Task */
    uint64_t lent;
    volatile bool kill_requested;
    volatile bool ended;       /* set by the reaper, under end_wq.lock */
    waitq end_wq;
    struct task *reap_next;
    signal_word signals;
    uint32_t initial_count;
    task_initial initial[VX_SPAWN_HANDLES_MAX];
} task;

/* True if name is 1..31 bytes of [a-z0-9_.-]. */
bool task_name_ok(const char *name);

/* A Task loaded from image (read now; the caller may free it), not yet
 * running, with one reference for the caller. INVALID_ARGS: the name or
 * the image is refused (*why says why); NO_MEMORY. */
v_status task_create(const char *name, const void *image, size_t len,
                     uint64_t quota_bytes, uint32_t handle_limit, task **out,
                     const char **why);
/* Before task_start: adds o (its reference moves in) to t's table as
 * initial handle name. INVALID_ARGS: bad or duplicate name, or all
 * VX_SPAWN_HANDLES_MAX used; LIMIT; NO_MEMORY. */
v_status task_add_initial(task *t, const char *name, kobject *o,
                          vx_rights rights);
/* Starts its thread at the entry point with rdi = arg. NO_MEMORY leaves
 * the Task unstarted (drop it with kobject_unref). */
v_status task_start(task *t, uint64_t arg);
/* task_create with the defaults above, then task_start. */
v_status task_spawn(const char *name, const void *image, size_t len,
                    uint64_t arg, task **out, const char **why);

/* Waits until t has ended (any way); its state is final afterwards. */
void task_wait(task *t);
/* Waits, then drops the caller's reference. */
void task_destroy(task *t);
/* Asks t to end (state KILLED) the next time it is about to run user
 * code. Ending completes asynchronously (task_wait). */
void task_kill(task *t);

/* The Task the calling thread runs for, or NULL for a kernel thread. */
task *task_current(void);
/* Ends the calling Task (EXITED, code). */
_Noreturn void task_exit_current(int32_t code);
/* A fault in ring 3 (trap.c): one log line with the Task's name, the
 * fault and the address, then the Task ends CRASHED. vector is the CPU
 * exception's, or one of these for faults the kernel finds itself: */
#define TASK_FAULT_BAD_RETURN 0x100  /* syscall return address not user */
#define TASK_FAULT_BAD_SYSCALL 0x101 /* unknown call number (address: it) */
_Noreturn void task_fault(const char *what, uint64_t vector, uint64_t rip,
                          uint64_t addr);
/* On every way back to ring 3 (trap.c, the syscall path): the calling
 * thread leaves if its Task was killed or is ending. Interrupts may be
 * off. */
void task_check_kill(void);
/* Ends the calling thread only (SYS_THREAD_EXIT); the Task ends EXITED 0
 * if it was the last one. */
_Noreturn void task_thread_exit(void);
/* Starts a thread of the calling Task at pc with rdi = a0, rsi = a1 on a
 * fresh stack. LIMIT: TASK_THREADS_MAX threads; NO_MEMORY. */
v_status task_thread_start(uint64_t pc, uint64_t a0, uint64_t a1);
uint64_t task_thread_stack_top(uint32_t slot);

#endif
