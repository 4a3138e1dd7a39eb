/* Finding the MADT: the RSDP is searched where the PC firmware spec says
 * (the first KiB of the EBDA, then 0xE0000-0xFFFFF), then the XSDT (or
 * the RSDT on ACPI 1.0) lists the tables. All reads go through the direct
 * map, which covers the low 4 GiB; tables are checksummed before use. */
#include <arch/acpi.h>
#include <k/log.h>
#include <k/mm.h>
#include <v/mem.h>

#define LOW_4G 0x100000000ull

static const uint8_t *find_rsdp_in(uint64_t from, uint64_t to)
{
    for (uint64_t p = from; p + 20 <= to; p += 16) {
        const uint8_t *r = phys_to_virt(p);
        if (v_mem_equal(r, "RSD PTR ", 8) && acpi_checksum(r, 20) == 0)
            return r;
    }
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    v_mem_copy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    v_mem_copy(&v, p, 8);
    return v;
}

/* A table header at phys, if it lies in reach and its checksum holds. */
static const uint8_t *table_at(uint64_t phys, uint32_t *len)
{
    if (phys >= LOW_4G - 36)
        return 0;
    const uint8_t *t = phys_to_virt(phys);
    uint32_t n = rd32(t + 4);
    if (n < 36 || n > LOW_4G - phys || n > (1u << 20))
        return 0;
    if (acpi_checksum(t, n) != 0)
        return 0;
    *len = n;
    return t;
}

v_status acpi_init(madt_info *out)
{
    uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40E) << 4;
    const uint8_t *rsdp = 0;
    if (ebda >= 0x80000 && ebda < 0xA0000)
        rsdp = find_rsdp_in(ebda, ebda + 1024);
    if (!rsdp)
        rsdp = find_rsdp_in(0xE0000, 0x100000);
    if (!rsdp) {
        kwarn("acpi: no RSDP found");
        return V_ERR_NOT_SUPPORTED;
    }
    uint64_t root;
    unsigned width;
    if (rsdp[15] >= 2 && rd64(rsdp + 24) && acpi_checksum(rsdp, 36) == 0) {
        root = rd64(rsdp + 24);
        width = 8;
    } else {
        root = rd32(rsdp + 16);
        width = 4;
    }
    uint32_t rlen;
    const uint8_t *rt = table_at(root, &rlen);
    if (!rt) {
        kwarn("acpi: root table at 0x%lx is invalid", root);
        return V_ERR_MALFORMED;
    }
    for (uint32_t off = 36; off + width <= rlen; off += width) {
        uint64_t p = width == 8 ? rd64(rt + off) : rd32(rt + off);
        uint32_t len;
        const uint8_t *t = table_at(p, &len);
        if (t && v_mem_equal(t, "APIC", 4))
            return madt_parse(t, len, out);
    }
    kwarn("acpi: no MADT");
    return V_ERR_NOT_SUPPORTED;
}
