/* JSON pull parser: an explicit state machine, one token per call.
 *
 * Nesting lives in the caller's frame array, so the deepest input the
 * parser accepts is exactly lim.max_depth and no input can make it
 * recurse. Strings are validated in place and returned as slices; their
 * decoded length is computed on the way so callers can size a buffer
 * (or reject the string) before unescaping. */
#include <v/encoding.h>
#include "internal.h"

enum {
    ST_VALUE,        /* a value must come: document start, after ':' or
                        after ',' in an array */
    ST_ARRAY_FIRST,  /* after '[': a value or ']' */
    ST_OBJECT_FIRST, /* after '{': a member name or '}' */
    ST_KEY,          /* after ',' in an object: a member name */
    ST_COLON,        /* after a member name */
    ST_AFTER,        /* after a value: ',' or a close, or end of input */
};

static v_status fail(v_json_reader *r, v_status s, size_t offset,
                     const char *reason)
{
    r->status = s;
    r->error.offset = offset;
    r->error.reason = reason;
    return s;
}

v_status v_json_reader_init(v_json_reader *r, const void *input, size_t len,
                            const v_json_limits *lim, v_json_frame *stack)
{
    if (!r || !lim || (!input && len) || (!stack && lim->max_depth))
        return V_ERR_INVALID_ARGS;
    r->in = input;
    r->len = len;
    r->pos = 0;
    r->lim = *lim;
    r->stack = stack;
    r->depth = 0;
    r->state = ST_VALUE;
    r->check_keys = false;
    r->keys = NULL;
    r->key_cap = 0;
    r->key_count = 0;
    r->status = V_OK;
    r->error.offset = 0;
    r->error.reason = NULL;
    if (len > lim->max_input)
        return fail(r, V_ERR_LIMIT, lim->max_input,
                    "document longer than max_input");
    return V_OK;
}

static void skip_ws(v_json_reader *r)
{
    const uint8_t *in = r->in;
    size_t i = r->pos, n = r->len;
    while (i < n && (in[i] == ' ' || in[i] == '\n' || in[i] == '\t' ||
                     in[i] == '\r'))
        i++;
    r->pos = i;
}

static v_status eof(v_json_reader *r)
{
    return fail(r, V_ERR_MALFORMED, r->len, "unexpected end of input");
}

static int hex_value(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Four hex digits at in[i..i+4), or -1 (-2 if input ends first). */
static int32_t hex4(const uint8_t *in, size_t len, size_t i)
{
    int32_t v = 0;
    for (size_t k = 0; k < 4; k++) {
        if (i + k >= len)
            return -2;
        int h = hex_value(in[i + k]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The string whose opening quote is at r->pos. */
static v_status scan_string(v_json_reader *r, v_json_token *tok)
{
    const uint8_t *in = r->in;
    size_t len = r->len, start = r->pos, i = start + 1;
    size_t decoded = 0, max = r->lim.max_string;
    bool escapes = false, non_ascii = false;
    for (;;) {
        /* Eight plain bytes at a time while there is no quote, backslash
         * or control byte among them (boolean SWAR tests; exact). */
        while (len - i >= 8 && decoded <= max) {
            uint64_t w;
            __builtin_memcpy(&w, in + i, 8);
            uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
            uint64_t special = ((q - ONES) & ~q) | ((b - ONES) & ~b) |
                               ((w - ONES * 0x20) & ~w);
            if (special & HIGHS)
                break;
            non_ascii |= (w & HIGHS) != 0;
            i += 8;
            decoded += 8;
        }
        if (decoded > max)
            return fail(r, V_ERR_LIMIT, start, "string longer than max_string");
        if (i >= len)
            return eof(r);
        uint8_t c = in[i];
        if (c == '"')
            break;
        if (c >= 0x20 && c != '\\') {
            non_ascii |= c >= 0x80;
            decoded++;
            i++;
            continue;
        }
        if (c < 0x20)
            return fail(r, V_ERR_MALFORMED, i,
                        "control character in string (must be escaped)");
        escapes = true;
        if (i + 1 >= len)
            return eof(r);
        switch (in[i + 1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n':
        case 'r': case 't':
            decoded++;
            i += 2;
            continue;
        case 'u':
            break;
        default:
            return fail(r, V_ERR_MALFORMED, i, "invalid escape");
        }
        int32_t cp = hex4(in, len, i + 2);
        if (cp == -2)
            return eof(r);
        if (cp < 0)
            return fail(r, V_ERR_MALFORMED, i, "\\u needs four hex digits");
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return fail(r, V_ERR_MALFORMED, i,
                        "unpaired low surrogate escape");
        if (cp >= 0xd800 && cp <= 0xdbff) {
            /* Only a \u escape of a low surrogate may follow. Decide as
             * soon as the bytes allow, so a short input that is wrong
             * anyway is reported as wrong, not as truncated. */
            size_t j = i + 6;
            int32_t lo = -1;
            if (j < len && in[j] == '\\') {
                if (j + 1 >= len)
                    return eof(r);
                if (in[j + 1] == 'u')
                    lo = hex4(in, len, j + 2);
            } else if (j >= len) {
                return eof(r);
            }
            if (lo == -2)
                return eof(r);
            if (lo < 0xdc00 || lo > 0xdfff)
                return fail(r, V_ERR_MALFORMED, i,
                            "unpaired high surrogate escape");
            decoded += 4;
            i += 12;
        } else {
            decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            i += 6;
        }
    }
    size_t bad;
    if (non_ascii &&
        v_enc_utf8_check(in + start + 1, i - start - 1, &bad) != V_OK)
        return fail(r, V_ERR_MALFORMED, start + 1 + bad,
                    "invalid UTF-8 in string");
    tok->text = (const char *)in + start + 1;
    tok->len = i - start - 1;
    tok->decoded_len = decoded;
    tok->has_escapes = escapes;
    r->pos = i + 1;
    return V_OK;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* The number starting at r->pos ('-' or a digit). */
static v_status scan_number(v_json_reader *r, v_json_token *tok)
{
    const uint8_t *in = r->in;
    size_t len = r->len, start = r->pos, i = start;
    bool neg = false, integral = true, overflow = false;
    uint64_t mag = 0;
    if (in[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= len)
        return eof(r);
    if (in[i] == '0') {
        i++;
        if (i < len && is_digit(in[i]))
            return fail(r, V_ERR_MALFORMED, i - 1,
                        "leading zero in number");
    } else if (is_digit(in[i])) {
        for (; i < len && is_digit(in[i]); i++) {
            unsigned d = in[i] - '0';
            if (mag > (UINT64_MAX - d) / 10)
                overflow = true;
            else
                mag = mag * 10 + d;
        }
    } else {
        return fail(r, V_ERR_MALFORMED, i, "expected a digit");
    }
    if (i < len && in[i] == '.') {
        integral = false;
        i++;
        if (i >= len)
            return eof(r);
        if (!is_digit(in[i]))
            return fail(r, V_ERR_MALFORMED, i, "expected a digit after '.'");
        while (i < len && is_digit(in[i]))
            i++;
    }
    if (i < len && (in[i] == 'e' || in[i] == 'E')) {
        integral = false;
        i++;
        if (i < len && (in[i] == '+' || in[i] == '-'))
            i++;
        if (i >= len)
            return eof(r);
        if (!is_digit(in[i]))
            return fail(r, V_ERR_MALFORMED, i,
                        "expected a digit in the exponent");
        while (i < len && is_digit(in[i]))
            i++;
    }
    if (i - start > r->lim.max_number)
        return fail(r, V_ERR_LIMIT, start, "number longer than max_number");
    tok->kind = V_JSON_NUMBER;
    tok->text = (const char *)in + start;
    tok->len = i - start;
    if (integral && !overflow) {
        if (!neg) {
            tok->kind = V_JSON_INTEGER;
            tok->u64 = mag;
            tok->fits = V_JSON_FITS_U64;
            if (mag <= INT64_MAX) {
                tok->i64 = (int64_t)mag;
                tok->fits |= V_JSON_FITS_I64;
            }
        } else if (mag <= (uint64_t)INT64_MAX + 1) {
            /* -0 is the integer 0: integers have no negative zero. */
            tok->kind = V_JSON_INTEGER;
            tok->i64 = mag == 0 ? 0 : (int64_t)(0 - mag);
            tok->fits = V_JSON_FITS_I64;
            if (mag == 0) {
                tok->u64 = 0;
                tok->fits |= V_JSON_FITS_U64;
            }
        }
    }
    r->pos = i;
    return V_OK;
}

static v_status scan_literal(v_json_reader *r, const char *lit, size_t n,
                             v_json_token *tok)
{
    for (size_t k = 0; k < n; k++) {
        if (r->pos + k >= r->len)
            return eof(r);
        if (r->in[r->pos + k] != (uint8_t)lit[k])
            return fail(r, V_ERR_MALFORMED, r->pos, "invalid literal");
    }
    tok->text = (const char *)r->in + r->pos;
    tok->len = n;
    r->pos += n;
    return V_OK;
}

/* Counts one more member in the innermost container. */
static v_status count_member(v_json_reader *r)
{
    v_json_frame *f = &r->stack[r->depth - 1];
    if (f->count >= r->lim.max_elements)
        return fail(r, V_ERR_LIMIT, r->pos,
                    "container has more than max_elements members");
    f->count++;
    return V_OK;
}

static v_status value(v_json_reader *r, v_json_token *tok)
{
    v_status s;
    if (r->depth && !r->stack[r->depth - 1].is_object &&
        (s = count_member(r)) != V_OK)
        return s;
    uint8_t c = r->in[r->pos];
    switch (c) {
    case '{':
    case '[':
        if (r->depth >= r->lim.max_depth)
            return fail(r, V_ERR_LIMIT, r->pos, "nesting deeper than max_depth");
        r->stack[r->depth].count = 0;
        r->stack[r->depth].key_start = r->key_count;
        r->stack[r->depth].is_object = c == '{';
        r->depth++;
        tok->kind = c == '{' ? V_JSON_OBJECT_BEGIN : V_JSON_ARRAY_BEGIN;
        tok->text = (const char *)r->in + r->pos;
        tok->len = 1;
        r->pos++;
        r->state = c == '{' ? ST_OBJECT_FIRST : ST_ARRAY_FIRST;
        return V_OK;
    case '"':
        tok->kind = V_JSON_STRING;
        s = scan_string(r, tok);
        break;
    case 't':
        tok->kind = V_JSON_BOOL;
        tok->boolean = true;
        s = scan_literal(r, "true", 4, tok);
        break;
    case 'f':
        tok->kind = V_JSON_BOOL;
        s = scan_literal(r, "false", 5, tok);
        break;
    case 'n':
        tok->kind = V_JSON_NULL;
        s = scan_literal(r, "null", 4, tok);
        break;
    default:
        if (c == '-' || is_digit(c)) {
            s = scan_number(r, tok);
            break;
        }
        if (c == 0xef && r->pos == 0)
            return fail(r, V_ERR_MALFORMED, 0,
                        "byte order mark is not allowed");
        if (c == ']' && r->depth && r->stack[r->depth - 1].count > 1)
            return fail(r, V_ERR_MALFORMED, r->pos,
                        "trailing comma before ']'");
        return fail(r, V_ERR_MALFORMED, r->pos, "expected a value");
    }
    if (s == V_OK)
        r->state = ST_AFTER;
    return s;
}

static v_status close_container(v_json_reader *r, v_json_token *tok)
{
    bool obj = r->stack[r->depth - 1].is_object;
    r->depth--;
    r->key_count = r->stack[r->depth].key_start; /* forget its keys */
    tok->kind = obj ? V_JSON_OBJECT_END : V_JSON_ARRAY_END;
    tok->depth = r->depth;
    tok->text = (const char *)r->in + r->pos;
    tok->len = 1;
    r->pos++;
    r->state = ST_AFTER;
    return V_OK;
}

static v_status key(v_json_reader *r, v_json_token *tok)
{
    v_status s = count_member(r);
    if (s != V_OK)
        return s;
    tok->kind = V_JSON_KEY;
    s = scan_string(r, tok);
    if (s == V_OK && r->check_keys)
        s = v_enc_json_remember_key(r, tok);
    if (s == V_OK)
        r->state = ST_COLON;
    return s;
}

v_status v_json_next(v_json_reader *r, v_json_token *tok)
{
    if (r->status != V_OK)
        return r->status;
    *tok = (v_json_token){0};
    for (;;) {
        skip_ws(r);
        tok->offset = r->pos;
        tok->depth = r->depth;
        if (r->pos >= r->len) {
            if (r->state == ST_AFTER && r->depth == 0) {
                r->status = V_ERR_END;
                return V_ERR_END;
            }
            return eof(r);
        }
        uint8_t c = r->in[r->pos];
        switch (r->state) {
        case ST_VALUE:
            return value(r, tok);
        case ST_ARRAY_FIRST:
            if (c == ']')
                return close_container(r, tok);
            return value(r, tok);
        case ST_OBJECT_FIRST:
            if (c == '}')
                return close_container(r, tok);
            if (c == '"')
                return key(r, tok);
            return fail(r, V_ERR_MALFORMED, r->pos,
                        "expected a member name or '}'");
        case ST_KEY:
            if (c == '"')
                return key(r, tok);
            return fail(r, V_ERR_MALFORMED, r->pos,
                        c == '}' ? "trailing comma before '}'"
                                 : "expected a member name");
        case ST_COLON:
            if (c != ':')
                return fail(r, V_ERR_MALFORMED, r->pos,
                            "expected ':' after member name");
            r->pos++;
            r->state = ST_VALUE;
            continue;
        default: /* ST_AFTER */
            if (r->depth == 0)
                return fail(r, V_ERR_MALFORMED, r->pos,
                            "trailing characters after the document");
            bool obj = r->stack[r->depth - 1].is_object;
            if (c == ',') {
                r->pos++;
                r->state = obj ? ST_KEY : ST_VALUE;
                continue;
            }
            if (c == (obj ? '}' : ']'))
                return close_container(r, tok);
            return fail(r, V_ERR_MALFORMED, r->pos,
                        obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

v_status v_json_skip(v_json_reader *r, const v_json_token *tok)
{
    v_json_token t;
    v_status s;
    if (r->status != V_OK)
        return r->status;
    if (tok->kind == V_JSON_KEY) {
        if ((s = v_json_next(r, &t)) != V_OK)
            return s;
        tok = &t;
    }
    if (tok->kind != V_JSON_OBJECT_BEGIN && tok->kind != V_JSON_ARRAY_BEGIN)
        return V_OK;
    size_t depth = tok->depth;
    do {
        if ((s = v_json_next(r, &t)) != V_OK)
            return s;
    } while (!((t.kind == V_JSON_OBJECT_END || t.kind == V_JSON_ARRAY_END) &&
               t.depth == depth));
    return V_OK;
}
