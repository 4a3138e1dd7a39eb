/* Symbol lookup over the table gen-ksyms.sh emits into .ksyms: entries
 * sorted by address, names as offsets into one string blob. */
#include <k/ksyms.h>
#include <v/mem.h>

typedef struct ksym {
    uint64_t addr;
    uint64_t name; /* offset into ksyms_names */
} ksym;

extern const uint64_t ksyms_count;
extern const ksym ksyms_table[];
extern const char ksyms_names[];
extern const char __text_start[], __text_end[];

bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset)
{
    if (addr < (uint64_t)(uintptr_t)__text_start ||
        addr >= (uint64_t)(uintptr_t)__text_end || ksyms_count == 0)
        return false;
    /* The last entry whose address is <= addr. */
    uint64_t lo = 0, hi = ksyms_count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_table[lo].addr > addr)
        return false;
    *name = ksyms_names + ksyms_table[lo].name;
    *offset = addr - ksyms_table[lo].addr;
    return true;
}

uint64_t ksyms_address(const char *name)
{
    for (uint64_t i = 0; i < ksyms_count; i++) {
        if (v_cstr_compare(ksyms_names + ksyms_table[i].name, name) == 0)
            return ksyms_table[i].addr;
    }
    return 0;
}
