/* build/hosted/vectra: the hosted machine. This process is the root Task:
 * it hosts the substrate's core (docs/substrate.md §11), loads the boot
 * Bundle into a Region, checks its signature against the compiled-in key
 * and the hash of bin/initd, and spawns initd from it as the first Task
 * with the Bundle, and its control inbox, as footprint. initd starts the
 * rest (logd, the console with vctl's prompt on this terminal). The
 * machine ends when initd does (vctl's poweroff); its exit status is
 * initd's code.
 *
 *     vectra [BOOT_BUNDLE]     default: the build's boot.bundle */
#include <stdio.h>
#include <stdlib.h>
#include <v/bundle.h>
#include <v/process.h>
#include <vx/vx.h>

#include "boot_key.h"
#include "initd_control.h"

#ifndef VECTRA_BOOT_BUNDLE
#define VECTRA_BOOT_BUNDLE "boot.bundle"
#endif

static int fail(const char *what, int st)
{
    fprintf(stderr, "vectra: %s (%d)\n", what, st);
    return 1;
}

/* The whole file in a Region (whole pages), mapped at *map. */
static int load(const char *path, vx_region *r, uint8_t **map, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "vectra: cannot open boot bundle '%s'\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size <= 0) {
        fclose(f);
        return fail("empty boot bundle", 0);
    }
    uint64_t pages = ((uint64_t)size + VX_PAGE_SIZE - 1) / VX_PAGE_SIZE *
                     VX_PAGE_SIZE;
    void *p = NULL;
    if (vx_region_create(pages, r) != VX_OK ||
        vx_region_map(*r, 0, pages, VX_PROT_READ | VX_PROT_WRITE, &p) !=
            VX_OK) {
        fclose(f);
        return fail("cannot make the boot Region", 0);
    }
    size_t got = fread(p, 1, (size_t)size, f);
    fclose(f);
    if (got != (size_t)size)
        return fail("short read of the boot bundle", 0);
    *map = p;
    *len = (size_t)size;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : VECTRA_BOOT_BUNDLE;
    vx_region boot;
    uint8_t *map;
    size_t len;
    if (load(path, &boot, &map, &len) != 0)
        return 1;

    /* The root trusts nothing it has not checked either: initd's image. */
    v_bundle b;
    v_bundle_entry e;
    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    if (v_bundle_open(&b, map, len, initd_boot_key, &why) != V_OK ||
        v_bundle_find(&b, "bin/initd", 9, &e, &why) != V_OK ||
        v_bundle_entry_verify(&e, &why) != V_OK) {
        fprintf(stderr, "vectra: refusing '%s': %s\n", path,
                v_bundle_reason_text(why));
        return 1;
    }
    vx_region image;
    uint64_t isize = (e.size + VX_PAGE_SIZE - 1) / VX_PAGE_SIZE * VX_PAGE_SIZE;
    vx_status st = vx_region_create(isize, &image);
    if (st == VX_OK)
        st = vx_region_write(image, 0, e.data, e.size);
    if (st != VX_OK)
        return fail("cannot copy initd's image", st);

    vx_ring_params rp = {4096, 16, vectra_initd_SCHEMA_ID};
    vx_ring_tx ctl;
    vx_ring_rx ctl_rx;
    vx_handle ctl_tx;
    if ((st = vx_ring_create(&rp, &ctl, &ctl_rx)) != VX_OK ||
        (st = vx_handle_dup(ctl.h, VX_RIGHT_SEND | VX_RIGHT_WAIT |
                                       VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE |
                                       VX_RIGHT_TRANSFER, &ctl_tx)) != VX_OK)
        return fail("cannot make initd's control inbox", st);
    vx_named_handle hs[3] = {{"boot.bundle", boot.h}, {"control", ctl_rx.h},
                             {"control.tx", ctl_tx}};
    v_process_spawn_args a = {0};
    a.image = image;
    a.name = "initd";
    a.quota_bytes = UINT64_C(192) << 20;
    a.handle_limit = 1024;
    a.handle_count = 3;
    a.handles = hs;
    vx_task initd;
    v_status vs = v_process_spawn(&a, &initd);
    if (vs != V_OK)
        return fail("cannot spawn initd", vs);

    uint64_t pending;
    if ((st = vx_signal_bind(initd.h, VX_COND_TASK_EXITED, 0)) != VX_OK ||
        (st = vx_wait(1, VX_TIME_INFINITE, &pending)) != VX_OK)
        return fail("cannot watch initd", st);
    vx_task_status ts = {0};
    (void)!vx_task_status_get(initd, &ts);
    if (ts.state != VX_TASK_EXITED || ts.exit_code != 0) {
        fprintf(stderr, "vectra: initd ended: state %u, code %d\n",
                (unsigned)ts.state, (int)ts.exit_code);
        return ts.state == VX_TASK_EXITED ? (int)(ts.exit_code & 0x7f) : 1;
    }
    printf("vectra: powered off\n");
    return 0;
}
