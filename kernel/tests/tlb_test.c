/* TLB shootdown: every CPU caches a translation, the mapping changes on
 * one CPU, and every CPU must see the change at once (a stale TLB entry
 * would let a write through a page made read-only, or a read of a page
 * already unmapped). */
#include <arch/trap.h>
#include <k/kva.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/sched.h>
#include <k/smp.h>
#include <k/tlb.h>
#include <k/vm.h>
#include <v/test.h>

typedef struct probe {
    volatile uint64_t *p;
    uint64_t vector; /* of the fault, 0 if none */
    bool write;
} probe;

static void touch(void *arg)
{
    probe *pr = arg;
    trap_catch c;
    pr->vector = 0;
    if (TRAP_CATCH(&c)) {
        if (pr->write)
            *pr->p += 1;
        else
            (void)*pr->p;
        trap_catch_end(&c);
    } else {
        pr->vector = c.vector;
    }
}

/* Runs touch on every CPU, one after another, and returns how many
 * faulted. */
static unsigned touch_everywhere(volatile uint64_t *p, bool write)
{
    unsigned faults = 0;
    for (unsigned c = 0; c < smp_cpu_count(); c++) {
        probe pr = {p, 0, write};
        thread *t = thread_create_on("probe", touch, &pr, SCHED_PRIO_DEFAULT,
                                     c);
        if (!t)
            return 999;
        thread_join(t);
        faults += pr.vector == 14;
    }
    return faults;
}

V_TEST(kernel, tlb_changes_reach_every_cpu)
{
    unsigned n = smp_cpu_count();
    uintptr_t va = kva_alloc(1);
    uint64_t pa = pmm_alloc_zeroed();
    V_ASSERT(va && pa);
    V_ASSERT_OK(vm_map(va, pa, VM_WRITE));
    volatile uint64_t *p = (volatile uint64_t *)va;

    /* Every CPU writes: each now caches a writable translation. */
    V_EXPECT_EQ(touch_everywhere(p, true), 0u);
    V_EXPECT_EQ(*p, (uint64_t)n);

    uint64_t before = tlb_shootdowns();
    V_ASSERT_OK(vm_protect(va, VM_READ));
    if (n > 1)
        V_EXPECT_GT(tlb_shootdowns(), before);
    V_EXPECT_EQ(touch_everywhere(p, true), n);  /* every write faults */
    V_EXPECT_EQ(touch_everywhere(p, false), 0u); /* reads still work */
    V_EXPECT_EQ(*p, (uint64_t)n);

    V_ASSERT_OK(vm_unmap(va, 0));
    V_EXPECT_EQ(touch_everywhere(p, false), n); /* every read faults */
    pmm_free(pa);
    kva_free(va);
}
