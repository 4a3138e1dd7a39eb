/* The body of every start file: load what the Task was started with, run
 * v_main. Kept apart from load.c so that programs without a v_main (test
 * binaries, supervisors using only v_process_spawn) never pull it in. */
#include <v/process.h>

int32_t v_process_run(void)
{
    v_process p;
    if (v_process_load(&p) != V_OK)
        return V_EXIT_START;
    return v_main(&p);
}
