/* SMAC's random-forest wrapper (src/model/rf_model.c) and the feature
 * transform (src/model/pca.c): column types and inactive-value imputation per
 * parameter kind for a space built with the cs builder, the eigen-solver and
 * PCA (orthonormal components, explained-variance order, scikit-learn's
 * signs, weights), when PCA applies, that every prediction uses the same
 * transform, and the argument errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "model/forest.h"
#include "model/pca.h"
#include "model/rf_model.h"

#define ARR(...) ((const char *const[]){__VA_ARGS__})

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static void assert_close(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%.17g != %.17g (tolerance %g)", a, b, tol);
}

static double uniform01(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Every parameter kind, unconditional and conditional (on c == x). */
static smac_cs *mixed_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    assert_non_null(b);
    smac_error err = {0};
    int rc = 0;
    rc |= smac_cs_builder_add_real(b, "a", 0, 1, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_categorical(b, "c", 3, ARR("x", "y", "z"), NULL, NULL, NULL, &err);
    rc |= smac_cs_builder_add_constant(b, "k0", "fixed", CS_VALUE_STRING, &err);
    rc |= smac_cs_builder_add_ordinal(b, "o0", 3, ARR("lo", "mid", "hi"), NULL, NULL, &err);
    rc |= smac_cs_builder_add_real(b, "r", 1, 100, 0, 0, 1, 0, &err);
    rc |= smac_cs_builder_add_integer(b, "i", 1, 10, 0, 0, 0, 0, &err);
    rc |= smac_cs_builder_add_categorical(b, "cc", 2, ARR("p", "q"), NULL, NULL, NULL, &err);
    rc |= smac_cs_builder_add_constant(b, "k", "7", CS_VALUE_INT, &err);
    rc |= smac_cs_builder_add_ordinal(b, "o", 3, ARR("s", "m", "l"), NULL, NULL, &err);
    if (rc != 0)
        fail_msg("builder: %s", err.message);
    cs_cond_spec on_x = {.op = CS_COND_EQ, .parent = "c", .n_values = 1, .values = ARR("x")};
    const char *children[] = {"r", "i", "cc", "k", "o"};
    for (int j = 0; j < 5; j++)
        if (smac_cs_builder_add_condition(b, children[j], &on_x, &err) != 0)
            fail_msg("condition: %s", err.message);
    smac_cs *cs = NULL;
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

static int idx(const smac_cs *cs, const char *name)
{
    int i = smac_cs_param_index(cs, name);
    if (i < 0)
        fail_msg("no parameter %s", name);
    return i;
}

/* ------------------------------------------------------- types, imputation */

static void test_types_and_imputation(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    int n = smac_cs_n_params(cs);
    assert_int_equal(n, 9);
    int types[9];
    double imp[9];
    smac_rf_column_types(cs, types, imp);
    struct { const char *name; int type; double impute; } want[] = {
        {"a", 0, NAN},   {"c", 3, NAN},  {"k0", 0, NAN}, {"o0", 0, NAN}, {"r", 0, -1.0},
        {"i", 0, -1.0},  {"cc", 3, 2.0}, {"k", 2, 1.0},  {"o", 0, -1.0},
    };
    for (int j = 0; j < 9; j++) {
        int i = idx(cs, want[j].name);
        if (types[i] != want[j].type)
            fail_msg("%s: type %d, want %d", want[j].name, types[i], want[j].type);
        if (isnan(want[j].impute))
            assert_true(isnan(imp[i]));
        else
            assert_close(imp[i], want[j].impute, 0);
    }
    /* Either output may be NULL. */
    smac_rf_column_types(cs, NULL, imp);
    smac_rf_column_types(cs, types, NULL);

    smac_rf_model_options o;
    smac_rf_model_default_options(&o);
    assert_int_equal(o.pca_components, 7);
    smac_error err = {0};
    smac_rf_model *m = smac_rf_model_new(cs, NULL, 0, 0, &o, &err);
    assert_non_null(m);
    assert_int_equal(smac_rf_model_n_params(m), 9);
    double v[9], out[9];
    for (int i = 0; i < 9; i++)
        v[i] = NAN;
    v[idx(cs, "a")] = 0.25;
    v[idx(cs, "c")] = 1;
    v[idx(cs, "k0")] = 0;
    v[idx(cs, "o0")] = 2;
    v[idx(cs, "i")] = INFINITY; /* any non-finite value of a conditional counts as inactive */
    smac_rf_model_impute(m, v, out);
    assert_close(out[idx(cs, "a")], 0.25, 0);
    assert_close(out[idx(cs, "c")], 1, 0);
    assert_close(out[idx(cs, "k0")], 0, 0);
    assert_close(out[idx(cs, "o0")], 2, 0);
    assert_close(out[idx(cs, "r")], -1, 0);
    assert_close(out[idx(cs, "i")], -1, 0);
    assert_close(out[idx(cs, "cc")], 2, 0);
    assert_close(out[idx(cs, "k")], 1, 0);
    assert_close(out[idx(cs, "o")], -1, 0);
    /* Active values pass through unchanged. */
    v[idx(cs, "c")] = 0;
    v[idx(cs, "r")] = 0.7;
    v[idx(cs, "i")] = 0.3;
    v[idx(cs, "cc")] = 1;
    v[idx(cs, "k")] = 0;
    v[idx(cs, "o")] = 1;
    smac_rf_model_impute(m, v, out);
    assert_memory_equal(out, v, sizeof v);
    smac_rf_model_free(m);
    smac_cs_free(cs);
}

/* Rows of the mixed space: children active iff c == 0 (x). */
static void mixed_rows(const smac_cs *cs, double *X, double *y, int n, uint64_t *s)
{
    int np = smac_cs_n_params(cs);
    for (int r = 0; r < n; r++) {
        double *v = X + (size_t)r * np;
        int c = (int)(uniform01(s) * 3);
        v[idx(cs, "a")] = uniform01(s);
        v[idx(cs, "c")] = c;
        v[idx(cs, "k0")] = 0;
        v[idx(cs, "o0")] = (int)(uniform01(s) * 3);
        int on = c == 0;
        v[idx(cs, "r")] = on ? uniform01(s) : NAN;
        v[idx(cs, "i")] = on ? uniform01(s) : NAN;
        v[idx(cs, "cc")] = on ? (int)(uniform01(s) * 2) : NAN;
        v[idx(cs, "k")] = on ? 0 : NAN;
        v[idx(cs, "o")] = on ? (int)(uniform01(s) * 3) : NAN;
        double t = 2 * v[idx(cs, "a")] + (c == 2 ? 3 : 0);
        if (on)
            t += 4 * v[idx(cs, "r")] + v[idx(cs, "cc")];
        if (y)
            y[r] = t;
    }
}

static void test_train_predict_conditional(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    enum { N = 300, P = 100, NP = 9 };
    static double X[N * NP], y[N], Q[P * NP], truth[P], mean[P], var[P], m2[P], v2[P];
    uint64_t s = 21;
    mixed_rows(cs, X, y, N, &s);
    mixed_rows(cs, Q, truth, P, &s);
    smac_rf_model_options o;
    smac_rf_model_default_options(&o);
    o.forest.seed = 5;
    smac_error err = {0};
    smac_rf_model *m = smac_rf_model_new(cs, NULL, 0, 0, &o, &err);
    assert_non_null(m);
    assert_false(smac_rf_model_is_trained(m));
    assert_int_equal(smac_rf_model_n_columns(m), 0);
    assert_null(smac_rf_model_column_types(m));
    assert_int_equal(smac_rf_model_predict_marginal(m, Q, P, mean, var, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "before training");

    if (smac_rf_model_train(m, X, NULL, y, N, &err) != 0)
        fail_msg("train: %s", err.message);
    assert_true(smac_rf_model_is_trained(m));
    assert_int_equal(smac_rf_model_n_columns(m), NP);
    const int *types = smac_rf_model_column_types(m);
    assert_int_equal(types[idx(cs, "cc")], 3);
    assert_int_equal(types[idx(cs, "k")], 2);
    assert_int_equal(types[idx(cs, "c")], 3);
    assert_null(smac_rf_model_pca(m));
    const smac_forest *f = smac_rf_model_forest(m);
    assert_non_null(f);
    assert_int_equal(smac_forest_max_features(f), 7); /* int(9 * 5/6) */

    assert_int_equal(smac_rf_model_predict_marginal(m, Q, P, mean, var, &err), 0);
    double se = 0, ym = 0, ys = 0;
    for (int i = 0; i < P; i++) {
        se += (mean[i] - truth[i]) * (mean[i] - truth[i]);
        ym += truth[i];
        assert_true(var[i] >= 1e-10);
    }
    ym /= P;
    for (int i = 0; i < P; i++)
        ys += (truth[i] - ym) * (truth[i] - ym);
    if (!(sqrt(se / P) < 0.4 * sqrt(ys / P)))
        fail_msg("rmse %g vs sd %g", sqrt(se / P), sqrt(ys / P));

    /* Predictions see exactly the imputed rows the forest was trained on. */
    static double imputed[P * NP];
    for (int i = 0; i < P; i++)
        smac_rf_model_impute(m, Q + i * NP, imputed + i * NP);
    assert_int_equal(smac_forest_predict(f, imputed, P, m2, v2, NULL), 0);
    assert_int_equal(smac_rf_model_predict(m, Q, NULL, P, mean, var, &err), 0);
    assert_memory_equal(mean, m2, sizeof mean);
    assert_memory_equal(var, v2, sizeof var);

    /* An unconditional parameter may not be NaN. */
    static double Xbad[N * NP];
    memcpy(Xbad, X, sizeof Xbad);
    Xbad[7 * NP + idx(cs, "a")] = NAN;
    assert_int_equal(smac_rf_model_train(m, Xbad, NULL, y, N, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "row 7");
    /* ... and the previous fit survives the failure. */
    assert_ptr_equal(smac_rf_model_forest(m), f);
    assert_int_equal(smac_rf_model_train(m, X, NULL, y, 0, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_rf_model_train(m, NULL, NULL, y, N, &err), SMAC_ERR_INVALID);
    smac_rf_model_free(m);
    smac_cs_free(cs);
}

static void test_determinism_and_refits(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    enum { N = 120, P = 30, NP = 9 };
    static double X[N * NP], y[N], Q[P * NP], a1[P], a2[P], b1[P], b2[P];
    uint64_t s = 2;
    mixed_rows(cs, X, y, N, &s);
    mixed_rows(cs, Q, NULL, P, &s);
    smac_rf_model_options o;
    smac_rf_model_default_options(&o);
    o.forest.seed = 77;
    smac_rf_model *a = smac_rf_model_new(cs, NULL, 0, 0, &o, NULL);
    o.forest.n_threads = 2;
    smac_rf_model *b = smac_rf_model_new(cs, NULL, 0, 0, &o, NULL);
    assert_int_equal(smac_rf_model_train(a, X, NULL, y, N, NULL), 0);
    assert_int_equal(smac_rf_model_train(b, X, NULL, y, N, NULL), 0);
    assert_int_equal(smac_rf_model_predict_marginal(a, Q, P, a1, NULL, NULL), 0);
    assert_int_equal(smac_rf_model_predict_marginal(b, Q, P, b1, NULL, NULL), 0);
    assert_memory_equal(a1, b1, sizeof a1);
    assert_int_equal(smac_rf_model_train(a, X, NULL, y, N, NULL), 0);
    assert_int_equal(smac_rf_model_train(b, X, NULL, y, N, NULL), 0);
    assert_int_equal(smac_rf_model_predict_marginal(a, Q, P, a2, NULL, NULL), 0);
    assert_int_equal(smac_rf_model_predict_marginal(b, Q, P, b2, NULL, NULL), 0);
    assert_memory_equal(a2, b2, sizeof a2);
    assert_true(memcmp(a1, a2, sizeof a1) != 0); /* a refit draws new randomness */
    smac_rf_model_free(a);
    smac_rf_model_free(b);
    smac_cs_free(cs);
}

/* ------------------------------------------------------------ eigen, PCA */

static void check_eigen(const double *A, int n)
{
    double *vals = malloc((size_t)n * sizeof *vals);
    double *vecs = malloc((size_t)n * n * sizeof *vecs);
    assert_int_equal(smac_eigen_symmetric(A, n, vals, vecs, NULL), 0);
    double scale = 0;
    for (int i = 0; i < n * n; i++)
        scale = fmax(scale, fabs(A[i]));
    for (int i = 0; i < n; i++) {
        if (i > 0)
            assert_true(vals[i - 1] >= vals[i]);
        for (int j = 0; j < n; j++) {
            double dot = 0;
            for (int k = 0; k < n; k++)
                dot += vecs[i * n + k] * vecs[j * n + k];
            assert_close(dot, i == j ? 1.0 : 0.0, 1e-12);
        }
        for (int r = 0; r < n; r++) {
            double av = 0;
            for (int k = 0; k < n; k++)
                av += A[r * n + k] * vecs[i * n + k];
            assert_close(av, vals[i] * vecs[i * n + r], 1e-11 * (1 + scale));
        }
    }
    free(vals);
    free(vecs);
}

static void test_eigen_solver(void **state)
{
    (void)state;
    uint64_t s = 4;
    int sizes[] = {1, 2, 3, 7, 20, 60};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        int n = sizes[t];
        double *A = malloc((size_t)n * n * sizeof *A);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                A[i * n + j] = A[j * n + i] = uniform01(&s) * 2 - 1;
        check_eigen(A, n);
        free(A);
    }
    /* Known spectrum, with a repeated eigenvalue. */
    double D[] = {2, 0, 0, 0, 5, 0, 0, 0, 2};
    double vals[3], vecs[9];
    assert_int_equal(smac_eigen_symmetric(D, 3, vals, vecs, NULL), 0);
    assert_close(vals[0], 5, 0);
    assert_close(vals[1], 2, 0);
    assert_close(vals[2], 2, 0);
    assert_close(fabs(vecs[1]), 1, 0);
    double R[] = {2, 1, 1, 2}; /* eigenvalues 3 and 1 along (1,1) and (1,-1) */
    assert_int_equal(smac_eigen_symmetric(R, 2, vals, vecs, NULL), 0);
    assert_close(vals[0], 3, 1e-14);
    assert_close(vals[1], 1, 1e-14);
    assert_close(fabs(vecs[0]), sqrt(0.5), 1e-14);
    assert_close(vecs[0] * vecs[1], 0.5, 1e-14);
    check_eigen(D, 3);

    smac_error err = {0};
    assert_int_equal(smac_eigen_symmetric(D, 0, vals, vecs, &err), SMAC_ERR_INVALID);
    double bad[] = {1, NAN, NAN, 1};
    assert_int_equal(smac_eigen_symmetric(bad, 2, vals, vecs, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "not finite");
}

static void test_pca(void **state)
{
    (void)state;
    /* Features 0 and 1 move together along a grid t, feature 2 is constant,
     * feature 3 repeats a pattern whose sample covariance with t is exactly
     * 0 and whose variance (1/8 after scaling) is below that of the (0, 1)
     * direction (2 var(t) ~ 1/6): the components are (1,1,0,0)/sqrt 2, then
     * (0,0,0,1). */
    enum { N = 48, F = 4 };
    double X[N * F];
    const double pattern[8] = {0, 0.5, 0.5, 1, 1, 0.5, 0.5, 0};
    double tm = 0, tv = 0;
    for (int i = 0; i < N; i++) {
        double t = (double)i / (N - 1);
        X[i * F + 0] = 10 + 4 * t;
        X[i * F + 1] = -3 + 0.5 * t;
        X[i * F + 2] = 42;
        X[i * F + 3] = 7 + 2 * pattern[i % 8];
        tm += t / N;
    }
    for (int i = 0; i < N; i++)
        tv += ((double)i / (N - 1) - tm) * ((double)i / (N - 1) - tm) / (N - 1);
    smac_feature_pca p;
    memset(&p, 0, sizeof p);
    smac_error err = {0};
    if (smac_feature_pca_fit(&p, X, NULL, N, F, 3, &err) != 0)
        fail_msg("pca: %s", err.message);
    assert_int_equal(p.n_in, F);
    assert_int_equal(p.n_out, 3);
    /* Orthonormal components, decreasing variance. */
    for (int a = 0; a < 3; a++) {
        if (a > 0)
            assert_true(p.explained_variance[a - 1] >= p.explained_variance[a]);
        for (int b = 0; b < 3; b++) {
            double dot = 0;
            for (int j = 0; j < F; j++)
                dot += p.components[a * F + j] * p.components[b * F + j];
            assert_close(dot, a == b ? 1.0 : 0.0, 1e-12);
        }
    }
    assert_close(fabs(p.components[0]), sqrt(0.5), 1e-12);
    assert_close(p.components[0] * p.components[1], 0.5, 1e-12);
    assert_close(p.components[2], 0.0, 1e-12);
    assert_close(p.components[3], 0.0, 1e-12);
    assert_close(fabs(p.components[F + 3]), 1.0, 1e-12);
    assert_close(p.explained_variance[0], 2 * tv, 1e-12);
    assert_close(p.explained_variance[1], 0.125 * N / (N - 1), 1e-12);
    assert_close(p.explained_variance[2], 0.0, 1e-12);
    /* The scaler: constant features map to 0; others to [0, 1]. */
    assert_close(p.scale[2], 1.0, 0);
    double out[3], mean_t[3] = {0};
    double var0 = 0;
    for (int i = 0; i < N; i++) {
        smac_feature_pca_transform(&p, X + i * F, out);
        for (int c = 0; c < 3; c++)
            mean_t[c] += out[c] / N;
        var0 += out[0] * out[0];
    }
    /* Projections are centred and carry the explained variance (divisor N - 1). */
    for (int c = 0; c < 3; c++)
        assert_close(mean_t[c], 0.0, 1e-12);
    assert_close(var0 / (N - 1), p.explained_variance[0], 1e-12);
    /* scikit-learn's sign rule: the largest |projection| is positive. */
    for (int c = 0; c < 3; c++) {
        double best = 0, best_abs = -1;
        for (int i = 0; i < N; i++) {
            smac_feature_pca_transform(&p, X + i * F, out);
            if (fabs(out[c]) > best_abs) {
                best_abs = fabs(out[c]);
                best = out[c];
            }
        }
        assert_true(best >= 0);
    }

    /* Weights stand for repeated rows. */
    double Xd[6 * 2] = {0, 0, 1, 2, 2, 1, 3, 3, 3, 3, 3, 3};
    double Xw[4 * 2] = {0, 0, 1, 2, 2, 1, 3, 3};
    double w[4] = {1, 1, 1, 3};
    smac_feature_pca pd, pw;
    memset(&pd, 0, sizeof pd);
    memset(&pw, 0, sizeof pw);
    assert_int_equal(smac_feature_pca_fit(&pd, Xd, NULL, 6, 2, 2, NULL), 0);
    assert_int_equal(smac_feature_pca_fit(&pw, Xw, w, 4, 2, 2, NULL), 0);
    for (int j = 0; j < 4; j++)
        assert_close(pd.components[j], pw.components[j], 1e-12);
    for (int j = 0; j < 2; j++) {
        assert_close(pd.explained_variance[j], pw.explained_variance[j], 1e-12);
        assert_close(pd.mean[j], pw.mean[j], 1e-12);
    }
    /* Refitting frees the previous fit (no leak under ASan). */
    assert_int_equal(smac_feature_pca_fit(&pw, Xd, NULL, 6, 2, 1, NULL), 0);
    assert_int_equal(pw.n_out, 1);

    /* Errors. */
    assert_int_equal(smac_feature_pca_fit(&pd, Xd, NULL, 6, 2, 3, &err), SMAC_ERR_INVALID);
    assert_null(pd.components); /* a failed fit leaves *p empty */
    assert_int_equal(smac_feature_pca_fit(&pd, Xd, NULL, 0, 2, 1, &err), SMAC_ERR_INVALID);
    double zero[4] = {0, 0, 0, 0};
    assert_int_equal(smac_feature_pca_fit(&pd, Xw, zero, 4, 2, 1, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "positive weight");
    double negw[4] = {1, -1, 1, 1};
    assert_int_equal(smac_feature_pca_fit(&pd, Xw, negw, 4, 2, 1, &err), SMAC_ERR_INVALID);
    double Xn[4] = {0, NAN, 1, 1};
    assert_int_equal(smac_feature_pca_fit(&pd, Xn, NULL, 2, 2, 1, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "not finite");
    /* ... but a weight-0 row is ignored, NaN or not. */
    double w01[2] = {0, 1};
    assert_int_equal(smac_feature_pca_fit(&pd, Xn, w01, 2, 2, 1, &err), 0);
    smac_feature_pca_free(&p);
    smac_feature_pca_free(&pd);
    smac_feature_pca_free(&pw);
    smac_feature_pca_free(NULL);
}

/* ------------------------------------------------------- instance features */

static smac_cs *two_reals(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    if (smac_cs_builder_add_real(b, "x0", 0, 1, 0, 0, 0, 0, &err) != 0 ||
        smac_cs_builder_add_real(b, "x1", 0, 1, 0, 0, 0, 0, &err) != 0)
        fail_msg("builder: %s", err.message);
    smac_cs *cs = NULL;
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

static void test_instance_features(void **state)
{
    (void)state;
    smac_cs *cs = two_reals();
    enum { NI = 20, NF = 10, N = 200, P = 40 };
    static double F[NI * NF], X[N * 2], y[N], Q[P * 2], mean[P], var[P], em[P], ev[P];
    static int inst[N];
    uint64_t s = 31;
    double f0_mean = 0;
    for (int j = 0; j < NI; j++) {
        for (int k = 0; k < NF; k++)
            F[j * NF + k] = uniform01(&s) * (k + 1);
        f0_mean += F[j * NF] / NI;
    }
    for (int i = 0; i < N; i++) {
        inst[i] = i % NI;
        X[2 * i] = uniform01(&s);
        X[2 * i + 1] = uniform01(&s);
        y[i] = 3 * X[2 * i] + 2 * F[inst[i] * NF];
    }
    for (int i = 0; i < P; i++) {
        Q[2 * i] = uniform01(&s);
        Q[2 * i + 1] = uniform01(&s);
    }
    smac_rf_model_options o;
    smac_rf_model_default_options(&o);
    smac_error err = {0};
    smac_rf_model *m = smac_rf_model_new(cs, F, NI, NF, &o, &err);
    assert_non_null(m);

    /* Few rows (<= 7): raw features. */
    assert_int_equal(smac_rf_model_train(m, X, inst, y, 7, &err), 0);
    assert_null(smac_rf_model_pca(m));
    assert_int_equal(smac_rf_model_n_columns(m), 2 + NF);
    assert_int_equal(smac_forest_max_features(smac_rf_model_forest(m)), 10); /* int(12 * 5/6) */

    /* Enough rows: min-max + PCA to 7 components, fitted on the rows. */
    if (smac_rf_model_train(m, X, inst, y, N, &err) != 0)
        fail_msg("train: %s", err.message);
    const smac_feature_pca *pca = smac_rf_model_pca(m);
    assert_non_null(pca);
    assert_int_equal(pca->n_out, 7);
    assert_int_equal(pca->n_in, NF);
    assert_int_equal(smac_rf_model_n_columns(m), 2 + 7);
    const int *types = smac_rf_model_column_types(m);
    for (int j = 0; j < 9; j++)
        assert_int_equal(types[j], 0);
    /* max_features counts the columns before PCA, then is capped. */
    const smac_forest *f = smac_rf_model_forest(m);
    assert_int_equal(smac_forest_max_features(f), 9);

    /* The marginal prediction pools over the transformed features. */
    static double T[NI * 7];
    for (int j = 0; j < NI; j++)
        smac_feature_pca_transform(pca, F + j * NF, T + j * 7);
    assert_int_equal(smac_rf_model_predict_marginal(m, Q, P, mean, var, &err), 0);
    assert_int_equal(smac_forest_predict_marginal(f, Q, P, T, NI, 7, em, ev, NULL), 0);
    assert_memory_equal(mean, em, sizeof mean);
    assert_memory_equal(var, ev, sizeof var);
    double se = 0;
    for (int i = 0; i < P; i++) {
        double truth = 3 * Q[2 * i] + 2 * f0_mean;
        se += (mean[i] - truth) * (mean[i] - truth);
        assert_true(var[i] >= 1e-10);
    }
    if (!(sqrt(se / P) < 0.4))
        fail_msg("marginal rmse %g", sqrt(se / P));

    /* Per-run prediction: configuration plus that instance's transformed features. */
    static int qi[P];
    static double rows[P * 9];
    for (int i = 0; i < P; i++) {
        qi[i] = (i * 7) % NI;
        memcpy(rows + i * 9, Q + 2 * i, 2 * sizeof(double));
        memcpy(rows + i * 9 + 2, T + qi[i] * 7, 7 * sizeof(double));
    }
    assert_int_equal(smac_rf_model_predict(m, Q, qi, P, mean, var, &err), 0);
    assert_int_equal(smac_forest_predict(f, rows, P, em, ev, NULL), 0);
    assert_memory_equal(mean, em, sizeof mean);
    assert_memory_equal(var, ev, sizeof var);

    /* Instance indices are required and checked. */
    assert_int_equal(smac_rf_model_predict(m, Q, NULL, P, mean, var, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "instance");
    qi[3] = NI;
    assert_int_equal(smac_rf_model_predict(m, Q, qi, P, mean, var, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "row 3");
    assert_int_equal(smac_rf_model_train(m, X, NULL, y, N, &err), SMAC_ERR_INVALID);
    inst[5] = -1;
    assert_int_equal(smac_rf_model_train(m, X, inst, y, N, &err), SMAC_ERR_INVALID);
    inst[5] = 5;
    smac_rf_model_free(m);

    /* pca_components 0: never; fewer than 7 features: never. */
    o.pca_components = 0;
    m = smac_rf_model_new(cs, F, NI, NF, &o, &err);
    assert_int_equal(smac_rf_model_train(m, X, inst, y, N, &err), 0);
    assert_null(smac_rf_model_pca(m));
    assert_int_equal(smac_rf_model_n_columns(m), 2 + NF);
    /* Raw features: the marginal prediction pools over them as given. */
    assert_int_equal(smac_rf_model_predict_marginal(m, Q, P, mean, var, &err), 0);
    assert_int_equal(smac_forest_predict_marginal(smac_rf_model_forest(m), Q, P, F, NI, NF, em, ev,
                                                  NULL), 0);
    assert_memory_equal(mean, em, sizeof mean);
    smac_rf_model_free(m);
    o.pca_components = 7;
    static double F6[NI * 6];
    for (int j = 0; j < NI; j++)
        memcpy(F6 + j * 6, F + j * NF, 6 * sizeof(double));
    m = smac_rf_model_new(cs, F6, NI, 6, &o, &err);
    assert_int_equal(smac_rf_model_train(m, X, inst, y, N, &err), 0);
    assert_null(smac_rf_model_pca(m));
    assert_int_equal(smac_rf_model_n_columns(m), 2 + 6);
    smac_rf_model_free(m);
    smac_cs_free(cs);
}

static void test_model_argument_errors(void **state)
{
    (void)state;
    smac_cs *cs = two_reals();
    smac_rf_model_options o;
    smac_rf_model_default_options(&o);
    smac_error err = {0};
    double F[] = {1, 2, 3, 4};
    assert_null(smac_rf_model_new(NULL, NULL, 0, 0, &o, &err));
    assert_null(smac_rf_model_new(cs, NULL, 0, 0, NULL, &err));
    assert_null(smac_rf_model_new(cs, NULL, 2, 2, &o, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_null(smac_rf_model_new(cs, F, 0, 2, &o, &err));
    assert_null(smac_rf_model_new(cs, F, -1, 0, &o, &err));
    double Fnan[] = {1, 2, INFINITY, 4};
    assert_null(smac_rf_model_new(cs, Fnan, 2, 2, &o, &err));
    assert_contains(err.message, "instance 1: feature 0");
    o.pca_components = -1;
    assert_null(smac_rf_model_new(cs, F, 2, 2, &o, &err));
    assert_contains(err.message, "pca_components");
    smac_rf_model_default_options(&o);
    o.forest.num_trees = 0;
    assert_null(smac_rf_model_new(cs, F, 2, 2, &o, &err));
    assert_contains(err.message, "num_trees");
    smac_rf_model_default_options(&o);

    smac_rf_model *m = smac_rf_model_new(cs, F, 2, 2, &o, &err);
    assert_non_null(m);
    double X[] = {0.1, 0.2};
    int inst[] = {0};
    double y[] = {1};
    double mean, var;
    assert_int_equal(smac_rf_model_predict(m, X, inst, 1, &mean, &var, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_rf_model_predict(NULL, X, inst, 1, &mean, &var, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_rf_model_predict_marginal(NULL, X, 1, &mean, &var, &err), SMAC_ERR_INVALID);
    double ynan[] = {NAN};
    assert_int_equal(smac_rf_model_train(m, X, inst, ynan, 1, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "response");
    assert_false(smac_rf_model_is_trained(m));
    assert_int_equal(smac_rf_model_train(m, X, inst, y, 1, &err), 0);
    assert_int_equal(smac_rf_model_predict_marginal(m, X, 1, &mean, &var, &err), 0);
    assert_close(mean, 1.0, 0);
    assert_close(var, 1e-10, 0);
    /* Zero rows predict nothing, successfully. */
    assert_int_equal(smac_rf_model_predict_marginal(m, X, 0, &mean, &var, &err), 0);
    assert_int_equal(smac_rf_model_predict(m, X, inst, 0, &mean, &var, &err), 0);
    smac_rf_model_free(m);
    smac_rf_model_free(NULL);
    smac_cs_free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_imputation),
        cmocka_unit_test(test_train_predict_conditional),
        cmocka_unit_test(test_determinism_and_refits),
        cmocka_unit_test(test_eigen_solver),
        cmocka_unit_test(test_pca),
        cmocka_unit_test(test_instance_features),
        cmocka_unit_test(test_model_argument_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
