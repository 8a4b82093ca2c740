/*
 * Our random forest with SMAC4HPO's settings (10 trees, bootstrapping, all
 * features, min split 2, min leaf 1, unlimited depth, log_y), trained on
 * X.txt / y.txt (rows of 6 numbers / one number per line) with 50 seeds;
 * writes the average predicted mean and variance at each row of T.txt to
 * c_mean.txt / c_var.txt. Companion of compare_forest.py, which does the
 * same with SMAC3 v1.1's pyrfr forest and compares the two.
 *
 * Build (from the repository root, after `make build`):
 *   cc -O2 -Isrc -Iinclude bench/reference/equivalence/forest_predictions.c \
 *      build/libsmac.a -lm -lpthread -ljansson -o forest_predictions
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/forest.h"

#define COLS 6
#define MAX_ROWS 4096
#define SEEDS 50

static int load(const char *path, double *a, int max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    int n = 0;
    while (n < max && fscanf(f, "%lf", &a[n]) == 1)
        n++;
    fclose(f);
    return n;
}

int main(void)
{
    static double X[MAX_ROWS * COLS], y[MAX_ROWS], T[MAX_ROWS * COLS];
    static double m[MAX_ROWS], v[MAX_ROWS], M[MAX_ROWS], V[MAX_ROWS];
    int n = load("y.txt", y, MAX_ROWS);
    if (load("X.txt", X, MAX_ROWS * COLS) != n * COLS) {
        fprintf(stderr, "X.txt must hold %d rows of %d numbers\n", n, COLS);
        return 1;
    }
    int nt = load("T.txt", T, MAX_ROWS * COLS) / COLS;
    int types[COLS] = {0};
    for (int s = 0; s < SEEDS; s++) {
        smac_forest_options o;
        smac_forest_default_options(&o);
        o.ratio_features = 1.0;
        o.min_samples_split = 2;
        o.min_samples_leaf = 1;
        o.max_depth = 1 << 20;
        o.log_y = 1;
        o.seed = 1000 + (uint64_t)s;
        smac_error err = {0};
        smac_forest *f = smac_forest_new(COLS, types, &o, &err);
        if (!f || smac_forest_train(f, X, y, n, &err) != 0 ||
            smac_forest_predict_marginal(f, T, nt, NULL, 0, 0, m, v, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        for (int i = 0; i < nt; i++) {
            M[i] += m[i] / SEEDS;
            V[i] += v[i] / SEEDS;
        }
        smac_forest_free(f);
    }
    FILE *fm = fopen("c_mean.txt", "w"), *fv = fopen("c_var.txt", "w");
    if (!fm || !fv)
        return 1;
    for (int i = 0; i < nt; i++) {
        fprintf(fm, "%.17g\n", M[i]);
        fprintf(fv, "%.17g\n", V[i]);
    }
    fclose(fm);
    fclose(fv);
    return 0;
}
