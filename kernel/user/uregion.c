/* utest's Region and quota checks (docs/substrate.md §3, §5), through the
 * native vx library. Each check's number is the exit code if it fails. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int uregions(void);
int uregion_use_after_unmap(void);
int uregion_leak(void);

#define PG 4096u
#define RW (VX_PROT_READ | VX_PROT_WRITE)

static bool usage_is(uint64_t used, uint32_t handles)
{
    vx_task_usage u;
    return vx_task_usage_get(&u) == VX_OK && u.used_bytes == used &&
           u.handles_used == handles && u.quota_bytes == (64u << 20) &&
           u.handle_limit == 256;
}

static bool same(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

int uregions(void)
{
    vx_region r, d;
    uint64_t size;
    void *p, *q;
    char buf[16];
    if (!usage_is(0, 0) || vx_task_usage_get(0) != VX_ERR_INVALID_ARGS)
        return 1;
    if (vx_region_create(0, &r) != VX_ERR_INVALID_ARGS ||
        vx_region_create(100, &r) != VX_ERR_INVALID_ARGS ||
        vx_region_create((1ull << 40) + PG, &r) != VX_ERR_INVALID_ARGS ||
        vx_region_create(PG, 0) != VX_ERR_INVALID_ARGS)
        return 2;
    if (vx_region_create(128u << 20, &r) != VX_ERR_LIMIT || !usage_is(0, 0))
        return 3; /* above the quota: nothing charged */
    if (vx_region_create(3 * PG, &r) != VX_OK || !usage_is(3 * PG, 1))
        return 4;
    if (vx_region_size(r, &size) != VX_OK || size != 3 * PG ||
        vx_region_size(r, 0) != VX_ERR_INVALID_ARGS)
        return 5;
    /* Fresh Regions are zero; writes read back, across a page edge. */
    if (vx_region_read(r, PG - 3, buf, 8) != VX_OK || !same(buf, "\0\0\0\0\0\0\0\0", 8))
        return 6;
    if (vx_region_write(r, PG - 3, "vectra!", 8) != VX_OK ||
        vx_region_read(r, PG - 3, buf, 8) != VX_OK || !same(buf, "vectra!", 8))
        return 7;
    if (vx_region_read(r, 3 * PG - 2, buf, 4) != VX_ERR_OUT_OF_RANGE ||
        vx_region_write(r, ~0ull - 1, buf, 4) != VX_ERR_OUT_OF_RANGE ||
        vx_region_read(r, 0, 0, 4) != VX_ERR_INVALID_ARGS ||
        vx_region_read(r, 0, 0, 0) != VX_OK ||
        vx_region_read(r, 3 * PG, buf, 0) != VX_OK ||
        vx_region_read(r, 0, (void *)0xffffffff80000000ull, 4) != VX_ERR_INVALID_ARGS ||
        vx_region_read(r, 0, (void *)(uintptr_t)&uregions, 4) != VX_ERR_INVALID_ARGS)
        return 8;
    /* A mapping shows the same bytes, both ways. */
    if (vx_region_map(r, 0, 3 * PG, RW, &p) != VX_OK || !p ||
        !same((char *)p + PG - 3, "vectra!", 8))
        return 9;
    ((char *)p)[2 * PG] = 'x';
    if (vx_region_read(r, 2 * PG, buf, 1) != VX_OK || buf[0] != 'x')
        return 10;
    if (vx_region_map(r, PG, PG, VX_PROT_READ, &q) != VX_OK || q == p ||
        !same(q, "tra!", 5) || ((char *)q)[PG - 1] != 0)
        return 11; /* the second page, read-only, elsewhere */
    /* Argument checks, in order. */
    if (vx_region_map(r, 0, PG, 0, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 0, PG, VX_PROT_WRITE | VX_PROT_EXEC, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 0, PG, 1u << 7, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 0, 0, RW, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 1, PG, RW, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 0, 100, RW, &q) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, 0, PG, RW, 0) != VX_ERR_INVALID_ARGS ||
        vx_region_map(r, PG, 3 * PG, RW, &q) != VX_ERR_OUT_OF_RANGE ||
        vx_region_map(r, ~0ull & ~(uint64_t)(PG - 1), PG, RW, &q) != VX_ERR_OUT_OF_RANGE)
        return 12;
    /* Rights bound what a handle can do. */
    if (vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_MAP, &d.h) != VX_OK ||
        vx_region_map(d, 0, PG, RW, &q) != VX_ERR_ACCESS_DENIED ||
        vx_region_map(d, 0, PG, VX_PROT_EXEC, &q) != VX_ERR_ACCESS_DENIED ||
        vx_region_write(d, 0, buf, 1) != VX_ERR_ACCESS_DENIED ||
        vx_region_write(d, 0, 0, 1) != VX_ERR_ACCESS_DENIED ||
        vx_handle_close(d.h) != VX_OK)
        return 13;
    if (vx_handle_dup(r.h, VX_RIGHT_READ | VX_RIGHT_WRITE, &d.h) != VX_OK ||
        vx_region_map(d, 0, PG, VX_PROT_READ, &q) != VX_ERR_ACCESS_DENIED ||
        vx_region_size(d, &size) != VX_OK || vx_handle_close(d.h) != VX_OK)
        return 14;
    if (vx_handle_dup(r.h, VX_RIGHT_WRITE, &d.h) != VX_OK ||
        vx_region_read(d, 0, buf, 1) != VX_ERR_ACCESS_DENIED ||
        vx_handle_close(d.h) != VX_OK)
        return 15;
    vx_timer t;
    if (vx_timer_create(&t) != VX_OK ||
        vx_region_size((vx_region){t.h}, &size) != VX_ERR_BAD_HANDLE ||
        vx_timer_set((vx_timer){r.h}, 0, 0) != VX_ERR_BAD_HANDLE ||
        vx_handle_close(t.h) != VX_OK)
        return 16; /* a handle of another type */
    /* Unmap takes exactly one live mapping. */
    if (vx_region_unmap(p, PG) != VX_ERR_INVALID_ARGS ||
        vx_region_unmap((char *)p + PG, 2 * PG) != VX_ERR_INVALID_ARGS ||
        vx_region_unmap(0, 0) != VX_ERR_INVALID_ARGS ||
        vx_region_unmap(q, PG) != VX_OK || vx_region_unmap(q, PG) != VX_ERR_INVALID_ARGS)
        return 17;
    /* A mapping outlives the handles; the charge lasts until both go. */
    if (vx_handle_close(r.h) != VX_OK || !usage_is(3 * PG, 0))
        return 18;
    ((char *)p)[5] = 'y';
    if (((char *)p)[5] != 'y' || vx_region_unmap(p, 3 * PG) != VX_OK ||
        !usage_is(0, 0))
        return 19;
    /* Up to the quota exactly, in pieces. */
    vx_region big[4];
    for (int i = 0; i < 4; i++)
        if (vx_region_create(16u << 20, &big[i]) != VX_OK)
            return 20;
    if (vx_region_create(PG, &r) != VX_ERR_LIMIT || !usage_is(64u << 20, 4))
        return 21;
    for (int i = 0; i < 4; i++)
        if (vx_handle_close(big[i].h) != VX_OK)
            return 22;
    return usage_is(0, 0) ? 0 : 23;
}

int uregion_use_after_unmap(void)
{
    vx_region r;
    void *p;
    if (vx_region_create(PG, &r) != VX_OK ||
        vx_region_map(r, 0, PG, RW, &p) != VX_OK)
        return 1;
    ((volatile char *)p)[0] = 1;
    if (vx_region_unmap(p, PG) != VX_OK)
        return 2;
    return ((volatile char *)p)[0]; /* must fault */
}

int uregion_leak(void)
{
    vx_region r;
    void *p;
    for (int i = 0; i < 8; i++)
        if (vx_region_create(64 * PG, &r) != VX_OK ||
            vx_region_map(r, 0, 64 * PG, RW, &p) != VX_OK)
            return 1;
    return (int)*(volatile uint64_t *)0; /* crash holding them */
}
