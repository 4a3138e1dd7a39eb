/* What the boot loader handed over: the command line, the memory map and
 * the boot module run-tests.sh passes (its bytes must be intact and its
 * frames must never be handed out). */
#include <k/bootinfo.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <v/mem.h>
#include <v/test.h>

static const char module_text[] = "vectra boot module\n";

static bool ends_with(const char *s, const char *tail)
{
    size_t n = v_cstr_len(s), k = v_cstr_len(tail);
    return n >= k && v_mem_equal(s + n - k, tail, k);
}

V_TEST(kernel, boot_command_line_and_map)
{
    V_EXPECT(bootinfo_has_word("test"));
    V_EXPECT(!bootinfo_has_word("tes"));
    V_EXPECT(!bootinfo_has_word("no-such-word"));
    V_EXPECT_GT(g_boot.mmap_count, 1u);
}

V_TEST(kernel, boot_module_is_kept)
{
    V_ASSERT_EQ(g_boot.module_count, 1u);
    const boot_module *m = &g_boot.modules[0];
    V_EXPECT(ends_with(m->name, "test-module.bin"));
    V_EXPECT_EQ(m->end - m->start, sizeof module_text - 1);
    V_EXPECT_EQ(m->start % 4096, 0u); /* page-aligned (multiboot flag 0) */
    V_EXPECT_MEM_EQ(phys_to_virt(m->start), module_text,
                    sizeof module_text - 1);
    /* Take every free frame: none may be the module's. */
    uint64_t head = 0, f;
    bool overlap = false;
    while ((f = pmm_alloc()) != 0) {
        overlap |= f >= (m->start & ~0xfffull) && f < m->end;
        *(uint64_t *)phys_to_virt(f) = head;
        head = f;
    }
    while (head) {
        uint64_t next = *(uint64_t *)phys_to_virt(head);
        pmm_free(head);
        head = next;
    }
    V_EXPECT(!overlap);
    V_EXPECT_MEM_EQ(phys_to_virt(m->start), module_text,
                    sizeof module_text - 1);
}
