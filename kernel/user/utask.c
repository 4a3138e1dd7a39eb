/* utest's Task checks (docs/substrate.md §3): spawning children from the
 * "image" Region it was given, their exit, crash and kill, and every
 * refusal. Each check's number is the exit code if it fails. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int utasks(void);
uint64_t umode(uint64_t arg);

#define PG 4096u

uint64_t umode(uint64_t arg)
{
    /* A Task spawned through vx_task_spawn starts with rdi = 0 and finds
     * its mode in an initial Region named "mode", if it has one. */
    vx_handle h;
    uint64_t mode = arg;
    if (arg == 0 &&
        vx_task_initial_handle("mode", VX_OBJ_REGION, &h) == VX_OK &&
        vx_region_read((vx_region){h}, 0, &mode, sizeof mode) != VX_OK)
        return 0;
    return mode;
}

static bool make_mode(uint64_t mode, vx_region *out)
{
    return vx_region_create(PG, out) == VX_OK &&
           vx_region_write(*out, 0, &mode, sizeof mode) == VX_OK;
}

static vx_status spawn(vx_region image, const char *name, uint64_t mode,
                       vx_task *out)
{
    vx_region m;
    if (!make_mode(mode, &m))
        return -100;
    vx_named_handle nh[1] = {{"mode", m.h}};
    vx_spawn_args a = {image, name, 1u << 20, 16, 1, nh};
    return vx_task_spawn(&a, out);
}

/* Polls until t has ended (no vx_wait natively yet). */
static bool ended(vx_task t, vx_task_status *st)
{
    vx_handle_info in;
    for (long i = 0; i < 2000000000L; i++) {
        if (vx_handle_info_get(t.h, &in) != VX_OK)
            return false;
        if (in.conditions & VX_COND_TASK_EXITED)
            return vx_task_status_get(t, st) == VX_OK;
    }
    return false;
}

int utasks(void)
{
    vx_handle ih;
    vx_region image;
    vx_task c;
    vx_task_status st;
    vx_task_usage u0, u1;
    if (vx_task_initial_handle("image", VX_OBJ_REGION, &ih) != VX_OK)
        return 1;
    image.h = ih;
    if (vx_task_initial_handle("image", VX_OBJ_TIMER, &ih) != VX_ERR_INVALID_ARGS ||
        vx_task_initial_handle("nope", VX_OBJ_REGION, &ih) != VX_ERR_OUT_OF_RANGE ||
        vx_task_initial_handle(0, VX_OBJ_REGION, &ih) != VX_ERR_INVALID_ARGS ||
        vx_task_initial_handle("Bad!", VX_OBJ_REGION, &ih) != VX_ERR_INVALID_ARGS ||
        vx_task_initial_handle("image", VX_OBJ_REGION, 0) != VX_ERR_INVALID_ARGS)
        return 2;
    if (vx_task_usage_get(&u0) != VX_OK)
        return 3;
    /* A child that exits: its code, TASK_EXITED, the quota comes back. */
    if (spawn(image, "child", UTEST_HELLO, &c) != VX_OK)
        return 4;
    if (!ended(c, &st) || st.state != VX_TASK_EXITED || st.exit_code != UTEST_HELLO_CODE)
        return 6;
    if (vx_task_usage_get(&u1) != VX_OK || u1.used_bytes != u0.used_bytes)
        return 7;
    if (vx_task_kill(c) != VX_OK || vx_task_status_get(c, &st) != VX_OK ||
        st.state != VX_TASK_EXITED || vx_handle_close(c.h) != VX_OK)
        return 8; /* killing an ended Task changes nothing */
    /* A child that crashes, and one that spins until killed. */
    if (spawn(image, "crasher", UTEST_NULL_READ, &c) != VX_OK || !ended(c, &st) ||
        st.state != VX_TASK_CRASHED || st.exit_code != 0 || vx_handle_close(c.h) != VX_OK)
        return 9;
    if (vx_task_usage_get(&u0) != VX_OK ||
        spawn(image, "spinner", UTEST_SPIN, &c) != VX_OK ||
        vx_task_status_get(c, &st) != VX_OK || st.state != VX_TASK_RUNNING)
        return 10;
    if (vx_task_usage_get(&u1) != VX_OK ||
        u1.used_bytes != u0.used_bytes + (1u << 20) + PG ||
        u1.handles_used != u0.handles_used + 1)
        return 5; /* the loan and its mode Region (moved, still charged) */
    vx_task weak;
    if (vx_handle_dup(c.h, VX_RIGHT_WAIT, &weak.h) != VX_OK ||
        vx_task_kill(weak) != VX_ERR_ACCESS_DENIED ||
        vx_task_status_get(weak, &st) != VX_ERR_ACCESS_DENIED ||
        vx_task_status_get(c, 0) != VX_ERR_INVALID_ARGS)
        return 11;
    if (vx_task_kill(c) != VX_OK || !ended(c, &st) || st.state != VX_TASK_KILLED ||
        vx_handle_close(c.h) != VX_OK || vx_handle_close(weak.h) != VX_OK)
        return 12;
    /* Refusals, with nothing moved or charged. */
    vx_region m, noexec, junk;
    if (!make_mode(UTEST_HELLO, &m) || vx_task_usage_get(&u0) != VX_OK)
        return 13;
    vx_named_handle nh[2] = {{"mode", m.h}, {"other", m.h}};
    vx_spawn_args a = {image, "kid", 1u << 20, 16, 1, nh};
    if (vx_task_spawn(0, &c) != VX_ERR_INVALID_ARGS ||
        vx_task_spawn(&a, 0) != VX_ERR_INVALID_ARGS)
        return 14;
    a.name = "Kid";
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 15;
    a.name = "";
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 16;
    a.name = "kid";
    a.quota_bytes = 0;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 17;
    a.quota_bytes = 1ull << 40;
    if (vx_task_spawn(&a, &c) != VX_ERR_LIMIT)
        return 18;
    a.quota_bytes = 1u << 20;
    a.handle_limit = 0;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 19;
    a.handle_limit = 70000;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 20;
    a.handle_limit = 16;
    a.handle_count = 2; /* the same handle twice */
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 21;
    a.handle_count = 17;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 22;
    a.handle_count = 1;
    a.handles = 0;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 23;
    a.handles = nh;
    a.image.h.value = 0x7fff0001u;
    if (vx_task_spawn(&a, &c) != VX_ERR_BAD_HANDLE)
        return 24;
    if (vx_handle_dup(image.h, VX_RIGHT_READ | VX_RIGHT_DUPLICATE, &noexec.h) != VX_OK)
        return 25;
    a.image = noexec;
    if (vx_task_spawn(&a, &c) != VX_ERR_ACCESS_DENIED)
        return 26;
    if (vx_region_create(PG, &junk) != VX_OK || vx_region_write(junk, 0, "junk", 4) != VX_OK)
        return 27;
    a.image = junk;
    if (vx_task_spawn(&a, &c) != VX_ERR_INVALID_ARGS)
        return 28; /* not an ELF executable */
    vx_region nt;
    if (vx_handle_dup(m.h, VX_RIGHT_READ, &nt.h) != VX_OK)
        return 29;
    a.image = image;
    nh[0].handle = nt.h;
    if (vx_task_spawn(&a, &c) != VX_ERR_ACCESS_DENIED)
        return 30; /* a moved handle needs TRANSFER */
    if (vx_handle_close(nt.h) != VX_OK || vx_handle_close(noexec.h) != VX_OK ||
        vx_handle_close(junk.h) != VX_OK || vx_task_usage_get(&u1) != VX_OK ||
        u1.used_bytes != u0.used_bytes || u1.handles_used != u0.handles_used)
        return 31;
    /* A moved handle is gone from the mover. */
    nh[0].handle = m.h;
    if (vx_task_spawn(&a, &c) != VX_OK)
        return 32;
    if (vx_region_size(m, &u1.used_bytes) != VX_ERR_BAD_HANDLE)
        return 33;
    if (!ended(c, &st) || st.state != VX_TASK_EXITED || vx_handle_close(c.h) != VX_OK)
        return 34;
    return 0;
}
