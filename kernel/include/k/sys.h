/* System call handlers, one per call number (k/syscall_nr.h), called
 * through syscall_table (core/syscall.c) with the raw 64-bit register
 * arguments. Each returns what goes back in rax. */
#ifndef K_SYS_H
#define K_SYS_H

#include <stdint.h>
#include <vx/handle.h>
#include <vx/status.h>

int64_t sys_handle_dup(uint64_t h, uint64_t rights, uint64_t out);
int64_t sys_handle_close(uint64_t h);
int64_t sys_handle_info_get(uint64_t h, uint64_t out);
int64_t sys_handle_revoke(uint64_t h);
int64_t sys_thread_start(uint64_t pc, uint64_t entry, uint64_t arg);
int64_t sys_thread_exit(void);
int64_t sys_debug_write(uint64_t buf, uint64_t len);
int64_t sys_timer_create(uint64_t out);
int64_t sys_timer_set(uint64_t h, uint64_t deadline, uint64_t slack);
int64_t sys_timer_cancel(uint64_t h);
int64_t sys_entropy_read(uint64_t buf, uint64_t len);
int64_t sys_region_create(uint64_t size, uint64_t out);
int64_t sys_region_size(uint64_t h, uint64_t out);
int64_t sys_region_read(uint64_t h, uint64_t offset, uint64_t buf,
                        uint64_t len);
int64_t sys_region_write(uint64_t h, uint64_t offset, uint64_t buf,
                         uint64_t len);
int64_t sys_region_map(uint64_t h, uint64_t offset, uint64_t len,
                       uint64_t prot, uint64_t addr_out);
int64_t sys_region_unmap(uint64_t addr, uint64_t len);
int64_t sys_task_usage_get(uint64_t out);
int64_t sys_task_spawn(uint64_t args, uint64_t out);
int64_t sys_task_kill(uint64_t h);
int64_t sys_task_status_get(uint64_t h, uint64_t out);
int64_t sys_task_initial_handle(uint64_t name, uint64_t type, uint64_t out);
int64_t sys_signal_bind(uint64_t h, uint64_t conditions, uint64_t bit);
int64_t sys_signal_unbind(uint64_t bit);
int64_t sys_signal_raise(uint64_t h, uint64_t bits);
int64_t sys_signal_raise_self(uint64_t bits);
int64_t sys_wait(uint64_t mask, uint64_t deadline, uint64_t out);
int64_t sys_ring_create(uint64_t params, uint64_t tx_out, uint64_t rx_out);
int64_t sys_ring_params_get(uint64_t h, uint64_t out);
int64_t sys_ring_tx_mint(uint64_t h, uint64_t badge, uint64_t rights,
                         uint64_t out);
int64_t sys_ring_send(uint64_t tx, uint64_t msg);
int64_t sys_ring_recv(uint64_t rx, uint64_t msg);
int64_t sys_ring_send_recv(uint64_t tx, uint64_t out, uint64_t rx,
                           uint64_t in, uint64_t deadline);
int64_t sys_ring_send_batch(uint64_t tx, uint64_t msgs, uint64_t count,
                            uint64_t done);
int64_t sys_ring_recv_batch(uint64_t rx, uint64_t msgs, uint64_t count,
                            uint64_t done);

#endif
