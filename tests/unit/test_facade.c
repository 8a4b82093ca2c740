/* Facade settings (facades.md §1–2) chosen from a scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "engine/facade.h"

static const char PCS[] = "x [0, 1] [0.5]\nc {a, b} [a]\n";

static smac_scenario *scenario(const char *run_obj, const char *mode, int deterministic)
{
    smac_scenario *sc = smac_scenario_new();
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &cs, NULL), 0);
    smac_error err;
    assert_int_equal(smac_scenario_set_cs(sc, cs, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "run_obj", run_obj, &err), 0);
    if (strcmp(run_obj, "runtime") == 0)
        assert_int_equal(smac_scenario_set(sc, "cutoff_time", "5", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "mode", mode, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "deterministic", deterministic ? "true" : "false", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "runcount_limit", "100", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    return sc;
}

static void test_smac4ac_quality(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("quality", "SMAC4AC", 0);
    smac_facade f;
    assert_int_equal(smac_facade_configure(sc, &f, NULL), 0);
    assert_int_equal(f.transform, SMAC_Y_COST);
    assert_int_equal(f.acq, SMAC_ACQ_EI);
    assert_int_equal(f.impute_censored, 0);
    assert_int_equal(f.acq_opt_challengers, 5000);
    assert_true(f.rand_prob == 0.5);
    assert_int_equal(f.min_chall, 2);
    assert_true(f.intensification_percentage == 0.5);
    assert_int_equal(f.design.kind, SMAC_DESIGN_DEFAULT);
    assert_int_equal(f.rf.forest.min_samples_leaf, 3);
    assert_int_equal(f.rf.forest.max_depth, 20);
    assert_int_equal(f.rf.forest.log_y, 0);
    smac_scenario_free(sc);
}

static void test_smac4ac_runtime_forces_log_and_imputation(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("runtime", "SMAC4AC", 1);
    smac_facade f;
    assert_int_equal(smac_facade_configure(sc, &f, NULL), 0);
    assert_int_equal(f.transform, SMAC_Y_LOG);
    assert_int_equal(f.acq, SMAC_ACQ_LOGEI);
    assert_int_equal(f.impute_censored, 1);
    assert_int_equal(f.rf.forest.log_y, 1);
    /* deterministic but runtime: the time bound keeps p */
    assert_true(f.intensification_percentage == 0.5);
    smac_scenario_free(sc);
}

static void test_deterministic_quality_races_min_chall_only(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("quality", "SMAC4AC", 1);
    smac_facade f;
    assert_int_equal(smac_facade_configure(sc, &f, NULL), 0);
    assert_true(f.intensification_percentage == 1e-10);
    smac_scenario_free(sc);
}

static void test_smac4hpo(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("quality", "SMAC4HPO", 1);
    smac_facade f;
    assert_int_equal(smac_facade_configure(sc, &f, NULL), 0);
    assert_string_equal(f.name, "SMAC4HPO");
    assert_int_equal(f.transform, SMAC_Y_LOG_SCALED);
    assert_int_equal(f.acq, SMAC_ACQ_LOGEI);
    assert_int_equal(f.acq_opt_challengers, 10000);
    assert_true(f.rand_prob == 0.2);
    assert_int_equal(f.design.kind, SMAC_DESIGN_SOBOL);
    assert_true(f.design.n_configs_x_params == 10 && f.design.max_config_fracs == 0.25);
    assert_int_equal(f.min_chall, 1);
    assert_true(f.rf.forest.ratio_features == 1.0);
    assert_int_equal(f.rf.forest.min_samples_split, 2);
    assert_int_equal(f.rf.forest.min_samples_leaf, 1);
    assert_int_equal(f.rf.forest.max_depth, 1 << 20);
    smac_scenario_free(sc);
}

static void test_roar_and_unsupported_modes(void **state)
{
    (void)state;
    smac_scenario *sc = scenario("quality", "ROAR", 0);
    smac_facade f;
    assert_int_equal(smac_facade_configure(sc, &f, NULL), 0);
    assert_int_equal(f.use_model, 0);
    smac_scenario_free(sc);

    sc = scenario("quality", "SMAC4BB", 0);
    smac_error err;
    assert_int_not_equal(smac_facade_configure(sc, &f, &err), 0);
    assert_non_null(strstr(err.message, "SMAC4BB"));
    smac_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smac4ac_quality),
        cmocka_unit_test(test_smac4ac_runtime_forces_log_and_imputation),
        cmocka_unit_test(test_deterministic_quality_races_min_chall_only),
        cmocka_unit_test(test_smac4hpo),
        cmocka_unit_test(test_roar_and_unsupported_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
