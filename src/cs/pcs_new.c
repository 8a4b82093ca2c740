/*
 * The pcs_new format (ConfigSpace; formats.md §3.3): reader and writer.
 *
 *   x  real [-5.0, 10.0] [0.0]            c categorical {a, b} [a]
 *   lr real [1e-05, 1.0] [0.01]log        o ordinal {lo, mid, hi} [mid]
 *   n  integer [1, 100] [10]log           d | c in {a, b}
 *   e  | c == a && n > 3 || o != hi       {c=a, o=hi}
 *
 * A condition is one line per child: leaves "parent OP value" with OP one of
 * in (a braced list), ==, !=, <, > (the last two need a real, integer or
 * ordinal parent), joined by && and ||, where && binds tighter — ConfigSpace
 * 0.4.21 reads a mixed line as an OR of ANDs. A second line for the same
 * child is an error, as in ConfigSpace.
 *
 * The writer follows ConfigSpace 0.4.21's layout (parameters in canonical
 * order, a blank line, the conditions, a blank line, the sorted forbidden
 * lines) with one deliberate difference: a nested condition is written as
 * its disjunctive normal form, "a && b || c && d", where ConfigSpace's
 * writer keeps only the first leaf of each nested part (see
 * tests/unit/test_pcs_shared.c). Constants are written as one-value
 * categoricals, as ConfigSpace does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "cs/pcs_lex.h"
#include "util/strbuf.h"
#include "util/vec.h"

#define FORMAT_NAME "pcs_new"

/* ---------------------------------------------------------------- reader */

/* 1 when the line continues with the keyword `kw` as a whole token. */
static int accept_keyword(pcs_cur *c, const char *kw)
{
    size_t save = c->pos;
    if (!pcs_accept(c, kw))
        return 0;
    if (c->pos < c->ln->len && pcs_is_name_char((unsigned char)c->ln->text[c->pos])) {
        c->pos = save;
        return 0;
    }
    return 1;
}

static int read_param(pcs_doc *doc, const pcs_line *ln, cs_builder *b, smac_error *err)
{
    pcs_cur c;
    pcs_cur_init(&c, doc, ln, err);
    char *name, *type;
    size_t npos, tpos;
    int rc;
    if ((rc = pcs_name(&c, "a parameter name", &name, &npos)) != 0 ||
        (rc = pcs_name(&c, "a parameter type (real, integer, categorical or ordinal)", &type,
                       &tpos)) != 0)
        return rc;
    pcs_param_info info = {.name = name};
    int is_int = strcmp(type, "integer") == 0;
    if (is_int || strcmp(type, "real") == 0) {
        double v[3];
        size_t at[3];
        if ((rc = pcs_read_range(&c, v, at)) != 0)
            return rc;
        int log = accept_keyword(&c, "log");
        if ((rc = pcs_expect_end(&c, log ? "'log'" : "the default value")) != 0 ||
            (rc = pcs_check_numeric(&c, name, is_int, log, v[0], at[0], v[1], at[1], v[2], at[2])) != 0)
            return rc;
        rc = is_int ? smac_cs_builder_add_integer(b, name, v[0], v[1], 1, v[2], log, 0, err)
                    : smac_cs_builder_add_real(b, name, v[0], v[1], 1, v[2], log, 0, err);
        if (rc != 0)
            return pcs_locate(&c, npos);
        info.type = is_int ? SMAC_PARAM_INTEGER : SMAC_PARAM_REAL;
        info.lower = v[0];
        info.upper = v[1];
        return pcs_doc_add_param(doc, &info, err);
    }
    int is_ord = strcmp(type, "ordinal") == 0;
    if (is_ord || strcmp(type, "categorical") == 0) {
        char **choices, *def;
        int n;
        size_t dpos;
        if ((rc = pcs_read_choices(&c, name, &choices, &n, &def, &dpos)) != 0)
            return rc;
        rc = pcs_expect_end(&c, "the default value");
        if (rc == 0) {
            const char *const *cc = (const char *const *)choices;
            rc = is_ord ? smac_cs_builder_add_ordinal(b, name, n, cc, NULL, def, err)
                        : smac_cs_builder_add_categorical(b, name, n, cc, NULL, def, NULL, err);
            if (rc != 0)
                pcs_locate(&c, npos);
        }
        if (rc == 0) {
            info.type = is_ord ? SMAC_PARAM_ORDINAL : SMAC_PARAM_CATEGORICAL;
            info.n_choices = n;
            info.choices = choices;
            rc = pcs_doc_add_param(doc, &info, err);
        }
        free(choices);
        return rc;
    }
    return pcs_fail(&c, tpos,
                    "unknown parameter type '%s' (expected real, integer, categorical or ordinal)",
                    type);
}

/* The leaves of one condition line, grouped into ANDs that are ORed. */
typedef struct cond_line {
    SMAC_VEC(cs_cond_spec) leaves;
    SMAC_VEC(char **) owned;       /* value arrays to free */
    SMAC_VEC(int) group_start;     /* index of each AND group's first leaf */
    SMAC_VEC(cs_cond_spec) groups;
} cond_line;

static void cond_line_free(cond_line *cl)
{
    for (size_t i = 0; i < cl->owned.len; i++)
        free(cl->owned.items[i]);
    SMAC_VEC_FREE(&cl->leaves);
    SMAC_VEC_FREE(&cl->owned);
    SMAC_VEC_FREE(&cl->group_start);
    SMAC_VEC_FREE(&cl->groups);
}

/* Reads "parent OP value" or "parent in {values}" and checks it. */
static int read_leaf(pcs_cur *c, const char *child, cond_line *cl)
{
    char *parent;
    size_t ppos, opos;
    int rc = pcs_name(c, "the name of a parent parameter", &parent, &ppos);
    if (rc != 0)
        return rc;
    size_t olen = pcs_word(c, "in!=<>", &opos);
    const char *op = c->ln->text + opos;
    cs_cond_spec leaf = {.parent = parent};
    if (olen == 2 && memcmp(op, "in", 2) == 0)
        leaf.op = CS_COND_IN;
    else if (olen == 2 && memcmp(op, "==", 2) == 0)
        leaf.op = CS_COND_EQ;
    else if (olen == 2 && memcmp(op, "!=", 2) == 0)
        leaf.op = CS_COND_NEQ;
    else if (olen == 1 && op[0] == '<')
        leaf.op = CS_COND_LT;
    else if (olen == 1 && op[0] == '>')
        leaf.op = CS_COND_GT;
    else if (olen == 0)
        return pcs_fail_expected(c, "an operator (in, ==, !=, < or >) after the parent parameter");
    else
        return pcs_fail(c, opos, "unknown operator '%.*s' (expected in, ==, !=, < or >)",
                        (int)olen, op);

    char **values = NULL;
    size_t *vpos = NULL;
    int n = 0;
    if (leaf.op == CS_COND_IN) {
        char what[300];
        snprintf(what, sizeof what, "the values of '%s'", parent);
        if ((rc = pcs_expect(c, "{", "after 'in'")) != 0 ||
            (rc = pcs_value_list(c, what, &values, &vpos, &n)) != 0)
            return rc;
        if (n == 1)
            leaf.op = CS_COND_EQ; /* as ConfigSpace: "in {v}" is an equality */
    } else {
        char what[64];
        snprintf(what, sizeof what, "a value after '%.*s'", (int)olen, op);
        values = malloc(sizeof *values);
        vpos = malloc(sizeof *vpos);
        if (!values || !vpos) {
            free(values);
            free(vpos);
            return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
        }
        n = 1;
        if ((rc = pcs_name(c, what, &values[0], &vpos[0])) != 0) {
            free(values);
            free(vpos);
            return rc;
        }
    }
    rc = pcs_check_leaf(c, child, parent, ppos, leaf.op, opos, n, values, vpos);
    free(vpos);
    if (rc == 0 && SMAC_VEC_RESERVE(&cl->owned, cl->owned.len + 1) != 0)
        rc = smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
    if (rc != 0) {
        free(values);
        return rc;
    }
    cl->owned.items[cl->owned.len++] = values;
    leaf.n_values = n;
    leaf.values = (const char *const *)values;
    SMAC_VEC_PUSH(&cl->leaves, leaf, nomem);
    return 0;
nomem:
    return smac_error_set(c->err, SMAC_ERR_NOMEM, "out of memory");
}

/* first_line[k]: line of the condition already read for parameter k, or 0. */
static int read_condition(pcs_doc *doc, const pcs_line *ln, cs_builder *b, int *first_line,
                          smac_error *err)
{
    pcs_cur c;
    pcs_cur_init(&c, doc, ln, err);
    cond_line cl;
    memset(&cl, 0, sizeof cl);
    char *child;
    size_t cpos;
    int rc;
    if ((rc = pcs_name(&c, "the name of the conditioned parameter", &child, &cpos)) != 0 ||
        (rc = pcs_expect(&c, "|", "after the conditioned parameter")) != 0 ||
        (rc = pcs_check_child(&c, child, cpos)) != 0)
        return rc;
    int k = (int)(pcs_doc_param(doc, child) - doc->params.items);
    if (first_line[k])
        return pcs_fail_code(&c, SMAC_ERR_INVALID, cpos,
                             "second condition for '%s' (the first is on line %d); pcs_new takes "
                             "one condition line per parameter: combine them with && or ||",
                             child, first_line[k]);
    SMAC_VEC_PUSH(&cl.group_start, 0, nomem);
    for (;;) {
        if ((rc = read_leaf(&c, child, &cl)) != 0)
            goto out;
        if (cl.leaves.len >= 0x7fffffff)
            goto nomem;
        if (pcs_accept(&c, "&&"))
            continue;
        if (pcs_accept(&c, "||")) {
            SMAC_VEC_PUSH(&cl.group_start, (int)cl.leaves.len, nomem);
            continue;
        }
        if ((rc = pcs_expect_end(&c, "the condition (expected && or ||)")) != 0)
            goto out;
        break;
    }
    /* Leaves are final now, so pointers into them stay valid. */
    for (size_t g = 0; g < cl.group_start.len; g++) {
        int s = cl.group_start.items[g];
        int e = g + 1 < cl.group_start.len ? cl.group_start.items[g + 1] : (int)cl.leaves.len;
        cs_cond_spec and_spec = {.op = CS_COND_AND, .n_parts = e - s, .parts = &cl.leaves.items[s]};
        SMAC_VEC_PUSH(&cl.groups, e - s == 1 ? cl.leaves.items[s] : and_spec, nomem);
    }
    cs_cond_spec or_spec = {.op = CS_COND_OR, .n_parts = (int)cl.groups.len, .parts = cl.groups.items};
    rc = smac_cs_builder_add_condition(b, child, cl.groups.len == 1 ? &cl.groups.items[0] : &or_spec,
                                       err);
    if (rc != 0)
        pcs_locate(&c, cpos);
    else
        first_line[k] = ln->lineno;
    goto out;
nomem:
    rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
out:
    cond_line_free(&cl);
    return rc;
}

/* Adds the parameters, conditions and forbidden clauses within `limit`
 * (see pcs_limit) to the builder. */
static int populate(pcs_doc *doc, cs_builder *b, pcs_limit *limit, smac_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < doc->lines.len && rc == 0; i++)
        if (doc->lines.items[i].kind == PCS_LINE_PARAM)
            rc = read_param(doc, &doc->lines.items[i], b, err);
    if (rc != 0)
        return rc;
    int *first_line = calloc(doc->params.len + 1, sizeof *first_line);
    if (!first_line)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    long added = 0;
    for (size_t i = 0; i < doc->lines.len && rc == 0; i++) {
        if (doc->lines.items[i].kind != PCS_LINE_CONDITION)
            continue;
        if (limit->n_conditions >= 0 && added >= limit->n_conditions)
            break;
        added++;
        limit->last_condition = &doc->lines.items[i];
        rc = read_condition(doc, &doc->lines.items[i], b, first_line, err);
    }
    free(first_line);
    if (rc == 0)
        rc = pcs_add_forbiddens(doc, b, limit, err);
    return rc;
}

int cs_read_pcs_new(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err)
{
    return pcs_read(text, len, filename, SMAC_CS_PCS_NEW, populate, out, err);
}

/* ---------------------------------------------------------------- writer */

static void put_choices(smac_strbuf *sb, const cs_param *p, const char *type, int def)
{
    smac_strbuf_printf(sb, "%s %s {", p->name, type);
    for (int i = 0; i < p->n_choices; i++) {
        if (i)
            smac_strbuf_puts(sb, ", ");
        smac_strbuf_puts(sb, p->choices[i]);
    }
    smac_strbuf_puts(sb, "} [");
    pcs_put_value(sb, p, def);
    smac_strbuf_putc(sb, ']');
}

static int put_param(smac_strbuf *sb, const cs_param *p, smac_error *err)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER:
        if (p->q > 0)
            smac_strbuf_printf(sb, "Q%lld_", (long long)p->q);
        smac_strbuf_printf(sb, "%s %s [", p->name,
                           p->type == SMAC_PARAM_INTEGER ? "integer" : "real");
        pcs_put_value(sb, p, p->lower);
        smac_strbuf_puts(sb, ", ");
        pcs_put_value(sb, p, p->upper);
        smac_strbuf_puts(sb, "] [");
        pcs_put_value(sb, p, p->default_value);
        smac_strbuf_putc(sb, ']');
        if (p->log)
            smac_strbuf_puts(sb, "log");
        return 0;
    case SMAC_PARAM_CATEGORICAL:
        if (p->weights)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "cannot write categorical '%s' with probabilities in %s",
                                  p->name, FORMAT_NAME);
        put_choices(sb, p, "categorical", (int)p->default_value);
        return 0;
    case SMAC_PARAM_ORDINAL:
        put_choices(sb, p, "ordinal", (int)p->default_value);
        return 0;
    case SMAC_PARAM_CONSTANT:
        put_choices(sb, p, "categorical", 0);
        return 0;
    }
    return smac_error_set(err, SMAC_ERR_INVALID, "parameter '%s' has an unknown type", p->name);
}

/* A condition in disjunctive normal form: terms (ANDs of leaves) ORed.
 * Term k is leaves[start[k] .. start[k+1]). */
typedef struct dnf {
    SMAC_VEC(const cs_cond *) leaves;
    SMAC_VEC(size_t) start;
} dnf;

static void dnf_free(dnf *d)
{
    SMAC_VEC_FREE(&d->leaves);
    SMAC_VEC_FREE(&d->start);
}

static size_t term_end(const dnf *d, size_t k)
{
    return k + 1 < d->start.len ? d->start.items[k + 1] : d->leaves.len;
}

/* Past this many leaves the expansion of ANDs over ORs is not worth writing. */
#define DNF_MAX_LEAVES 100000

/* out = product of the terms of a and b. */
static int dnf_product(const dnf *a, const dnf *b, dnf *out)
{
    for (size_t i = 0; i < a->start.len; i++)
        for (size_t j = 0; j < b->start.len; j++) {
            SMAC_VEC_PUSH(&out->start, out->leaves.len, nomem);
            for (size_t x = a->start.items[i]; x < term_end(a, i); x++)
                SMAC_VEC_PUSH(&out->leaves, a->leaves.items[x], nomem);
            for (size_t x = b->start.items[j]; x < term_end(b, j); x++)
                SMAC_VEC_PUSH(&out->leaves, b->leaves.items[x], nomem);
            if (out->leaves.len > DNF_MAX_LEAVES)
                return SMAC_ERR_INVALID;
        }
    return 0;
nomem:
    return SMAC_ERR_NOMEM;
}

/* Appends the terms of `part` to `out` (an OR). */
static int dnf_append(dnf *out, const dnf *part)
{
    for (size_t k = 0; k < part->start.len; k++) {
        SMAC_VEC_PUSH(&out->start, out->leaves.len, nomem);
        for (size_t x = part->start.items[k]; x < term_end(part, k); x++)
            SMAC_VEC_PUSH(&out->leaves, part->leaves.items[x], nomem);
    }
    return out->leaves.len > DNF_MAX_LEAVES ? SMAC_ERR_INVALID : 0;
nomem:
    return SMAC_ERR_NOMEM;
}

static int to_dnf(const cs_cond *c, dnf *out)
{
    int rc = 0;
    if (c->op == CS_COND_OR) {
        for (int i = 0; i < c->n_parts && rc == 0; i++) {
            dnf part = {0};
            rc = to_dnf(&c->parts[i], &part);
            if (rc == 0)
                rc = dnf_append(out, &part);
            dnf_free(&part);
        }
        return rc;
    }
    if (c->op == CS_COND_AND) {
        dnf acc = {0};
        if (SMAC_VEC_RESERVE(&acc.start, 1) != 0)
            return SMAC_ERR_NOMEM;
        acc.start.items[acc.start.len++] = 0; /* one empty term: the unit of AND */
        for (int i = 0; i < c->n_parts && rc == 0; i++) {
            dnf part = {0}, next = {0};
            rc = to_dnf(&c->parts[i], &part);
            if (rc == 0)
                rc = dnf_product(&acc, &part, &next);
            dnf_free(&part);
            dnf_free(&acc);
            acc = next;
        }
        if (rc == 0)
            rc = dnf_append(out, &acc);
        dnf_free(&acc);
        return rc;
    }
    SMAC_VEC_PUSH(&out->start, out->leaves.len, nomem);
    SMAC_VEC_PUSH(&out->leaves, c, nomem);
    return 0;
nomem:
    return SMAC_ERR_NOMEM;
}

static void put_leaf(smac_strbuf *sb, const smac_cs *cs, const cs_cond *c)
{
    static const char *const ops[] = {"==", "!=", "<", ">", "in"};
    const cs_param *p = &cs->params[c->parent];
    smac_strbuf_printf(sb, "%s %s ", p->name, ops[c->op <= CS_COND_IN ? c->op : 0]);
    if (c->op == CS_COND_IN) {
        smac_strbuf_putc(sb, '{');
        for (int i = 0; i < c->n_values; i++) {
            if (i)
                smac_strbuf_puts(sb, ", ");
            pcs_put_value(sb, p, c->values[i]);
        }
        smac_strbuf_putc(sb, '}');
    } else if (c->n_values > 0) {
        pcs_put_value(sb, p, c->values[0]);
    }
}

static int put_condition(smac_strbuf *sb, const smac_cs *cs, const cs_condition *cd,
                         smac_error *err)
{
    dnf d = {0};
    int rc = to_dnf(&cd->root, &d);
    if (rc == SMAC_ERR_NOMEM) {
        dnf_free(&d);
        return smac_error_set(err, rc, "out of memory");
    }
    if (rc != 0) {
        dnf_free(&d);
        return smac_error_set(err, rc,
                              "the condition of '%s' is too large to write in %s (its && / || "
                              "form has more than %d parts)",
                              cs->params[cd->child].name, FORMAT_NAME, DNF_MAX_LEAVES);
    }
    smac_strbuf_printf(sb, "%s | ", cs->params[cd->child].name);
    for (size_t k = 0; k < d.start.len; k++) {
        if (k)
            smac_strbuf_puts(sb, " || ");
        for (size_t x = d.start.items[k]; x < term_end(&d, k); x++) {
            if (x > d.start.items[k])
                smac_strbuf_puts(sb, " && ");
            put_leaf(sb, cs, d.leaves.items[x]);
        }
    }
    dnf_free(&d);
    return 0;
}

char *cs_write_pcs_new(const smac_cs *cs, smac_error *err)
{
    if (!cs) {
        smac_error_set(err, SMAC_ERR_INVALID, "no configuration space to write");
        return NULL;
    }
    if (pcs_check_writable(cs, FORMAT_NAME, err) != 0)
        return NULL;
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    int *order = NULL;
    int rc = 0;
    for (int i = 0; i < cs->n_params && rc == 0; i++) {
        if (i)
            smac_strbuf_putc(&sb, '\n');
        rc = put_param(&sb, &cs->params[i], err);
    }
    if (rc == 0 && cs->n_conditions > 0) {
        order = malloc((size_t)cs->n_conditions * sizeof *order);
        if (!order || pcs_condition_order(cs, order) != 0) {
            rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        } else {
            smac_strbuf_puts(&sb, "\n\n");
            for (int k = 0; k < cs->n_conditions && rc == 0; k++) {
                if (k)
                    smac_strbuf_putc(&sb, '\n');
                rc = put_condition(&sb, cs, &cs->conditions[order[k]], err);
            }
        }
    }
    if (rc == 0)
        rc = pcs_put_forbiddens(&sb, cs, FORMAT_NAME, err);
    free(order);
    if (rc != 0) {
        smac_strbuf_free(&sb);
        return NULL;
    }
    char *text = smac_strbuf_take(&sb);
    if (!text)
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    return text;
}
