/* Revoke racing moves (kernel/tests/uthread_test.c): one thread sends
 * handles derived from a Region through a Ring, another receives, dups
 * and closes them, and the first thread revokes the Region's handle over
 * and over meanwhile, on as many CPUs as there are. Every call must
 * return one of the results the races allow; the kernel test then checks
 * that every frame comes back. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int urevoke_race(void);

#define ROUNDS 1500
#define BIT_READABLE 7

static vx_region region;
static vx_ring_tx tx;
static vx_ring_rx rx;
static volatile uint32_t revoking, sender_done, receiver_done, bad;

static void fail(uint32_t why)
{
    __atomic_store_n(&bad, why, __ATOMIC_RELEASE);
}

static void sender(void *arg)
{
    (void)arg;
    /* Not before the main thread revokes: a sender and receiver handing
     * the CPU to each other could otherwise finish every round before it
     * ran once, and the race would not be tried at all. */
    while (!__atomic_load_n(&revoking, __ATOMIC_ACQUIRE))
        (void)vx_clock_monotonic(); /* a system call: a chance to switch */
    for (int i = 0; i < ROUNDS; i++) {
        vx_handle d;
        vx_status st = vx_handle_dup(region.h, VX_RIGHT_READ |
                                                   VX_RIGHT_TRANSFER |
                                                   VX_RIGHT_DUPLICATE, &d);
        if (st != VX_OK) {
            fail(1);
            break;
        }
        vx_msg_out m = {.data = &i, .len = sizeof i, .handle_count = 1,
                        .handles = {d}};
        st = vx_ring_send(tx, &m);
        /* BAD_HANDLE: revoked between the dup and the send. */
        if (st == VX_ERR_SHOULD_WAIT || st == VX_ERR_BAD_HANDLE) {
            st = vx_handle_close(d);
            if (st != VX_OK && st != VX_ERR_BAD_HANDLE)
                fail(2);
        } else if (st != VX_OK) {
            fail(3);
        }
    }
    __atomic_store_n(&sender_done, 1, __ATOMIC_RELEASE);
}

static void receiver(void *arg)
{
    (void)arg;
    for (;;) {
        int v;
        vx_msg_in m = {.buf = &v, .cap = sizeof v};
        vx_status st = vx_ring_recv(rx, &m);
        if (st == VX_OK) {
            if (m.handle_count != 1) {
                fail(4);
                break;
            }
            vx_handle h = m.handles[0], d;
            if (h.value == VX_HANDLE_INVALID.value)
                continue; /* revoked in flight */
            /* Any of these may meet a revoke first: BAD_HANDLE. */
            st = vx_handle_dup(h, VX_RIGHT_READ, &d);
            if (st == VX_OK)
                st = vx_handle_close(d);
            if (st != VX_OK && st != VX_ERR_BAD_HANDLE)
                fail(5);
            st = vx_handle_close(h);
            if (st != VX_OK && st != VX_ERR_BAD_HANDLE)
                fail(6);
            continue;
        }
        if (st != VX_ERR_SHOULD_WAIT) {
            fail(7);
            break;
        }
        if (__atomic_load_n(&sender_done, __ATOMIC_ACQUIRE))
            break; /* empty, and nothing more comes */
        uint64_t p;
        st = vx_wait(UINT64_C(1) << BIT_READABLE,
                     vx_clock_monotonic() + 1000000, &p);
        (void)st; /* OK or TIMED_OUT: look again either way */
    }
    __atomic_store_n(&receiver_done, 1, __ATOMIC_RELEASE);
}

int urevoke_race(void)
{
    vx_ring_params p = {.slot_size = 16, .slot_count = 8};
    if (vx_region_create(4096, &region) != VX_OK ||
        vx_ring_create(&p, &tx, &rx) != VX_OK ||
        vx_signal_bind(rx.h, VX_COND_READABLE, BIT_READABLE) != VX_OK)
        return 10;
    if (vx_thread_start(sender, 0) != VX_OK ||
        vx_thread_start(receiver, 0) != VX_OK)
        return 11;
    uint32_t revokes = 0;
    while (!__atomic_load_n(&receiver_done, __ATOMIC_ACQUIRE)) {
        if (vx_handle_revoke(region.h) != VX_OK)
            return 12;
        revokes++;
        __atomic_store_n(&revoking, 1, __ATOMIC_RELEASE);
    }
    if (bad)
        return (int)(20 + bad);
    if (!revokes)
        return 13;
    /* Whatever is still queued goes with the Ring. */
    if (vx_handle_close(tx.h) != VX_OK || vx_handle_close(rx.h) != VX_OK ||
        vx_handle_close(region.h) != VX_OK)
        return 14;
    vx_task_usage u;
    if (vx_task_usage_get(&u) != VX_OK || u.handles_used != 0)
        return 15;
    return 0;
}
