/* libFuzzer target: madt_parse on arbitrary bytes (hosted, under ASan and
 * UBSan). It must never read outside the buffer, and what it accepts must
 * satisfy the documented bounds. */
#include <arch/acpi.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    madt_info mi;
    if (madt_parse(data, size, &mi) != V_OK)
        return 0;
    if (mi.cpu_count > MAX_CPUS || mi.lapic_phys == 0)
        __builtin_trap();
    return 0;
}
