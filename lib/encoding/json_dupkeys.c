/* Optional duplicate-key detection for the JSON pull parser.
 *
 * Keys are compared by their decoded bytes, so "a" and "\u0061" are the
 * same key. Each open object owns a run of the caller's slots (its frame
 * says where the run starts); closing the object frees the run. A slot
 * keeps a hash of the decoded key to skip most comparisons, and the raw
 * key's place in the input, so that equal hashes are confirmed by
 * comparing the keys themselves: a hash collision never produces a false
 * "duplicate". */
#include <v/encoding.h>
#include <v/text.h>
#include "internal.h"

/* Walks the decoded bytes of raw key text that the parser validated. */
typedef struct decoded_cursor {
    const uint8_t *s;
    size_t len, i;
    uint8_t buf[4];
    size_t n, k;   /* bytes in buf, bytes of buf handed out */
} decoded_cursor;

static unsigned hex(uint8_t c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

static uint32_t hex4_at(const uint8_t *s)
{
    return hex(s[0]) << 12 | hex(s[1]) << 8 | hex(s[2]) << 4 | hex(s[3]);
}

/* Refills buf with the next decoded character; false at the end. */
static bool refill(decoded_cursor *c)
{
    if (c->i >= c->len)
        return false;
    const uint8_t *s = c->s;
    c->k = 0;
    if (s[c->i] != '\\') {
        c->buf[0] = s[c->i++];
        c->n = 1;
        return true;
    }
    uint8_t e = s[c->i + 1];
    if (e != 'u') {
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        size_t k = 0;
        while (from[k] != (char)e)
            k++;
        c->buf[0] = (uint8_t)to[k];
        c->n = 1;
        c->i += 2;
        return true;
    }
    uint32_t cp = hex4_at(s + c->i + 2);
    c->i += 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4_at(s + c->i + 2) - 0xdc00);
        c->i += 6;
    }
    /* cp is a scalar value (the parser checked the escapes). */
    v_utf8_encode(cp, c->buf, sizeof c->buf, &c->n);
    return true;
}

/* Next decoded byte, or -1 at the end. */
static int next_byte(decoded_cursor *c)
{
    if (c->k == c->n && !refill(c))
        return -1;
    return c->buf[c->k++];
}

static void cursor(decoded_cursor *c, const uint8_t *s, size_t len)
{
    c->s = s;
    c->len = len;
    c->i = c->n = c->k = 0;
}

static uint64_t key_hash(const uint8_t *s, size_t len)
{
    decoded_cursor c;
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    int b;
    cursor(&c, s, len);
    while ((b = next_byte(&c)) >= 0)
        h = (h ^ (uint8_t)b) * 0x100000001b3u;
    return h;
}

static bool same_key(const uint8_t *a, size_t alen, const uint8_t *b,
                     size_t blen)
{
    decoded_cursor x, y;
    int p, q;
    cursor(&x, a, alen);
    cursor(&y, b, blen);
    do {
        p = next_byte(&x);
        q = next_byte(&y);
        if (p != q)
            return false;
    } while (p >= 0);
    return true;
}

v_status v_json_reader_check_duplicates(v_json_reader *r,
                                        v_json_key_slot *slots,
                                        size_t n_slots)
{
    if (!r || (!slots && n_slots))
        return V_ERR_INVALID_ARGS;
    if (r->status != V_OK)
        return r->status;
    if (r->pos != 0 || r->depth != 0)
        return V_ERR_BAD_STATE;
    r->check_keys = true;
    r->keys = slots;
    r->key_cap = n_slots;
    r->key_count = 0;
    return V_OK;
}

v_status v_enc_json_remember_key(v_json_reader *r, const v_json_token *tok)
{
    const uint8_t *raw = (const uint8_t *)tok->text;
    uint64_t h = key_hash(raw, tok->len);
    for (size_t i = r->stack[r->depth - 1].key_start; i < r->key_count; i++) {
        const v_json_key_slot *k = &r->keys[i];
        if (k->hash == h && same_key(r->in + k->offset, k->len, raw, tok->len)) {
            r->status = V_ERR_MALFORMED;
            r->error.offset = tok->offset;
            r->error.reason = "duplicate key";
            return V_ERR_MALFORMED;
        }
    }
    if (r->key_count >= r->key_cap) {
        r->status = V_ERR_LIMIT;
        r->error.offset = tok->offset;
        r->error.reason = "more open keys than duplicate-check slots";
        return V_ERR_LIMIT;
    }
    v_json_key_slot *k = &r->keys[r->key_count++];
    k->hash = h;
    k->offset = (size_t)(raw - r->in);
    k->len = tok->len;
    return V_OK;
}
