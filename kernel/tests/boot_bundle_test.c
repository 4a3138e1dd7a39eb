/* The boot Bundle check (k/boot_bundle.h) on Bundles built here by hand:
 * the kernel only inspects structure, so no signature is needed. The
 * whole boot path (module, Region, first Task) is checked by booting the
 * normal image: kernel/run-boot.sh. */
#include <k/boot_bundle.h>
#include <v/mem.h>
#include <v/test.h>

#define PAGE 4096u

static uint8_t bundle_buf[2 * PAGE];

static void st(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

/* One entry `name` of `size` bytes (0xab each); returns the length. */
static size_t one_entry(const char *name, uint64_t size)
{
    uint8_t *b = bundle_buf;
    size_t nlen = v_cstr_len(name);
    uint64_t manifest = 64 + 64 + nlen;
    uint64_t total = PAGE + (size + PAGE - 1) / PAGE * PAGE;
    v_mem_set(b, 0, sizeof bundle_buf);
    v_mem_copy(b, "VBUNDLE", 8);
    st(b + 8, 1, 4);            /* version */
    st(b + 16, 1, 4);           /* count */
    st(b + 20, nlen, 4);        /* names_size */
    st(b + 24, manifest, 8);
    st(b + 32, PAGE, 8);        /* data_offset */
    st(b + 40, total, 8);
    uint8_t *r = b + 64;
    st(r + 4, nlen, 2);         /* name_len; name_offset 0 */
    st(r + 8, PAGE, 8);         /* offset */
    st(r + 16, size, 8);
    v_mem_copy(b + 128, name, nlen);
    v_mem_set(b + PAGE, 0xab, (size_t)size);
    return (size_t)total;
}

V_TEST(kernel, boot_bundle_finds_init)
{
    v_bundle_entry e;
    const char *why = 0;
    size_t len = one_entry(BOOT_INIT_ENTRY, 100);
    V_ASSERT_OK(boot_bundle_check(bundle_buf, len, &e, &why));
    V_EXPECT_EQ(e.size, 100u);
    V_EXPECT_EQ(e.offset, PAGE);
    V_EXPECT(e.data == bundle_buf + PAGE);
}

V_TEST(kernel, boot_bundle_refuses_with_a_reason)
{
    v_bundle_entry e;
    const char *why = 0;
    size_t len = one_entry("boot/other", 100);
    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, len, &e, &why),
                    V_ERR_OUT_OF_RANGE);
    V_EXPECT_STR_EQ(why, "it has no boot/init entry (the first Task)");

    len = one_entry(BOOT_INIT_ENTRY, 0);
    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, len, &e, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(why, "its boot/init entry is empty");

    len = one_entry(BOOT_INIT_ENTRY, 100);
    bundle_buf[0] = 'X';
    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, len, &e, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(why, v_bundle_reason_text(V_BUNDLE_BAD_MAGIC));

    len = one_entry(BOOT_INIT_ENTRY, 100);
    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, PAGE, &e, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(why, v_bundle_reason_text(V_BUNDLE_TRUNCATED));

    bundle_buf[PAGE + 100] = 1; /* padding after the entry */
    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, len, &e, &why),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(why, v_bundle_reason_text(V_BUNDLE_BAD_PADDING));

    V_EXPECT_STATUS(boot_bundle_check(bundle_buf, 10, &e, &why),
                    V_ERR_MALFORMED);
}
