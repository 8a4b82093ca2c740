/*
 * The instance-feature transform SMAC3 applies before the forest sees the
 * features (spec algorithms.md §7.1, AbstractEPM.train): min-max scaling of
 * each feature (constant features become 0), then PCA to a few components.
 * Also the small symmetric eigen-solver (cyclic Jacobi) it rests on; feature
 * counts are at most a few hundred, so no LAPACK is needed.
 */
#ifndef SMAC_MODEL_PCA_H
#define SMAC_MODEL_PCA_H

#include "smac.h"

/* Eigen-decomposition of the symmetric n x n matrix A (row-major; only
 * read). Writes the eigenvalues in decreasing order to values[n] and the
 * matching unit eigenvectors as the rows of vectors[n * n]. Returns 0, or
 * SMAC_ERR_NOMEM / SMAC_ERR_INVALID (n < 1, non-finite entries). */
int smac_eigen_symmetric(const double *A, int n, double *values, double *vectors, smac_error *err);

typedef struct smac_feature_pca {
    int n_in;                 /* features in */
    int n_out;                /* components out */
    double *min;              /* n_in: scaler: (x - min) * scale */
    double *scale;            /* n_in: 1 / (max - min), or 1 for a constant feature */
    double *mean;             /* n_in: mean of the scaled rows */
    double *components;       /* n_out x n_in: orthonormal rows, by decreasing variance */
    double *explained_variance; /* n_out: variance along each component (divisor W - 1) */
} smac_feature_pca;

/* Fits the scaler and the PCA to n_rows rows of n_in features (row-major).
 * `row_weight` (may be NULL = all 1) counts how often each row occurs, so a
 * table of distinct instances with run counts stands for all training rows;
 * rows of weight 0 are ignored. Needs 1 <= n_out <= n_in and a total weight
 * of at least 1. Signs follow scikit-learn's: in each component, the row with
 * the largest absolute projection projects positively. Frees any previous
 * fit of *p first, so *p must be zero-initialised before its first fit. */
int smac_feature_pca_fit(smac_feature_pca *p, const double *X, const double *row_weight, int n_rows,
                         int n_in, int n_out, smac_error *err);

/* out[n_out] = components * ((x - min) * scale - mean). */
void smac_feature_pca_transform(const smac_feature_pca *p, const double *x, double *out);

/* Frees the arrays; *p may be zero-initialised or fitted. */
void smac_feature_pca_free(smac_feature_pca *p);

#endif
