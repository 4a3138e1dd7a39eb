/* The CPU's random number generator (RDRAND), the native entropy source
 * for now: no pool, no mixing, no other source yet (docs/substrate.md
 * §12). A CPU without RDRAND makes vx_entropy_read NOT_SUPPORTED. */
#include <arch/cpu.h>
#include <arch/entropy.h>

bool arch_entropy_available(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    return r[2] & (1u << 30);
}

bool arch_entropy64(uint64_t *out)
{
    /* RDRAND may fail transiently (CF = 0) when drained; Intel's advice
     * is ten retries. */
    for (int i = 0; i < 10; i++) {
        uint64_t v;
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        if (ok) {
            *out = v;
            return true;
        }
    }
    return false;
}
