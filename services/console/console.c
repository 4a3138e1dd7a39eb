/* The console service: owns the terminal and runs vctl's prompt on it.
 * Footprint: `control` (initd's control inbox) and `logd`; natively also
 * the serial port's `com1` and `com1.irq` (term.h). The end of the
 * terminal's input powers the machine off: on the hosted machine that is
 * the user closing it (or a script that ran out of commands). */
#include <v/mem.h>
#include <v/process.h>
#include <v/service.h>

#include "../../apps/vctl/vctl.h"
#include "term.h"

static const char prompt[] = "vectra> ";

int32_t v_main(const v_process *p)
{
    vx_handle control, logd = {0};
    if (v_process_handle("control", VX_OBJ_RING_TX, &control) != V_OK)
        return V_EXIT_FOOTPRINT;
    (void)v_process_handle("logd", VX_OBJ_RING_TX, &logd);
    int32_t code = console_term_open();
    if (code != V_EXIT_OK)
        return code;
    vctl v = {(vx_ring_tx){control}, (vx_ring_tx){logd}, console_term_write,
              NULL, 8, 0};
    v_service_log_to("console", v.logd, NULL, NULL, V_SERVICE_INFO,
                     "console ready", NULL);
    static const char hello[] = "Vectra (";
    static const char rest[] = "). Type help for commands.\n";
    console_term_write(NULL, hello, sizeof hello - 1);
    console_term_write(NULL, console_term_backend,
                       v_cstr_len(console_term_backend));
    console_term_write(NULL, rest, sizeof rest - 1);
    static char line[1024];
    for (;;) {
        console_term_write(NULL, prompt, sizeof prompt - 1);
        size_t len = 0;
        if (!console_term_read_line(line, sizeof line, &len)) {
            console_term_write(NULL, "\n", 1);
            (void)vctl_run(&v, "poweroff", 8);
            return V_EXIT_OK;
        }
        if (!vctl_run(&v, line, len))
            return V_EXIT_OK;
    }
}
