/* The encoding benchmarks' corpus (see encoding_corpus.h). */
#include "encoding_corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    corpus *c;
    size_t cap_ev;
    size_t text_len, text_cap;
    uint64_t rng;
} builder;

static uint64_t next(builder *b)
{
    uint64_t z = (b->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t below(builder *b, uint64_t n)
{
    return next(b) % n;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    while (*cap < need)
        *cap = *cap ? 2 * *cap : 1024;
    p = realloc(p, *cap * size);
    if (!p) {
        fprintf(stderr, "corpus: out of memory\n");
        exit(1);
    }
    return p;
}

static corpus_event *ev(builder *b, corpus_kind k)
{
    corpus *c = b->c;
    c->ev = grow(c->ev, &b->cap_ev, c->n_ev + 1, sizeof *c->ev);
    corpus_event *e = &c->ev[c->n_ev++];
    memset(e, 0, sizeof *e);
    e->kind = k;
    return e;
}

static void put_text(builder *b, const char *s, size_t n)
{
    b->c->text = grow(b->c->text, &b->text_cap, b->text_len + n, 1);
    memcpy(b->c->text + b->text_len, s, n);
    b->text_len += n;
}

/* Strings are appended to the text arena; the event keeps the offset in
 * i until corpus_build fixes up the pointers. */
static void str_event(builder *b, corpus_kind k, const char *s, size_t n)
{
    corpus_event *e = ev(b, k);
    e->i = (int64_t)b->text_len;
    e->n = (uint32_t)n;
    put_text(b, s, n);
    if (k == CK_STRING)
        b->c->n_strings++;
}

static void key(builder *b, const char *k)
{
    str_event(b, CK_KEY, k, strlen(k));
}

static const char *const words[] = {
    "alpha", "beta", "gamma", "delta", "kernel", "ring", "object", "node",
    "vectra", "schema", "capability", "handle", "message", "log", "record",
    "z\xc3\xbcrich", "caf\xc3\xa9", "\xe6\x9d\xb1\xe4\xba\xac",
    "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", "\xf0\x9f\x9a\x80",
};

/* Free text: words, with now and then a character JSON must escape. */
static void text_value(builder *b, size_t words_n)
{
    char buf[1024];
    size_t o = 0;
    bool escaped = false;
    for (size_t w = 0; w < words_n && o < sizeof buf - 40; w++) {
        const char *word = words[below(b, sizeof words / sizeof words[0])];
        size_t n = strlen(word);
        memcpy(buf + o, word, n);
        o += n;
        switch (below(b, 12)) {
        case 0: buf[o++] = '\n'; escaped = true; break;
        case 1: buf[o++] = '"'; escaped = true; break;
        case 2: buf[o++] = '\\'; escaped = true; break;
        case 3: buf[o++] = '\t'; escaped = true; break;
        case 4: buf[o++] = 0x01; escaped = true; break;
        case 5: buf[o++] = '/'; break;
        default: buf[o++] = ' ';
        }
    }
    b->c->n_escaped += escaped;
    str_event(b, CK_STRING, buf, o);
}

static void int_value(builder *b, int64_t v)
{
    ev(b, CK_INT)->i = v;
    b->c->n_numbers++;
}

/* Mostly decimals as people write them (two or three places), some at
 * full precision (measurements, ratios). */
static void double_value(builder *b)
{
    double d;
    if (below(b, 10) < 7)
        d = (double)((int64_t)below(b, 2000000) - 1000000) /
            (below(b, 2) ? 100.0 : 1000.0);
    else
        d = (double)(next(b) >> 11) / 9007199254740992.0 *
            (double)(1 + below(b, 1000));
    ev(b, CK_DOUBLE)->d = d;
    b->c->n_numbers++;
    b->c->n_doubles++;
}

static void record(builder *b, uint64_t id)
{
    ev(b, CK_OBJECT_BEGIN)->n = 9;
    key(b, "id");
    int_value(b, (int64_t)id);
    key(b, "name");
    text_value(b, 1 + below(b, 3));
    key(b, "active");
    ev(b, CK_BOOL)->b = below(b, 2);
    key(b, "parent");
    if (below(b, 3) == 0)
        ev(b, CK_NULL);
    else
        int_value(b, (int64_t)below(b, id + 1));
    key(b, "score");
    double_value(b);
    key(b, "position");
    ev(b, CK_OBJECT_BEGIN)->n = 3;
    key(b, "x");
    double_value(b);
    key(b, "y");
    double_value(b);
    key(b, "t");
    int_value(b, 1700000000000 + (int64_t)below(b, 100000000));
    ev(b, CK_OBJECT_END);
    key(b, "tags");
    uint32_t n = (uint32_t)below(b, 6);
    ev(b, CK_ARRAY_BEGIN)->n = n;
    for (uint32_t k = 0; k < n; k++)
        text_value(b, 1);
    ev(b, CK_ARRAY_END);
    key(b, "samples");
    n = (uint32_t)below(b, 10);
    ev(b, CK_ARRAY_BEGIN)->n = n;
    for (uint32_t k = 0; k < n; k++)
        int_value(b, (int64_t)below(b, 2000000) - 1000000);
    ev(b, CK_ARRAY_END);
    key(b, "note");
    text_value(b, below(b, 4) == 0 ? 10 + below(b, 40) : below(b, 6));
    ev(b, CK_OBJECT_END);
}

void corpus_build(corpus *c, size_t records)
{
    builder b = {.c = c, .rng = 0x636f72707573};
    memset(c, 0, sizeof *c);
    ev(&b, CK_ARRAY_BEGIN)->n = (uint32_t)records;
    for (size_t r = 0; r < records; r++)
        record(&b, 1000 + r);
    ev(&b, CK_ARRAY_END);
    for (size_t k = 0; k < c->n_ev; k++)
        if (c->ev[k].kind == CK_KEY || c->ev[k].kind == CK_STRING)
            c->ev[k].s = c->text + c->ev[k].i;
}

void corpus_free(corpus *c)
{
    free(c->ev);
    free(c->text);
    memset(c, 0, sizeof *c);
}
