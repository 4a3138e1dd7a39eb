/* The ELF loader refuses every malformed or hostile image with a reason,
 * and accepts the real user program. Each case starts from the embedded
 * utest image and breaks one thing. */
#include <arch/layout.h>
#include <k/elf.h>
#include <k/heap.h>
#include <k/pmm.h>
#include <k/task.h>
#include <k/user_images.h>
#include <k/vm.h>
#include <v/mem.h>
#include <v/test.h>

#define LIMIT 0x00007fff00000000ull
#define PH(i) (64 + (i) * 56)

static size_t img_len(void)
{
    return user_image_size(user_utest_image, user_utest_image_end);
}

static uint8_t *fresh(void)
{
    uint8_t *b = kmalloc(img_len());
    if (b)
        v_mem_copy(b, user_utest_image, img_len());
    return b;
}

static void put16(uint8_t *b, size_t at, uint16_t v) { v_mem_copy(b + at, &v, 2); }
static void put32(uint8_t *b, size_t at, uint32_t v) { v_mem_copy(b + at, &v, 4); }
static void put64(uint8_t *b, size_t at, uint64_t v) { v_mem_copy(b + at, &v, 8); }
static uint64_t get64(const uint8_t *b, size_t at)
{
    uint64_t v;
    v_mem_copy(&v, b + at, 8);
    return v;
}
static uint32_t get32(const uint8_t *b, size_t at)
{
    uint32_t v;
    v_mem_copy(&v, b + at, 4);
    return v;
}

/* The index of the n-th PT_LOAD, and of the executable one. */
static unsigned nth_load(const uint8_t *b, unsigned n)
{
    uint16_t phnum;
    v_mem_copy(&phnum, b + 56, 2);
    for (unsigned i = 0; i < phnum; i++)
        if (get32(b, PH(i)) == 1 && n-- == 0)
            return i;
    return 0;
}

static unsigned exec_load(const uint8_t *b)
{
    for (unsigned n = 0;; n++) {
        unsigned i = nth_load(b, n);
        if (get32(b, PH(i) + 4) & 1)
            return i;
    }
}

static const char *refusal(const uint8_t *b, size_t len)
{
    elf_image e;
    const char *why = 0;
    v_status st = elf_parse(b, len, LIMIT, &e, &why);
    if (st == V_OK)
        return 0;
    return why ? why : "(no reason)";
}

V_TEST(kernel, elf_accepts_the_user_program)
{
    elf_image e;
    const char *why = "unset";
    V_ASSERT_OK(elf_parse(user_utest_image, img_len(), LIMIT, &e, &why));
    V_EXPECT(why == 0);
    V_EXPECT_GE(e.count, 1u);
    V_EXPECT_GE(e.entry, 0x400000u);
}

/* One broken field per case; every case must be refused with the reason
 * expected (a prefix of it is enough to tell causes apart). */
typedef void (*breaker)(uint8_t *b);

static void b_magic(uint8_t *b) { b[1] = 'X'; }
static void b_class(uint8_t *b) { b[4] = 1; }
static void b_endian(uint8_t *b) { b[5] = 2; }
static void b_version(uint8_t *b) { b[6] = 0; }
static void b_type(uint8_t *b) { put16(b, 16, 3); }
static void b_machine(uint8_t *b) { put16(b, 18, 3); }
static void b_ehsize(uint8_t *b) { put16(b, 52, 52); }
static void b_phentsize(uint8_t *b) { put16(b, 54, 32); }
static void b_phnum0(uint8_t *b) { put16(b, 56, 0); }
static void b_phnum_big(uint8_t *b) { put16(b, 56, 17); }
static void b_phoff_out(uint8_t *b) { put64(b, 32, 0x100000); }
static void b_phoff_wrap(uint8_t *b) { put64(b, 32, ~0ull - 8); }
static void b_filesz(uint8_t *b)
{
    unsigned i = exec_load(b);
    put64(b, PH(i) + 32, get64(b, PH(i) + 40) + 1);
}
static void b_offset_wrap(uint8_t *b) { put64(b, PH(exec_load(b)) + 8, ~0ull - 4); }
static void b_offset_out(uint8_t *b) { put64(b, PH(exec_load(b)) + 8, 0x100000); }
static void b_vaddr_kernel(uint8_t *b)
{
    unsigned i = exec_load(b);
    put64(b, PH(i) + 16, 0xffffffff80001000ull);
    put64(b, 24, 0xffffffff80001000ull);
}
static void b_vaddr_null(uint8_t *b) { put64(b, PH(nth_load(b, 0)) + 16, 0); }
static void b_vaddr_wrap(uint8_t *b)
{
    unsigned i = exec_load(b);
    put64(b, PH(i) + 16, 0x7ffffffff000ull);
    put64(b, PH(i) + 40, ~0ull - 0x1000);
}
static void b_stack_area(uint8_t *b)
{
    unsigned i = exec_load(b);
    put64(b, PH(i) + 16, LIMIT - 0x1000 + (get64(b, PH(i) + 8) & 0xfff));
    put64(b, PH(i) + 40, get64(b, PH(i) + 32) + 0x2000);
}
static void b_wx(uint8_t *b) { put32(b, PH(exec_load(b)) + 4, 7); }
static void b_flags(uint8_t *b) { put32(b, PH(exec_load(b)) + 4, 0x105); }
static void b_interp(uint8_t *b) { put32(b, PH(nth_load(b, 0)), 3); }
static void b_dynamic(uint8_t *b) { put32(b, PH(nth_load(b, 0)), 2); }
static void b_tls(uint8_t *b) { put32(b, PH(nth_load(b, 0)), 7); }
static void b_unknown(uint8_t *b) { put32(b, PH(nth_load(b, 0)), 0x60000000); }
static void b_memsz0(uint8_t *b)
{
    unsigned i = nth_load(b, 0);
    put64(b, PH(i) + 32, 0);
    put64(b, PH(i) + 40, 0);
}
static void b_align(uint8_t *b) { put64(b, PH(exec_load(b)) + 48, 0x1800); }
static void b_congruent(uint8_t *b)
{
    unsigned i = exec_load(b);
    put64(b, PH(i) + 16, get64(b, PH(i) + 16) + 8);
}
static void b_overlap(uint8_t *b)
{
    /* The second load segment moved onto the first's page. */
    put64(b, PH(nth_load(b, 1)) + 16, get64(b, PH(nth_load(b, 0)) + 16));
}
static void b_entry_nonexec(uint8_t *b)
{
    unsigned i = exec_load(b) == nth_load(b, 0) ? nth_load(b, 1)
                                                : nth_load(b, 0);
    put64(b, 24, get64(b, PH(i) + 16));
}
static void b_entry_nowhere(uint8_t *b) { put64(b, 24, 0x10000000); }
static void b_no_load(uint8_t *b)
{
    uint16_t phnum;
    v_mem_copy(&phnum, b + 56, 2);
    for (unsigned i = 0; i < phnum; i++)
        if (get32(b, PH(i)) == 1)
            put32(b, PH(i), 0);
}

static const struct {
    const char *name;
    breaker fn;
    const char *why;
} cases[] = {
    {"magic", b_magic, "not an ELF file"},
    {"class", b_class, "not a 64-bit"},
    {"endian", b_endian, "not little-endian"},
    {"version", b_version, "unknown ELF version"},
    {"type", b_type, "not a static executable"},
    {"machine", b_machine, "not an x86-64"},
    {"ehsize", b_ehsize, "bad ELF header size"},
    {"phentsize", b_phentsize, "bad program header size"},
    {"phnum0", b_phnum0, "no program headers"},
    {"phnum_big", b_phnum_big, "too many program headers"},
    {"phoff_out", b_phoff_out, "program headers lie outside"},
    {"phoff_wrap", b_phoff_wrap, "program headers lie outside"},
    {"filesz", b_filesz, "segment's file size exceeds"},
    {"offset_wrap", b_offset_wrap, "segment lies outside the image"},
    {"offset_out", b_offset_out, "segment lies outside the image"},
    {"vaddr_kernel", b_vaddr_kernel, "segment lies outside the user area"},
    {"vaddr_null", b_vaddr_null, "segment lies outside the user area"},
    {"vaddr_wrap", b_vaddr_wrap, "segment lies outside the user area"},
    {"stack_area", b_stack_area, "segment lies outside the user area"},
    {"wx", b_wx, "segment is both writable and executable"},
    {"flags", b_flags, "segment has unknown flags"},
    {"interp", b_interp, "dynamically linked"},
    {"dynamic", b_dynamic, "dynamically linked"},
    {"tls", b_tls, "thread-local storage"},
    {"unknown", b_unknown, "unknown program header type"},
    {"memsz0", b_memsz0, "loadable segment is empty"},
    {"align", b_align, "segment alignment is not a power of two"},
    {"congruent", b_congruent, "segment address and offset disagree"},
    {"overlap", b_overlap, "segments overlap"},
    {"entry_nonexec", b_entry_nonexec, "entry point is not in an executable"},
    {"entry_nowhere", b_entry_nowhere, "entry point is not in an executable"},
    {"no_load", b_no_load, "no loadable segment"},
};

static void label(char *out, const char *name, const char *text, size_t n)
{
    size_t k = v_cstr_len(name);
    v_mem_copy(out, name, k);
    out[k++] = ':';
    out[k++] = ' ';
    v_mem_copy(out + k, text, n);
    out[k + n] = 0;
}

V_TEST(kernel, elf_refuses_each_malformed_header)
{
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t *b = fresh();
        V_ASSERT(b != 0);
        cases[c].fn(b);
        const char *why = refusal(b, img_len());
        /* Compare "case: reason" against "case: expected prefix", so a
         * failure names its case. */
        char got[96], want[96];
        size_t wn = v_cstr_len(cases[c].why);
        const char *w = why ? why : "(accepted)";
        size_t gn = v_cstr_len(w);
        label(want, cases[c].name, cases[c].why, wn);
        label(got, cases[c].name, w, gn < wn ? gn : wn);
        V_EXPECT_STR_EQ(got, want);
        kfree(b);
    }
}

V_TEST(kernel, elf_refuses_truncated_images)
{
    /* Every length short of the whole image that cuts a header or a
     * segment's bytes is refused; none is read past. */
    V_EXPECT(refusal(user_utest_image, 0) != 0);
    V_EXPECT(refusal(user_utest_image, 63) != 0);
    V_EXPECT(refusal(user_utest_image, 64 + 56) != 0);
    V_EXPECT(refusal(0, 100) != 0);
    uint8_t *b = fresh();
    V_ASSERT(b != 0);
    /* The end of the bytes the image needs: the furthest end of any
     * segment's file bytes (not necessarily the last segment's: a
     * .bss-only segment has none). */
    uint64_t end = 0;
    for (unsigned n = 0;; n++) {
        unsigned i = nth_load(b, n);
        if (n && i == nth_load(b, 0))
            break;
        uint64_t e = get64(b, PH(i) + 8) + get64(b, PH(i) + 32);
        if (get64(b, PH(i) + 32) && e > end)
            end = e;
    }
    V_EXPECT(refusal(b, (size_t)end - 1) != 0);
    V_EXPECT(refusal(b, (size_t)end) == 0);
    kfree(b);
}

V_TEST(kernel, elf_survives_random_corruption)
{
    /* Random bytes over the headers: accepted or refused, never a fault,
     * and anything accepted obeys the rules. */
    uint8_t *b = fresh();
    V_ASSERT(b != 0);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    unsigned accepted = 0;
    for (int round = 0; round < 3000; round++) {
        v_mem_copy(b, user_utest_image, 64 + 16 * 56);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            b[x % (64 + 4 * 56)] = (uint8_t)(x >> 32);
        }
        elf_image e;
        const char *why;
        if (elf_parse(b, img_len(), LIMIT, &e, &why) != V_OK)
            continue;
        accepted++;
        for (unsigned i = 0; i < e.count; i++) {
            V_EXPECT_GE(e.seg[i].vaddr, 0x10000u);
            V_EXPECT_LE(e.seg[i].vaddr + e.seg[i].memsz, LIMIT);
            V_EXPECT_LE(e.seg[i].offset + e.seg[i].filesz, img_len());
            V_EXPECT(e.seg[i].prot != (VM_WRITE | VM_EXEC));
        }
    }
    V_EXPECT_GT(accepted, 0u); /* some flips hit harmless bytes */
    kfree(b);
}

V_TEST(kernel, spawn_refuses_bad_images_and_names_without_leaking)
{
    task *t;
    const char *why;
    uint64_t before = pmm_free_frames();
    uint8_t *b = fresh();
    V_ASSERT(b != 0);
    b_wx(b);
    V_EXPECT_STATUS(task_spawn("bad", b, img_len(), 0, &t, &why),
                    V_ERR_INVALID_ARGS);
    V_EXPECT(why != 0);
    kfree(b);
    const unsigned char *img = user_utest_image;
    size_t len = img_len();
    V_EXPECT_STATUS(task_spawn("", img, len, 0, &t, &why), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(task_spawn("Upper", img, len, 0, &t, &why),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(task_spawn("a-name-that-is-far-too-long-to-keep", img,
                               len, 0, &t, &why), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(task_spawn("x", img, 10, 0, &t, &why), V_ERR_INVALID_ARGS);
    V_EXPECT_EQ(pmm_free_frames(), before);
}
