/*
 * Values and their vector ("unit") encoding, as ConfigSpace 0.4.x does it
 * (formats.md §3.5): numeric parameters are mapped linearly (or on the log
 * scale) onto [0,1]; integers use the range widened by 0.49999 on each side
 * so that every integer owns an equal slice of [0,1]; a quantised real uses
 * its range widened by about q/2; categorical and ordinal parameters are
 * stored as the index of their choice. Also the texts of values: Python's
 * str() (what targets receive) and repr() (Configuration.__repr__).
 *
 * The spec asks that a decoded real be normalised by a repr round trip,
 * parse(repr(x)). Our repr is the shortest text that reads back to the same
 * double, so that round trip is the identity and is not performed here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_private.h"
#include "util/floatfmt.h"
#include "util/strbuf.h"

cs_unit_map cs_param_unit_map(const cs_param *p)
{
    double a = p->lower, b = p->upper;
    if (p->type == SMAC_PARAM_INTEGER) {
        a -= 0.49999;
        b += 0.49999;
    } else if (p->q > 0) {
        a -= p->q / 2.0 + 0.0001;
        b += p->q / 2.0 - 0.0001;
    }
    if (p->log) {
        a = log(a);
        b = log(b);
    }
    return (cs_unit_map){a, b - a};
}

double cs_param_to_unit(const cs_param *p, double value)
{
    if (isnan(value))
        return NAN;
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER:
        return cs_map_to_unit(p, cs_param_unit_map(p), value);
    case SMAC_PARAM_CATEGORICAL:
    case SMAC_PARAM_ORDINAL:
        return value;
    case SMAC_PARAM_CONSTANT:
    default:
        return 0.0;
    }
}

double cs_param_from_unit(const cs_param *p, double unit)
{
    if (isnan(unit))
        return NAN;
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER:
        return cs_map_from_unit(p, cs_param_unit_map(p), unit);
    case SMAC_PARAM_CATEGORICAL:
    case SMAC_PARAM_ORDINAL:
        return unit;
    case SMAC_PARAM_CONSTANT:
    default:
        return 0.0;
    }
}

/* ------------------------------------------------------------- texts */

static const char *choice_of(const cs_param *p, double value)
{
    if (p->type == SMAC_PARAM_CONSTANT)
        return p->n_choices > 0 ? p->choices[0] : "";
    if (!(value >= 0) || value >= p->n_choices)
        return NULL;
    return p->choices[(int)value];
}

int cs_param_value_str(const cs_param *p, double value, char *buf, size_t n)
{
    if (p->type == SMAC_PARAM_REAL) {
        char tmp[SMAC_DOUBLE_TEXT];
        smac_format_double(value, tmp);
        return snprintf(buf, n, "%s", tmp);
    }
    if (p->type == SMAC_PARAM_INTEGER) {
        if (!isfinite(value))
            return snprintf(buf, n, "%s", isnan(value) ? "nan" : value > 0 ? "inf" : "-inf");
        return snprintf(buf, n, "%.0f", value);
    }
    const char *c = choice_of(p, value);
    return snprintf(buf, n, "%s", c ? c : "");
}

int smac_cs_value_text(const smac_cs *cs, int i, double unit, char *buf, size_t n)
{
    if (!cs || i < 0 || i >= cs->n_params || isnan(unit)) {
        if (buf && n > 0)
            buf[0] = '\0';
        return -1;
    }
    const cs_param *p = &cs->params[i];
    double v = cs_param_from_unit(p, unit);
    if ((p->type == SMAC_PARAM_CATEGORICAL || p->type == SMAC_PARAM_ORDINAL) && !choice_of(p, v)) {
        if (buf && n > 0)
            buf[0] = '\0';
        return -1;
    }
    return cs_param_value_str(p, v, buf, n);
}

int cs_param_find_choice(const cs_param *p, const char *text)
{
    for (int k = 0; k < p->n_choices; k++)
        if (strcmp(p->choices[k], text) == 0)
            return k;
    /* Choices read from JSON may be numbers: 1 and 1.0 are the same value
     * there, as in Python. */
    double want;
    if (!p->kinds || smac_parse_double(text, &want) != 0)
        return -1;
    for (int k = 0; k < p->n_choices; k++) {
        double have;
        if ((p->kinds[k] == CS_VALUE_INT || p->kinds[k] == CS_VALUE_FLOAT) &&
            smac_parse_double(p->choices[k], &have) == 0 && have == want)
            return k;
    }
    return -1;
}

void cs_param_legal_text(const cs_param *p, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < p->n_choices && used + 1 < n; k++) {
        int w = snprintf(buf + used, n - used, "%s%s", k ? ", " : "", p->choices[k]);
        if (w < 0)
            break;
        used += (size_t)w;
        if (used >= n) {
            /* Truncated: mark it, a long list helps nobody anyway. */
            if (n > 4)
                memcpy(buf + n - 4, "...", 4);
            break;
        }
    }
}

int smac_cs_parse_value(const smac_cs *cs, int i, const char *text, double *unit, smac_error *err)
{
    if (!cs || i < 0 || i >= cs->n_params || !text)
        return smac_error_set(err, SMAC_ERR_INVALID, "no parameter number %d in this space", i);
    const cs_param *p = &cs->params[i];
    if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER) {
        double v;
        if (smac_parse_double(text, &v) != 0 || isnan(v))
            return smac_error_set(err, SMAC_ERR_INVALID, "value '%s' of parameter '%s' is not a number",
                                  text, p->name);
        if (p->type == SMAC_PARAM_INTEGER) {
            if (fabs(v - rint(v)) > 1e-8)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "value '%s' of integer parameter '%s' is not an integer", text,
                                      p->name);
            v = rint(v);
        }
        if (!(v >= p->lower && v <= p->upper)) {
            char lo[40], hi[40];
            cs_param_value_str(p, p->lower, lo, sizeof lo);
            cs_param_value_str(p, p->upper, hi, sizeof hi);
            return smac_error_set(err, SMAC_ERR_INVALID, "value %s of parameter '%s' is outside [%s, %s]",
                                  text, p->name, lo, hi);
        }
        *unit = cs_param_to_unit(p, v);
        return 0;
    }
    int k = cs_param_find_choice(p, text);
    if (k < 0) {
        char legal[512];
        cs_param_legal_text(p, legal, sizeof legal);
        return smac_error_set(err, SMAC_ERR_INVALID, "'%s' is not a legal value of parameter '%s' (legal: %s)",
                              text, p->name, legal);
    }
    *unit = p->type == SMAC_PARAM_CONSTANT ? 0.0 : (double)k;
    return 0;
}

/* ------------------------------------------------------ repr(config) */

static unsigned utf8_decode(const unsigned char *s, int *len)
{
    unsigned c = s[0];
    int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    unsigned cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *len = 1; /* not UTF-8: treat the byte alone */
            return c;
        }
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    *len = n;
    return cp;
}

/* Python's repr() of a str: single quotes unless the text has a single quote
 * and no double quote; backslash escapes for the quote, backslash, \t \n \r
 * and \xNN for other control characters (C0, DEL, C1, NBSP, soft hyphen). */
static void append_py_str_repr(smac_strbuf *sb, const char *s)
{
    char quote = '\'';
    if (strchr(s, '\'') && !strchr(s, '"'))
        quote = '"';
    smac_strbuf_putc(sb, quote);
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned c = *u;
        if (c < 0x80) {
            if (c == (unsigned char)quote || c == '\\') {
                smac_strbuf_putc(sb, '\\');
                smac_strbuf_putc(sb, (char)c);
            } else if (c == '\t') {
                smac_strbuf_puts(sb, "\\t");
            } else if (c == '\n') {
                smac_strbuf_puts(sb, "\\n");
            } else if (c == '\r') {
                smac_strbuf_puts(sb, "\\r");
            } else if (c < 0x20 || c == 0x7F) {
                smac_strbuf_printf(sb, "\\x%02x", c);
            } else {
                smac_strbuf_putc(sb, (char)c);
            }
            u++;
            continue;
        }
        int len;
        unsigned cp = utf8_decode(u, &len);
        if ((cp >= 0x80 && cp <= 0xA0) || cp == 0xAD)
            smac_strbuf_printf(sb, "\\x%02x", cp);
        else
            smac_strbuf_append(sb, (const char *)u, (size_t)len);
        u += len;
    }
    smac_strbuf_putc(sb, quote);
}

static void append_value_repr(smac_strbuf *sb, const cs_param *p, double value)
{
    if (p->type == SMAC_PARAM_REAL) {
        smac_strbuf_double(sb, value, 0);
        return;
    }
    if (p->type == SMAC_PARAM_INTEGER) {
        smac_strbuf_printf(sb, "%.0f", value);
        return;
    }
    int k = p->type == SMAC_PARAM_CONSTANT ? 0 : (int)value;
    const char *c = choice_of(p, value);
    if (!c) {
        smac_strbuf_puts(sb, "None");
        return;
    }
    if (!p->kinds || p->kinds[k] == CS_VALUE_STRING)
        append_py_str_repr(sb, c);
    else
        smac_strbuf_puts(sb, c);
}

static int by_name(const void *a, const void *b)
{
    const cs_param *pa = *(const cs_param *const *)a;
    const cs_param *pb = *(const cs_param *const *)b;
    return strcmp(pa->name, pb->name);
}

char *smac_cs_config_repr(const smac_cs *cs, const double *vec)
{
    if (!cs || !vec)
        return NULL;
    int n = cs->n_params;
    const cs_param **order = malloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (int i = 0; i < n; i++)
        order[i] = &cs->params[i];
    /* ConfigSpace 0.4.21's Configuration.__repr__ (as SMAC3 v1.1 logs the
     * final incumbent): active values sorted by name (strcmp on UTF-8 bytes
     * sorts like Python compares code points), one "  'name': repr," line
     * each, between "Configuration(values={" and "})", ending in a newline. */
    qsort(order, (size_t)n, sizeof *order, by_name);
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_puts(&sb, "Configuration(values={\n");
    for (int j = 0; j < n; j++) {
        const cs_param *p = order[j];
        int i = (int)(p - cs->params);
        if (isnan(vec[i]))
            continue;
        smac_strbuf_printf(&sb, "  '%s': ", p->name);
        append_value_repr(&sb, p, cs_param_from_unit(p, vec[i]));
        smac_strbuf_puts(&sb, ",\n");
    }
    smac_strbuf_puts(&sb, "})\n");
    free(order);
    return smac_strbuf_take(&sb);
}
