/*
 * Private plumbing of the configuration-space core (cs_builder.c, cs_space.c,
 * cs_encode.c, cs_check.c, cs_sample.c, cs_neighbourhood.c). The readers and
 * writers do not need it: they use cs_internal.h only.
 *
 * A finished smac_cs keeps, behind its opaque `name_index` pointer, a cs_aux:
 * the name -> index hash table plus data precomputed once in
 * smac_cs_builder_finish so that the hot paths (sampling, neighbourhood,
 * validity) never allocate and never recompute per-space constants.
 */
#ifndef SMAC_CS_PRIVATE_H
#define SMAC_CS_PRIVATE_H

#include <math.h>
#include <stddef.h>

#include "cs/cs_internal.h"

/* Open-addressing hash table from a name to an int. Keys are borrowed (the
 * table never frees or copies them), so they must outlive the table. */
typedef struct cs_names {
    const char **keys;
    int *vals;
    size_t cap; /* power of two, 0 before the first put */
    size_t len;
} cs_names;

void cs_names_init(cs_names *t);
void cs_names_free(cs_names *t);
/* 0 = inserted, 1 = the key was already there (value unchanged), SMAC_ERR_NOMEM. */
int cs_names_put(cs_names *t, const char *key, int val);
/* The value, or -1 when the key is unknown. */
int cs_names_get(const cs_names *t, const char *key);

/* Where [0,1] lands for a numeric parameter: value (or log value) =
 * lo + unit * span. Fixed per parameter, so precomputed (see cs_encode.c
 * for the widened ranges of integers and quantised reals). */
typedef struct cs_unit_map {
    double lo, span;
} cs_unit_map;

typedef struct cs_aux {
    cs_names names;
    cs_unit_map *maps;     /* per parameter (numeric ones only meaningful) */
    double *default_vec;   /* the default configuration (inactive = NaN) */
    double *default_unit;  /* each parameter's default encoded, active or not */
    double **cum_weights;  /* per parameter: cumulative probabilities of a
                              weighted categorical, ending in exactly 1; else NULL */
} cs_aux;

static inline const cs_aux *cs_aux_of(const smac_cs *cs) { return (const cs_aux *)cs->name_index; }

/* Builds cs->name_index for a space whose params/conditions/forbiddens are in
 * place (cs_space.c). */
int cs_aux_build(smac_cs *cs, smac_error *err);

/* Releases what a parameter / condition tree / forbidden tree owns (not the
 * struct itself); safe on zeroed structs. */
void cs_param_clear(cs_param *p);
void cs_cond_clear(cs_cond *c);
void cs_forbidden_clear(cs_forbidden *f);

/* A value in the parameter's own terms (choice index for categorical/ordinal)
 * as Python's str() prints it; snprintf semantics (cs_encode.c). */
int cs_param_value_str(const cs_param *p, double value, char *buf, size_t n);

/* Index of the choice whose text is `text` (numeric choices read from JSON
 * also match an equal number: "1.0" finds 1), or -1 (cs_encode.c). */
int cs_param_find_choice(const cs_param *p, const char *text);
/* "a, b, c": the legal values of a categorical/ordinal/constant, for messages. */
void cs_param_legal_text(const cs_param *p, char *buf, size_t n);

/* The unit map of a numeric parameter, computed from scratch (cs_encode.c). */
cs_unit_map cs_param_unit_map(const cs_param *p);

static inline double cs_clamp(double x, double lo, double hi)
{
    if (x > hi)
        x = hi;
    if (x < lo)
        x = lo;
    return x;
}

/* The encoding of a numeric value given its parameter's unit map. Every
 * encoding in the library goes through these two, so a precomputed map and
 * a fresh one give bit-identical vectors. */
static inline double cs_map_to_unit(const cs_param *p, cs_unit_map m, double value)
{
    double x = p->log ? log(value) : value;
    return cs_clamp((x - m.lo) / m.span, 0.0, 1.0);
}

/* ConfigSpace quantises and rounds integers with Python's round() and
 * numpy's rint(): halves to even, as rint() in the default rounding mode. */
static inline double cs_map_from_unit(const cs_param *p, cs_unit_map m, double unit)
{
    double x = unit * m.span + m.lo;
    if (p->log)
        x = exp(x);
    if (p->type == SMAC_PARAM_INTEGER)
        x = cs_clamp(x, p->lower - 0.49999, p->upper + 0.49999);
    if (p->q > 0)
        x = cs_clamp(rint((x - p->lower) / p->q) * p->q + p->lower, p->lower, p->upper);
    if (p->type == SMAC_PARAM_INTEGER)
        return rint(x) + 0.0; /* never -0.0: Python prints the int 0 as "0" */
    return cs_clamp(x, p->lower, p->upper);
}

/* The unit map of numeric parameter i of a space (precomputed when possible). */
static inline cs_unit_map cs_map_of(const smac_cs *cs, int i)
{
    const cs_aux *aux = (const cs_aux *)cs->name_index;
    return aux ? aux->maps[i] : cs_param_unit_map(&cs->params[i]);
}

/* The value of parameter i in its own terms decoded from the vector (choice
 * index for categorical/ordinal, the number for real/integer). */
static inline double cs_vec_value(const smac_cs *cs, int i, const double *vec)
{
    const cs_param *p = &cs->params[i];
    if (p->type != SMAC_PARAM_REAL && p->type != SMAC_PARAM_INTEGER)
        return vec[i];
    if (isnan(vec[i]))
        return NAN;
    return cs_map_from_unit(p, cs_map_of(cs, i), vec[i]);
}

/* A forbidden clause in pcs_new-like text, e.g. "{c=a, n=5}" (cs_check.c);
 * snprintf semantics. */
int cs_forbidden_text(const smac_cs *cs, const cs_forbidden *f, char *buf, size_t n);

/* 1 if any forbidden clause of the space matches vec. */
int cs_any_forbidden(const smac_cs *cs, const double *vec);

#endif
