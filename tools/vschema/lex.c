/* lex.c — splits a schema file into tokens, collecting doc comments.
 *
 * The whole file is checked to be UTF-8 first; outside comments only
 * ASCII may appear, so a byte column is also a character column wherever
 * an error can point. */
#include <string.h>
#include <v/text.h>

#include "lex.h"

static vs_pos here(const vs_lexer *lx, size_t at)
{
    vs_pos p = {lx->file, lx->line, (uint32_t)(at - lx->line_start + 1)};
    return p;
}

void vs_lex_init(vs_lexer *lx, vs_ctx *c, const char *file, const char *src,
                 size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->c = c;
    lx->file = file;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    size_t bad = 0;
    if (v_utf8_validate(src, len, &bad) != V_OK) {
        /* Position of the bad byte: count lines up to it. */
        for (size_t k = 0; k < bad; k++) {
            if (src[k] == '\n') {
                lx->line++;
                lx->line_start = k + 1;
            }
        }
        vs_fail(c, here(lx, bad), "invalid UTF-8");
    }
}

static bool is_ident_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_ident_char(char ch)
{
    return is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* Skips whitespace and comments; gathers the doc lines met since the last
 * non-doc line into *doc. A blank line or a plain comment between doc lines
 * and the token does not detach them: what documents a token is whatever
 * doc lines come first before it. */
static void skip_space(vs_lexer *lx, const char **doc, vs_pos *doc_pos)
{
    size_t doc_len = 0;
    char *buf = NULL;
    while (lx->i < lx->len) {
        char ch = lx->src[lx->i];
        if (ch == '\n') {
            lx->i++;
            lx->line++;
            lx->line_start = lx->i;
        } else if (ch == ' ' || ch == '\t' || ch == '\r') {
            lx->i++;
        } else if (ch == '/' && lx->i + 1 < lx->len &&
                   lx->src[lx->i + 1] == '/') {
            size_t start = lx->i;
            size_t end = start;
            while (end < lx->len && lx->src[end] != '\n')
                end++;
            bool is_doc = end - start >= 3 && lx->src[start + 2] == '/';
            if (is_doc) {
                size_t t = start + 3;
                if (t < end && lx->src[t] == ' ')
                    t++;
                size_t n = end - t;
                while (n > 0 && lx->src[t + n - 1] == '\r')
                    n--;
                if (!buf)
                    *doc_pos = here(lx, start);
                char *grown = vs_alloc(lx->c, doc_len + n + 2);
                if (buf)
                    memcpy(grown, buf, doc_len);
                if (doc_len)
                    grown[doc_len++] = '\n';
                memcpy(grown + doc_len, lx->src + t, n);
                doc_len += n;
                buf = grown;
            }
            lx->i = end;
        } else {
            break;
        }
    }
    *doc = buf;
}

vs_token vs_lex_next(vs_lexer *lx)
{
    vs_token t;
    memset(&t, 0, sizeof t);
    skip_space(lx, &t.doc, &t.doc_pos);
    t.pos = here(lx, lx->i);
    if (lx->i >= lx->len) {
        t.kind = VS_TK_EOF;
        return t;
    }
    const char *s = lx->src + lx->i;
    char ch = *s;
    if (is_ident_start(ch)) {
        size_t n = 1;
        while (lx->i + n < lx->len && is_ident_char(s[n]))
            n++;
        if (n > VS_MAX_NAME)
            vs_fail(lx->c, t.pos, "identifier longer than %d bytes",
                    VS_MAX_NAME);
        t.kind = VS_TK_IDENT;
        t.text = s;
        t.len = n;
        lx->i += n;
        return t;
    }
    if (ch >= '0' && ch <= '9') {
        size_t n = 0;
        uint64_t v = 0;
        while (lx->i + n < lx->len && s[n] >= '0' && s[n] <= '9') {
            v = v * 10 + (uint64_t)(s[n] - '0');
            if (v > UINT32_MAX)
                vs_fail(lx->c, t.pos, "number too large (at most %u)",
                        (unsigned)UINT32_MAX);
            n++;
        }
        if (n > 1 && s[0] == '0')
            vs_fail(lx->c, t.pos, "number with a leading zero");
        if (lx->i + n < lx->len && is_ident_start(s[n]))
            vs_fail(lx->c, here(lx, lx->i + n),
                    "expected a digit or a separator after the number, "
                    "found '%c'", s[n]);
        t.kind = VS_TK_NUMBER;
        t.text = s;
        t.len = n;
        t.number = (uint32_t)v;
        lx->i += n;
        return t;
    }
    if (ch == '"') {
        size_t n = 1;
        for (;;) {
            if (lx->i + n >= lx->len || s[n] == '\n')
                vs_fail(lx->c, t.pos, "unterminated string");
            char d = s[n];
            if (d == '"')
                break;
            if ((unsigned char)d < 0x20 || (unsigned char)d >= 0x7f ||
                d == '\\')
                vs_fail(lx->c, here(lx, lx->i + n),
                        "strings hold printable ASCII without '\\'");
            n++;
        }
        t.kind = VS_TK_STRING;
        t.text = s;
        t.len = n + 1;
        lx->i += n + 1;
        return t;
    }
    if (strchr("{}<>;:=,.|", ch) && ch != '\0') {
        t.kind = ch;
        t.text = s;
        t.len = 1;
        lx->i++;
        return t;
    }
    if ((unsigned char)ch >= 0x80)
        vs_fail(lx->c, t.pos, "non-ASCII character outside a comment");
    if ((unsigned char)ch < 0x20 || ch == 0x7f)
        vs_fail(lx->c, t.pos, "unexpected control character 0x%02x",
                (unsigned)(unsigned char)ch);
    vs_fail(lx->c, t.pos, "unexpected character '%c'", ch);
}

const char *vs_token_desc(vs_ctx *c, const vs_token *t)
{
    switch (t->kind) {
    case VS_TK_EOF:
        return "end of file";
    case VS_TK_IDENT:
        return vs_printf(c, "'%.*s'", (int)t->len, t->text);
    case VS_TK_NUMBER:
        return vs_printf(c, "number %.*s", (int)t->len, t->text);
    case VS_TK_STRING:
        return vs_printf(c, "string %.*s", (int)t->len, t->text);
    default:
        return vs_printf(c, "'%c'", (char)t->kind);
    }
}
