/* CPUs. Online CPUs have dense indexes 0..smp_cpu_count()-1; the count
 * only grows (no CPU goes offline). */
#ifndef K_SMP_H
#define K_SMP_H

/* Inline: the scheduler reads it at every switch and wakeup. Written
 * only by smp_start, as each CPU comes up. */
extern unsigned smp_online_count;
static inline unsigned smp_cpu_count(void)
{
    return __atomic_load_n(&smp_online_count, __ATOMIC_ACQUIRE);
}
/* Makes CPU index reschedule soon (an IPI; nothing for the caller's). */
void smp_kick(unsigned index);
/* Registers the IPI handlers (boot CPU, before other CPUs start). */
void smp_init_ipis(void);
/* Halts every other CPU (for crash reports: their output would
 * interleave, and they may be the cause). Once only. */
void smp_stop_others(void);
extern int smp_stopping;
/* Starts every other CPU in the MADT; each enters its idle loop. */
void smp_start(void);

#endif
