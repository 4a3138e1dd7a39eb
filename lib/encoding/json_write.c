/* JSON writer: canonical output (no whitespace, minimal escaping) with
 * the document's structure checked on every call.
 *
 * Minimal escaping means: '"' and '\\' as \" and \\, the five control
 * characters with short escapes as \b \f \n \r \t, the other controls as
 * \u00xx (lower-case hex); every other character, '/' and non-ASCII
 * included, as itself. So one string has exactly one encoding. */
#include <v/encoding.h>
#include "internal.h"

static v_status fail(v_json_writer *w, v_status s, size_t offset,
                     const char *reason)
{
    w->status = s;
    w->error.offset = offset;
    w->error.reason = reason;
    return s;
}

static v_status out_status(v_json_writer *w, v_status s)
{
    if (s != V_OK)
        fail(w, s, 0, s == V_ERR_TRUNCATED ? "output buffer full"
                                           : "sink failed");
    return s;
}

v_status v_json_writer_init(v_json_writer *w, void *buf, size_t cap,
                            const v_encoding_sink *sink, v_json_frame *stack,
                            size_t max_depth)
{
    if (!w || (!buf && cap) || (!stack && max_depth) ||
        (sink && !sink->write))
        return V_ERR_INVALID_ARGS;
    v_enc_out_init(&w->out, buf, cap, sink);
    w->stack = stack;
    w->max_depth = max_depth;
    w->depth = 0;
    w->done = false;
    w->indent = 0;
    w->status = V_OK;
    w->error.offset = 0;
    w->error.reason = NULL;
    return V_OK;
}

v_status v_json_writer_set_indent(v_json_writer *w, unsigned indent)
{
    if (!w || indent < 1 || indent > 16)
        return V_ERR_INVALID_ARGS;
    if (w->status != V_OK)
        return w->status;
    if (v_enc_out_total(&w->out) != 0 || w->depth != 0 || w->done)
        return V_ERR_BAD_STATE;
    w->indent = indent;
    return V_OK;
}

/* Readable layout: a line break and the indentation of `depth` levels. */
static v_status newline(v_json_writer *w, size_t depth)
{
    static const char spaces[] = "                                ";
    v_status s = v_enc_out_byte(&w->out, '\n');
    for (size_t n = depth * w->indent; s == V_OK && n;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        s = v_enc_out_put(&w->out, spaces, k);
        n -= k;
    }
    return s;
}

/* Checks that a value (is_key false) or a member name (is_key true) may
 * come next, and writes the separator before it. */
static v_status begin_item(v_json_writer *w, bool is_key)
{
    if (w->status != V_OK)
        return w->status;
    if (w->depth == 0) {
        if (is_key)
            return fail(w, V_ERR_BAD_STATE, 0, "member name outside an object");
        if (w->done)
            return fail(w, V_ERR_BAD_STATE, 0,
                        "document already has its value");
        return V_OK;
    }
    v_json_frame *f = &w->stack[w->depth - 1];
    /* In an object, count is even when a name is due. */
    bool key_due = f->is_object && f->count % 2 == 0;
    if (is_key != key_due)
        return fail(w, V_ERR_BAD_STATE, 0,
                    is_key ? "member name where a value is due"
                           : "value where a member name is due");
    char sep = 0;
    if (f->is_object)
        sep = f->count == 0 ? 0 : key_due ? ',' : ':';
    else if (f->count)
        sep = ',';
    f->count++;
    v_status s = V_OK;
    if (sep)
        s = v_enc_out_byte(&w->out, (uint8_t)sep);
    if (w->indent && s == V_OK)
        s = sep == ':' ? v_enc_out_byte(&w->out, ' ')
                       : newline(w, w->depth);
    return out_status(w, s);
}

static void end_item(v_json_writer *w)
{
    if (w->depth == 0)
        w->done = true;
}

static v_status raw(v_json_writer *w, const char *s, size_t n)
{
    v_status st = out_status(w, v_enc_out_put(&w->out, s, n));
    if (st == V_OK)
        end_item(w);
    return st;
}

static v_status open_container(v_json_writer *w, bool obj)
{
    v_status s = begin_item(w, false);
    if (s != V_OK)
        return s;
    if (w->depth >= w->max_depth)
        return fail(w, V_ERR_LIMIT, 0, "nesting deeper than max_depth");
    w->stack[w->depth].count = 0;
    w->stack[w->depth].is_object = obj;
    w->depth++;
    return out_status(w, v_enc_out_byte(&w->out, obj ? '{' : '['));
}

static v_status close_container(v_json_writer *w, bool obj)
{
    if (w->status != V_OK)
        return w->status;
    if (w->depth == 0 || w->stack[w->depth - 1].is_object != obj)
        return fail(w, V_ERR_BAD_STATE, 0,
                    obj ? "'}' does not close an object"
                        : "']' does not close an array");
    if (obj && w->stack[w->depth - 1].count % 2)
        return fail(w, V_ERR_BAD_STATE, 0, "member name without a value");
    w->depth--;
    if (w->indent && w->stack[w->depth].count &&
        out_status(w, newline(w, w->depth)) != V_OK)
        return w->status;
    return raw(w, obj ? "}" : "]", 1);
}

v_status v_json_write_object_begin(v_json_writer *w)
{
    return open_container(w, true);
}

v_status v_json_write_object_end(v_json_writer *w)
{
    return close_container(w, true);
}

v_status v_json_write_array_begin(v_json_writer *w)
{
    return open_container(w, false);
}

v_status v_json_write_array_end(v_json_writer *w)
{
    return close_container(w, false);
}

static v_status quoted(v_json_writer *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t bad;
    if (!s && len)
        return fail(w, V_ERR_INVALID_ARGS, 0, "NULL string");
    if (v_enc_utf8_check((const uint8_t *)s, len, &bad) != V_OK)
        return fail(w, V_ERR_INVALID_ARGS, bad, "string is not valid UTF-8");
    v_encoding_out *o = &w->out;
    v_status st = v_enc_out_byte(o, '"');
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < len && st == V_OK; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        st = v_enc_out_put(o, s + run, i - run);
        if (st == V_OK)
            st = v_enc_out_put(o, esc, n);
        run = i + 1;
    }
    if (st == V_OK && run < len) /* (s may be NULL when len is 0) */
        st = v_enc_out_put(o, s + run, len - run);
    if (st == V_OK)
        st = v_enc_out_byte(o, '"');
    return out_status(w, st);
}

v_status v_json_write_key(v_json_writer *w, const char *s, size_t len)
{
    v_status st = begin_item(w, true);
    return st == V_OK ? quoted(w, s, len) : st;
}

v_status v_json_write_string(v_json_writer *w, const char *s, size_t len)
{
    v_status st = begin_item(w, false);
    if (st == V_OK && (st = quoted(w, s, len)) == V_OK)
        end_item(w);
    return st;
}

/* Decimal digits of v, written backwards from end; returns the start. */
static char *u64_digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

v_status v_json_write_u64(v_json_writer *w, uint64_t v)
{
    char buf[20];
    v_status st = begin_item(w, false);
    if (st != V_OK)
        return st;
    char *p = u64_digits(v, buf + sizeof buf);
    return raw(w, p, (size_t)(buf + sizeof buf - p));
}

v_status v_json_write_i64(v_json_writer *w, int64_t v)
{
    char buf[21];
    v_status st = begin_item(w, false);
    if (st != V_OK)
        return st;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = u64_digits(m, buf + sizeof buf);
    if (v < 0)
        *--p = '-';
    return raw(w, p, (size_t)(buf + sizeof buf - p));
}

v_status v_json_write_number_text(v_json_writer *w, const char *s,
                                  size_t len)
{
    if (w->status != V_OK)
        return w->status;
    double ignored;
    /* The converter checks the grammar; whether it could convert does
     * not matter here. */
    if (v_json_number_to_f64(s, len, &ignored) == V_ERR_MALFORMED)
        return fail(w, V_ERR_INVALID_ARGS, 0, "not a JSON number");
    v_status st = begin_item(w, false);
    return st == V_OK ? raw(w, s, len) : st;
}

v_status v_json_write_f64(v_json_writer *w, double v)
{
    char text[V_JSON_F64_MAX];
    size_t n;
    if (w->status != V_OK)
        return w->status;
    if (v_json_format_f64(v, text, &n) != V_OK)
        return fail(w, V_ERR_INVALID_ARGS, 0, "NaN or infinity");
    v_status st = begin_item(w, false);
    return st == V_OK ? raw(w, text, n) : st;
}

v_status v_json_write_bool(v_json_writer *w, bool v)
{
    v_status st = begin_item(w, false);
    if (st != V_OK)
        return st;
    return v ? raw(w, "true", 4) : raw(w, "false", 5);
}

v_status v_json_write_null(v_json_writer *w)
{
    v_status st = begin_item(w, false);
    return st == V_OK ? raw(w, "null", 4) : st;
}

v_status v_json_writer_finish(v_json_writer *w, size_t *total_len)
{
    if (w->status != V_OK)
        return w->status;
    if (!w->done)
        return fail(w, V_ERR_BAD_STATE, 0,
                    w->depth ? "unclosed array or object" : "empty document");
    v_status s = out_status(w, v_enc_out_flush(&w->out));
    if (s == V_OK && total_len)
        *total_len = v_enc_out_total(&w->out);
    return s;
}
