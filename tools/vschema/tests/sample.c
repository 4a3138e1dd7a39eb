/* sample.c — see sample.h. */
#include <stdlib.h>
#include <string.h>

#include "sample.h"

/* Fills a list field with 0..max values from gen. */
#define SOME_LIST(r, field, max, gen)                                     \
    do {                                                                  \
        (field).count = below((r), (max) + 1);                            \
        (field).items = (field).count                                     \
            ? take((r), (field).count * sizeof *(field).items) : NULL;    \
        for (size_t i_ = 0; i_ < (field).count; i_++)                     \
            (field).items[i_] = (gen);                                    \
    } while (0)

/* ---- an allocator that counts, and fails on request ---- */

static v_status ta_alloc(v_alloc *self, size_t size, size_t align,
                         void **out)
{
    test_alloc *t = (test_alloc *)self;
    if (t->fail_after == 0)
        return V_ERR_NO_MEMORY;
    if (t->fail_after > 0)
        t->fail_after--;
    if (size == 0 || align > 16)
        return V_ERR_INVALID_ARGS;
    *out = malloc(size);
    if (!*out)
        return V_ERR_NO_MEMORY;
    t->live_bytes += size;
    t->live_blocks++;
    return V_OK;
}

static v_status ta_resize(v_alloc *self, void *ptr, size_t old_size,
                          size_t new_size, size_t align, void **out)
{
    (void)self; (void)ptr; (void)old_size; (void)new_size; (void)align;
    (void)out;
    return V_ERR_NOT_SUPPORTED;
}

static void ta_free(v_alloc *self, void *ptr, size_t size)
{
    test_alloc *t = (test_alloc *)self;
    if (!ptr)
        return;
    t->live_bytes -= size;
    t->live_blocks--;
    free(ptr);
}

static const v_alloc_ops ta_ops = {ta_alloc, ta_resize, ta_free};

test_alloc ta_make(void)
{
    test_alloc t = {{&ta_ops}, 0, 0, -1};
    return t;
}

/* ---- random values ---- */


uint64_t rnd(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

uint64_t below(rng *r, uint64_t n)
{
    return rnd(r) % n;
}

void *take(rng *r, size_t n)
{
    void *p = NULL;
    if (v_alloc_bytes(r->a, n, 16, &p) != V_OK)
        abort();
    return p;
}

/* Interesting integers more often than uniform ones. */
uint64_t some_u64(rng *r)
{
    static const uint64_t edges[] = {0, 1, 127, 128, 255, 256, 16383, 16384,
                                     65535, 65536, UINT32_MAX,
                                     (uint64_t)UINT32_MAX + 1,
                                     INT64_MAX, (uint64_t)INT64_MAX + 1,
                                     UINT64_MAX - 1, UINT64_MAX};
    if (below(r, 2))
        return edges[below(r, sizeof edges / sizeof edges[0])];
    return rnd(r) >> below(r, 64);
}

double some_f64(rng *r)
{
    static const double edges[] = {0.0, -0.0, 1.0, -1.5, 1e308, -1e-308,
                                   5e-324, __builtin_inf(), -__builtin_inf()};
    if (below(r, 2))
        return edges[below(r, sizeof edges / sizeof edges[0])];
    union { uint64_t u; double d; } b = {rnd(r)};
    if (b.d != b.d)
        b.d = 42.0; /* NaN is not a value */
    return b.d;
}

/* Valid UTF-8 of at most max bytes: ASCII, 2-, 3- and 4-byte forms. */
v_schema_str some_str(rng *r, size_t max)
{
    static const char *const pieces[] = {"a", "Z", "\x00", "\xc3\xa9",
                                         "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    static const size_t lens[] = {1, 1, 1, 2, 3, 4};
    v_schema_str s = {NULL, 0};
    size_t want = below(r, max + 1);
    if (want == 0)
        return s;
    char *p = take(r, max);
    size_t n = 0;
    while (n < want) {
        size_t k = below(r, 6);
        if (n + lens[k] > want)
            k = 0;
        memcpy(p + n, pieces[k], lens[k]);
        n += lens[k];
    }
    /* Give back exactly n bytes' worth: reallocate at the exact size so
     * that the generated free (which passes len) matches. */
    char *exact = take(r, n);
    memcpy(exact, p, n);
    v_alloc_free(r->a, p, max);
    s.ptr = exact;
    s.len = n;
    return s;
}

v_schema_bytes some_bytes(rng *r, size_t max)
{
    v_schema_bytes b = {NULL, below(r, max + 1)};
    if (b.len) {
        uint8_t *p = take(r, b.len);
        for (size_t i = 0; i < b.len; i++)
            p[i] = (uint8_t)rnd(r);
        b.ptr = p;
    }
    return b;
}

vstest_all_Color some_color(rng *r)
{
    static const vstest_all_Color c[] = {VSTEST_ALL_COLOR_RED,
                                         VSTEST_ALL_COLOR_GREEN,
                                         VSTEST_ALL_COLOR_BLUE};
    return c[below(r, 3)];
}

vstest_all_Point some_point(rng *r)
{
    vstest_all_Point p = {(int32_t)some_u64(r), (int32_t)some_u64(r)};
    return p;
}


vstest_all_Shape some_shape(rng *r)
{
    vstest_all_Shape s;
    memset(&s, 0, sizeof s);
    s.tag = (vstest_all_Shape_tag)(1 + below(r, 6));
    switch (s.tag) {
    case VSTEST_ALL_SHAPE_DOT: s.u.dot = some_point(r); break;
    case VSTEST_ALL_SHAPE_RADIUS: s.u.radius = some_f64(r); break;
    case VSTEST_ALL_SHAPE_LABEL: s.u.label = some_str(r, 16); break;
    case VSTEST_ALL_SHAPE_CORNERS:
        s.u.corners[0] = some_point(r);
        s.u.corners[1] = some_point(r);
        break;
    case VSTEST_ALL_SHAPE_MANY:
        SOME_LIST(r, s.u.many, 4, (uint16_t)some_u64(r));
        break;
    default: break;
    }
    return s;
}

vstest_all_Scalars some_scalars(rng *r)
{
    vstest_all_Scalars s;
    memset(&s, 0, sizeof s);
    s.flag = below(r, 2);
    s.a = (uint8_t)some_u64(r);
    s.b = (uint16_t)some_u64(r);
    s.c = (uint32_t)some_u64(r);
    s.d = some_u64(r);
    s.e = (int8_t)some_u64(r);
    s.f = (int16_t)some_u64(r);
    s.g = (int32_t)some_u64(r);
    s.h = (int64_t)some_u64(r);
    s.r = some_f64(r);
    s.color = some_color(r);
    return s;
}

void some_all(rng *r, vstest_all_All *v)
{
    memset(v, 0, sizeof *v);
    v->scalars = some_scalars(r);
    v->name = some_str(r, 32);
    v->blob = some_bytes(r, 8);
    for (size_t i = 0; i < 3; i++)
        v->fixed[i] = (uint8_t)rnd(r);
    SOME_LIST(r, v->words, 4, some_str(r, 5));
    SOME_LIST(r, v->points, 3, some_point(r));
    if ((v->has_note = below(r, 2)))
        v->note = some_str(r, 10);
    if ((v->has_maybe = below(r, 2)))
        v->maybe = (int64_t)some_u64(r);
    v->shape = some_shape(r);
    SOME_LIST(r, v->shapes, 2, some_shape(r));
    v->colors[0] = some_color(r);
    v->colors[1] = some_color(r);
    v->part.id = (uint32_t)some_u64(r);
    {
        v_schema_bytes t = some_bytes(r, 4);
        v->part.tag = t;
    }
    if ((v->has_sub = below(r, 2)))
        v->sub = some_point(r);
    SOME_LIST(r, v->reals, 2, some_f64(r));
    SOME_LIST(r, v->flags, 3, (bool)below(r, 2));
    v->big = some_u64(r);
}

void some_transfer(rng *r, vstest_all_Transfer *v)
{
    memset(v, 0, sizeof *v);
    uint32_t slot = 0;
    v->ring.slot = slot++;
    if ((v->has_region = below(r, 2)))
        v->region.slot = slot++;
    SOME_LIST(r, v->more, 3, (v_schema_handle){0});
    for (size_t i = 0; i < v->more.count; i++)
        v->more.items[i].slot = slot++;
    some_all(r, &v->data);
}

