/* The normal image's last stage. Nothing runs on top of the kernel yet
 * (user mode comes with the next stage), so the boot thread reports and
 * parks itself for good, leaving the CPUs to their idle loops. */
#include <arch/cpu.h>
#include <k/kmain.h>
#include <k/log.h>
#include <k/panic.h>
#include <k/sched.h>

void kernel_run(void)
{
    kinfo("vectra: kernel up; nothing to run yet");
    irq_disable();
    thread_current()->state = THREAD_BLOCKED; /* nothing will wake it */
    schedule();
    kpanic("kernel_run: the parked boot thread was woken");
}
