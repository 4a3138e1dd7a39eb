/* initd's entry. Footprint: `boot.bundle`, the boot Bundle as a Region
 * (natively from the kernel, hosted from the machine's root Task); and,
 * hosted, `control`, the RX of its control inbox, and `control.tx`, a TX
 * of it, from which initd mints the TXs it grants (the root keeps a TX to
 * drive initd in tests). Natively nobody made that inbox before initd, so
 * initd makes it itself. Natively initd also holds the devices the kernel
 * gives the first Task (`com1`, `com1.irq`), which it passes on through
 * `handle` grants (docs/services.md). */
#include <v/process.h>

#include "initd.h"

/* The control inbox initd makes when it was not given one. */
static v_status own_control(vx_handle *rx, vx_handle *tx)
{
    vx_ring_params rp = {4096, 16, vectra_initd_SCHEMA_ID};
    vx_ring_tx t;
    vx_ring_rx r;
    v_status st = (v_status)vx_ring_create(&rp, &t, &r);
    if (st != V_OK)
        return st;
    *rx = r.h;
    *tx = t.h;
    return V_OK;
}

int32_t v_main(const v_process *p)
{
    static initd d; /* large (manifest arena, services): not on the stack */
    vx_handle boot, rx, tx;
    if (v_process_handle("boot.bundle", VX_OBJ_REGION, &boot) != V_OK)
        return V_EXIT_FOOTPRINT;
    v_status st = v_process_handle("control", VX_OBJ_RING_RX, &rx);
    if (st == V_OK)
        st = v_process_handle("control.tx", VX_OBJ_RING_TX, &tx);
    else if (st == V_ERR_OUT_OF_RANGE)
        st = own_control(&rx, &tx);
    if (st != V_OK)
        return V_EXIT_FOOTPRINT;
    d.control_tx = (vx_ring_tx){tx};
    /* bits 0..7 stay free; the executor owns the rest */
    st = v_exec_init(&d.exec, ~UINT64_C(0xff));
    if (st == V_OK)
        st = initd_control_init(&d, (vx_ring_rx){rx});
    if (st != V_OK)
        return v_process_exit_code(st);
    if (initd_boot(&d, (vx_region){boot}) == V_OK)
        initd_start_all(&d);
    /* Even with a refused bundle initd stays up to answer `tasks`. */
    return v_service_run(&d.control);
}
