/* Bench: UTF-8 validation throughput, v_utf8_validate vs glib's
 * g_utf8_validate, on the same two ~1 MiB texts in the same run:
 *  - ascii: English prose (pure ASCII), the common case for logs, paths,
 *    protocol text;
 *  - mixed: sentences cycling through English, accented Latin, Greek,
 *    Cyrillic, CJK and emoji, so 1- to 4-byte sequences all occur and the
 *    script changes every sentence.
 * Both texts are generated deterministically (a fixed LCG picks words).
 * Both sides must say the text is valid; each is timed over the whole
 * buffer, median of repeats after warm-up. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v/text.h>

#include "bench.h"

#define TEXT_BYTES (1u << 20)

static uint32_t lcg_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static const char *const english[] = {
    "the", "system", "kernel", "memory", "handle", "process", "of", "and",
    "a", "to", "in", "is", "that", "for", "it", "with", "as", "was", "on",
    "be", "at", "by", "this", "had", "not", "are", "but", "from", "or",
    "have", "an", "they", "which", "one", "you", "were", "her", "all",
    "she", "there", "would", "their", "we", "him", "been", "has", "when",
    "who", "will", "more", "no", "if", "out", "so", "said", "what", "up",
    "its", "about", "into", "than", "them", "can", "only", "other", "new",
};
static const char *const latin[] = {
    "caf\xc3\xa9", "na\xc3\xafve", "\xc3\xa0", "fa\xc3\xa7" "ade", "\xc3\xbc" "ber",
    "Stra\xc3\x9f" "e", "se\xc3\xb1or", "co\xc3\xb6perate", "\xc3\xa9t\xc3\xa9",
    "\xc5\x82\xc3\xb3" "d\xc5\xba", "pr\xc3\xadli\xc5\xa1", "d\xc3\xa9j\xc3\xa0",
};
static const char *const greek[] = {
    "\xce\xba\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1",
    "\xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5", "\xce\xbb\xcf\x8c\xce\xb3\xce\xbf\xcf\x82",
    "\xce\xba\xce\xb1\xce\xb9", "\xcf\x84\xce\xbf",
};
static const char *const cyrillic[] = {
    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "\xd0\xbc\xd0\xb8\xd1\x80",
    "\xd1\x8f\xd0\xb4\xd1\x80\xd0\xbe", "\xd0\xbf\xd0\xb0\xd0\xbc\xd1\x8f\xd1\x82\xd1\x8c",
    "\xd0\xb8",
};
static const char *const cjk[] = {
    "\xe4\xb8\xad\xe6\x96\x87", "\xe5\x86\x85\xe6\xa0\xb8", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
    "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf",
    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "\xe8\xa8\x98\xe6\x86\xb6",
};
static const char *const emoji[] = {
    "\xf0\x9f\x98\x80", "\xf0\x9f\x9a\x80", "\xf0\x9f\x8c\x8d", "\xe2\x9c\x85",
    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
};

typedef struct words {
    const char *const *w;
    size_t n;
    const char *space;  /* between words: CJK uses none */
    const char *stop;   /* sentence end */
} words;

#define WORDS(a, sp, st) { a, sizeof a / sizeof a[0], sp, st }

static void append(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n > TEXT_BYTES)
        return;
    memcpy(buf + *len, s, n);
    *len += n;
}

/* Sentences of 6..17 words from the given scripts in turn, until full.
 * Stops short of TEXT_BYTES rather than split a character. */
static size_t make_text(char *buf, const words *scripts, size_t nscripts)
{
    uint32_t seed = 12345;
    size_t len = 0, k = 0;
    while (len + 64 < TEXT_BYTES) {
        const words *s = &scripts[k++ % nscripts];
        size_t nw = 6 + lcg_next(&seed) % 12;
        for (size_t i = 0; i < nw; i++) {
            if (i)
                append(buf, &len, s->space);
            append(buf, &len, s->w[lcg_next(&seed) % s->n]);
        }
        append(buf, &len, s->stop);
        append(buf, &len, lcg_next(&seed) % 5 ? " " : "\n");
    }
    return len;
}

typedef struct job {
    const char *text;
    size_t len;
} job;

static void run_ours(void *arg)
{
    job *j = arg;
    size_t bad = 0;
    if (v_utf8_validate(j->text, j->len, &bad) != V_OK) {
        fprintf(stderr, "ours rejected the text at %zu\n", bad);
        exit(1);
    }
}

static void run_glib(void *arg)
{
    job *j = arg;
    const gchar *end = NULL;
    if (!g_utf8_validate(j->text, (gssize)j->len, &end)) {
        fprintf(stderr, "glib rejected the text\n");
        exit(1);
    }
    bench_consume((uint64_t)(uintptr_t)end);
}

static void bench_one(const char *name, const char *text, size_t len)
{
    job j = { text, len };
    double ours = bench_median_ns(run_ours, &j, 5, 41);
    double glib = bench_median_ns(run_glib, &j, 5, 41);
    bench_report(name, "MB/s", bench_mb_per_s(len, ours), "glib",
                 bench_mb_per_s(len, glib));
}

int main(void)
{
    char *ascii = malloc(TEXT_BYTES), *mixed = malloc(TEXT_BYTES);
    if (!ascii || !mixed)
        return 1;
    static const words english_only[] = { WORDS(english, " ", ".") };
    static const words all[] = {
        WORDS(english, " ", "."), WORDS(latin, " ", "."),
        WORDS(greek, " ", "."), WORDS(cyrillic, " ", "."),
        WORDS(cjk, "", "\xe3\x80\x82"), WORDS(emoji, " ", "!"),
    };
    size_t na = make_text(ascii, english_only, 1);
    size_t nm = make_text(mixed, all, sizeof all / sizeof all[0]);
    size_t multi = 0;
    for (size_t i = 0; i < nm; i++)
        multi += (unsigned char)mixed[i] >= 0x80;
    printf("# utf8: peer: glib %u.%u.%u g_utf8_validate, the distribution's "
           "build (scalar C, baseline x86-64)\n",
           glib_major_version, glib_minor_version, glib_micro_version);
    printf("# utf8: ours: SSE2 16-byte blocks (GCC vector extensions; the "
           "kernel build uses the scalar DFA), ASCII skipped 64 bytes per "
           "test, -O2 baseline x86-64\n");
    printf("# utf8: ascii text %zu bytes; mixed text %zu bytes, %.0f%% of "
           "bytes non-ASCII\n", na, nm, 100.0 * (double)multi / (double)nm);
    bench_one("utf8_validate_ascii", ascii, na);
    bench_one("utf8_validate_mixed", mixed, nm);
    free(ascii);
    free(mixed);
    return 0;
}
