/* The normal image's last stage: start the first user Task (the embedded
 * hello program, until the boot Bundle brings init), report how it ended,
 * then park the boot thread for good, leaving the CPUs to their idle
 * loops. */
#include <arch/cpu.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/sched.h>
#include <k/task.h>
#include <k/user_images.h>

static const char *const state_names[] = {"running", "exited", "killed",
                                          "crashed"};

static void run_first_task(void)
{
    task *t;
    const char *why = 0;
    v_status st = task_spawn("hello", user_hello_image,
                             user_image_size(user_hello_image,
                                             user_hello_image_end),
                             0, &t, &why);
    if (st != V_OK) {
        kerror("vectra: cannot start the first Task: %s",
               why ? why : v_status_name(st));
        return;
    }
    kinfo("vectra: first Task 'hello' started");
    task_wait(t);
    kinfo("vectra: first Task 'hello' %s, code %d", state_names[t->state],
          t->exit_code);
    task_destroy(t);
}

void kernel_run(void)
{
    run_first_task();
    kinfo("vectra: nothing more to run; idling");
    irq_disable();
    thread_current()->state = THREAD_BLOCKED; /* nothing will wake it */
    schedule();
    kpanic("kernel_run: the parked boot thread was woken");
}
