/* The hosted start file: a spawned hosted Task is a static Linux
 * executable, so libc's startup runs first and calls main, which hands
 * over to libv. The process's own argv and environment are not used: a
 * Task receives its inputs only through its footprint (docs/process.md).
 * Natively the same call sits in a _start with no libc underneath. */
#include <v/process.h>
#include <vx/task.h>

int main(void);

int main(void)
{
    vx_task_exit(v_process_run());
}
