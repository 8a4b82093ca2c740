/*
 * From run history to model training data (SMAC3 v1.1's RunHistory2EPM*,
 * RFRImputator and EPMChooser's data collection and x_best; spec
 * algorithms.md §6, §7.1, §8; which facade uses what: facades.md §1).
 *
 * Every SMBO iteration the main loop calls smac_epm_build, trains the model
 * on the rows it returns (smac_rf_model_train(m, d.X, d.instance, d.y,
 * d.n_rows)), then asks smac_epm_x_best for the acquisition function's eta.
 *
 * Rows, one per run (duplicate X rows are normal), for the single highest
 * budget that yields at least min_samples_model rows, in this order:
 *   S  runs on that budget whose status is a success state (runtime:
 *      SUCCESS; quality: SUCCESS, CRASHED, MEMOUT; SH/HB quality adds
 *      DONOTADVANCE), then runs with a `lower_budget_states` status from
 *      lower budgets (SH/HB quality) - y = cost;
 *   C  CAPPED runs with time < cutoff on that budget, only when imputation
 *      is on and S is not empty - y = time, then imputed;
 *   T  TIMEOUT runs with time >= cutoff on that budget - y = cost (the
 *      runner's PARX value), or time and imputed along with C when C is
 *      not empty.
 * When S is empty only T is returned. RUNNING, ABORT, STOP and CAPPED
 * (without imputation) runs never make rows; runs of every origin do,
 * warm-start imports (EXTERNAL_DIFFERENT) included. Within each group rows
 * keep the history's insertion order.
 *
 * Runs that cannot make a row are skipped with one DEBUG line per build,
 * not an error: a run on an instance without a feature row (a pSMAC peer
 * of another scenario), or whose y is not finite (SMAC3 would hand a NaN
 * to the forest).
 *
 * Responses are transformed per group as SMAC3 does (each group is one of
 * its _build_matrix calls):
 *   COST        identity
 *   LOG         if any value of the group is <= 0, values < 1e-5 become
 *               1e-5 (with SMAC3's warning); then ln
 *   LOG_SCALED  m = min - (perc - min) - 1e-10, m *= 1 - 1e-10 if m == max;
 *               ln((y - m) / (max - m))
 *   INV_SCALED  same m; 1 - 1 / ((y - m) / (max - m))
 * with min, max and the 5th percentile (numpy's linear interpolation) of
 * the raw S values. When S is empty the statistics of the previous build
 * are kept (SMAC3's transformer is stateful), or, on a first build, taken
 * from the T values.
 *
 * Censored-data imputation (runtime, SMAC4AC/ROAR): with C non-empty, the
 * model is trained on S, and C and T values are replaced by means of the
 * model's predictive normal truncated to [y, threshold], for at most
 * impute_max_iter rounds (see imputer.c). For LOG and LOG_SCALED the
 * thresholds are cutoff_l = ln(cutoff), threshold = ln(cutoff) +
 * ln(par_factor) (SMAC3 with transform_y LOG, which runtime forces); for
 * the other transforms the transform of cutoff and cutoff * par_factor.
 *
 * Cost: two passes over the runs plus work per row; the data struct keeps
 * its arrays between calls and only grows them (geometrically), so a build
 * in steady state allocates nothing.
 */
#ifndef SMAC_EPM_EPM_DATA_H
#define SMAC_EPM_EPM_DATA_H

#include <stddef.h>

#include "smac.h"
#include "model/rf_model.h"
#include "runhistory/runhistory.h"

/* SMAC3's RunHistory2EPM4Cost / 4LogCost / 4LogScaledCost / 4InvScaledCost. */
typedef enum smac_y_transform {
    SMAC_Y_COST,
    SMAC_Y_LOG,
    SMAC_Y_LOG_SCALED,
    SMAC_Y_INV_SCALED
} smac_y_transform;

/* A set of statuses: bit (1u << status) for each smac_status in it. */
#define SMAC_EPM_STATE(s) (1u << (unsigned)(s))

typedef struct smac_epm_options {
    smac_y_transform transform;
    int impute_censored;          /* runtime only */
    int run_obj_runtime;
    double cutoff;                /* seconds; INFINITY = none (no TIMEOUT row then, unless time is inf) */
    double par_factor;
    unsigned success_states;      /* SMAC_EPM_STATE bits */
    unsigned lower_budget_states; /* added from lower budgets (SH/HB quality); 0 = none */
    int min_samples_model;        /* 1; SMAC4MF: #params + 1 */
    int n_features;               /* instance features per feature row; 0 = none */
    int impute_max_iter;          /* 2 */
    double impute_change_threshold; /* 0.01 */
    double impute_var_floor;      /* 0.01 */
    double scale_perc;            /* 5: the percentile of the scaled transforms */
} smac_epm_options;

/* SMAC4AC's choices for an objective: runtime -> LOG with imputation and
 * success {SUCCESS}; quality -> `quality_transform`, no imputation, success
 * {SUCCESS, CRASHED, MEMOUT}, plus DONOTADVANCE and the lower-budget states
 * {DONOTADVANCE, TIMEOUT, CRASHED, MEMOUT} when `successive_halving`.
 * cutoff and par_factor from `rh` (may be NULL: quality, no cutoff, PAR10).
 * Facades then adjust (SMAC4HPO: transform LOG_SCALED; SMAC4MF:
 * min_samples_model). n_features is left 0 for the caller to set. */
void smac_epm_options_init(smac_epm_options *o, const smac_rh_options *rh, smac_y_transform quality_transform,
                           int successive_halving);

/* 0, or SMAC_ERR_INVALID with a sentence naming the bad field. */
int smac_epm_check_options(const smac_epm_options *o, smac_error *err);

/* What the last imputation did (for logs and tests). */
typedef struct smac_epm_impute_info {
    int iterations;  /* rounds of predict-and-impute */
    int trainings;   /* model trainings, the first one on S alone included */
    double change;   /* the last mean relative change (0 before round 2) */
} smac_epm_impute_info;

typedef struct smac_epm_stats {
    double min, max, perc;
    int valid;
} smac_epm_stats;

struct smac_epm_work; /* private scratch (epm_data.c) */

/* The training data. Arrays are owned and reused between builds: pointers
 * change only when a build grows them. Zero-initialise or call
 * smac_epm_data_init before the first build; smac_epm_data_free after the
 * last. */
typedef struct smac_epm_data {
    int n_rows, n_params;
    double *X;         /* n_rows x n_params unit vectors, NaN = inactive */
    int *instance;     /* per row: feature row, -1 without features */
    double *y;         /* per row: transformed (and imputed) response */
    int *config_ids;   /* per row */
    size_t *run_index; /* per row: index in the history's run order (smac_rh_run_at) */
    int n_success, n_censored, n_timeout; /* rows [0,S), [S,S+C), [S+C,n_rows) */
    int imputed;       /* 1 if C and T rows hold imputed values */
    smac_epm_impute_info impute_info;
    double budget;     /* the budget the rows belong to (kept from the last build that found rows) */
    int n_budget_runs; /* history entries on that budget, any status/origin (LCB's t in v1.1) */
    int n_skipped;     /* usable-looking runs skipped (no feature row, non-finite y) */
    smac_y_transform transform;
    smac_epm_stats stats;

    /* The x_best candidates: distinct configurations of the S and T rows
     * (SMAC3's get_configurations), in ascending id order. */
    int n_configs;
    int *x_ids;
    double *x_configs; /* n_configs x n_params */
    double *x_mean;    /* n_configs: the last smac_epm_x_best predictions */

    struct smac_epm_work *work;
} smac_epm_data;

void smac_epm_data_init(smac_epm_data *d);
void smac_epm_data_free(smac_epm_data *d);

/* ---------------------------------------------------- instance features */

/* The run history's instance index -> feature row map for smac_epm_build.
 * Zero-initialise; free with smac_epm_instance_map_free. */
typedef struct smac_epm_instance_map {
    int *row;
    int n;   /* entries filled = instances of the history at the last update */
    int cap;
} smac_epm_instance_map;

/* Brings the map up to date with the history's instances: feature row j is
 * named names[j] (e.g. the scenario's train instances, whose row j of
 * features.train holds their features). Only does work when the history
 * has gained instances since the last call; then O(n_names) hash lookups. */
int smac_epm_instance_map_update(smac_epm_instance_map *m, const smac_runhistory *rh, const char *const *names,
                                 size_t n_names, smac_error *err);
void smac_epm_instance_map_free(smac_epm_instance_map *m);

/* Builds the rows of §6 from the history into *out. `features` maps the
 * history's instance indices to rows of the model's feature table; it is
 * only read when o->n_features > 0 (may be NULL otherwise). Update it
 * (smac_epm_instance_map_update) before each build: a run whose instance
 * the map does not cover is skipped like one without features (counted in
 * out->n_skipped). With imputation on and censored rows present, `model` is
 * trained (several times) as the imputer needs: the caller trains it again
 * on the returned rows, as SMAC3 does. `model` may be NULL when imputation
 * is off. No budget with enough rows: out->n_rows = 0 (the caller samples
 * at random). Errors: SMAC_ERR_INVALID (options, a missing map or model),
 * SMAC_ERR_NOMEM, or the model's errors; out is then not usable. */
int smac_epm_build(const smac_runhistory *rh, const smac_epm_options *o, const smac_epm_instance_map *features,
                   smac_rf_model *model, smac_epm_data *out, smac_error *err);

/* `cost` transformed as a one-value group with the last build's transform
 * and statistics: for eta without prediction (the incumbent's cost) and
 * tests. NaN for the scaled transforms before any build found rows. */
double smac_epm_transform(const smac_epm_data *d, double cost);

/* x_best (§8, predict_x_best): the lowest marginal predicted mean over
 * d's candidate configurations; ties go to the lowest id, NaN predictions
 * are ignored. *config_id may be NULL. Writes d->x_mean. SMAC_ERR_INVALID
 * when there are no candidates (n_rows = 0) or the model is untrained,
 * SMAC_ERR_RUNTIME when every prediction is NaN. */
int smac_epm_x_best(smac_epm_data *d, const smac_rf_model *m, double *eta, int *config_id, smac_error *err);

/* ------------------------------------------------- building blocks (tests) */

/* numpy.percentile(values, p) with linear interpolation; reorders values.
 * NaN for n = 0. */
double smac_epm_percentile(double *values, int n, double p);

/* Transforms a group of raw values in place (see the header comment).
 * Returns 1 if LOG had to floor values at 1e-5, else 0. */
int smac_epm_transform_values(smac_y_transform t, const smac_epm_stats *st, double *y, int n);

/* Parameters of the censored-data imputation (SMAC3's RFRImputator). */
typedef struct smac_epm_impute_params {
    double cutoff;           /* values >= this at the end become threshold */
    double threshold;        /* upper truncation bound */
    int max_iter;            /* 2 */
    double change_threshold; /* 0.01 */
    double var_floor;        /* 0.01 */
} smac_epm_impute_params;

/* Imputes n_c censored rows following n_u uncensored ones: X (n_u + n_c
 * rows of n_params), instance (same rows; NULL without features), y[0..n_u)
 * the uncensored responses; censored_y[0..n_c) the censored values. Writes
 * the imputed values to y[n_u..n_u+n_c). work holds 3 n_c doubles. Trains
 * `model` on the way. info may be NULL. */
int smac_epm_impute(smac_rf_model *model, const double *X, const int *instance, double *y, int n_u, int n_c,
                    const double *censored_y, const smac_epm_impute_params *p, double *work,
                    smac_epm_impute_info *info, smac_error *err);

#endif
