/*
 * Benchmark of one acquisition optimisation (LocalAndSortedRandomSearch,
 * algorithms.md §9.4) -- the optimiser's own overhead per SMBO iteration,
 * without a model: the callback is a cheap closed-form function (minus a
 * squared distance to a hidden optimum), so the time measured is sampling,
 * sorting, neighbourhood generation and the local-search bookkeeping.
 *
 * Spaces: 10 and 50 parameters, a mix of reals (some log), integers and
 * categoricals. Sizes: 5,000 (SMAC4AC default) and 10,000 (SMAC4HPO) random
 * samples, plus local search from 20 run-history configurations.
 * Prints one line per case, in milliseconds (median of a few repetitions).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acq/acq_optimizer.h"
#include "cs/cs_internal.h"
#include "util/clock.h"

static smac_cs *make_space(int n)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    const char *cats[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < n && b; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%03d", i);
        int rc;
        switch (i % 4) {
        case 0:
            rc = smac_cs_builder_add_real(b, name, 0.0, 1.0, 0, 0, 0, 0, &err);
            break;
        case 1:
            rc = smac_cs_builder_add_real(b, name, 1e-5, 1.0, 0, 0, 1, 0, &err);
            break;
        case 2:
            rc = smac_cs_builder_add_integer(b, name, 1, 1000, 0, 0, 0, 0, &err);
            break;
        default:
            rc = smac_cs_builder_add_categorical(b, name, 5, cats, NULL, NULL, NULL, &err);
            break;
        }
        if (rc) {
            fprintf(stderr, "space: %s\n", err.message);
            smac_cs_builder_free(b);
            return NULL;
        }
    }
    smac_cs *cs = NULL;
    if (!b || smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fprintf(stderr, "space: %s\n", b ? err.message : "out of memory");
    smac_cs_builder_free(b);
    return cs;
}

typedef struct bench_ctx {
    int P;
    double optimum[64];
    long rows;
} bench_ctx;

static void eval(const double *configs, int n, double *values, void *vctx)
{
    bench_ctx *c = vctx;
    c->rows += n;
    for (int i = 0; i < n; i++) {
        const double *x = &configs[(size_t)i * c->P];
        double d = 0.0;
        for (int j = 0; j < c->P; j++) {
            double t = x[j] - c->optimum[j];
            d += t * t;
        }
        values[i] = -d;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_case(int n_params, int num_points)
{
    smac_cs *cs = make_space(n_params);
    if (!cs)
        return 1;
    int P = smac_cs_n_params(cs);
    smac_error err;
    bench_ctx ctx = {.P = P};
    smac_rng r;
    smac_rng_seed(&r, 1, 0);
    if (smac_cs_sample(cs, &r, ctx.optimum, &err) != 0)
        return 1;
    enum { HIST = 20, REPS = 5 };
    double *hist = malloc((size_t)HIST * P * sizeof *hist);
    double cost[HIST];
    for (int i = 0; i < HIST; i++) {
        if (smac_cs_sample(cs, &r, &hist[(size_t)i * P], &err) != 0)
            return 1;
        cost[i] = smac_rng_uniform(&r);
    }
    smac_acq_history h = {hist, HIST, cost};
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 42, NULL, &err);
    smac_acq_list out;
    smac_acq_list_init(&out, P);
    double ms[REPS];
    smac_acq_ls_stats st = {0};
    long rows = 0;
    for (int rep = 0; rep < REPS; rep++) {
        ctx.rows = 0;
        double t0 = smac_clock_monotonic();
        if (smac_acq_maximize(opt, &h, num_points, eval, &ctx, &out, &err) != 0) {
            fprintf(stderr, "maximize: %s\n", err.message);
            return 1;
        }
        ms[rep] = (smac_clock_monotonic() - t0) * 1e3;
        smac_acq_last_local_search(opt, &st);
        rows = ctx.rows;
    }
    qsort(ms, REPS, sizeof *ms, cmp_double);
    printf("acq_optimizer %2d params, %5d random samples + local search: %7.1f ms "
           "(median of %d; %d searches, %ld moves, %ld acquisition evaluations, best %.4g)\n",
           P, num_points, ms[REPS / 2], REPS, st.n_searches, st.steps, rows, out.values[0]);
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    free(hist);
    smac_cs_free(cs);
    return 0;
}

int main(void)
{
    int rc = 0;
    int params[] = {10, 50};
    int points[] = {5000, 10000};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            rc |= run_case(params[i], points[j]);
    return rc;
}
