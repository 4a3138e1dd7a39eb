/* Exceptions that are expected are caught (TRAP_CATCH) with the vector,
 * error code and CR2 the CPU reported; the symbol table names functions.
 * (The fatal path is checked by run-tests.sh's crash boot.) */
#include <arch/trap.h>
#include <k/ksyms.h>
#include <stdint.h>
#include <v/test.h>

/* Well above the direct map's end and below the kernel virtual area:
 * nothing is ever mapped here. */
#define UNMAPPED_VA 0xffffa00000000000ull

V_TEST(kernel, trap_catches_page_fault_on_read)
{
    trap_catch c;
    volatile uint64_t sink = 0;
    if (TRAP_CATCH(&c)) {
        sink = *(volatile uint64_t *)UNMAPPED_VA;
        trap_catch_end(&c);
        V_EXPECT(!"the read of an unmapped address did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 14u);
        V_EXPECT_EQ(c.cr2, UNMAPPED_VA);
        V_EXPECT_EQ(c.error & 0x7, 0u); /* not present, read, kernel */
    }
    (void)sink;
}

V_TEST(kernel, trap_catches_page_fault_on_write)
{
    trap_catch c;
    if (TRAP_CATCH(&c)) {
        *(volatile uint64_t *)(UNMAPPED_VA + 0x10) = 1;
        trap_catch_end(&c);
        V_EXPECT(!"the write did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 14u);
        V_EXPECT_EQ(c.cr2, UNMAPPED_VA + 0x10);
        V_EXPECT_EQ(c.error & 0x7, 0x2u); /* not present, write, kernel */
    }
}

V_TEST(kernel, trap_catches_invalid_opcode)
{
    trap_catch c;
    if (TRAP_CATCH(&c)) {
        __asm__ volatile("ud2");
        trap_catch_end(&c);
        V_EXPECT(!"ud2 did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 6u);
    }
}

V_TEST(kernel, trap_catches_general_protection)
{
    trap_catch c;
    if (TRAP_CATCH(&c)) {
        /* A non-canonical address faults with #GP, not #PF. */
        (void)*(volatile uint64_t *)0x8000000000000000ull;
        trap_catch_end(&c);
        V_EXPECT(!"non-canonical access did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 13u);
    }
}

V_TEST(kernel, trap_catch_without_fault_falls_through)
{
    trap_catch c;
    volatile int ran = 0;
    if (TRAP_CATCH(&c)) {
        ran = 1;
        trap_catch_end(&c);
    } else {
        V_EXPECT(!"no fault happened, but the catch branch ran");
    }
    V_EXPECT_EQ(ran, 1);
    /* And a later fault is caught by a fresh catcher only. */
    trap_catch d;
    if (TRAP_CATCH(&d)) {
        (void)*(volatile uint8_t *)UNMAPPED_VA;
        trap_catch_end(&d);
    }
    V_EXPECT_EQ(d.vector, 14u);
}

V_TEST(kernel, ksyms_names_kernel_functions)
{
    uint64_t a = ksyms_address("kjmp_set");
    V_ASSERT_NE(a, 0u);
    const char *name = 0;
    uint64_t off = 99;
    V_ASSERT(ksyms_lookup(a + 3, &name, &off));
    V_EXPECT_STR_EQ(name, "kjmp_set");
    V_EXPECT_EQ(off, 3u);
    V_EXPECT(!ksyms_lookup(0x1000, &name, &off));
    V_EXPECT_EQ(ksyms_address("no_such_function_anywhere"), 0u);
}
