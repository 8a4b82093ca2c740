/*
 * Reference figures measured on this machine with the real SMAC3 v1.1
 * (bench/reference/: the harness, its README and its TSV output), read at
 * run time so that the benchmarks can print them beside ours, and a
 * one-sided Mann-Whitney test to say whether our regrets are worse.
 *
 * The TSV: '#' comment lines, a header row, then tab-separated rows whose
 * first columns are function, budget, seed, regret. A missing file is not
 * an error (the benchmark then prints no reference row).
 */
#ifndef SMAC_BENCH_REFERENCE_H
#define SMAC_BENCH_REFERENCE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_functions.h"

/* The folder of the TSVs; CMake passes the source tree's. */
#ifndef SMAC_BENCH_REFERENCE_DIR
#define SMAC_BENCH_REFERENCE_DIR "bench/reference"
#endif

#define BENCH_REF_MAX 4096

typedef struct bench_ref_row {
    char function[32];
    int budget;
    int seed;
    double regret;
} bench_ref_row;

typedef struct bench_ref {
    bench_ref_row rows[BENCH_REF_MAX];
    int n;
    char path[1024];
} bench_ref;

/* Reads path into r; returns the number of rows (0 if the file is absent),
 * or -1 with a message on stderr if a row is malformed. */
static inline int bench_ref_load(bench_ref *r, const char *path)
{
    r->n = 0;
    snprintf(r->path, sizeof r->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    int lineno = 0, header = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!header) { /* the column names */
            header = 1;
            continue;
        }
        bench_ref_row row;
        char regret[64];
        if (sscanf(line, "%31[^\t]\t%d\t%d\t%63[^\t\n]", row.function, &row.budget, &row.seed, regret) != 4) {
            fprintf(stderr, "%s:%d: expected function, budget, seed, regret separated by tabs\n", path, lineno);
            fclose(f);
            return -1;
        }
        char *end;
        row.regret = strtod(regret, &end);
        if (end == regret || (*end && *end != '\t')) {
            fprintf(stderr, "%s:%d: regret '%s' is not a number\n", path, lineno, regret);
            fclose(f);
            return -1;
        }
        if (r->n < BENCH_REF_MAX)
            r->rows[r->n++] = row;
    }
    fclose(f);
    return r->n;
}

/* The regrets of one function and budget into out (at most max); their count. */
static inline int bench_ref_select(const bench_ref *r, const char *function, int budget, double *out, int max)
{
    int n = 0;
    for (int i = 0; i < r->n && n < max; i++)
        if (r->rows[i].budget == budget && strcmp(r->rows[i].function, function) == 0)
            out[n++] = r->rows[i].regret;
    return n;
}

/* One-sided Mann-Whitney U test of "a tends to be larger than b" (for
 * regrets: a is worse), normal approximation with midranks for ties and a
 * continuity correction. Returns the p-value (NaN if either sample is empty). */
static inline double bench_mann_whitney_greater(const double *a, int na, const double *b, int nb)
{
    if (na <= 0 || nb <= 0)
        return NAN;
    int n = na + nb;
    double *v = malloc((size_t)n * sizeof *v);
    int *from_a = malloc((size_t)n * sizeof *from_a);
    if (!v || !from_a) {
        free(v);
        free(from_a);
        return NAN;
    }
    for (int i = 0; i < na; i++)
        v[i] = a[i], from_a[i] = 1;
    for (int j = 0; j < nb; j++)
        v[na + j] = b[j], from_a[na + j] = 0;
    /* insertion sort: samples are small */
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k] < v[k - 1]; k--) {
            double tv = v[k];
            v[k] = v[k - 1], v[k - 1] = tv;
            int tf = from_a[k];
            from_a[k] = from_a[k - 1], from_a[k - 1] = tf;
        }
    double rank_sum_a = 0.0, ties = 0.0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && v[j + 1] == v[i])
            j++;
        double midrank = 0.5 * (double)(i + j) + 1.0;
        for (int k = i; k <= j; k++)
            if (from_a[k])
                rank_sum_a += midrank;
        double t = (double)(j - i + 1);
        ties += t * t * t - t;
        i = j + 1;
    }
    free(v);
    free(from_a);
    double u = rank_sum_a - 0.5 * (double)na * (double)(na + 1);
    double mu = 0.5 * (double)na * (double)nb;
    double var = (double)na * (double)nb / 12.0 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
    if (!(var > 0.0))
        return 0.5;
    double z = (u - mu - 0.5) / sqrt(var);
    return 0.5 * erfc(z / sqrt(2.0));
}

/* The overhead TSV (function, params, seed, median CPU ms per model-based
 * iteration, mean CPU ms per evaluation): the median over seeds of the
 * per-iteration column for rows with `params` parameters; NaN if none. */
static inline double bench_ref_overhead_ms(const char *path, int params, int *n_seeds, char *function,
                                           size_t function_len)
{
    *n_seeds = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return NAN;
    char line[1024];
    double v[256];
    int n = 0, header = 0;
    while (fgets(line, sizeof line, f) && n < 256) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!header) {
            header = 1;
            continue;
        }
        char fn[32];
        int p, seed;
        double ms;
        if (sscanf(line, "%31[^\t]\t%d\t%d\t%lf", fn, &p, &seed, &ms) == 4 && p == params && isfinite(ms)) {
            v[n++] = ms;
            snprintf(function, function_len, "%s", fn);
        }
    }
    fclose(f);
    *n_seeds = n;
    return bench_percentile(v, n, 50);
}

#endif
