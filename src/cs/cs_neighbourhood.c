/*
 * The one-exchange neighbourhood that local search walks (algorithms.md §9.2,
 * ConfigSpace's get_one_exchange_neighbourhood as SMAC calls it: stdev 0.05,
 * 8 neighbours per numeric parameter). A lazy generator: each _next changes
 * one parameter of the centre and yields the result.
 *
 *   budget per parameter: real 8; integer min(8, upper-lower); categorical
 *   k-1; ordinal 1 at the ends, else 2; constant or inactive 0.
 *   until every budget is spent: draw a parameter index uniformly; skip it
 *   if its budget is spent; a real moves by N(0, 0.05^2) in vector space
 *   (redrawn until inside [0,1], up to 100 tries to avoid forbidden
 *   clauses); integers, categories and ordinal steps come from a list made
 *   on the first visit and shuffled, one popped per visit (one try). A
 *   visit that yields nothing valid spends the whole budget.
 *
 * Children of the changed parameter are switched on at their defaults or
 * off (NaN) as their conditions now say. All memory is allocated in _new
 * and reused: _next never allocates (it runs millions of times per run).
 * A generator borrows its space, which must outlive it; it is not shared
 * between threads (make one per thread, they are cheap).
 *
 * ConfigSpace 0.4.x counts an exhausted parameter twice in its stopping rule
 * and may end a little early; we follow the spec and stop when every budget
 * is spent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_private.h"

#define NB_NUMERIC 8         /* neighbours per numeric parameter (SMAC's num_neighbors) */
#define NB_STDEV 0.05        /* SMAC's stdev in vector space */
#define NB_REAL_TRIES 100    /* tries of a real to avoid forbidden clauses */
#define NB_INT_DRAWS 200     /* normal draws before integers are drawn uniformly */

struct smac_neighbourhood {
    const smac_cs *cs;
    int n;
    smac_rng rng;
    double *centre;
    double *work;
    int *budget;     /* neighbours still to yield per parameter */
    int n_open;      /* parameters with budget left */
    int *list_off;   /* finite neighbour lists: list_buf[list_off[i] ..] */
    int *list_cap;
    int *list_len;   /* -1 until made on the first visit */
    double *list_buf;
};

static int list_capacity(const cs_param *p)
{
    switch (p->type) {
    case SMAC_PARAM_INTEGER:
        return NB_NUMERIC + 1; /* + 1: a centre outside the range leaves all 9 of a small range */
    case SMAC_PARAM_CATEGORICAL:
        return p->n_choices;
    case SMAC_PARAM_ORDINAL:
        return 2;
    default:
        return 0;
    }
}

void smac_neighbourhood_free(smac_neighbourhood *nb)
{
    if (!nb)
        return;
    free(nb->centre);
    free(nb->work);
    free(nb->budget);
    free(nb->list_off);
    free(nb->list_cap);
    free(nb->list_len);
    free(nb->list_buf);
    free(nb);
}

smac_neighbourhood *smac_neighbourhood_new(const smac_cs *cs)
{
    if (!cs)
        return NULL;
    smac_neighbourhood *nb = calloc(1, sizeof *nb);
    if (!nb)
        return NULL;
    int n = cs->n_params;
    size_t m = (size_t)(n > 0 ? n : 1);
    nb->cs = cs;
    nb->n = n;
    nb->centre = calloc(m, sizeof *nb->centre);
    nb->work = calloc(m, sizeof *nb->work);
    nb->budget = calloc(m, sizeof *nb->budget);
    nb->list_off = calloc(m, sizeof *nb->list_off);
    nb->list_cap = calloc(m, sizeof *nb->list_cap);
    nb->list_len = calloc(m, sizeof *nb->list_len);
    if (!nb->centre || !nb->work || !nb->budget || !nb->list_off || !nb->list_cap || !nb->list_len) {
        smac_neighbourhood_free(nb);
        return NULL;
    }
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        nb->list_off[i] = (int)total;
        nb->list_cap[i] = list_capacity(&cs->params[i]);
        total += (size_t)nb->list_cap[i];
    }
    if (!(nb->list_buf = malloc((total > 0 ? total : 1) * sizeof *nb->list_buf))) {
        smac_neighbourhood_free(nb);
        return NULL;
    }
    return nb;
}

static int initial_budget(const cs_param *p, double unit)
{
    if (isnan(unit))
        return 0;
    switch (p->type) {
    case SMAC_PARAM_REAL:
        return NB_NUMERIC;
    case SMAC_PARAM_INTEGER: {
        double span = p->upper - p->lower;
        return span < NB_NUMERIC ? (int)span : NB_NUMERIC;
    }
    case SMAC_PARAM_CATEGORICAL:
        return p->n_choices - 1;
    case SMAC_PARAM_ORDINAL: {
        if (p->n_choices <= 1)
            return 0;
        int k = (int)unit;
        return (k == 0 || k == p->n_choices - 1) ? 1 : 2;
    }
    default:
        return 0;
    }
}

void smac_neighbourhood_reset(smac_neighbourhood *nb, const double *centre, uint64_t seed)
{
    if (!nb || !centre)
        return;
    smac_rng_seed(&nb->rng, seed, 0);
    nb->n_open = 0;
    for (int i = 0; i < nb->n; i++) {
        nb->centre[i] = centre[i];
        nb->budget[i] = initial_budget(&nb->cs->params[i], centre[i]);
        if (nb->budget[i] > 0)
            nb->n_open++;
        nb->list_len[i] = -1;
    }
}

static void shuffle(smac_rng *rng, double *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)smac_rng_below(rng, (uint64_t)i + 1);
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static int in_list(const double *a, int n, double x)
{
    for (int i = 0; i < n; i++)
        if (a[i] == x)
            return 1;
    return 0;
}

/* Integer neighbours: every other integer of a small range, else up to 8
 * distinct integers near the centre (normal draws in vector space), falling
 * back to uniform distinct integers when the draws keep hitting the centre. */
static int integer_list(smac_neighbourhood *nb, int i, double centre, double *out, int cap, int want)
{
    const cs_param *p = &nb->cs->params[i];
    cs_unit_map m = cs_map_of(nb->cs, i);
    double cur = isnan(centre) ? NAN : cs_map_from_unit(p, m, centre);
    int len = 0;
    if (p->upper - p->lower <= NB_NUMERIC) {
        for (double v = p->lower; v <= p->upper && len < cap; v += 1.0)
            if (v != cur)
                out[len++] = cs_map_to_unit(p, m, v);
        return len;
    }
    if (want > cap)
        want = cap;
    int draws = 0;
    while (len < want) {
        if (draws++ >= NB_INT_DRAWS) {
            uint64_t span = (uint64_t)(p->upper - p->lower) + 1;
            while (len < want) {
                double v = p->lower + (double)smac_rng_below(&nb->rng, span);
                double u = cs_map_to_unit(p, m, v);
                if (v != cur && !in_list(out, len, u))
                    out[len++] = u;
            }
            break;
        }
        double d = centre + NB_STDEV * smac_rng_normal(&nb->rng);
        if (d < 0.0 || d > 1.0)
            continue;
        double v = cs_map_from_unit(p, m, d);
        if (v == cur)
            continue;
        double u = cs_map_to_unit(p, m, v);
        if (!in_list(out, len, u))
            out[len++] = u;
    }
    return len;
}

static void make_list(smac_neighbourhood *nb, int i)
{
    const cs_param *p = &nb->cs->params[i];
    double *out = nb->list_buf + nb->list_off[i];
    int cap = nb->list_cap[i], len = 0;
    double c = nb->centre[i];
    switch (p->type) {
    case SMAC_PARAM_INTEGER:
        len = integer_list(nb, i, c, out, cap, nb->budget[i]);
        break;
    case SMAC_PARAM_CATEGORICAL:
        for (int k = 0; k < p->n_choices && len < cap; k++)
            if ((double)k != c)
                out[len++] = k;
        break;
    case SMAC_PARAM_ORDINAL:
        if (c - 1 >= 0)
            out[len++] = c - 1;
        if (c + 1 < p->n_choices)
            out[len++] = c + 1;
        break;
    default:
        break;
    }
    shuffle(&nb->rng, out, len);
    nb->list_len[i] = len;
}

/* work = centre with entry i set to x and the children brought in line;
 * 1 if the result is not forbidden. */
static int try_value(smac_neighbourhood *nb, int i, double x)
{
    const smac_cs *cs = nb->cs;
    memcpy(nb->work, nb->centre, (size_t)nb->n * sizeof *nb->work);
    nb->work[i] = x;
    if (cs->params[i].n_children > 0)
        cs_fix_activity(cs, nb->work);
    return cs->n_forbiddens == 0 || !cs_any_forbidden(cs, nb->work);
}

/* One visit of parameter i: 1 when nb->work holds a valid neighbour. */
static int visit(smac_neighbourhood *nb, int i)
{
    if (nb->cs->params[i].type == SMAC_PARAM_REAL) {
        /* A centre outside [0,1] (not a legal vector) must not make the
         * redraw loop below endless. */
        double c = fmin(1.0, fmax(0.0, nb->centre[i]));
        for (int t = 0; t < NB_REAL_TRIES; t++) {
            double x;
            do
                x = c + NB_STDEV * smac_rng_normal(&nb->rng);
            while (x < 0.0 || x > 1.0);
            if (try_value(nb, i, x))
                return 1;
        }
        return 0;
    }
    if (nb->list_len[i] < 0)
        make_list(nb, i);
    if (nb->list_len[i] == 0)
        return 0;
    double x = nb->list_buf[nb->list_off[i] + --nb->list_len[i]];
    return try_value(nb, i, x);
}

int smac_neighbourhood_next(smac_neighbourhood *nb, double *out)
{
    if (!nb || !out)
        return 0;
    while (nb->n_open > 0) {
        int i = (int)smac_rng_below(&nb->rng, (uint64_t)nb->n);
        if (nb->budget[i] == 0)
            continue;
        if (visit(nb, i)) {
            if (--nb->budget[i] == 0)
                nb->n_open--;
            memcpy(out, nb->work, (size_t)nb->n * sizeof *out);
            return 1;
        }
        nb->budget[i] = 0;
        nb->n_open--;
    }
    return 0;
}
