/*
 * The finished configuration space as an object: freeing, the inspection
 * functions of smac.h, and the private per-space data (cs_aux: name lookup
 * table, default configuration, cumulative categorical weights) that
 * smac_cs_builder_finish attaches once so the algorithms never recompute it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_private.h"

/* ------------------------------------------------------------ name table */

static size_t hash_name(const char *s)
{
    /* FNV-1a: names are short, this is plenty. */
    size_t h = (size_t)1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= (size_t)1099511628211ULL;
    }
    return h;
}

void cs_names_init(cs_names *t) { memset(t, 0, sizeof *t); }

void cs_names_free(cs_names *t)
{
    free(t->keys);
    free(t->vals);
    memset(t, 0, sizeof *t);
}

static int names_grow(cs_names *t)
{
    size_t cap = t->cap ? t->cap * 2 : 16;
    const char **keys = calloc(cap, sizeof *keys);
    int *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return SMAC_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t j = hash_name(t->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i];
        vals[j] = t->vals[i];
    }
    free(t->keys);
    free(t->vals);
    t->keys = keys;
    t->vals = vals;
    t->cap = cap;
    return 0;
}

int cs_names_put(cs_names *t, const char *key, int val)
{
    if (cs_names_get(t, key) >= 0)
        return 1;
    /* Keep the load factor at most 1/2 so probes stay short. */
    if ((t->len + 1) * 2 > t->cap && names_grow(t) != 0)
        return SMAC_ERR_NOMEM;
    size_t j = hash_name(key) & (t->cap - 1);
    while (t->keys[j])
        j = (j + 1) & (t->cap - 1);
    t->keys[j] = key;
    t->vals[j] = val;
    t->len++;
    return 0;
}

int cs_names_get(const cs_names *t, const char *key)
{
    if (!t->cap || !key)
        return -1;
    size_t j = hash_name(key) & (t->cap - 1);
    while (t->keys[j]) {
        if (strcmp(t->keys[j], key) == 0)
            return t->vals[j];
        j = (j + 1) & (t->cap - 1);
    }
    return -1;
}

/* ---------------------------------------------------------- freeing */

void cs_param_clear(cs_param *p)
{
    free(p->name);
    if (p->choices)
        for (int i = 0; i < p->n_choices; i++)
            free(p->choices[i]);
    free(p->choices);
    free(p->kinds);
    free(p->weights);
    free(p->children);
    memset(p, 0, sizeof *p);
}

void cs_cond_clear(cs_cond *c)
{
    free(c->values);
    if (c->parts)
        for (int i = 0; i < c->n_parts; i++)
            cs_cond_clear(&c->parts[i]);
    free(c->parts);
    memset(c, 0, sizeof *c);
}

void cs_forbidden_clear(cs_forbidden *f)
{
    free(f->values);
    if (f->parts)
        for (int i = 0; i < f->n_parts; i++)
            cs_forbidden_clear(&f->parts[i]);
    free(f->parts);
    memset(f, 0, sizeof *f);
}

static void aux_free(cs_aux *aux, int n_params)
{
    if (!aux)
        return;
    cs_names_free(&aux->names);
    free(aux->maps);
    free(aux->default_vec);
    free(aux->default_unit);
    if (aux->cum_weights)
        for (int i = 0; i < n_params; i++)
            free(aux->cum_weights[i]);
    free(aux->cum_weights);
    free(aux);
}

void smac_cs_free(smac_cs *cs)
{
    if (!cs)
        return;
    aux_free((cs_aux *)cs->name_index, cs->n_params);
    if (cs->params)
        for (int i = 0; i < cs->n_params; i++)
            cs_param_clear(&cs->params[i]);
    free(cs->params);
    if (cs->conditions)
        for (int i = 0; i < cs->n_conditions; i++)
            cs_cond_clear(&cs->conditions[i].root);
    free(cs->conditions);
    if (cs->forbiddens)
        for (int i = 0; i < cs->n_forbiddens; i++)
            cs_forbidden_clear(&cs->forbiddens[i]);
    free(cs->forbiddens);
    free(cs->name);
    free(cs);
}

/* ------------------------------------------------------ precomputation */

int cs_aux_build(smac_cs *cs, smac_error *err)
{
    int n = cs->n_params;
    cs_aux *aux = calloc(1, sizeof *aux);
    if (!aux)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    cs_names_init(&aux->names);
    aux->default_vec = malloc((size_t)(n > 0 ? n : 1) * sizeof *aux->default_vec);
    aux->cum_weights = calloc((size_t)(n > 0 ? n : 1), sizeof *aux->cum_weights);
    aux->maps = calloc((size_t)(n > 0 ? n : 1), sizeof *aux->maps);
    aux->default_unit = malloc((size_t)(n > 0 ? n : 1) * sizeof *aux->default_unit);
    if (!aux->default_vec || !aux->cum_weights || !aux->maps || !aux->default_unit)
        goto nomem;
    for (int i = 0; i < n; i++) {
        const cs_param *p = &cs->params[i];
        int rc = cs_names_put(&aux->names, p->name, i);
        if (rc < 0)
            goto nomem;
        if (rc == 1) {
            aux_free(aux, n);
            return smac_error_set(err, SMAC_ERR_INVALID, "parameter '%s' is defined twice", p->name);
        }
        if (p->type == SMAC_PARAM_REAL || p->type == SMAC_PARAM_INTEGER)
            aux->maps[i] = cs_param_unit_map(p);
        if (p->type == SMAC_PARAM_CATEGORICAL && p->weights) {
            double *cum = malloc((size_t)p->n_choices * sizeof *cum);
            if (!cum)
                goto nomem;
            double total = 0.0;
            for (int k = 0; k < p->n_choices; k++)
                total += p->weights[k];
            double acc = 0.0;
            for (int k = 0; k < p->n_choices; k++) {
                acc += p->weights[k] / total;
                cum[k] = acc;
            }
            /* Rounding must never leave a draw of u close to 1 without a
             * choice: the last choice with positive weight takes the rest. */
            for (int k = p->n_choices - 1; k >= 0; k--) {
                cum[k] = 1.0;
                if (p->weights[k] > 0)
                    break;
            }
            aux->cum_weights[i] = cum;
        }
    }
    /* The default configuration: every default, then the inactive ones
     * switched off in canonical order (parents come first). */
    for (int i = 0; i < n; i++) {
        const cs_param *p = &cs->params[i];
        aux->default_unit[i] = cs_param_to_unit(p, p->default_value);
        aux->default_vec[i] = aux->default_unit[i];
    }
    cs->name_index = aux;
    cs_fix_activity(cs, aux->default_vec);
    return 0;

nomem:
    aux_free(aux, n);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

/* ---------------------------------------------------------- inspection */

smac_cs_format smac_cs_source_format(const smac_cs *cs) { return cs ? cs->source_format : SMAC_CS_AUTO; }

int smac_cs_n_params(const smac_cs *cs) { return cs ? cs->n_params : 0; }

int smac_cs_n_conditions(const smac_cs *cs) { return cs ? cs->n_conditions : 0; }

int smac_cs_n_forbiddens(const smac_cs *cs) { return cs ? cs->n_forbiddens : 0; }

const char *smac_cs_param_name(const smac_cs *cs, int i)
{
    if (!cs || i < 0 || i >= cs->n_params)
        return NULL;
    return cs->params[i].name;
}

smac_param_type smac_cs_param_type(const smac_cs *cs, int i)
{
    if (!cs || i < 0 || i >= cs->n_params)
        return (smac_param_type)-1;
    return cs->params[i].type;
}

int smac_cs_param_index(const smac_cs *cs, const char *name)
{
    if (!cs || !name)
        return -1;
    const cs_aux *aux = cs_aux_of(cs);
    if (aux)
        return cs_names_get(&aux->names, name);
    for (int i = 0; i < cs->n_params; i++)
        if (strcmp(cs->params[i].name, name) == 0)
            return i;
    return -1;
}

void smac_cs_default(const smac_cs *cs, double *vec)
{
    const cs_aux *aux = cs_aux_of(cs);
    if (aux) {
        if (cs->n_params > 0)
            memcpy(vec, aux->default_vec, (size_t)cs->n_params * sizeof *vec);
        return;
    }
    for (int i = 0; i < cs->n_params; i++)
        vec[i] = cs_param_to_unit(&cs->params[i], cs->params[i].default_value);
    cs_fix_activity(cs, vec);
}
