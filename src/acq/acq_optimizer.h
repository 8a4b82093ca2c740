/*
 * Maximising the acquisition function over the configuration space
 * (algorithms.md §9.3-§9.4): SMAC3's LocalSearch, RandomSearch and their
 * combination LocalAndSortedRandomSearch, which produces the list of
 * challengers the intensifier races against the incumbent.
 *
 * How it fits: the optimiser never sees the model. The caller passes the
 * acquisition as a batched callback (configurations in, values out) --
 * typically "predict with the forest, then smac_acq_values" -- plus the
 * configurations already in the run history as local-search start points.
 * The result is an smac_acq_list of (value, configuration, origin), best
 * first, which the challenger stream (challengers.h) hands out lazily.
 *
 * Cost: SMAC4HPO samples 10,000 random configurations and runs up to 30
 * local searches in every iteration, so everything here works on flat
 * row-major buffers owned by the optimiser and reused across calls; the
 * callback is called with as many configurations at once as the algorithm
 * allows.
 *
 * Randomness (algorithms.md §14): the optimiser has its own generator
 * (tie-breaks, neighbourhood seeds, shuffles), seeded at creation; uniform
 * samples come from the configuration-space sampler's generator, which the
 * caller owns and may share with other samplers (NULL: the optimiser uses a
 * private stream of its own seed).
 */
#ifndef SMAC_ACQ_ACQ_OPTIMIZER_H
#define SMAC_ACQ_ACQ_OPTIMIZER_H

#include <stdint.h>

#include "smac.h"

/* Evaluates the acquisition function at n configurations (row-major, n x
 * n_params, unit encoding) into values[0..n-1]. Larger is better; NaN is
 * treated as -DBL_MAX. Must not keep the pointers. */
typedef void (*smac_acq_eval_fn)(const double *configs, int n, double *values, void *ctx);

/* Origins as SMAC3 records them. */
#define SMAC_ORIGIN_LOCAL_SEARCH "Local Search"
#define SMAC_ORIGIN_RANDOM_SEARCH_SORTED "Random Search (sorted)"
#define SMAC_ORIGIN_RANDOM_SEARCH "Random Search"

/* A list of scored configurations. Owns its arrays; clearing keeps the
 * memory for the next iteration. */
typedef struct smac_acq_list {
    int n;
    int cap;
    int n_params;
    double *configs;      /* n x n_params */
    double *values;       /* acquisition value per row */
    const char **origins; /* static strings */
} smac_acq_list;

void smac_acq_list_init(smac_acq_list *l, int n_params);
void smac_acq_list_free(smac_acq_list *l);
void smac_acq_list_clear(smac_acq_list *l);
int smac_acq_list_reserve(smac_acq_list *l, int n, smac_error *err);
/* Appends one row (copied). */
int smac_acq_list_push(smac_acq_list *l, const double *config, double value, const char *origin,
                       smac_error *err);

typedef struct smac_acq_opt_options {
    int n_sls_iterations;     /* start points per source for local search (10) */
    int n_steps_plateau_walk; /* neighbourhoods without improvement before a search stops (10) */
    int min_obtain;           /* neighbours pulled per search at first (2) */
    int max_obtain;           /* at most (64) */
} smac_acq_opt_options;

void smac_acq_opt_options_default(smac_acq_opt_options *o);

/* The run history's configurations, the candidates for local-search start
 * points. n = 0 means an empty run history (local search then starts from
 * n_sls_iterations uniform samples, as SMAC3). pred_cost, if not NULL, holds
 * the model's predicted (marginal) cost of each configuration: the n best of
 * them become start points too. Rows are only read. */
typedef struct smac_acq_history {
    const double *configs; /* n x n_params */
    int n;
    const double *pred_cost;
} smac_acq_history;

typedef struct smac_acq_optimizer smac_acq_optimizer;

/* `o` NULL = SMAC3's defaults. `sample_rng` is borrowed (must outlive the
 * optimiser) or NULL. Errors: invalid options, out of memory. */
smac_acq_optimizer *smac_acq_optimizer_new(const smac_cs *cs, const smac_acq_opt_options *o,
                                           uint64_t seed, smac_rng *sample_rng, smac_error *err);
void smac_acq_optimizer_free(smac_acq_optimizer *opt);

/* RandomSearch: num_points uniform samples into *out (cleared first).
 * sorted = 0 (ROAR): value 0, origin "Random Search", no evaluation (eval
 * may be NULL). sorted = 1: evaluated, sorted by value descending with ties
 * in random order, origin "Random Search (sorted)". */
int smac_acq_random_search(smac_acq_optimizer *opt, int num_points, int sorted,
                           smac_acq_eval_fn eval, void *ctx, smac_acq_list *out, smac_error *err);

/* LocalSearch (§9.3): start points are, de-duplicated in this order, the
 * n_points history configurations with the highest acquisition value, the
 * n_points with the lowest predicted cost, and the first n_points rows of
 * `extra` (may be NULL); with an empty history, n_points uniform samples.
 * All searches climb in lock-step with one batched evaluation per round and
 * walk plateaus; the result (one row per start point, origin "Local
 * Search") is sorted by value descending, ties in random order. */
int smac_acq_local_search(smac_acq_optimizer *opt, const smac_acq_history *hist, int n_points,
                          const smac_acq_list *extra, smac_acq_eval_fn eval, void *ctx,
                          smac_acq_list *out, smac_error *err);

/* LocalAndSortedRandomSearch (§9.4): sorted random search with num_points
 * samples, local search with n_sls_iterations start points per source (the
 * best random ones as the extra source), then both lists concatenated
 * (random first) and stably sorted by value descending into *out. */
int smac_acq_maximize(smac_acq_optimizer *opt, const smac_acq_history *hist, int num_points,
                      smac_acq_eval_fn eval, void *ctx, smac_acq_list *out, smac_error *err);

/* Counters of the last local search, for logs and tests. */
typedef struct smac_acq_ls_stats {
    int n_searches;      /* start points */
    long steps;          /* improving moves, all searches */
    long evaluated;      /* neighbours evaluated */
    int rounds;          /* lock-step rounds (= evaluation calls for neighbours) */
} smac_acq_ls_stats;

void smac_acq_last_local_search(const smac_acq_optimizer *opt, smac_acq_ls_stats *out);

#endif
