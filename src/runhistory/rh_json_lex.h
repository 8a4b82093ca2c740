/*
 * A tokenizer for the JSON dialect of Python's json module (formats.md §0):
 * strict JSON plus the bare literals NaN, Infinity and -Infinity. Strings
 * are decoded (escapes, surrogate pairs; a lone surrogate is kept as its
 * 3-byte WTF-8 form so it can be written back the way Python would) and raw
 * bytes are checked to be UTF-8. Every token knows its line and column, so
 * every error reads "file:line:column: ...".
 *
 * It works on a buffer in memory that needs no NUL terminator, and never
 * allocates except for strings with escapes (a buffer reused for all
 * tokens) and very long numbers. It is the reader's fast path: no tree is
 * built, the layout parser pulls tokens one by one.
 */
#ifndef SMAC_RH_JSON_LEX_H
#define SMAC_RH_JSON_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/strbuf.h"

typedef enum rh_tok {
    RH_TOK_EOF,
    RH_TOK_LBRACE,
    RH_TOK_RBRACE,
    RH_TOK_LBRACKET,
    RH_TOK_RBRACKET,
    RH_TOK_COLON,
    RH_TOK_COMMA,
    RH_TOK_STRING,
    RH_TOK_INT,   /* -?digits, no fraction or exponent (a Python int) */
    RH_TOK_FLOAT, /* anything else numeric, including NaN and +-Infinity */
    RH_TOK_TRUE,
    RH_TOK_FALSE,
    RH_TOK_NULL
} rh_tok;

typedef struct rh_lex {
    const char *p, *end;
    const char *line_start;
    int line;
    const char *name; /* for messages */
    smac_error *err;

    /* the current token */
    rh_tok tok;
    const char *tok_start;
    size_t tok_len;   /* raw text of the token */
    int tok_line, tok_col;
    double num;       /* INT and FLOAT: the value (INT: rounded like float(int)) */
    int64_t ival;     /* INT: the value when int_ok */
    int int_ok;       /* INT fits into int64 */
    const char *str;  /* STRING: decoded bytes, not NUL-terminated */
    size_t str_len;
    int str_has_nul;  /* the decoded string contains U+0000 */

    char *buf;        /* owned scratch for decoded strings / long numbers */
    size_t buf_cap;
} rh_lex;

void rh_lex_init(rh_lex *lx, const char *text, size_t len, const char *name, smac_error *err);
void rh_lex_free(rh_lex *lx);
/* Reads the next token into lx->tok. 0, SMAC_ERR_PARSE or SMAC_ERR_NOMEM (err set). */
int rh_lex_next(rh_lex *lx);
/* Sets err to "name:line:col: <message>" at the current token; returns SMAC_ERR_PARSE. */
int rh_lex_error(rh_lex *lx, const char *fmt, ...) SMAC_PRINTF(2, 3);
/* A short description of the current token for messages ("'}'", "a string", "end of file"). */
const char *rh_lex_what(const rh_lex *lx);

/* mant * 10^e correctly rounded, without strtod, when 0 <= mant < 2^64 and
 * -19 <= e <= 19 (or the fast-path range); -1 for other cases. */
int rh_decimal_to_double(uint64_t mant, long e, double *out);

/* Deepest nesting accepted inside values that are skipped or copied
 * (additional_info); Python's own limit is about 1000. */
#define RH_JSON_MAX_DEPTH 512

/* The current token starts a value: consume the whole value. When `out` is
 * not NULL, append its canonical compact text (see rh_info_canonical). */
int rh_lex_value(rh_lex *lx, smac_strbuf *out);

#endif
