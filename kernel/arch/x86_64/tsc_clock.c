/* The monotonic clock: TSC ticks since boot, scaled to nanoseconds.
 *
 * The TSC rate is measured once against PIT channel 2 (a fixed 1.193182
 * MHz crystal, present on every PC and in QEMU). Channel 2 can be read
 * without any interrupt, so this runs before interrupts or memory exist
 * and the log has timestamps from its first line. The rate comes from
 * (PIT count, TSC) pairs sampled back to back at both ends of a short
 * window, not from waiting for the count to expire: a CPU stalled by its
 * host (virtual machines) at the wrong moment then costs nothing, since
 * both clocks keep running through the stall. The window is 2 ms: under
 * QEMU's -icount every instruction of busy-waiting is boot time.
 * The scale is a 32.32 fixed-point multiplier so reading the clock is one
 * multiply and no division. */
#include <arch/cpu.h>
#include <k/clock.h>

#define PIT_HZ 1193182u
#define PIT_CMD 0x43
#define PIT_CH2 0x42
#define PORT_B 0x61
#define WINDOW_TICKS (PIT_HZ / 500u) /* 2 ms */

uint64_t clock_tsc_boot;
static uint64_t tsc_hz;
uint64_t clock_ns_mult; /* ns per tick, 32.32 fixed point */

static uint16_t pit2_count(void)
{
    outb(PIT_CMD, 0x80); /* latch channel 2 */
    uint8_t lo = inb(PIT_CH2);
    uint8_t hi = inb(PIT_CH2);
    return (uint16_t)(lo | hi << 8);
}

/* A PIT count and the TSC at (about) the same instant: the TSC read
 * before and after the count, retried while they are far apart. */
static void sample(uint16_t *pit, uint64_t *tsc)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 8; i++) {
        uint64_t a = rdtsc();
        uint16_t p = pit2_count();
        uint64_t b = rdtsc();
        if (b - a < best) {
            best = b - a;
            *pit = p;
            *tsc = a + (b - a) / 2;
        }
    }
}

static uint64_t measure_tsc_hz(void)
{
    uint8_t b = inb(PORT_B);
    outb(PORT_B, (uint8_t)(b & ~0x03)); /* speaker off, gate low */
    outb(PIT_CMD, 0xB4); /* channel 2, lo/hi byte, mode 2, binary */
    outb(PIT_CH2, 0xFF);
    outb(PIT_CH2, 0xFF); /* period 65535 ticks, 55 ms */
    outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01)); /* gate high: counting */
    uint16_t p0, p1;
    uint64_t t0, t1;
    sample(&p0, &t0);
    /* Bounded: no PIT means the count never moves. */
    for (uint64_t spins = 0;; spins++) {
        sample(&p1, &t1);
        if ((uint16_t)(p0 - p1) >= WINDOW_TICKS)
            break;
        if (spins > 10000000u)
            return 0;
    }
    uint64_t ticks = (uint16_t)(p0 - p1);
    return (t1 - t0) * PIT_HZ / ticks;
}

void clock_early_init(void)
{
    clock_tsc_boot = rdtsc();
    uint64_t hz = measure_tsc_hz();
    if (hz == 0)
        hz = 1000000000u; /* no PIT: assume 1 GHz rather than stop */
    tsc_hz = hz;
    clock_ns_mult = (1000000000ull << 32) / hz; /* fits: 10^9 < 2^32 */
}

uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}

void clock_spin_ns(uint64_t ns)
{
    uint64_t end = clock_ns() + ns;
    while (clock_ns() < end)
        cpu_relax();
}
