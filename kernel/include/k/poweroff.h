/* Ending the machine when the normal image has nothing more to run (the
 * first Task ended): kernel/core/poweroff.c. */
#ifndef K_POWEROFF_H
#define K_POWEROFF_H

/* Logs "vectra: nothing more to run; powering off" and switches the
 * machine off through ACPI; where that does nothing, halts this CPU with
 * interrupts off for good. Never returns. */
_Noreturn void machine_poweroff(void);

#endif
