/* include/vx/ for user programs on the native kernel: each call is one
 * `syscall` (register ABI and numbers: docs/substrate.md §12). Calls the
 * kernel does not provide yet return VX_ERR_NOT_SUPPORTED, which §1
 * allows and conforming programs handle. */
#include <stddef.h>
#include <stdint.h>
#include <k/syscall_nr.h>
#include <vx/vx.h>

static inline int64_t sys(uint64_t nr, uint64_t a, uint64_t b, uint64_t c,
                          uint64_t d, uint64_t e)
{
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    register uint64_t r8 __asm__("r8") = e;
    __asm__ volatile("syscall"
                     : "=a"(r), "+r"(r10), "+r"(r8)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

#define P(x) ((uint64_t)(uintptr_t)(x))

vx_time vx_clock_monotonic(void)
{
    return (vx_time)sys(SYS_CLOCK_MONOTONIC, 0, 0, 0, 0, 0);
}

vx_status vx_timer_create(vx_timer *out)
{
    return (vx_status)sys(SYS_TIMER_CREATE, P(out), 0, 0, 0, 0);
}

vx_status vx_timer_set(vx_timer t, vx_time deadline, vx_duration slack)
{
    return (vx_status)sys(SYS_TIMER_SET, t.h.value, deadline, slack, 0, 0);
}

vx_status vx_timer_cancel(vx_timer t)
{
    return (vx_status)sys(SYS_TIMER_CANCEL, t.h.value, 0, 0, 0, 0);
}

vx_status vx_handle_dup(vx_handle h, vx_rights rights, vx_handle *out)
{
    return (vx_status)sys(SYS_HANDLE_DUP, h.value, rights, P(out), 0, 0);
}

vx_status vx_handle_close(vx_handle h)
{
    return (vx_status)sys(SYS_HANDLE_CLOSE, h.value, 0, 0, 0, 0);
}

vx_status vx_handle_revoke(vx_handle h)
{
    return (vx_status)sys(SYS_HANDLE_REVOKE, h.value, 0, 0, 0, 0);
}

vx_status vx_handle_info_get(vx_handle h, vx_handle_info *out)
{
    return (vx_status)sys(SYS_HANDLE_INFO_GET, h.value, P(out), 0, 0, 0);
}

vx_status vx_region_create(uint64_t size, vx_region *out)
{
    return (vx_status)sys(SYS_REGION_CREATE, size, P(out), 0, 0, 0);
}

vx_status vx_region_size(vx_region r, uint64_t *size)
{
    return (vx_status)sys(SYS_REGION_SIZE, r.h.value, P(size), 0, 0, 0);
}

vx_status vx_region_read(vx_region r, uint64_t offset, void *buf, size_t len)
{
    return (vx_status)sys(SYS_REGION_READ, r.h.value, offset, P(buf), len, 0);
}

vx_status vx_region_write(vx_region r, uint64_t offset, const void *buf,
                          size_t len)
{
    return (vx_status)sys(SYS_REGION_WRITE, r.h.value, offset, P(buf), len,
                          0);
}

vx_status vx_region_map(vx_region r, uint64_t offset, uint64_t len,
                        vx_prot prot, void **addr)
{
    return (vx_status)sys(SYS_REGION_MAP, r.h.value, offset, len, prot,
                          P(addr));
}

vx_status vx_region_unmap(void *addr, uint64_t len)
{
    return (vx_status)sys(SYS_REGION_UNMAP, P(addr), len, 0, 0, 0);
}

vx_status vx_task_usage_get(vx_task_usage *out)
{
    return (vx_status)sys(SYS_TASK_USAGE_GET, P(out), 0, 0, 0, 0);
}

void vx_task_exit(int32_t code)
{
    sys(SYS_TASK_EXIT, (uint32_t)code, 0, 0, 0, 0);
    __builtin_unreachable();
}

/* ---- not provided by the native kernel yet ---- */

vx_status vx_ring_create(const vx_ring_params *params, vx_ring_tx *tx,
                         vx_ring_rx *rx)
{
    return (vx_status)sys(SYS_RING_CREATE, P(params), P(tx), P(rx), 0, 0);
}

vx_status vx_ring_params_get(vx_handle endpoint, vx_ring_params *out)
{
    return (vx_status)sys(SYS_RING_PARAMS_GET, endpoint.value, P(out), 0, 0,
                          0);
}

vx_status vx_ring_tx_mint(vx_ring_tx tx, uint64_t badge, vx_rights rights,
                          vx_ring_tx *out)
{
    return (vx_status)sys(SYS_RING_TX_MINT, tx.h.value, badge, rights, P(out),
                          0);
}

vx_status vx_ring_send(vx_ring_tx tx, const vx_msg_out *msg)
{
    return (vx_status)sys(SYS_RING_SEND, tx.h.value, P(msg), 0, 0, 0);
}

vx_status vx_ring_recv(vx_ring_rx rx, vx_msg_in *msg)
{
    return (vx_status)sys(SYS_RING_RECV, rx.h.value, P(msg), 0, 0, 0);
}

vx_status vx_ring_send_recv(vx_ring_tx tx, const vx_msg_out *out,
                            vx_ring_rx rx, vx_msg_in *in, vx_time deadline)
{
    return (vx_status)sys(SYS_RING_SEND_RECV, tx.h.value, P(out), rx.h.value,
                          P(in), deadline);
}

vx_status vx_ring_send_batch(vx_ring_tx tx, const vx_msg_out *msgs,
                             size_t count, size_t *done)
{
    return (vx_status)sys(SYS_RING_SEND_BATCH, tx.h.value, P(msgs), count,
                          P(done), 0);
}

vx_status vx_ring_recv_batch(vx_ring_rx rx, vx_msg_in *msgs, size_t count,
                             size_t *done)
{
    return (vx_status)sys(SYS_RING_RECV_BATCH, rx.h.value, P(msgs), count,
                          P(done), 0);
}

vx_status vx_signal_bind(vx_handle h, vx_conditions conditions, uint32_t bit)
{
    return (vx_status)sys(SYS_SIGNAL_BIND, h.value, conditions, bit, 0, 0);
}

vx_status vx_signal_unbind(uint32_t bit)
{
    return (vx_status)sys(SYS_SIGNAL_UNBIND, bit, 0, 0, 0, 0);
}

vx_status vx_signal_raise(vx_task task, uint64_t bits)
{
    return (vx_status)sys(SYS_SIGNAL_RAISE, task.h.value, bits, 0, 0, 0);
}

vx_status vx_signal_raise_self(uint64_t bits)
{
    return (vx_status)sys(SYS_SIGNAL_RAISE_SELF, bits, 0, 0, 0, 0);
}

vx_status vx_wait(uint64_t mask, vx_time deadline, uint64_t *pending)
{
    return (vx_status)sys(SYS_WAIT, mask, deadline, P(pending), 0, 0);
}

vx_status vx_task_spawn(const vx_spawn_args *args, vx_task *out)
{
    return (vx_status)sys(SYS_TASK_SPAWN, P(args), P(out), 0, 0, 0);
}

vx_status vx_task_kill(vx_task t)
{
    return (vx_status)sys(SYS_TASK_KILL, t.h.value, 0, 0, 0, 0);
}

vx_status vx_task_status_get(vx_task t, vx_task_status *out)
{
    return (vx_status)sys(SYS_TASK_STATUS_GET, t.h.value, P(out), 0, 0, 0);
}

vx_status vx_task_initial_handle(const char *name, vx_obj_type type,
                                 vx_handle *out)
{
    return (vx_status)sys(SYS_TASK_INITIAL_HANDLE, P(name), type, P(out), 0,
                          0);
}

/* Where a new thread starts (SYS_THREAD_START): rdi = entry, rsi = arg,
 * rsp = the top of the stack the kernel made for it (16-byte aligned).
 * It calls entry(arg) and ends the thread when entry returns. */
#define STR_(x) #x
#define STR(x) STR_(x)
void vx_native_thread_entry(void);
__asm__(".text\n"
        ".globl vx_native_thread_entry\n"
        ".type vx_native_thread_entry, @function\n"
        "vx_native_thread_entry:\n"
        "    xor %ebp, %ebp\n"
        "    and $-16, %rsp\n"
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rdi\n"
        "    call *%rax\n"
        "    mov $" STR(SYS_THREAD_EXIT) ", %eax\n"
        "    syscall\n"
        "    ud2\n"
        ".size vx_native_thread_entry, . - vx_native_thread_entry\n");

vx_status vx_thread_start(void (*entry)(void *arg), void *arg)
{
    return (vx_status)sys(SYS_THREAD_START, P(vx_native_thread_entry),
                          P(entry), P(arg), 0, 0);
}

vx_status vx_entropy_read(void *buf, size_t len)
{
    return (vx_status)sys(SYS_ENTROPY_READ, P(buf), len, 0, 0, 0);
}

vx_status vx_ioport_read(vx_ioport p, uint16_t port, uint32_t width,
                         uint32_t *value)
{
    return (vx_status)sys(SYS_IOPORT_READ, p.h.value, port, width, P(value),
                          0);
}

vx_status vx_ioport_write(vx_ioport p, uint16_t port, uint32_t width,
                          uint32_t value)
{
    return (vx_status)sys(SYS_IOPORT_WRITE, p.h.value, port, width, value, 0);
}

vx_status vx_irq_ack(vx_irq irq)
{
    return (vx_status)sys(SYS_IRQ_ACK, irq.h.value, 0, 0, 0, 0);
}
