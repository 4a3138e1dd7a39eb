/* Shared by the encoding module's files; not a public interface. */
#ifndef V_ENCODING_INTERNAL_H
#define V_ENCODING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/encoding.h>
#include <v/mem.h>

/* Checks bytes[0..len) is well-formed UTF-8 (Unicode Table 3-7). On
 * V_ERR_MALFORMED, *bad holds the offset of the first bad sequence.
 * One function so the dependency on v_utf8_validate (v/text.h) sits in
 * one place. */
v_status v_enc_utf8_check(const uint8_t *bytes, size_t len, size_t *bad);

/* Whether bytes[0..len) is all ASCII (then also valid UTF-8), by whole
 * words: the last word overlaps the one before rather than ending in a
 * byte loop (most keys and many strings are short). */
static inline bool v_enc_is_ascii(const uint8_t *bytes, size_t len)
{
    uint64_t acc = 0;
    if (len >= 8) {
        uint64_t w;
        for (size_t i = 0; len - i > 8; i += 8) {
            __builtin_memcpy(&w, bytes + i, 8); /* one unaligned load */
            acc |= w;
        }
        __builtin_memcpy(&w, bytes + len - 8, 8);
        acc |= w;
    } else if (len >= 4) {
        uint32_t a, b;
        __builtin_memcpy(&a, bytes, 4);
        __builtin_memcpy(&b, bytes + len - 4, 4);
        acc = a | b;
    } else if (len) {
        acc = bytes[0] | bytes[len / 2] | bytes[len - 1];
    }
    return (acc & 0x8080808080808080ull) == 0;
}

/* Output buffer handling shared by the writers. */
void v_enc_out_init(v_encoding_out *o, void *buf, size_t cap,
                    const v_encoding_sink *sink);
/* Appends n bytes: V_ERR_TRUNCATED without a sink when they do not fit
 * (the part that fits is written), or the sink's error. */
v_status v_enc_out_put(v_encoding_out *o, const void *bytes, size_t n);
v_status v_enc_out_byte(v_encoding_out *o, uint8_t b);
/* The fast path of the writers: where n more bytes can go straight into
 * the buffer, or NULL when they do not fit (then v_enc_out_put). After
 * writing them, v_enc_out_commit. */
static inline uint8_t *v_enc_out_room(v_encoding_out *o, size_t n)
{
    return o->cap - o->len >= n ? o->buf + o->len : NULL;
}
static inline void v_enc_out_commit(v_encoding_out *o, size_t n)
{
    o->len += n;
}
/* Bytes produced since init. */
static inline size_t v_enc_out_total(const v_encoding_out *o)
{
    return o->flushed + o->len;
}
/* Hands pending bytes to the sink (nothing to do without one). */
v_status v_enc_out_flush(v_encoding_out *o);

/* A JSON number split into its parts (json_number.c). */
typedef struct v_enc_number {
    bool neg;
    const char *int_digits;   /* at least one digit, no leading zero */
    size_t int_len;
    const char *frac_digits;  /* NULL when there is no fraction */
    size_t frac_len;
    bool has_exp;
    bool exp_neg;
    const char *exp_digits;   /* at least one digit when has_exp */
    size_t exp_len;
} v_enc_number;

/* V_ERR_MALFORMED unless s[0..len) is exactly one JSON number. */
v_status v_enc_json_split(const char *s, size_t len, v_enc_number *p);

/* Duplicate-key check (json_dupkeys.c): records tok's key in the open
 * object, or fails r with "duplicate key". */
v_status v_enc_json_remember_key(v_json_reader *r, const v_json_token *tok);

#endif
