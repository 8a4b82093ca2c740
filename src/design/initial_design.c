/*
 * Initial designs (algorithms.md §3, facades.md §1): sizes, the five kinds,
 * the mapping from the unit cube to configurations, and the final
 * de-duplication. The point generators are in lhd.c and sobol.c.
 *
 * Where v1.1 would crash we do something sensible instead and say so here:
 *   - a design point (or factorial grid point) that violates a forbidden
 *     clause is dropped (ConfigSpace raises ForbiddenValueError);
 *   - the factorial "middle" of an integer parameter is the rounded
 *     mid-point (ConfigSpace rejects a non-integral value for an integer).
 */
#include "design/initial_design.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/error.h"

/* SMAC3 refuses Sobol designs above this many parameters (scipy's table). */
#define SCIPY_SOBOL_MAX_DIM 21201
/* Grids beyond this are refused rather than exhausting memory. */
#define FACTORIAL_MAX 1000000
/* Seeds as SMAC3 draws them from its main RNG. */
#define LHD_SEED_RANGE 1000000
#define SOBOL_SEED_RANGE 10000000

/* ------------------------------------------------------------- names */

static const char *const KIND_NAMES[] = {"DEFAULT", "RANDOM", "LHD", "SOBOL", "FACTORIAL"};

int smac_design_kind_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < (int)(sizeof KIND_NAMES / sizeof *KIND_NAMES); i++)
        if (strcmp(name, KIND_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *smac_design_kind_name(smac_design_kind kind)
{
    if ((int)kind < 0 || (int)kind >= (int)(sizeof KIND_NAMES / sizeof *KIND_NAMES))
        return NULL;
    return KIND_NAMES[kind];
}

int smac_design_facade_defaults(const char *facade, const char *initial_incumbent, int n_params,
                                smac_design_kind *kind, double *n_configs_x_params,
                                double *max_config_fracs, smac_error *err)
{
    if (!facade)
        return smac_error_set(err, SMAC_ERR_INVALID, "no facade given");
    if (strcmp(facade, "SMAC4AC") == 0 || strcmp(facade, "ROAR") == 0) {
        const char *ii = initial_incumbent ? initial_incumbent : "DEFAULT";
        int k = smac_design_kind_parse(ii);
        if (k < 0)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "Don't know what kind of initial_incumbent '%s' is "
                                  "(DEFAULT, RANDOM, LHD, FACTORIAL or SOBOL)", ii);
        *kind = (smac_design_kind)k;
        *n_configs_x_params = 0.0;
        *max_config_fracs = 0.0;
        return 0;
    }
    if (strcmp(facade, "SMAC4HPO") == 0 || strcmp(facade, "SMAC4BB") == 0) {
        if (n_params > SCIPY_SOBOL_MAX_DIM)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "The default initial design \"Sobol sequence\" can only handle up to "
                                  "%d dimensions, the space has %d parameters",
                                  SCIPY_SOBOL_MAX_DIM, n_params);
        *kind = SMAC_DESIGN_SOBOL;
        *n_configs_x_params = (facade[5] == 'H') ? 10.0 : 8.0;
        *max_config_fracs = 0.25;
        return 0;
    }
    if (strcmp(facade, "SMAC4MF") == 0) {
        *kind = SMAC_DESIGN_RANDOM;
        *n_configs_x_params = 10.0;
        *max_config_fracs = 0.25;
        return 0;
    }
    if (strcmp(facade, "HB4AC") == 0 || strcmp(facade, "Hyperband") == 0) {
        *kind = SMAC_DESIGN_RANDOM;
        *n_configs_x_params = 0.0;
        *max_config_fracs = 0.0;
        return 0;
    }
    return smac_error_set(err, SMAC_ERR_INVALID,
                          "unknown facade '%s' (SMAC4AC, SMAC4HPO, SMAC4BB, SMAC4MF, ROAR or HB4AC)",
                          facade);
}

/* ------------------------------------------------------------- sizes */

/* Python's builtin min/max on two floats: the first argument wins unless
 * the second compares strictly smaller/larger -- so a NaN second argument
 * is ignored and a NaN first argument sticks. */
static double py_min(double a, double b) { return (b < a) ? b : a; }
static double py_max(double a, double b) { return (b > a) ? b : a; }

int smac_design_size(int n_params, double ta_run_limit, int init_budget, int n_configs,
                     double n_configs_x_params, double max_config_fracs, int *out, smac_error *err)
{
    double size;
    if (init_budget >= 0) {
        size = init_budget;
    } else if (n_configs >= 0) {
        size = n_configs;
    } else if (!isnan(n_configs_x_params)) {
        double x = py_max(1.0, py_min(n_configs_x_params * n_params, max_config_fracs * ta_run_limit));
        if (isnan(x) || x >= (double)INT_MAX + 1.0)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "initial design size %g (n_configs_x_params %g x %d parameters, "
                                  "max_config_fracs %g x run limit %g) is not a usable number",
                                  x, n_configs_x_params, n_params, max_config_fracs, ta_run_limit);
        size = trunc(x); /* Python's int() */
    } else {
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "Need to provide either argument `init_budget`, `configs` or "
                              "`n_configs_x_params`, but provided none of them.");
    }
    if (size > ta_run_limit)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "Initial budget %d cannot be higher than the run limit %g.", (int)size,
                              ta_run_limit);
    *out = (int)size;
    return 0;
}

/* ------------------------------------------------------------ designs */

void smac_design_init(smac_design *d) { memset(d, 0, sizeof *d); }

void smac_design_free(smac_design *d)
{
    free(d->configs);
    free(d->origins);
    memset(d, 0, sizeof *d);
}

static int design_push(smac_design *d, const double *vec, const char *origin, smac_error *err)
{
    if (d->n == d->cap) {
        int c = d->cap ? d->cap * 2 : 16;
        size_t rowlen = (size_t)(d->n_params > 0 ? d->n_params : 1);
        double *cf = realloc(d->configs, (size_t)c * rowlen * sizeof *cf);
        if (!cf)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the initial design");
        d->configs = cf;
        const char **o = realloc(d->origins, (size_t)c * sizeof *o);
        if (!o)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the initial design");
        d->origins = o;
        d->cap = c;
    }
    memcpy(&d->configs[(size_t)d->n * d->n_params], vec, (size_t)d->n_params * sizeof *vec);
    d->origins[d->n] = origin;
    d->n++;
    return 0;
}

int smac_design_dim(const smac_cs *cs)
{
    int d = 0;
    for (int i = 0; i < cs->n_params; i++)
        if (cs->params[i].type != SMAC_PARAM_CONSTANT)
            d++;
    return d;
}

/* The vector of the value a unit entry decodes to, so that all entries of
 * one integer (or one quantisation step) give the same configuration. */
static double snap(const cs_param *p, double u)
{
    if (p->type == SMAC_PARAM_INTEGER || (p->type == SMAC_PARAM_REAL && p->q > 0))
        return cs_param_to_unit(p, cs_param_from_unit(p, u));
    return u;
}

static double choice_index(double u, int k)
{
    if (u >= 1.0)
        u = 1.0 - 1e-10; /* SMAC3 maps exactly 1 just below it */
    int idx = (int)(u * k); /* truncation, as numpy's int cast */
    if (idx >= k)
        idx = k - 1;
    if (idx < 0)
        idx = 0;
    return (double)idx;
}

/* Completes activity and keeps vec if it is a valid configuration. */
static int push_if_valid(const smac_cs *cs, smac_design *out, double *vec, const char *origin,
                         smac_error *err)
{
    if (cs->n_conditions > 0)
        cs_fix_activity(cs, vec);
    if (smac_cs_check(cs, vec, NULL) != 0)
        return 0;
    return design_push(out, vec, origin, err);
}

int smac_design_from_unit(const smac_cs *cs, const double *u, int n, const char *origin, smac_design *out,
                          smac_error *err)
{
    int P = cs->n_params;
    if (out->n > 0 && out->n_params != P)
        return smac_error_set(err, SMAC_ERR_INVALID, "design holds %d parameters, the space has %d",
                              out->n_params, P);
    out->n_params = P;
    int d = smac_design_dim(cs);
    double *vec = malloc((size_t)(P > 0 ? P : 1) * sizeof *vec);
    if (!vec)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the initial design");
    int rc = 0;
    for (int r = 0; r < n && rc == 0; r++) {
        const double *row = &u[(size_t)r * d];
        int j = 0;
        for (int i = 0; i < P; i++) {
            const cs_param *p = &cs->params[i];
            switch (p->type) {
            case SMAC_PARAM_REAL:
            case SMAC_PARAM_INTEGER:
                vec[i] = snap(p, row[j++]);
                break;
            case SMAC_PARAM_CATEGORICAL:
            case SMAC_PARAM_ORDINAL:
                vec[i] = choice_index(row[j++], p->n_choices);
                break;
            case SMAC_PARAM_CONSTANT:
            default:
                vec[i] = 0.0;
                break;
            }
        }
        rc = push_if_valid(cs, out, vec, origin, err);
    }
    free(vec);
    return rc;
}

/* -------------------------------------------------------- factorial */

/* [default, middle, every combination] with the last parameter varying
 * fastest (itertools.product over the canonical order). */
static int factorial(const smac_cs *cs, smac_design *out, smac_error *err)
{
    int P = cs->n_params;
    size_t m = (size_t)(P > 0 ? P : 1);
    double *vec = malloc(m * sizeof *vec);
    double *lo = malloc(m * sizeof *lo);   /* first level, unit encoding */
    double *hi = malloc(m * sizeof *hi);   /* last level (categorical: k-1 with all between) */
    int *levels = malloc(m * sizeof *levels);
    int *digit = calloc(m, sizeof *digit);
    int rc = 0;
    if (!vec || !lo || !hi || !levels || !digit) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the factorial design");
        goto done;
    }

    smac_cs_default(cs, vec);
    if ((rc = design_push(out, vec, SMAC_ORIGIN_INITIAL_DESIGN, err)))
        goto done;

    double total = 1.0;
    for (int i = 0; i < P; i++) {
        const cs_param *p = &cs->params[i];
        switch (p->type) {
        case SMAC_PARAM_REAL:
        case SMAC_PARAM_INTEGER: {
            double mid = 0.5 * (p->lower + p->upper);
            if (p->type == SMAC_PARAM_INTEGER)
                mid = rint(mid);
            vec[i] = snap(p, cs_param_to_unit(p, mid));
            lo[i] = cs_param_to_unit(p, p->lower);
            hi[i] = cs_param_to_unit(p, p->upper);
            levels[i] = 2;
            break;
        }
        case SMAC_PARAM_CATEGORICAL:
            vec[i] = 0.0;
            levels[i] = p->n_choices;
            break;
        case SMAC_PARAM_ORDINAL:
            vec[i] = (double)(p->n_choices / 2);
            lo[i] = 0.0;
            hi[i] = (double)(p->n_choices - 1);
            levels[i] = 2;
            break;
        case SMAC_PARAM_CONSTANT:
        default:
            vec[i] = 0.0;
            levels[i] = 1;
            break;
        }
        total *= levels[i];
    }
    if (total > FACTORIAL_MAX) {
        rc = smac_error_set(err, SMAC_ERR_INVALID,
                            "the factorial design would have %.0f configurations (more than %d)", total,
                            FACTORIAL_MAX);
        goto done;
    }
    if ((rc = push_if_valid(cs, out, vec, SMAC_ORIGIN_INITIAL_DESIGN, err)))
        goto done;

    for (long g = 0; g < (long)total; g++) {
        for (int i = 0; i < P; i++) {
            const cs_param *p = &cs->params[i];
            if (p->type == SMAC_PARAM_CATEGORICAL)
                vec[i] = (double)digit[i];
            else if (p->type == SMAC_PARAM_CONSTANT)
                vec[i] = 0.0;
            else
                vec[i] = digit[i] ? hi[i] : lo[i];
        }
        if ((rc = push_if_valid(cs, out, vec, SMAC_ORIGIN_FACTORIAL, err)))
            goto done;
        for (int i = P - 1; i >= 0; i--) { /* mixed-radix increment */
            if (++digit[i] < levels[i])
                break;
            digit[i] = 0;
        }
    }
done:
    free(vec);
    free(lo);
    free(hi);
    free(levels);
    free(digit);
    return rc;
}

/* ------------------------------------------------------ de-duplication */

static uint64_t hash_config(const double *v, int n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int j = 0; j < n; j++) {
        double x = v[j];
        uint64_t bits;
        if (isnan(x))
            bits = 0x7ff8000000000000ULL; /* every NaN alike: inactive */
        else {
            if (x == 0.0)
                x = 0.0; /* -0.0 equals 0.0 */
            memcpy(&bits, &x, sizeof bits);
        }
        h ^= bits;
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

static int same_config(const double *a, const double *b, int n)
{
    for (int j = 0; j < n; j++)
        if (!(a[j] == b[j] || (isnan(a[j]) && isnan(b[j]))))
            return 0;
    return 1;
}

/* Removes later duplicates in place, keeping order (OrderedDict.fromkeys). */
static int dedupe(smac_design *d, smac_error *err)
{
    if (d->n < 2)
        return 0;
    size_t cap = 1;
    while (cap < (size_t)d->n * 2)
        cap <<= 1;
    int *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory removing duplicate configurations");
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    int P = d->n_params, kept = 0;
    for (int r = 0; r < d->n; r++) {
        const double *row = &d->configs[(size_t)r * P];
        size_t h = (size_t)hash_config(row, P) & (cap - 1);
        int dup = 0;
        while (slot[h] >= 0) {
            if (same_config(&d->configs[(size_t)slot[h] * P], row, P)) {
                dup = 1;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        if (dup)
            continue;
        if (kept != r) {
            memmove(&d->configs[(size_t)kept * P], row, (size_t)P * sizeof *row);
            d->origins[kept] = d->origins[r];
        }
        slot[h] = kept++;
    }
    d->n = kept;
    free(slot);
    return 0;
}

/* ---------------------------------------------------------- generate */

static int unit_design(const smac_cs *cs, smac_design_kind kind, int size, smac_rng *rng, smac_design *out,
                       smac_error *err)
{
    int d = smac_design_dim(cs);
    if (kind == SMAC_DESIGN_SOBOL && d > smac_sobol_max_dim())
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "a Sobol design supports at most %d non-constant parameters, the space has "
                              "%d (use the LHD or random initial design)",
                              smac_sobol_max_dim(), d);
    uint64_t seed = smac_rng_below(rng, kind == SMAC_DESIGN_LHD ? LHD_SEED_RANGE : SOBOL_SEED_RANGE);
    double *u = malloc(((size_t)size * d > 0 ? (size_t)size * d : 1) * sizeof *u);
    if (!u)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the initial design");
    int rc = 0;
    if (d > 0) {
        if (kind == SMAC_DESIGN_LHD) {
            smac_rng local;
            smac_rng_seed(&local, seed, 0);
            smac_lhd_sample(size, d, &local, u);
        } else {
            smac_sobol *s = smac_sobol_new(d, 1, seed, err);
            if (!s) {
                free(u);
                return err ? err->code : SMAC_ERR_NOMEM;
            }
            for (int i = 0; i < size; i++)
                smac_sobol_next(s, &u[(size_t)i * d]);
            smac_sobol_free(s);
        }
    }
    rc = smac_design_from_unit(cs, u, size, kind == SMAC_DESIGN_LHD ? SMAC_ORIGIN_LHD : SMAC_ORIGIN_SOBOL,
                               out, err);
    free(u);
    return rc;
}

int smac_design_generate(const smac_cs *cs, const smac_design_options *opt, smac_rng *rng,
                         smac_rng *sample_rng, smac_design *out, smac_error *err)
{
    if (!cs || !opt || !out || !rng || !sample_rng)
        return smac_error_set(err, SMAC_ERR_INVALID, "initial design: missing space, options or generator");
    smac_design_free(out);
    int P = cs->n_params;
    out->n_params = P;
    int size, rc;
    if ((rc = smac_design_size(P, opt->ta_run_limit, opt->init_budget, -1, opt->n_configs_x_params,
                               opt->max_config_fracs, &size, err)))
        return rc;

    double *vec = malloc((size_t)(P > 0 ? P : 1) * sizeof *vec);
    if (!vec)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building the initial design");
    switch (opt->kind) {
    case SMAC_DESIGN_DEFAULT:
        smac_cs_default(cs, vec);
        rc = design_push(out, vec, SMAC_ORIGIN_DEFAULT, err);
        break;
    case SMAC_DESIGN_RANDOM:
        for (int i = 0; i < size && rc == 0; i++)
            if ((rc = smac_cs_sample(cs, sample_rng, vec, err)) == 0)
                rc = design_push(out, vec, SMAC_ORIGIN_RANDOM_DESIGN, err);
        break;
    case SMAC_DESIGN_LHD:
    case SMAC_DESIGN_SOBOL:
        rc = unit_design(cs, opt->kind, size, rng, out, err);
        break;
    case SMAC_DESIGN_FACTORIAL:
        rc = factorial(cs, out, err);
        break;
    default:
        rc = smac_error_set(err, SMAC_ERR_INVALID, "unknown initial design kind %d", (int)opt->kind);
        break;
    }
    if (rc == 0)
        rc = dedupe(out, err);
    if (rc == 0 && out->n == 0) {
        /* SMAC3's main loop never starts from an empty design: it falls
         * back to the default configuration, with no origin. */
        smac_cs_default(cs, vec);
        rc = design_push(out, vec, NULL, err);
    }
    free(vec);
    if (rc)
        smac_design_free(out);
    return rc;
}
