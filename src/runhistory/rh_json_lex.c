/*
 * The Python-dialect JSON tokenizer (see rh_json_lex.h).
 *
 * Speed matters here: a run history of 10,000 runs is about 6 MB of mostly
 * indentation, numbers and short strings, read by every pSMAC process
 * before every iteration. So whitespace is skipped in one tight loop,
 * strings without escapes are returned in place, and numbers with at most
 * 19 significant digits and a small exponent are converted exactly with one
 * multiplication or division (Clinger's fast path: both operands are exact
 * doubles, so IEEE rounding gives the correctly rounded result), longer
 * mantissas with one exact 128-bit operation; only the rest go through
 * strtod.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runhistory/rh_internal.h"
#include "runhistory/rh_json_lex.h"
#include "util/floatfmt.h"

void rh_lex_init(rh_lex *lx, const char *text, size_t len, const char *name, smac_error *err)
{
    memset(lx, 0, sizeof *lx);
    lx->p = text;
    lx->end = text + len;
    lx->line_start = text;
    lx->line = 1;
    lx->name = name ? name : "runhistory.json";
    lx->err = err;
}

void rh_lex_free(rh_lex *lx)
{
    free(lx->buf);
    lx->buf = NULL;
    lx->buf_cap = 0;
}

static int error_at(rh_lex *lx, const char *at, const char *fmt, va_list ap)
{
    char text[512];
    vsnprintf(text, sizeof text, fmt, ap);
    return smac_error_set_at(lx->err, SMAC_ERR_PARSE, lx->name, lx->line, (int)(at - lx->line_start) + 1,
                             "%s", text);
}

static int lex_fail(rh_lex *lx, const char *at, const char *fmt, ...) SMAC_PRINTF(3, 4);
static int lex_fail(rh_lex *lx, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = error_at(lx, at, fmt, ap);
    va_end(ap);
    return rc;
}

int rh_lex_error(rh_lex *lx, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return smac_error_set_at(lx->err, SMAC_ERR_PARSE, lx->name, lx->tok_line, lx->tok_col, "%s", text);
}

const char *rh_lex_what(const rh_lex *lx)
{
    switch (lx->tok) {
    case RH_TOK_EOF: return "end of file";
    case RH_TOK_LBRACE: return "'{'";
    case RH_TOK_RBRACE: return "'}'";
    case RH_TOK_LBRACKET: return "'['";
    case RH_TOK_RBRACKET: return "']'";
    case RH_TOK_COLON: return "':'";
    case RH_TOK_COMMA: return "','";
    case RH_TOK_STRING: return "a string";
    case RH_TOK_INT:
    case RH_TOK_FLOAT: return "a number";
    case RH_TOK_TRUE: return "true";
    case RH_TOK_FALSE: return "false";
    case RH_TOK_NULL: return "null";
    }
    return "?";
}

static int buf_reserve(rh_lex *lx, size_t n)
{
    if (n <= lx->buf_cap)
        return 0;
    size_t cap = lx->buf_cap ? lx->buf_cap : 256;
    while (cap < n)
        cap *= 2;
    char *b = realloc(lx->buf, cap);
    if (!b)
        return smac_error_set(lx->err, SMAC_ERR_NOMEM, "out of memory");
    lx->buf = b;
    lx->buf_cap = cap;
    return 0;
}

/* Length of the well-formed UTF-8 sequence at s (strictly: no overlongs, no
 * encoded surrogates, nothing above U+10FFFF), or 0. */
static int utf8_len(const unsigned char *s, const unsigned char *end)
{
    unsigned c = s[0];
    int n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (end - s < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static int put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) { /* lone surrogates too: WTF-8 */
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hex4(const char *s, const char *end, unsigned *out)
{
    if (end - s < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static int lex_string(rh_lex *lx, const char *p)
{
    const char *s = p + 1, *q = s, *end = lx->end;
    lx->tok = RH_TOK_STRING;
    lx->str_has_nul = 0;
    /* Fast path: no escapes, the string is returned in place. */
    for (;;) {
        if (q >= end)
            return lex_fail(lx, p, "unterminated string");
        unsigned char c = (unsigned char)*q;
        if (c == '"') {
            lx->str = s;
            lx->str_len = (size_t)(q - s);
            lx->p = q + 1;
            lx->tok_len = (size_t)(lx->p - p);
            return 0;
        }
        if (c == '\\')
            break;
        if (c < 0x20)
            return lex_fail(lx, q, "invalid control character in string");
        if (c < 0x80) {
            q++;
            continue;
        }
        int n = utf8_len((const unsigned char *)q, (const unsigned char *)end);
        if (!n)
            return lex_fail(lx, q, "invalid UTF-8 byte 0x%02x in string", c);
        q += n;
    }
    /* Slow path: decode into the scratch buffer; the decoded text is never
     * longer than the raw text. */
    int rc = buf_reserve(lx, (size_t)(q - s) + 64);
    if (rc)
        return rc;
    size_t len = (size_t)(q - s);
    memcpy(lx->buf, s, len);
    for (;;) {
        if (q >= end)
            return lex_fail(lx, p, "unterminated string");
        if ((rc = buf_reserve(lx, len + 8)) != 0)
            return rc;
        unsigned char c = (unsigned char)*q;
        if (c == '"')
            break;
        if (c < 0x20)
            return lex_fail(lx, q, "invalid control character in string");
        if (c >= 0x80) {
            int n = utf8_len((const unsigned char *)q, (const unsigned char *)end);
            if (!n)
                return lex_fail(lx, q, "invalid UTF-8 byte 0x%02x in string", c);
            memcpy(lx->buf + len, q, (size_t)n);
            len += (size_t)n;
            q += n;
            continue;
        }
        if (c != '\\') {
            lx->buf[len++] = (char)c;
            q++;
            continue;
        }
        if (q + 1 >= end)
            return lex_fail(lx, p, "unterminated string");
        char e = q[1];
        const char *esc = q;
        q += 2;
        switch (e) {
        case '"': lx->buf[len++] = '"'; break;
        case '\\': lx->buf[len++] = '\\'; break;
        case '/': lx->buf[len++] = '/'; break;
        case 'b': lx->buf[len++] = '\b'; break;
        case 'f': lx->buf[len++] = '\f'; break;
        case 'n': lx->buf[len++] = '\n'; break;
        case 'r': lx->buf[len++] = '\r'; break;
        case 't': lx->buf[len++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(q, end, &cp) != 0)
                return lex_fail(lx, esc, "invalid \\u escape (four hex digits expected)");
            q += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
                hex4(q + 2, end, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                q += 6;
            }
            if (cp == 0)
                lx->str_has_nul = 1;
            len += (size_t)put_utf8(lx->buf + len, cp);
            break;
        }
        default:
            return lex_fail(lx, esc, "invalid escape '\\%c' in string", e >= 0x20 && e < 0x7f ? e : '?');
        }
    }
    lx->str = lx->buf;
    lx->str_len = len;
    lx->p = q + 1;
    lx->tok_len = (size_t)(lx->p - p);
    return 0;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_digit(char c) { return c >= '0' && c <= '9'; }

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static const uint64_t pow10_u64[20] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
                                       10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
                                       100000000000ULL, 1000000000000ULL, 10000000000000ULL,
                                       100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
                                       100000000000000000ULL, 1000000000000000000ULL,
                                       10000000000000000000ULL};

static int bit_length(u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

/* v * 2^scale rounded to the nearest double (ties to even); `sticky` says
 * that nonzero bits below v were lost. v has more than 53 bits. */
static double round_to_double(u128 v, int scale, int sticky)
{
    int drop = bit_length(v) - 53;
    uint64_t mant = (uint64_t)(v >> drop);
    u128 rest = v & (((u128)1 << drop) - 1), half = (u128)1 << (drop - 1);
    if (rest > half || (rest == half && (sticky || (mant & 1))))
        mant++; /* 2^53 after a carry is still exact */
    return ldexp((double)mant, drop + scale);
}

/* mant * 10^e exactly rounded, for the 16-19 digit numbers the fast path
 * cannot take (timestamps, sampled values): one 128-bit multiplication or
 * division instead of strtod's multi-precision arithmetic. 0 on success,
 * -1 when the case is not covered (then strtod decides). */
static int exact_decimal(uint64_t mant, long e, double *out)
{
    if (mant == 0 || e < -19 || e > 19)
        return -1;
    if (e >= 0) {
        u128 v = (u128)mant * pow10_u64[e];
        if (bit_length(v) <= 53) {
            *out = (double)(uint64_t)v;
            return 0;
        }
        *out = round_to_double(v, 0, 0);
        return 0;
    }
    /* Put the top bit of mant at bit 126, divide: the quotient keeps at
     * least 62 bits, the remainder is the sticky bit. */
    int shift = 63 + __builtin_clzll(mant);
    u128 num = (u128)mant << shift, d = pow10_u64[-e];
    u128 q = num / d;
    *out = round_to_double(q, -shift, num - q * d != 0);
    return 0;
}
#else
static int exact_decimal(uint64_t mant, long e, double *out)
{
    (void)mant, (void)e, (void)out;
    return -1;
}
#endif

/* strtod on the token, which is not NUL-terminated in the input. */
static int slow_number(rh_lex *lx, const char *p, size_t n, double *out)
{
    char small[64];
    char *b = small;
    if (n >= sizeof small) {
        int rc = buf_reserve(lx, n + 1);
        if (rc)
            return rc;
        b = lx->buf;
    }
    memcpy(b, p, n);
    b[n] = '\0';
    *out = strtod(b, NULL);
    return 0;
}

static int match_word(rh_lex *lx, const char *p, const char *word, rh_tok tok)
{
    size_t n = strlen(word);
    if ((size_t)(lx->end - p) < n || memcmp(p, word, n) != 0)
        return lex_fail(lx, p, "invalid literal (expected %s)", word);
    lx->tok = tok;
    lx->p = p + n;
    lx->tok_len = n;
    return 0;
}

int rh_decimal_to_double(uint64_t mant, long e, double *out)
{
    if (mant <= (1ULL << 53) && e >= -22 && e <= 22) {
        double v = (double)mant;
        *out = e >= 0 ? v * pow10_exact[e] : v / pow10_exact[-e];
        return 0;
    }
    return exact_decimal(mant, e, out);
}

static int lex_number(rh_lex *lx, const char *p)
{
    const char *q = p, *end = lx->end;
    int neg = 0;
    if (*q == '-') {
        neg = 1;
        q++;
        if (q < end && *q == 'I') {
            int rc = match_word(lx, q, "Infinity", RH_TOK_FLOAT);
            if (rc)
                return rc;
            lx->num = -INFINITY;
            lx->tok_len++;
            return 0;
        }
    }
    if (q >= end || !is_digit(*q))
        return lex_fail(lx, p, "invalid number");
    uint64_t mant = 0;
    int ndig = 0, truncated = 0, frac = 0, is_float = 0;
    if (*q == '0')
        q++;
    else
        for (; q < end && is_digit(*q); q++) {
            if (ndig < 19) {
                mant = mant * 10 + (uint64_t)(*q - '0');
                ndig++;
            } else {
                truncated = 1;
                frac--; /* a dropped integer digit scales by ten */
            }
        }
    if (q < end && *q == '.') {
        is_float = 1;
        q++;
        if (q >= end || !is_digit(*q))
            return lex_fail(lx, q, "invalid number: digits expected after '.'");
        for (; q < end && is_digit(*q); q++) {
            if (mant == 0 && *q == '0') {
                frac++;
                continue;
            }
            if (ndig < 19) {
                mant = mant * 10 + (uint64_t)(*q - '0');
                ndig++;
                frac++;
            } else {
                truncated = 1;
            }
        }
    }
    long exp10 = 0;
    if (q < end && (*q == 'e' || *q == 'E')) {
        is_float = 1;
        q++;
        int eneg = 0;
        if (q < end && (*q == '+' || *q == '-'))
            eneg = *q++ == '-';
        if (q >= end || !is_digit(*q))
            return lex_fail(lx, q, "invalid number: digits expected in the exponent");
        for (; q < end && is_digit(*q); q++)
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*q - '0');
        if (eneg)
            exp10 = -exp10;
    }
    size_t n = (size_t)(q - p);
    lx->tok_len = n;
    lx->p = q;
    if (!is_float) {
        lx->tok = RH_TOK_INT;
        /* mant holds the first 19 digits; an int64 has at most 19. */
        lx->int_ok = !truncated && (mant <= (uint64_t)INT64_MAX || (neg && mant == (uint64_t)INT64_MAX + 1));
        if (lx->int_ok) {
            lx->ival = neg ? (int64_t)(0 - mant) : (int64_t)mant;
            lx->num = (double)lx->ival; /* float(-0) is 0.0 */
            return 0;
        }
        return slow_number(lx, p, n, &lx->num);
    }
    lx->tok = RH_TOK_FLOAT;
    long e = exp10 - frac;
    double v;
    if (!truncated && rh_decimal_to_double(mant, e, &v) == 0) {
        lx->num = neg ? -v : v;
        return 0;
    }
    return slow_number(lx, p, n, &lx->num);
}

int rh_lex_next(rh_lex *lx)
{
    const char *p = lx->p, *end = lx->end;
    while (p < end) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\r') {
            p++;
        } else if (c == '\n') {
            p++;
            lx->line++;
            lx->line_start = p;
            /* Indentation: spaces eight at a time. */
            uint64_t w;
            while (end - p >= 8 && (memcpy(&w, p, 8), w == 0x2020202020202020ULL))
                p += 8;
        } else {
            break;
        }
    }
    lx->tok_start = p;
    lx->tok_line = lx->line;
    lx->tok_col = (int)(p - lx->line_start) + 1;
    if (p >= end) {
        lx->tok = RH_TOK_EOF;
        lx->tok_len = 0;
        lx->p = p;
        return 0;
    }
    rh_tok single;
    switch (*p) {
    case '{': single = RH_TOK_LBRACE; break;
    case '}': single = RH_TOK_RBRACE; break;
    case '[': single = RH_TOK_LBRACKET; break;
    case ']': single = RH_TOK_RBRACKET; break;
    case ':': single = RH_TOK_COLON; break;
    case ',': single = RH_TOK_COMMA; break;
    case '"': return lex_string(lx, p);
    case 't': return match_word(lx, p, "true", RH_TOK_TRUE);
    case 'f': return match_word(lx, p, "false", RH_TOK_FALSE);
    case 'n': return match_word(lx, p, "null", RH_TOK_NULL);
    case 'N': {
        int rc = match_word(lx, p, "NaN", RH_TOK_FLOAT);
        lx->num = NAN;
        return rc;
    }
    case 'I': {
        int rc = match_word(lx, p, "Infinity", RH_TOK_FLOAT);
        lx->num = INFINITY;
        return rc;
    }
    default:
        if (*p == '-' || is_digit(*p))
            return lex_number(lx, p);
        if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f)
            return lex_fail(lx, p, "unexpected character '%c'", *p);
        return lex_fail(lx, p, "unexpected byte 0x%02x", (unsigned char)*p);
    }
    lx->tok = single;
    lx->tok_len = 1;
    lx->p = p + 1;
    return 0;
}

/* ------------------------------------------------------------- values */

static void put_number(const rh_lex *lx, smac_strbuf *out)
{
    if (lx->tok == RH_TOK_INT) {
        /* Python's int(): exact digits; only "-0" changes. */
        if (lx->tok_len == 2 && lx->tok_start[0] == '-' && lx->tok_start[1] == '0')
            smac_strbuf_putc(out, '0');
        else
            smac_strbuf_append(out, lx->tok_start, lx->tok_len);
    } else {
        char buf[SMAC_DOUBLE_TEXT];
        smac_strbuf_append(out, buf, (size_t)rh_repr_double(lx->num, buf));
    }
}

static int value_at(rh_lex *lx, smac_strbuf *out, int depth)
{
    int rc;
    switch (lx->tok) {
    case RH_TOK_LBRACE:
    case RH_TOK_LBRACKET: {
        int obj = lx->tok == RH_TOK_LBRACE;
        rh_tok close = obj ? RH_TOK_RBRACE : RH_TOK_RBRACKET;
        if (depth >= RH_JSON_MAX_DEPTH)
            return rh_lex_error(lx, "values nested more than %d deep", RH_JSON_MAX_DEPTH);
        if ((rc = rh_lex_next(lx)) != 0)
            return rc;
        if (lx->tok == close) {
            if (out)
                smac_strbuf_puts(out, obj ? "{}" : "[]");
            return rh_lex_next(lx);
        }
        if (out)
            smac_strbuf_putc(out, obj ? '{' : '[');
        for (;;) {
            if (obj) {
                if (lx->tok != RH_TOK_STRING)
                    return rh_lex_error(lx, "expected a string key but found %s", rh_lex_what(lx));
                if (out) {
                    rh_json_string(out, lx->str, lx->str_len);
                    smac_strbuf_puts(out, ": ");
                }
                if ((rc = rh_lex_next(lx)) != 0)
                    return rc;
                if (lx->tok != RH_TOK_COLON)
                    return rh_lex_error(lx, "expected ':' after a key but found %s", rh_lex_what(lx));
                if ((rc = rh_lex_next(lx)) != 0)
                    return rc;
            }
            if ((rc = value_at(lx, out, depth + 1)) != 0)
                return rc;
            if (lx->tok == close) {
                if (out)
                    smac_strbuf_putc(out, obj ? '}' : ']');
                return rh_lex_next(lx);
            }
            if (lx->tok != RH_TOK_COMMA)
                return rh_lex_error(lx, "expected ',' or '%c' but found %s", obj ? '}' : ']', rh_lex_what(lx));
            if (out)
                smac_strbuf_puts(out, ", ");
            if ((rc = rh_lex_next(lx)) != 0)
                return rc;
        }
    }
    case RH_TOK_STRING:
        if (out)
            rh_json_string(out, lx->str, lx->str_len);
        return rh_lex_next(lx);
    case RH_TOK_INT:
    case RH_TOK_FLOAT:
        if (out)
            put_number(lx, out);
        return rh_lex_next(lx);
    case RH_TOK_TRUE:
    case RH_TOK_FALSE:
    case RH_TOK_NULL:
        if (out)
            smac_strbuf_puts(out, lx->tok == RH_TOK_TRUE ? "true" : lx->tok == RH_TOK_FALSE ? "false" : "null");
        return rh_lex_next(lx);
    default:
        return rh_lex_error(lx, "expected a value but found %s", rh_lex_what(lx));
    }
}

int rh_lex_value(rh_lex *lx, smac_strbuf *out) { return value_at(lx, out, 0); }
