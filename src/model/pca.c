/*
 * Min-max scaling + PCA of instance features (see pca.h), and the cyclic
 * Jacobi eigen-solver behind it.
 *
 * PCA here works on the weighted covariance matrix rather than an SVD of the
 * data: the rows are distinct instances with run counts, so the cost depends
 * on the number of instances and features, not on the number of runs. Jacobi
 * is slow for big matrices (O(n^3) per sweep) but simple, accurate for the
 * small symmetric matrices we have, and gives orthonormal vectors directly.
 */
#include "model/pca.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

#define JACOBI_MAX_SWEEPS 100

static void rotate(double *m, int n, int p, int q, double c, double s, int columns)
{
    /* columns: m <- m J; otherwise m <- J^T m (rows p and q). */
    for (int k = 0; k < n; k++) {
        double *a = columns ? &m[(size_t)k * n + p] : &m[(size_t)p * n + k];
        double *b = columns ? &m[(size_t)k * n + q] : &m[(size_t)q * n + k];
        double x = *a, y = *b;
        *a = c * x - s * y;
        *b = s * x + c * y;
    }
}

int smac_eigen_symmetric(const double *A, int n, double *values, double *vectors, smac_error *err)
{
    if (n < 1 || !A || !values || !vectors)
        return smac_error_set(err, SMAC_ERR_INVALID, "eigen-decomposition: bad arguments");
    size_t nn = (size_t)n * (size_t)n;
    for (size_t i = 0; i < nn; i++)
        if (!isfinite(A[i]))
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "eigen-decomposition: matrix entry %zu is not finite", i);
    double *a = malloc(nn * sizeof *a);
    double *v = malloc(nn * sizeof *v);     /* columns: eigenvectors */
    int *order = malloc((size_t)n * sizeof *order);
    if (!a || !v || !order) {
        free(a);
        free(v);
        free(order);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory in eigen-decomposition");
    }
    /* Work on the symmetrised copy so a slightly asymmetric input is fine. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            a[(size_t)i * n + j] = 0.5 * (A[(size_t)i * n + j] + A[(size_t)j * n + i]);
    memset(v, 0, nn * sizeof *v);
    for (int i = 0; i < n; i++)
        v[(size_t)i * n + i] = 1.0;

    for (int sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
        double off = 0.0, diag = 0.0;
        for (int p = 0; p < n; p++) {
            diag += a[(size_t)p * n + p] * a[(size_t)p * n + p];
            for (int q = p + 1; q < n; q++)
                off += a[(size_t)p * n + q] * a[(size_t)p * n + q];
        }
        /* Converged when the off-diagonal mass is at rounding level. */
        if (off == 0.0 || off <= DBL_EPSILON * DBL_EPSILON * (diag + 2.0 * off))
            break;
        for (int p = 0; p < n - 1; p++) {
            for (int q = p + 1; q < n; q++) {
                double apq = a[(size_t)p * n + q];
                if (apq == 0.0)
                    continue;
                double app = a[(size_t)p * n + p], aqq = a[(size_t)q * n + q];
                double theta = (aqq - app) / (2.0 * apq);
                /* The smaller root of t^2 + 2 theta t - 1 = 0: rotation angle <= pi/4. */
                double t = 1.0 / (fabs(theta) + sqrt(theta * theta + 1.0));
                if (theta < 0.0)
                    t = -t;
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                rotate(a, n, p, q, c, s, 1);
                rotate(a, n, p, q, c, s, 0);
                a[(size_t)p * n + q] = a[(size_t)q * n + p] = 0.0;
                rotate(v, n, p, q, c, s, 1);
            }
        }
    }

    /* Decreasing eigenvalues; equal ones keep their index order. */
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++) {
        int x = order[i], j = i;
        double ex = a[(size_t)x * n + x];
        while (j > 0 && a[(size_t)order[j - 1] * n + order[j - 1]] < ex) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (int i = 0; i < n; i++) {
        int col = order[i];
        values[i] = a[(size_t)col * n + col];
        for (int k = 0; k < n; k++)
            vectors[(size_t)i * n + k] = v[(size_t)k * n + col];
    }
    free(a);
    free(v);
    free(order);
    return 0;
}

void smac_feature_pca_free(smac_feature_pca *p)
{
    if (!p)
        return;
    free(p->min);
    free(p->scale);
    free(p->mean);
    free(p->components);
    free(p->explained_variance);
    memset(p, 0, sizeof *p);
}

static double row_weight_of(const double *w, int r) { return w ? w[r] : 1.0; }

int smac_feature_pca_fit(smac_feature_pca *p, const double *X, const double *row_weight, int n_rows,
                         int n_in, int n_out, smac_error *err)
{
    if (!p)
        return smac_error_set(err, SMAC_ERR_INVALID, "PCA: missing argument");
    smac_feature_pca_free(p);
    if (!X || n_rows < 1 || n_in < 1 || n_out < 1 || n_out > n_in)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "PCA: need rows, 1 <= components <= features (got %d rows, %d "
                              "features, %d components)",
                              n_rows, n_in, n_out);
    double W = 0.0;
    for (int r = 0; r < n_rows; r++) {
        double w = row_weight_of(row_weight, r);
        if (!(w >= 0.0) || !isfinite(w))
            return smac_error_set(err, SMAC_ERR_INVALID, "PCA: row %d has weight %g", r, w);
        if (w == 0.0)
            continue;
        W += w;
        for (int j = 0; j < n_in; j++)
            if (!isfinite(X[(size_t)r * n_in + j]))
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "PCA: feature %d of row %d is not finite", j, r);
    }
    if (W <= 0.0)
        return smac_error_set(err, SMAC_ERR_INVALID, "PCA: no row has a positive weight");

    size_t ni = (size_t)n_in;
    p->min = malloc(ni * sizeof *p->min);
    p->scale = malloc(ni * sizeof *p->scale);
    p->mean = calloc(ni, sizeof *p->mean);
    p->components = malloc((size_t)n_out * ni * sizeof *p->components);
    p->explained_variance = malloc((size_t)n_out * sizeof *p->explained_variance);
    double *cov = calloc(ni * ni, sizeof *cov);
    double *z = malloc(ni * sizeof *z);
    double *evals = malloc(ni * sizeof *evals);
    double *evecs = malloc(ni * ni * sizeof *evecs);
    int rc = 0;
    if (!p->min || !p->scale || !p->mean || !p->components || !p->explained_variance || !cov || !z ||
        !evals || !evecs) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory fitting a PCA");
        goto done;
    }
    p->n_in = n_in;
    p->n_out = n_out;

    /* Min-max scaler; a constant feature keeps scale 1 and so becomes 0. */
    for (size_t j = 0; j < ni; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int r = 0; r < n_rows; r++) {
            if (row_weight_of(row_weight, r) == 0.0)
                continue;
            double x = X[(size_t)r * ni + j];
            if (x < lo)
                lo = x;
            if (x > hi)
                hi = x;
        }
        p->min[j] = lo;
        p->scale[j] = hi > lo ? 1.0 / (hi - lo) : 1.0;
    }
    for (int r = 0; r < n_rows; r++) {
        double w = row_weight_of(row_weight, r);
        if (w == 0.0)
            continue;
        for (size_t j = 0; j < ni; j++)
            p->mean[j] += w * (X[(size_t)r * ni + j] - p->min[j]) * p->scale[j];
    }
    for (size_t j = 0; j < ni; j++)
        p->mean[j] /= W;
    for (int r = 0; r < n_rows; r++) {
        double w = row_weight_of(row_weight, r);
        if (w == 0.0)
            continue;
        for (size_t j = 0; j < ni; j++)
            z[j] = (X[(size_t)r * ni + j] - p->min[j]) * p->scale[j] - p->mean[j];
        for (size_t i = 0; i < ni; i++)
            for (size_t j = i; j < ni; j++)
                cov[i * ni + j] += w * z[i] * z[j];
    }
    /* Unbiased like numpy/scikit-learn (divisor W - 1), when there is one. */
    double div = W > 1.0 ? W - 1.0 : 1.0;
    for (size_t i = 0; i < ni; i++)
        for (size_t j = i; j < ni; j++)
            cov[j * ni + i] = cov[i * ni + j] = cov[i * ni + j] / div;

    rc = smac_eigen_symmetric(cov, n_in, evals, evecs, err);
    if (rc != 0)
        goto done;
    for (int c = 0; c < n_out; c++) {
        double *comp = p->components + (size_t)c * ni;
        memcpy(comp, evecs + (size_t)c * ni, ni * sizeof *comp);
        /* Tiny negative eigenvalues are rounding: variance cannot be negative. */
        p->explained_variance[c] = evals[c] > 0.0 ? evals[c] : 0.0;
        /* scikit-learn's svd_flip: the largest |projection| is positive. */
        double best = -1.0, best_proj = 0.0;
        for (int r = 0; r < n_rows; r++) {
            if (row_weight_of(row_weight, r) == 0.0)
                continue;
            double proj = 0.0;
            for (size_t j = 0; j < ni; j++)
                proj += comp[j] * ((X[(size_t)r * ni + j] - p->min[j]) * p->scale[j] - p->mean[j]);
            if (fabs(proj) > best) {
                best = fabs(proj);
                best_proj = proj;
            }
        }
        if (best_proj < 0.0)
            for (size_t j = 0; j < ni; j++)
                comp[j] = -comp[j];
    }

done:
    free(cov);
    free(z);
    free(evals);
    free(evecs);
    if (rc != 0)
        smac_feature_pca_free(p);
    return rc;
}

void smac_feature_pca_transform(const smac_feature_pca *p, const double *x, double *out)
{
    for (int c = 0; c < p->n_out; c++) {
        const double *comp = p->components + (size_t)c * (size_t)p->n_in;
        double s = 0.0;
        for (int j = 0; j < p->n_in; j++)
            s += comp[j] * ((x[j] - p->min[j]) * p->scale[j] - p->mean[j]);
        out[c] = s;
    }
}
