/*
 * SMAC's random-forest surrogate: the forest of forest.h wrapped the way
 * SMAC3 v1.1's RandomForestWithInstances wraps pyrfr (spec algorithms.md
 * §7.1-7.3). It turns configurations (unit-encoded vectors, NaN = inactive)
 * and instance indices into the forest's matrix:
 *
 *   columns  = one per parameter, then the instance features (or their PCA);
 *   types    = categorical k (k + 1 when conditional: the extra category
 *              means "inactive"), conditional constant 2, everything else
 *              numeric;
 *   inactive = categorical -> k, real/integer/ordinal -> -1, constant -> 1.
 *
 * Instance features, when there are at least `pca_components` of them and
 * more than that many training rows, are min-max scaled and projected to
 * `pca_components` principal components (fitted on the training rows); the
 * same transform is applied to every prediction, including the
 * instance-marginalised one (the spec's recommendation; v1.1 fed raw
 * features there).
 *
 * Each training builds a fresh forest seeded from the model's own generator,
 * so refits draw new randomness and the sequence is reproducible from the
 * seed. The model copies what it needs from the space and the feature table;
 * neither has to outlive it.
 */
#ifndef SMAC_MODEL_RF_MODEL_H
#define SMAC_MODEL_RF_MODEL_H

#include "smac.h"
#include "model/forest.h"
#include "model/pca.h"

typedef struct smac_rf_model_options {
    smac_forest_options forest;  /* forest.seed seeds the model's generator; max_features = 0
                                    derives it from ratio_features and the columns before PCA */
    int pca_components;          /* 7; 0 = never reduce the instance features */
} smac_rf_model_options;

void smac_rf_model_default_options(smac_rf_model_options *o);

/* SMAC3's get_types and impute values for the parameters of cs:
 * types[i] as in the header comment; impute[i] = the value an inactive
 * parameter i gets, or NaN for an unconditional parameter (never inactive).
 * Either output may be NULL; each has smac_cs_n_params(cs) entries. */
void smac_rf_column_types(const smac_cs *cs, int *types, double *impute);

typedef struct smac_rf_model smac_rf_model;

/* A model for configurations of cs. `features` is n_instances x n_features
 * (row-major, copied), or NULL with both counts 0 when the scenario has no
 * instance features. Returns NULL with err set on bad arguments (a
 * non-finite feature, counts that do not match) or out of memory. */
smac_rf_model *smac_rf_model_new(const smac_cs *cs, const double *features, int n_instances,
                                 int n_features, const smac_rf_model_options *o, smac_error *err);
void smac_rf_model_free(smac_rf_model *m);

/* Trains on n_rows runs: configs is n_rows x n_params (unit encoding, NaN or
 * inf for inactive), instances[r] is the row's index into the feature table
 * (ignored, and may be NULL, when there are no features), y the responses
 * (already transformed: log costs when the forest has log_y). A non-finite
 * value of an unconditional parameter is SMAC_ERR_INVALID. On failure the
 * previous fit stays. */
int smac_rf_model_train(smac_rf_model *m, const double *configs, const int *instances,
                        const double *y, int n_rows, smac_error *err);

/* 1 once a training succeeded. */
int smac_rf_model_is_trained(const smac_rf_model *m);

/* Per-run prediction (§7.3 without marginalisation): row r is configuration
 * r on instance instances[r] (instances may be NULL without features). Used
 * by the censored-data imputer. `var` may be NULL. */
int smac_rf_model_predict(const smac_rf_model *m, const double *configs, const int *instances,
                          int n_rows, double *mean, double *var, smac_error *err);

/* Prediction marginalised over all instances of the feature table (§7.3);
 * without features, the plain prediction with the variance floored at 1e-10.
 * This is what acquisition functions and x_best use. `var` may be NULL. */
int smac_rf_model_predict_marginal(const smac_rf_model *m, const double *configs, int n_rows,
                                   double *mean, double *var, smac_error *err);

/* ------------------------------------------------------------ inspection */

int smac_rf_model_n_params(const smac_rf_model *m);
/* Writes the imputed copy of one configuration (n_params values) to out. */
void smac_rf_model_impute(const smac_rf_model *m, const double *config, double *out);
/* Columns and their types in the last training (0 / NULL before one). */
int smac_rf_model_n_columns(const smac_rf_model *m);
const int *smac_rf_model_column_types(const smac_rf_model *m);
/* The fitted feature transform, or NULL when the last training used raw features. */
const smac_feature_pca *smac_rf_model_pca(const smac_rf_model *m);
/* The forest of the last training, or NULL. */
const smac_forest *smac_rf_model_forest(const smac_rf_model *m);

#endif
