/*
 * The runhistory.json writer: byte for byte what SMAC3 v1.1's
 * RunHistory.save_json produces (json.dump(..., indent=2), formats.md §6.3):
 * keys data / config_origins / configs, only INTERNAL runs, the configs and
 * origins of exactly the ids those runs use in ascending id order, floats as
 * repr with Python's Infinity/NaN spellings, strings with ensure_ascii
 * escapes, no trailing newline.
 *
 * The layout is fixed, so it is written directly rather than through a
 * generic pretty printer; additional_info, the one free-form value, goes
 * through rh_info_write_indented.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "runhistory/rh_internal.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"

static void put_int(smac_strbuf *sb, int64_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    smac_strbuf_append(sb, p, (size_t)(e - p));
}

static void put_double(smac_strbuf *sb, double x)
{
    char buf[SMAC_DOUBLE_TEXT];
    int n = rh_repr_double(x, buf);
    smac_strbuf_append(sb, buf, (size_t)n);
}

/* A run value number: an int when it was one (RH_INT_*), else repr. */
static void put_num(smac_strbuf *sb, double x, int as_int)
{
    if (as_int && isfinite(x) && x == floor(x) && fabs(x) < 9.0e18)
        put_int(sb, (int64_t)x);
    else
        put_double(sb, x);
}

#define PUT(sb, lit) smac_strbuf_append((sb), lit, sizeof lit - 1)

static void put_run(smac_strbuf *sb, const rh_run *r)
{
    const smac_rh_run *u = &r->pub;
    PUT(sb, "    [\n      [\n        ");
    put_int(sb, u->config_id);
    PUT(sb, ",\n        ");
    if (u->instance_name)
        rh_json_string(sb, u->instance_name, strlen(u->instance_name));
    else
        PUT(sb, "null");
    PUT(sb, ",\n        ");
    put_int(sb, u->seed);
    PUT(sb, ",\n        ");
    put_double(sb, u->budget);
    PUT(sb, "\n      ],\n      [\n        ");
    put_num(sb, u->value.cost, r->ints & RH_INT_COST);
    PUT(sb, ",\n        ");
    put_num(sb, u->value.time, r->ints & RH_INT_TIME);
    PUT(sb, ",\n        {\n          \"__enum__\": \"StatusType.");
    smac_strbuf_puts(sb, smac_status_name(u->value.status));
    PUT(sb, "\"\n        },\n        ");
    put_num(sb, u->value.starttime, r->ints & RH_INT_START);
    PUT(sb, ",\n        ");
    put_num(sb, u->value.endtime, r->ints & RH_INT_END);
    PUT(sb, ",\n        ");
    rh_info_write_indented(sb, u->value.additional_info, 4);
    PUT(sb, "\n      ]\n    ]");
}

/* One parameter value as its JSON type (formats.md §6.3: real -> float,
 * integer -> int, choices -> the type they were read with). */
static void put_value(smac_strbuf *sb, const cs_param *p, double v)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
        put_double(sb, v);
        return;
    case SMAC_PARAM_INTEGER:
        put_int(sb, (int64_t)v);
        return;
    default:
        break;
    }
    int c = p->type == SMAC_PARAM_CONSTANT ? 0 : (int)v;
    if (c < 0 || c >= p->n_choices) {
        PUT(sb, "null"); /* cannot happen for an interned configuration */
        return;
    }
    const char *text = p->choices[c];
    switch (p->kinds ? p->kinds[c] : CS_VALUE_STRING) {
    case CS_VALUE_INT:
        smac_strbuf_puts(sb, text);
        return;
    case CS_VALUE_FLOAT: {
        double d;
        if (smac_parse_double(text, &d) == 0)
            put_double(sb, d);
        else
            smac_strbuf_puts(sb, text);
        return;
    }
    case CS_VALUE_BOOL:
        smac_strbuf_puts(sb, strcmp(text, "True") == 0 || strcmp(text, "true") == 0 ? "true" : "false");
        return;
    case CS_VALUE_STRING:
    default:
        rh_json_string(sb, text, strlen(text));
        return;
    }
}

static void put_config(smac_strbuf *sb, const smac_runhistory *rh, int pos)
{
    const double *key = rh_key_at(rh, pos);
    int first = 1;
    PUT(sb, "    \"");
    put_int(sb, rh->cfgs.items[pos].id);
    PUT(sb, "\": {");
    for (int i = 0; i < rh->n_params; i++) {
        if (isnan(key[i]))
            continue; /* inactive: absent */
        const cs_param *p = &rh->cs->params[i];
        smac_strbuf_puts(sb, first ? "\n      " : ",\n      ");
        first = 0;
        rh_json_string(sb, p->name, strlen(p->name));
        PUT(sb, ": ");
        put_value(sb, p, key[i]);
    }
    if (first)
        PUT(sb, "}");
    else
        PUT(sb, "\n    }");
}

static int by_id(const void *a, const void *b)
{
    const int *x = a, *y = b; /* pairs (id, position) */
    return (x[0] > y[0]) - (x[0] < y[0]);
}

char *smac_rh_to_json(const smac_runhistory *rh, smac_error *err)
{
    if (!rh) {
        smac_error_set(err, SMAC_ERR_INVALID, "no run history");
        return NULL;
    }
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    unsigned char *used = calloc(rh->cfgs.len + 1, 1);
    int *order = NULL;
    if (!used)
        goto nomem;
    PUT(&sb, "{\n  \"data\": [");
    size_t n_written = 0, n_used = 0;
    for (size_t i = 0; i < rh->runs.len; i++) {
        const rh_run *r = &rh->runs.items[i];
        if (r->pub.origin != SMAC_RH_INTERNAL)
            continue;
        if (!used[r->cfg]) {
            used[r->cfg] = 1;
            n_used++;
        }
        smac_strbuf_puts(&sb, n_written ? ",\n" : "\n");
        put_run(&sb, r);
        n_written++;
    }
    smac_strbuf_puts(&sb, n_written ? "\n  ],\n  \"config_origins\": {" : "],\n  \"config_origins\": {");

    /* Configs in ascending id: positions are usually in id order already. */
    order = malloc((n_used + 1) * 2 * sizeof *order);
    if (!order)
        goto nomem;
    size_t k = 0;
    int sorted = 1;
    for (size_t pos = 0; pos < rh->cfgs.len; pos++) {
        if (!used[pos])
            continue;
        order[2 * k] = rh->cfgs.items[pos].id;
        order[2 * k + 1] = (int)pos;
        if (k > 0 && order[2 * k] < order[2 * k - 2])
            sorted = 0;
        k++;
    }
    if (!sorted)
        qsort(order, n_used, 2 * sizeof *order, by_id);

    size_t n_origins = 0;
    for (k = 0; k < n_used; k++) {
        const rh_config *c = &rh->cfgs.items[order[2 * k + 1]];
        if (!c->origin)
            continue;
        smac_strbuf_puts(&sb, n_origins ? ",\n    \"" : "\n    \"");
        put_int(&sb, c->id);
        PUT(&sb, "\": ");
        rh_json_string(&sb, c->origin, strlen(c->origin));
        n_origins++;
    }
    smac_strbuf_puts(&sb, n_origins ? "\n  },\n  \"configs\": {" : "},\n  \"configs\": {");
    for (k = 0; k < n_used; k++) {
        smac_strbuf_puts(&sb, k ? ",\n" : "\n");
        put_config(&sb, rh, order[2 * k + 1]);
    }
    smac_strbuf_puts(&sb, n_used ? "\n  }\n}" : "}\n}");
    free(used);
    free(order);
    char *text = smac_strbuf_take(&sb);
    if (!text)
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory while writing the run history");
    return text;
nomem:
    free(used);
    free(order);
    smac_strbuf_free(&sb);
    smac_error_set(err, SMAC_ERR_NOMEM, "out of memory while writing the run history");
    return NULL;
}

int smac_rh_save_json(const smac_runhistory *rh, const char *path, smac_error *err)
{
    if (!path)
        return smac_error_set(err, SMAC_ERR_INVALID, "no path to save the run history to");
    char *text = smac_rh_to_json(rh, err);
    if (!text)
        return err ? err->code : SMAC_ERR_NOMEM;
    int rc = smac_atomic_write(path, text, strlen(text), err);
    free(text);
    return rc;
}
