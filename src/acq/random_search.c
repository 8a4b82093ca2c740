/*
 * Random search (algorithms.md §9.4): uniform samples of the space, either
 * as they come (ROAR's maximiser, which never looks at the acquisition
 * function) or scored and sorted best first -- the "sorted random search"
 * half of SMAC's default maximiser, whose best entries also seed the local
 * searches.
 */
#include <string.h>

#include "acq/acq_internal.h"
#include "util/error.h"

/* Draws n configurations into rows (n x n_params). */
static int sample_rows(smac_acq_optimizer *opt, int n, double *rows, smac_error *err)
{
    for (int i = 0; i < n; i++) {
        int rc = smac_cs_sample(opt->cs, opt->sample_rng, &rows[(size_t)i * opt->n_params], err);
        if (rc)
            return rc;
    }
    return 0;
}

int smac_acq_random_search(smac_acq_optimizer *opt, int num_points, int sorted,
                           smac_acq_eval_fn eval, void *ctx, smac_acq_list *out, smac_error *err)
{
    if (num_points < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "random search needs num_points >= 0, not %d",
                              num_points);
    if (sorted && !eval)
        return smac_error_set(err, SMAC_ERR_INVALID, "sorted random search needs an evaluation callback");
    if (out->n_params != opt->n_params)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "result list holds %d parameters, the space has %d", out->n_params,
                              opt->n_params);
    smac_acq_list_clear(out);
    int rc = smac_acq_list_reserve(out, num_points, err);
    if (rc)
        return rc;
    int P = opt->n_params;

    if (!sorted) {
        /* SMAC3 gives these a value of 0: nobody reads it. */
        rc = sample_rows(opt, num_points, out->configs, err);
        if (rc)
            return rc;
        for (int i = 0; i < num_points; i++) {
            out->values[i] = 0.0;
            out->origins[i] = SMAC_ORIGIN_RANDOM_SEARCH;
        }
        out->n = num_points;
        return 0;
    }

    if ((rc = acq_grow((void **)&opt->rows, &opt->rows_cap, (size_t)num_points * P, sizeof(double), err)) ||
        (rc = acq_grow((void **)&opt->vals, &opt->vals_cap, (size_t)num_points, sizeof(double), err)) ||
        (rc = acq_grow((void **)&opt->ranks, &opt->ranks_cap, (size_t)num_points, sizeof(acq_rank), err)))
        return rc;
    rc = sample_rows(opt, num_points, opt->rows, err);
    if (rc)
        return rc;
    if (num_points > 0)
        eval(opt->rows, num_points, opt->vals, ctx);
    for (int i = 0; i < num_points; i++) {
        opt->ranks[i].value = acq_clean(opt->vals[i]);
        opt->ranks[i].key = smac_rng_u64(&opt->rng);
        opt->ranks[i].idx = i;
    }
    acq_rank_sort(opt->ranks, num_points);
    for (int i = 0; i < num_points; i++) {
        int k = opt->ranks[i].idx;
        memcpy(&out->configs[(size_t)i * P], &opt->rows[(size_t)k * P], (size_t)P * sizeof(double));
        out->values[i] = opt->ranks[i].value;
        out->origins[i] = SMAC_ORIGIN_RANDOM_SEARCH_SORTED;
    }
    out->n = num_points;
    return 0;
}
