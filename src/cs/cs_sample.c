/*
 * Uniform sampling of configurations (algorithms.md §9.1), ConfigSpace's
 * way: every vector entry is drawn independently (numeric uniform on [0,1],
 * categorical uniform or by weight, ordinal a uniform index), integers are
 * snapped to the vector value of their integer, inactive entries are NaN,
 * and a configuration hitting a forbidden clause is drawn again. This is
 * the optimiser's hot path (random search draws thousands per iteration):
 * no allocation, per-space constants come from cs_aux.
 */
#include <math.h>

#include "cs/cs_private.h"

/* ConfigSpace gives up after 100 rejected draws for one configuration. */
#define CS_MAX_REJECTIONS 100

static int weighted_index(const double *cum, int n, double u)
{
    /* Binary search for the first cumulative weight above u. */
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (u < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* One pass in canonical order: a parameter's parents are drawn before it,
 * so its condition can be decided first and an inactive parameter costs no
 * draw. The entries drawn are independent either way, so the distribution is
 * the one of drawing everything and switching off afterwards. */
static void draw(const smac_cs *cs, const cs_aux *aux, smac_rng *rng, double *vec)
{
    for (int i = 0; i < cs->n_params; i++) {
        const cs_param *p = &cs->params[i];
        if (p->condition >= 0 && !cs_cond_eval(cs, &cs->conditions[p->condition].root, vec)) {
            vec[i] = NAN;
            continue;
        }
        switch (p->type) {
        case SMAC_PARAM_REAL:
            vec[i] = smac_rng_uniform(rng);
            break;
        case SMAC_PARAM_INTEGER:
            /* The vector of the integer drawn: all draws of one integer are
             * the same configuration. */
        {
            cs_unit_map m = aux ? aux->maps[i] : cs_param_unit_map(p);
            vec[i] = cs_map_to_unit(p, m, cs_map_from_unit(p, m, smac_rng_uniform(rng)));
        }
            break;
        case SMAC_PARAM_CATEGORICAL:
            if (aux && aux->cum_weights[i])
                vec[i] = weighted_index(aux->cum_weights[i], p->n_choices, smac_rng_uniform(rng));
            else
                vec[i] = (double)smac_rng_below(rng, (uint64_t)p->n_choices);
            break;
        case SMAC_PARAM_ORDINAL:
            vec[i] = (double)smac_rng_below(rng, (uint64_t)p->n_choices);
            break;
        case SMAC_PARAM_CONSTANT:
            vec[i] = 0.0;
            break;
        }
    }
}

int smac_cs_sample(const smac_cs *cs, smac_rng *rng, double *vec, smac_error *err)
{
    if (!cs || !rng || !vec)
        return smac_error_set(err, SMAC_ERR_INVALID, "sampling needs a space, a generator and a vector");
    const cs_aux *aux = cs_aux_of(cs);
    for (int attempt = 0; attempt < CS_MAX_REJECTIONS; attempt++) {
        draw(cs, aux, rng, vec);
        if (!cs_any_forbidden(cs, vec))
            return 0;
    }
    return smac_error_set(err, SMAC_ERR_RUNTIME,
                          "could not sample a valid configuration: %d draws in a row violated forbidden clauses",
                          CS_MAX_REJECTIONS);
}
