/*
 * SMAC's local search on the acquisition function (algorithms.md §9.3):
 * hill climbing in the one-exchange neighbourhood with plateau walks, run
 * for all start points at once.
 *
 * The searches advance in lock-step rounds so that every round makes ONE
 * call of the (expensive, vectorised) acquisition callback: each active
 * search pulls a batch of neighbours -- 2 at first, doubling up to 64 while
 * it finds nothing, back to 2 after a move -- and then looks at its own
 * neighbours in order, moving to the first strictly better valid one (the
 * rest of its batch is wasted, as in SMAC3). The first neighbour of equal
 * value is remembered. When a search's neighbourhood is used up without an
 * improvement it steps onto that plateau neighbour, if any, and counts one
 * plateau step; after n_steps_plateau_walk such steps it stops. Improvements
 * do not reset the count, so every search ends.
 */
#include <stdlib.h>
#include <string.h>

#include "acq/acq_internal.h"
#include "util/error.h"

/* Neighbourhood seeds as SMAC3 draws them: randint(0, 100000). */
#define NB_SEED_RANGE 100000
/* Not in SMAC3 (its max_steps is ignored): a guard against callbacks whose
 * values keep rising without bound (e.g. Thompson sampling redrawn every
 * call), far above what real climbs need. */
#define MAX_MOVES_PER_SEARCH 10000
/* Keeps 3 * n_points and the per-search buffers far from overflow. */
#define MAX_START_POINTS 1000000

static int ensure_searches(smac_acq_optimizer *opt, int S, smac_error *err)
{
    if (S <= opt->ls_cap)
        return 0;
    int cap = opt->ls_cap ? opt->ls_cap : 8;
    while (cap < S)
        cap *= 2;
    size_t P = (size_t)(opt->n_params > 0 ? opt->n_params : 1);
    void *p;
#define GROW(field, count)                                                   \
    do {                                                                     \
        p = realloc(opt->field, (size_t)(count) * sizeof *opt->field);       \
        if (!p)                                                              \
            goto nomem;                                                      \
        opt->field = p;                                                      \
    } while (0)
    GROW(cand, cap * P);
    GROW(plateau, cap * P);
    GROW(cand_val, cap);
    GROW(active, cap);
    GROW(n_plateau, cap);
    GROW(obtain, cap);
    GROW(pulled, cap);
    GROW(improved, cap);
    GROW(new_nb, cap);
    GROW(has_plateau, cap);
    GROW(n_moves, cap);
    GROW(nbs, cap);
#undef GROW
    for (int i = opt->ls_cap; i < cap; i++)
        opt->nbs[i] = NULL;
    for (int i = opt->ls_cap; i < cap; i++) {
        opt->nbs[i] = smac_neighbourhood_new(opt->cs);
        if (!opt->nbs[i]) {
            /* undo this growth; ls_cap still describes the usable slots */
            for (int k = opt->ls_cap; k < i; k++) {
                smac_neighbourhood_free(opt->nbs[k]);
                opt->nbs[k] = NULL;
            }
            goto nomem;
        }
    }
    opt->ls_cap = cap;
    return 0;
nomem:
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory setting up %d local searches", S);
}

/* Appends row to the start points unless an equal one is there. */
static void add_start(smac_acq_optimizer *opt, int *S, const double *row)
{
    int P = opt->n_params;
    for (int i = 0; i < *S; i++)
        if (acq_same_config(&opt->cand[(size_t)i * P], row, P))
            return;
    memcpy(&opt->cand[(size_t)*S * P], row, (size_t)P * sizeof *row);
    (*S)++;
}

/* Ranks the history rows by `score` (higher first, random tie-break) and
 * adds the first n of them as start points. */
static void add_best_of_history(smac_acq_optimizer *opt, const smac_acq_history *h, const double *score,
                                double sign, int n, int *S)
{
    for (int i = 0; i < h->n; i++) {
        opt->ranks[i].value = acq_clean(sign * score[i]);
        opt->ranks[i].key = smac_rng_u64(&opt->rng);
        opt->ranks[i].idx = i;
    }
    acq_rank_sort(opt->ranks, h->n);
    int take = n < h->n ? n : h->n;
    for (int k = 0; k < take; k++)
        add_start(opt, S, &h->configs[(size_t)opt->ranks[k].idx * opt->n_params]);
}

static int start_points(smac_acq_optimizer *opt, const smac_acq_history *h, int n_points,
                        const smac_acq_list *extra, smac_acq_eval_fn eval, void *ctx, int *S_out,
                        smac_error *err)
{
    int P = opt->n_params;
    int S = 0, rc;
    if (!h || h->n <= 0) {
        /* SMAC3 ignores the extra points when the run history is empty. */
        if ((rc = ensure_searches(opt, n_points, err)))
            return rc;
        for (int i = 0; i < n_points; i++)
            if ((rc = smac_cs_sample(opt->cs, opt->sample_rng, &opt->cand[(size_t)i * P], err)))
                return rc;
        *S_out = n_points;
        return 0;
    }
    if (!h->configs)
        return smac_error_set(err, SMAC_ERR_INVALID, "run-history start points without configurations");
    int n_extra = extra ? (extra->n < n_points ? extra->n : n_points) : 0;
    if ((rc = ensure_searches(opt, 3 * n_points, err)) ||
        (rc = acq_grow((void **)&opt->vals, &opt->vals_cap, (size_t)h->n, sizeof(double), err)) ||
        (rc = acq_grow((void **)&opt->ranks, &opt->ranks_cap, (size_t)h->n, sizeof(acq_rank), err)))
        return rc;
    eval(h->configs, h->n, opt->vals, ctx);
    add_best_of_history(opt, h, opt->vals, 1.0, n_points, &S);
    if (h->pred_cost)
        add_best_of_history(opt, h, h->pred_cost, -1.0, n_points, &S); /* lowest cost first */
    for (int k = 0; k < n_extra; k++)
        add_start(opt, &S, &extra->configs[(size_t)k * P]);
    *S_out = S;
    return 0;
}

static void new_neighbourhood(smac_acq_optimizer *opt, int i)
{
    smac_neighbourhood_reset(opt->nbs[i], &opt->cand[(size_t)i * opt->n_params],
                             smac_rng_below(&opt->rng, NB_SEED_RANGE));
}

/* The lock-step climb of §9.3 over the S start points in opt->cand. */
static int climb(smac_acq_optimizer *opt, int S, smac_acq_eval_fn eval, void *ctx, smac_error *err)
{
    const int P = opt->n_params;
    const size_t row = (size_t)P * sizeof(double);
    const size_t max_rows = (size_t)S * (size_t)opt->o.max_obtain;
    int rc;
    if ((rc = acq_grow((void **)&opt->nb_rows, &opt->nb_cap, max_rows * (size_t)(P > 0 ? P : 1),
                       sizeof(double), err)) ||
        (rc = acq_grow((void **)&opt->nb_vals, &opt->nb_vals_cap, max_rows, sizeof(double), err)))
        return rc;
    if (S == 0)
        return 0;

    eval(opt->cand, S, opt->cand_val, ctx);
    for (int i = 0; i < S; i++) {
        opt->cand_val[i] = acq_clean(opt->cand_val[i]);
        opt->active[i] = 1;
        opt->n_plateau[i] = 0;
        opt->n_moves[i] = 0;
        opt->obtain[i] = opt->o.min_obtain;
        opt->has_plateau[i] = 0;
        new_neighbourhood(opt, i);
    }

    int n_active = S;
    while (n_active > 0) {
        opt->stats.rounds++;
        /* 1. every active search pulls its batch */
        int rows = 0;
        for (int i = 0; i < S; i++) {
            opt->pulled[i] = 0;
            opt->new_nb[i] = 0;
            opt->improved[i] = 0;
            if (!opt->active[i])
                continue;
            for (int j = 0; j < opt->obtain[i]; j++) {
                if (!smac_neighbourhood_next(opt->nbs[i], &opt->nb_rows[(size_t)rows * P])) {
                    opt->new_nb[i] = 1; /* exhausted */
                    break;
                }
                rows++;
                opt->pulled[i]++;
            }
            opt->obtain[i] = opt->pulled[i];
        }
        /* 2. one evaluation for all of them; each search reads its own */
        if (rows > 0) {
            eval(opt->nb_rows, rows, opt->nb_vals, ctx);
            opt->stats.evaluated += rows;
            int k = 0;
            for (int i = 0; i < S; i++) {
                for (int j = 0; j < opt->pulled[i]; j++, k++) {
                    if (opt->improved[i])
                        continue; /* the rest of the batch is not looked at */
                    const double *nb = &opt->nb_rows[(size_t)k * P];
                    double v = acq_clean(opt->nb_vals[k]);
                    if (v > opt->cand_val[i]) {
                        if (smac_cs_check(opt->cs, nb, NULL) != 0)
                            continue;
                        memcpy(&opt->cand[(size_t)i * P], nb, row);
                        opt->cand_val[i] = v;
                        opt->improved[i] = 1;
                        opt->new_nb[i] = 1;
                        opt->has_plateau[i] = 0;
                        opt->n_moves[i]++;
                        opt->stats.steps++;
                    } else if (v == opt->cand_val[i] && !opt->has_plateau[i]) {
                        memcpy(&opt->plateau[(size_t)i * P], nb, row);
                        opt->has_plateau[i] = 1;
                    }
                }
            }
        }
        /* 3. batch sizes, plateau steps, new neighbourhoods, stopping */
        for (int i = 0; i < S; i++) {
            if (!opt->active[i])
                continue;
            if (opt->obtain[i] == 0 || opt->improved[i]) {
                opt->obtain[i] = opt->o.min_obtain;
            } else {
                opt->obtain[i] *= 2;
                if (opt->obtain[i] > opt->o.max_obtain)
                    opt->obtain[i] = opt->o.max_obtain;
            }
            if (!opt->new_nb[i])
                continue;
            if (!opt->improved[i] && opt->n_plateau[i] < opt->o.n_steps_plateau_walk) {
                if (opt->has_plateau[i]) {
                    memcpy(&opt->cand[(size_t)i * P], &opt->plateau[(size_t)i * P], row);
                    opt->has_plateau[i] = 0;
                }
                opt->n_plateau[i]++;
            }
            if (opt->n_plateau[i] >= opt->o.n_steps_plateau_walk ||
                opt->n_moves[i] >= MAX_MOVES_PER_SEARCH) {
                opt->active[i] = 0;
                n_active--;
                continue;
            }
            new_neighbourhood(opt, i);
        }
    }
    return 0;
}

int smac_acq_local_search(smac_acq_optimizer *opt, const smac_acq_history *hist, int n_points,
                          const smac_acq_list *extra, smac_acq_eval_fn eval, void *ctx,
                          smac_acq_list *out, smac_error *err)
{
    if (!eval)
        return smac_error_set(err, SMAC_ERR_INVALID, "local search needs an evaluation callback");
    if (n_points < 0 || n_points > MAX_START_POINTS)
        return smac_error_set(err, SMAC_ERR_INVALID, "local search needs 0 <= n_points <= %d, not %d",
                              MAX_START_POINTS, n_points);
    if (out->n_params != opt->n_params || (extra && extra->n_params != opt->n_params))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "local-search lists must hold the space's %d parameters", opt->n_params);
    memset(&opt->stats, 0, sizeof opt->stats);
    smac_acq_list_clear(out);
    int S = 0;
    int rc = start_points(opt, hist, n_points, extra, eval, ctx, &S, err);
    if (rc)
        return rc;
    opt->stats.n_searches = S;
    if ((rc = climb(opt, S, eval, ctx, err)))
        return rc;

    /* SMAC3 shuffles, then sorts stably by value: ties in random order. */
    if ((rc = acq_grow((void **)&opt->ranks, &opt->ranks_cap, (size_t)S, sizeof(acq_rank), err)) ||
        (rc = smac_acq_list_reserve(out, S, err)))
        return rc;
    for (int i = 0; i < S; i++) {
        opt->ranks[i].value = opt->cand_val[i];
        opt->ranks[i].key = smac_rng_u64(&opt->rng);
        opt->ranks[i].idx = i;
    }
    acq_rank_sort(opt->ranks, S);
    int P = opt->n_params;
    for (int i = 0; i < S; i++) {
        int k = opt->ranks[i].idx;
        memcpy(&out->configs[(size_t)i * P], &opt->cand[(size_t)k * P], (size_t)P * sizeof(double));
        out->values[i] = opt->ranks[i].value;
        out->origins[i] = SMAC_ORIGIN_LOCAL_SEARCH;
    }
    out->n = S;
    return 0;
}
