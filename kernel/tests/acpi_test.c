/* MADT parsing on synthetic tables (every entry kind and every malformed
 * shape), and the live machine's APICs as QEMU presents them. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <k/smp.h>
#include <v/mem.h>
#include <v/test.h>

typedef struct madt_builder {
    uint8_t b[256];
    size_t n;
} madt_builder;

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void begin(madt_builder *m, uint32_t lapic, uint32_t flags)
{
    v_mem_set(m, 0, sizeof *m);
    v_mem_copy(m->b, "APIC", 4);
    put32(m->b + 36, lapic);
    put32(m->b + 40, flags);
    m->n = 44;
}

static void add(madt_builder *m, const uint8_t *e, size_t len)
{
    v_mem_copy(m->b + m->n, e, len);
    m->n += len;
}

static void finish(madt_builder *m)
{
    put32(m->b + 4, (uint32_t)m->n);
}

V_TEST(kernel, madt_parses_cpus_ioapic_and_overrides)
{
    madt_builder m;
    begin(&m, 0xfee00000, 1);
    const uint8_t cpu0[] = {0, 8, 0, 0, 1, 0, 0, 0};
    const uint8_t cpu1[] = {0, 8, 1, 1, 1, 0, 0, 0};
    const uint8_t cpu_off[] = {0, 8, 2, 7, 0, 0, 0, 0}; /* disabled */
    const uint8_t cpu2[] = {0, 8, 3, 6, 3, 0, 0, 0};
    const uint8_t io[] = {1, 12, 2, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0};
    const uint8_t io2[] = {1, 12, 3, 0, 0, 0, 0xd0, 0xfe, 24, 0, 0, 0};
    const uint8_t iso[] = {2, 10, 0, 0, 2, 0, 0, 0, 0, 0};   /* IRQ0->GSI2 */
    const uint8_t iso9[] = {2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0}; /* level, high */
    const uint8_t nmi[] = {4, 6, 0xff, 5, 0, 1};
    add(&m, cpu0, 8);
    add(&m, cpu1, 8);
    add(&m, cpu_off, 8);
    add(&m, cpu2, 8);
    add(&m, io, 12);
    add(&m, io2, 12);
    add(&m, iso, 10);
    add(&m, iso9, 10);
    add(&m, nmi, 6);
    finish(&m);
    madt_info mi;
    V_ASSERT_OK(madt_parse(m.b, m.n, &mi));
    V_EXPECT_EQ(mi.lapic_phys, 0xfee00000u);
    V_EXPECT_EQ(mi.has_8259, 1);
    V_EXPECT_EQ(mi.cpu_count, 3u);
    V_EXPECT_EQ(mi.cpu_apic_ids[0], 0u);
    V_EXPECT_EQ(mi.cpu_apic_ids[1], 1u);
    V_EXPECT_EQ(mi.cpu_apic_ids[2], 6u);
    V_EXPECT_EQ(mi.ioapic_phys, 0xfec00000u); /* the first one */
    V_EXPECT_EQ(mi.ioapic_gsi_base, 0u);
    V_EXPECT_EQ(mi.isa_gsi[0], 2u);
    V_EXPECT_EQ(mi.isa_gsi[1], 1u); /* no override: identity */
    V_EXPECT_EQ(mi.isa_gsi[9], 9u);
    V_EXPECT_EQ(mi.isa_flags[9], 0x0du);
}

V_TEST(kernel, madt_lapic_address_override)
{
    madt_builder m;
    begin(&m, 0xfee00000, 0);
    const uint8_t ov[] = {5, 12, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}; /* 2^32 */
    add(&m, ov, 12);
    finish(&m);
    madt_info mi;
    V_ASSERT_OK(madt_parse(m.b, m.n, &mi));
    V_EXPECT_EQ(mi.lapic_phys, 0x100000000u);
    V_EXPECT_EQ(mi.has_8259, 0);
}

V_TEST(kernel, madt_rejects_malformed_tables)
{
    madt_builder m;
    madt_info mi;
    begin(&m, 0xfee00000, 0);
    finish(&m);
    V_EXPECT_OK(madt_parse(m.b, m.n, &mi)); /* no entries is fine */
    V_EXPECT_STATUS(madt_parse(m.b, 43, &mi), V_ERR_MALFORMED);
    V_EXPECT_STATUS(madt_parse(0, 44, &mi), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(madt_parse(m.b, m.n, 0), V_ERR_INVALID_ARGS);

    m.b[0] = 'X'; /* wrong signature */
    V_EXPECT_STATUS(madt_parse(m.b, m.n, &mi), V_ERR_MALFORMED);

    begin(&m, 0xfee00000, 0);
    put32(m.b + 4, 200); /* says longer than the buffer */
    V_EXPECT_STATUS(madt_parse(m.b, 100, &mi), V_ERR_MALFORMED);

    static const uint8_t bad[][3] = {
        {0, 0, 0},  /* zero length: would loop forever */
        {0, 1, 0},  /* shorter than its own header */
        {0, 9, 0},  /* runs past the table */
        {0, 4, 0},  /* local APIC entry too short */
        {1, 8, 0},  /* I/O APIC entry too short */
        {2, 6, 0},  /* override too short */
        {5, 8, 0},  /* address override too short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        begin(&m, 0xfee00000, 0);
        uint8_t e[8] = {bad[i][0], bad[i][1]};
        add(&m, e, 8);
        finish(&m);
        v_status s = madt_parse(m.b, m.n, &mi);
        if (s != V_ERR_MALFORMED) {
            V_EXPECT_STATUS(s, V_ERR_MALFORMED);
            v_test_note(v_t, "for the malformed entry at this index:");
            V_EXPECT_EQ(i, 99u);
        }
    }
    /* A table whose local APIC address is 0 cannot be used. */
    begin(&m, 0, 0);
    finish(&m);
    V_EXPECT_STATUS(madt_parse(m.b, m.n, &mi), V_ERR_MALFORMED);
}

V_TEST(kernel, madt_more_cpus_than_supported_are_counted)
{
    madt_builder m;
    begin(&m, 0xfee00000, 0);
    for (unsigned i = 0; i < MAX_CPUS + 3 && m.n + 8 <= sizeof m.b; i++) {
        uint8_t e[8] = {0, 8, (uint8_t)i, (uint8_t)i, 1, 0, 0, 0};
        add(&m, e, 8);
    }
    finish(&m);
    madt_info mi;
    V_ASSERT_OK(madt_parse(m.b, m.n, &mi));
    V_EXPECT_EQ(mi.cpu_count, (unsigned)MAX_CPUS);
    V_EXPECT_EQ(mi.cpus_ignored, 3u);
}

V_TEST(kernel, live_apics_match_the_machine)
{
    extern madt_info g_madt;
    V_EXPECT_EQ(g_madt.lapic_phys, 0xfee00000u);
    V_EXPECT_EQ(g_madt.ioapic_phys, 0xfec00000u);
    V_EXPECT_GE(g_madt.cpu_count, smp_cpu_count());
    V_EXPECT_EQ(ioapic_inputs(), 24u); /* QEMU's I/O APIC */
    /* Route, read back, and mask an unused input (GSI 23). */
    V_ASSERT(ioapic_route(23, 0x40, lapic_id(), 0x0f, false));
    uint64_t e = ioapic_entry(23);
    V_EXPECT_EQ(e & 0xff, 0x40u);
    V_EXPECT_EQ((e >> 16) & 1, 1u);  /* masked */
    V_EXPECT_EQ((e >> 13) & 1, 1u);  /* active low */
    V_EXPECT_EQ((e >> 15) & 1, 1u);  /* level */
    V_EXPECT_EQ(e >> 56, lapic_id());
    V_EXPECT(!ioapic_route(24, 0x40, 0, 0, false)); /* no such input */
    V_EXPECT_GT(lapic_timer_hz(), 0u);
}
