/* Timers as futures (include/v/concurrent.h): a substrate Timer bound to an
 * executor bit. TIMER_FIRED is level, so the bit stays pending once the
 * deadline passed; the future still reads the Clock itself before it
 * completes, so a spurious return of the bit never ends a sleep early. */
#include <v/concurrent.h>
#include <vx/clock.h>
#include <vx/handle.h>

static v_poll sleep_poll(v_exec *e, v_future *f)
{
    v_sleep *s = f->ctx;
    if (vx_clock_monotonic() >= s->deadline) {
        s->fired = true;
        return V_POLL_DONE;
    }
    /* Cannot fail while s is live: its bit stays handed out until fini. */
    (void)v_exec_await(e, f, s->bit);
    return V_POLL_PENDING;
}

v_status v_sleep_start(v_exec *e, v_sleep *s, vx_time deadline)
{
    if (e == NULL || s == NULL)
        return V_ERR_INVALID_ARGS;
    vx_timer t;
    v_status st = vx_timer_create(&t);
    if (st != V_OK)
        return st;
    uint32_t bit;
    st = v_exec_bind_handle(e, t.h, VX_COND_TIMER_FIRED, &bit);
    if (st == V_OK) {
        st = vx_timer_set(t, deadline, 0);
        if (st == V_OK) {
            s->timer = t;
            s->bit = bit;
            s->deadline = deadline;
            s->fired = false;
            st = v_exec_spawn(e, &s->f, sleep_poll, s);
            if (st == V_OK)
                return V_OK;
        }
        (void)v_exec_bit_free(e, bit);
    }
    (void)!vx_handle_close(t.h);
    return st;
}

bool v_sleep_fired(const v_sleep *s)
{
    return s != NULL && s->fired;
}

v_status v_sleep_fini(v_exec *e, v_sleep *s)
{
    if (e == NULL || s == NULL)
        return V_ERR_INVALID_ARGS;
    if (s->f.live)
        (void)v_exec_cancel(e, &s->f);
    v_status st = v_exec_bit_free(e, s->bit);
    v_status st2 = vx_handle_close(s->timer.h);
    return st != V_OK ? st : st2;
}
