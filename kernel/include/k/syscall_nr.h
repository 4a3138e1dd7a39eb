/* System call numbers of the native backend (register ABI: docs/
 * substrate.md, "Native backend"). Shared by the kernel and the user
 * programs it builds, so plain constants only. Numbers are never reused:
 * a removed call's number stays reserved, and calling an unknown or
 * reserved number kills the Task (a fault, docs/substrate.md §12). */
#ifndef K_SYSCALL_NR_H
#define K_SYSCALL_NR_H

#define SYS_NULL 0          /* returns VX_OK; for measurements */
#define SYS_DEBUG_WRITE 1   /* (buf, len): one log line, len <= 256 */
#define SYS_TASK_EXIT 2     /* (code): vx_task_exit */
#define SYS_CLOCK_MONOTONIC 3 /* (): vx_clock_monotonic, the time in rax */
#define SYS_HANDLE_DUP 4    /* (h, rights, out) */
#define SYS_HANDLE_CLOSE 5  /* (h) */
#define SYS_HANDLE_INFO_GET 6 /* (h, out) */
#define SYS_TIMER_CREATE 7  /* (out) */
#define SYS_TIMER_SET 8     /* (t, deadline, slack) */
#define SYS_TIMER_CANCEL 9  /* (t) */
#define SYS_REGION_CREATE 10 /* (size, out) */
#define SYS_REGION_SIZE 11  /* (r, out) */
#define SYS_REGION_READ 12  /* (r, offset, buf, len) */
#define SYS_REGION_WRITE 13 /* (r, offset, buf, len) */
#define SYS_REGION_MAP 14   /* (r, offset, len, prot, addr_out) */
#define SYS_REGION_UNMAP 15 /* (addr, len) */
#define SYS_TASK_USAGE_GET 16 /* (out) */
#define SYS_TASK_SPAWN 17   /* (args, out) */
#define SYS_TASK_KILL 18    /* (t) */
#define SYS_TASK_STATUS_GET 19 /* (t, out) */
#define SYS_TASK_INITIAL_HANDLE 20 /* (name, type, out) */
#define SYS_SIGNAL_BIND 21  /* (h, conditions, bit) */
#define SYS_SIGNAL_UNBIND 22 /* (bit) */
#define SYS_SIGNAL_RAISE 23 /* (t, bits) */
#define SYS_SIGNAL_RAISE_SELF 24 /* (bits) */
#define SYS_WAIT 25         /* (mask, deadline, pending) */
#define SYS_RING_CREATE 26  /* (params, tx_out, rx_out) */
#define SYS_RING_PARAMS_GET 27 /* (endpoint, out) */
#define SYS_RING_TX_MINT 28 /* (tx, badge, rights, out) */
#define SYS_RING_SEND 29    /* (tx, msg) */
#define SYS_RING_RECV 30    /* (rx, msg) */
#define SYS_RING_SEND_BATCH 31 /* (tx, msgs, count, done) */
#define SYS_RING_RECV_BATCH 32 /* (rx, msgs, count, done) */
#define SYS_ENTROPY_READ 33 /* (buf, len) */
#define SYS_HANDLE_REVOKE 34 /* (h) */
#define SYS_THREAD_START 35 /* (pc, entry, arg): a new thread at pc with
                               rdi = entry, rsi = arg, on its own stack */
#define SYS_THREAD_EXIT 36  /* (): ends the calling thread */
#define SYS_IOPORT_READ 37  /* (p, port, width, out) */
#define SYS_IOPORT_WRITE 38 /* (p, port, width, value) */
#define SYS_IRQ_ACK 39      /* (irq) */
#define SYS_RING_SEND_RECV 40 /* (tx, out, rx, in, deadline) */
#define SYS_COUNT 41

#define SYS_DEBUG_WRITE_MAX 256

#endif
