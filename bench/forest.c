/*
 * Random-forest speed: train 10 trees and predict 5,000 points for 100,
 * 1,000 and 10,000 rows by 2, 10 and 50 columns, on 1 and 2 threads, with
 * SMAC4AC's and SMAC4HPO's forest settings; then an instance-marginalised
 * prediction. The SMAC4HPO hot path is one train plus
 * a few thousand predictions per iteration.
 *
 * Reference points: pyrfr (C++) trains 10 trees on 1,000 x 10 in roughly
 * 10-30 ms; a whole SMAC3 v1.1 iteration costs 100-250 ms at 100 rows.
 *
 * Usage: bench-forest [repeats]   (default 3; the best time is printed)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/forest.h"
#include "util/clock.h"

static double uniform01(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* A smooth response of the first few columns plus noise; one column in five
 * is categorical with 4 categories, as mixed spaces have. */
static void make_data(double *X, double *y, int n, int cols, const int *types, uint64_t *s)
{
    for (int i = 0; i < n; i++) {
        double acc = 0;
        for (int j = 0; j < cols; j++) {
            double v = types[j] ? floor(uniform01(s) * types[j]) : uniform01(s);
            X[(size_t)i * cols + j] = v;
            if (j < 5)
                acc += (j + 1) * v;
        }
        if (y)
            y[i] = sin(acc) + 0.1 * uniform01(s);
    }
}

/* hpo = 0: SMAC4AC's forest (the defaults); 1: SMAC4HPO's (ratio 1, min split 2,
 * min leaf 1, depth 2^20), which grows much deeper trees. */
static int run(int rows, int cols, int threads, int hpo, int repeats, double *train_ms,
               double *train_cpu, double *pred_ms)
{
    enum { P = 5000 };
    int *types = malloc((size_t)cols * sizeof *types);
    double *X = malloc((size_t)rows * cols * sizeof *X);
    double *y = malloc((size_t)rows * sizeof *y);
    double *Q = malloc((size_t)P * cols * sizeof *Q);
    double *mean = malloc(P * sizeof *mean), *var = malloc(P * sizeof *var);
    if (!types || !X || !y || !Q || !mean || !var)
        return -1;
    for (int j = 0; j < cols; j++)
        types[j] = j % 5 == 4 ? 4 : 0;
    uint64_t s = 12345;
    make_data(X, y, rows, cols, types, &s);
    make_data(Q, NULL, P, cols, types, &s);

    smac_forest_options o;
    smac_forest_default_options(&o);
    o.n_threads = threads;
    if (hpo) {
        o.ratio_features = 1.0;
        o.min_samples_split = 2;
        o.min_samples_leaf = 1;
        o.max_depth = 1 << 20;
        o.log_y = 1;
    }
    smac_error err = {0};
    smac_forest *f = smac_forest_new(cols, types, &o, &err);
    if (!f) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *train_ms = *train_cpu = *pred_ms = INFINITY;
    for (int r = 0; r < repeats; r++) {
        double c0 = smac_clock_process_cpu();
        double t0 = smac_clock_monotonic();
        if (smac_forest_train(f, X, y, rows, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return -1;
        }
        double t1 = smac_clock_monotonic();
        double c1 = smac_clock_process_cpu();
        if ((c1 - c0) * 1e3 < *train_cpu)
            *train_cpu = (c1 - c0) * 1e3;
        smac_forest_predict(f, Q, P, mean, var, NULL);
        double t2 = smac_clock_monotonic();
        if ((t1 - t0) * 1e3 < *train_ms)
            *train_ms = (t1 - t0) * 1e3;
        if ((t2 - t1) * 1e3 < *pred_ms)
            *pred_ms = (t2 - t1) * 1e3;
    }
    smac_forest_free(f);
    free(types);
    free(X);
    free(y);
    free(Q);
    free(mean);
    free(var);
    return 0;
}

/* Marginalised prediction: `cfg` configuration columns, `nf` features,
 * `ni` instances, 1,000 training rows, 5,000 predicted configurations. */
static int run_marginal(int cfg, int nf, int ni, int repeats, double *ms)
{
    enum { N = 1000, P = 5000 };
    int cols = cfg + nf;
    int *types = calloc((size_t)cols, sizeof *types);
    double *F = malloc((size_t)ni * nf * sizeof *F);
    double *X = malloc((size_t)N * cols * sizeof *X), *y = malloc(N * sizeof *y);
    double *Q = malloc((size_t)P * cfg * sizeof *Q);
    double *mean = malloc(P * sizeof *mean), *var = malloc(P * sizeof *var);
    if (!types || !F || !X || !y || !Q || !mean || !var)
        return -1;
    uint64_t s = 99;
    for (int i = 0; i < ni * nf; i++)
        F[i] = uniform01(&s);
    for (int i = 0; i < N; i++) {
        int inst = i % ni;
        double acc = 0;
        for (int j = 0; j < cfg; j++) {
            X[(size_t)i * cols + j] = uniform01(&s);
            acc += X[(size_t)i * cols + j];
        }
        for (int j = 0; j < nf; j++) {
            X[(size_t)i * cols + cfg + j] = F[inst * nf + j];
            acc += 2 * F[inst * nf + j];
        }
        y[i] = log(1 + acc);
    }
    for (int i = 0; i < P * cfg; i++)
        Q[i] = uniform01(&s);
    smac_forest_options o;
    smac_forest_default_options(&o);
    o.log_y = 1;
    smac_forest *f = smac_forest_new(cols, types, &o, NULL);
    if (!f || smac_forest_train(f, X, y, N, NULL) != 0)
        return -1;
    *ms = INFINITY;
    for (int r = 0; r < repeats; r++) {
        double t0 = smac_clock_monotonic();
        smac_forest_predict_marginal(f, Q, P, F, ni, nf, mean, var, NULL);
        double t = (smac_clock_monotonic() - t0) * 1e3;
        if (t < *ms)
            *ms = t;
    }
    smac_forest_free(f);
    free(types);
    free(F);
    free(X);
    free(y);
    free(Q);
    free(mean);
    free(var);
    return 0;
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    if (repeats < 1)
        repeats = 1;
    int rows[] = { 100, 1000, 10000 };
    int cols[] = { 2, 10, 50 };
    printf("SMAC4AC's forest: 10 trees, bootstrapping, ratio 5/6, min split/leaf 3, depth 20 "
           "(best of %d)\n",
           repeats);
    printf("(wall-clock times; \"cpu\" is the process CPU time of the 1-thread training,\n"
           " which other load on the machine inflates less)\n");
    printf("%7s %5s | %12s %12s %12s | %14s\n", "rows", "cols", "train 1 thr", "(cpu)",
           "train 2 thr", "predict 5000");
    for (int hpo = 0; hpo <= 1; hpo++) {
        if (hpo)
            printf("SMAC4HPO's forest: ratio 1, min split 2, min leaf 1, depth 2^20, log_y\n");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double t1, c1, p1, t2, c2, p2;
                if (run(rows[i], cols[j], 1, hpo, repeats, &t1, &c1, &p1) != 0 ||
                    run(rows[i], cols[j], 2, hpo, repeats, &t2, &c2, &p2) != 0) {
                    fprintf(stderr, "bench-forest: failed\n");
                    return 1;
                }
                printf("%7d %5d | %9.2f ms %9.2f ms %9.2f ms | %11.2f ms\n", rows[i], cols[j], t1,
                       c1, t2, p1);
            }
        }
    }
    int inst[] = { 10, 100 };
    for (int i = 0; i < 2; i++) {
        double ms;
        if (run_marginal(5, 7, inst[i], repeats, &ms) != 0) {
            fprintf(stderr, "bench-forest: marginal failed\n");
            return 1;
        }
        printf("marginal prediction, 5,000 configs x %d instances (5 + 7 columns, 1,000 rows): %.2f ms\n",
               inst[i], ms);
    }
    return 0;
}
