/* initd's entry. Footprint (given by the machine's root Task): `boot`, the
 * boot Bundle as a Region; `control`, the RX of its control inbox; and
 * `control.tx`, a TX of it, from which initd mints the TXs it grants. */
#include <v/process.h>

#include "initd.h"

int32_t v_main(const v_process *p)
{
    static initd d; /* large (manifest arena, services): not on the stack */
    vx_handle boot, rx, tx;
    if (v_process_handle("boot", VX_OBJ_REGION, &boot) != V_OK ||
        v_process_handle("control", VX_OBJ_RING_RX, &rx) != V_OK ||
        v_process_handle("control.tx", VX_OBJ_RING_TX, &tx) != V_OK)
        return V_EXIT_FOOTPRINT;
    d.control_tx = (vx_ring_tx){tx};
    /* bits 0..7 stay free; the executor owns the rest */
    v_status st = v_exec_init(&d.exec, ~UINT64_C(0xff));
    if (st == V_OK)
        st = initd_control_init(&d, (vx_ring_rx){rx});
    if (st != V_OK)
        return v_process_exit_code(st);
    if (initd_boot(&d, (vx_region){boot}) == V_OK)
        initd_start_all(&d);
    /* Even with a refused bundle initd stays up to answer `tasks`. */
    return v_service_run(&d.control);
}
