/* Ask and tell: the loop driven by the caller finds a good configuration,
 * respects the run budget and the number of open trials, refuses bad
 * tells, and is deterministic for a seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "smac.h"
#include "util/log.h"

static const char PCS[] = "x [-5, 10] [2.5]\ny [0, 15] [7.5]\n";

static smac_scenario *scenario(const char *runs, const char *workers, const char *seed)
{
    smac_scenario *sc = smac_scenario_new();
    smac_cs *cs = NULL;
    smac_error err;
    assert_int_equal(smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &cs, &err), 0);
    assert_int_equal(smac_scenario_set_cs(sc, cs, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "deterministic", "true", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "runcount_limit", runs, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "n_workers", workers, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "seed", seed, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "mode", "SMAC4HPO", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "output_dir", "", &err), 0);
    return sc;
}

/* A bowl with its minimum 0 at (x, y) = (1, 4). */
static double bowl(const smac_cs *cs, const double *config)
{
    char text[64];
    double v[2];
    for (int i = 0; i < 2; i++) {
        smac_cs_value_text(cs, i, config[i], text, sizeof text);
        v[i] = strtod(text, NULL);
    }
    int ix = strcmp(smac_cs_param_name(cs, 0), "x") == 0 ? 0 : 1;
    double x = v[ix], y = v[1 - ix];
    return (x - 1) * (x - 1) + (y - 4) * (y - 4);
}

static void test_loop_finds_the_bowl(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("80", "1", "3");
    smac_error err;
    smac_optimizer *opt = smac_optimizer_new(sc, &err);
    assert_non_null(opt);
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &cs, &err), 0);
    smac_trial t;
    int n = 0, rc;
    while ((rc = smac_ask(opt, &t, &err)) == 1) {
        smac_run_value v = {.cost = bowl(cs, t.config), .time = 0.01, .status = SMAC_STATUS_SUCCESS};
        assert_int_equal(smac_tell(opt, &t, &v, &err), 0);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 80);
    double best[2], cost;
    assert_int_equal(smac_optimizer_incumbent(opt, best, &cost), 1);
    /* The default (2.5, 7.5) costs 14.5. */
    print_message("incumbent cost %g\n", cost);
    assert_true(cost < 1.0);
    assert_int_equal(smac_optimizer_finish(opt, &err), 0);
    smac_cs_free(cs);
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
}

static void test_open_trials_are_bounded_by_workers(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("20", "3", "1");
    smac_error err;
    smac_optimizer *opt = smac_optimizer_new(sc, &err);
    assert_non_null(opt);
    smac_trial t[4];
    int asked = 0;
    for (int i = 0; i < 3; i++)
        if (smac_ask(opt, &t[i], &err) == 1)
            asked++;
    assert_true(asked >= 1);
    int rc = smac_ask(opt, &t[3], &err);
    if (asked == 3) {
        assert_int_equal(rc, SMAC_ERR_INVALID);
        assert_non_null(strstr(err.message, "tell their results"));
    }
    /* Telling an unknown trial, twice the same, or a RUNNING result: refused. */
    smac_trial bogus = t[0];
    bogus.token = 999999;
    smac_run_value ok = {.cost = 1.0, .status = SMAC_STATUS_SUCCESS};
    assert_int_equal(smac_tell(opt, &bogus, &ok, &err), SMAC_ERR_INVALID);
    smac_run_value running = {.cost = 1.0, .status = SMAC_STATUS_RUNNING};
    assert_int_equal(smac_tell(opt, &t[0], &running, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_tell(opt, &t[0], &ok, &err), 0);
    assert_int_equal(smac_tell(opt, &t[0], &ok, &err), SMAC_ERR_INVALID);
    for (int i = 1; i < asked; i++)
        assert_int_equal(smac_tell(opt, &t[i], &ok, &err), 0);
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
}

/* The sequence of configurations asked for, for a seed. */
static void sequence(const char *seed, double *xs, int n)
{
    smac_scenario *sc = scenario("15", "1", seed);
    smac_error err;
    smac_optimizer *opt = smac_optimizer_new(sc, &err);
    assert_non_null(opt);
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &cs, &err), 0);
    smac_trial t;
    for (int i = 0; i < n; i++) {
        assert_int_equal(smac_ask(opt, &t, &err), 1);
        xs[2 * i] = t.config[0];
        xs[2 * i + 1] = t.config[1];
        smac_run_value v = {.cost = bowl(cs, t.config), .status = SMAC_STATUS_SUCCESS};
        assert_int_equal(smac_tell(opt, &t, &v, &err), 0);
    }
    smac_cs_free(cs);
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
}

static void test_same_seed_same_trials(void **state)
{
    (void)state;
    double a[30], b[30], c[30];
    sequence("7", a, 15);
    sequence("7", b, 15);
    sequence("8", c, 15);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
}

int main(void)
{
    smac_log_set_level(SMAC_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_finds_the_bowl),
        cmocka_unit_test(test_open_trials_are_bounded_by_workers),
        cmocka_unit_test(test_same_seed_same_trials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
