/*
 * The old PCS format (SMAC2 / ParamILS; formats.md §3.2): reader and writer.
 *
 *   x  [-5, 10] [0]          real            c {a, b} [a]       categorical
 *   n  [1, 100] [10]i        integer         d | c in {a, b}    condition
 *   lr [1e-5, 1] [0.01]l     log real        {c=a, n=5}         forbidden
 *
 * The flags after the default are any run of 'i' and 'l'. Several condition
 * lines for one child form an AND, in the order the lines appear. Values in
 * conditions and forbidden clauses are texts; for a real or integer
 * parameter they must be numbers in its range (ConfigSpace 0.4.21 keeps
 * them as strings and so rejects any such line; we accept the evident
 * meaning). This format has no ordinals, OR, !=, < or >, so the writer
 * refuses spaces that use them, as ConfigSpace's writer does, rather than
 * write something that means less; a constant is written as a one-value
 * categorical.
 *
 * Reading goes parameters first, then conditions, then forbidden clauses,
 * so a line may name a parameter defined further down the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "cs/pcs_lex.h"
#include "util/strbuf.h"

#define FORMAT_NAME "the old pcs format"

/* ---------------------------------------------------------------- reader */

static int read_param(pcs_doc *doc, const pcs_line *ln, cs_builder *b, smac_error *err)
{
    pcs_cur c;
    pcs_cur_init(&c, doc, ln, err);
    char *name;
    size_t npos;
    int rc = pcs_name(&c, "a parameter name", &name, &npos);
    if (rc != 0)
        return rc;
    pcs_param_info info = {.name = name};
    int next = pcs_peek(&c);
    if (next == '[') {
        double v[3];
        size_t at[3], fpos;
        if ((rc = pcs_read_range(&c, v, at)) != 0)
            return rc;
        size_t nflags = pcs_word(&c, "il", &fpos);
        if ((rc = pcs_expect_end(&c, nflags ? "the i/l flags" : "the default value")) != 0)
            return rc;
        const char *flags = ln->text + fpos;
        int is_int = memchr(flags, 'i', nflags) != NULL;
        int log = memchr(flags, 'l', nflags) != NULL;
        if ((rc = pcs_check_numeric(&c, name, is_int, log, v[0], at[0], v[1], at[1], v[2], at[2])) != 0)
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
    if (next == '{') {
        char **choices, *def;
        int n;
        size_t dpos;
        if ((rc = pcs_read_choices(&c, name, &choices, &n, &def, &dpos)) != 0)
            return rc;
        rc = pcs_expect_end(&c, "the default value");
        if (rc == 0) {
            rc = smac_cs_builder_add_categorical(b, name, n, (const char *const *)choices, NULL,
                                                 def, NULL, err);
            if (rc != 0)
                pcs_locate(&c, npos);
        }
        if (rc == 0) {
            info.type = SMAC_PARAM_CATEGORICAL;
            info.n_choices = n;
            info.choices = choices;
            rc = pcs_doc_add_param(doc, &info, err);
        }
        free(choices);
        return rc;
    }
    return pcs_fail_expected(&c, "'[' (a numeric range) or '{' (a list of values) after the "
                                 "parameter name");
}

/* One condition line "child | parent in {values}". */
typedef struct old_cond {
    const pcs_line *ln;
    const char *child;
    size_t child_pos;
    const char *parent;
    int n_values;
    char **values;     /* owned (the texts are the doc's) */
    int next;          /* next line of the same child, -1 = last */
} old_cond;

static int read_condition(pcs_doc *doc, const pcs_line *ln, old_cond *out, smac_error *err)
{
    pcs_cur c;
    pcs_cur_init(&c, doc, ln, err);
    char *child, *parent;
    size_t cpos, ppos, opos, *vpos = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    out->ln = ln;
    out->next = -1;
    if ((rc = pcs_name(&c, "the name of the conditioned parameter", &child, &cpos)) != 0 ||
        (rc = pcs_expect(&c, "|", "after the conditioned parameter")) != 0 ||
        (rc = pcs_name(&c, "the name of the parent parameter", &parent, &ppos)) != 0)
        return rc;
    pcs_skip_ws(&c);
    opos = c.pos;
    if (!pcs_accept(&c, "in") ||
        (c.pos < ln->len && pcs_is_name_char((unsigned char)ln->text[c.pos])))
        return pcs_fail(&c, opos,
                        "expected 'in' after the parent parameter (the old pcs format has no "
                        "other operator)");
    if ((rc = pcs_expect(&c, "{", "after 'in'")) != 0)
        return rc;
    char what[300];
    snprintf(what, sizeof what, "the values of '%s'", parent);
    if ((rc = pcs_value_list(&c, what, &out->values, &vpos, &out->n_values)) != 0)
        return rc;
    if ((rc = pcs_expect_end(&c, "the condition")) == 0 &&
        (rc = pcs_check_child(&c, child, cpos)) == 0)
        rc = pcs_check_leaf(&c, child, parent, ppos, out->n_values == 1 ? CS_COND_EQ : CS_COND_IN,
                            opos, out->n_values, out->values, vpos);
    free(vpos);
    out->child = child;
    out->child_pos = cpos;
    out->parent = parent;
    return rc;
}

static void leaf_spec(const old_cond *oc, cs_cond_spec *s)
{
    memset(s, 0, sizeof *s);
    s->op = oc->n_values == 1 ? CS_COND_EQ : CS_COND_IN;
    s->parent = oc->parent;
    s->n_values = oc->n_values;
    s->values = (const char *const *)oc->values;
}

/* Adds the condition lines of every child, AND-combined where a child has
 * several, children in the order of their first line. */
static int add_conditions(pcs_doc *doc, old_cond *conds, int n, cs_builder *b, pcs_limit *limit,
                          smac_error *err)
{
    int np = (int)doc->params.len;
    int *head = malloc(((size_t)np + 1) * sizeof *head);
    int *tail = malloc(((size_t)np + 1) * sizeof *tail);
    cs_cond_spec *parts = malloc(((size_t)n + 1) * sizeof *parts);
    int rc = 0;
    if (!head || !tail || !parts) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < np; i++)
        head[i] = tail[i] = -1;
    for (int i = 0; i < n; i++) {
        int k = (int)(pcs_doc_param(doc, conds[i].child) - doc->params.items);
        if (head[k] < 0)
            head[k] = i;
        else
            conds[tail[k]].next = i;
        tail[k] = i;
    }
    long added = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        int k = (int)(pcs_doc_param(doc, conds[i].child) - doc->params.items);
        if (head[k] != i)
            continue; /* not the child's first line */
        if (limit->n_conditions >= 0 && added >= limit->n_conditions)
            break;
        added++;
        limit->last_condition = conds[i].ln;
        int m = 0;
        for (int j = i; j >= 0; j = conds[j].next)
            leaf_spec(&conds[j], &parts[m++]);
        cs_cond_spec and_spec = {.op = CS_COND_AND, .n_parts = m, .parts = parts};
        rc = smac_cs_builder_add_condition(b, conds[i].child, m == 1 ? &parts[0] : &and_spec, err);
        if (rc != 0) {
            pcs_cur c;
            pcs_cur_init(&c, doc, conds[i].ln, err);
            pcs_locate(&c, conds[i].child_pos);
        }
    }
out:
    free(head);
    free(tail);
    free(parts);
    return rc;
}

/* Adds the parameters, conditions and forbidden clauses within `limit`
 * (see pcs_limit) to the builder. */
static int populate(pcs_doc *doc, cs_builder *b, pcs_limit *limit, smac_error *err)
{
    int rc = 0, n_conds = 0;
    for (size_t i = 0; i < doc->lines.len && rc == 0; i++)
        if (doc->lines.items[i].kind == PCS_LINE_PARAM)
            rc = read_param(doc, &doc->lines.items[i], b, err);
    if (rc != 0)
        return rc;
    old_cond *conds = calloc(doc->lines.len + 1, sizeof *conds);
    if (!conds)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < doc->lines.len && rc == 0; i++)
        if (doc->lines.items[i].kind == PCS_LINE_CONDITION)
            rc = read_condition(doc, &doc->lines.items[i], &conds[n_conds++], err);
    if (rc == 0)
        rc = add_conditions(doc, conds, n_conds, b, limit, err);
    for (int i = 0; i < n_conds; i++)
        free(conds[i].values);
    free(conds);
    if (rc == 0)
        rc = pcs_add_forbiddens(doc, b, limit, err);
    return rc;
}

int cs_read_pcs_old(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err)
{
    return pcs_read(text, len, filename, SMAC_CS_PCS, populate, out, err);
}

/* ---------------------------------------------------------------- writer */

static int put_param(smac_strbuf *sb, const cs_param *p, smac_error *err)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER: {
        int is_int = p->type == SMAC_PARAM_INTEGER;
        if (p->q > 0)
            smac_strbuf_printf(sb, "Q%lld_", (long long)p->q);
        smac_strbuf_puts(sb, p->name);
        smac_strbuf_puts(sb, " [");
        pcs_put_value(sb, p, p->lower);
        smac_strbuf_puts(sb, ", ");
        pcs_put_value(sb, p, p->upper);
        smac_strbuf_puts(sb, "] [");
        pcs_put_value(sb, p, p->default_value);
        smac_strbuf_puts(sb, "]");
        if (is_int)
            smac_strbuf_putc(sb, 'i');
        if (p->log)
            smac_strbuf_putc(sb, 'l');
        return 0;
    }
    case SMAC_PARAM_CATEGORICAL:
    case SMAC_PARAM_CONSTANT:
        if (p->weights)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "cannot write categorical '%s' with probabilities in %s",
                                  p->name, FORMAT_NAME);
        smac_strbuf_puts(sb, p->name);
        smac_strbuf_puts(sb, " {");
        for (int i = 0; i < p->n_choices; i++) {
            if (i)
                smac_strbuf_puts(sb, ", ");
            smac_strbuf_puts(sb, p->choices[i]);
        }
        smac_strbuf_puts(sb, "} [");
        pcs_put_value(sb, p, p->type == SMAC_PARAM_CONSTANT ? 0 : p->default_value);
        smac_strbuf_puts(sb, "]");
        return 0;
    case SMAC_PARAM_ORDINAL:
        break;
    }
    return smac_error_set(err, SMAC_ERR_INVALID, "cannot write ordinal parameter '%s' in %s",
                          p->name, FORMAT_NAME);
}

/* One "child | parent in {...}" line per leaf of an AND of equalities/INs. */
static int put_condition(smac_strbuf *sb, const smac_cs *cs, const char *child, const cs_cond *c,
                         int *first, smac_error *err)
{
    if (c->op == CS_COND_AND) {
        for (int i = 0; i < c->n_parts; i++) {
            int rc = put_condition(sb, cs, child, &c->parts[i], first, err);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    if (c->op != CS_COND_EQ && c->op != CS_COND_IN) {
        static const char *const names[] = {"==", "!=", "<", ">", "in", "&&", "||"};
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "cannot write the condition of '%s' in %s: it has no '%s'", child,
                              FORMAT_NAME, names[c->op]);
    }
    const cs_param *p = &cs->params[c->parent];
    if (!*first)
        smac_strbuf_putc(sb, '\n');
    *first = 0;
    smac_strbuf_printf(sb, "%s | %s in {", child, p->name);
    for (int i = 0; i < c->n_values; i++) {
        if (i)
            smac_strbuf_puts(sb, ", ");
        pcs_put_value(sb, p, c->values[i]);
    }
    smac_strbuf_putc(sb, '}');
    return 0;
}

char *cs_write_pcs_old(const smac_cs *cs, smac_error *err)
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
            int first = 1;
            for (int k = 0; k < cs->n_conditions && rc == 0; k++) {
                const cs_condition *cd = &cs->conditions[order[k]];
                rc = put_condition(&sb, cs, cs->params[cd->child].name, &cd->root, &first, err);
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
