/*
 * additional_info: the free-form JSON value a target may attach to a run.
 *
 * The history keeps it as canonical compact text, exactly what Python's
 * json.dumps(value) would print (separators ", " and ": ", floats as repr,
 * strings re-escaped with ensure_ascii), because SMAC3 re-serialises the
 * decoded value when it writes runhistory.json: our writer must produce the
 * same bytes whatever spelling the value arrived in. Writing re-lays the
 * canonical text out with json.dump(indent=2)'s line breaks at the right
 * nesting depth; the tokens themselves are copied verbatim.
 */
#include <stdlib.h>
#include <string.h>

#include "runhistory/rh_internal.h"
#include "runhistory/rh_json_lex.h"

const char rh_empty_object[] = "{}";

static const char hex_digits[] = "0123456789abcdef";

static void put_u16(smac_strbuf *sb, unsigned v)
{
    char e[6] = {'\\', 'u', hex_digits[(v >> 12) & 15], hex_digits[(v >> 8) & 15], hex_digits[(v >> 4) & 15],
                 hex_digits[v & 15]};
    smac_strbuf_append(sb, e, 6);
}

void rh_json_string(smac_strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    smac_strbuf_putc(sb, '"');
    while (p < end) {
        /* Copy the longest run of bytes that need no escape in one go. */
        const unsigned char *q = p;
        while (q < end && *q >= 0x20 && *q < 0x7f && *q != '"' && *q != '\\')
            q++;
        if (q > p) {
            smac_strbuf_append(sb, (const char *)p, (size_t)(q - p));
            p = q;
            if (p >= end)
                break;
        }
        unsigned c = *p;
        switch (c) {
        case '"': smac_strbuf_append(sb, "\\\"", 2); p++; continue;
        case '\\': smac_strbuf_append(sb, "\\\\", 2); p++; continue;
        case '\n': smac_strbuf_append(sb, "\\n", 2); p++; continue;
        case '\r': smac_strbuf_append(sb, "\\r", 2); p++; continue;
        case '\t': smac_strbuf_append(sb, "\\t", 2); p++; continue;
        case '\b': smac_strbuf_append(sb, "\\b", 2); p++; continue;
        case '\f': smac_strbuf_append(sb, "\\f", 2); p++; continue;
        default: break;
        }
        if (c < 0x80) { /* other control characters and DEL */
            put_u16(sb, c);
            p++;
            continue;
        }
        /* Decode one UTF-8 (or WTF-8) sequence; a byte that starts none is
         * written as its Latin-1 code point rather than dropped. */
        int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
        if (c > 0xF4 || end - p < len)
            len = 1;
        unsigned cp = len == 4 ? (c & 0x07) : len == 3 ? (c & 0x0F) : len == 2 ? (c & 0x1F) : c;
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                len = 1;
                cp = c;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_u16(sb, 0xD800 + (cp >> 10));
            put_u16(sb, 0xDC00 + (cp & 0x3FF));
        } else {
            put_u16(sb, cp);
        }
    }
    smac_strbuf_putc(sb, '"');
}

int rh_info_canonical(const char *text, size_t len, char **out, smac_error *err)
{
    *out = NULL;
    rh_lex lx;
    rh_lex_init(&lx, text, len, "additional_info", err);
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    int rc = rh_lex_next(&lx);
    if (rc == 0)
        rc = rh_lex_value(&lx, &sb);
    if (rc == 0 && lx.tok != RH_TOK_EOF)
        rc = rh_lex_error(&lx, "extra data after the value");
    rh_lex_free(&lx);
    if (rc == 0 && sb.failed)
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    if (rc != 0) {
        smac_strbuf_free(&sb);
        return rc;
    }
    if (sb.len == 2 && memcmp(sb.data, "{}", 2) == 0) {
        smac_strbuf_free(&sb);
        *out = RH_EMPTY_OBJECT;
    } else if (sb.len == 4 && memcmp(sb.data, "null", 4) == 0) {
        smac_strbuf_free(&sb);
    } else {
        *out = smac_strbuf_take(&sb);
        if (!*out)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    return 0;
}

static void indent(smac_strbuf *sb, int depth)
{
    static const char spaces[] = "                                                                ";
    size_t n = (size_t)depth * 2;
    smac_strbuf_putc(sb, '\n');
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        smac_strbuf_append(sb, spaces, k);
        n -= k;
    }
}

/* The canonical text is our own output, so a token error cannot happen;
 * should it anyway, the value simply ends there. */
static void emit(rh_lex *lx, smac_strbuf *sb, int depth)
{
    if (lx->tok != RH_TOK_LBRACE && lx->tok != RH_TOK_LBRACKET) {
        smac_strbuf_append(sb, lx->tok_start, lx->tok_len);
        rh_lex_next(lx);
        return;
    }
    int obj = lx->tok == RH_TOK_LBRACE;
    rh_tok close = obj ? RH_TOK_RBRACE : RH_TOK_RBRACKET;
    if (rh_lex_next(lx) != 0)
        return;
    if (lx->tok == close) {
        smac_strbuf_append(sb, obj ? "{}" : "[]", 2);
        rh_lex_next(lx);
        return;
    }
    smac_strbuf_putc(sb, obj ? '{' : '[');
    for (;;) {
        indent(sb, depth + 1);
        if (obj) {
            if (lx->tok != RH_TOK_STRING)
                return;
            smac_strbuf_append(sb, lx->tok_start, lx->tok_len);
            smac_strbuf_append(sb, ": ", 2);
            if (rh_lex_next(lx) != 0 || lx->tok != RH_TOK_COLON || rh_lex_next(lx) != 0)
                return;
        }
        emit(lx, sb, depth + 1);
        if (lx->tok == RH_TOK_COMMA) {
            smac_strbuf_putc(sb, ',');
            if (rh_lex_next(lx) != 0)
                return;
            continue;
        }
        indent(sb, depth);
        smac_strbuf_putc(sb, obj ? '}' : ']');
        rh_lex_next(lx);
        return;
    }
}

void rh_info_write_indented(smac_strbuf *sb, const char *canon, int depth)
{
    if (!canon) {
        smac_strbuf_append(sb, "null", 4);
        return;
    }
    if (canon == rh_empty_object) {
        smac_strbuf_append(sb, "{}", 2);
        return;
    }
    rh_lex lx;
    rh_lex_init(&lx, canon, strlen(canon), "additional_info", NULL);
    if (rh_lex_next(&lx) == 0 && lx.tok != RH_TOK_EOF)
        emit(&lx, sb, depth);
    rh_lex_free(&lx);
}
