/* The generated corpus of the encoding benchmarks: a deterministic
 * sequence of values ("tape" events) shaped like real records (ids,
 * names and free text with escapes and non-ASCII, short and
 * full-precision decimals, nested objects and arrays). Both sides of a
 * benchmark get the same values: the writers serialise from it (or from
 * a library tree built from it beforehand), the parsers read its text. */
#ifndef BENCH_ENCODING_CORPUS_H
#define BENCH_ENCODING_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum corpus_kind {
    CK_OBJECT_BEGIN,   /* n = members */
    CK_OBJECT_END,
    CK_ARRAY_BEGIN,    /* n = items */
    CK_ARRAY_END,
    CK_KEY,            /* s[0..n) */
    CK_STRING,         /* s[0..n) */
    CK_INT,            /* i */
    CK_DOUBLE,         /* d */
    CK_BOOL,           /* b */
    CK_NULL,
} corpus_kind;

typedef struct corpus_event {
    corpus_kind kind;
    bool b;
    uint32_t n;
    const char *s;
    int64_t i;
    double d;
} corpus_event;

typedef struct corpus {
    corpus_event *ev;
    size_t n_ev;
    char *text;          /* string bytes the events point into */
    size_t n_strings, n_numbers, n_doubles, n_escaped;
} corpus;

/* Builds a top-level array of `records` records. Exits on OOM. */
void corpus_build(corpus *c, size_t records);
void corpus_free(corpus *c);

#endif
