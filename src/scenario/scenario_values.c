/*
 * Option values: parsing the text of one option by its type (the same rules
 * whether it came from a file, a flag or the API) and storing it in the
 * scenario when its source ranks high enough.
 *
 * Parsing always happens, even for a value that will not be kept because the
 * command line already set that option: SMAC3 type-checks every value it
 * reads, so a broken line in a scenario file is an error either way.
 */
#include "scenario/scenario_internal.h"
#include "util/floatfmt.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int scen_value_error(smac_error *err, int code, const scen_origin *o, const char *fmt, ...)
{
    char text[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const char *name = o && o->spelling ? o->spelling : "?";
    if (o && o->source == SCEN_SRC_FILE && o->file)
        return smac_error_set_at(err, code, o->file, o->line, 0, "option '%s': %s", name, text);
    return smac_error_set(err, code, "option '%s': %s", name, text);
}

/* Python's distutils strtobool, which SMAC3's "truthy" uses. */
static int parse_truthy(const char *s, bool *out)
{
    static const char *const yes[] = {"y", "yes", "t", "true", "on", "1"};
    static const char *const no[] = {"n", "no", "f", "false", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

long scen_par_factor(const char *obj)
{
    const char *rest = obj;
    if (strncmp(obj, "PAR", 3) == 0 || strncmp(obj, "par", 3) == 0)
        rest = obj + 3;
    else if (strncmp(obj, "mean", 4) == 0 || strncmp(obj, "MEAN", 4) == 0)
        rest = obj + 4;
    else
        return -1; /* SMAC3 would call int() on the whole text and crash */
    if (*rest == '\0')
        return 1;
    long long v;
    if (smac_parse_long(rest, &v) != 0 || v < 1 || v > INT_MAX)
        return -1;
    return (long)v;
}

/* Why a number is out of range, or NULL if it is fine. */
static const char *double_range_problem(smac_option_check check, double v)
{
    switch (check) {
    case SMAC_CHECK_NONE: return NULL;
    case SMAC_CHECK_NOT_NAN: return isnan(v) ? "a number (not nan)" : NULL;
    case SMAC_CHECK_NONNEG: return isnan(v) || v < 0 ? "a number >= 0" : NULL;
    case SMAC_CHECK_POSITIVE: return isnan(v) || v <= 0 ? "a number > 0" : NULL;
    case SMAC_CHECK_POS_FINITE: return !isfinite(v) || v <= 0 ? "a finite number > 0" : NULL;
    case SMAC_CHECK_OPEN01: return !(v > 0 && v < 1) ? "a number in (0, 1)" : NULL;
    case SMAC_CHECK_HALF01: return !(v > 0 && v <= 1) ? "a number in (0, 1]" : NULL;
    case SMAC_CHECK_UNIT: return !(v >= 0 && v <= 1) ? "a number in [0, 1]" : NULL;
    default: return NULL;
    }
}

/* A parsed value before it is stored. */
typedef struct parsed {
    bool b;
    int i;
    uint64_t u;
    double d;
    char *s;
    smac_strlist list;
} parsed;

static void choices_text(const smac_option *opt, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *const *c = opt->choices; c && *c; c++) {
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", *c);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static int parse_value(const smac_option *opt, const char *value, const scen_origin *o,
                       parsed *p, smac_error *err)
{
    memset(p, 0, sizeof *p);
    switch (opt->type) {
    case SMAC_OPT_BOOL:
        if (parse_truthy(value, &p->b) != 0)
            return scen_value_error(err, SMAC_ERR_PARSE, o,
                                    "expected a boolean (true/false, yes/no, on/off, 1/0), got '%s'",
                                    value);
        return 0;
    case SMAC_OPT_PYBOOL:
        p->b = value[0] != '\0';
        return 0;
    case SMAC_OPT_INT: {
        long long v;
        if (smac_parse_long(value, &v) != 0)
            return scen_value_error(err, SMAC_ERR_PARSE, o, "expected an integer, got '%s'", value);
        long long lo = opt->check == SMAC_CHECK_GE1 ? 1 : opt->check == SMAC_CHECK_GE0 ? 0 : INT_MIN;
        if (v < lo || v > INT_MAX) {
            if (lo == INT_MIN)
                return scen_value_error(err, SMAC_ERR_INVALID, o, "integer out of range: '%s'", value);
            return scen_value_error(err, SMAC_ERR_INVALID, o, "expected an integer >= %lld, got '%s'",
                                    lo, value);
        }
        p->i = (int)v;
        return 0;
    }
    case SMAC_OPT_SEED: {
        long long v;
        if (smac_parse_long(value, &v) != 0)
            return scen_value_error(err, SMAC_ERR_PARSE, o, "expected an integer, got '%s'", value);
        if (v < 0 || v > 4294967295LL)
            return scen_value_error(err, SMAC_ERR_INVALID, o,
                                    "expected a seed in [0, 4294967295], got '%s'", value);
        p->u = (uint64_t)v;
        return 0;
    }
    case SMAC_OPT_FLOAT: {
        if (smac_parse_double(value, &p->d) != 0)
            return scen_value_error(err, SMAC_ERR_PARSE, o, "expected a number, got '%s'", value);
        const char *why = double_range_problem(opt->check, p->d);
        if (why)
            return scen_value_error(err, SMAC_ERR_INVALID, o, "expected %s, got '%s'", why, value);
        return 0;
    }
    case SMAC_OPT_PATH:
        if (value[0] == '\0')
            return 0; /* an empty file name means "none", as in SMAC3 */
        /* fall through */
    case SMAC_OPT_STRING:
        p->s = strdup(value);
        return p->s ? 0 : smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    case SMAC_OPT_OBJECTIVE:
        if (scen_par_factor(value) < 0)
            return scen_value_error(err, SMAC_ERR_INVALID, o,
                                    "expected PARx, parx, MEANx or meanx with an integer x >= 1 "
                                    "(e.g. PAR10, mean), got '%s'",
                                    value);
        p->s = strdup(value);
        return p->s ? 0 : smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    case SMAC_OPT_CHOICE: {
        char low[64];
        const char *v = value;
        if (opt->lowercase) {
            size_t k = 0;
            for (; value[k] && k + 1 < sizeof low; k++)
                low[k] = (char)((value[k] >= 'A' && value[k] <= 'Z') ? value[k] - 'A' + 'a' : value[k]);
            low[k] = '\0';
            if (value[k] == '\0')
                v = low;
        }
        for (int k = 0; opt->choices[k]; k++) {
            if (strcmp(opt->choices[k], v) == 0) {
                p->i = opt->choice_values ? opt->choice_values[k] : k;
                return 0;
            }
        }
        char list[256];
        choices_text(opt, list, sizeof list);
        return scen_value_error(err, SMAC_ERR_INVALID, o, "expected one of %s; got '%s'", list, value);
    }
    case SMAC_OPT_ARGV:
    case SMAC_OPT_PATHLIST: {
        const char *why = NULL;
        int rc = scen_shlex_split(value, &p->list, &why);
        if (rc == SMAC_ERR_NOMEM)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        if (rc != 0)
            return scen_value_error(err, SMAC_ERR_PARSE, o, "cannot split '%s' into words: %s", value,
                                    why);
        return 0;
    }
    case SMAC_OPT_HELP:
        return 0;
    }
    return 0;
}

static void free_parsed(parsed *p)
{
    free(p->s);
    scen_strlist_free(&p->list);
}

void scen_option_clear_field(smac_scenario *sc, const smac_option *opt)
{
    if (opt->offset == SMAC_OPT_NO_FIELD)
        return;
    char *field = (char *)sc + opt->offset;
    switch (opt->type) {
    case SMAC_OPT_BOOL:
    case SMAC_OPT_PYBOOL: *(bool *)field = false; break;
    case SMAC_OPT_INT:
    case SMAC_OPT_CHOICE: *(int *)field = -1; break;
    case SMAC_OPT_SEED: *(uint64_t *)field = 0; break;
    case SMAC_OPT_FLOAT: *(double *)field = INFINITY; break;
    case SMAC_OPT_STRING:
    case SMAC_OPT_PATH:
    case SMAC_OPT_OBJECTIVE:
        free(*(char **)field);
        *(char **)field = NULL;
        break;
    case SMAC_OPT_ARGV:
    case SMAC_OPT_PATHLIST: scen_strlist_free((smac_strlist *)field); break;
    case SMAC_OPT_HELP: break;
    }
}

/* Moves a parsed value into the option's field (the field's old value is freed). */
static void store_field(smac_scenario *sc, const smac_option *opt, parsed *p)
{
    if (opt->type == SMAC_OPT_HELP) {
        sc->help = strcmp(opt->name, "help_all") == 0 ? 2 : 1;
        return;
    }
    if (opt->offset == SMAC_OPT_NO_FIELD)
        return;
    scen_option_clear_field(sc, opt);
    char *field = (char *)sc + opt->offset;
    switch (opt->type) {
    case SMAC_OPT_BOOL:
    case SMAC_OPT_PYBOOL: *(bool *)field = p->b; break;
    case SMAC_OPT_INT:
    case SMAC_OPT_CHOICE: *(int *)field = p->i; break;
    case SMAC_OPT_SEED: *(uint64_t *)field = p->u; break;
    case SMAC_OPT_FLOAT: *(double *)field = p->d; break;
    case SMAC_OPT_STRING:
    case SMAC_OPT_PATH:
    case SMAC_OPT_OBJECTIVE:
        *(char **)field = p->s;
        p->s = NULL;
        break;
    case SMAC_OPT_ARGV:
    case SMAC_OPT_PATHLIST:
        *(smac_strlist *)field = p->list;
        memset(&p->list, 0, sizeof p->list);
        break;
    case SMAC_OPT_HELP: break;
    }
}

int scen_option_set(smac_scenario *sc, const smac_option *opt, const char *value,
                    const scen_origin *origin, smac_error *err)
{
    parsed p;
    int rc = parse_value(opt, value, origin, &p, err);
    if (rc != 0) {
        free_parsed(&p);
        return rc;
    }
    scen_value *slot = &sc->state->values[scen_option_index(opt)];
    if (origin->source < slot->source) {
        free_parsed(&p); /* the command line already decided this one */
        return 0;
    }
    char *text = NULL;
    if (origin->source != SCEN_SRC_DEFAULT) {
        text = strdup(value);
        if (!text) {
            free_parsed(&p);
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        }
    }
    store_field(sc, opt, &p);
    free_parsed(&p);
    free(slot->text);
    slot->text = text;
    slot->source = origin->source;
    slot->file = origin->source == SCEN_SRC_FILE ? origin->file : NULL;
    slot->line = origin->source == SCEN_SRC_FILE ? origin->line : 0;
    return 0;
}
