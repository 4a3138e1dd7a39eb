/* The normal image's last stage: start the first user Task from the boot
 * Bundle (k/boot_bundle.h; a missing or malformed Bundle panics with the
 * reason), report how it ended, then switch the machine off
 * (k/poweroff.h). */
#include <k/boot_bundle.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/poweroff.h>
#include <k/task.h>

static const char *const state_names[] = {"running", "exited", "killed",
                                          "crashed"};

static void run_first_task(void)
{
    task *t = boot_start_init();
    task_wait(t);
    kinfo("vectra: first Task '%s' %s, code %d", t->name,
          state_names[t->state], t->exit_code);
    task_destroy(t);
}

void kernel_run(void)
{
    run_first_task();
    machine_poweroff();
}
