/* MADT parsing: a pure function over bytes (so the tests can feed it
 * synthetic tables), every entry bounds-checked before it is read. */
#include <arch/acpi.h>
#include <v/mem.h>

#define HDR_LEN 36
#define MADT_FIXED 44 /* header + local APIC address + flags */

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

uint8_t acpi_checksum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

v_status madt_parse(const uint8_t *t, size_t len, madt_info *out)
{
    if (!t || !out)
        return V_ERR_INVALID_ARGS;
    if (len < MADT_FIXED || !v_mem_equal(t, "APIC", 4))
        return V_ERR_MALFORMED;
    uint32_t tlen = rd32(t + 4);
    if (tlen < MADT_FIXED || tlen > len)
        return V_ERR_MALFORMED;
    v_mem_set(out, 0, sizeof *out);
    for (unsigned i = 0; i < 16; i++)
        out->isa_gsi[i] = i;
    out->lapic_phys = rd32(t + 36);
    out->has_8259 = rd32(t + 40) & 1;
    for (size_t off = MADT_FIXED; off < tlen;) {
        if (tlen - off < 2)
            return V_ERR_MALFORMED;
        uint8_t type = t[off], elen = t[off + 1];
        if (elen < 2 || elen > tlen - off)
            return V_ERR_MALFORMED;
        const uint8_t *e = t + off;
        switch (type) {
        case 0: /* processor local APIC */
            if (elen < 8)
                return V_ERR_MALFORMED;
            if (rd32(e + 4) & 1) {
                if (out->cpu_count < MAX_CPUS)
                    out->cpu_apic_ids[out->cpu_count++] = e[3];
                else
                    out->cpus_ignored++;
            }
            break;
        case 1: /* I/O APIC */
            if (elen < 12)
                return V_ERR_MALFORMED;
            if (!out->ioapic_phys) {
                out->ioapic_phys = rd32(e + 4);
                out->ioapic_gsi_base = rd32(e + 8);
            }
            break;
        case 2: /* interrupt source override */
            if (elen < 10)
                return V_ERR_MALFORMED;
            if (e[2] == 0 && e[3] < 16) { /* bus 0 is ISA */
                out->isa_gsi[e[3]] = rd32(e + 4);
                out->isa_flags[e[3]] = (uint16_t)(e[8] | e[9] << 8);
            }
            break;
        case 5: /* 64-bit local APIC address override */
            if (elen < 12)
                return V_ERR_MALFORMED;
            out->lapic_phys = rd64(e + 4);
            break;
        default: /* NMI sources, x2APIC entries, ...: not needed yet */
            break;
        }
        off += elen;
    }
    if (!out->lapic_phys)
        return V_ERR_MALFORMED;
    return V_OK;
}
