/* System call dispatch (numbers: k/syscall_nr.h; register ABI:
 * docs/substrate.md, "Native backend"): the table syscall.S calls
 * through, and the handlers too small for a file of their own. Every
 * user pointer goes through copy_from_user/copy_to_user, so garbage is
 * INVALID_ARGS, never a kernel fault. Interrupts are on in handlers. */
#include <arch/syscall_abi.h>
#include <arch/user.h>
#include <k/clock.h>
#include <k/fmt.h>
#include <k/ioport.h>
#include <k/log.h>
#include <k/sys.h>
#include <k/syscall_nr.h>
#include <k/task.h>
#include <vx/status.h>

/* The entry (arch/x86_64/syscall.S) reads these at fixed offsets. */
_Static_assert(__builtin_offsetof(cpu, current) == SYSCALL_OFF_CPU_CURRENT,
               "syscall.S: cpu.current");
_Static_assert(__builtin_offsetof(thread, task) == SYSCALL_OFF_THREAD_TASK,
               "syscall.S: thread.task");
_Static_assert(__builtin_offsetof(task, kill_requested) ==
                   SYSCALL_OFF_TASK_KILL && sizeof(bool) == 1,
               "syscall.S: task.kill_requested");
_Static_assert(SYSCALL_USER_TOP == USER_TOP, "syscall.S: USER_TOP");

/* Called by syscall.S, with interrupts on. */
_Noreturn void syscall_bad(uint64_t nr, uint64_t rip);
_Noreturn void syscall_bad_return(uint64_t rip);

/* An unknown or reserved call number is a fault, as in Zircon: no
 * correct program makes one (the library only uses numbers the kernel
 * has), so carrying on would hide a bug or a probe. One log line, then
 * the Task ends CRASHED like any other fault. Bad arguments to a known
 * call stay errors (§1 of docs/substrate.md). */
_Noreturn void syscall_bad(uint64_t nr, uint64_t rip)
{
    char what[40];
    ksnprintf(what, sizeof what, "bad syscall %lu", nr);
    task_fault(what, TASK_FAULT_BAD_SYSCALL, rip, nr);
}

_Noreturn void syscall_bad_return(uint64_t rip)
{
    task_fault("return address outside the user area",
               TASK_FAULT_BAD_RETURN, rip, rip);
}

int64_t sys_debug_write(uint64_t buf, uint64_t len)
{
    char text[SYS_DEBUG_WRITE_MAX + 1];
    if (len > SYS_DEBUG_WRITE_MAX || (len && !buf))
        return VX_ERR_INVALID_ARGS;
    if (!len)
        return VX_OK;
    if (copy_from_user(text, buf, len) != V_OK)
        return VX_ERR_INVALID_ARGS;
    /* Strip one trailing newline: the log adds its own. */
    if (len && text[len - 1] == '\n')
        len--;
    for (uint64_t i = 0; i < len; i++) /* no control bytes in the log */
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            text[i] = '?';
    text[len] = 0;
    kinfo("%s: %s", task_current()->name, text);
    return VX_OK;
}

static int64_t sys_null(void)
{
    return VX_OK;
}

static int64_t sys_task_exit(uint64_t code)
{
    task_exit_current((int32_t)code);
}

static int64_t sys_clock_monotonic(void)
{
    return (int64_t)clock_ns();
}

int64_t sys_thread_exit(void)
{
    task_thread_exit();
}

/* Indexed by call number; syscall.S calls the entry with the six
 * argument registers as they came (docs/substrate.md, "Register ABI"),
 * so each handler is stored with its own prototype, cast to a generic
 * function type: only the assembly calls through the table. Every
 * number below SYS_COUNT has a handler (a reserved number would get
 * sys_reserved); syscall.S refuses the rest. */
typedef void (*syscall_fn)(void);
#define CALL(nr, fn) [nr] = (syscall_fn)(fn)
const syscall_fn syscall_table[SYS_COUNT] = {
    CALL(SYS_NULL, sys_null),
    CALL(SYS_DEBUG_WRITE, sys_debug_write),
    CALL(SYS_TASK_EXIT, sys_task_exit),
    CALL(SYS_CLOCK_MONOTONIC, sys_clock_monotonic),
    CALL(SYS_HANDLE_DUP, sys_handle_dup),
    CALL(SYS_HANDLE_CLOSE, sys_handle_close),
    CALL(SYS_HANDLE_INFO_GET, sys_handle_info_get),
    CALL(SYS_TIMER_CREATE, sys_timer_create),
    CALL(SYS_TIMER_SET, sys_timer_set),
    CALL(SYS_TIMER_CANCEL, sys_timer_cancel),
    CALL(SYS_REGION_CREATE, sys_region_create),
    CALL(SYS_REGION_SIZE, sys_region_size),
    CALL(SYS_REGION_READ, sys_region_read),
    CALL(SYS_REGION_WRITE, sys_region_write),
    CALL(SYS_REGION_MAP, sys_region_map),
    CALL(SYS_REGION_UNMAP, sys_region_unmap),
    CALL(SYS_TASK_USAGE_GET, sys_task_usage_get),
    CALL(SYS_TASK_SPAWN, sys_task_spawn),
    CALL(SYS_TASK_KILL, sys_task_kill),
    CALL(SYS_TASK_STATUS_GET, sys_task_status_get),
    CALL(SYS_TASK_INITIAL_HANDLE, sys_task_initial_handle),
    CALL(SYS_SIGNAL_BIND, sys_signal_bind),
    CALL(SYS_SIGNAL_UNBIND, sys_signal_unbind),
    CALL(SYS_SIGNAL_RAISE, sys_signal_raise),
    CALL(SYS_SIGNAL_RAISE_SELF, sys_signal_raise_self),
    CALL(SYS_WAIT, sys_wait),
    CALL(SYS_RING_CREATE, sys_ring_create),
    CALL(SYS_RING_PARAMS_GET, sys_ring_params_get),
    CALL(SYS_RING_TX_MINT, sys_ring_tx_mint),
    CALL(SYS_RING_SEND, sys_ring_send),
    CALL(SYS_RING_RECV, sys_ring_recv),
    CALL(SYS_RING_SEND_BATCH, sys_ring_send_batch),
    CALL(SYS_RING_RECV_BATCH, sys_ring_recv_batch),
    CALL(SYS_ENTROPY_READ, sys_entropy_read),
    CALL(SYS_HANDLE_REVOKE, sys_handle_revoke),
    CALL(SYS_THREAD_START, sys_thread_start),
    CALL(SYS_THREAD_EXIT, sys_thread_exit),
    CALL(SYS_IOPORT_READ, sys_ioport_read),
    CALL(SYS_IOPORT_WRITE, sys_ioport_write),
    CALL(SYS_IRQ_ACK, sys_irq_ack),
    CALL(SYS_RING_SEND_RECV, sys_ring_send_recv),
};
