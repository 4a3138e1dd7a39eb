/* utest's handle and timer checks (docs/substrate.md §2, §4, §8), made
 * through the raw syscalls. Each check's number is the exit code if it
 * fails; 0 means all passed. */
#include "usys.h"
#include "utest.h"

#include <vx/handle.h>
#include <vx/status.h>

int uhandles(void);
int uhandle_limit(void);
int uleak_handles(void);

static int64_t dup(uint32_t h, uint32_t rights, vx_handle *out)
{
    return usys3(SYS_HANDLE_DUP, h, rights, (uint64_t)(uintptr_t)out);
}

static int64_t hclose(uint32_t h)
{
    return usys2(SYS_HANDLE_CLOSE, h, 0);
}

static int64_t info(uint32_t h, vx_handle_info *out)
{
    return usys2(SYS_HANDLE_INFO_GET, h, (uint64_t)(uintptr_t)out);
}

static int64_t tcreate(vx_handle *out)
{
    return usys2(SYS_TIMER_CREATE, (uint64_t)(uintptr_t)out, 0);
}

static int64_t tset(uint32_t h, uint64_t deadline)
{
    return usys3(SYS_TIMER_SET, h, deadline, 0);
}

static uint64_t now(void)
{
    return (uint64_t)usys2(SYS_CLOCK_MONOTONIC, 0, 0);
}

#define TIMER_RIGHTS \
    (VX_RIGHT_WRITE | VX_RIGHT_WAIT | VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER)

int uhandles(void)
{
    vx_handle t, d, w;
    vx_handle_info in;
    if (tcreate(&t) != VX_OK || t.value == 0 || t.value >> 31)
        return 1;
    if (info(t.value, &in) != VX_OK || in.type != VX_OBJ_TIMER ||
        in.rights != TIMER_RIGHTS || in.conditions != 0 || in.badge != 0)
        return 2;
    /* Fired: a past deadline holds at once; cancel clears it. */
    if (tset(t.value, 0) != VX_OK || info(t.value, &in) != VX_OK ||
        in.conditions != VX_COND_TIMER_FIRED)
        return 3;
    if (usys2(SYS_TIMER_CANCEL, t.value, 0) != VX_OK ||
        info(t.value, &in) != VX_OK || in.conditions != 0)
        return 4;
    if (tset(t.value, now() + 1000000000000ull) != VX_OK ||
        info(t.value, &in) != VX_OK || in.conditions != 0)
        return 5; /* far in the future: not yet */
    uint64_t soon = now() + 2000000; /* 2 ms */
    if (tset(t.value, soon) != VX_OK)
        return 6;
    while (now() < soon)
        ;
    if (info(t.value, &in) != VX_OK || in.conditions != VX_COND_TIMER_FIRED)
        return 7; /* never late */
    /* dup only keeps or drops rights. */
    if (dup(t.value, VX_RIGHT_WAIT, &w) != VX_OK || w.value == t.value ||
        info(w.value, &in) != VX_OK || in.rights != VX_RIGHT_WAIT)
        return 8;
    if (dup(w.value, VX_RIGHT_WAIT, &d) != VX_ERR_ACCESS_DENIED)
        return 9; /* no DUPLICATE */
    if (dup(t.value, VX_RIGHT_READ, &d) != VX_ERR_ACCESS_DENIED)
        return 10; /* a right it lacks */
    if (dup(t.value, 1u << 20, &d) != VX_ERR_ACCESS_DENIED)
        return 11; /* an unknown right */
    if (tset(w.value, 0) != VX_ERR_ACCESS_DENIED ||
        usys2(SYS_TIMER_CANCEL, w.value, 0) != VX_ERR_ACCESS_DENIED)
        return 12; /* no WRITE */
    if (dup(t.value, TIMER_RIGHTS, 0) != VX_ERR_INVALID_ARGS ||
        info(t.value, 0) != VX_ERR_INVALID_ARGS || tcreate(0) != VX_ERR_INVALID_ARGS)
        return 13; /* NULL out */
    if (dup(t.value, TIMER_RIGHTS, (vx_handle *)0x20000000) != VX_ERR_INVALID_ARGS ||
        info(t.value, (vx_handle_info *)0xffffffff80000000ull) != VX_ERR_INVALID_ARGS ||
        tcreate((vx_handle *)(uintptr_t)&uhandles) != VX_ERR_INVALID_ARGS)
        return 14; /* unmapped, kernel, read-only out */
    /* Errors in order: BAD_HANDLE before ACCESS_DENIED before INVALID_ARGS. */
    if (dup(0, 1u << 20, 0) != VX_ERR_BAD_HANDLE)
        return 15;
    if (dup(w.value, VX_RIGHT_READ, 0) != VX_ERR_ACCESS_DENIED)
        return 16;
    /* Stale values: closed, never valid, wrong type, malformed. */
    uint32_t old = w.value;
    if (hclose(w.value) != VX_OK || hclose(old) != VX_ERR_BAD_HANDLE ||
        info(old, &in) != VX_ERR_BAD_HANDLE || tset(old, 0) != VX_ERR_BAD_HANDLE ||
        dup(old, 0, &d) != VX_ERR_BAD_HANDLE)
        return 17;
    if (info(0, &in) != VX_ERR_BAD_HANDLE || hclose(0) != VX_ERR_BAD_HANDLE ||
        info(t.value | 0x80000000u, &in) != VX_ERR_BAD_HANDLE ||
        info(t.value & 0xffff, &in) != VX_ERR_BAD_HANDLE ||
        usys2(SYS_HANDLE_INFO_GET, t.value | (1ull << 32), (uint64_t)(uintptr_t)&in) !=
            VX_ERR_BAD_HANDLE)
        return 18;
    /* A new handle never takes an old value. */
    for (int i = 0; i < 1000; i++) {
        if (tcreate(&d) != VX_OK || d.value == old)
            return 19;
        if (hclose(d.value) != VX_OK)
            return 20;
    }
    if (info(old, &in) != VX_ERR_BAD_HANDLE)
        return 21;
    /* The object lives while any handle does. */
    if (dup(t.value, TIMER_RIGHTS, &d) != VX_OK || hclose(t.value) != VX_OK ||
        tset(d.value, 0) != VX_OK || info(d.value, &in) != VX_OK ||
        in.conditions != VX_COND_TIMER_FIRED || hclose(d.value) != VX_OK)
        return 22;
    return 0;
}

int uhandle_limit(void)
{
    /* Exactly TASK_HANDLE_LIMIT (256) handles, then LIMIT; closing one
     * makes room for one. */
    vx_handle h, first = {0};
    int n = 0;
    int64_t r;
    while ((r = tcreate(&h)) == VX_OK) {
        if (!first.value)
            first = h;
        if (++n > 100000)
            return 1;
    }
    if (r != VX_ERR_LIMIT || n != 256)
        return 2;
    if (dup(first.value, VX_RIGHT_WAIT, &h) != VX_ERR_LIMIT)
        return 3;
    if (hclose(first.value) != VX_OK || tcreate(&h) != VX_OK ||
        tcreate(&h) != VX_ERR_LIMIT)
        return 4;
    /* Generations: one entry closed 40000 times is retired at 32767 and
     * the table still works (other entries). */
    if (hclose(h.value) != VX_OK)
        return 5;
    for (int i = 0; i < 40000; i++) {
        if (tcreate(&h) != VX_OK)
            return 6;
        if (h.value >> 31 || (h.value >> 16) == 0)
            return 7;
        if (hclose(h.value) != VX_OK)
            return 8;
    }
    return 0;
}

int uleak_handles(void)
{
    vx_handle h;
    for (int i = 0; i < 100; i++)
        if (tcreate(&h) != VX_OK)
            return 1;
    return (int)*(volatile uint64_t *)0; /* crash holding them */
}
