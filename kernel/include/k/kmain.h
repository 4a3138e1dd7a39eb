/* The boot sequence's stages that differ between images. */
#ifndef K_KMAIN_H
#define K_KMAIN_H

/* GDT, TSS and IDT for the boot CPU (arch code). */
void arch_cpu_init(void);

/* APICs, the timer interrupt, and interrupts on (arch code). */
void arch_interrupts_init(void);

/* What the kernel does once it is up: idle in the normal image, run the
 * in-kernel tests in the test image (core/idle.c, core/test_main.c). */
_Noreturn void kernel_run(void);

#endif
