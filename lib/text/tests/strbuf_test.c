/* v_strbuf over a small test allocator that can be told to fail. */
#include <stdio.h>
#include <string.h>
#include <v/alloc.h>
#include <v/mem.h>
#include <v/test.h>
#include <v/text.h>

/* Bump allocator over a static-sized buffer: counts calls, fails the call
 * numbered fail_at (0-based, -1 never) or any request that does not fit.
 * Resize copies to a fresh block (so growth always moves, which catches
 * stale pointers), and frees are tracked so leaks show. */
typedef struct test_alloc {
    v_alloc base;
    unsigned char mem[8192];
    size_t used;
    int calls;
    int fail_at;
    size_t live; /* bytes allocated and not freed */
} test_alloc;

static bool ta_fail(test_alloc *t, size_t size)
{
    return t->calls++ == t->fail_at || size > sizeof t->mem - t->used;
}

static v_status ta_alloc(v_alloc *self, size_t size, size_t align, void **out)
{
    test_alloc *t = (test_alloc *)self;
    if (ta_fail(t, size))
        return V_ERR_NO_MEMORY;
    *out = t->mem + t->used;
    t->used += size;
    t->live += size;
    return V_OK;
}

static v_status ta_resize(v_alloc *self, void *ptr, size_t old_size,
                          size_t new_size, size_t align, void **out)
{
    test_alloc *t = (test_alloc *)self;
    if (ta_fail(t, new_size))
        return V_ERR_NO_MEMORY;
    void *p = t->mem + t->used;
    t->used += new_size;
    v_mem_copy(p, ptr, old_size < new_size ? old_size : new_size);
    v_mem_set(ptr, 0xEE, old_size); /* poison the old block */
    t->live += new_size;
    t->live -= old_size;
    *out = p;
    return V_OK;
}

static void ta_free(v_alloc *self, void *ptr, size_t size)
{
    test_alloc *t = (test_alloc *)self;
    if (ptr)
        t->live -= size;
}

static const v_alloc_ops ta_ops = { ta_alloc, ta_resize, ta_free };

static void ta_init(test_alloc *t, int fail_at)
{
    t->base.ops = &ta_ops;
    t->used = 0;
    t->calls = 0;
    t->fail_at = fail_at;
    t->live = 0;
}

static test_alloc ta; /* tests run one at a time; too big for the stack */

V_TEST(text, strbuf_append_and_view)
{
    ta_init(&ta, -1);
    v_strbuf b = V_STRBUF_INIT(&ta.base);
    V_EXPECT_EQ(v_strbuf_view(&b).len, 0);
    V_EXPECT_OK(v_strbuf_append(&b, "ab", 2));
    V_EXPECT_OK(v_strbuf_append_cstr(&b, "cd"));
    V_EXPECT_OK(v_strbuf_append_cstr(&b, NULL));
    V_EXPECT_OK(v_strbuf_append_str(&b, V_STR_LIT("ef")));
    V_EXPECT_OK(v_strbuf_append_char(&b, 'g'));
    V_EXPECT_OK(v_strbuf_append_utf8(&b, 0x20AC));
    V_EXPECT_STATUS(v_strbuf_append_utf8(&b, 0xD800), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(v_strbuf_appendf(&b, "|%d|%s|", -5, "x"));
    V_EXPECT_STR_EQ(b.data, "abcdefg\xE2\x82\xAC|-5|x|");
    V_EXPECT(v_str_equal(v_strbuf_view(&b),
                         V_STR_LIT("abcdefg\xE2\x82\xAC|-5|x|")));
    /* Many appends grow it; contents survive every move. */
    for (int i = 0; i < 300; i++)
        V_ASSERT_OK(v_strbuf_append_char(&b, (char)('a' + i % 26)));
    V_EXPECT_EQ(b.len, 16 + 300);
    V_EXPECT_EQ(b.data[b.len], 0);
    V_EXPECT_MEM_EQ(b.data + 16, "abcdefghijklmnopqrstuvwxyza", 27);
    V_EXPECT_LT(ta.calls, 20); /* geometric growth, not one per append */
    v_strbuf_clear(&b);
    V_EXPECT_EQ(b.len, 0);
    V_EXPECT_STR_EQ(b.data, "");
    v_strbuf_free(&b);
    V_EXPECT_EQ(ta.live, 0);
    V_EXPECT_NULL(b.data);
    V_EXPECT_OK(v_strbuf_append_cstr(&b, "again")); /* reusable */
    V_EXPECT_STR_EQ(b.data, "again");
    v_strbuf_free(&b);
    V_EXPECT_EQ(ta.live, 0);
}

V_TEST(text, strbuf_self_append)
{
    ta_init(&ta, -1);
    v_strbuf b;
    v_strbuf_init(&b, &ta.base);
    V_ASSERT_OK(v_strbuf_append_cstr(&b, "0123456789abcde")); /* cap 16 */
    for (int i = 0; i < 4; i++) /* each doubling moves the block */
        V_ASSERT_OK(v_strbuf_append(&b, b.data, b.len));
    V_EXPECT_EQ(b.len, 15 * 16);
    for (size_t i = 0; i < b.len; i += 15)
        V_ASSERT_EQ(memcmp(b.data + i, "0123456789abcde", 15), 0);
    v_strbuf_free(&b);
}

V_TEST(text, strbuf_no_memory_keeps_contents)
{
    /* Fail each allocation in turn: every failing call returns NO_MEMORY
     * and leaves exactly the text that was there before it. */
    for (int fail = 0; fail < 8; fail++) {
        ta_init(&ta, fail);
        v_strbuf b = V_STRBUF_INIT(&ta.base);
        char expect[512];
        size_t n = 0;
        for (int i = 0; i < 40; i++) {
            v_status st;
            const char *piece;
            char tmp[32];
            switch (i % 4) {
            case 0: piece = "hello "; st = v_strbuf_append_cstr(&b, piece); break;
            case 1:
                piece = "0123456789012345678901";
                st = v_strbuf_append(&b, piece, strlen(piece));
                break;
            case 2:
                snprintf(tmp, sizeof tmp, "[%d]", i);
                piece = tmp;
                st = v_strbuf_appendf(&b, "[%d]", i);
                break;
            default: piece = "!"; st = v_strbuf_append_char(&b, '!'); break;
            }
            if (st == V_OK) {
                memcpy(expect + n, piece, strlen(piece));
                n += strlen(piece);
            } else {
                V_EXPECT_STATUS(st, V_ERR_NO_MEMORY);
            }
            V_ASSERT_EQ(b.len, n);
            if (b.data) {
                V_ASSERT_EQ(memcmp(b.data, expect, n), 0);
                V_ASSERT_EQ(b.data[n], 0);
            }
        }
        V_EXPECT_GT(ta.calls, fail); /* the failure did happen */
        v_strbuf_free(&b);
        V_EXPECT_EQ(ta.live, 0);
    }
}

V_TEST(text, strbuf_appendf_failure_part_way_rolls_back)
{
    ta_init(&ta, -1);
    v_strbuf b = V_STRBUF_INIT(&ta.base);
    V_ASSERT_OK(v_strbuf_append_cstr(&b, "keep"));
    ta.fail_at = ta.calls + 0; /* the next growth fails */
    /* Width 200 forces growth in the middle of the formatted text. */
    V_EXPECT_STATUS(v_strbuf_appendf(&b, "abc%200d", 1), V_ERR_NO_MEMORY);
    V_EXPECT_STR_EQ(b.data, "keep");
    V_EXPECT_EQ(b.len, 4);
    /* A format error also appends nothing. */
    V_EXPECT_STATUS(v_strbuf_appendf(&b, "xyz%f", 1.0), V_ERR_NOT_SUPPORTED);
    V_EXPECT_STR_EQ(b.data, "keep");
    V_EXPECT_OK(v_strbuf_appendf(&b, "%5d", 42));
    V_EXPECT_STR_EQ(b.data, "keep   42");
    /* Overflowing reservations are NO_MEMORY, not a wrap-around. */
    V_EXPECT_STATUS(v_strbuf_reserve(&b, (size_t)-1), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_strbuf_reserve(&b, (size_t)-1 - 4), V_ERR_NO_MEMORY);
    V_EXPECT_STATUS(v_strbuf_reserve(&b, 100000), V_ERR_NO_MEMORY);
    V_EXPECT_STR_EQ(b.data, "keep   42");
    v_strbuf_free(&b);
    V_EXPECT_EQ(ta.live, 0);
}

V_TEST(text, strbuf_without_allocator)
{
    v_strbuf b = V_STRBUF_INIT(NULL);
    V_EXPECT_STATUS(v_strbuf_append_cstr(&b, "x"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_strbuf_appendf(&b, "%d", 1), V_ERR_INVALID_ARGS);
    V_EXPECT_NULL(b.data);
    V_EXPECT_EQ(b.len, 0);
    v_strbuf_free(&b);
    v_strbuf_clear(&b);
}

V_TEST(text, strbuf_take)
{
    ta_init(&ta, -1);
    v_strbuf b = V_STRBUF_INIT(&ta.base);
    V_ASSERT_OK(v_strbuf_append_cstr(&b, "owned"));
    char *data = NULL;
    size_t len = 0, size = 0;
    V_EXPECT_OK(v_strbuf_take(&b, &data, &len, &size));
    V_EXPECT_STR_EQ(data, "owned");
    V_EXPECT_EQ(len, 5);
    V_EXPECT_GE(size, 6);
    V_EXPECT_NULL(b.data);
    V_EXPECT_EQ(b.len, 0);
    v_alloc_free(&ta.base, data, size);
    V_EXPECT_EQ(ta.live, 0);
    /* Empty builder: take allocates a 1-byte-or-more empty C string. */
    V_EXPECT_OK(v_strbuf_take(&b, &data, &len, &size));
    V_EXPECT_STR_EQ(data, "");
    V_EXPECT_EQ(len, 0);
    v_alloc_free(&ta.base, data, size);
    ta.fail_at = ta.calls;
    V_EXPECT_STATUS(v_strbuf_take(&b, &data, &len, &size), V_ERR_NO_MEMORY);
    V_EXPECT_NULL(b.data);
    V_EXPECT_EQ(ta.live, 0);
}
