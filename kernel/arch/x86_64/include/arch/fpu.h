/* FPU/SSE state of user threads (x87, MMX, SSE: the FXSAVE image).
 *
 * The kernel itself is built without SSE or x87 (-mgeneral-regs-only and
 * friends), so while a CPU runs kernel code its FPU registers still hold
 * the state of the last user thread it ran. Saving is therefore eager
 * and happens only at a switch: arch_switch_to saves the outgoing user
 * thread's registers and loads the incoming one's. Kernel threads have
 * no area and leave the registers alone. No #NM tricks, no lazy state. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#define FPU_AREA_SIZE 512 /* FXSAVE: 512 bytes, 16-byte aligned */

/* Per CPU (from user_init_cpu): CR0.MP and NE on, EM and TS off,
 * CR4.OSFXSR and OSXMMEXCPT on, so SSE works in ring 3 and SIMD
 * exceptions arrive as #XM. */
void fpu_init_cpu(void);
/* A clean area (the state after FNINIT with MXCSR's default: every
 * exception masked, round to nearest, registers zero), or NULL. */
void *fpu_area_alloc(void);
void fpu_area_free(void *area);
/* Inline: every switch between user threads runs both. */
static inline void fpu_save(void *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fpu_restore(const void *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

#endif
