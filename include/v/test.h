/* v/test.h — the test harness. Freestanding: the same tests run hosted and
 * inside the native kernel.
 *
 *     V_TEST(text, utf8_rejects_overlong) {
 *         V_EXPECT_EQ(v_utf8_validate(s, n, &bad), V_ERR_MALFORMED);
 *         V_EXPECT_EQ(bad, 0);
 *     }
 *
 * V_TEST places a descriptor in the `v_test_cases` linker section, so tests
 * register themselves: no hand-kept list. Test names are "module.name".
 * V_EXPECT_* record a failure (with file:line and both values) and carry on;
 * V_ASSERT_* also return from the test body at once. Both are usable only
 * directly inside a V_TEST body (they use its hidden context `v_t`);
 * helpers take a `v_test_ctx *v_t` parameter to use them. */
#ifndef V_TEST_H
#define V_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

typedef struct v_test_ctx v_test_ctx;

typedef struct v_test_case {
    const char *module;
    const char *name;
    void (*fn)(v_test_ctx *v_t);
    const char *file;
    int line;
} v_test_case;

/* Where the harness writes. The platform supplies it: stdout hosted, the
 * serial console in the kernel. */
typedef struct v_test_output {
    void (*write)(void *ctx, const char *bytes, size_t len);
    void *ctx;
} v_test_output;

typedef struct v_test_options {
    v_test_output out;
    /* Which tests to run: each filter is "module.name" (exact), "module"
     * (every test of the module) or a prefix ending in '*'. None = all.
     * A filter that matches no test is itself reported as a failure, so a
     * typo can never turn into a green run. */
    const char *const *filters;
    size_t filter_count;
    bool list_only;       /* print names, run nothing */
    const char *suite;    /* optional prefix for the summary line */
} v_test_options;

typedef struct v_test_summary {
    unsigned passed;
    unsigned failed;
} v_test_summary;

/* Runs the selected tests; each prints one line ("pass NAME" or
 * "FAIL NAME"), failures preceded by their details. Ends with the line
 * "N passed, N failed" (or "SUITE: N passed, N failed"). Returns true when
 * nothing failed. */
bool v_test_run(const v_test_options *opts, v_test_summary *summary);

/* ---- writing tests ---- */

#define V_TEST(mod, name)                                                   \
    static void v_test_fn_##mod##__##name(v_test_ctx *v_t);                 \
    static const v_test_case v_test_case_##mod##__##name = {                \
        #mod, #name, v_test_fn_##mod##__##name, __FILE__, __LINE__};        \
    __attribute__((used, section("v_test_cases")))                          \
    static const v_test_case *const v_test_ptr_##mod##__##name =            \
        &v_test_case_##mod##__##name;                                       \
    static void v_test_fn_##mod##__##name(v_test_ctx *v_t)

/* A value of any integer type, compared mathematically (so a negative
 * signed value never equals a large unsigned one). */
typedef struct v_test_int {
    bool is_signed;
    union { int64_t s; uint64_t u; } v;
} v_test_int;

static inline v_test_int v_test_int_s(int64_t x)
{
    v_test_int r = {true, {.s = x}};
    return r;
}
static inline v_test_int v_test_int_u(uint64_t x)
{
    v_test_int r = {false, {.u = x}};
    return r;
}
#define V_TEST_INT(x) _Generic((x),                                         \
    bool: v_test_int_u, unsigned char: v_test_int_u,                        \
    unsigned short: v_test_int_u, unsigned int: v_test_int_u,               \
    unsigned long: v_test_int_u, unsigned long long: v_test_int_u,          \
    default: v_test_int_s)(x)

enum v_test_cmp { V_TEST_EQ, V_TEST_NE, V_TEST_LT, V_TEST_LE, V_TEST_GT,
                  V_TEST_GE };

bool v_test_check(v_test_ctx *t, bool ok, const char *file, int line,
                  const char *expr);
bool v_test_check_int(v_test_ctx *t, enum v_test_cmp cmp, v_test_int a,
                      v_test_int b, const char *file, int line,
                      const char *a_expr, const char *b_expr);
bool v_test_check_str(v_test_ctx *t, const char *a, const char *b,
                      const char *file, int line, const char *a_expr,
                      const char *b_expr);
bool v_test_check_mem(v_test_ctx *t, const void *a, const void *b, size_t n,
                      const char *file, int line, const char *a_expr,
                      const char *b_expr);
bool v_test_check_status(v_test_ctx *t, v_status got, v_status want,
                         const char *file, int line, const char *expr);
bool v_test_check_ptr(v_test_ctx *t, bool want_equal, const void *a,
                      const void *b, const char *file, int line,
                      const char *a_expr, const char *b_expr);
/* Prints a note line under the current test (shown only if it fails). */
void v_test_note(v_test_ctx *t, const char *text);

#define V_TEST_CMP_(cmp, a, b) \
    v_test_check_int(v_t, cmp, V_TEST_INT(a), V_TEST_INT(b), __FILE__,      \
                     __LINE__, #a, #b)

#define V_EXPECT(cond) v_test_check(v_t, (cond) ? true : false, __FILE__,   \
                                    __LINE__, #cond)
#define V_EXPECT_EQ(a, b) V_TEST_CMP_(V_TEST_EQ, a, b)
#define V_EXPECT_NE(a, b) V_TEST_CMP_(V_TEST_NE, a, b)
#define V_EXPECT_LT(a, b) V_TEST_CMP_(V_TEST_LT, a, b)
#define V_EXPECT_LE(a, b) V_TEST_CMP_(V_TEST_LE, a, b)
#define V_EXPECT_GT(a, b) V_TEST_CMP_(V_TEST_GT, a, b)
#define V_EXPECT_GE(a, b) V_TEST_CMP_(V_TEST_GE, a, b)
#define V_EXPECT_STR_EQ(a, b) \
    v_test_check_str(v_t, (a), (b), __FILE__, __LINE__, #a, #b)
#define V_EXPECT_MEM_EQ(a, b, n) \
    v_test_check_mem(v_t, (a), (b), (n), __FILE__, __LINE__, #a, #b)
#define V_EXPECT_STATUS(expr, want) \
    v_test_check_status(v_t, (expr), (want), __FILE__, __LINE__, #expr)
#define V_EXPECT_OK(expr) V_EXPECT_STATUS(expr, V_OK)
#define V_EXPECT_PTR_EQ(a, b) \
    v_test_check_ptr(v_t, true, (a), (b), __FILE__, __LINE__, #a, #b)
#define V_EXPECT_PTR_NE(a, b) \
    v_test_check_ptr(v_t, false, (a), (b), __FILE__, __LINE__, #a, #b)
#define V_EXPECT_NULL(p) V_EXPECT_PTR_EQ((const void *)(p), (const void *)0)
#define V_EXPECT_NOT_NULL(p) \
    V_EXPECT_PTR_NE((const void *)(p), (const void *)0)

#define V_ASSERT(cond) do { if (!V_EXPECT(cond)) return; } while (0)
#define V_ASSERT_EQ(a, b) do { if (!V_EXPECT_EQ(a, b)) return; } while (0)
#define V_ASSERT_NE(a, b) do { if (!V_EXPECT_NE(a, b)) return; } while (0)
#define V_ASSERT_OK(expr) do { if (!V_EXPECT_OK(expr)) return; } while (0)
#define V_ASSERT_STATUS(expr, want) \
    do { if (!V_EXPECT_STATUS(expr, want)) return; } while (0)
#define V_ASSERT_NOT_NULL(p) do { if (!V_EXPECT_NOT_NULL(p)) return; } while (0)

#endif
