/*
 * The builder: the one way to make a configuration space. Readers (old PCS,
 * pcs_new, JSON) and library users add parameters, then conditions and
 * forbidden clauses by name with values as text; the builder checks every
 * piece as ConfigSpace 0.4.x does and converts values into the parameter's
 * own terms. smac_cs_builder_finish then fixes SMAC3's canonical order
 * (formats.md §3.5: topological level, then name), detects cycles, links
 * parents to children, precomputes the per-space data of cs_aux and refuses
 * a space whose default configuration is forbidden.
 *
 * Until finish, conditions and clauses refer to parameters by their index in
 * the order of addition; finish renumbers them canonically.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_private.h"
#include "util/floatfmt.h"
#include "util/vec.h"

struct cs_builder {
    SMAC_VEC(cs_param) params;     /* order of addition; .condition indexes conds */
    cs_names names;                /* name -> index in params (keys borrowed) */
    SMAC_VEC(cs_condition) conds;  /* child and leaf parents: indices in params */
    SMAC_VEC(cs_forbidden) forbs;
    char *name;
};

/* Integers are stored in doubles; beyond 2^53 they stop being exact. */
#define CS_MAX_EXACT_INT 9007199254740992.0

cs_builder *smac_cs_builder_new(void)
{
    cs_builder *b = calloc(1, sizeof *b);
    if (b)
        cs_names_init(&b->names);
    return b;
}

void smac_cs_builder_free(cs_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->params.len; i++)
        cs_param_clear(&b->params.items[i]);
    SMAC_VEC_FREE(&b->params);
    for (size_t i = 0; i < b->conds.len; i++)
        cs_cond_clear(&b->conds.items[i].root);
    SMAC_VEC_FREE(&b->conds);
    for (size_t i = 0; i < b->forbs.len; i++)
        cs_forbidden_clear(&b->forbs.items[i]);
    SMAC_VEC_FREE(&b->forbs);
    cs_names_free(&b->names);
    free(b->name);
    free(b);
}

int smac_cs_builder_set_name(cs_builder *b, const char *name, smac_error *err)
{
    char *copy = NULL;
    if (name && !(copy = strdup(name)))
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    free(b->name);
    b->name = copy;
    return 0;
}

static int nomem(smac_error *err) { return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory"); }

static const char *type_word(smac_param_type t)
{
    switch (t) {
    case SMAC_PARAM_REAL: return "real";
    case SMAC_PARAM_INTEGER: return "integer";
    case SMAC_PARAM_CATEGORICAL: return "categorical";
    case SMAC_PARAM_ORDINAL: return "ordinal";
    case SMAC_PARAM_CONSTANT: return "constant";
    }
    return "unknown";
}

/* repr() of a number for messages. */
static const char *num(double x, char buf[SMAC_DOUBLE_TEXT])
{
    smac_format_double(x, buf);
    return buf;
}

/* numpy.round(x, 10), which ConfigSpace applies to real defaults. */
static double round10(double x)
{
    double y = x * 1e10;
    if (!isfinite(y))
        return x;
    return rint(y) / 1e10;
}

static int check_new_name(cs_builder *b, const char *name, smac_error *err)
{
    if (!name || !name[0])
        return smac_error_set(err, SMAC_ERR_INVALID, "a parameter needs a non-empty name");
    if (cs_names_get(&b->names, name) >= 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "parameter '%s' is defined twice", name);
    return 0;
}

/* Takes ownership of *p's memory whatever happens. */
static int push_param(cs_builder *b, cs_param *p, smac_error *err)
{
    p->condition = -1;
    p->level = 1;
    if (SMAC_VEC_RESERVE(&b->params, b->params.len + 1) != 0)
        goto fail;
    /* The table borrows the name: the string does not move when the
     * params array is reallocated. */
    if (cs_names_put(&b->names, p->name, (int)b->params.len) < 0)
        goto fail;
    b->params.items[b->params.len++] = *p;
    return 0;
fail:
    cs_param_clear(p);
    return nomem(err);
}

static int check_bounds(const char *name, const char *type, double lower, double upper, int use_log,
                        smac_error *err)
{
    char a[SMAC_DOUBLE_TEXT], c[SMAC_DOUBLE_TEXT];
    /* integers read better without the ".0" of repr */
    if (strcmp(type, "integer") == 0 && isfinite(lower) && isfinite(upper)) {
        snprintf(a, sizeof a, "%.0f", lower);
        snprintf(c, sizeof c, "%.0f", upper);
    } else {
        num(lower, a);
        num(upper, c);
    }
    if (!isfinite(lower) || !isfinite(upper))
        return smac_error_set(err, SMAC_ERR_INVALID, "%s parameter '%s': bounds must be finite numbers, got [%s, %s]",
                              type, name, a, c);
    if (lower >= upper)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "%s parameter '%s': lower bound %s must be smaller than upper bound %s", type, name,
                              a, c);
    if (use_log && lower <= 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "%s parameter '%s' is on a log scale, so its lower bound must be positive, got %s",
                              type, name, a);
    return 0;
}

int smac_cs_builder_add_real(cs_builder *b, const char *name, double lower, double upper, int has_default,
                             double def, int use_log, double q, smac_error *err)
{
    int rc;
    char t1[SMAC_DOUBLE_TEXT], t2[SMAC_DOUBLE_TEXT], t3[SMAC_DOUBLE_TEXT];
    if ((rc = check_new_name(b, name, err)) != 0)
        return rc;
    if ((rc = check_bounds(name, "real", lower, upper, use_log, err)) != 0)
        return rc;
    if (isnan(q) || q < 0 || isinf(q))
        return smac_error_set(err, SMAC_ERR_INVALID, "real parameter '%s': quantisation q must be positive, got %s",
                              name, num(q, t1));
    if (q > 0) {
        /* As ConfigSpace: the remainder, rounded to 10 decimals, must be 0
         * or q itself (2.4 % 0.2 is 0.19999999999999979). */
        double r = round10(fmod(upper - lower, q));
        if (r != 0 && r != q)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "real parameter '%s': upper bound %s minus lower bound %s must be a multiple of "
                                  "q = %s",
                                  name, num(upper, t1), num(lower, t2), num(q, t3));
        if (use_log && lower - (q / 2.0 + 0.0001) <= 0)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "real parameter '%s' is on a log scale and quantised with q = %s, so its lower "
                                  "bound must exceed q/2 + 0.0001, got %s",
                                  name, num(q, t1), num(lower, t2));
    }
    if (!has_default)
        def = use_log ? exp((log(lower) + log(upper)) / 2.0) : (lower + upper) / 2.0;
    if (isnan(def))
        return smac_error_set(err, SMAC_ERR_INVALID, "real parameter '%s': the default value is not a number", name);
    def = round10(def);
    if (!(def >= lower && def <= upper))
        return smac_error_set(err, SMAC_ERR_INVALID, "real parameter '%s': default value %s is outside [%s, %s]",
                              name, num(def, t1), num(lower, t2), num(upper, t3));
    cs_param p = {0};
    if (!(p.name = strdup(name)))
        return nomem(err);
    p.type = SMAC_PARAM_REAL;
    p.log = use_log ? 1 : 0;
    p.lower = lower;
    p.upper = upper;
    p.q = q;
    p.default_value = def;
    return push_param(b, &p, err);
}

/* ConfigSpace's check_int: an integer parameter's numbers must be integral
 * (to 1e-8) and, here, exactly representable. */
static int check_integral(const char *name, const char *what, double x, smac_error *err)
{
    char t[SMAC_DOUBLE_TEXT];
    if (!isfinite(x) || fabs(x - rint(x)) > 1e-8)
        return smac_error_set(err, SMAC_ERR_INVALID, "integer parameter '%s': %s %s is not an integer", name,
                              what, num(x, t));
    if (fabs(x) > CS_MAX_EXACT_INT)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "integer parameter '%s': %s %s is too large (at most 2^53 in magnitude)", name,
                              what, num(x, t));
    return 0;
}

int smac_cs_builder_add_integer(cs_builder *b, const char *name, double lower, double upper, int has_default,
                                double def, int use_log, double q, smac_error *err)
{
    int rc;
    char t1[SMAC_DOUBLE_TEXT];
    if ((rc = check_new_name(b, name, err)) != 0)
        return rc;
    if ((rc = check_integral(name, "lower bound", lower, err)) != 0 ||
        (rc = check_integral(name, "upper bound", upper, err)) != 0)
        return rc;
    lower = rint(lower);
    upper = rint(upper);
    if ((rc = check_bounds(name, "integer", lower, upper, use_log, err)) != 0)
        return rc;
    if (isnan(q) || q < 0 || isinf(q))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "integer parameter '%s': quantisation q must be positive, got %s", name, num(q, t1));
    if (q < 1) {
        q = 0; /* ConfigSpace ignores q < 1 for integers (with a warning) */
    } else {
        if ((rc = check_integral(name, "quantisation q", q, err)) != 0)
            return rc;
        q = rint(q);
        if (fmod(upper - lower, q) != 0)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "integer parameter '%s': upper bound %.0f minus lower bound %.0f must be a "
                                  "multiple of q = %.0f",
                                  name, upper, lower, q);
    }
    if (has_default) {
        if ((rc = check_integral(name, "default value", def, err)) != 0)
            return rc;
    } else {
        def = use_log ? exp((log(lower) + log(upper)) / 2.0) : (lower + upper) / 2.0;
    }
    def = rint(def); /* numpy.round(x, 0): halves to even, like rint */
    if (!(def >= lower && def <= upper))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "integer parameter '%s': default value %.0f is outside [%.0f, %.0f]", name, def,
                              lower, upper);
    cs_param p = {0};
    if (!(p.name = strdup(name)))
        return nomem(err);
    p.type = SMAC_PARAM_INTEGER;
    p.log = use_log ? 1 : 0;
    p.lower = lower;
    p.upper = upper;
    p.q = q;
    p.default_value = def;
    return push_param(b, &p, err);
}

/* Fills p's choices (copies) and kinds; checks there is at least one choice
 * and no duplicate. On error p owns what was allocated so far. */
static int set_choices(cs_param *p, const char *type, int n, const char *const *choices,
                       const cs_value_kind *kinds, smac_error *err)
{
    if (n < 1 || !choices)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s parameter '%s' has no values", type, p->name);
    p->choices = calloc((size_t)n, sizeof *p->choices);
    p->kinds = calloc((size_t)n, sizeof *p->kinds);
    if (!p->choices || !p->kinds)
        return nomem(err);
    p->n_choices = n;
    cs_names seen;
    cs_names_init(&seen);
    int rc = 0;
    for (int k = 0; k < n; k++) {
        if (!choices[k]) {
            rc = smac_error_set(err, SMAC_ERR_INVALID, "%s parameter '%s': value number %d is missing", type,
                                p->name, k + 1);
            break;
        }
        if (!(p->choices[k] = strdup(choices[k]))) {
            rc = nomem(err);
            break;
        }
        p->kinds[k] = kinds ? kinds[k] : CS_VALUE_STRING;
        int put = cs_names_put(&seen, p->choices[k], k);
        if (put < 0) {
            rc = nomem(err);
            break;
        }
        if (put == 1) {
            rc = smac_error_set(err, SMAC_ERR_INVALID, "%s parameter '%s': value '%s' is listed twice", type,
                                p->name, choices[k]);
            break;
        }
    }
    cs_names_free(&seen);
    return rc;
}

static int set_default_choice(cs_param *p, const char *type, const char *def, smac_error *err)
{
    if (!def) {
        p->default_value = 0;
        return 0;
    }
    int k = -1;
    for (int i = 0; i < p->n_choices && k < 0; i++)
        if (strcmp(p->choices[i], def) == 0)
            k = i;
    if (k < 0) {
        char legal[512];
        cs_param_legal_text(p, legal, sizeof legal);
        return smac_error_set(err, SMAC_ERR_INVALID, "%s parameter '%s': default value '%s' is not one of its values (%s)",
                              type, p->name, def, legal);
    }
    p->default_value = k;
    return 0;
}

int smac_cs_builder_add_categorical(cs_builder *b, const char *name, int n, const char *const *choices,
                                    const cs_value_kind *kinds, const char *def, const double *weights,
                                    smac_error *err)
{
    int rc;
    if ((rc = check_new_name(b, name, err)) != 0)
        return rc;
    cs_param p = {0};
    p.type = SMAC_PARAM_CATEGORICAL;
    if (!(p.name = strdup(name)))
        return nomem(err);
    if ((rc = set_choices(&p, "categorical", n, choices, kinds, err)) != 0 ||
        (rc = set_default_choice(&p, "categorical", def, err)) != 0)
        goto fail;
    if (weights) {
        int any = 0;
        for (int k = 0; k < n; k++) {
            if (!(weights[k] >= 0) || isinf(weights[k])) {
                char t[SMAC_DOUBLE_TEXT];
                rc = smac_error_set(err, SMAC_ERR_INVALID,
                                    "categorical parameter '%s': weight %s of value '%s' is not a finite "
                                    "non-negative number",
                                    name, num(weights[k], t), choices[k]);
                goto fail;
            }
            any |= weights[k] > 0;
        }
        if (!any) {
            rc = smac_error_set(err, SMAC_ERR_INVALID, "categorical parameter '%s': all weights are zero", name);
            goto fail;
        }
        if (!(p.weights = malloc((size_t)n * sizeof *p.weights))) {
            rc = nomem(err);
            goto fail;
        }
        memcpy(p.weights, weights, (size_t)n * sizeof *p.weights);
    }
    return push_param(b, &p, err);
fail:
    cs_param_clear(&p);
    return rc;
}

int smac_cs_builder_add_ordinal(cs_builder *b, const char *name, int n, const char *const *sequence,
                                const cs_value_kind *kinds, const char *def, smac_error *err)
{
    int rc;
    if ((rc = check_new_name(b, name, err)) != 0)
        return rc;
    cs_param p = {0};
    p.type = SMAC_PARAM_ORDINAL;
    if (!(p.name = strdup(name)))
        return nomem(err);
    if ((rc = set_choices(&p, "ordinal", n, sequence, kinds, err)) != 0 ||
        (rc = set_default_choice(&p, "ordinal", def, err)) != 0) {
        cs_param_clear(&p);
        return rc;
    }
    return push_param(b, &p, err);
}

int smac_cs_builder_add_constant(cs_builder *b, const char *name, const char *value, cs_value_kind kind,
                                 smac_error *err)
{
    int rc;
    if ((rc = check_new_name(b, name, err)) != 0)
        return rc;
    if (!value)
        return smac_error_set(err, SMAC_ERR_INVALID, "constant parameter '%s' has no value", name);
    cs_param p = {0};
    p.type = SMAC_PARAM_CONSTANT;
    if (!(p.name = strdup(name)))
        return nomem(err);
    const char *one[1] = {value};
    if ((rc = set_choices(&p, "constant", 1, one, &kind, err)) != 0) {
        cs_param_clear(&p);
        return rc;
    }
    p.default_value = 0;
    return push_param(b, &p, err);
}

/* ------------------------------------------------ values of conditions */

/* Converts a value given as text into the parameter's terms (choice index,
 * or the number itself). `what` starts the message ("condition of 'x'"). */
static int convert_value(const cs_param *p, const char *text, double *out, const char *what, smac_error *err)
{
    if (!text)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: a value for parameter '%s' is missing", what, p->name);
    if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER) {
        double v;
        char t1[SMAC_DOUBLE_TEXT], t2[SMAC_DOUBLE_TEXT];
        if (smac_parse_double(text, &v) != 0 || isnan(v))
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: value '%s' is not a number, but parameter '%s' is %s",
                                  what, text, p->name, type_word(p->type));
        if (p->type == SMAC_PARAM_INTEGER) {
            if (fabs(v - rint(v)) > 1e-8)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "%s: value '%s' is not an integer, but parameter '%s' is integer", what,
                                      text, p->name);
            v = rint(v);
        }
        if (!(v >= p->lower && v <= p->upper)) {
            if (p->type == SMAC_PARAM_INTEGER)
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "%s: value '%s' is outside the range [%.0f, %.0f] of parameter '%s'", what,
                                      text, p->lower, p->upper, p->name);
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: value '%s' is outside the range [%s, %s] of parameter '%s'",
                                  what, text, num(p->lower, t1), num(p->upper, t2), p->name);
        }
        *out = v;
        return 0;
    }
    int k = cs_param_find_choice(p, text);
    if (k < 0) {
        char legal[512];
        cs_param_legal_text(p, legal, sizeof legal);
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: '%s' is not a legal value of parameter '%s' (legal: %s)",
                              what, text, p->name, legal);
    }
    *out = p->type == SMAC_PARAM_CONSTANT ? 0.0 : (double)k;
    return 0;
}

static int convert_values(const cs_param *p, int n, const char *const *texts, double **out, const char *what,
                          smac_error *err)
{
    if (n < 1 || !texts)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: no value given for parameter '%s'", what, p->name);
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return nomem(err);
    for (int i = 0; i < n; i++) {
        int rc = convert_value(p, texts[i], &v[i], what, err);
        if (rc != 0) {
            free(v);
            return rc;
        }
    }
    *out = v;
    return 0;
}

static int lookup(cs_builder *b, const char *name, const char *what, const char *role, smac_error *err)
{
    int i = name ? cs_names_get(&b->names, name) : -1;
    if (i < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: unknown %sparameter '%s'", what, role,
                              name ? name : "(none)");
    return i;
}

static int convert_cond(cs_builder *b, const cs_cond_spec *s, cs_cond *out, const char *what, int depth,
                        smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (!s)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: the condition is missing", what);
    if (depth > 1000)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: the condition is nested too deeply", what);
    out->op = s->op;
    if (s->op == CS_COND_AND || s->op == CS_COND_OR) {
        if (s->n_parts < 1 || !s->parts)
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: an %s condition needs at least one part", what,
                                  s->op == CS_COND_AND ? "AND" : "OR");
        if (!(out->parts = calloc((size_t)s->n_parts, sizeof *out->parts)))
            return nomem(err);
        out->n_parts = s->n_parts;
        for (int i = 0; i < s->n_parts; i++) {
            int rc = convert_cond(b, &s->parts[i], &out->parts[i], what, depth + 1, err);
            if (rc != 0) {
                cs_cond_clear(out);
                return rc;
            }
        }
        return 0;
    }
    if ((int)s->op < CS_COND_EQ || s->op > CS_COND_IN)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: unknown condition type %d", what, (int)s->op);
    int parent = lookup(b, s->parent, what, "parent ", err);
    if (parent < 0)
        return parent;
    const cs_param *p = &b->params.items[parent];
    out->parent = parent;
    if (s->op != CS_COND_IN && s->n_values != 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: a comparison with parent '%s' needs exactly one value, got %d",
                              what, p->name, s->n_values);
    if ((s->op == CS_COND_LT || s->op == CS_COND_GT) &&
        (p->type == SMAC_PARAM_CATEGORICAL || p->type == SMAC_PARAM_CONSTANT))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "%s: '%s' needs a numeric or ordinal parent, but '%s' is %s", what,
                              s->op == CS_COND_LT ? "<" : ">", p->name, type_word(p->type));
    int rc = convert_values(p, s->n_values, s->values, &out->values, what, err);
    if (rc != 0)
        return rc;
    out->n_values = s->n_values;
    return 0;
}

int smac_cs_builder_add_condition(cs_builder *b, const char *child, const cs_cond_spec *spec, smac_error *err)
{
    char what[300];
    snprintf(what, sizeof what, "condition of '%s'", child ? child : "(none)");
    int c = lookup(b, child, what, "", err);
    if (c < 0)
        return c;
    if (b->params.items[c].condition >= 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "parameter '%s' already has a condition; a second one would be ambiguous (combine "
                              "them with && in one condition)",
                              child);
    cs_condition cond = {.child = c};
    int rc = convert_cond(b, spec, &cond.root, what, 0, err);
    if (rc != 0)
        return rc;
    if (SMAC_VEC_RESERVE(&b->conds, b->conds.len + 1) != 0) {
        cs_cond_clear(&cond.root);
        return nomem(err);
    }
    b->params.items[c].condition = (int)b->conds.len;
    b->conds.items[b->conds.len++] = cond;
    return 0;
}

static int convert_forbidden(cs_builder *b, const cs_forbid_spec *s, cs_forbidden *out, int depth,
                             smac_error *err)
{
    const char *what = "forbidden clause";
    memset(out, 0, sizeof *out);
    if (!s)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: the clause is missing", what);
    if (depth > 1000)
        return smac_error_set(err, SMAC_ERR_INVALID, "%s: nested too deeply", what);
    out->op = s->op;
    switch (s->op) {
    case CS_FORBID_AND:
        if (s->n_parts < 1 || !s->parts)
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: an AND clause needs at least one part", what);
        if (!(out->parts = calloc((size_t)s->n_parts, sizeof *out->parts)))
            return nomem(err);
        out->n_parts = s->n_parts;
        for (int i = 0; i < s->n_parts; i++) {
            int rc = convert_forbidden(b, &s->parts[i], &out->parts[i], depth + 1, err);
            if (rc != 0) {
                cs_forbidden_clear(out);
                return rc;
            }
        }
        return 0;
    case CS_FORBID_EQUALS:
    case CS_FORBID_IN: {
        int p = lookup(b, s->param, what, "", err);
        if (p < 0)
            return p;
        out->param = p;
        if (s->op == CS_FORBID_EQUALS && s->n_values != 1)
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: '%s=' needs exactly one value, got %d", what,
                                  s->param, s->n_values);
        int rc = convert_values(&b->params.items[p], s->n_values, s->values, &out->values, what, err);
        if (rc != 0)
            return rc;
        out->n_values = s->n_values;
        return 0;
    }
    case CS_FORBID_LESS:
    case CS_FORBID_EQUALS_REL:
    case CS_FORBID_GREATER: {
        int p = lookup(b, s->param, what, "", err);
        if (p < 0)
            return p;
        int o = lookup(b, s->other, what, "", err);
        if (o < 0)
            return o;
        out->param = p;
        out->other = o;
        return 0;
    }
    }
    return smac_error_set(err, SMAC_ERR_INVALID, "%s: unknown clause type %d", what, (int)s->op);
}

int smac_cs_builder_add_forbidden(cs_builder *b, const cs_forbid_spec *spec, smac_error *err)
{
    cs_forbidden f;
    int rc = convert_forbidden(b, spec, &f, 0, err);
    if (rc != 0)
        return rc;
    if (SMAC_VEC_RESERVE(&b->forbs, b->forbs.len + 1) != 0) {
        cs_forbidden_clear(&f);
        return nomem(err);
    }
    b->forbs.items[b->forbs.len++] = f;
    return 0;
}

/* ----------------------------------------------------------- finish */

/* Appends the parents named by the leaves of c (duplicates allowed). */
static void collect_parents(const cs_cond *c, int *out, int *n)
{
    if (c->op == CS_COND_AND || c->op == CS_COND_OR) {
        for (int i = 0; i < c->n_parts; i++)
            collect_parents(&c->parts[i], out, n);
        return;
    }
    out[(*n)++] = c->parent;
}

static int count_leaves(const cs_cond *c)
{
    if (c->op != CS_COND_AND && c->op != CS_COND_OR)
        return 1;
    int n = 0;
    for (int i = 0; i < c->n_parts; i++)
        n += count_leaves(&c->parts[i]);
    return n;
}

static void remap_cond(cs_cond *c, const int *inv)
{
    if (c->op == CS_COND_AND || c->op == CS_COND_OR) {
        for (int i = 0; i < c->n_parts; i++)
            remap_cond(&c->parts[i], inv);
        return;
    }
    c->parent = inv[c->parent];
}

static void remap_forbidden(cs_forbidden *f, const int *inv)
{
    if (f->op == CS_FORBID_AND) {
        for (int i = 0; i < f->n_parts; i++)
            remap_forbidden(&f->parts[i], inv);
        return;
    }
    f->param = inv[f->param];
    if (f->op == CS_FORBID_LESS || f->op == CS_FORBID_EQUALS_REL || f->op == CS_FORBID_GREATER)
        f->other = inv[f->other];
}

/* The parents of every parameter, flattened: parents of i are
 * par[off[i] .. off[i+1]). */
typedef struct parent_lists {
    int *off;
    int *par;
} parent_lists;

static int build_parent_lists(const cs_builder *b, parent_lists *pl)
{
    int n = (int)b->params.len;
    pl->off = calloc((size_t)n + 1, sizeof *pl->off);
    int total = 0;
    for (size_t k = 0; k < b->conds.len; k++)
        total += count_leaves(&b->conds.items[k].root);
    pl->par = malloc((size_t)(total > 0 ? total : 1) * sizeof *pl->par);
    if (!pl->off || !pl->par)
        return SMAC_ERR_NOMEM;
    int at = 0;
    for (int i = 0; i < n; i++) {
        pl->off[i] = at;
        int c = b->params.items[i].condition;
        if (c >= 0)
            collect_parents(&b->conds.items[c].root, pl->par, &at);
    }
    pl->off[n] = at;
    return 0;
}

/* Levels by depth-first search over child -> parent edges, with an explicit
 * stack (a long chain of conditions must not overflow the C stack). A parent
 * met again while still on the stack closes a cycle, which is reported with
 * the parameters on it. */
static int compute_levels(const cs_builder *b, const parent_lists *pl, int *level, smac_error *err)
{
    int n = (int)b->params.len;
    char *state = calloc((size_t)n + 1, 1); /* 0 new, 1 on the stack, 2 done */
    int *stack = malloc((size_t)(n > 0 ? n : 1) * sizeof *stack);
    int *next = malloc((size_t)(n > 0 ? n : 1) * sizeof *next);
    int rc = 0;
    if (!state || !stack || !next) {
        rc = nomem(err);
        goto out;
    }
    for (int root = 0; root < n && rc == 0; root++) {
        if (state[root])
            continue;
        int sp = 0;
        stack[sp] = root;
        next[sp++] = pl->off[root];
        state[root] = 1;
        while (sp > 0) {
            int node = stack[sp - 1];
            if (next[sp - 1] < pl->off[node + 1]) {
                int p = pl->par[next[sp - 1]++];
                if (state[p] == 2)
                    continue;
                if (state[p] == 1) {
                    int from = sp - 1;
                    while (stack[from] != p)
                        from--;
                    char msg[900];
                    size_t used = 0;
                    msg[0] = '\0';
                    for (int k = from; k < sp && used < sizeof msg; k++) {
                        int parent = k + 1 < sp ? stack[k + 1] : p;
                        int w = snprintf(msg + used, sizeof msg - used, "%s'%s' on '%s'", k > from ? ", " : "",
                                         b->params.items[stack[k]].name, b->params.items[parent].name);
                        if (w < 0)
                            break;
                        used += (size_t)w;
                    }
                    rc = smac_error_set(err, SMAC_ERR_INVALID,
                                        "the conditions form a cycle: %s is conditioned on itself through %s",
                                        b->params.items[p].name, msg);
                    goto out;
                }
                state[p] = 1;
                stack[sp] = p;
                next[sp++] = pl->off[p];
                continue;
            }
            int lv = 1;
            for (int k = pl->off[node]; k < pl->off[node + 1]; k++)
                if (level[pl->par[k]] + 1 > lv)
                    lv = level[pl->par[k]] + 1;
            level[node] = lv;
            state[node] = 2;
            sp--;
        }
    }
out:
    free(state);
    free(stack);
    free(next);
    return rc;
}

typedef struct order_key {
    int level;
    int index;
    const char *name;
} order_key;

static int by_level_then_name(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Each parameter's children (params whose condition names it), ascending. */
static int link_children(smac_cs *cs)
{
    int n = cs->n_params;
    int *mark = malloc((size_t)(n > 0 ? n : 1) * sizeof *mark);
    int *count = calloc((size_t)(n > 0 ? n : 1), sizeof *count);
    int *leaves = NULL;
    int rc = SMAC_ERR_NOMEM;
    if (!mark || !count)
        goto out;
    int most = 1;
    for (int k = 0; k < cs->n_conditions; k++) {
        int m = count_leaves(&cs->conditions[k].root);
        if (m > most)
            most = m;
    }
    if (!(leaves = malloc((size_t)most * sizeof *leaves)))
        goto out;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++)
            mark[i] = -1;
        for (int k = 0; k < cs->n_conditions; k++) {
            int m = 0, child = cs->conditions[k].child;
            collect_parents(&cs->conditions[k].root, leaves, &m);
            for (int j = 0; j < m; j++) {
                int p = leaves[j];
                if (mark[p] == k)
                    continue;
                mark[p] = k;
                if (pass == 0)
                    count[p]++;
                else
                    cs->params[p].children[cs->params[p].n_children++] = child;
            }
        }
        if (pass == 0)
            for (int i = 0; i < n; i++)
                if (count[i] > 0 && !(cs->params[i].children = malloc((size_t)count[i] * sizeof(int))))
                    goto out;
    }
    rc = 0;
out:
    free(mark);
    free(count);
    free(leaves);
    return rc;
}

int smac_cs_builder_finish(cs_builder *b, smac_cs_format source_format, smac_cs **out, smac_error *err)
{
    int n = (int)b->params.len;
    int rc = 0;
    smac_cs *cs = NULL;
    parent_lists pl = {0};
    int *level = calloc((size_t)(n > 0 ? n : 1), sizeof *level);
    int *inv = malloc((size_t)(n > 0 ? n : 1) * sizeof *inv);
    order_key *keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    *out = NULL;
    if (!level || !inv || !keys || build_parent_lists(b, &pl) != 0) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = compute_levels(b, &pl, level, err)) != 0)
        goto out;
    for (int i = 0; i < n; i++)
        keys[i] = (order_key){level[i], i, b->params.items[i].name};
    qsort(keys, (size_t)n, sizeof *keys, by_level_then_name);
    for (int c = 0; c < n; c++)
        inv[keys[c].index] = c;

    cs = calloc(1, sizeof *cs);
    if (!cs) {
        rc = nomem(err);
        goto out;
    }
    cs->params = calloc((size_t)(n > 0 ? n : 1), sizeof *cs->params);
    cs->conditions = calloc(b->conds.len > 0 ? b->conds.len : 1, sizeof *cs->conditions);
    cs->forbiddens = calloc(b->forbs.len > 0 ? b->forbs.len : 1, sizeof *cs->forbiddens);
    if (!cs->params || !cs->conditions || !cs->forbiddens) {
        rc = nomem(err);
        goto out;
    }

    /* From here on nothing can fail before the move is complete: the
     * builder's memory changes hands to cs. */
    cs->n_params = n;
    for (int c = 0; c < n; c++) {
        cs->params[c] = b->params.items[keys[c].index];
        cs->params[c].level = keys[c].level;
    }
    int nc = 0;
    for (int c = 0; c < n; c++) {
        cs_param *p = &cs->params[c];
        if (p->condition < 0)
            continue;
        cs_condition *cond = &cs->conditions[nc];
        *cond = b->conds.items[p->condition];
        cond->child = c;
        remap_cond(&cond->root, inv);
        p->condition = nc++;
    }
    cs->n_conditions = nc;
    for (size_t k = 0; k < b->forbs.len; k++) {
        cs->forbiddens[k] = b->forbs.items[k];
        remap_forbidden(&cs->forbiddens[k], inv);
    }
    cs->n_forbiddens = (int)b->forbs.len;
    cs->name = b->name;
    cs->source_format = source_format;
    b->name = NULL;
    b->params.len = b->conds.len = b->forbs.len = 0;
    cs_names_free(&b->names);

    if (link_children(cs) != 0) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = cs_aux_build(cs, err)) != 0)
        goto out;
    const double *def = cs_aux_of(cs)->default_vec;
    for (int k = 0; k < cs->n_forbiddens; k++) {
        if (cs_forbidden_matches(cs, &cs->forbiddens[k], def)) {
            char text[700];
            cs_forbidden_text(cs, &cs->forbiddens[k], text, sizeof text);
            rc = smac_error_set(err, SMAC_ERR_INVALID,
                                "the default configuration violates the forbidden clause %s; change a default "
                                "value or the clause",
                                text);
            goto out;
        }
    }
    *out = cs;
    cs = NULL;
out:
    smac_cs_free(cs);
    free(pl.off);
    free(pl.par);
    free(level);
    free(inv);
    free(keys);
    return rc;
}
