/* lex.h — vschema's lexer: tokens of one schema file. */
#ifndef VSCHEMA_LEX_H
#define VSCHEMA_LEX_H

#include "vschema.h"

enum {
    VS_TK_EOF = 0,
    /* punctuation tokens are their ASCII character: { } < > ; : = , . | */
    VS_TK_IDENT = 256,
    VS_TK_NUMBER,
    VS_TK_STRING,
};

typedef struct vs_token {
    int kind;
    const char *text;   /* into the source; IDENT, NUMBER, STRING (quoted) */
    size_t len;
    uint32_t number;    /* NUMBER */
    vs_pos pos;
    const char *doc;    /* doc comment lines just before it, or NULL */
    vs_pos doc_pos;
} vs_token;

typedef struct vs_lexer {
    vs_ctx *c;
    const char *file;
    const char *src;
    size_t len;
    size_t i;
    uint32_t line;
    size_t line_start;
} vs_lexer;

void vs_lex_init(vs_lexer *lx, vs_ctx *c, const char *file, const char *src,
                 size_t len);
/* The next token; fails (longjmp) on a lexical error. */
vs_token vs_lex_next(vs_lexer *lx);
/* "'{'", "identifier 'x'", "number 3", "end of file", ... */
const char *vs_token_desc(vs_ctx *c, const vs_token *t);

#endif
