/* The little of ACPI the kernel needs before user space: the MADT, which
 * names the CPUs (their local APIC ids), the I/O APIC and how legacy ISA
 * interrupts map onto its inputs. */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <stddef.h>
#include <stdint.h>
#include <arch/gdt.h>
#include <v/status.h>

typedef struct madt_info {
    uint64_t lapic_phys;
    uint32_t cpu_apic_ids[MAX_CPUS]; /* enabled processors, MADT order */
    unsigned cpu_count;
    unsigned cpus_ignored;            /* beyond MAX_CPUS */
    uint64_t ioapic_phys;             /* the first I/O APIC, 0 if none */
    uint32_t ioapic_gsi_base;
    uint32_t isa_gsi[16];             /* ISA IRQ -> GSI (identity default) */
    uint16_t isa_flags[16];           /* MPS INTI flags from overrides */
    int has_8259;                     /* PC-AT compatible PICs present */
} madt_info;

/* Parses a MADT (the whole table, header included). MALFORMED for a
 * wrong signature, a length beyond len, or an entry running past the
 * end; INVALID_ARGS for NULL. Checksums are the caller's business. */
v_status madt_parse(const uint8_t *table, size_t len, madt_info *out);

/* Finds the RSDP and the MADT in firmware memory and parses it. */
v_status acpi_init(madt_info *out);

/* Sum of bytes mod 256; ACPI tables sum to 0. */
uint8_t acpi_checksum(const uint8_t *p, size_t n);

#endif
