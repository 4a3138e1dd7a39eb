/* Cross-checks of libv encoding against cJSON and msgpack-c (hosted
 * test code, linked with both libraries). Every library's view of a
 * document is turned into one plain value tree (xval) and the trees are
 * compared, so "means the same" has one definition (xval_equal). */
#ifndef V_ENCODING_CROSS_H
#define V_ENCODING_CROSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum xval_kind {
    XV_NULL,
    XV_BOOL,
    XV_UINT,      /* a non-negative integer (u) */
    XV_INT,       /* a negative integer (i) */
    XV_F64,       /* d */
    XV_F32,       /* f (msgpack only) */
    XV_NUMTEXT,   /* JSON number text no C type holds exactly (s); d is
                     its double when has_double */
    XV_STR,       /* s[0..len) */
    XV_BIN,       /* msgpack only */
    XV_EXT,       /* msgpack only: ext_type, s[0..len) */
    XV_ARRAY,     /* items[0..n) */
    XV_OBJECT,    /* items[0..n), each with key/key_len */
} xval_kind;

typedef struct xval {
    xval_kind kind;
    bool b;
    bool has_double;
    int8_t ext_type;
    uint64_t u;
    int64_t i;
    double d;
    float f;
    char *s;
    size_t len;
    char *key;        /* set on members of an object */
    size_t key_len;
    struct xval *items;
    size_t n;
} xval;

/* How two trees are compared. */
typedef struct xval_rules {
    /* Every number is compared as the double it denotes (cJSON keeps
     * nothing else); otherwise kinds and exact values must agree. */
    bool numbers_as_double;
    /* An integer equals a double of the same value (JSON: libv writes
     * 3.0 as "3", which reads back as an integer). */
    bool int_vs_double;
    /* -0.0 and 0.0 count as equal (cJSON prints -0.0 as "0"). */
    bool ignore_zero_sign;
    /* Strings are compared up to their first NUL (cJSON strings are C
     * strings). */
    bool strings_to_nul;
} xval_rules;

/* What a generated document may contain. */
typedef struct xgen_profile {
    bool allow_nul;        /* NUL bytes inside strings and keys */
    bool msgpack_only;     /* bin, ext and float32 values */
    bool ints_as_double;   /* only integers a double holds exactly */
    bool allow_neg_zero;
    unsigned max_depth;
} xgen_profile;

typedef struct xrng {
    uint64_t s;
} xrng;

uint64_t xrng_next(xrng *g);
uint64_t xrng_below(xrng *g, uint64_t n);

/* A random document: numbers of every size and form, strings with
 * escapes, controls and non-ASCII, nesting. Free with xval_free. */
xval xgen_value(xrng *g, const xgen_profile *p);

void xval_free(xval *v);
bool xval_equal(const xval *a, const xval *b, const xval_rules *r);
/* Appends a member/item to a container; returns it. */
xval *xval_push(xval *container);
char *xdup(const void *s, size_t len);

/* libv's side (ours.c). Writers return a malloc'd buffer or NULL. */
char *ours_json_write(const xval *v, size_t *len);
uint8_t *ours_msgpack_write(const xval *v, size_t *len);
/* Parsers return false when libv rejects the document. */
bool ours_json_read(const char *s, size_t len, xval *out);
bool ours_msgpack_read(const uint8_t *s, size_t len, xval *out);

#endif
