/* System call dispatch (numbers: k/syscall_nr.h; register ABI:
 * docs/substrate.md, "Native backend"). Arguments arrive in rdi, rsi,
 * rdx, r10, r8, r9 of the saved frame; the result goes back in rax. Every
 * user pointer goes through copy_from_user/copy_to_user, so garbage is
 * INVALID_ARGS, never a kernel fault. Interrupts are on here. */
#include <arch/trap.h>
#include <arch/user.h>
#include <k/clock.h>
#include <k/fmt.h>
#include <k/ioport.h>
#include <k/log.h>
#include <k/sys.h>
#include <k/syscall_nr.h>
#include <k/task.h>
#include <vx/status.h>

void syscall_dispatch(trap_frame *f);

/* An unknown or reserved call number is a fault, as in Zircon: no
 * correct program makes one (the library only uses numbers the kernel
 * has), so carrying on would hide a bug or a probe. One log line, then
 * the Task ends CRASHED like any other fault. Bad arguments to a known
 * call stay errors (§1 of docs/substrate.md). */
static _Noreturn void bad_syscall(const trap_frame *f)
{
    char what[40];
    ksnprintf(what, sizeof what, "bad syscall %lu", f->rax);
    task_fault(what, TASK_FAULT_BAD_SYSCALL, f->rip, f->rax);
}

static int64_t sys_debug_write(uint64_t buf, uint64_t len)
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

void syscall_dispatch(trap_frame *f)
{
    int64_t r;
    switch (f->rax) {
    case SYS_NULL:
        r = VX_OK;
        break;
    case SYS_DEBUG_WRITE:
        r = sys_debug_write(f->rdi, f->rsi);
        break;
    case SYS_TASK_EXIT:
        task_exit_current((int32_t)f->rdi);
    case SYS_CLOCK_MONOTONIC:
        r = (int64_t)clock_ns();
        break;
    case SYS_HANDLE_DUP:
        r = sys_handle_dup(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_HANDLE_CLOSE:
        r = sys_handle_close(f->rdi);
        break;
    case SYS_HANDLE_INFO_GET:
        r = sys_handle_info_get(f->rdi, f->rsi);
        break;
    case SYS_TIMER_CREATE:
        r = sys_timer_create(f->rdi);
        break;
    case SYS_TIMER_SET:
        r = sys_timer_set(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_TIMER_CANCEL:
        r = sys_timer_cancel(f->rdi);
        break;
    case SYS_REGION_CREATE:
        r = sys_region_create(f->rdi, f->rsi);
        break;
    case SYS_REGION_SIZE:
        r = sys_region_size(f->rdi, f->rsi);
        break;
    case SYS_REGION_READ:
        r = sys_region_read(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_REGION_WRITE:
        r = sys_region_write(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_REGION_MAP:
        r = sys_region_map(f->rdi, f->rsi, f->rdx, f->r10, f->r8);
        break;
    case SYS_REGION_UNMAP:
        r = sys_region_unmap(f->rdi, f->rsi);
        break;
    case SYS_TASK_USAGE_GET:
        r = sys_task_usage_get(f->rdi);
        break;
    case SYS_TASK_SPAWN:
        r = sys_task_spawn(f->rdi, f->rsi);
        break;
    case SYS_TASK_KILL:
        r = sys_task_kill(f->rdi);
        break;
    case SYS_TASK_STATUS_GET:
        r = sys_task_status_get(f->rdi, f->rsi);
        break;
    case SYS_TASK_INITIAL_HANDLE:
        r = sys_task_initial_handle(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_SIGNAL_BIND:
        r = sys_signal_bind(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_SIGNAL_UNBIND:
        r = sys_signal_unbind(f->rdi);
        break;
    case SYS_SIGNAL_RAISE:
        r = sys_signal_raise(f->rdi, f->rsi);
        break;
    case SYS_SIGNAL_RAISE_SELF:
        r = sys_signal_raise_self(f->rdi);
        break;
    case SYS_WAIT:
        r = sys_wait(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_ENTROPY_READ:
        r = sys_entropy_read(f->rdi, f->rsi);
        break;
    case SYS_RING_CREATE:
        r = sys_ring_create(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_RING_PARAMS_GET:
        r = sys_ring_params_get(f->rdi, f->rsi);
        break;
    case SYS_RING_TX_MINT:
        r = sys_ring_tx_mint(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_RING_SEND:
        r = sys_ring_send(f->rdi, f->rsi);
        break;
    case SYS_RING_RECV:
        r = sys_ring_recv(f->rdi, f->rsi);
        break;
    case SYS_RING_SEND_BATCH:
        r = sys_ring_send_batch(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_RING_RECV_BATCH:
        r = sys_ring_recv_batch(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_HANDLE_REVOKE:
        r = sys_handle_revoke(f->rdi);
        break;
    case SYS_THREAD_START:
        r = sys_thread_start(f->rdi, f->rsi, f->rdx);
        break;
    case SYS_THREAD_EXIT:
        task_thread_exit();
    case SYS_IOPORT_READ:
        r = sys_ioport_read(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_IOPORT_WRITE:
        r = sys_ioport_write(f->rdi, f->rsi, f->rdx, f->r10);
        break;
    case SYS_IRQ_ACK:
        r = sys_irq_ack(f->rdi);
        break;
    default:
        bad_syscall(f);
    }
    f->rax = (uint64_t)r;
    /* The common case inline (no call): nobody asked this Task to end. */
    if (__atomic_load_n(&thread_current()->task->kill_requested,
                        __ATOMIC_ACQUIRE))
        task_check_kill();
    /* sysret must not meet a non-canonical rip (arch/user.h); nothing can
     * be mapped where one would come from, so this is a last guard. */
    if (f->rip >= USER_TOP)
        task_fault("return address outside the user area",
                   TASK_FAULT_BAD_RETURN, f->rip, f->rip);
}
