/* The test harness core. Freestanding: it formats its own numbers and
 * writes through the platform's v_test_output, so the kernel can run the
 * same tests over its serial console.
 *
 * Tests are found through the `v_test_cases` section, which holds one
 * pointer per V_TEST. GNU linkers define __start_/__stop_ symbols for any
 * section whose name is a C identifier; the kernel's linker script defines
 * them by hand. Pointers (not the descriptors themselves) go in the section
 * so that sanitizer redzones around descriptors cannot break the stride. */
#include <v/test.h>
#include <v/mem.h>

extern const v_test_case *const __start_v_test_cases[] __attribute__((weak));
extern const v_test_case *const __stop_v_test_cases[] __attribute__((weak));

struct v_test_ctx {
    const v_test_output *out;
    const v_test_case *current;
    unsigned failures;   /* failed expectations in the current test */
};

static void put(const v_test_output *o, const char *s)
{
    o->write(o->ctx, s, v_cstr_len(s));
}

static void put_u64(const v_test_output *o, uint64_t x)
{
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    o->write(o->ctx, buf + i, sizeof buf - i);
}

static void put_int(const v_test_output *o, v_test_int x)
{
    if (x.is_signed && x.v.s < 0) {
        put(o, "-");
        put_u64(o, (uint64_t)0 - (uint64_t)x.v.s);
    } else {
        put_u64(o, x.v.u);
    }
}

static void put_hex(const v_test_output *o, uint64_t x, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char buf[16];
    for (int i = digits - 1; i >= 0; i--) {
        buf[i] = hex[x & 15];
        x >>= 4;
    }
    o->write(o->ctx, buf, (size_t)digits);
}

/* A string shown with escapes, so that control bytes and quotes in a
 * mismatch are visible rather than garbling the log. */
static void put_quoted(const v_test_output *o, const char *s)
{
    if (!s) {
        put(o, "NULL");
        return;
    }
    put(o, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            o->write(o->ctx, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            put(o, "\\x");
            put_hex(o, c, 2);
        } else {
            o->write(o->ctx, (const char *)&c, 1);
        }
    }
    put(o, "\"");
}

static void fail_head(v_test_ctx *t, const char *file, int line)
{
    t->failures++;
    put(t->out, "  ");
    put(t->out, file);
    put(t->out, ":");
    put_u64(t->out, (uint64_t)line);
    put(t->out, ": ");
}

bool v_test_check(v_test_ctx *t, bool ok, const char *file, int line,
                  const char *expr)
{
    if (ok)
        return true;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, expr);
    put(t->out, "\n");
    return false;
}

static int int_order(v_test_int a, v_test_int b)
{
    bool a_neg = a.is_signed && a.v.s < 0;
    bool b_neg = b.is_signed && b.v.s < 0;
    if (a_neg != b_neg)
        return a_neg ? -1 : 1;
    if (a_neg)
        return (a.v.s > b.v.s) - (a.v.s < b.v.s);
    return (a.v.u > b.v.u) - (a.v.u < b.v.u);
}

bool v_test_check_int(v_test_ctx *t, enum v_test_cmp cmp, v_test_int a,
                      v_test_int b, const char *file, int line,
                      const char *a_expr, const char *b_expr)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    int order = int_order(a, b);
    bool ok = false;
    switch (cmp) {
    case V_TEST_EQ: ok = order == 0; break;
    case V_TEST_NE: ok = order != 0; break;
    case V_TEST_LT: ok = order < 0; break;
    case V_TEST_LE: ok = order <= 0; break;
    case V_TEST_GT: ok = order > 0; break;
    case V_TEST_GE: ok = order >= 0; break;
    }
    if (ok)
        return true;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, a_expr);
    put(t->out, " ");
    put(t->out, ops[cmp]);
    put(t->out, " ");
    put(t->out, b_expr);
    put(t->out, ", got ");
    put_int(t->out, a);
    put(t->out, " and ");
    put_int(t->out, b);
    put(t->out, "\n");
    return false;
}

bool v_test_check_str(v_test_ctx *t, const char *a, const char *b,
                      const char *file, int line, const char *a_expr,
                      const char *b_expr)
{
    if (a && b && v_cstr_compare(a, b) == 0)
        return true;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, a_expr);
    put(t->out, " == ");
    put(t->out, b_expr);
    put(t->out, ", got ");
    put_quoted(t->out, a);
    put(t->out, " and ");
    put_quoted(t->out, b);
    put(t->out, "\n");
    return false;
}

static void put_bytes_at(const v_test_output *o, const unsigned char *p,
                         size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        put(o, " ");
        put_hex(o, p[i], 2);
    }
}

bool v_test_check_mem(v_test_ctx *t, const void *a, const void *b, size_t n,
                      const char *file, int line, const char *a_expr,
                      const char *b_expr)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    while (i < n && x[i] == y[i])
        i++;
    if (i == n)
        return true;
    size_t from = i >= 8 ? i - 8 : 0;
    size_t to = n - i > 8 ? i + 8 : n;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, a_expr);
    put(t->out, " and ");
    put(t->out, b_expr);
    put(t->out, " to hold the same ");
    put_u64(t->out, n);
    put(t->out, " bytes; first difference at offset ");
    put_u64(t->out, i);
    put(t->out, "\n    bytes ");
    put_u64(t->out, from);
    put(t->out, "..");
    put_u64(t->out, to);
    put(t->out, " of a:");
    put_bytes_at(t->out, x, from, to);
    put(t->out, "\n    bytes ");
    put_u64(t->out, from);
    put(t->out, "..");
    put_u64(t->out, to);
    put(t->out, " of b:");
    put_bytes_at(t->out, y, from, to);
    put(t->out, "\n");
    return false;
}

bool v_test_check_status(v_test_ctx *t, v_status got, v_status want,
                         const char *file, int line, const char *expr)
{
    if (got == want)
        return true;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, expr);
    put(t->out, " to return ");
    put(t->out, v_status_name(want));
    put(t->out, ", got ");
    put(t->out, v_status_name(got));
    put(t->out, " (");
    put_int(t->out, v_test_int_s(got));
    put(t->out, ")\n");
    return false;
}

bool v_test_check_ptr(v_test_ctx *t, bool want_equal, const void *a,
                      const void *b, const char *file, int line,
                      const char *a_expr, const char *b_expr)
{
    if ((a == b) == want_equal)
        return true;
    fail_head(t, file, line);
    put(t->out, "expected ");
    put(t->out, a_expr);
    put(t->out, want_equal ? " == " : " != ");
    put(t->out, b_expr);
    put(t->out, ", got 0x");
    put_hex(t->out, (uint64_t)(uintptr_t)a, 16);
    put(t->out, " and 0x");
    put_hex(t->out, (uint64_t)(uintptr_t)b, 16);
    put(t->out, "\n");
    return false;
}

void v_test_note(v_test_ctx *t, const char *text)
{
    put(t->out, "  note: ");
    put(t->out, text);
    put(t->out, "\n");
}

/* ---- selection and running ---- */

static bool module_is(const v_test_case *c, const char *f)
{
    return v_cstr_compare(c->module, f) == 0;
}

/* "module.name" compared without building the joined string. */
static bool full_name_is(const v_test_case *c, const char *f)
{
    size_t m = v_cstr_len(c->module);
    return v_mem_equal(c->module, f, m) && f[m] == '.' &&
           v_cstr_compare(c->name, f + m + 1) == 0;
}

/* Prefix ending in '*', matched against "module.name". */
static bool prefix_matches(const v_test_case *c, const char *f)
{
    size_t n = v_cstr_len(f);
    if (n == 0 || f[n - 1] != '*')
        return false;
    n--;
    size_t m = v_cstr_len(c->module);
    if (n <= m)
        return v_mem_equal(c->module, f, n);
    if (!v_mem_equal(c->module, f, m) || f[m] != '.')
        return false;
    size_t rest = n - m - 1;
    return v_cstr_len(c->name) >= rest && v_mem_equal(c->name, f + m + 1, rest);
}

static bool filter_matches(const v_test_case *c, const char *f)
{
    return module_is(c, f) || full_name_is(c, f) || prefix_matches(c, f);
}

static bool selected(const v_test_options *o, const v_test_case *c)
{
    if (o->filter_count == 0)
        return true;
    for (size_t i = 0; i < o->filter_count; i++) {
        if (filter_matches(c, o->filters[i]))
            return true;
    }
    return false;
}

/* Source order: by file name, then line. Compilers lay the section out in
 * link order but may reverse the tests within a file; running them as they
 * are written makes a log easy to follow. Finding each successor by a scan
 * is quadratic, which is nothing next to running the tests, and needs no
 * memory (the table itself is read-only). */
static int case_order(const v_test_case *a, const v_test_case *b)
{
    int f = a->file == b->file ? 0 : v_cstr_compare(a->file, b->file);
    if (f)
        return f;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a == b ? 0 : ((uintptr_t)a < (uintptr_t)b ? -1 : 1);
}

static const v_test_case *next_case(const v_test_case *const *begin,
                                    const v_test_case *const *end,
                                    const v_test_case *after)
{
    const v_test_case *best = 0;
    for (const v_test_case *const *p = begin; p < end; p++) {
        if (after && case_order(*p, after) <= 0)
            continue;
        if (!best || case_order(*p, best) < 0)
            best = *p;
    }
    return best;
}

static void put_name(const v_test_output *o, const v_test_case *c)
{
    put(o, c->module);
    put(o, ".");
    put(o, c->name);
}

bool v_test_run(const v_test_options *opts, v_test_summary *summary)
{
    const v_test_output *out = &opts->out;
    v_test_summary sum = {0, 0};
    const v_test_case *const *begin = __start_v_test_cases;
    const v_test_case *const *end = __stop_v_test_cases;
    if (!begin || !end)
        begin = end = 0;

    for (const v_test_case *c = next_case(begin, end, 0); c;
         c = next_case(begin, end, c)) {
        if (!selected(opts, c))
            continue;
        if (opts->list_only) {
            put_name(out, c);
            put(out, "\n");
            continue;
        }
        v_test_ctx ctx = {out, c, 0};
        c->fn(&ctx);
        if (ctx.failures == 0) {
            sum.passed++;
            put(out, "pass ");
        } else {
            sum.failed++;
            put(out, "FAIL ");
        }
        put_name(out, c);
        put(out, "\n");
    }

    for (size_t i = 0; i < opts->filter_count; i++) {
        bool hit = false;
        for (const v_test_case *const *p = begin; p < end && !hit; p++)
            hit = filter_matches(*p, opts->filters[i]);
        if (!hit) {
            sum.failed++;
            put(out, "FAIL no test matches '");
            put(out, opts->filters[i]);
            put(out, "'\n");
        }
    }

    if (!opts->list_only) {
        if (opts->suite) {
            put(out, opts->suite);
            put(out, ": ");
        }
        put_u64(out, sum.passed);
        put(out, " passed, ");
        put_u64(out, sum.failed);
        put(out, " failed\n");
    }
    if (summary)
        *summary = sum;
    return sum.failed == 0;
}
