/*
 * The run history in memory: interning of configurations, SMAC3's add rules
 * (first seen wins, force, RUNNING placeholders, CAPPED), the cached
 * aggregates against a brute-force recomputation over random sequences of
 * adds, budgets, merging, additional_info and the writer's number types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rh_test_util.h"

typedef rh_fixture fixture;
static int setup(void **state) { return rh_test_setup(state); }
static int teardown(void **state) { return rh_test_teardown(state); }

static int intern(smac_runhistory *rh, const double *vec, const char *origin)
{
    int id = -1;
    assert_true(smac_rh_intern_config(rh, vec, origin, &id) >= 0);
    return id;
}

static int add(smac_runhistory *rh, int id, const char *inst, int64_t seed, double budget, double cost,
               smac_status st, int origin, int force)
{
    smac_run_value v = rh_test_value(cost, st);
    smac_error err;
    int rc = smac_rh_add(rh, id, inst, seed, budget, &v, origin, force, &err);
    if (rc < 0)
        fprintf(stderr, "add failed: %s\n", err.message);
    assert_true(rc >= 0);
    return rc;
}

/* ------------------------------------------------------------ interning */

static void test_intern_identity(void **state)
{
    fixture *f = *state;
    double v1[N_PARAMS], v2[N_PARAMS], v3[N_PARAMS];
    int id;
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v1);
    assert_int_equal(smac_rh_intern_config(f->rh, v1, "Default", &id), 1);
    assert_int_equal(id, 1);
    assert_int_equal(smac_rh_intern_config(f->rh, v1, "Random Search", &id), 0);
    assert_int_equal(id, 1);
    assert_string_equal(smac_rh_config_origin(f->rh, 1), "Default"); /* the first origin stays */

    /* -0.0 is 0.0 and every NaN is the same "inactive". */
    memcpy(v2, v1, sizeof v1);
    v2[P_SOLVER] = -0.0;
    v2[P_BOOST] = -NAN;
    assert_int_equal(intern(f->rh, v2, NULL), 1);

    /* Two unit values that decode to the same integer are one configuration;
     * the first vector is the one kept. */
    memcpy(v2, v1, sizeof v1);
    v2[P_N] = v1[P_N] + 1e-6;
    assert_int_equal(intern(f->rh, v2, NULL), 1);
    assert_true(smac_rh_config(f->rh, 1)[P_N] == v1[P_N]);

    /* A different value is a different configuration, with the next id. */
    rh_test_vec(f->cs, 9, 0, 1, 0.0, NAN, v3);
    assert_int_equal(smac_rh_intern_config(f->rh, v3, NULL, &id), 1);
    assert_int_equal(id, 2);
    assert_null(smac_rh_config_origin(f->rh, 2));
    assert_int_equal(smac_rh_find_config(f->rh, v3), 2);
    rh_test_vec(f->cs, 9, 1, 1, 0.0, NAN, v3);
    assert_int_equal(smac_rh_find_config(f->rh, v3), 0);
    assert_int_equal(smac_rh_n_configs(f->rh), 2);
    assert_int_equal(smac_rh_max_config_id(f->rh), 2);
    assert_int_equal(smac_rh_config_ids(f->rh)[0], 1);
    assert_int_equal(smac_rh_config_ids(f->rh)[1], 2);
    assert_null(smac_rh_config(f->rh, 3));
    assert_null(smac_rh_config(f->rh, 0));
    assert_int_equal(smac_rh_intern_config(f->rh, NULL, NULL, &id), SMAC_ERR_INVALID);
}

static void test_intern_many(void **state)
{
    fixture *f = *state;
    smac_rng rng;
    smac_rng_seed(&rng, 7, 0);
    enum { N = 3000 };
    static double vecs[N][N_PARAMS];
    int ids[N];
    for (int i = 0; i < N; i++) {
        /* Few distinct values per parameter so that many repeat. */
        int use = (int)smac_rng_below(&rng, 2);
        int solver = (int)smac_rng_below(&rng, use == 0 ? 2 : 3);
        rh_test_vec(f->cs, 1 + (double)smac_rng_below(&rng, 64), solver, use, (double)smac_rng_below(&rng, 11) - 5,
                    use == 0 ? 0.01 * (double)(1 + smac_rng_below(&rng, 3)) : NAN, vecs[i]);
        ids[i] = intern(f->rh, vecs[i], NULL);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(smac_rh_find_config(f->rh, vecs[i]), ids[i]);
        for (int j = i + 1; j < N && j < i + 40; j++)
            assert_true((ids[i] == ids[j]) == (memcmp(vecs[i], vecs[j], sizeof vecs[i]) == 0));
    }
    /* Ids are dense, 1..n, in order of first appearance. */
    int n = smac_rh_n_configs(f->rh), max = 0;
    for (int i = 0; i < N; i++) {
        assert_true(ids[i] <= max + 1);
        if (ids[i] > max)
            max = ids[i];
    }
    assert_int_equal(max, n);
    assert_true(n > 1000 && n < N);
}

static void test_instances(void **state)
{
    fixture *f = *state;
    int a, b, none;
    assert_int_equal(smac_rh_intern_instance(f->rh, "a.cnf", &a), 0);
    assert_int_equal(smac_rh_intern_instance(f->rh, "b.cnf", &b), 0);
    assert_int_equal(smac_rh_intern_instance(f->rh, NULL, &none), 0);
    assert_int_equal(none, -1);
    assert_int_not_equal(a, b);
    assert_int_equal(smac_rh_find_instance(f->rh, "a.cnf"), a);
    assert_int_equal(smac_rh_find_instance(f->rh, "c.cnf"), -2);
    assert_int_equal(smac_rh_find_instance(f->rh, NULL), -1);
    assert_string_equal(smac_rh_instance_name(f->rh, b), "b.cnf");
    assert_null(smac_rh_instance_name(f->rh, -1));
    assert_null(smac_rh_instance_name(f->rh, 5));
    assert_int_equal(smac_rh_n_instances(f->rh), 2);
}

/* ------------------------------------------------------------ add rules */

static void test_add_first_seen_and_force(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, "Default");
    assert_int_equal(add(f->rh, id, "i1", 0, 0, 1.0, SMAC_STATUS_SUCCESS, 0, 0), 1);
    assert_int_equal(add(f->rh, id, "i1", 0, 0, 5.0, SMAC_STATUS_SUCCESS, 0, 0), 0); /* ignored */
    assert_true(smac_rh_find(f->rh, id, "i1", 0, 0)->value.cost == 1.0);
    assert_int_equal(add(f->rh, id, "i1", 0, 0, 5.0, SMAC_STATUS_SUCCESS, 0, 1), 1); /* forced */
    assert_true(smac_rh_find(f->rh, id, "i1", 0, 0)->value.cost == 5.0);
    assert_true(smac_rh_cost(f->rh, id) == 5.0); /* not counted twice */
    assert_int_equal(smac_rh_n_runs(f->rh, id), 1);
    assert_int_equal((int)smac_rh_size(f->rh), 1);
    /* -0.0 budget is the key of budget 0. */
    assert_int_equal(add(f->rh, id, "i1", 0, -0.0, 7.0, SMAC_STATUS_SUCCESS, 0, 0), 0);
    assert_non_null(smac_rh_find(f->rh, id, "i1", 0, -0.0));
    assert_null(smac_rh_find(f->rh, id, "i1", 1, 0));
    assert_null(smac_rh_find(f->rh, id, "nope", 0, 0));
    assert_null(smac_rh_find(f->rh, id + 1, "i1", 0, 0));
}

static void test_running_placeholder(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, "Default");
    add(f->rh, id, "i1", 0, 0, 2.0, SMAC_STATUS_SUCCESS, 0, 0);
    /* Submitted: a RUNNING placeholder that does not count. */
    assert_int_equal(add(f->rh, id, "i2", 0, 0, 2147483647.0, SMAC_STATUS_RUNNING, 0, 0), 1);
    assert_true(smac_rh_cost(f->rh, id) == 2.0);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 1);
    /* The final result replaces it even unforced, and keeps its place. */
    assert_int_equal(add(f->rh, id, "i2", 0, 0, 4.0, SMAC_STATUS_SUCCESS, 0, 0), 1);
    assert_true(smac_rh_cost(f->rh, id) == 3.0);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 2);
    assert_string_equal(smac_rh_run_at(f->rh, 1)->instance_name, "i2");
    assert_int_equal(smac_rh_run_at(f->rh, 1)->value.status, SMAC_STATUS_SUCCESS);
    /* A later placeholder for a finished key is ignored. */
    assert_int_equal(add(f->rh, id, "i2", 0, 0, 2147483647.0, SMAC_STATUS_RUNNING, 1, 0), 0);

    /* A pSMAC peer's placeholder takes the peer's result later (parallel.md §1.4). */
    assert_int_equal(add(f->rh, id, "i3", 0, 0, 2147483647.0, SMAC_STATUS_RUNNING, 1, 0), 1);
    assert_int_equal(add(f->rh, id, "i3", 0, 0, 6.0, SMAC_STATUS_SUCCESS, 1, 0), 1);
    assert_true(smac_rh_cost(f->rh, id) == 4.0);
    assert_int_equal(smac_rh_find(f->rh, id, "i3", 0, 0)->origin, SMAC_RH_EXTERNAL_SAME);

    /* Our own placeholder answered first by a peer, then by our own result
     * (forced, as the optimizer does): the cost counts once, ours wins. */
    add(f->rh, id, "i4", 0, 0, 2147483647.0, SMAC_STATUS_RUNNING, 0, 0);
    add(f->rh, id, "i4", 0, 0, 100.0, SMAC_STATUS_SUCCESS, 1, 0);
    assert_true(smac_rh_cost(f->rh, id) == (2.0 + 4.0 + 6.0 + 100.0) / 4);
    assert_int_equal(add(f->rh, id, "i4", 0, 0, 8.0, SMAC_STATUS_SUCCESS, 0, 1), 1);
    assert_true(smac_rh_cost(f->rh, id) == 5.0);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 4);
    assert_int_equal(smac_rh_find(f->rh, id, "i4", 0, 0)->origin, SMAC_RH_INTERNAL);
}

static void test_capped_rules(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, NULL);
    assert_int_equal(add(f->rh, id, "i", 1, 0, 2.0, SMAC_STATUS_CAPPED, 0, 0), 1);
    assert_true(isnan(smac_rh_cost(f->rh, id))); /* capped runs do not count */
    assert_int_equal(smac_rh_n_runs(f->rh, id), 0);
    assert_int_equal(add(f->rh, id, "i", 1, 0, 1.0, SMAC_STATUS_CAPPED, 0, 0), 0); /* smaller: ignored */
    assert_int_equal(add(f->rh, id, "i", 1, 0, 3.0, SMAC_STATUS_CAPPED, 0, 0), 1); /* larger cutoff wins */
    assert_true(smac_rh_find(f->rh, id, "i", 1, 0)->value.cost == 3.0);
    assert_int_equal(add(f->rh, id, "i", 1, 0, 0.5, SMAC_STATUS_SUCCESS, 1, 0), 1); /* uncapped wins */
    assert_true(smac_rh_cost(f->rh, id) == 0.5);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 1);
    assert_int_equal(add(f->rh, id, "i", 1, 0, 9.0, SMAC_STATUS_CAPPED, 0, 0), 0);
    /* A forced capped result over a counted one makes the pair disappear. */
    assert_int_equal(add(f->rh, id, "i", 1, 0, 9.0, SMAC_STATUS_CAPPED, 0, 1), 1);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 0);
    assert_true(isnan(smac_rh_cost(f->rh, id)));
    assert_true(isnan(smac_rh_min_cost(f->rh, id)));
    size_t n = 99;
    assert_null(smac_rh_config_runs(f->rh, id, &n));
    assert_int_equal((int)n, 0);
}

static void test_origins_counting(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, NULL);
    add(f->rh, id, "i1", 0, 0, 1.0, SMAC_STATUS_SUCCESS, SMAC_RH_INTERNAL, 0);
    add(f->rh, id, "i2", 0, 0, 3.0, SMAC_STATUS_CRASHED, SMAC_RH_EXTERNAL_SAME, 0);
    add(f->rh, id, "i3", 0, 0, 100.0, SMAC_STATUS_SUCCESS, SMAC_RH_EXTERNAL_DIFFERENT, 0);
    assert_true(smac_rh_cost(f->rh, id) == 2.0);
    assert_true(smac_rh_min_cost(f->rh, id) == 1.0);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 2);
    size_t n;
    const smac_rh_isb *runs = smac_rh_config_runs(f->rh, id, &n);
    assert_int_equal((int)n, 2);
    assert_string_equal(smac_rh_instance_name(f->rh, runs[0].instance), "i1");
    assert_string_equal(smac_rh_instance_name(f->rh, runs[1].instance), "i2");
    assert_int_equal((int)smac_rh_size(f->rh), 3);
    /* The warm-start run is stored (model data) but not in the instance list. */
    assert_int_equal(smac_rh_find(f->rh, id, "i3", 0, 0)->origin, SMAC_RH_EXTERNAL_DIFFERENT);
}

static void test_add_errors(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, NULL);
    smac_run_value rv = rh_test_value(1.0, SMAC_STATUS_SUCCESS);
    smac_error err;
    assert_int_equal(smac_rh_add(f->rh, 7, NULL, 0, 0, &rv, 0, 0, &err), SMAC_ERR_INVALID);
    assert_true(rh_test_contains(err.message, "unknown config id 7"));
    rv.status = (smac_status)0;
    assert_int_equal(smac_rh_add(f->rh, id, NULL, 0, 0, &rv, 0, 0, &err), SMAC_ERR_INVALID);
    assert_true(rh_test_contains(err.message, "status 0"));
    rv.status = SMAC_STATUS_SUCCESS;
    assert_int_equal(smac_rh_add(f->rh, id, NULL, 0, NAN, &rv, 0, 0, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_rh_add(f->rh, id, NULL, 0, 0, &rv, 3, 0, &err), SMAC_ERR_INVALID);
    char bad[] = "{\"a\": }";
    rv.additional_info = bad;
    assert_int_equal(smac_rh_add(f->rh, id, NULL, 0, 0, &rv, 0, 0, &err), SMAC_ERR_PARSE);
    assert_true(rh_test_contains(err.message, "additional_info:1:7: expected a value"));
    char extra[] = "{} {}";
    rv.additional_info = extra;
    assert_int_equal(smac_rh_add(f->rh, id, NULL, 0, 0, &rv, 0, 0, &err), SMAC_ERR_PARSE);
    assert_true(rh_test_contains(err.message, "extra data"));
    assert_int_equal((int)smac_rh_size(f->rh), 0);
    assert_int_equal(smac_rh_add(NULL, id, NULL, 0, 0, &rv, 0, 0, &err), SMAC_ERR_INVALID);
}

static void test_additional_info_canonical(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, NULL);
    smac_run_value rv = rh_test_value(1.0, SMAC_STATUS_SUCCESS);
    char info[] = " {\"b\" :[1,2.50, -0 ,1E2 ], \"a\":\"\\u00e9\\/\xc3\xa9\", \"n\": null} ";
    rv.additional_info = info;
    assert_int_equal(smac_rh_add(f->rh, id, "i1", 0, 0, &rv, 0, 0, NULL), 1);
    assert_string_equal(smac_rh_find(f->rh, id, "i1", 0, 0)->value.additional_info,
                        "{\"b\": [1, 2.5, 0, 100.0], \"a\": \"\\u00e9/\\u00e9\", \"n\": null}");
    char empty[] = " { } ", null_text[] = "null";
    rv.additional_info = empty;
    smac_rh_add(f->rh, id, "i2", 0, 0, &rv, 0, 0, NULL);
    assert_string_equal(smac_rh_find(f->rh, id, "i2", 0, 0)->value.additional_info, "{}");
    rv.additional_info = null_text;
    smac_rh_add(f->rh, id, "i3", 0, 0, &rv, 0, 0, NULL);
    assert_null(smac_rh_find(f->rh, id, "i3", 0, 0)->value.additional_info);
}

/* --------------------------------------------------------------- budgets */

static void test_budgets(void **state)
{
    fixture *f = *state;
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, NULL);
    add(f->rh, id, "i1", 0, 1.0, 10.0, SMAC_STATUS_SUCCESS, 0, 0);
    add(f->rh, id, "i1", 0, 3.0, 4.0, SMAC_STATUS_SUCCESS, 0, 0);
    add(f->rh, id, "i1", 0, 2.0, 1.0, SMAC_STATUS_SUCCESS, 0, 0);
    /* One pair; its cost is the one at the highest budget; min over all budgets. */
    assert_int_equal(smac_rh_n_runs(f->rh, id), 1);
    assert_true(smac_rh_cost(f->rh, id) == 4.0);
    assert_true(smac_rh_min_cost(f->rh, id) == 1.0);
    size_t n;
    const smac_rh_isb *isb = smac_rh_config_runs(f->rh, id, &n);
    assert_int_equal((int)n, 1);
    assert_true(isb[0].budget == 3.0);
    smac_rh_isb all[8];
    assert_int_equal((int)smac_rh_config_runs_all(f->rh, id, all, 8), 3);
    assert_true(all[0].budget == 1.0 && all[1].budget == 3.0 && all[2].budget == 2.0);
    assert_int_equal((int)smac_rh_config_runs_all(f->rh, id, all, 1), 3); /* the count, even when cut */

    add(f->rh, id, "i2", 5, 1.0, 2.0, SMAC_STATUS_SUCCESS, 0, 0);
    assert_int_equal(smac_rh_n_runs(f->rh, id), 2);
    assert_true(smac_rh_cost(f->rh, id) == 3.0);
    /* The highest budget becomes capped (forced): the pair falls back to budget 2. */
    add(f->rh, id, "i1", 0, 3.0, 50.0, SMAC_STATUS_CAPPED, 0, 1);
    isb = smac_rh_config_runs(f->rh, id, &n);
    assert_int_equal((int)n, 2);
    assert_true(isb[0].budget == 2.0);
    assert_true(smac_rh_cost(f->rh, id) == 1.5);

    /* average_cost / sum_cost over given keys. */
    int i1 = smac_rh_find_instance(f->rh, "i1"), i2 = smac_rh_find_instance(f->rh, "i2");
    smac_rh_isb keys[2] = {{i1, 0, 1.0}, {i2, 5, 1.0}};
    assert_true(smac_rh_average_cost(f->rh, id, keys, 2) == 6.0);
    assert_true(smac_rh_sum_cost(f->rh, id, keys, 2) == 12.0);
    assert_true(isnan(smac_rh_average_cost(f->rh, id, keys, 0)));
    assert_true(smac_rh_sum_cost(f->rh, id, keys, 0) == 0.0);
    keys[1].seed = 6; /* not stored */
    assert_true(isnan(smac_rh_average_cost(f->rh, id, keys, 2)));
    assert_true(isnan(smac_rh_cost(f->rh, 99)));
    assert_int_equal(smac_rh_n_runs(f->rh, 99), 0);
}

/* ------------------------------------------- brute force recomputation */

enum { BF_CFG = 3, BF_INST = 3, BF_SEED = 2, BF_BUDGET = 3, BF_KEYS = BF_CFG * BF_INST * BF_SEED * BF_BUDGET };

typedef struct bf_run {
    int present;
    double cost;
    smac_status status;
    int origin;
} bf_run;

static int bf_index(int c, int i, int s, int b) { return ((c * BF_INST + i) * BF_SEED + s) * BF_BUDGET + b; }

static int bf_counts(const bf_run *r)
{
    return r->present && r->origin != SMAC_RH_EXTERNAL_DIFFERENT && r->status != SMAC_STATUS_CAPPED &&
           r->status != SMAC_STATUS_RUNNING;
}

static int close_to(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) <= 1e-9 * (1 + fabs(b));
}

static void bf_check(smac_runhistory *rh, const bf_run *model, const int *ids, const char *const *inst_names)
{
    static const double budgets[BF_BUDGET] = {0.0, 1.0, 2.0};
    for (int c = 0; c < BF_CFG; c++) {
        double sum = 0, mn = INFINITY;
        int pairs = 0, total = 0;
        size_t n;
        const smac_rh_isb *isb = smac_rh_config_runs(rh, ids[c], &n);
        for (int i = 0; i < BF_INST; i++)
            for (int s = 0; s < BF_SEED; s++) {
                int best = -1;
                for (int b = 0; b < BF_BUDGET; b++) {
                    const bf_run *r = &model[bf_index(c, i, s, b)];
                    if (!bf_counts(r))
                        continue;
                    best = b;
                    total++;
                    if (r->cost < mn)
                        mn = r->cost;
                }
                if (best < 0)
                    continue;
                pairs++;
                sum += model[bf_index(c, i, s, best)].cost;
                /* The pair is listed once, with its highest budget. */
                int found = 0;
                for (size_t k = 0; k < n; k++) {
                    const char *name = smac_rh_instance_name(rh, isb[k].instance);
                    int same_inst = inst_names[i] ? name && strcmp(name, inst_names[i]) == 0 : !name;
                    if (same_inst && isb[k].seed == s) {
                        found++;
                        assert_true(isb[k].budget == budgets[best]);
                    }
                }
                assert_int_equal(found, 1);
            }
        assert_int_equal(smac_rh_n_runs(rh, ids[c]), pairs);
        assert_int_equal((int)n, pairs);
        assert_int_equal((int)smac_rh_config_runs_all(rh, ids[c], NULL, 0), total);
        if (pairs == 0) {
            assert_true(isnan(smac_rh_cost(rh, ids[c])));
            assert_true(isnan(smac_rh_min_cost(rh, ids[c])));
        } else {
            assert_true(close_to(smac_rh_cost(rh, ids[c]), sum / pairs));
            assert_true(close_to(smac_rh_min_cost(rh, ids[c]), mn));
        }
    }
}

static void test_aggregates_vs_brute_force(void **state)
{
    fixture *f = *state;
    static const char *const inst_names[BF_INST] = {NULL, "a", "b"};
    static const double budgets[BF_BUDGET] = {0.0, 1.0, 2.0};
    static const smac_status statuses[] = {SMAC_STATUS_SUCCESS, SMAC_STATUS_SUCCESS, SMAC_STATUS_CRASHED,
                                           SMAC_STATUS_TIMEOUT, SMAC_STATUS_CAPPED, SMAC_STATUS_RUNNING};
    for (int round = 0; round < 6; round++) {
        smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
        assert_non_null(rh);
        int ids[BF_CFG];
        for (int c = 0; c < BF_CFG; c++) {
            double v[N_PARAMS];
            rh_test_vec(f->cs, 2 + c, 0, 1, 0.0, NAN, v);
            ids[c] = intern(rh, v, NULL);
        }
        bf_run model[BF_KEYS];
        memset(model, 0, sizeof model);
        smac_rng rng;
        smac_rng_seed(&rng, 1000 + (uint64_t)round, 0);
        /* Round 0..2: budget 0 only (the running-mean path); 3..5: all budgets. */
        int n_budgets = round < 3 ? 1 : BF_BUDGET;
        for (int step = 0; step < 1500; step++) {
            int c = (int)smac_rng_below(&rng, BF_CFG), i = (int)smac_rng_below(&rng, BF_INST);
            int s = (int)smac_rng_below(&rng, BF_SEED), b = (int)smac_rng_below(&rng, (uint64_t)n_budgets);
            smac_status st = statuses[smac_rng_below(&rng, 6)];
            int origin = (int)smac_rng_below(&rng, 10);
            origin = origin < 6 ? SMAC_RH_INTERNAL : origin < 9 ? SMAC_RH_EXTERNAL_SAME : SMAC_RH_EXTERNAL_DIFFERENT;
            int force = smac_rng_below(&rng, 8) == 0;
            double cost = (double)(1 + smac_rng_below(&rng, 1000)) / 8.0;
            bf_run *r = &model[bf_index(c, i, s, b)];
            int expect = !r->present || force || (r->status == SMAC_STATUS_RUNNING && st != SMAC_STATUS_RUNNING) ||
                         (r->status == SMAC_STATUS_CAPPED && st != SMAC_STATUS_CAPPED) ||
                         (r->status == SMAC_STATUS_CAPPED && st == SMAC_STATUS_CAPPED && cost > r->cost);
            int rc = add(rh, ids[c], inst_names[i], s, budgets[b], cost, st, origin, force);
            assert_int_equal(rc, expect);
            if (expect) {
                r->present = 1;
                r->cost = cost;
                r->status = st;
                r->origin = origin;
            }
            bf_check(rh, model, ids, inst_names);
        }
        /* Every stored value is the model's. */
        int present = 0;
        for (int k = 0; k < BF_KEYS; k++)
            present += model[k].present;
        assert_int_equal((int)smac_rh_size(rh), present);
        for (size_t k = 0; k < smac_rh_size(rh); k++) {
            const smac_rh_run *run = smac_rh_run_at(rh, k);
            int i = run->instance_name ? run->instance_name[0] - 'a' + 1 : 0;
            int b = (int)run->budget;
            const bf_run *m = &model[bf_index(run->config_id - 1, i, (int)run->seed, b)];
            assert_true(m->present && m->cost == run->value.cost && m->status == run->value.status &&
                        m->origin == (int)run->origin);
        }
        smac_runhistory_free(rh);
    }
}

/* -------------------------------------------------------------- merging */

static void test_merge(void **state)
{
    fixture *f = *state;
    smac_runhistory *other = smac_runhistory_new(f->cs, NULL);
    double c1[N_PARAMS], c2[N_PARAMS], c3[N_PARAMS];
    rh_test_vec(f->cs, 1, 0, 1, 1.0, NAN, c1);
    rh_test_vec(f->cs, 2, 1, 0, 2.0, 0.5, c2);
    rh_test_vec(f->cs, 3, 2, 1, 3.0, NAN, c3);
    int a1 = intern(f->rh, c1, "Default"), a2 = intern(f->rh, c2, "Local Search");
    add(f->rh, a1, "i1", 0, 0, 1.0, SMAC_STATUS_SUCCESS, 0, 0);
    add(f->rh, a2, "i1", 0, 0, 2.0, SMAC_STATUS_SUCCESS, 0, 0);
    char *before = smac_rh_to_json(f->rh, NULL);
    assert_non_null(before);

    /* The peer knows c3 as 1 and c2 as 2. */
    int b3 = intern(other, c3, "Random Search"), b2 = intern(other, c2, "Random Search");
    assert_int_equal(b3, 1);
    assert_int_equal(b2, 2);
    add(other, b2, "i1", 0, 0, 99.0, SMAC_STATUS_SUCCESS, 0, 0); /* same key: first seen wins */
    add(other, b2, "i2", 0, 0, 4.0, SMAC_STATUS_SUCCESS, 0, 0);
    add(other, b3, "i1", 0, 0, 5.0, SMAC_STATUS_SUCCESS, 0, 0);
    add(other, b3, "i3", 0, 0, 2147483647.0, SMAC_STATUS_RUNNING, 0, 0);

    int n_new = -1;
    assert_int_equal(smac_rh_merge(f->rh, other, SMAC_RH_EXTERNAL_SAME, &n_new, NULL), 0);
    assert_int_equal(n_new, 3);
    assert_int_equal(smac_rh_n_configs(f->rh), 3);
    assert_int_equal(smac_rh_find_config(f->rh, c3), 3);
    assert_string_equal(smac_rh_config_origin(f->rh, 3), "Random Search");
    assert_string_equal(smac_rh_config_origin(f->rh, 2), "Local Search");
    assert_true(smac_rh_find(f->rh, a2, "i1", 0, 0)->value.cost == 2.0);
    assert_true(smac_rh_cost(f->rh, a2) == 3.0);
    assert_true(smac_rh_cost(f->rh, 3) == 5.0);
    /* Imported runs are never written. */
    char *after = smac_rh_to_json(f->rh, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* Merging again changes nothing; the peer's placeholder result arrives later. */
    assert_int_equal(smac_rh_merge(f->rh, other, SMAC_RH_EXTERNAL_SAME, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    add(other, b3, "i3", 0, 0, 7.0, SMAC_STATUS_SUCCESS, 0, 1);
    assert_int_equal(smac_rh_merge(f->rh, other, SMAC_RH_EXTERNAL_SAME, &n_new, NULL), 0);
    assert_int_equal(n_new, 1);
    assert_true(smac_rh_cost(f->rh, 3) == 6.0);
    assert_int_equal(smac_rh_merge(f->rh, f->rh, 1, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    smac_runhistory_free(other);

    /* A history over a space of another shape cannot be merged. */
    cs_builder *b = smac_cs_builder_new();
    smac_cs *small = NULL;
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, NULL), 0);
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_PCS, &small, NULL), 0);
    smac_cs_builder_free(b);
    smac_runhistory *alien = smac_runhistory_new(small, NULL);
    smac_error err;
    assert_int_equal(smac_rh_merge(f->rh, alien, 1, &n_new, &err), SMAC_ERR_INVALID);
    assert_true(rh_test_contains(err.message, "spaces differ"));
    smac_runhistory_free(alien);
    smac_cs_free(small);
}

/* --------------------------------------------------------------- writer */

static void test_empty_json(void **state)
{
    fixture *f = *state;
    char *text = smac_rh_to_json(f->rh, NULL);
    assert_string_equal(text, "{\n  \"data\": [],\n  \"config_origins\": {},\n  \"configs\": {}\n}");
    free(text);
    /* Configurations without written runs are not written either. */
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(f->rh, v, "Default");
    add(f->rh, id, NULL, 0, 0, 1.0, SMAC_STATUS_SUCCESS, SMAC_RH_EXTERNAL_SAME, 0);
    text = smac_rh_to_json(f->rh, NULL);
    assert_string_equal(text, "{\n  \"data\": [],\n  \"config_origins\": {},\n  \"configs\": {}\n}");
    free(text);
    assert_null(smac_rh_to_json(NULL, NULL));
}

static void test_number_types(void **state)
{
    fixture *f = *state;
    smac_rh_options o;
    smac_rh_options_init(&o);
    o.run_obj_runtime = 1;
    o.cutoff = 5;
    smac_runhistory *rh = smac_runhistory_new(f->cs, &o);
    assert_true(smac_rh_get_options(rh)->run_obj_runtime == 1);
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v);
    int id = intern(rh, v, NULL);
    smac_run_value capped = {10.0, 1.0, SMAC_STATUS_CAPPED, 5.0, 6.0, NULL};
    smac_run_value timeout = {50.0, 50.0, SMAC_STATUS_TIMEOUT, 5.0, 6.0, NULL};
    smac_run_value success = {1.5, 1.5, SMAC_STATUS_SUCCESS, 5.0, 6.0, NULL};
    smac_run_value running = {2147483647.0, 0.0, SMAC_STATUS_RUNNING, 0.0, 0.0, NULL};
    assert_int_equal(smac_rh_add(rh, id, "a", 0, 0, &capped, 0, 0, NULL), 1);
    assert_int_equal(smac_rh_add(rh, id, "b", 0, 0, &timeout, 0, 0, NULL), 1);
    assert_int_equal(smac_rh_add(rh, id, "c", 0, 0, &success, 0, 0, NULL), 1);
    assert_int_equal(smac_rh_add(rh, id, "d", 0, 0, &running, 0, 0, NULL), 1);
    char *text = smac_rh_to_json(rh, NULL);
    assert_true(
        rh_test_contains(text, "\"a\",\n        0,\n        0.0\n      ],\n      [\n        10,\n        1.0,"));
    assert_true(rh_test_contains(text, "[\n        50,\n        50,\n"));
    assert_true(rh_test_contains(text, "[\n        1.5,\n        1.5,\n"));
    assert_true(rh_test_contains(text, "[\n        2147483647.0,\n        0.0,\n"));
    free(text);
    smac_runhistory_free(rh);
    /* A quality scenario keeps floats. */
    rh = smac_runhistory_new(f->cs, NULL);
    id = intern(rh, v, NULL);
    smac_run_value crashed = {2147483647.0, 3.0, SMAC_STATUS_CRASHED, 5.0, 6.0, NULL};
    smac_rh_add(rh, id, NULL, 0, 0, &crashed, 0, 0, NULL);
    text = smac_rh_to_json(rh, NULL);
    assert_true(rh_test_contains(text, "[\n        2147483647.0,\n        3.0,\n"));
    free(text);
    smac_runhistory_free(rh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intern_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intern_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_first_seen_and_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_running_placeholder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capped_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_origins_counting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_additional_info_canonical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aggregates_vs_brute_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_number_types, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
