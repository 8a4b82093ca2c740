/*
 * What makes a configuration vector legal: conditions (which parameters are
 * active), forbidden clauses (which value combinations are excluded) and the
 * range of each entry. cs_cond_eval, cs_forbidden_matches and
 * cs_fix_activity are the hot-path primitives shared by sampling and the
 * neighbourhood; smac_cs_check is the slow, talkative version that says what
 * is wrong.
 *
 * Values are compared in the parent's own terms: a choice index for
 * categorical/ordinal parents, the decoded number for real/integer ones.
 * An inactive (NaN) entry makes a condition leaf false and a forbidden clause
 * not match, as in ConfigSpace.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cs/cs_private.h"
#include "util/floatfmt.h"

/* ------------------------------------------------------- comparisons */

/* value (decoded, the parent's terms) == target; for reals also accept an
 * equal vector entry, which is how ConfigSpace compares. */
static int same_value(const smac_cs *cs, int i, double unit, double value, double target)
{
    if (value == target)
        return 1;
    const cs_param *p = &cs->params[i];
    return p->type == SMAC_PARAM_REAL && unit == cs_map_to_unit(p, cs_map_of(cs, i), target);
}

int cs_cond_eval(const smac_cs *cs, const cs_cond *c, const double *vec)
{
    switch (c->op) {
    case CS_COND_AND:
        for (int i = 0; i < c->n_parts; i++)
            if (!cs_cond_eval(cs, &c->parts[i], vec))
                return 0;
        return 1;
    case CS_COND_OR:
        for (int i = 0; i < c->n_parts; i++)
            if (cs_cond_eval(cs, &c->parts[i], vec))
                return 1;
        return 0;
    default:
        break;
    }
    double unit = vec[c->parent];
    if (isnan(unit))
        return 0;
    double v = cs_vec_value(cs, c->parent, vec);
    switch (c->op) {
    case CS_COND_EQ:
        return same_value(cs, c->parent, unit, v, c->values[0]);
    case CS_COND_NEQ:
        return !same_value(cs, c->parent, unit, v, c->values[0]);
    case CS_COND_LT:
        return v < c->values[0];
    case CS_COND_GT:
        return v > c->values[0];
    case CS_COND_IN:
        for (int i = 0; i < c->n_values; i++)
            if (same_value(cs, c->parent, unit, v, c->values[i]))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* The value of entry i as a number when it has one: the decoded number of a
 * real/integer, the numeric text of a choice ("3", "0.5"). 0 if it has none. */
static int numeric_value(const smac_cs *cs, int i, const double *vec, double *out)
{
    const cs_param *p = &cs->params[i];
    double v = cs_vec_value(cs, i, vec);
    if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER) {
        *out = v;
        return 1;
    }
    int k = p->type == SMAC_PARAM_CONSTANT ? 0 : (int)v;
    if (k < 0 || k >= p->n_choices)
        return 0;
    return smac_parse_double(p->choices[k], out) == 0;
}

/* Compares the values of entries a and b: -1, 0, 1, or 2 when they cannot be
 * ordered (a number against a word). Words compare by code point. */
static int compare_entries(const smac_cs *cs, int a, int b, const double *vec)
{
    double x, y;
    int na = numeric_value(cs, a, vec, &x), nb = numeric_value(cs, b, vec, &y);
    if (na && nb)
        return x < y ? -1 : x > y ? 1 : 0;
    const cs_param *pa = &cs->params[a], *pb = &cs->params[b];
    if (pa->type == SMAC_PARAM_REAL || pa->type == SMAC_PARAM_INTEGER || pb->type == SMAC_PARAM_REAL ||
        pb->type == SMAC_PARAM_INTEGER)
        return 2;
    int ka = pa->type == SMAC_PARAM_CONSTANT ? 0 : (int)vec[a];
    int kb = pb->type == SMAC_PARAM_CONSTANT ? 0 : (int)vec[b];
    if (ka < 0 || ka >= pa->n_choices || kb < 0 || kb >= pb->n_choices)
        return 2;
    int r = strcmp(pa->choices[ka], pb->choices[kb]);
    return r < 0 ? -1 : r > 0 ? 1 : 0;
}

int cs_forbidden_matches(const smac_cs *cs, const cs_forbidden *f, const double *vec)
{
    switch (f->op) {
    case CS_FORBID_AND:
        for (int i = 0; i < f->n_parts; i++)
            if (!cs_forbidden_matches(cs, &f->parts[i], vec))
                return 0;
        return f->n_parts > 0;
    case CS_FORBID_EQUALS:
    case CS_FORBID_IN: {
        double unit = vec[f->param];
        if (isnan(unit))
            return 0;
        double v = cs_vec_value(cs, f->param, vec);
        for (int i = 0; i < f->n_values; i++)
            if (same_value(cs, f->param, unit, v, f->values[i]))
                return 1;
        return 0;
    }
    case CS_FORBID_LESS:
    case CS_FORBID_EQUALS_REL:
    case CS_FORBID_GREATER: {
        if (isnan(vec[f->param]) || isnan(vec[f->other]))
            return 0;
        int r = compare_entries(cs, f->param, f->other, vec);
        if (r == 2)
            return 0;
        return f->op == CS_FORBID_LESS ? r < 0 : f->op == CS_FORBID_GREATER ? r > 0 : r == 0;
    }
    default:
        return 0;
    }
}

int cs_any_forbidden(const smac_cs *cs, const double *vec)
{
    for (int i = 0; i < cs->n_forbiddens; i++)
        if (cs_forbidden_matches(cs, &cs->forbiddens[i], vec))
            return 1;
    return 0;
}

void cs_fix_activity(const smac_cs *cs, double *vec)
{
    const cs_aux *aux = cs_aux_of(cs);
    /* One pass in canonical order settles everything: a condition only
     * reads parents, and parents sit on lower levels, i.e. earlier. */
    for (int i = 0; i < cs->n_params; i++) {
        const cs_param *p = &cs->params[i];
        int active = p->condition < 0 || cs_cond_eval(cs, &cs->conditions[p->condition].root, vec);
        if (!active)
            vec[i] = NAN;
        else if (isnan(vec[i]))
            vec[i] = aux ? aux->default_unit[i] : cs_param_to_unit(p, p->default_value);
    }
}

/* ------------------------------------------------------------ texts */

/* A bounded text appender with snprintf's "length it would have had". */
typedef struct textbuf {
    char *buf;
    size_t cap;
    size_t len;
} textbuf;

static void tb_printf(textbuf *t, const char *fmt, ...) SMAC_PRINTF(2, 3);
static void tb_printf(textbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = t->len < t->cap ? t->buf + t->len : NULL;
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    int w = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->len += (size_t)w;
}

static void tb_value(textbuf *t, const smac_cs *cs, int param, double value)
{
    char v[256];
    cs_param_value_str(&cs->params[param], value, v, sizeof v);
    tb_printf(t, "%s", v);
}

static void cond_text(textbuf *t, const smac_cs *cs, const cs_cond *c, int nested)
{
    if (c->op == CS_COND_AND || c->op == CS_COND_OR) {
        if (nested)
            tb_printf(t, "(");
        for (int i = 0; i < c->n_parts; i++) {
            if (i)
                tb_printf(t, c->op == CS_COND_AND ? " && " : " || ");
            cond_text(t, cs, &c->parts[i], 1);
        }
        if (nested)
            tb_printf(t, ")");
        return;
    }
    static const char *const ops[] = {"==", "!=", "<", ">", "in"};
    tb_printf(t, "%s %s ", cs->params[c->parent].name, ops[c->op]);
    if (c->op == CS_COND_IN) {
        tb_printf(t, "{");
        for (int i = 0; i < c->n_values; i++) {
            if (i)
                tb_printf(t, ", ");
            tb_value(t, cs, c->parent, c->values[i]);
        }
        tb_printf(t, "}");
    } else {
        tb_value(t, cs, c->parent, c->values[0]);
    }
}

static void forbidden_inner(textbuf *t, const smac_cs *cs, const cs_forbidden *f)
{
    switch (f->op) {
    case CS_FORBID_AND:
        for (int i = 0; i < f->n_parts; i++) {
            if (i)
                tb_printf(t, ", ");
            forbidden_inner(t, cs, &f->parts[i]);
        }
        return;
    case CS_FORBID_EQUALS:
        tb_printf(t, "%s=", cs->params[f->param].name);
        tb_value(t, cs, f->param, f->values[0]);
        return;
    case CS_FORBID_IN:
        tb_printf(t, "%s in {", cs->params[f->param].name);
        for (int i = 0; i < f->n_values; i++) {
            if (i)
                tb_printf(t, ", ");
            tb_value(t, cs, f->param, f->values[i]);
        }
        tb_printf(t, "}");
        return;
    case CS_FORBID_LESS:
    case CS_FORBID_EQUALS_REL:
    case CS_FORBID_GREATER:
        tb_printf(t, "%s %s %s", cs->params[f->param].name,
                  f->op == CS_FORBID_LESS ? "<" : f->op == CS_FORBID_GREATER ? ">" : "==",
                  cs->params[f->other].name);
        return;
    }
}

int cs_forbidden_text(const smac_cs *cs, const cs_forbidden *f, char *buf, size_t n)
{
    textbuf t = {buf, n, 0};
    if (n > 0)
        buf[0] = '\0';
    tb_printf(&t, "{");
    forbidden_inner(&t, cs, f);
    tb_printf(&t, "}");
    return (int)t.len;
}

/* --------------------------------------------------------- validity */

static int entry_is_legal(const cs_param *p, double x)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER:
        return x >= 0.0 && x <= 1.0;
    case SMAC_PARAM_CATEGORICAL:
    case SMAC_PARAM_ORDINAL:
        return x >= 0.0 && x < p->n_choices && x == floor(x);
    case SMAC_PARAM_CONSTANT:
        return x == 0.0;
    }
    return 0;
}

int smac_cs_check(const smac_cs *cs, const double *vec, smac_error *err)
{
    if (!cs || !vec)
        return smac_error_set(err, SMAC_ERR_INVALID, "no configuration space or no configuration");
    char text[768];
    for (int i = 0; i < cs->n_params; i++) {
        const cs_param *p = &cs->params[i];
        const cs_cond *c = p->condition >= 0 ? &cs->conditions[p->condition].root : NULL;
        int active = !c || cs_cond_eval(cs, c, vec);
        double x = vec[i];
        if (c && active != !isnan(x)) {
            textbuf t = {text, sizeof text, 0};
            cond_text(&t, cs, c, 0);
            if (active)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "parameter '%s' is active (its condition '%s' holds) but has no value",
                                      p->name, text);
            char v[SMAC_DOUBLE_TEXT];
            smac_format_double(x, v);
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "parameter '%s' is inactive (its condition '%s' does not hold) but has the "
                                  "vector value %s",
                                  p->name, text, v);
        }
        if (!active)
            continue;
        if (isnan(x))
            return smac_error_set(err, SMAC_ERR_INVALID, "parameter '%s' is unconditional but has no value",
                                  p->name);
        if (!entry_is_legal(p, x)) {
            char v[SMAC_DOUBLE_TEXT];
            smac_format_double(x, v);
            if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "parameter '%s' has the vector value %s, outside [0, 1]", p->name, v);
            if (p->type == SMAC_PARAM_CONSTANT)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "constant parameter '%s' has the vector value %s instead of 0", p->name, v);
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "parameter '%s' has the vector value %s, not a choice index in 0..%d",
                                  p->name, v, p->n_choices - 1);
        }
    }
    for (int i = 0; i < cs->n_forbiddens; i++) {
        const cs_forbidden *f = &cs->forbiddens[i];
        if (cs_forbidden_matches(cs, f, vec)) {
            cs_forbidden_text(cs, f, text, sizeof text);
            return smac_error_set(err, SMAC_ERR_INVALID, "the configuration violates the forbidden clause %s",
                                  text);
        }
    }
    return 0;
}
