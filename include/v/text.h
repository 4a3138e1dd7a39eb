/* v/text.h — UTF-8, string slices, a growable string builder, a formatter.
 *
 * All of it is freestanding: no libc, no hidden state, no implicit
 * allocator (only v_strbuf allocates, through the v_alloc it is given).
 *
 * Text in libv is bytes that are meant to be UTF-8. Nothing here assumes
 * NUL termination except where a function says "C string". */
#ifndef V_TEXT_H
#define V_TEXT_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

/* The allocator interface (v/alloc.h); only v_strbuf uses it. */
typedef struct v_alloc v_alloc;

/* ------------------------------------------------------------------ UTF-8 */

/* Largest Unicode scalar value. */
#define V_UTF8_MAX_CODE_POINT 0x10FFFFu
/* Longest UTF-8 encoding of one code point. */
#define V_UTF8_MAX_LEN 4

/* Checks that bytes[0..len) is well-formed UTF-8 exactly as Unicode Table
 * 3-7 defines it: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF, no truncated sequence. Returns V_OK, or V_ERR_MALFORMED
 * with *bad_offset (may be NULL) = offset of the first byte of the first
 * ill-formed or truncated sequence. bytes may be NULL when len == 0. */
v_status v_utf8_validate(const void *bytes, size_t len, size_t *bad_offset);

/* Decodes one code point from the start of bytes[0..len). On V_OK, *cp
 * holds it and *used (may be NULL) its encoded length (1..4). Errors:
 * V_ERR_END when len == 0; V_ERR_MALFORMED when the leading bytes are not
 * a well-formed sequence (including a sequence cut short by len), with
 * *used = the length of the maximal ill-formed prefix (>= 1), so a caller
 * that substitutes U+FFFD and skips *used bytes follows the Unicode
 * "maximal subpart" practice. *cp is untouched on error. */
v_status v_utf8_decode(const void *bytes, size_t len, uint32_t *cp,
                       size_t *used);

/* Encodes cp into out[0..cap). On V_OK *used (may be NULL) holds the
 * length written (1..4). Errors: V_ERR_INVALID_ARGS when cp is a surrogate
 * or above U+10FFFF; V_ERR_TRUNCATED when cap is too small (nothing is
 * written). */
v_status v_utf8_encode(uint32_t cp, void *out, size_t cap, size_t *used);

/* Length of the longest prefix of bytes[0..len) that does not end inside
 * a multi-byte sequence: backs up over at most 3 trailing continuation
 * bytes whose lead byte announces more bytes than remain. Used to cut text
 * on a boundary; never looks before bytes[0]. */
size_t v_utf8_boundary(const void *bytes, size_t len);

/* ----------------------------------------------------------------- slices */

/* A borrowed run of bytes. Never owns its memory; p may be NULL iff len==0. */
typedef struct v_str {
    const char *p;
    size_t len;
} v_str;

/* Slice of a string literal, without its NUL. */
#define V_STR_LIT(s) ((v_str){ "" s, sizeof(s) - 1 })

static inline v_str v_str_make(const void *p, size_t len)
{
    v_str s = { (const char *)p, len };
    return s;
}

/* Slice of a C string (up to its NUL). NULL gives the empty slice. */
v_str v_str_from_cstr(const char *s);
/* Same bytes, same length. */
bool v_str_equal(v_str a, v_str b);
/* Bytewise (unsigned) lexicographic order: <0, 0 or >0. */
int v_str_compare(v_str a, v_str b);
bool v_str_starts_with(v_str s, v_str prefix);
bool v_str_ends_with(v_str s, v_str suffix);
/* Index of the first occurrence of byte c at or after index `from`, or
 * V_STR_NPOS. */
#define V_STR_NPOS ((size_t)-1)
size_t v_str_find_byte(v_str s, unsigned char c, size_t from);
/* Index of the first occurrence of needle at or after `from`, or
 * V_STR_NPOS. An empty needle is found at `from` when from <= s.len. */
size_t v_str_find(v_str s, v_str needle, size_t from);
/* Splits s at index i: *head = s[0..i), *tail = s[i..). Returns
 * V_ERR_OUT_OF_RANGE (outputs untouched) when i > s.len. Either output
 * may be NULL. */
v_status v_str_split_at(v_str s, size_t i, v_str *head, v_str *tail);
/* Sub-slice s[from..from+len), with V_ERR_OUT_OF_RANGE when out of s. */
v_status v_str_sub(v_str s, size_t from, size_t len, v_str *out);
/* Removes ASCII whitespace (space, \t \n \v \f \r) from the ends. */
v_str v_str_trim(v_str s);
v_str v_str_trim_start(v_str s);
v_str v_str_trim_end(v_str s);

/* ---------------------------------------------------------------- builder */

/* A growable byte string. Zero-initialise with V_STRBUF_INIT(alloc) or
 * v_strbuf_init. Invariant: when cap > 0, data[len] == '\0' (so data is
 * always a C string once anything was appended). On any error the builder
 * keeps exactly its previous contents. */
typedef struct v_strbuf {
    v_alloc *alloc;
    char *data;   /* NULL until the first allocation */
    size_t len;   /* bytes of text, excluding the NUL */
    size_t cap;   /* bytes allocated (including room for the NUL) */
} v_strbuf;

#define V_STRBUF_INIT(a) ((v_strbuf){ (a), NULL, 0, 0 })

void v_strbuf_init(v_strbuf *b, v_alloc *alloc);
/* Ensures room for `extra` more bytes of text (plus the NUL) without
 * another allocation. V_ERR_NO_MEMORY on size overflow; an allocator
 * failure returns the allocator's status (NO_MEMORY in practice);
 * V_ERR_INVALID_ARGS when the builder has no allocator. Every append
 * below can fail the same ways. */
v_status v_strbuf_reserve(v_strbuf *b, size_t extra);
v_status v_strbuf_append(v_strbuf *b, const void *bytes, size_t len);
v_status v_strbuf_append_str(v_strbuf *b, v_str s);
v_status v_strbuf_append_cstr(v_strbuf *b, const char *s);
/* Appends one byte. */
v_status v_strbuf_append_char(v_strbuf *b, char c);
/* Appends the UTF-8 encoding of cp (V_ERR_INVALID_ARGS for a non-scalar). */
v_status v_strbuf_append_utf8(v_strbuf *b, uint32_t cp);
/* Appends formatted text (v_fmt syntax). On any error (NO_MEMORY, or the
 * formatter's INVALID_ARGS / NOT_SUPPORTED) nothing is appended. */
v_status v_strbuf_appendf(v_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
v_status v_strbuf_vappendf(v_strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Current contents as a slice (valid until the next modifying call). */
v_str v_strbuf_view(const v_strbuf *b);
/* Empties the text, keeps the allocation. */
void v_strbuf_clear(v_strbuf *b);
/* Frees the allocation; the builder is empty and reusable afterwards. */
void v_strbuf_free(v_strbuf *b);
/* Hands the allocation to the caller: *data receives it (NUL-terminated,
 * allocated with *size bytes and alignment 1 from b->alloc; free it with
 * v_alloc_free(alloc, data, size)), *len the text length. An empty builder
 * that never allocated allocates 1 byte so the result is always a C
 * string; that can fail with V_ERR_NO_MEMORY (builder unchanged). The
 * builder is empty afterwards. */
v_status v_strbuf_take(v_strbuf *b, char **data, size_t *len, size_t *size);

/* -------------------------------------------------------------- formatter */

/* Conversions: %d %i %u %x %X %o %c %s %p %%, flags - 0 + space #, width
 * and precision (digits or *), length modifiers hh h l ll z t j.
 * %s takes a precision (so "%.*s", (int)len, p prints a slice that is not
 * NUL-terminated; a NULL %s prints "(null)"). %c prints one byte.
 * Floating point (%f %F %e %E %g %G %a %A) is not supported: it returns
 * V_ERR_NOT_SUPPORTED, as do %lc and %ls (wide characters). %n is never
 * supported (V_ERR_INVALID_ARGS), nor is L on an integer, a length on
 * %c/%s/%p other than the above, "%%" with anything between the two '%',
 * or any unknown or malformed conversion (all INVALID_ARGS).
 * A width, or a precision of an integer conversion, above V_FMT_MAX_WIDTH
 * is INVALID_ARGS (they would be that many pad bytes); a %s precision is
 * only a limit on bytes read and may be anything up to INT_MAX.
 * %p prints "0x" and lowercase hex digits ("0x0" for NULL); only the '-'
 * flag and a width apply to it. Flags that C leaves undefined for a
 * conversion ('#' with %d, '0' with %s, ...) are ignored, as glibc does.
 * On an error other than TRUNCATED, buf holds whatever was produced
 * before the bad conversion (still NUL-terminated), and *needed is set to
 * that length. buf may be NULL only when cap == 0; with cap == 0 the
 * result is TRUNCATED (there is no room even for the NUL), or the error.
 * A sink's put is never called with len == 0. */
#define V_FMT_MAX_WIDTH 4096

/* Prints a v_str: v_fmt(buf, cap, NULL, "name=" V_STR_FMT, V_STR_ARG(s)).
 * V_STR_ARG evaluates s twice; a slice longer than INT_MAX bytes prints
 * its first INT_MAX bytes. */
#define V_STR_FMT "%.*s"
#define V_STR_ARG(s) \
    (int)((s).len > (size_t)INT_MAX ? (size_t)INT_MAX : (s).len), (s).p

/* Formats into buf[0..cap). Always NUL-terminates when cap > 0. *needed (may be NULL) receives the
   full length of the output excluding the NUL, as snprintf would. Returns V_OK, or V_ERR_TRUNCATED when
   the output did not fit (buf then holds the longest prefix that fits, cut on a UTF-8 boundary). */
v_status v_fmt(char *buf, size_t cap, size_t *needed, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
v_status v_vfmt(char *buf, size_t cap, size_t *needed, const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* Streams formatted output to a sink in pieces; stops at the first sink error and returns it. */
typedef struct v_fmt_sink { v_status (*put)(void *ctx, const char *bytes, size_t len); void *ctx; } v_fmt_sink;
v_status v_fmt_to(const v_fmt_sink *sink, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
v_status v_vfmt_to(const v_fmt_sink *sink, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
