/* The value tree of the cross-checks: generation, comparison, freeing.
 * Deterministic (a fixed-seed splitmix64), so every run checks the same
 * documents and a failure can be replayed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cross.h"

uint64_t xrng_next(xrng *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t xrng_below(xrng *g, uint64_t n)
{
    return n ? xrng_next(g) % n : 0;
}

char *xdup(const void *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        abort();
    if (len)
        memcpy(p, s, len);
    p[len] = 0;
    return p;
}

xval *xval_push(xval *c)
{
    if ((c->n & (c->n - 1)) == 0) { /* grow at powers of two */
        size_t cap = c->n ? 2 * c->n : 1;
        c->items = realloc(c->items, cap * sizeof *c->items);
        if (!c->items)
            abort();
    }
    xval *v = &c->items[c->n++];
    memset(v, 0, sizeof *v);
    return v;
}

void xval_free(xval *v)
{
    for (size_t k = 0; k < v->n; k++)
        xval_free(&v->items[k]);
    free(v->items);
    free(v->s);
    free(v->key);
    memset(v, 0, sizeof *v);
}

/* Appends the UTF-8 of code point cp to buf. */
static size_t put_utf8(char *b, uint32_t cp)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    b[0] = (char)(0xf0 | cp >> 18);
    b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    b[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A string mixing plain ASCII, characters JSON must escape, and 2-, 3-
 * and 4-byte UTF-8 (no surrogates). */
static char *gen_string(xrng *g, const xgen_profile *p, size_t *len)
{
    size_t n = xrng_below(g, 4) == 0 ? xrng_below(g, 300) : xrng_below(g, 24);
    char *s = malloc(4 * n + 1);
    size_t o = 0;
    if (!s)
        abort();
    for (size_t k = 0; k < n; k++) {
        uint32_t cp;
        switch (xrng_below(g, 8)) {
        case 0:
            cp = (uint32_t)xrng_below(g, 0x20); /* controls */
            break;
        case 1:
            cp = "\"\\/\x7f"[xrng_below(g, 4)];
            break;
        case 2:
            cp = 0x80 + (uint32_t)xrng_below(g, 0x780);
            break;
        case 3:
            cp = 0x800 + (uint32_t)xrng_below(g, 0xf800 - 0x800);
            if (cp >= 0xd800)
                cp += 0x800; /* skip the surrogates */
            break;
        case 4:
            cp = 0x10000 + (uint32_t)xrng_below(g, 0x100000);
            break;
        default:
            cp = 0x20 + (uint32_t)xrng_below(g, 0x5f);
        }
        if (cp == 0 && !p->allow_nul)
            cp = '0';
        o += put_utf8(s + o, cp);
    }
    s[o] = 0;
    *len = o;
    return s;
}

static double gen_double(xrng *g, const xgen_profile *p)
{
    double d;
    switch (xrng_below(g, 6)) {
    case 0: { /* any finite bit pattern: subnormals, extremes */
        uint64_t bits;
        do
            bits = xrng_next(g);
        while ((bits >> 52 & 0x7ff) == 0x7ff);
        memcpy(&d, &bits, sizeof d);
        break;
    }
    case 1: /* a decimal with a few places, as people write them */
        d = (double)((int64_t)xrng_below(g, 2000000) - 1000000) / 1000.0;
        break;
    case 2: /* a small or large power-of-ten scale */
        d = (double)xrng_below(g, 100000) *
            pow(10.0, (double)((int)xrng_below(g, 80) - 40));
        break;
    case 3:
        d = (double)(int64_t)(xrng_next(g) >> xrng_below(g, 64));
        break;
    case 4:
        /* below 2^53 * 2^970 = 2^1023: always finite */
        d = ldexp((double)(xrng_next(g) >> 11), (int)xrng_below(g, 2070) - 1100);
        break;
    default:
        d = (double)xrng_below(g, 1000) / 8.0;
    }
    if (xrng_below(g, 2))
        d = -d;
    if (d == 0 && !p->allow_neg_zero)
        d = 0.0;
    return d;
}

static void gen_integer(xrng *g, const xgen_profile *p, xval *v)
{
    uint64_t m = xrng_next(g) >> xrng_below(g, 64);
    if (xrng_below(g, 8) == 0) /* the boundaries */
        m = (uint64_t[]){0, 1, INT64_MAX, (uint64_t)INT64_MAX + 1,
                         UINT64_MAX, 127, 128, 255, 256, 65535, 65536,
                         UINT32_MAX, (uint64_t)UINT32_MAX + 1}[xrng_below(g, 13)];
    if (p->ints_as_double)
        m &= (1ull << 53) - 1;
    bool neg = xrng_below(g, 2) && m != 0 && m <= (uint64_t)INT64_MAX + 1;
    if (neg) {
        v->kind = XV_INT;
        v->i = (int64_t)(0 - m);
    } else {
        v->kind = XV_UINT;
        v->u = m;
    }
}

static void gen_into(xrng *g, const xgen_profile *p, unsigned depth, xval *v)
{
    unsigned pick = (unsigned)xrng_below(g, depth < p->max_depth ? 14 : 10);
    switch (pick) {
    case 0:
        v->kind = XV_NULL;
        return;
    case 1:
        v->kind = XV_BOOL;
        v->b = xrng_below(g, 2);
        return;
    case 2:
    case 3:
        gen_integer(g, p, v);
        return;
    case 4:
    case 5:
        v->kind = XV_F64;
        v->d = gen_double(g, p);
        return;
    case 6:
        if (p->msgpack_only) {
            unsigned k = (unsigned)xrng_below(g, 3);
            v->kind = k == 0 ? XV_F32 : k == 1 ? XV_BIN : XV_EXT;
            if (v->kind == XV_F32) {
                v->f = (float)gen_double(g, p);
                if (isinf(v->f))
                    v->f = 1.5f;
                return;
            }
            v->len = (size_t)xrng_below(g, 20);
            if (xrng_below(g, 8) == 0)
                v->len = 256 + (size_t)xrng_below(g, 70000);
            v->s = malloc(v->len + 1);
            for (size_t k2 = 0; k2 < v->len; k2++)
                v->s[k2] = (char)xrng_next(g);
            v->ext_type = (int8_t)xrng_next(g);
            return;
        }
        /* fall through */
    case 7:
    case 8:
    case 9:
        v->kind = XV_STR;
        v->s = gen_string(g, p, &v->len);
        return;
    default: {
        v->kind = pick < 12 ? XV_ARRAY : XV_OBJECT;
        size_t n = xrng_below(g, 8) == 0 ? xrng_below(g, 40) : xrng_below(g, 6);
        for (size_t k = 0; k < n; k++) {
            xval *c = xval_push(v);
            if (v->kind == XV_OBJECT)
                c->key = gen_string(g, p, &c->key_len);
            gen_into(g, p, depth + 1, c);
        }
    }
    }
}

xval xgen_value(xrng *g, const xgen_profile *p)
{
    xval v;
    memset(&v, 0, sizeof v);
    gen_into(g, p, 0, &v);
    return v;
}

/* The double a number denotes, if it has one. */
static bool as_double(const xval *v, double *d)
{
    switch (v->kind) {
    case XV_UINT: *d = (double)v->u; return true;
    case XV_INT: *d = (double)v->i; return true;
    case XV_F64: *d = v->d; return true;
    case XV_F32: *d = v->f; return true;
    case XV_NUMTEXT: *d = v->d; return v->has_double;
    default: return false;
    }
}

static bool is_number(const xval *v)
{
    return v->kind == XV_UINT || v->kind == XV_INT || v->kind == XV_F64 ||
           v->kind == XV_F32 || v->kind == XV_NUMTEXT;
}

static bool bytes_equal(const char *a, size_t an, const char *b, size_t bn,
                        const xval_rules *r)
{
    if (r->strings_to_nul) {
        const char *z = memchr(a, 0, an);
        if (z)
            an = (size_t)(z - a);
        z = memchr(b, 0, bn);
        if (z)
            bn = (size_t)(z - b);
    }
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static bool same_double(double x, double y, const xval_rules *r)
{
    if (x != x || y != y)
        return x != x && y != y;
    if (x == 0 && y == 0 && !r->ignore_zero_sign)
        return signbit(x) == signbit(y);
    return x == y;
}

bool xval_equal(const xval *a, const xval *b, const xval_rules *r)
{
    if (is_number(a) && is_number(b) &&
        (r->numbers_as_double || a->kind != b->kind)) {
        bool a_int = a->kind == XV_UINT || a->kind == XV_INT;
        bool b_int = b->kind == XV_UINT || b->kind == XV_INT;
        if (!r->numbers_as_double && a->kind != XV_NUMTEXT &&
            b->kind != XV_NUMTEXT && (a_int == b_int || !r->int_vs_double))
            return false;
        double x, y;
        if (!as_double(a, &x) || !as_double(b, &y))
            return false;
        return same_double(x, y, r);
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case XV_NULL: return true;
    case XV_BOOL: return a->b == b->b;
    case XV_UINT: return a->u == b->u;
    case XV_INT: return a->i == b->i;
    case XV_F64: return same_double(a->d, b->d, r);
    case XV_F32: return same_double(a->f, b->f, r);
    case XV_NUMTEXT:
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    case XV_STR:
    case XV_BIN:
        return bytes_equal(a->s, a->len, b->s, b->len, r);
    case XV_EXT:
        return a->ext_type == b->ext_type &&
               bytes_equal(a->s, a->len, b->s, b->len, r);
    case XV_ARRAY:
    case XV_OBJECT:
        if (a->n != b->n)
            return false;
        for (size_t k = 0; k < a->n; k++) {
            if (a->kind == XV_OBJECT &&
                !bytes_equal(a->items[k].key, a->items[k].key_len,
                             b->items[k].key, b->items[k].key_len, r))
                return false;
            if (!xval_equal(&a->items[k], &b->items[k], r))
                return false;
        }
        return true;
    }
    return false;
}
