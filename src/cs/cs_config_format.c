/* Output spellings of configuration values (see cs_config_format.h). The
 * choice kinds recorded by the readers decide whether a categorical value is
 * written as a JSON string, number or boolean, so files round-trip. */
#include "cs/cs_config_format.h"

#include <math.h>
#include <string.h>

static int choice_index(const cs_param *p, double unit)
{
    int k = (int)unit;
    if (k < 0 || k >= p->n_choices)
        k = 0;
    return k;
}

void cs_value_append_json(const smac_cs *cs, int i, double unit, smac_strbuf *sb)
{
    const cs_param *p = &cs->params[i];
    if (p->type == SMAC_PARAM_REAL) {
        smac_strbuf_double(sb, cs_param_from_unit(p, unit), 1);
        return;
    }
    if (p->type == SMAC_PARAM_INTEGER) {
        /* + 0.0 turns a rounded -0.0 into 0.0: Python prints the int 0. */
        smac_strbuf_printf(sb, "%.0f", cs_param_from_unit(p, unit) + 0.0);
        return;
    }
    int k = p->type == SMAC_PARAM_CONSTANT ? 0 : choice_index(p, unit);
    const char *text = p->choices[k];
    switch (p->kinds ? p->kinds[k] : CS_VALUE_STRING) {
    case CS_VALUE_INT:
    case CS_VALUE_FLOAT:
        smac_strbuf_puts(sb, text);
        break;
    case CS_VALUE_BOOL:
        smac_strbuf_puts(sb, strcmp(text, "True") == 0 ? "true" : "false");
        break;
    default:
        smac_strbuf_json_string(sb, text);
    }
}

/* Python's repr of a str: single quotes unless the text holds a single quote
 * and no double quote; backslashes and the chosen quote escaped. */
static void append_python_str_repr(smac_strbuf *sb, const char *s)
{
    char q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';
    smac_strbuf_putc(sb, q);
    for (; *s; s++) {
        if (*s == '\\' || *s == q)
            smac_strbuf_putc(sb, '\\');
        if (*s == '\n') { smac_strbuf_puts(sb, "\\n"); continue; }
        if (*s == '\t') { smac_strbuf_puts(sb, "\\t"); continue; }
        if (*s == '\r') { smac_strbuf_puts(sb, "\\r"); continue; }
        smac_strbuf_putc(sb, *s);
    }
    smac_strbuf_putc(sb, q);
}

void cs_value_append_repr(const smac_cs *cs, int i, double unit, smac_strbuf *sb)
{
    const cs_param *p = &cs->params[i];
    if (p->type == SMAC_PARAM_CATEGORICAL || p->type == SMAC_PARAM_ORDINAL ||
        p->type == SMAC_PARAM_CONSTANT) {
        int k = p->type == SMAC_PARAM_CONSTANT ? 0 : choice_index(p, unit);
        if (!p->kinds || p->kinds[k] == CS_VALUE_STRING) {
            append_python_str_repr(sb, p->choices[k]);
            return;
        }
    }
    char buf[256];
    smac_cs_value_text(cs, i, unit, buf, sizeof buf);
    smac_strbuf_puts(sb, buf);
}

static void newline_indent(smac_strbuf *sb, int indent, int depth)
{
    smac_strbuf_putc(sb, '\n');
    for (int i = 0; i < indent * depth; i++)
        smac_strbuf_putc(sb, ' ');
}

void cs_config_append_json(const smac_cs *cs, const double *vec, smac_strbuf *sb, int indent, int depth)
{
    smac_strbuf_putc(sb, '{');
    int first = 1;
    for (int i = 0; i < cs->n_params; i++) {
        if (isnan(vec[i]))
            continue;
        if (!first)
            smac_strbuf_putc(sb, ',');
        if (indent >= 0)
            newline_indent(sb, indent, depth + 1);
        else if (!first)
            smac_strbuf_putc(sb, ' ');
        first = 0;
        smac_strbuf_json_string(sb, cs->params[i].name);
        smac_strbuf_puts(sb, ": ");
        cs_value_append_json(cs, i, vec[i], sb);
    }
    if (indent >= 0 && !first)
        newline_indent(sb, indent, depth);
    smac_strbuf_putc(sb, '}');
}

void cs_config_append_item(const smac_cs *cs, int i, double unit, smac_strbuf *sb)
{
    smac_strbuf_printf(sb, "%s='", cs->params[i].name);
    cs_value_append_repr(cs, i, unit, sb);
    smac_strbuf_putc(sb, '\'');
}
