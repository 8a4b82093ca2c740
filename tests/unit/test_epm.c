/*
 * Run history -> model training data (src/epm/): rows per run, success
 * states per objective, TIMEOUT rows and the only-timeouts case, RUNNING /
 * CAPPED / warm-start runs, budget selection with min_samples_model and the
 * SH lower-budget states, every response transform against hand-computed
 * values (numpy's percentile included), the truncated-normal mean against
 * numerical integration, the censored-data imputation against a replay of
 * its loop, x_best, instance features, argument errors, buffer reuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs/cs_internal.h"
#include "epm/epm_data.h"
#include "epm/truncnorm.h"
#include "model/rf_model.h"
#include "runhistory/runhistory.h"
#include "util/log.h"

/* ------------------------------------------------------------ helpers */

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%.17g != %.17g (tolerance %g)", got, want, tol);
}

static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fmax(1.0, fabs(want))))
        fail_msg("%.17g != %.17g (relative tolerance %g)", got, want, rel);
}

/* x in [0, 1], c in {a, b}, r in [0, 1] active only when c = a. */
typedef struct fixture {
    smac_cs *cs;
    smac_runhistory *rh;
    int ix, ic, ir;
    smac_epm_data d;
    smac_epm_options o;
} fixture;

static smac_cs *space(void)
{
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    const char *ab[] = {"a", "b"}, *a[] = {"a"};
    cs_cond_spec cond = {.op = CS_COND_EQ, .parent = "c", .n_values = 1, .values = a};
    smac_cs *cs = NULL;
    if (!b || smac_cs_builder_add_real(b, "x", 0, 1, 1, 0.5, 0, 0, &err) ||
        smac_cs_builder_add_categorical(b, "c", 2, ab, NULL, "b", NULL, &err) ||
        smac_cs_builder_add_real(b, "r", 0, 1, 1, 0.5, 0, 0, &err) ||
        smac_cs_builder_add_condition(b, "r", &cond, &err) || smac_cs_builder_finish(b, SMAC_CS_PCS, &cs, &err)) {
        fprintf(stderr, "space: %s\n", err.message);
        cs = NULL;
    }
    smac_cs_builder_free(b);
    return cs;
}

static smac_runhistory *new_history(const smac_cs *cs, int runtime, double cutoff, double par)
{
    smac_rh_options ro;
    smac_rh_options_init(&ro);
    ro.run_obj_runtime = runtime;
    ro.cutoff = cutoff;
    ro.par_factor = par;
    return smac_runhistory_new(cs, &ro);
}

static int setup_with(void **state, int runtime, double cutoff, double par)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->cs = space()))
        return -1;
    if (!(f->rh = new_history(f->cs, runtime, cutoff, par)))
        return -1;
    f->ix = smac_cs_param_index(f->cs, "x");
    f->ic = smac_cs_param_index(f->cs, "c");
    f->ir = smac_cs_param_index(f->cs, "r");
    smac_epm_data_init(&f->d);
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    *state = f;
    return 0;
}

static int setup_quality(void **state)
{
    return setup_with(state, 0, INFINITY, 10.0);
}

static int setup_runtime(void **state)
{
    return setup_with(state, 1, 10.0, 10.0);
}

static int teardown(void **state)
{
    fixture *f = *state;
    smac_epm_data_free(&f->d);
    smac_runhistory_free(f->rh);
    smac_cs_free(f->cs);
    free(f);
    return 0;
}

/* A configuration: c = a (0) makes r active, c = b (1) leaves it NaN. */
static int config(fixture *f, double x, int c, double r)
{
    double v[3];
    v[f->ix] = x;
    v[f->ic] = c;
    v[f->ir] = c == 0 ? r : NAN;
    int id = 0;
    assert_true(smac_rh_intern_config(f->rh, v, "Random Search", &id) >= 0);
    return id;
}

static void add_run(fixture *f, int id, const char *inst, int64_t seed, double budget, double cost, double time,
                    smac_status st, smac_rh_origin origin)
{
    smac_run_value v = {cost, time, st, 0.0, 0.0, NULL};
    smac_error err = {0};
    int rc = smac_rh_add(f->rh, id, inst, seed, budget, &v, origin, 0, &err);
    if (rc < 0)
        fail_msg("add: %s", err.message);
}

static void add(fixture *f, int id, int64_t seed, double cost, smac_status st)
{
    add_run(f, id, NULL, seed, 0.0, cost, cost, st, SMAC_RH_INTERNAL);
}

static void build(fixture *f)
{
    smac_error err = {0};
    if (smac_epm_build(f->rh, &f->o, NULL, NULL, &f->d, &err) != 0)
        fail_msg("build: %s", err.message);
}

static smac_rf_model *new_model(const smac_cs *cs, const double *features, int n_inst, int n_feat, int log_y,
                                uint64_t seed)
{
    smac_rf_model_options mo;
    smac_rf_model_default_options(&mo);
    mo.forest.log_y = log_y;
    mo.forest.seed = seed;
    smac_error err = {0};
    smac_rf_model *m = smac_rf_model_new(cs, features, n_inst, n_feat, &mo, &err);
    if (!m)
        fail_msg("model: %s", err.message);
    return m;
}

/* ------------------------------------------------------- rows per run */

static void test_rows_per_run(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.25, 0, 0.75), b = config(f, 0.5, 1, 0);
    add(f, a, 1, 3.0, SMAC_STATUS_SUCCESS);
    add(f, b, 1, 5.0, SMAC_STATUS_SUCCESS);
    add(f, a, 2, 4.0, SMAC_STATUS_SUCCESS);
    add(f, a, 3, 1.0, SMAC_STATUS_SUCCESS);
    add(f, b, 2, 2.0, SMAC_STATUS_SUCCESS);
    build(f);
    assert_int_equal(f->d.n_rows, 5);
    assert_int_equal(f->d.n_params, 3);
    assert_int_equal(f->d.n_success, 5);
    assert_int_equal(f->d.n_timeout, 0);
    assert_int_equal(f->d.n_censored, 0);
    assert_false(f->d.imputed);
    const double want_y[] = {3, 5, 4, 1, 2};
    const int want_id[] = {a, b, a, a, b};
    for (int i = 0; i < 5; i++) {
        assert_close(f->d.y[i], want_y[i], 0);
        assert_int_equal(f->d.config_ids[i], want_id[i]);
        assert_int_equal((int)f->d.run_index[i], i);
        assert_int_equal(f->d.instance[i], -1);
        const double *row = f->d.X + 3 * i, *vec = smac_rh_config(f->rh, want_id[i]);
        for (int j = 0; j < 3; j++)
            if (isnan(vec[j]))
                assert_true(isnan(row[j])); /* inactive stays NaN: the model imputes it */
            else
                assert_close(row[j], vec[j], 0);
    }
    assert_true(isnan(f->d.X[3 * 1 + f->ir]));
    assert_close(f->d.X[3 * 0 + f->ir], 0.75, 0);
    /* x_best candidates: each configuration once, ascending ids. */
    assert_int_equal(f->d.n_configs, 2);
    assert_int_equal(f->d.x_ids[0], a);
    assert_int_equal(f->d.x_ids[1], b);
    assert_close(f->d.x_configs[f->ix], 0.25, 0);
    assert_close(f->d.x_configs[3 + f->ix], 0.5, 0);
    assert_close(f->d.budget, 0.0, 0);
    assert_int_equal(f->d.n_budget_runs, 5);
}

static void test_empty_history(void **state)
{
    fixture *f = *state;
    build(f);
    assert_int_equal(f->d.n_rows, 0);
    assert_int_equal(f->d.n_configs, 0);
    smac_rf_model *m = new_model(f->cs, NULL, 0, 0, 0, 1);
    double eta = 0;
    smac_error err = {0};
    assert_int_equal(smac_epm_x_best(&f->d, m, &eta, NULL, &err), SMAC_ERR_INVALID);
    smac_rf_model_free(m);
}

/* ---------------------------------------------------- success states */

static void add_every_status(fixture *f, int id)
{
    /* cost = status value, so a row's y names its status */
    for (int s = SMAC_STATUS_SUCCESS; s <= SMAC_STATUS_RUNNING; s++)
        add(f, id, s, (double)s, (smac_status)s);
}

static int has_y(const smac_epm_data *d, double y)
{
    for (int i = 0; i < d->n_rows; i++)
        if (d->y[i] == y)
            return 1;
    return 0;
}

static void test_success_states_quality(void **state)
{
    fixture *f = *state;
    add_every_status(f, config(f, 0.1, 1, 0));
    build(f);
    /* SUCCESS, CRASHED, MEMOUT; TIMEOUT only with a cutoff; never ABORT,
     * CAPPED, DONOTADVANCE (outside SH), STOP, RUNNING. */
    assert_int_equal(f->d.n_rows, 3);
    assert_true(has_y(&f->d, SMAC_STATUS_SUCCESS));
    assert_true(has_y(&f->d, SMAC_STATUS_CRASHED));
    assert_true(has_y(&f->d, SMAC_STATUS_MEMOUT));

    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 1);
    build(f);
    assert_int_equal(f->d.n_rows, 4);
    assert_true(has_y(&f->d, SMAC_STATUS_DONOTADVANCE));
}

static void test_success_states_runtime(void **state)
{
    fixture *f = *state;
    add_every_status(f, config(f, 0.1, 1, 0));
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    assert_int_equal(f->o.transform, SMAC_Y_LOG);
    assert_true(f->o.impute_censored);
    f->o.transform = SMAC_Y_COST;
    f->o.impute_censored = 0;
    build(f);
    /* Only SUCCESS: the TIMEOUT run's time (2) is below the cutoff (10). */
    assert_int_equal(f->d.n_rows, 1);
    assert_close(f->d.y[0], 1.0, 0);
}

/* ------------------------------------------------------ TIMEOUT rows */

static void test_timeout_rows_runtime(void **state)
{
    fixture *f = *state;
    f->o.transform = SMAC_Y_COST;
    f->o.impute_censored = 0;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.9, 1, 0);
    add_run(f, a, NULL, 1, 0, 100.0, 10.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL); /* time >= cutoff */
    add_run(f, a, NULL, 2, 0, 3.0, 3.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 0, 100.0, 9.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL); /* below: no row */
    add_run(f, b, NULL, 2, 0, 100.0, 12.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 3, 0, 4.0, 4.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    build(f);
    /* S rows first, then T rows with their stored (PARX) cost */
    assert_int_equal(f->d.n_rows, 4);
    assert_int_equal(f->d.n_success, 2);
    assert_int_equal(f->d.n_timeout, 2);
    assert_close(f->d.y[0], 3, 0);
    assert_close(f->d.y[1], 4, 0);
    assert_close(f->d.y[2], 100, 0);
    assert_close(f->d.y[3], 100, 0);
    assert_int_equal((int)f->d.run_index[2], 0);
    assert_int_equal((int)f->d.run_index[3], 3);

    /* With LogCost the T rows are ln(cost) too. */
    f->o.transform = SMAC_Y_LOG;
    build(f);
    assert_close(f->d.y[0], log(3.0), 1e-15);
    assert_close(f->d.y[2], log(100.0), 1e-15);
}

static void test_timeout_rows_quality(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.1, 1, 0);
    add_run(f, a, NULL, 1, 0, 7.0, 50.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 2, 0, 8.0, INFINITY, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 3, 0, 1.0, 1.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    /* No cutoff reads as an infinite one: a finite time never reaches it,
     * and the infinite time makes the row unusable (its time is not finite). */
    build(f);
    assert_int_equal(f->d.n_rows, 1);
    assert_int_equal(f->d.n_timeout, 0);
    assert_int_equal(f->d.n_skipped, 1);
    /* With a cutoff, a TIMEOUT at or beyond it is a row with its cost. */
    f->o.cutoff = 50.0;
    build(f);
    assert_int_equal(f->d.n_rows, 2);
    assert_int_equal(f->d.n_timeout, 1);
    assert_close(f->d.y[1], 7.0, 0);
}

static void test_only_timeouts(void **state)
{
    fixture *f = *state;
    f->o.transform = SMAC_Y_LOG_SCALED;
    f->o.impute_censored = 0;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.7, 1, 0);
    add_run(f, a, NULL, 1, 0, 100.0, 10.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 0, 50.0, 11.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 2, 0, 2.0, 2.0, SMAC_STATUS_CRASHED, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 3, 0, 2.0, 2.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
    build(f);
    assert_int_equal(f->d.n_rows, 2);
    assert_int_equal(f->d.n_success, 0);
    assert_int_equal(f->d.n_timeout, 2);
    /* First build: statistics from the T values {100, 50}. */
    assert_true(f->d.stats.valid);
    assert_close(f->d.stats.min, 50, 0);
    assert_close(f->d.stats.max, 100, 0);
    assert_close(f->d.stats.perc, 52.5, 1e-12);
    double m = 50 - 2.5 - 1e-10;
    assert_close(f->d.y[0], log((100 - m) / (100 - m)), 1e-12);
    assert_close(f->d.y[1], log((50 - m) / (100 - m)), 1e-12);
    assert_int_equal(f->d.n_configs, 2);

    /* A later build without S rows keeps the statistics it has. */
    add_run(f, a, NULL, 5, 0, 20.0, 20.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    build(f);
    assert_close(f->d.stats.min, 20, 0);
    smac_runhistory *only_t = new_history(f->cs, 1, 10.0, 10.0);
    smac_runhistory *keep = f->rh;
    int id = 0;
    double v[3] = {0.3, 1, NAN};
    assert_true(smac_rh_intern_config(only_t, v, NULL, &id) >= 0);
    smac_run_value t = {500.0, 10.0, SMAC_STATUS_TIMEOUT, 0, 0, NULL};
    assert_int_equal(smac_rh_add(only_t, id, NULL, 1, 0, &t, SMAC_RH_INTERNAL, 0, NULL), 1);
    f->rh = only_t;
    build(f);
    f->rh = keep;
    smac_runhistory_free(only_t);
    assert_int_equal(f->d.n_rows, 1);
    assert_close(f->d.stats.min, 20, 0);
    assert_close(f->d.stats.max, 20, 0);
    double m20 = 20.0 - (20.0 - 20.0) - 1e-10;
    assert_rel(f->d.y[0], log((500 - m20) / (20 - m20)), 1e-12);
}

/* --------------------------------------- RUNNING, CAPPED, origins */

static void test_running_capped_origins(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.2, 1, 0), c = config(f, 0.3, 1, 0);
    add_run(f, a, NULL, 1, 0, 1.0, 1.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 2, 0, 0.0, 0.0, SMAC_STATUS_RUNNING, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 3, 0, 9.0, 0.5, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 0, 2.0, 2.0, SMAC_STATUS_SUCCESS, SMAC_RH_EXTERNAL_SAME);
    add_run(f, c, NULL, 1, 0, 3.0, 3.0, SMAC_STATUS_SUCCESS, SMAC_RH_EXTERNAL_DIFFERENT);
    add_run(f, c, NULL, 2, 0, 4.0, 4.0, SMAC_STATUS_RUNNING, SMAC_RH_EXTERNAL_SAME);
    build(f);
    /* Warm-start imports are model data; placeholders and capped runs are not. */
    assert_int_equal(f->d.n_rows, 3);
    assert_close(f->d.y[0], 1, 0);
    assert_close(f->d.y[1], 2, 0);
    assert_close(f->d.y[2], 3, 0);
    assert_int_equal(f->d.config_ids[2], c);
    assert_int_equal(f->d.n_configs, 3);
    assert_int_equal(f->d.n_budget_runs, 6);
}

static void test_nonfinite_costs_skipped(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.1, 1, 0);
    add(f, a, 1, NAN, SMAC_STATUS_SUCCESS);
    add(f, a, 2, 2.0, SMAC_STATUS_SUCCESS);
    add(f, a, 3, INFINITY, SMAC_STATUS_CRASHED);
    build(f);
    assert_int_equal(f->d.n_rows, 1);
    assert_int_equal(f->d.n_skipped, 2);
    assert_close(f->d.y[0], 2.0, 0);
}

/* ------------------------------------------------------------ budgets */

static void test_budget_selection(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.2, 1, 0), c = config(f, 0.3, 1, 0);
    add_run(f, a, NULL, 1, 1.0, 11, 11, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 1.0, 12, 12, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 1, 3.0, 31, 31, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 3.0, 32, 32, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, c, NULL, 1, 3.0, 33, 33, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 1, 9.0, 91, 91, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 27.0, 0, 0, SMAC_STATUS_RUNNING, SMAC_RH_INTERNAL);
    add_run(f, c, NULL, 1, 27.0, 5, 5, SMAC_STATUS_ABORT, SMAC_RH_INTERNAL);

    f->o.min_samples_model = 1; /* budget 27 has entries but no rows: 9 it is */
    build(f);
    assert_close(f->d.budget, 9.0, 0);
    assert_int_equal(f->d.n_rows, 1);
    assert_close(f->d.y[0], 91, 0);
    assert_int_equal(f->d.n_budget_runs, 1);

    f->o.min_samples_model = 2;
    build(f);
    assert_close(f->d.budget, 3.0, 0);
    assert_int_equal(f->d.n_rows, 3);
    assert_close(f->d.y[2], 33, 0);
    assert_int_equal(f->d.n_configs, 3);

    f->o.min_samples_model = 4; /* nowhere enough: no rows, budget kept */
    build(f);
    assert_int_equal(f->d.n_rows, 0);
    assert_int_equal(f->d.n_configs, 0);
    assert_close(f->d.budget, 3.0, 0);

    f->o.min_samples_model = 0; /* anything goes: the highest budget, even empty */
    build(f);
    assert_close(f->d.budget, 27.0, 0);
    assert_int_equal(f->d.n_rows, 0);
    assert_int_equal(f->d.n_budget_runs, 2);
}

static void test_budget_sh_lower_states(void **state)
{
    fixture *f = *state;
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 1);
    f->o.cutoff = 100.0;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.2, 1, 0), c = config(f, 0.3, 1, 0), e = config(f, 0.4, 1, 0);
    add_run(f, a, NULL, 1, 1.0, 1, 1, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);      /* lower state */
    add_run(f, b, NULL, 1, 3.0, 2, 2, SMAC_STATUS_DONOTADVANCE, SMAC_RH_INTERNAL); /* success + lower */
    add_run(f, c, NULL, 1, 3.0, 3, 3, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);      /* success only */
    add_run(f, a, NULL, 1, 9.0, 9, 9, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, e, NULL, 1, 3.0, 4, 4, SMAC_STATUS_CRASHED, SMAC_RH_INTERNAL);      /* success + lower */
    add_run(f, b, NULL, 1, 9.0, 8, 8, SMAC_STATUS_DONOTADVANCE, SMAC_RH_INTERNAL);
    /* Budget 9: its 2 S rows + 3 lower-budget rows = 5; budget 3: 3 + 1 = 4. */
    f->o.min_samples_model = 5;
    build(f);
    assert_close(f->d.budget, 9.0, 0);
    /* S at 9 (history order), then the lower-budget rows (history order) */
    const double want9[] = {9, 8, 1, 2, 4};
    assert_int_equal(f->d.n_rows, 5);
    assert_int_equal(f->d.n_success, 5);
    for (int i = 0; i < 5; i++)
        assert_close(f->d.y[i], want9[i], 0);
    assert_int_equal(f->d.n_configs, 3); /* a, b, e */
    f->o.min_samples_model = 4;
    build(f);
    assert_close(f->d.budget, 9.0, 0);

    /* A higher budget also collects every lower budget's rows, 9 included;
     * its run never enters a lower budget's data. */
    add_run(f, c, NULL, 1, 27.0, 5, 5, SMAC_STATUS_MEMOUT, SMAC_RH_INTERNAL);
    f->o.min_samples_model = 5;
    build(f);
    assert_close(f->d.budget, 27.0, 0);
    const double want27[] = {5, 1, 2, 4, 8};
    assert_int_equal(f->d.n_rows, 5);
    for (int i = 0; i < 5; i++)
        assert_close(f->d.y[i], want27[i], 0);
    assert_int_equal(f->d.n_configs, 4);
    f->o.min_samples_model = 6;
    build(f);
    assert_int_equal(f->d.n_rows, 0);

    /* Outside SH the lower budgets add nothing: budget 27 has 1 row. */
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    build(f);
    assert_close(f->d.budget, 27.0, 0);
    assert_int_equal(f->d.n_rows, 1);
}

/* ------------------------------------------------------- percentiles */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_percentile(void **state)
{
    (void)state;
    double v1[] = {50, 10, 40, 30, 20};
    assert_close(smac_epm_percentile(v1, 5, 5), 12.0, 1e-12);
    double v2[] = {50, 10, 40, 30, 20};
    assert_close(smac_epm_percentile(v2, 5, 95), 48.0, 1e-12);
    double v3[] = {2, 1};
    assert_close(smac_epm_percentile(v3, 2, 5), 1.05, 1e-15);
    double v4[] = {7};
    assert_close(smac_epm_percentile(v4, 1, 5), 7, 0);
    double v5[] = {3, 1, 2};
    assert_close(smac_epm_percentile(v5, 3, 5), 1.1, 1e-15);
    double v6[21];
    for (int i = 0; i < 21; i++)
        v6[i] = 20 - i;
    assert_close(smac_epm_percentile(v6, 21, 5), 1.0, 0);
    double v7[] = {4, 4, 4, 1, 4, 4, 9, 4};
    assert_close(smac_epm_percentile(v7, 8, 0), 1, 0);
    double v8[] = {4, 4, 4, 1, 4, 4, 9, 4};
    assert_close(smac_epm_percentile(v8, 8, 100), 9, 0);
    double v9[] = {4, 4, 4, 1, 4, 4, 9, 4};
    assert_close(smac_epm_percentile(v9, 8, 5), 1 + 3 * 0.35, 1e-15);
    assert_true(isnan(smac_epm_percentile(v9, 0, 5)));

    /* Against a sort, on random data with many ties. */
    uint64_t s = 12345;
    for (int trial = 0; trial < 200; trial++) {
        int n = 1 + trial % 37;
        double v[40], sorted[40];
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            v[i] = (double)((s >> 33) % 7);
            sorted[i] = v[i];
        }
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
        double p = (trial * 7) % 101;
        double virt = (n - 1) * (p / 100.0);
        int lo = (int)floor(virt);
        int hi = lo + 1 < n ? lo + 1 : lo;
        double want = sorted[lo] + (sorted[hi] - sorted[lo]) * (virt - lo);
        assert_close(smac_epm_percentile(v, n, p), want, 1e-12);
    }
}

/* -------------------------------------------------------- transforms */

static void test_transform_cost_and_log(void **state)
{
    (void)state;
    smac_epm_stats st = {NAN, NAN, NAN, 0};
    double c[] = {-3, 0, 2.5};
    assert_int_equal(smac_epm_transform_values(SMAC_Y_COST, &st, c, 3), 0);
    assert_close(c[0], -3, 0);
    assert_close(c[2], 2.5, 0);

    /* A value <= 0 in the group floors every value below 1e-5 ... */
    double g1[] = {0, 1e-6, 2, -4};
    assert_int_equal(smac_epm_transform_values(SMAC_Y_LOG, &st, g1, 4), 1);
    assert_close(g1[0], log(1e-5), 1e-15);
    assert_close(g1[1], log(1e-5), 1e-15);
    assert_close(g1[2], log(2.0), 1e-15);
    assert_close(g1[3], log(1e-5), 1e-15);
    /* ... but without one, small positive values stay. */
    double g2[] = {1e-6, 2};
    assert_int_equal(smac_epm_transform_values(SMAC_Y_LOG, &st, g2, 2), 0);
    assert_close(g2[0], log(1e-6), 1e-15);
    assert_close(g2[1], log(2.0), 1e-15);
}

static void test_transform_scaled(void **state)
{
    (void)state;
    double raw[] = {50, 10, 40, 30, 20};
    smac_epm_stats st = {10, 50, 12, 1};
    double m = 10.0 - (12.0 - 10.0) - 1e-10;
    double ls[5], inv[5];
    memcpy(ls, raw, sizeof raw);
    memcpy(inv, raw, sizeof raw);
    smac_epm_transform_values(SMAC_Y_LOG_SCALED, &st, ls, 5);
    smac_epm_transform_values(SMAC_Y_INV_SCALED, &st, inv, 5);
    for (int i = 0; i < 5; i++) {
        double v = (raw[i] - m) / (50.0 - m);
        assert_close(ls[i], log(v), 1e-14);
        assert_close(inv[i], 1.0 - 1.0 / v, 1e-14);
    }
    /* Hand values: min 10 -> ln(2/42), 1 - 42/2; max -> 0. */
    assert_close(ls[1], log(2.0 / 42.0), 1e-9);
    assert_close(inv[1], 1.0 - 21.0, 1e-7);
    assert_close(ls[0], 0.0, 1e-15);
    assert_close(inv[0], 0.0, 1e-15);

    /* min == max: m = min - 1e-10 still differs from max ... */
    smac_epm_stats eq = {5, 5, 5, 1};
    double y5[] = {5, 6};
    smac_epm_transform_values(SMAC_Y_LOG_SCALED, &eq, y5, 2);
    assert_close(y5[0], 0.0, 0);
    assert_rel(y5[1], log((6 - (5 - 1e-10)) / 1e-10), 1e-6);
    /* ... unless 1e-10 is below max's ulp: then m = max (1 - 1e-10). */
    smac_epm_stats big = {1e7, 1e7, 1e7, 1};
    double y7[] = {1e7, 1e7 + 1};
    smac_epm_transform_values(SMAC_Y_LOG_SCALED, &big, y7, 2);
    assert_close(y7[0], 0.0, 0);
    assert_close(y7[1], log(1001.0), 1e-6);
    double i7[] = {1e7, 1e7 + 1};
    smac_epm_transform_values(SMAC_Y_INV_SCALED, &big, i7, 2);
    assert_close(i7[0], 0.0, 0);
    assert_close(i7[1], 1.0 - 1.0 / 1001.0, 1e-9);

    /* No statistics yet: NaN, never a silent guess. */
    smac_epm_stats none = {0, 0, 0, 0};
    double y0[] = {3};
    smac_epm_transform_values(SMAC_Y_LOG_SCALED, &none, y0, 1);
    assert_true(isnan(y0[0]));
}

static void test_transform_in_build(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.1, 1, 0), b = config(f, 0.6, 1, 0);
    const double costs[] = {50, 10, 40, 30, 20};
    for (int i = 0; i < 5; i++)
        add(f, i % 2 ? a : b, i, costs[i], SMAC_STATUS_SUCCESS);
    f->o.transform = SMAC_Y_LOG_SCALED;
    build(f);
    assert_close(f->d.stats.min, 10, 0);
    assert_close(f->d.stats.max, 50, 0);
    assert_close(f->d.stats.perc, 12, 1e-12);
    double m = 8.0 - 1e-10;
    for (int i = 0; i < 5; i++)
        assert_close(f->d.y[i], log((costs[i] - m) / (50 - m)), 1e-14);
    /* smac_epm_transform: one cost the same way (eta without prediction) */
    assert_close(smac_epm_transform(&f->d, 30), log((30 - m) / (50 - m)), 1e-14);

    f->o.transform = SMAC_Y_INV_SCALED;
    build(f);
    assert_close(f->d.y[1], 1 - (42 + 1e-10) / (2 + 1e-10), 1e-9);
    assert_close(smac_epm_transform(&f->d, 50), 0.0, 1e-15);

    f->o.transform = SMAC_Y_LOG;
    build(f);
    assert_close(f->d.y[0], log(50.0), 1e-15);
    assert_close(smac_epm_transform(&f->d, 0.0), log(1e-5), 1e-15);
    assert_close(smac_epm_transform(&f->d, 1e-7), log(1e-7), 1e-15);

    f->o.transform = SMAC_Y_COST;
    build(f);
    assert_close(smac_epm_transform(&f->d, -2.0), -2.0, 0);
}

static void test_log_floor_per_group(void **state)
{
    fixture *f = *state;
    f->o.transform = SMAC_Y_LOG;
    f->o.cutoff = 1.0;
    int a = config(f, 0.1, 1, 0);
    add_run(f, a, NULL, 1, 0, 1e-6, 1e-6, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 2, 0, 0.0, 2.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, a, NULL, 3, 0, 3e-6, 2.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    smac_log_level lv = smac_log_get_level();
    smac_log_set_level(SMAC_LOG_ERROR); /* the floor warns; keep the output clean */
    build(f);
    smac_log_set_level(lv);
    /* The S group has no value <= 0: 1e-6 stays. The T group has one: both floored. */
    assert_int_equal(f->d.n_rows, 3);
    assert_close(f->d.y[0], log(1e-6), 1e-15);
    assert_close(f->d.y[1], log(1e-5), 1e-15);
    assert_close(f->d.y[2], log(1e-5), 1e-15);
}

/* ------------------------------------------------ truncated normal */

/* E[X | a <= X <= b] for X ~ N(0, 1) by composite Simpson, with the
 * density scaled by its value at the bound nearest 0 so far tails do not
 * underflow. Infinite bounds are cut where the density is below 1e-30 of it. */
static double simpson_mean(double a, double b)
{
    double x0 = (a > 0) ? a : (b < 0 ? b : 0.0);
    double span = 40.0 / fmax(1.0, fabs(x0));
    if (isinf(a))
        a = (b < 0 ? b : 0.0) - span - (b < 0 ? 0 : 12);
    if (isinf(b))
        b = (a > 0 ? a : 0.0) + span + (a > 0 ? 0 : 12);
    int n = 200000;
    double h = (b - a) / n, s0 = 0, s1 = 0;
    for (int i = 0; i <= n; i++) {
        double x = a + i * h;
        double w = exp(-0.5 * (x - x0) * (x + x0));
        double c = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        s0 += c * w;
        s1 += c * w * x;
    }
    return s1 / s0;
}

static void test_truncnorm_against_integration(void **state)
{
    (void)state;
    const double cases[][2] = {
        {-1, 1},      {0, 2},      {-3, -1},       {1, 4},         {-0.5, 3},     {2, INFINITY},
        {-INFINITY, -2}, {-INFINITY, 0.5}, {-1, INFINITY}, {8, 9},      {12, INFINITY}, {30, 31},
        {38, INFINITY}, {-40, -39},  {-60, -50},     {25, 25.5},     {-INFINITY, -35}, {5, 5.01},
        {-10, 10},   {0.2, 0.3},  {-7, 1e-3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double a = cases[i][0], b = cases[i][1];
        double got = smac_std_truncnorm_mean(a, b), want = simpson_mean(a, b);
        if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want))))
            fail_msg("[%g, %g]: %.17g, integration %.17g", a, b, got, want);
        /* the mean lies inside the interval */
        assert_true(got >= a && got <= b);
    }
    /* closed forms */
    assert_close(smac_std_truncnorm_mean(-INFINITY, INFINITY), 0.0, 1e-15);
    assert_close(smac_std_truncnorm_mean(0, INFINITY), sqrt(2 / M_PI), 1e-15);
    assert_close(smac_std_truncnorm_mean(-INFINITY, 0), -sqrt(2 / M_PI), 1e-15);
    assert_close(smac_std_truncnorm_mean(-2, 2), 0.0, 1e-15);
    /* very far tails: the inverse Mills ratio a + 1/a - 2/a^3 + ... */
    double a = 1e4;
    assert_rel(smac_std_truncnorm_mean(a, INFINITY), a + 1 / a - 2 / (a * a * a), 1e-15);
    assert_rel(smac_std_truncnorm_mean(-INFINITY, -a), -(a + 1 / a - 2 / (a * a * a)), 1e-15);
    /* narrow intervals: nearly the midpoint, no 0/0 */
    double nm = smac_std_truncnorm_mean(3, 3 + 1e-12);
    assert_true(nm > 3 && nm < 3 + 1e-12);
    assert_close(smac_std_truncnorm_mean(40, 40 + 1e-9), 40 + 0.5e-9, 1e-12);
    /* invalid intervals */
    assert_true(isnan(smac_std_truncnorm_mean(1, 1)));
    assert_true(isnan(smac_std_truncnorm_mean(2, 1)));
    assert_true(isnan(smac_std_truncnorm_mean(NAN, 1)));
}

static void test_truncnorm_scaled(void **state)
{
    (void)state;
    /* N(2, 3) on [1, 20] = 2 + 3 * std mean on [-1/3, 6] */
    assert_close(smac_truncnorm_mean(2, 3, 1, 20), 2 + 3 * simpson_mean(-1.0 / 3.0, 6.0), 1e-9);
    /* a run capped far above the prediction: just above the censored value */
    double far = smac_truncnorm_mean(-5, 0.1, 3, 6);
    assert_true(far > 3 && far < 3.01);
    assert_true(isnan(smac_truncnorm_mean(0, 0, -1, 1)));
    assert_true(isnan(smac_truncnorm_mean(0, -1, -1, 1)));
    assert_true(isnan(smac_truncnorm_mean(NAN, 1, -1, 1)));
    assert_true(isnan(smac_truncnorm_mean(0, INFINITY, -1, 1)));
    assert_true(isnan(smac_truncnorm_mean(0, 1, 3, 3)));
    assert_true(isnan(smac_truncnorm_mean(0, 1, 4, 3)));
}

static void test_erfcx(void **state)
{
    (void)state;
    const double xs[] = {0, 0.1, 0.5, 1, 2, 5, 10, 20, 24.9};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        assert_rel(smac_erfcx(xs[i]), exp(xs[i] * xs[i]) * erfc(xs[i]), 1e-13);
#if LDBL_MANT_DIG >= 64 && LDBL_MAX_10_EXP > 4400
    /* x87 long double reaches erfc(100) ~ 1e-4345: an 11-digit-better reference */
    for (double x = 20.0; x <= 100.0; x += 2.5) {
        long double lx = x;
        assert_rel(smac_erfcx(x), (double)(expl(lx * lx) * erfcl(lx)), 1e-14);
    }
#endif
    for (double x = 1000.0; x < 1e12; x *= 3.7) {
        double s = 1 - 1 / (2 * x * x) + 3 / (4 * pow(x, 4));
        assert_rel(smac_erfcx(x), s / (x * sqrt(M_PI)), 1e-15);
    }
    /* continuity where the method changes */
    assert_rel(smac_erfcx(25.0), smac_erfcx(nextafter(25.0, 0)), 1e-14);
    assert_rel(smac_erfcx(-1.5), 2 * exp(2.25) - smac_erfcx(1.5), 1e-14);
    assert_true(isinf(smac_erfcx(-30)));
    assert_close(smac_erfcx(INFINITY), 0, 0);
    assert_true(isnan(smac_erfcx(NAN)));
}

/* ---------------------------------------------------------- imputation */

/* A runtime history: SUCCESS runs with time 1 + 4x, CAPPED runs (time 2,
 * below the cutoff 10) and TIMEOUT runs at the cutoff (cost 100, PAR10). */
static void runtime_history(fixture *f, int *n_s, int *n_c, int *n_t)
{
    *n_s = *n_c = *n_t = 0;
    for (int i = 0; i < 12; i++) {
        double x = (i + 0.5) / 12.0;
        int id = config(f, x, i % 2, 0.5);
        for (int seed = 1; seed <= 2; seed++) {
            double t = 1 + 4 * x + 0.1 * seed;
            add_run(f, id, NULL, seed, 0, t, t, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
            (*n_s)++;
        }
    }
    for (int i = 0; i < 3; i++) {
        int id = config(f, 0.9 + 0.03 * i, 1, 0);
        add_run(f, id, NULL, 1, 0, 2.0, 2.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
        (*n_c)++;
        add_run(f, id, NULL, 2, 0, 100.0, 10.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
        (*n_t)++;
    }
    int slow = config(f, 0.99, 0, 0.1);
    add_run(f, slow, NULL, 1, 0, 100.0, 10.5, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    (*n_t)++;
    add_run(f, slow, NULL, 2, 0, 9.0, 12.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL); /* >= cutoff: no row */
}

static int build_imputed(fixture *f, smac_rf_model *m, smac_error *err)
{
    return smac_epm_build(f->rh, &f->o, NULL, m, &f->d, err);
}

/* The imputer's loop replayed by hand on a twin model (same seed), so the
 * imputed values and the stop rule are checked, not just their bounds. */
static void replay_imputation(fixture *f, int max_iter, double change_threshold, const double *cens,
                              double *out, int *iterations, int *trainings, double *change)
{
    const smac_epm_data *d = &f->d;
    int n_u = d->n_success, n_c = d->n_rows - d->n_success;
    double cutoff = log(10.0), threshold = log(10.0) + log(10.0);
    smac_rf_model *twin = new_model(f->cs, NULL, 0, 0, 1, 77);
    double *y = malloc(sizeof(double) * (size_t)d->n_rows);
    double *mu = malloc(sizeof(double) * (size_t)n_c), *var = malloc(sizeof(double) * (size_t)n_c);
    assert_non_null(y);
    assert_non_null(mu);
    assert_non_null(var);
    memcpy(y, d->y, sizeof(double) * (size_t)n_u);
    smac_error err = {0};
    assert_int_equal(smac_rf_model_train(twin, d->X, NULL, y, n_u, &err), 0);
    *trainings = 1;
    *change = 0;
    for (int it = 1;; it++) {
        assert_int_equal(smac_rf_model_predict(twin, d->X + 3 * n_u, NULL, n_c, mu, var, &err), 0);
        *iterations = it;
        double sum = 0;
        double imp[64];
        assert_true(n_c <= 64);
        for (int i = 0; i < n_c; i++) {
            double v = var[i] < 0.01 ? 0.01 : var[i];
            imp[i] = smac_truncnorm_mean(mu[i], sqrt(v), cens[i], threshold);
            if (!isfinite(imp[i]))
                imp[i] = fmax(cens[i], mu[i]);
            if (it > 1)
                sum += fabs(imp[i] - y[n_u + i]) / y[n_u + i];
        }
        if (it > 1)
            *change = sum / n_c;
        for (int i = 0; i < n_c; i++)
            y[n_u + i] = imp[i] >= threshold ? threshold : imp[i];
        if (!(it == 1 || *change > change_threshold))
            break;
        assert_int_equal(smac_rf_model_train(twin, d->X, NULL, y, n_u + n_c, &err), 0);
        (*trainings)++;
        if (it + 1 > max_iter)
            break;
    }
    for (int i = 0; i < n_c; i++)
        out[i] = y[n_u + i] >= cutoff ? threshold : y[n_u + i];
    free(y);
    free(mu);
    free(var);
    smac_rf_model_free(twin);
}

static void check_imputation(fixture *f, int max_iter, double change_threshold)
{
    int n_s, n_c, n_t;
    runtime_history(f, &n_s, &n_c, &n_t);
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    f->o.impute_max_iter = max_iter;
    f->o.impute_change_threshold = change_threshold;
    smac_rf_model *m = new_model(f->cs, NULL, 0, 0, 1, 77);
    smac_error err = {0};
    if (build_imputed(f, m, &err) != 0)
        fail_msg("build: %s", err.message);
    const smac_epm_data *d = &f->d;
    assert_int_equal(d->n_rows, n_s + n_c + n_t);
    assert_int_equal(d->n_success, n_s);
    assert_int_equal(d->n_censored, n_c);
    assert_int_equal(d->n_timeout, n_t);
    assert_true(d->imputed);
    double cutoff = log(10.0), threshold = log(10.0) + log(10.0);
    double cens[64];
    for (int i = 0; i < n_c + n_t; i++) {
        const smac_rh_run *r = smac_rh_run_at(f->rh, d->run_index[n_s + i]);
        assert_int_equal(r->value.status, i < n_c ? SMAC_STATUS_CAPPED : SMAC_STATUS_TIMEOUT);
        cens[i] = log(r->value.time);
        double y = d->y[n_s + i];
        assert_true(isfinite(y));
        assert_true(y >= cens[i] - 1e-12); /* never faster than observed */
        assert_true(y <= threshold);
        if (y >= cutoff)
            assert_close(y, threshold, 0); /* beyond the cutoff: the PAR value */
    }
    for (int i = n_s + n_c; i < d->n_rows; i++) /* timeouts are censored at the cutoff itself */
        assert_close(d->y[i], threshold, 0);
    for (int i = 0; i < n_s; i++)
        assert_close(d->y[i], log(smac_rh_run_at(f->rh, d->run_index[i])->value.cost), 1e-15);
    /* x_best candidates exclude configurations that only have CAPPED rows
     * (none here: every capped config also has a timeout row). */
    assert_int_equal(d->n_configs, 12 + 3 + 1);

    double want[64];
    int iterations, trainings;
    double change;
    replay_imputation(f, max_iter, change_threshold, cens, want, &iterations, &trainings, &change);
    assert_int_equal(d->impute_info.iterations, iterations);
    assert_int_equal(d->impute_info.trainings, trainings);
    assert_close(d->impute_info.change, change, 1e-15);
    for (int i = 0; i < n_c + n_t; i++)
        assert_close(d->y[n_s + i], want[i], 1e-15);
    smac_rf_model_free(m);
}

static void test_impute_default_loop(void **state)
{
    check_imputation(*state, 2, 0.01);
    fixture *f = *state;
    assert_int_equal(f->d.impute_info.iterations, 2);
    assert_true(f->d.impute_info.trainings == 2 || f->d.impute_info.trainings == 3);
}

static void test_impute_stops_on_small_change(void **state)
{
    check_imputation(*state, 2, 1e9);
    fixture *f = *state;
    /* round 2 sees a change below the threshold: no retraining */
    assert_int_equal(f->d.impute_info.iterations, 2);
    assert_int_equal(f->d.impute_info.trainings, 2);
}

static void test_impute_runs_all_rounds(void **state)
{
    check_imputation(*state, 3, -INFINITY);
    fixture *f = *state;
    assert_int_equal(f->d.impute_info.iterations, 3);
    assert_int_equal(f->d.impute_info.trainings, 4);
}

static void test_impute_one_round(void **state)
{
    check_imputation(*state, 1, 0.01);
    fixture *f = *state;
    assert_int_equal(f->d.impute_info.iterations, 1);
    assert_int_equal(f->d.impute_info.trainings, 2);
    assert_close(f->d.impute_info.change, 0, 0);
}

static void test_no_capped_no_imputation(void **state)
{
    fixture *f = *state;
    int a = config(f, 0.2, 1, 0), b = config(f, 0.8, 1, 0);
    add_run(f, a, NULL, 1, 0, 3.0, 3.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 1, 0, 100.0, 10.0, SMAC_STATUS_TIMEOUT, SMAC_RH_INTERNAL);
    add_run(f, b, NULL, 2, 0, 9.0, 12.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL); /* time >= cutoff */
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    build(f); /* no model needed: nothing to impute */
    assert_false(f->d.imputed);
    assert_int_equal(f->d.n_rows, 2);
    assert_close(f->d.y[0], log(3.0), 1e-15);
    assert_close(f->d.y[1], log(100.0), 1e-15); /* the stored PAR10 cost, ln */
}

static void test_impute_only_capped(void **state)
{
    /* CAPPED runs but no SUCCESS: nothing to learn from, no rows at all
     * (S empty -> T only, and there is no T). */
    fixture *f = *state;
    int a = config(f, 0.2, 1, 0);
    add_run(f, a, NULL, 1, 0, 2.0, 2.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    build(f);
    assert_int_equal(f->d.n_rows, 0);
}

static void test_impute_needs_model(void **state)
{
    fixture *f = *state;
    int n_s, n_c, n_t;
    runtime_history(f, &n_s, &n_c, &n_t);
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    smac_error err = {0};
    assert_int_equal(smac_epm_build(f->rh, &f->o, NULL, NULL, &f->d, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "model"));
}

static void test_impute_direct_errors(void **state)
{
    fixture *f = *state;
    smac_rf_model *m = new_model(f->cs, NULL, 0, 0, 1, 3);
    double X[6], y[2] = {1, 0}, cy[1] = {1}, work[3];
    for (int i = 0; i < 2; i++) {
        X[3 * i + f->ix] = 0.1 * (i + 1);
        X[3 * i + f->ic] = 1;
        X[3 * i + f->ir] = NAN;
    }
    smac_epm_impute_params p = {log(10), 2 * log(10), 2, 0.01, 0.01};
    smac_error err = {0};
    smac_epm_impute_info info;
    /* nothing censored: nothing to do, no training */
    assert_int_equal(smac_epm_impute(m, X, NULL, y, 1, 0, cy, &p, work, &info, &err), 0);
    assert_int_equal(info.trainings, 0);
    assert_false(smac_rf_model_is_trained(m));
    assert_int_equal(smac_epm_impute(m, X, NULL, y, 0, 1, cy, &p, work, &info, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_epm_impute(NULL, X, NULL, y, 1, 1, cy, &p, work, &info, &err), SMAC_ERR_INVALID);
    p.max_iter = 0;
    assert_int_equal(smac_epm_impute(m, X, NULL, y, 1, 1, cy, &p, work, &info, &err), SMAC_ERR_INVALID);
    /* the model's own error comes through (non-finite response) */
    p.max_iter = 2;
    y[0] = NAN;
    assert_true(smac_epm_impute(m, X, NULL, y, 1, 1, cy, &p, work, &info, &err) < 0);
    smac_rf_model_free(m);
}

/* -------------------------------------------------------------- x_best */

static void test_x_best(void **state)
{
    fixture *f = *state;
    int ids[6];
    for (int i = 0; i < 6; i++) {
        ids[i] = config(f, i / 5.0, i % 2, 0.3);
        for (int s = 1; s <= 3; s++)
            add(f, ids[i], s, (i - 2.4) * (i - 2.4) + 0.1 * s, SMAC_STATUS_SUCCESS);
    }
    /* a capped-only config is no candidate */
    add_run(f, config(f, 0.05, 1, 0), NULL, 1, 0, 0.0, 0.0, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
    build(f);
    assert_int_equal(f->d.n_configs, 6);
    smac_rf_model *m = new_model(f->cs, NULL, 0, 0, 0, 5);
    smac_error err = {0};
    double eta = 0;
    int best = 0;
    assert_int_equal(smac_epm_x_best(&f->d, m, &eta, &best, &err), SMAC_ERR_INVALID); /* untrained */
    assert_int_equal(smac_rf_model_train(m, f->d.X, f->d.instance, f->d.y, f->d.n_rows, &err), 0);
    assert_int_equal(smac_epm_x_best(&f->d, m, &eta, &best, &err), 0);
    double mean[6], lowest = INFINITY;
    int want = 0;
    for (int i = 0; i < 6; i++) {
        assert_int_equal(smac_rf_model_predict_marginal(m, smac_rh_config(f->rh, ids[i]), 1, &mean[i], NULL, &err),
                         0);
        assert_close(f->d.x_mean[i], mean[i], 0);
        if (mean[i] < lowest) {
            lowest = mean[i];
            want = ids[i];
        }
    }
    assert_close(eta, lowest, 0);
    assert_int_equal(best, want);
    assert_int_equal(smac_epm_x_best(&f->d, m, &eta, NULL, &err), 0);
    assert_int_equal(smac_epm_x_best(&f->d, NULL, &eta, NULL, &err), SMAC_ERR_INVALID);
    smac_rf_model_free(m);
}

/* ---------------------------------------------------- instance features */

static void test_instance_features(void **state)
{
    fixture *f = *state;
    const char *names[] = {"i1", "i2", "i3"};
    const double feats[] = {0.0, 1.0, 1.0, 0.0, 0.5, 0.5};
    smac_epm_instance_map map = {0};
    smac_error err = {0};
    int a = config(f, 0.1, 1, 0), b = config(f, 0.9, 1, 0);
    add_run(f, a, "i2", 1, 0, 2.0, 2.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    add_run(f, a, "elsewhere", 1, 0, 7.0, 7.0, SMAC_STATUS_SUCCESS, SMAC_RH_EXTERNAL_SAME);
    add_run(f, b, "i1", 1, 0, 3.0, 3.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    f->o.n_features = 2;
    assert_int_equal(smac_epm_build(f->rh, &f->o, NULL, NULL, &f->d, &err), SMAC_ERR_INVALID);

    assert_int_equal(smac_epm_instance_map_update(&map, f->rh, names, 3, &err), 0);
    assert_int_equal(map.n, 3);
    int *before = map.row;
    assert_int_equal(smac_epm_instance_map_update(&map, f->rh, names, 3, &err), 0); /* no news */
    assert_ptr_equal(map.row, before);
    assert_int_equal(smac_epm_build(f->rh, &f->o, &map, NULL, &f->d, &err), 0);
    /* the run on an instance without features is skipped, not an error */
    assert_int_equal(f->d.n_rows, 2);
    assert_int_equal(f->d.n_skipped, 1);
    assert_int_equal(f->d.instance[0], 1);
    assert_int_equal(f->d.instance[1], 0);

    /* a new instance of the history becomes known on the next update */
    add_run(f, b, "i3", 1, 0, 4.0, 4.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    assert_int_equal(smac_epm_build(f->rh, &f->o, &map, NULL, &f->d, &err), 0); /* stale map: skipped */
    assert_int_equal(f->d.n_rows, 2);
    assert_int_equal(f->d.n_skipped, 2);
    assert_int_equal(smac_epm_instance_map_update(&map, f->rh, names, 3, &err), 0);
    assert_int_equal(map.n, 4);
    assert_int_equal(smac_epm_build(f->rh, &f->o, &map, NULL, &f->d, &err), 0);
    assert_int_equal(f->d.n_rows, 3);
    assert_int_equal(f->d.instance[2], 2);

    /* the rows train a model with features, and x_best marginalises */
    smac_rf_model *m = new_model(f->cs, feats, 3, 2, 0, 9);
    assert_int_equal(smac_rf_model_train(m, f->d.X, f->d.instance, f->d.y, f->d.n_rows, &err), 0);
    double eta;
    int best;
    assert_int_equal(smac_epm_x_best(&f->d, m, &eta, &best, &err), 0);
    assert_true(best == a || best == b);
    smac_rf_model_free(m);
    assert_int_equal(smac_epm_instance_map_update(&map, NULL, names, 3, &err), SMAC_ERR_INVALID);
    smac_epm_instance_map_free(&map);
}

static void test_imputation_with_features(void **state)
{
    fixture *f = *state;
    const char *names[] = {"i1", "i2"};
    const double feats[] = {0.0, 1.0, 1.0, 0.0};
    smac_error err = {0};
    for (int i = 0; i < 8; i++) {
        int id = config(f, i / 8.0, 1, 0);
        add_run(f, id, "i1", 1, 0, 1 + i, 1 + i, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
        add_run(f, id, "i2", 1, 0, 2 + i, 2 + i, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL);
    }
    int slow = config(f, 0.95, 1, 0);
    add_run(f, slow, "i2", 1, 0, 1.5, 1.5, SMAC_STATUS_CAPPED, SMAC_RH_INTERNAL);
    smac_epm_instance_map map = {0};
    assert_int_equal(smac_epm_instance_map_update(&map, f->rh, names, 2, &err), 0);
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    f->o.n_features = 2;
    smac_rf_model *m = new_model(f->cs, feats, 2, 2, 1, 11);
    if (smac_epm_build(f->rh, &f->o, &map, m, &f->d, &err) != 0)
        fail_msg("build: %s", err.message);
    assert_true(f->d.imputed);
    assert_int_equal(f->d.n_rows, 17);
    assert_int_equal(f->d.instance[16], 1);
    assert_true(f->d.y[16] >= log(1.5));
    assert_true(f->d.y[16] <= 2 * log(10.0));
    smac_rf_model_free(m);
    smac_epm_instance_map_free(&map);
}

/* -------------------------------------------------- real SMAC3 output */

#define MIXED_DIR SMAC_SHARED_DIR "/fixtures/smac3-v1.1-psmac-mixed-runtime"

/* The 20 training instances' names and features (instances-train.txt,
 * features.txt: "instance,dx,dy,speed"). Returns the number read. */
static int read_train_features(char names[][64], double *feats)
{
    FILE *fi = fopen(MIXED_DIR "/instances-train.txt", "r");
    FILE *ff = fopen(MIXED_DIR "/features.txt", "r");
    assert_non_null(fi);
    assert_non_null(ff);
    char line[512];
    int n = 0;
    while (n < 32 && fgets(line, sizeof line, fi)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0]) {
            assert_true(strlen(line) < 64);
            memcpy(names[n++], line, strlen(line) + 1);
        }
    }
    int found = 0;
    while (fgets(line, sizeof line, ff)) {
        line[strcspn(line, "\r\n")] = 0;
        char *comma = strchr(line, ',');
        if (!comma)
            continue;
        *comma = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(names[i], line) == 0) {
                char *p = comma + 1, *end;
                for (int j = 0; j < 3; j++) {
                    feats[3 * i + j] = strtod(p, &end);
                    assert_true(end != p);
                    p = *end == ',' ? end + 1 : end;
                }
                found++;
            }
    }
    fclose(fi);
    fclose(ff);
    assert_int_equal(found, n);
    return n;
}

static void test_smac3_runtime_history(void **state)
{
    (void)state;
    FILE *probe = fopen(MIXED_DIR "/mixed.pcs", "r");
    if (!probe) {
        printf("skipped: %s not found\n", MIXED_DIR);
        return;
    }
    fclose(probe);
    smac_error err = {0};
    smac_cs *cs = NULL;
    if (smac_cs_read_file(MIXED_DIR "/mixed.pcs", SMAC_CS_AUTO, &cs, &err) != 0)
        fail_msg("pcs: %s", err.message);
    smac_runhistory *rh = new_history(cs, 1, 5.0, 10.0);
    assert_non_null(rh);
    if (smac_rh_load_json(rh, MIXED_DIR "/smac3-output_2026-11-29_22:37:17_696342/run_1/runhistory.json",
                          SMAC_RH_INTERNAL, NULL, &err) != 0 ||
        smac_rh_load_json(rh, MIXED_DIR "/smac3-output_2026-11-29_22:37:17_690919/run_2/runhistory.json",
                          SMAC_RH_EXTERNAL_SAME, NULL, &err) != 0)
        fail_msg("runhistory: %s", err.message);

    char names[32][64];
    double feats[32 * 3];
    int n_inst = read_train_features(names, feats);
    const char *name_ptrs[32];
    for (int i = 0; i < n_inst; i++)
        name_ptrs[i] = names[i];
    smac_epm_instance_map map = {0};
    assert_int_equal(smac_epm_instance_map_update(&map, rh, name_ptrs, (size_t)n_inst, &err), 0);

    smac_epm_options o;
    smac_epm_options_init(&o, smac_rh_get_options(rh), SMAC_Y_COST, 0);
    o.n_features = 3;
    smac_rf_model *m = new_model(cs, feats, n_inst, 3, 1, 42);
    smac_epm_data d;
    smac_epm_data_init(&d);
    if (smac_epm_build(rh, &o, &map, m, &d, &err) != 0)
        fail_msg("build: %s", err.message);

    /* brute force over the runs: SUCCESS rows, CAPPED (time < 5) imputed,
     * CRASHED nothing (runtime objective), no TIMEOUT in these files */
    int n_s = 0, n_c = 0;
    for (size_t i = 0; i < smac_rh_size(rh); i++) {
        const smac_rh_run *r = smac_rh_run_at(rh, i);
        n_s += r->value.status == SMAC_STATUS_SUCCESS;
        n_c += r->value.status == SMAC_STATUS_CAPPED && r->value.time < 5.0;
    }
    assert_true(n_c > 0);
    assert_int_equal(d.n_success, n_s);
    assert_int_equal(d.n_censored, n_c);
    assert_int_equal(d.n_timeout, 0);
    assert_int_equal(d.n_rows, n_s + n_c);
    assert_int_equal(d.n_skipped, 0);
    assert_true(d.imputed);
    double threshold = log(5.0) + log(10.0);
    for (int i = 0; i < d.n_rows; i++) {
        const smac_rh_run *r = smac_rh_run_at(rh, d.run_index[i]);
        assert_true(d.instance[i] >= 0 && d.instance[i] < n_inst);
        assert_string_equal(names[d.instance[i]], r->instance_name);
        assert_int_equal(d.config_ids[i], r->config_id);
        if (i < d.n_success) {
            assert_close(d.y[i], log(r->value.cost), 1e-15);
        } else {
            assert_true(d.y[i] >= log(r->value.time) - 1e-12);
            assert_true(d.y[i] <= threshold);
            if (d.y[i] >= log(5.0))
                assert_close(d.y[i], threshold, 0);
        }
    }
    assert_int_equal(smac_rf_model_train(m, d.X, d.instance, d.y, d.n_rows, &err), 0);
    double eta;
    int best;
    assert_int_equal(smac_epm_x_best(&d, m, &eta, &best, &err), 0);
    assert_true(isfinite(eta));
    assert_true(smac_rh_config(rh, best) != NULL);

    smac_epm_data_free(&d);
    smac_rf_model_free(m);
    smac_epm_instance_map_free(&map);
    smac_runhistory_free(rh);
    smac_cs_free(cs);
}

/* ------------------------------------------------------------- errors */

static void test_bad_options(void **state)
{
    fixture *f = *state;
    smac_error err = {0};
    smac_epm_options o = f->o;
    assert_int_equal(smac_epm_check_options(&o, &err), 0);
    assert_int_equal(smac_epm_check_options(NULL, &err), SMAC_ERR_INVALID);
    o.transform = (smac_y_transform)9;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "transform"));
    o = f->o;
    o.min_samples_model = -1;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o = f->o;
    o.cutoff = NAN;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o = f->o;
    o.n_features = -2;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o = f->o;
    o.scale_perc = 101;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o = f->o;
    o.impute_censored = 1; /* quality objective */
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "runtime"));
    o.run_obj_runtime = 1;
    o.cutoff = INFINITY;
    assert_int_equal(smac_epm_check_options(&o, &err), 0);
    o.cutoff = 0;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o.cutoff = 5;
    o.par_factor = 0;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o.par_factor = 10;
    o.impute_max_iter = 0;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o.impute_max_iter = 2;
    o.impute_var_floor = -1;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    o.impute_var_floor = 0.01;
    o.impute_change_threshold = NAN;
    assert_int_equal(smac_epm_check_options(&o, &err), SMAC_ERR_INVALID);
    /* build checks them too, and its own arguments */
    o.impute_change_threshold = 0.01;
    o.run_obj_runtime = 0;
    assert_int_equal(smac_epm_build(f->rh, &o, NULL, NULL, &f->d, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_epm_build(NULL, &f->o, NULL, NULL, &f->d, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_epm_build(f->rh, &f->o, NULL, NULL, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_epm_build(f->rh, NULL, NULL, NULL, &f->d, NULL), SMAC_ERR_INVALID);
    assert_true(isnan(smac_epm_transform(NULL, 1.0)));
    smac_epm_data_free(NULL);
    smac_epm_instance_map_free(NULL);
}

/* ------------------------------------------------- reuse and scale */

static void test_buffers_reused(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 40; i++)
        add(f, config(f, i / 40.0, i % 2, 0.5), 1, i, SMAC_STATUS_SUCCESS);
    build(f);
    double *X = f->d.X, *y = f->d.y, *xc = f->d.x_configs;
    int *ids = f->d.config_ids;
    for (int k = 0; k < 3; k++)
        build(f);
    assert_ptr_equal(f->d.X, X);
    assert_ptr_equal(f->d.y, y);
    assert_ptr_equal(f->d.config_ids, ids);
    assert_ptr_equal(f->d.x_configs, xc);
    assert_int_equal(f->d.n_rows, 40);
}

static void test_large_history(void **state)
{
    fixture *f = *state;
    smac_epm_options_init(&f->o, smac_rh_get_options(f->rh), SMAC_Y_COST, 0);
    int ids[500];
    for (int i = 0; i < 500; i++)
        ids[i] = config(f, (i + 0.5) / 500.0, i % 2, 0.25);
    for (int s = 0; s < 24; s++)
        for (int i = 0; i < 500; i++) {
            double t = 0.5 + (double)((i * 7919 + s * 104729) % 1000) / 100.0;
            smac_status st = t >= 10.0 ? SMAC_STATUS_TIMEOUT : (t > 8.5 ? SMAC_STATUS_CAPPED : SMAC_STATUS_SUCCESS);
            add_run(f, ids[i], NULL, s, 0, st == SMAC_STATUS_TIMEOUT ? 100 : t, t, st, SMAC_RH_INTERNAL);
        }
    smac_rf_model *m = new_model(f->cs, NULL, 0, 0, 1, 1);
    smac_error err = {0};
    f->o.impute_censored = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < 5; k++)
        if (smac_epm_build(f->rh, &f->o, NULL, m, &f->d, &err) != 0)
            fail_msg("build: %s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / 5;
    printf("build of %zu runs without imputation: %.2f ms\n", smac_rh_size(f->rh), ms);
    assert_int_equal(f->d.n_rows + 0, f->d.n_success + f->d.n_timeout);
    assert_int_equal(f->d.n_configs, 500);

    f->o.impute_censored = 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (smac_epm_build(f->rh, &f->o, NULL, m, &f->d, &err) != 0)
        fail_msg("build: %s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("build of %zu runs with imputation (%d censored rows, %d trainings): %.1f ms\n", smac_rh_size(f->rh),
           f->d.n_censored + f->d.n_timeout, f->d.impute_info.trainings,
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    assert_true(f->d.imputed);
    assert_int_equal(f->d.n_rows, 12000);
    for (int i = f->d.n_success; i < f->d.n_rows; i++)
        assert_true(isfinite(f->d.y[i]) && f->d.y[i] <= 2 * log(10.0));
    smac_rf_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows_per_run, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_empty_history, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_success_states_quality, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_success_states_runtime, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_rows_runtime, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_rows_quality, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_only_timeouts, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_running_capped_origins, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_nonfinite_costs_skipped, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_budget_selection, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_budget_sh_lower_states, setup_quality, teardown),
        cmocka_unit_test(test_percentile),
        cmocka_unit_test(test_transform_cost_and_log),
        cmocka_unit_test(test_transform_scaled),
        cmocka_unit_test_setup_teardown(test_transform_in_build, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_log_floor_per_group, setup_quality, teardown),
        cmocka_unit_test(test_truncnorm_against_integration),
        cmocka_unit_test(test_truncnorm_scaled),
        cmocka_unit_test(test_erfcx),
        cmocka_unit_test_setup_teardown(test_impute_default_loop, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_stops_on_small_change, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_runs_all_rounds, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_one_round, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_no_capped_no_imputation, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_only_capped, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_needs_model, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_impute_direct_errors, setup_runtime, teardown),
        cmocka_unit_test_setup_teardown(test_x_best, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_instance_features, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_imputation_with_features, setup_runtime, teardown),
        cmocka_unit_test(test_smac3_runtime_history),
        cmocka_unit_test_setup_teardown(test_bad_options, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_buffers_reused, setup_quality, teardown),
        cmocka_unit_test_setup_teardown(test_large_history, setup_runtime, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
