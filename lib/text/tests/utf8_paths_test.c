/* The two validators behind v_utf8_validate (the scalar DFA and, where the
 * build targets it, SSE2) against the byte-by-byte decoder and each other:
 * same verdict, same first bad offset, on every length up to a few blocks,
 * every alignment, and every kind of bad sequence at every position. */
#include <v/mem.h>
#include <v/test.h>
#include <v/text.h>

#include "../utf8_internal.h"
#include "../utf8_validate_internal.h"

typedef v_status (*validate_fn)(const unsigned char *, size_t, size_t *);

static v_status reference(const unsigned char *p, size_t n, size_t *bad)
{
    return v_text_utf8_validate_slow(p, n, 0, bad);
}

static v_status public_fn(const unsigned char *p, size_t n, size_t *bad)
{
    return v_utf8_validate(p, n, bad);
}

static const validate_fn paths[] = {
    v_text_utf8_validate_scalar,
#if V_TEXT_UTF8_SSE2
    v_text_utf8_validate_sse2,
#endif
    public_fn,
};

/* (size_t)-1 for valid, else the first bad offset. */
static size_t verdict(validate_fn f, const unsigned char *p, size_t n)
{
    size_t off = 777777;
    v_status st = f(p, n, &off);
    if (st == V_OK)
        return (size_t)-1;
    return st == V_ERR_MALFORMED ? off : (size_t)-2;
}

/* Every path agrees with the reference on p[0..n); false on the first
 * disagreement (after reporting it). */
static bool all_agree(v_test_ctx *v_t, const unsigned char *p, size_t n)
{
    size_t want = verdict(reference, p, n);
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
        if (!V_EXPECT_EQ(verdict(paths[k], p, n), want))
            return false;
    return true;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Valid pieces, including each edge of Table 3-7's narrow rows. */
static const char *const pieces[] = {
    "a", " ", "word ", "\x01", "\x7F", "\xC2\x80", "\xDF\xBF", "\xC3\xA9",
    "\xE0\xA0\x80", "\xE0\xBF\xBF", "\xE1\x80\x80", "\xEC\xBF\xBF",
    "\xED\x80\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
    "\xF0\x90\x80\x80", "\xF0\xBF\xBF\xBF", "\xF1\x80\x80\x80",
    "\xF3\xBF\xBF\xBF", "\xF4\x80\x80\x80", "\xF4\x8F\xBF\xBF",
    "\xe6\x9d\xb1\xe4\xba\xac", "\xf0\x9f\x9a\x80",
};

/* Bad pieces: invalid bytes, overlongs, surrogates, above U+10FFFF,
 * stray and missing continuations. */
static const char *const bad_pieces[] = {
    "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xC2", "\xC2\x41", "\xE0\x80\x80",
    "\xE0\x9F\xBF", "\xE1\x80", "\xE1\x41\x80", "\xED\xA0\x80", "\xED\xBF\xBF",
    "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80",
    "\xF4\xBF\xBF\xBF", "\xF5\x80\x80\x80", "\xF8", "\xFF", "\xF1\x80\x80",
    "\xF1\x80\x41\x80",
};

/* Builds up to cap bytes of random valid pieces into buf. */
static size_t build_valid(unsigned char *buf, size_t cap, uint64_t *rng)
{
    size_t n = 0;
    for (;;) {
        const char *pc = pieces[rng_next(rng) % (sizeof pieces /
                                                 sizeof pieces[0])];
        size_t k = v_cstr_len(pc);
        if (n + k > cap)
            return n;
        v_mem_copy(buf + n, pc, k);
        n += k;
    }
}

V_TEST(text, utf8_paths_agree_on_random_mixed_text)
{
    unsigned char buf[300];
    uint64_t rng = 42;
    for (int round = 0; round < 4000; round++) {
        size_t cap = 1 + rng_next(&rng) % 200;
        size_t n = build_valid(buf, cap, &rng);
        if (!all_agree(v_t, buf, n))
            return;
        /* The same text cut anywhere (often mid-sequence). */
        if (n && !all_agree(v_t, buf, rng_next(&rng) % n))
            return;
        /* One bad piece dropped in at a random piece boundary. */
        const char *bp = bad_pieces[rng_next(&rng) % (sizeof bad_pieces /
                                                      sizeof bad_pieces[0])];
        size_t k = v_cstr_len(bp);
        size_t at = n ? rng_next(&rng) % n : 0;
        if (n + k <= sizeof buf) {
            v_mem_move(buf + at + k, buf + at, n - at);
            v_mem_copy(buf + at, bp, k);
            if (!all_agree(v_t, buf, n + k))
                return;
        }
        /* One random byte overwritten. */
        if (n) {
            buf[rng_next(&rng) % n] = (unsigned char)rng_next(&rng);
            if (!all_agree(v_t, buf, n))
                return;
        }
    }
}

V_TEST(text, utf8_paths_agree_on_every_length_and_position)
{
    /* Valid text of every length 0..150 at four alignments, then each
     * bad piece written over it at every position. */
    unsigned char base[160], buf[168];
    uint64_t rng = 7;
    size_t n = build_valid(base, sizeof base, &rng);
    for (size_t len = 0; len <= 150 && len <= n; len++) {
        for (size_t align = 0; align < 4; align++) {
            v_mem_copy(buf + align, base, len);
            if (!all_agree(v_t, buf + align, len))
                return;
        }
        for (size_t b = 0; b < sizeof bad_pieces / sizeof bad_pieces[0];
             b++) {
            size_t k = v_cstr_len(bad_pieces[b]);
            for (size_t at = 0; at + k <= len; at++) {
                v_mem_copy(buf, base, len);
                v_mem_copy(buf + at, bad_pieces[b], k);
                if (!all_agree(v_t, buf, len))
                    return;
            }
        }
    }
}

V_TEST(text, utf8_paths_agree_on_long_ascii_runs)
{
    /* Pure ASCII long enough for the 64-byte skip, with one non-ASCII
     * piece (good or bad) at every position around the skip's edges. */
    unsigned char buf[300];
    static const char *const probes[] = {
        "\xC3\xA9", "\xE0\xA0\x80", "\xF0\x90\x80\x80", "\x80", "\xC3",
        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x9F\xBF",
    };
    for (size_t len = 60; len <= 200; len += 7) {
        for (size_t pr = 0; pr < sizeof probes / sizeof probes[0]; pr++) {
            size_t k = v_cstr_len(probes[pr]);
            for (size_t at = 0; at + k <= len; at++) {
                v_mem_set(buf, 'x', len);
                v_mem_copy(buf + at, probes[pr], k);
                if (!all_agree(v_t, buf, len))
                    return;
                /* And cut just after it: truncated at the end. */
                if (k > 1 && !all_agree(v_t, buf, at + k - 1))
                    return;
            }
        }
    }
}
