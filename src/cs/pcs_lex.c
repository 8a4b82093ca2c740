/*
 * What the PCS readers and writers share (see pcs_lex.h): line splitting and
 * cleaning, tokens, located checks, forbidden clauses, blame for whole-space
 * errors, and the writers' common pieces.
 */
#include "cs/pcs_lex.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/floatfmt.h"

/* Blanks inside a line. Python's str.strip() also drops \v and \f at the
 * ends; pyparsing skips only space and tab between tokens. */
static int is_blank(int ch) { return ch == ' ' || ch == '\t'; }
static int is_trim(int ch) { return ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f'; }

int pcs_is_name_char(int ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
        return 1;
    return ch != '\0' && strchr("_-@.:;\\/?!$%&*+<>", ch) != NULL;
}

int pcs_is_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!pcs_is_name_char((unsigned char)*s))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ first pass */

static int contains(const char *s, size_t n, char ch) { return memchr(s, ch, n) != NULL; }

/* Cleans raw line [s, s+n) into a new pcs_line; *keep = 0 for lines the
 * formats skip. */
static int clean_line(const char *s, size_t n, int lineno, pcs_line *out, int *keep)
{
    const char *hash = memchr(s, '#', n);
    if (hash)
        n = (size_t)(hash - s);
    *keep = 0;
    char *text = malloc(n + 1);
    int *col = malloc((n + 1) * sizeof *col);
    if (!text || !col) {
        free(text);
        free(col);
        return SMAC_ERR_NOMEM;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\'')
            continue;
        text[len] = s[i];
        col[len] = (int)(i < (size_t)0x7fffffff ? i + 1 : 0x7fffffff);
        len++;
    }
    size_t a = 0, b = len;
    while (a < b && is_trim((unsigned char)text[a]))
        a++;
    while (b > a && is_trim((unsigned char)text[b - 1]))
        b--;
    int end_col = b > a ? col[b - 1] + 1 : 1;
    len = b - a;
    memmove(text, text + a, len);
    memmove(col, col + a, len * sizeof *col);
    text[len] = '\0';
    col[len] = end_col;

    pcs_line_kind kind;
    if (len == 0) {
        free(text);
        free(col);
        return 0;
    }
    if (contains(text, len, '|')) {
        kind = PCS_LINE_CONDITION;
    } else if (text[0] == '{') {
        /* SMAC3 skips a '{' line without '}'; we parse it so that the
         * missing '}' is reported. */
        kind = PCS_LINE_FORBIDDEN;
    } else if (contains(text, len, '}') || contains(text, len, ']')) {
        kind = PCS_LINE_PARAM;
    } else if (contains(text, len, '[') || contains(text, len, '{')) {
        /* An unterminated parameter: SMAC3 would drop it without a word. */
        kind = PCS_LINE_PARAM;
    } else {
        free(text);
        free(col);
        return 0;
    }
    out->kind = kind;
    out->lineno = lineno;
    out->len = len;
    out->text = text;
    out->col = col;
    *keep = 1;
    return 0;
}

void pcs_doc_free(pcs_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->lines.len; i++) {
        free(doc->lines.items[i].text);
        free(doc->lines.items[i].col);
    }
    SMAC_VEC_FREE(&doc->lines);
    for (size_t i = 0; i < doc->strings.len; i++)
        free(doc->strings.items[i]);
    SMAC_VEC_FREE(&doc->strings);
    for (size_t i = 0; i < doc->params.len; i++)
        free(doc->params.items[i].choices);
    SMAC_VEC_FREE(&doc->params);
    free(doc->slots);
    doc->slots = NULL;
    doc->n_slots = 0;
}

int pcs_doc_init(pcs_doc *doc, const char *text, size_t len, const char *file, smac_error *err)
{
    memset(doc, 0, sizeof *doc);
    doc->file = file ? file : "<pcs>";
    if (!text)
        len = 0;
    size_t i = 0;
    int lineno = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
        size_t end = i;
        if (i < len) {
            if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            i++;
        }
        if (lineno == 0x7fffffff)
            break; /* absurdly many lines: the rest cannot be numbered */
        lineno++;
        pcs_line ln;
        int keep;
        if (clean_line(text + start, end - start, lineno, &ln, &keep) != 0)
            goto nomem;
        if (keep) {
            if (SMAC_VEC_RESERVE(&doc->lines, doc->lines.len + 1) != 0) {
                free(ln.text);
                free(ln.col);
                goto nomem;
            }
            doc->lines.items[doc->lines.len++] = ln;
        }
    }
    return 0;
nomem:
    pcs_doc_free(doc);
    return smac_error_set(err, SMAC_ERR_NOMEM, "%s: out of memory", doc->file);
}

/* ---------------------------------------------------------------- cursor */

void pcs_cur_init(pcs_cur *c, pcs_doc *doc, const pcs_line *ln, smac_error *err)
{
    c->doc = doc;
    c->ln = ln;
    c->pos = 0;
    c->err = err;
}

int pcs_col(const pcs_cur *c, size_t pos)
{
    if (pos > c->ln->len)
        pos = c->ln->len;
    return c->ln->col[pos];
}

static int vfail(const pcs_cur *c, int code, size_t pos, const char *fmt, va_list ap)
{
    char msg[700];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return smac_error_set_at(c->err, code, c->doc->file, c->ln->lineno, pcs_col(c, pos), "%s", msg);
}

int pcs_fail(const pcs_cur *c, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, SMAC_ERR_PARSE, pos, fmt, ap);
    va_end(ap);
    return rc;
}

int pcs_fail_code(const pcs_cur *c, int code, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, code, pos, fmt, ap);
    va_end(ap);
    return rc;
}

int pcs_locate(const pcs_cur *c, size_t pos)
{
    return smac_error_locate(c->err, c->doc->file, c->ln->lineno, pcs_col(c, pos));
}

void pcs_skip_ws(pcs_cur *c)
{
    while (c->pos < c->ln->len && is_blank((unsigned char)c->ln->text[c->pos]))
        c->pos++;
}

int pcs_at_end(pcs_cur *c)
{
    pcs_skip_ws(c);
    return c->pos >= c->ln->len;
}

int pcs_peek(pcs_cur *c)
{
    pcs_skip_ws(c);
    return c->pos < c->ln->len ? (unsigned char)c->ln->text[c->pos] : -1;
}

/* Describes the token at the cursor for "found ..." in messages: a name
 * token whole (shortened), any other byte alone, non-printables escaped. */
static void describe_next(pcs_cur *c, char *buf, size_t n)
{
    pcs_skip_ws(c);
    const char *t = c->ln->text + c->pos;
    size_t rest = c->ln->len - c->pos;
    if (rest == 0) {
        snprintf(buf, n, "end of line");
        return;
    }
    size_t take = 1;
    if (pcs_is_name_char((unsigned char)t[0]))
        while (take < rest && pcs_is_name_char((unsigned char)t[take]))
            take++;
    int cut = take > 24;
    if (cut)
        take = 24;
    size_t o = 0;
    o += (size_t)snprintf(buf + o, n - o, "'");
    for (size_t i = 0; i < take && o + 8 < n; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch >= 0x20 && ch < 0x7f)
            buf[o++] = (char)ch;
        else
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
    }
    buf[o] = '\0';
    snprintf(buf + o, n - o, "%s'", cut ? "..." : "");
}

int pcs_fail_expected(pcs_cur *c, const char *what)
{
    char found[128];
    describe_next(c, found, sizeof found);
    return pcs_fail(c, c->pos, "expected %s, found %s", what, found);
}

int pcs_accept(pcs_cur *c, const char *tok)
{
    pcs_skip_ws(c);
    size_t n = strlen(tok);
    if (c->ln->len - c->pos >= n && memcmp(c->ln->text + c->pos, tok, n) == 0) {
        c->pos += n;
        return 1;
    }
    return 0;
}

int pcs_expect(pcs_cur *c, const char *tok, const char *context)
{
    if (pcs_accept(c, tok))
        return 0;
    char what[160];
    snprintf(what, sizeof what, "'%s' %s", tok, context);
    return pcs_fail_expected(c, what);
}

int pcs_expect_end(pcs_cur *c, const char *context)
{
    if (pcs_at_end(c))
        return 0;
    char found[128];
    describe_next(c, found, sizeof found);
    return pcs_fail(c, c->pos, "unexpected %s after %s", found, context);
}

int pcs_name(pcs_cur *c, const char *what, char **out, size_t *start)
{
    pcs_skip_ws(c);
    size_t s = c->pos;
    while (c->pos < c->ln->len && pcs_is_name_char((unsigned char)c->ln->text[c->pos]))
        c->pos++;
    if (c->pos == s)
        return pcs_fail_expected(c, what);
    size_t n = c->pos - s;
    if (SMAC_VEC_RESERVE(&c->doc->strings, c->doc->strings.len + 1) != 0)
        return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
    char *copy = malloc(n + 1);
    if (!copy)
        return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
    memcpy(copy, c->ln->text + s, n);
    copy[n] = '\0';
    c->doc->strings.items[c->doc->strings.len++] = copy;
    *out = copy;
    if (start)
        *start = s;
    return 0;
}

static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }

/* Length of a number with the PCS grammar at t (0 if none). */
static size_t number_length(const char *t, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
    while (i < n && is_digit((unsigned char)t[i]))
        i++, d++;
    if (i < n && t[i] == '.') {
        size_t f = 0;
        i++;
        while (i < n && is_digit((unsigned char)t[i]))
            i++, f++;
        if (f == 0)
            return 0; /* "5." is not a number in PCS files */
    } else if (d == 0) {
        return 0;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        size_t j = i + 1, e = 0;
        if (j < n && (t[j] == '+' || t[j] == '-'))
            j++;
        while (j < n && is_digit((unsigned char)t[j]))
            j++, e++;
        if (e == 0)
            return 0;
        i = j;
    }
    return i;
}

int pcs_number(pcs_cur *c, const char *what, double *out, size_t *start)
{
    pcs_skip_ws(c);
    size_t s = c->pos;
    const char *t = c->ln->text + s;
    size_t rest = c->ln->len - s;
    /* The token is the run of name characters (which cover every number
     * character), so "1.5.3" or "1e" is reported whole. */
    size_t tok = 0;
    while (tok < rest && pcs_is_name_char((unsigned char)t[tok]))
        tok++;
    size_t n = number_length(t, tok);
    if (tok == 0 || n != tok) {
        char buf[200];
        snprintf(buf, sizeof buf, "a number for the %s", what);
        return pcs_fail_expected(c, buf);
    }
    char tmp[64];
    double v;
    if (n < sizeof tmp) {
        memcpy(tmp, t, n);
        tmp[n] = '\0';
        if (smac_parse_double(tmp, &v) != 0)
            v = NAN;
    } else {
        char *big = malloc(n + 1);
        if (!big)
            return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
        memcpy(big, t, n);
        big[n] = '\0';
        if (smac_parse_double(big, &v) != 0)
            v = NAN;
        free(big);
    }
    if (!isfinite(v))
        return pcs_fail(c, s, "%s %.*s is too large", what, n > 40 ? 40 : (int)n, t);
    c->pos = s + n;
    *out = v;
    if (start)
        *start = s;
    return 0;
}

size_t pcs_word(pcs_cur *c, const char *set, size_t *start)
{
    pcs_skip_ws(c);
    size_t s = c->pos;
    while (c->pos < c->ln->len && c->ln->text[c->pos] != '\0' &&
           strchr(set, c->ln->text[c->pos]) != NULL)
        c->pos++;
    if (start)
        *start = s;
    return c->pos - s;
}

/* ===================================================== shared by readers */

static size_t hash_text(const char *s)
{
    size_t h = (size_t)1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= (size_t)1099511628211ULL;
    }
    return h;
}

static int index_grow(pcs_doc *doc)
{
    size_t cap = doc->n_slots ? doc->n_slots * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return SMAC_ERR_NOMEM;
    for (size_t i = 0; i < doc->params.len; i++) {
        size_t j = hash_text(doc->params.items[i].name) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = i + 1;
    }
    free(doc->slots);
    doc->slots = slots;
    doc->n_slots = cap;
    return 0;
}

int pcs_doc_add_param(pcs_doc *doc, const pcs_param_info *info, smac_error *err)
{
    if (pcs_doc_param(doc, info->name))
        return 0; /* the builder has already refused a duplicate */
    if ((doc->params.len + 1) * 2 > doc->n_slots && index_grow(doc) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    if (SMAC_VEC_RESERVE(&doc->params, doc->params.len + 1) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    pcs_param_info copy = *info;
    copy.choices = NULL;
    if (info->n_choices > 0) {
        copy.choices = malloc((size_t)info->n_choices * sizeof *copy.choices);
        if (!copy.choices)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        memcpy(copy.choices, info->choices, (size_t)info->n_choices * sizeof *copy.choices);
    }
    size_t j = hash_text(info->name) & (doc->n_slots - 1);
    while (doc->slots[j])
        j = (j + 1) & (doc->n_slots - 1);
    doc->params.items[doc->params.len++] = copy;
    doc->slots[j] = doc->params.len;
    return 0;
}

const pcs_param_info *pcs_doc_param(const pcs_doc *doc, const char *name)
{
    if (!doc->n_slots)
        return NULL;
    size_t j = hash_text(name) & (doc->n_slots - 1);
    while (doc->slots[j]) {
        const pcs_param_info *p = &doc->params.items[doc->slots[j] - 1];
        if (strcmp(p->name, name) == 0)
            return p;
        j = (j + 1) & (doc->n_slots - 1);
    }
    return NULL;
}

/* A number for a message: integers without a point, reals as repr. */
static const char *num_text(double v, int is_int, char buf[400])
{
    if (is_int && fabs(v) < 1e300 && v == floor(v))
        snprintf(buf, 400, "%.0f", v + 0.0);
    else
        smac_format_double(v, buf);
    return buf;
}

int pcs_check_numeric(pcs_cur *c, const char *name, int is_int, int log, double lo, size_t lo_pos,
                      double hi, size_t hi_pos, double def, size_t def_pos)
{
    char a[400], b[400], d[400];
    if (is_int) {
        const double v[3] = {lo, hi, def};
        const size_t at[3] = {lo_pos, hi_pos, def_pos};
        const char *what[3] = {"lower bound", "upper bound", "default value"};
        for (int i = 0; i < 3; i++)
            if (v[i] != floor(v[i]))
                return pcs_fail_code(c, SMAC_ERR_INVALID, at[i],
                                     "integer parameter '%s': %s %s is not an integer", name,
                                     what[i], num_text(v[i], 0, a));
    }
    if (!(lo < hi))
        return pcs_fail_code(c, SMAC_ERR_INVALID, lo_pos,
                             "parameter '%s': lower bound %s must be smaller than upper bound %s",
                             name, num_text(lo, is_int, a), num_text(hi, is_int, b));
    if (log && !(lo > 0))
        return pcs_fail_code(c, SMAC_ERR_INVALID, lo_pos,
                             "parameter '%s': a log scale needs a positive lower bound, not %s",
                             name, num_text(lo, is_int, a));
    if (def < lo || def > hi)
        return pcs_fail_code(c, SMAC_ERR_INVALID, def_pos,
                             "parameter '%s': default value %s is outside [%s, %s]", name,
                             num_text(def, is_int, a), num_text(lo, is_int, b),
                             num_text(hi, is_int, d));
    return 0;
}

typedef struct choice_ref {
    const char *text;
    int index;
} choice_ref;

static int cmp_choice(const void *a, const void *b)
{
    const choice_ref *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int pcs_check_choices(pcs_cur *c, const char *name, int n, char *const *choices,
                      const size_t *pos, const char *def, size_t def_pos)
{
    /* Sorting finds repeats in n log n even in generated files with huge
     * lists; the repeat reported is the first one in the line. */
    choice_ref *refs = malloc(((size_t)n + 1) * sizeof *refs);
    if (!refs)
        return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        refs[i] = (choice_ref){choices[i], i};
    qsort(refs, (size_t)n, sizeof *refs, cmp_choice);
    int repeat = -1;
    for (int i = 1; i < n; i++)
        if (strcmp(refs[i].text, refs[i - 1].text) == 0 && (repeat < 0 || refs[i].index < repeat))
            repeat = refs[i].index;
    free(refs);
    if (repeat >= 0)
        return pcs_fail_code(c, SMAC_ERR_INVALID, pos[repeat],
                             "parameter '%s': value '%s' is listed twice", name, choices[repeat]);
    for (int i = 0; i < n; i++)
        if (strcmp(choices[i], def) == 0)
            return 0;
    return pcs_fail_code(c, SMAC_ERR_INVALID, def_pos,
                         "parameter '%s': default value '%s' is not one of its values", name, def);
}

int pcs_value_list(pcs_cur *c, const char *what, char ***values, size_t **pos, int *n)
{
    SMAC_VEC(char *) v = {0};
    SMAC_VEC(size_t) p = {0};
    char buf[200];
    int rc = 0;
    *values = NULL;
    *pos = NULL;
    *n = 0;
    pcs_skip_ws(c);
    if (c->pos < c->ln->len && c->ln->text[c->pos] == '}')
        return pcs_fail_code(c, SMAC_ERR_INVALID, c->pos, "empty list of %s", what);
    for (;;) {
        char *name;
        size_t at;
        snprintf(buf, sizeof buf, "one of %s", what);
        if ((rc = pcs_name(c, buf, &name, &at)) != 0)
            goto out;
        if (v.len >= 0x7fffffff)
            goto nomem;
        SMAC_VEC_PUSH(&v, name, nomem);
        SMAC_VEC_PUSH(&p, at, nomem);
        if (pcs_accept(c, ","))
            continue;
        if (pcs_accept(c, "}"))
            break;
        snprintf(buf, sizeof buf, "',' or '}' after one of %s", what);
        rc = pcs_fail_expected(c, buf);
        goto out;
    }
    *values = v.items;
    *pos = p.items;
    *n = (int)v.len;
    return 0;
nomem:
    rc = smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
out:
    SMAC_VEC_FREE(&v);
    SMAC_VEC_FREE(&p);
    return rc;
}

int pcs_read_range(pcs_cur *c, double v[3], size_t at[3])
{
    int rc;
    if ((rc = pcs_expect(c, "[", "to open the range")) != 0 ||
        (rc = pcs_number(c, "lower bound", &v[0], &at[0])) != 0 ||
        (rc = pcs_expect(c, ",", "after the lower bound")) != 0 ||
        (rc = pcs_number(c, "upper bound", &v[1], &at[1])) != 0 ||
        (rc = pcs_expect(c, "]", "after the upper bound")) != 0 ||
        (rc = pcs_expect(c, "[", "to open the default value")) != 0 ||
        (rc = pcs_number(c, "default value", &v[2], &at[2])) != 0 ||
        (rc = pcs_expect(c, "]", "after the default value")) != 0)
        return rc;
    return 0;
}

int pcs_read_choices(pcs_cur *c, const char *name, char ***choices, int *n, char **def,
                     size_t *def_pos)
{
    size_t *pos = NULL;
    char what[300];
    snprintf(what, sizeof what, "the values of '%s'", name);
    int rc = pcs_expect(c, "{", "to open the list of values");
    if (rc == 0)
        rc = pcs_value_list(c, what, choices, &pos, n);
    if (rc != 0)
        return rc;
    if ((rc = pcs_expect(c, "[", "to open the default value")) != 0 ||
        (rc = pcs_name(c, "a default value", def, def_pos)) != 0 ||
        (rc = pcs_expect(c, "]", "after the default value")) != 0 ||
        (rc = pcs_check_choices(c, name, *n, *choices, pos, *def, *def_pos)) != 0) {
        free(*choices);
        *choices = NULL;
    }
    free(pos);
    return rc;
}

static const char *type_word(smac_param_type t)
{
    switch (t) {
    case SMAC_PARAM_REAL: return "real";
    case SMAC_PARAM_INTEGER: return "integer";
    case SMAC_PARAM_CATEGORICAL: return "categorical";
    case SMAC_PARAM_ORDINAL: return "ordinal";
    case SMAC_PARAM_CONSTANT: return "constant";
    }
    return "?";
}

/* Checks that `text` is a legal value of parameter p; `ctx` starts the message. */
static int check_value(pcs_cur *c, const char *ctx, const pcs_param_info *p, const char *text,
                       size_t pos)
{
    char a[400], b[400];
    if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER) {
        double v;
        if (smac_parse_double(text, &v) != 0 || !isfinite(v))
            return pcs_fail_code(c, SMAC_ERR_INVALID, pos, "%s: '%s' is not a number (%s is %s)",
                                 ctx, text, p->name, type_word(p->type));
        if (p->type == SMAC_PARAM_INTEGER && v != floor(v))
            return pcs_fail_code(c, SMAC_ERR_INVALID, pos,
                                 "%s: '%s' is not an integer (%s is integer)", ctx, text, p->name);
        if (v < p->lower || v > p->upper)
            return pcs_fail_code(c, SMAC_ERR_INVALID, pos, "%s: %s is outside [%s, %s] of '%s'",
                                 ctx, text, num_text(p->lower, p->type == SMAC_PARAM_INTEGER, a),
                                 num_text(p->upper, p->type == SMAC_PARAM_INTEGER, b), p->name);
        return 0;
    }
    for (int i = 0; i < p->n_choices; i++)
        if (strcmp(p->choices[i], text) == 0)
            return 0;
    return pcs_fail_code(c, SMAC_ERR_INVALID, pos, "%s: '%s' is not a value of '%s'", ctx, text,
                         p->name);
}

int pcs_check_child(pcs_cur *c, const char *child, size_t pos)
{
    if (pcs_doc_param(c->doc, child))
        return 0;
    return pcs_fail_code(c, SMAC_ERR_INVALID, pos, "condition on unknown parameter '%s'", child);
}

int pcs_check_leaf(pcs_cur *c, const char *child, const char *parent, size_t parent_pos,
                   cs_cond_op op, size_t op_pos, int n, char *const *values, const size_t *pos)
{
    const pcs_param_info *p = pcs_doc_param(c->doc, parent);
    if (!p)
        return pcs_fail_code(c, SMAC_ERR_INVALID, parent_pos,
                             "condition of '%s': unknown parent parameter '%s'", child, parent);
    if (strcmp(child, parent) == 0)
        return pcs_fail_code(c, SMAC_ERR_INVALID, parent_pos,
                             "condition of '%s': a parameter cannot be its own parent", child);
    if ((op == CS_COND_LT || op == CS_COND_GT) &&
        (p->type == SMAC_PARAM_CATEGORICAL || p->type == SMAC_PARAM_CONSTANT))
        return pcs_fail_code(c, SMAC_ERR_INVALID, op_pos,
                             "condition of '%s': '%s' needs a real, integer or ordinal parent, "
                             "but '%s' is %s",
                             child, op == CS_COND_LT ? "<" : ">", parent, type_word(p->type));
    char ctx[300];
    snprintf(ctx, sizeof ctx, "condition of '%s'", child);
    for (int i = 0; i < n; i++) {
        int rc = check_value(c, ctx, p, values[i], pos[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int pcs_read_forbidden(pcs_doc *doc, const pcs_line *ln, cs_builder *b, smac_error *err)
{
    pcs_cur c;
    pcs_cur_init(&c, doc, ln, err);
    SMAC_VEC(cs_forbid_spec) parts = {0};
    SMAC_VEC(const char *) vals = {0};
    int rc = pcs_expect(&c, "{", "to open the forbidden clause");
    if (rc != 0)
        return rc;
    size_t open = c.pos - 1;
    for (;;) {
        char *name, *value;
        size_t npos, vpos;
        if ((rc = pcs_name(&c, "a parameter name in the forbidden clause", &name, &npos)) != 0)
            goto out;
        if ((rc = pcs_expect(&c, "=", "after the parameter name in a forbidden clause")) != 0)
            goto out;
        if ((rc = pcs_name(&c, "a value after '='", &value, &vpos)) != 0)
            goto out;
        const pcs_param_info *p = pcs_doc_param(doc, name);
        if (!p) {
            rc = pcs_fail_code(&c, SMAC_ERR_INVALID, npos,
                               "forbidden clause on unknown parameter '%s'", name);
            goto out;
        }
        if ((rc = check_value(&c, "forbidden clause", p, value, vpos)) != 0)
            goto out;
        cs_forbid_spec part = {.op = CS_FORBID_EQUALS, .param = name, .n_values = 1};
        if (parts.len >= 0x7fffffff)
            goto nomem;
        SMAC_VEC_PUSH(&parts, part, nomem);
        SMAC_VEC_PUSH(&vals, value, nomem);
        if (pcs_accept(&c, ","))
            continue;
        if ((rc = pcs_expect(&c, "}", "or ',' after a value in the forbidden clause")) != 0)
            goto out;
        break;
    }
    if ((rc = pcs_expect_end(&c, "the forbidden clause")) != 0)
        goto out;
    /* The values array may have moved while growing: point into it now. */
    for (size_t i = 0; i < parts.len; i++)
        parts.items[i].values = &vals.items[i];
    cs_forbid_spec all = {.op = CS_FORBID_AND, .n_parts = (int)parts.len, .parts = parts.items};
    rc = smac_cs_builder_add_forbidden(b, &all, err);
    if (rc != 0)
        pcs_locate(&c, open);
    goto out;
nomem:
    rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
out:
    SMAC_VEC_FREE(&parts);
    SMAC_VEC_FREE(&vals);
    return rc;
}

/* 1 when the space populated within `limit` fails to finish (not for lack
 * of memory); *e receives the error. */
static int finish_fails(pcs_doc *doc, pcs_populate_fn populate, smac_cs_format fmt,
                        pcs_limit *limit, smac_error *e)
{
    smac_error_clear(e);
    cs_builder *b = smac_cs_builder_new();
    if (!b)
        return 0;
    smac_cs *cs = NULL;
    int rc = populate(doc, b, limit, e);
    if (rc == 0)
        rc = smac_cs_builder_finish(b, fmt, &cs, e);
    smac_cs_free(cs);
    smac_cs_builder_free(b);
    return rc != 0 && rc != SMAC_ERR_NOMEM;
}

/* Smallest k in [1, hi] for which the build with k conditions (conds = 1)
 * or k clauses fails; fills *e and *line from that build. 0 if none. */
static long bisect(pcs_doc *doc, pcs_populate_fn populate, smac_cs_format fmt, int conds, long hi,
                   smac_error *e, const pcs_line **line)
{
    long lo = 1, found = 0;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        pcs_limit lim = {conds ? mid : -1, conds ? 0 : mid, NULL, NULL};
        if (finish_fails(doc, populate, fmt, &lim, e)) {
            found = mid;
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    if (found) {
        pcs_limit lim = {conds ? found : -1, conds ? 0 : found, NULL, NULL};
        finish_fails(doc, populate, fmt, &lim, e);
        *line = conds ? lim.last_condition : lim.last_forbidden;
    }
    return found;
}

void pcs_blame(pcs_doc *doc, pcs_populate_fn populate, smac_cs_format fmt, smac_error *err)
{
    if (!err || err->code == SMAC_ERR_NOMEM) {
        smac_error_locate(err, doc->file, 0, 0);
        return;
    }
    long n_cond = 0, n_forb = 0;
    for (size_t i = 0; i < doc->lines.len; i++) {
        n_cond += doc->lines.items[i].kind == PCS_LINE_CONDITION;
        n_forb += doc->lines.items[i].kind == PCS_LINE_FORBIDDEN;
    }
    smac_error e;
    const pcs_line *line = NULL;
    pcs_limit no_clauses = {-1, 0, NULL, NULL};
    int conds = finish_fails(doc, populate, fmt, &no_clauses, &e);
    if (bisect(doc, populate, fmt, conds, conds ? n_cond : n_forb, &e, &line) && line) {
        pcs_cur c;
        pcs_cur_init(&c, doc, line, err);
        *err = e;
        pcs_locate(&c, 0);
        return;
    }
    smac_error_locate(err, doc->file, 0, 0);
}

/* ===================================================== shared by writers */

void pcs_put_int(smac_strbuf *sb, double v)
{
    char buf[400];
    snprintf(buf, sizeof buf, "%.0f", v + 0.0);
    smac_strbuf_puts(sb, buf);
}

void pcs_put_value(smac_strbuf *sb, const cs_param *p, double v)
{
    switch (p->type) {
    case SMAC_PARAM_INTEGER:
        pcs_put_int(sb, v);
        return;
    case SMAC_PARAM_REAL:
        smac_strbuf_double(sb, v, 0);
        return;
    default:
        /* Compare before converting: a NaN or huge index must not reach the cast. */
        if (p->choices && v >= 0 && v < p->n_choices)
            smac_strbuf_puts(sb, p->choices[(int)v]);
        return;
    }
}

int pcs_check_writable(const smac_cs *cs, const char *format, smac_error *err)
{
    for (int i = 0; i < cs->n_params; i++) {
        const cs_param *p = &cs->params[i];
        if (!pcs_is_name(p->name))
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "cannot write parameter name '%s' in %s: names may only use "
                                  "letters, digits and _-@.:;\\/?!$%%&*+<>",
                                  p->name, format);
        if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER)
            continue;
        for (int j = 0; j < p->n_choices; j++)
            if (!pcs_is_name(p->choices[j]))
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "cannot write value '%s' of parameter '%s' in %s: values "
                                      "may only use letters, digits and _-@.:;\\/?!$%%&*+<>",
                                      p->choices[j], p->name, format);
    }
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int pcs_condition_order(const smac_cs *cs, int *order)
{
    if (cs->n_conditions == 0)
        return 0;
    char *done = calloc((size_t)cs->n_conditions, 1);
    int *kids = malloc(((size_t)cs->n_params + 1) * sizeof *kids);
    if (!done || !kids) {
        free(done);
        free(kids);
        return SMAC_ERR_NOMEM;
    }
    int k = 0;
    for (int p = 0; p < cs->n_params; p++) {
        const cs_param *par = &cs->params[p];
        int m = par->n_children < cs->n_params ? par->n_children : cs->n_params;
        if (m <= 0 || !par->children)
            continue;
        memcpy(kids, par->children, (size_t)m * sizeof *kids);
        qsort(kids, (size_t)m, sizeof *kids, cmp_int);
        for (int i = 0; i < m; i++) {
            if (kids[i] < 0 || kids[i] >= cs->n_params)
                continue;
            int j = cs->params[kids[i]].condition;
            if (j >= 0 && j < cs->n_conditions && !done[j]) {
                done[j] = 1;
                order[k++] = j;
            }
        }
    }
    /* Anything not reached through a parent (never, for a finished space)
     * is still written, last. */
    for (int j = 0; j < cs->n_conditions; j++)
        if (!done[j])
            order[k++] = j;
    free(done);
    free(kids);
    return 0;
}

typedef SMAC_VEC(const cs_forbidden *) literal_vec;

/* Collects the EQUALS/IN literals of a clause in order, looking through
 * nested ANDs (ConfigSpace's get_descendant_literal_clauses). */
static int flatten(const cs_forbidden *f, literal_vec *out, int *relation)
{
    switch (f->op) {
    case CS_FORBID_AND:
        for (int i = 0; i < f->n_parts; i++) {
            int rc = flatten(&f->parts[i], out, relation);
            if (rc != 0)
                return rc;
        }
        return 0;
    case CS_FORBID_EQUALS:
    case CS_FORBID_IN:
        SMAC_VEC_PUSH(out, f, nomem);
        return 0;
    default:
        *relation = 1;
        return 0;
    }
nomem:
    return SMAC_ERR_NOMEM;
}

static void put_literal(smac_strbuf *sb, const smac_cs *cs, const cs_forbidden *f, double v,
                        int first)
{
    if (!first)
        smac_strbuf_puts(sb, ", ");
    const cs_param *p = &cs->params[f->param];
    smac_strbuf_puts(sb, p->name);
    smac_strbuf_putc(sb, '=');
    pcs_put_value(sb, p, v);
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Most lines one space may expand to; beyond this the product of IN
 * clauses is surely a mistake and the text would be unusable anyway. */
#define PCS_MAX_FORBIDDEN_LINES 1000000

int pcs_put_forbiddens(smac_strbuf *sb, const smac_cs *cs, const char *format, smac_error *err)
{
    SMAC_VEC(char *) lines = {0};
    literal_vec lits = {0}, ins = {0}, others = {0};
    int *idx = NULL;
    int rc = 0;
    smac_strbuf line;
    smac_strbuf_init(&line);
    for (int k = 0; k < cs->n_forbiddens; k++) {
        lits.len = ins.len = others.len = 0;
        int relation = 0;
        if (flatten(&cs->forbiddens[k], &lits, &relation) != 0)
            goto nomem;
        if (relation) {
            rc = smac_error_set(err, SMAC_ERR_INVALID,
                                "forbidden relations (e.g. a < b) cannot be written in %s", format);
            goto out;
        }
        for (size_t i = 0; i < lits.len; i++) {
            if (lits.items[i]->op == CS_FORBID_IN)
                SMAC_VEC_PUSH(&ins, lits.items[i], nomem);
            else
                SMAC_VEC_PUSH(&others, lits.items[i], nomem);
        }
        free(idx);
        idx = calloc(ins.len + 1, sizeof *idx);
        if (!idx)
            goto nomem;
        /* Odometer over the IN value lists, last one fastest (itertools.product). */
        for (;;) {
            int empty = 0;
            for (size_t i = 0; i < ins.len; i++)
                if (ins.items[i]->n_values <= 0)
                    empty = 1;
            if (empty)
                break; /* an IN over no values forbids nothing */
            smac_strbuf_clear(&line);
            smac_strbuf_putc(&line, '{');
            int first = 1;
            for (size_t i = 0; i < ins.len; i++, first = 0)
                put_literal(&line, cs, ins.items[i], ins.items[i]->values[idx[i]], first);
            for (size_t i = 0; i < others.len; i++, first = 0)
                put_literal(&line, cs, others.items[i], others.items[i]->values[0], first);
            smac_strbuf_putc(&line, '}');
            if (line.failed)
                goto nomem;
            if (lines.len >= PCS_MAX_FORBIDDEN_LINES) {
                rc = smac_error_set(err, SMAC_ERR_INVALID,
                                    "the forbidden clauses expand to more than %d lines in %s",
                                    PCS_MAX_FORBIDDEN_LINES, format);
                goto out;
            }
            char *text = strdup(line.data);
            if (!text)
                goto nomem;
            if (SMAC_VEC_RESERVE(&lines, lines.len + 1) != 0) {
                free(text);
                goto nomem;
            }
            lines.items[lines.len++] = text;
            size_t i = ins.len;
            while (i > 0) {
                i--;
                if (++idx[i] < ins.items[i]->n_values)
                    break;
                idx[i] = 0;
                if (i == 0) {
                    i = (size_t)-1;
                    break;
                }
            }
            if (ins.len == 0 || i == (size_t)-1)
                break;
        }
    }
    if (lines.len > 0) {
        qsort(lines.items, lines.len, sizeof *lines.items, cmp_lines);
        smac_strbuf_puts(sb, "\n\n");
        for (size_t i = 0; i < lines.len; i++) {
            smac_strbuf_puts(sb, lines.items[i]);
            smac_strbuf_putc(sb, '\n');
        }
    }
    goto out;
nomem:
    rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
out:
    for (size_t i = 0; i < lines.len; i++)
        free(lines.items[i]);
    SMAC_VEC_FREE(&lines);
    SMAC_VEC_FREE(&lits);
    SMAC_VEC_FREE(&ins);
    SMAC_VEC_FREE(&others);
    smac_strbuf_free(&line);
    free(idx);
    return rc;
}

int pcs_add_forbiddens(pcs_doc *doc, cs_builder *b, pcs_limit *limit, smac_error *err)
{
    long added = 0;
    int rc = 0;
    for (size_t i = 0; i < doc->lines.len && rc == 0; i++) {
        if (doc->lines.items[i].kind != PCS_LINE_FORBIDDEN)
            continue;
        if (limit->n_forbiddens >= 0 && added >= limit->n_forbiddens)
            break;
        added++;
        limit->last_forbidden = &doc->lines.items[i];
        rc = pcs_read_forbidden(doc, &doc->lines.items[i], b, err);
    }
    return rc;
}

int pcs_read(const char *text, size_t len, const char *filename, smac_cs_format fmt, pcs_populate_fn populate,
             smac_cs **out, smac_error *err)
{
    if (!out)
        return smac_error_set(err, SMAC_ERR_INVALID, "no place to store the space");
    *out = NULL;
    pcs_doc doc;
    int rc = pcs_doc_init(&doc, text, len, filename, err);
    if (rc != 0)
        return rc;
    cs_builder *b = smac_cs_builder_new();
    if (!b)
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    pcs_limit all = {-1, -1, NULL, NULL};
    if (rc == 0)
        rc = populate(&doc, b, &all, err);
    if (rc == 0 && (rc = smac_cs_builder_finish(b, fmt, out, err)) != 0)
        pcs_blame(&doc, populate, fmt, err);
    smac_cs_builder_free(b);
    pcs_doc_free(&doc);
    return rc;
}
