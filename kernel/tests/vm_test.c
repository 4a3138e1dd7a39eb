/* Paging: map, unmap and protect 4 KiB pages, with the faults that must
 * follow (caught), the TLB kept coherent, and every error path. */
#include <arch/trap.h>
#include <k/kva.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/vm.h>
#include <v/test.h>

/* A page of the kernel virtual area, reserved for the test's duration. */
static uintptr_t test_page(void)
{
    return kva_alloc(1);
}

static uint64_t fault_at(volatile uint64_t *p, bool write, uint64_t *err)
{
    trap_catch c;
    if (TRAP_CATCH(&c)) {
        if (write)
            *p = 0x1234;
        else
            (void)*p;
        trap_catch_end(&c);
        return 0;
    }
    *err = c.error;
    return c.vector == 14 ? c.cr2 : 1;
}

V_TEST(kernel, vm_map_write_read_unmap)
{
    uintptr_t va = test_page();
    V_ASSERT_NE(va, 0u);
    uint64_t pa = pmm_alloc_zeroed();
    V_ASSERT_NE(pa, 0u);
    V_ASSERT_OK(vm_map(va, pa, VM_WRITE));

    uint64_t qpa;
    unsigned prot;
    V_EXPECT(vm_query(va + 0x123, &qpa, &prot));
    V_EXPECT_EQ(qpa, pa + 0x123);
    V_EXPECT_EQ(prot, (unsigned)VM_WRITE);

    /* The same frame seen through both mappings. */
    *(volatile uint64_t *)va = 0xfeedface;
    V_EXPECT_EQ(*(volatile uint64_t *)phys_to_virt(pa), 0xfeedfaceu);

    uint64_t got = 0, err = 0;
    V_EXPECT_OK(vm_unmap(va, &got));
    V_EXPECT_EQ(got, pa);
    V_EXPECT(!vm_is_mapped(va));
    /* A stale TLB entry would let this read succeed. */
    V_EXPECT_EQ(fault_at((volatile uint64_t *)va, false, &err), va);
    V_EXPECT_EQ(err & 1, 0u); /* not present */
    pmm_free(pa);
    kva_free(va);
}

V_TEST(kernel, vm_protect_read_only_faults_on_write)
{
    uintptr_t va = test_page();
    uint64_t pa = pmm_alloc_zeroed();
    V_ASSERT(va && pa);
    V_ASSERT_OK(vm_map(va, pa, VM_WRITE));
    *(volatile uint64_t *)va = 7; /* writable now, and cached in the TLB */

    V_ASSERT_OK(vm_protect(va, VM_READ));
    uint64_t err = 0;
    V_EXPECT_EQ(fault_at((volatile uint64_t *)va, true, &err), va);
    V_EXPECT_EQ(err & 0x3, 0x3u); /* protection violation, on write */
    V_EXPECT_EQ(*(volatile uint64_t *)va, 7u); /* reads still work */

    V_ASSERT_OK(vm_protect(va, VM_WRITE));
    *(volatile uint64_t *)va = 8;
    V_EXPECT_EQ(*(volatile uint64_t *)va, 8u);

    V_EXPECT_OK(vm_unmap(va, 0));
    pmm_free(pa);
    kva_free(va);
}

V_TEST(kernel, vm_no_execute_unless_exec)
{
    uintptr_t va = test_page();
    uint64_t pa = pmm_alloc_zeroed();
    V_ASSERT(va && pa);
    *(volatile uint8_t *)phys_to_virt(pa) = 0xc3; /* ret */
    V_ASSERT_OK(vm_map(va, pa, VM_WRITE));
    void (*fn)(void) = (void (*)(void))va;

    trap_catch c;
    if (TRAP_CATCH(&c)) {
        fn();
        trap_catch_end(&c);
        V_EXPECT(!"executing a no-execute page did not fault");
    } else {
        V_EXPECT_EQ(c.vector, 14u);
        V_EXPECT_EQ(c.cr2, va);
        V_EXPECT_EQ(c.error & 0x10, 0x10u); /* instruction fetch */
    }
    V_ASSERT_OK(vm_protect(va, VM_EXEC));
    fn(); /* now it runs and returns */
    V_EXPECT_OK(vm_unmap(va, 0));
    pmm_free(pa);
    kva_free(va);
}

V_TEST(kernel, vm_rejects_bad_requests)
{
    uintptr_t va = test_page();
    uint64_t pa = pmm_alloc();
    V_ASSERT(va && pa);
    V_EXPECT_STATUS(vm_map(va + 1, pa, VM_WRITE), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vm_map(va, pa + 8, VM_WRITE), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vm_map(0x0000900000000000ull, pa, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vm_map(va, 1ull << 60, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vm_unmap(va, 0), V_ERR_BAD_STATE);   /* not mapped */
    V_EXPECT_STATUS(vm_protect(va, 0), V_ERR_BAD_STATE); /* not mapped */
    V_EXPECT_STATUS(vm_unmap(va + 8, 0), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(vm_map(va, pa, 0));
    V_EXPECT_STATUS(vm_map(va, pa, 0), V_ERR_BAD_STATE); /* twice */
    /* The direct map uses 2 MiB pages: no 4 KiB mapping inside one. */
    V_EXPECT_STATUS(vm_map((uintptr_t)phys_to_virt(0x200000), pa, 0),
                    V_ERR_BAD_STATE);
    V_EXPECT(vm_is_mapped((uintptr_t)phys_to_virt(0x200000)));
    V_EXPECT_OK(vm_unmap(va, 0));
    V_EXPECT_STATUS(vm_unmap(va, 0), V_ERR_BAD_STATE);
    pmm_free(pa);
    kva_free(va);
}

V_TEST(kernel, vm_kernel_image_protections)
{
    extern char __text_start[], __rodata_start[], __data_start[];
    unsigned prot;
    V_ASSERT(vm_query((uintptr_t)__text_start, 0, &prot));
    V_EXPECT_EQ(prot, (unsigned)VM_EXEC);
    V_ASSERT(vm_query((uintptr_t)__rodata_start, 0, &prot));
    V_EXPECT_EQ(prot, (unsigned)VM_READ);
    V_ASSERT(vm_query((uintptr_t)__data_start, 0, &prot));
    V_EXPECT_EQ(prot, (unsigned)VM_WRITE);
    /* Writing to the kernel's code is caught, not silently allowed. */
    uint64_t err = 0;
    V_EXPECT_EQ(fault_at((volatile uint64_t *)__text_start, true, &err),
                (uint64_t)(uintptr_t)__text_start);
    /* Nothing is identity-mapped any more. */
    V_EXPECT(!vm_is_mapped(0x100000));
}

V_TEST(kernel, vm_boot_stack_has_a_guard_page)
{
    extern char boot_stack_guard[], boot_stack_bottom[];
    V_EXPECT(!vm_is_mapped((uintptr_t)boot_stack_guard));
    V_EXPECT(vm_is_mapped((uintptr_t)boot_stack_bottom));
    uint64_t err = 0;
    V_EXPECT_EQ(fault_at((volatile uint64_t *)boot_stack_guard, false, &err),
                (uint64_t)(uintptr_t)boot_stack_guard);
}
