/* utest's Signal and vx_wait checks (docs/substrate.md §7), including
 * waits on Timers and on child Tasks. Needs the initial Region "image"
 * (utest itself) for the child checks. Each check's number is the exit
 * code if it fails. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int usignals(void);
int uwait_forever(void);

#define MS 1000000ull

static vx_status child(vx_region image, uint64_t mode, vx_task *out)
{
    vx_region m;
    if (vx_region_create(4096, &m) != VX_OK ||
        vx_region_write(m, 0, &mode, sizeof mode) != VX_OK)
        return -100;
    vx_named_handle nh[1] = {{"mode", m.h}};
    vx_spawn_args a = {image, "kid", 1u << 20, 16, 1, nh};
    return vx_task_spawn(&a, out);
}

int usignals(void)
{
    uint64_t p = 0;
    if (vx_signal_raise_self(0) != VX_ERR_INVALID_ARGS ||
        vx_wait(0, 0, &p) != VX_ERR_INVALID_ARGS ||
        vx_wait(1, 0, 0) != VX_ERR_INVALID_ARGS)
        return 1;
    /* Raised bits are returned once, only those in the mask. */
    if (vx_signal_raise_self(1u << 3 | 1u << 4) != VX_OK ||
        vx_wait(1u << 3, 0, &p) != VX_OK || p != 1u << 3 ||
        vx_wait(1u << 3, 0, &p) != VX_ERR_TIMED_OUT ||
        vx_wait(~0ull, 0, &p) != VX_OK || p != 1u << 4)
        return 2;
    /* A deadline: TIMED_OUT, with the clock at or past it. */
    uint64_t d = vx_clock_monotonic() + 2 * MS;
    if (vx_wait(1, d, &p) != VX_ERR_TIMED_OUT || vx_clock_monotonic() < d)
        return 3;
    /* A bound Timer wakes the wait at its deadline, and stays level. */
    vx_timer t;
    if (vx_timer_create(&t) != VX_OK ||
        vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 5) != VX_OK)
        return 4;
    d = vx_clock_monotonic() + 3 * MS;
    if (vx_timer_set(t, d, 0) != VX_OK ||
        vx_wait(1u << 5, VX_TIME_INFINITE, &p) != VX_OK || p != 1u << 5 ||
        vx_clock_monotonic() < d)
        return 5;
    if (vx_wait(1u << 5, 0, &p) != VX_OK || vx_timer_cancel(t) != VX_OK ||
        vx_wait(1u << 5, 0, &p) != VX_ERR_TIMED_OUT)
        return 6;
    /* bind/unbind refusals. */
    vx_handle w;
    if (vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 64) != VX_ERR_INVALID_ARGS ||
        vx_signal_bind(t.h, 0, 6) != VX_ERR_INVALID_ARGS ||
        vx_signal_bind(t.h, VX_COND_READABLE, 6) != VX_ERR_INVALID_ARGS ||
        vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 5) != VX_ERR_BAD_STATE ||
        vx_handle_dup(t.h, VX_RIGHT_WRITE, &w) != VX_OK ||
        vx_signal_bind(w, VX_COND_TIMER_FIRED, 6) != VX_ERR_ACCESS_DENIED ||
        vx_handle_close(w) != VX_OK ||
        vx_signal_bind(w, VX_COND_TIMER_FIRED, 6) != VX_ERR_BAD_HANDLE)
        return 7;
    if (vx_signal_unbind(5) != VX_OK || vx_signal_unbind(5) != VX_ERR_BAD_STATE ||
        vx_signal_unbind(64) != VX_ERR_INVALID_ARGS)
        return 8;
    /* Closing the handle ends its binding. */
    if (vx_handle_dup(t.h, VX_RIGHT_WAIT, &w) != VX_OK ||
        vx_signal_bind(w, VX_COND_TIMER_FIRED, 9) != VX_OK ||
        vx_handle_close(w) != VX_OK || vx_signal_unbind(9) != VX_ERR_BAD_STATE ||
        vx_signal_bind(t.h, VX_COND_TIMER_FIRED, 9) != VX_OK)
        return 9;
    /* Child Tasks: TASK_EXITED wakes the wait; raise needs a live Task. */
    vx_handle ih;
    vx_task c;
    vx_task_status st;
    if (vx_task_initial_handle("image", VX_OBJ_REGION, &ih) != VX_OK)
        return 10;
    if (child((vx_region){ih}, UTEST_HELLO, &c) != VX_OK ||
        vx_signal_bind(c.h, VX_COND_TASK_EXITED, 10) != VX_OK ||
        vx_wait(1u << 10, VX_TIME_INFINITE, &p) != VX_OK || p != 1u << 10 ||
        vx_task_status_get(c, &st) != VX_OK || st.state != VX_TASK_EXITED ||
        st.exit_code != UTEST_HELLO_CODE)
        return 11;
    if (vx_signal_raise(c, 1) != VX_ERR_BAD_STATE ||
        vx_signal_raise(c, 0) != VX_ERR_INVALID_ARGS ||
        vx_handle_close(c.h) != VX_OK)
        return 12;
    /* A child blocked in vx_wait forever is killed out of it. */
    if (child((vx_region){ih}, UTEST_WAIT_FOREVER, &c) != VX_OK ||
        vx_signal_bind(c.h, VX_COND_TASK_EXITED, 11) != VX_OK)
        return 13;
    d = vx_clock_monotonic() + 5 * MS; /* let it reach its wait */
    if (vx_wait(1u << 11, d, &p) != VX_ERR_TIMED_OUT ||
        vx_signal_raise(c, 1u << 1) != VX_OK || /* not a bit it waits for */
        vx_task_kill(c) != VX_OK ||
        vx_wait(1u << 11, VX_TIME_INFINITE, &p) != VX_OK ||
        vx_task_status_get(c, &st) != VX_OK || st.state != VX_TASK_KILLED)
        return 14;
    vx_task weak;
    if (vx_handle_dup(c.h, VX_RIGHT_READ, &weak.h) != VX_OK ||
        vx_signal_raise(weak, 1) != VX_ERR_ACCESS_DENIED)
        return 15;
    return 0;
}

int uwait_forever(void)
{
    uint64_t p;
    return vx_wait(1, VX_TIME_INFINITE, &p) == VX_OK ? 1 : 2;
}
