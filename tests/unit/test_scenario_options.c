/* The option table, driven through all three doors: every option under every
 * name in a scenario file, under every flag spelling on the command line
 * (both '_' and '-', `--x v` and `--x=v`) and through the API; the ranking
 * of command line over file; truthy booleans; shell-like splitting; help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scenario_internal.h"
#include "util/log.h"
#include "util/strbuf.h"

/* cmocka 1.1 has no assert_double_equal; exact comparisons are what we need. */
static void check_double(double got, double want, const char *what, int line)
{
    if (!(got == want))
        fail_msg("line %d: %s is %.17g, expected %.17g", line, what, got, want);
}
#define assert_dbl(got, want) check_double((got), (want), #got, __LINE__)

/* A value every option of the type accepts, and what get() gives back. */
static const char *sample_value(const smac_option *o)
{
    switch (o->type) {
    case SMAC_OPT_BOOL: return "yes";
    case SMAC_OPT_PYBOOL: return "False"; /* bool("False") is True in Python */
    case SMAC_OPT_INT: return "7";
    case SMAC_OPT_SEED: return "42";
    case SMAC_OPT_FLOAT: return "0.25";
    case SMAC_OPT_STRING: return "some-text";
    case SMAC_OPT_PATH: return "some/file.txt";
    case SMAC_OPT_CHOICE: {
        const char *const *c = o->choices;
        while (c[1])
            c++;
        return *c; /* the last choice, never the default */
    }
    case SMAC_OPT_ARGV: return "python3 -u 'a b'";
    case SMAC_OPT_PATHLIST: return "a.json b.json";
    case SMAC_OPT_OBJECTIVE: return "PAR5";
    case SMAC_OPT_HELP: return NULL;
    }
    return NULL;
}

/* Warnings (main options in files) would only clutter the test output. */
static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return 0;
}

/* Every spelling finds its own option and no other option shares one. */
static void test_table_is_consistent(void **state)
{
    (void)state;
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    assert_true(n >= 55);
    for (size_t i = 0; i < n; i++) {
        const smac_option *o = &opts[i];
        assert_non_null(o->help);
        assert_non_null(o->flags);
        assert_ptr_equal(smac_scenario_option_find(o->name), o);
        for (const char *const *f = o->flags; *f; f++) {
            assert_ptr_equal(scen_option_lookup(*f, SCEN_CTX_FLAG), o);
            assert_ptr_equal(scen_option_lookup(*f, SCEN_CTX_FILE), o);
        }
        for (const char *const *a = o->aliases; a && *a; a++)
            assert_ptr_equal(scen_option_lookup(*a, SCEN_CTX_FILE), o);
        if (o->type == SMAC_OPT_CHOICE)
            assert_non_null(o->choices);
    }
    /* file aliases are not flags */
    assert_null(scen_option_lookup("cutoffTime", SCEN_CTX_FLAG));
    assert_null(scen_option_lookup("i", SCEN_CTX_FLAG));
    assert_null(scen_option_lookup("no_such_option", SCEN_CTX_ANY));
    /* options later issues rely on */
    assert_non_null(smac_scenario_option_find("n_workers"));
    assert_non_null(smac_scenario_option_find("--n-workers"));
    assert_int_equal(smac_scenario_option_find("mode")->kind, SMAC_OPT_MAIN);
}

static void test_defaults(void **state)
{
    (void)state;
    smac_scenario *sc = smac_scenario_new();
    assert_non_null(sc);
    assert_int_equal(sc->seed, 1);
    assert_int_equal(sc->verbose, SMAC_LOG_INFO);
    assert_int_equal(sc->mode, SMAC_MODE_SMAC4AC);
    assert_true(sc->abort_on_first_run_crash);
    assert_true(sc->limit_resources);
    assert_int_equal(sc->minR, 1);
    assert_int_equal(sc->maxR, 2000);
    assert_false(sc->shared_model);
    assert_null(sc->input_psmac_dirs);
    assert_non_null(sc->output_dir);
    assert_int_equal(strncmp(sc->output_dir, "smac3-output_", 13), 0);
    assert_string_equal(smac_scenario_get(sc, "output_dir"), sc->output_dir);
    assert_dbl(sc->intensification_percentage, 0.5);
    assert_int_equal(sc->transform_y, SMAC_TRANSFORM_NONE);
    assert_int_equal(sc->rf_num_trees, 10);
    assert_true(sc->rf_do_bootstrapping);
    assert_dbl(sc->rf_ratio_features, 5.0 / 6.0);
    assert_int_equal(sc->rf_min_samples_split, 3);
    assert_int_equal(sc->rf_min_samples_leaf, 3);
    assert_int_equal(sc->rf_max_depth, 20);
    assert_int_equal(sc->sls_n_steps_plateau_walk, 10);
    assert_int_equal(sc->sls_max_steps, -1);
    assert_int_equal(sc->acq_opt_challengers, 5000);
    assert_dbl(sc->intens_adaptive_capping_slackfactor, 1.2);
    assert_int_equal(sc->intens_min_chall, 2);
    assert_dbl(sc->rand_prob, 0.5);
    assert_int_equal(sc->n_workers, 1);
    assert_int_equal(sc->n_optimizers, 1);
    assert_int_equal(sc->algo.n, 0);
    assert_string_equal(sc->execdir, ".");
    assert_false(sc->deterministic);
    assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_UNSET);
    assert_string_equal(sc->overall_obj, "par10");
    assert_dbl(sc->cost_for_crash, 2147483647.0);
    assert_true(isinf(sc->cutoff));
    assert_true(isinf(sc->memory_limit));
    assert_true(isinf(sc->tuner_timeout));
    assert_true(isinf(sc->wallclock_limit));
    assert_true(isinf(sc->runcount_limit));
    assert_int_equal(sc->initial_incumbent, SMAC_INIT_DEFAULT);
    assert_null(sc->paramfile);
    assert_false(sc->save_results_instantly);
    assert_string_equal(smac_scenario_get(sc, "seed"), "1");
    assert_string_equal(smac_scenario_get(sc, "--cutoff-time") ? "x" : "none", "none");
    assert_false(smac_scenario_is_set(sc, "seed"));
    smac_scenario_free(sc);
}

/* Sets `name = value` through a one-line scenario file. */
static int set_in_file(smac_scenario *sc, const char *name, const char *value, smac_error *err)
{
    char line[512];
    snprintf(line, sizeof line, "%s = %s\n", name, value);
    return smac_scenario_read_text(sc, line, strlen(line), "scen.txt", err);
}

static void expect_text(const smac_scenario *sc, const smac_option *o, const char *value,
                         const char *how)
{
    const char *got = smac_scenario_get(sc, o->name);
    if (!got || strcmp(got, value) != 0 || !smac_scenario_is_set(sc, o->name))
        fail_msg("%s: option %s: expected '%s', got '%s'", how, o->name, value, got ? got : "(null)");
}

/* Every non-main option under its canonical name, its aliases and its flag
 * spellings (both '_' and '-' forms) as scenario-file keys. */
static void test_every_name_in_a_file(void **state)
{
    (void)state;
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        const smac_option *o = &opts[i];
        const char *value = sample_value(o);
        if (o->kind == SMAC_OPT_MAIN || !value)
            continue;
        const char *names[64];
        size_t k = 0;
        names[k++] = o->name;
        for (const char *const *a = o->aliases; a && *a; a++)
            names[k++] = *a;
        static char swapped[32][64];
        size_t n_swapped = 0;
        for (const char *const *f = o->flags; *f; f++) {
            names[k++] = *f;
            snprintf(swapped[n_swapped], sizeof swapped[0], "%s", *f);
            for (char *c = swapped[n_swapped]; *c; c++)
                *c = *c == '-' ? '_' : *c == '_' ? '-' : *c;
            names[k++] = swapped[n_swapped++];
        }
        for (size_t j = 0; j < k; j++) {
            smac_scenario *sc = smac_scenario_new();
            smac_error err;
            if (set_in_file(sc, names[j], value, &err) != 0)
                fail_msg("file key '%s': %s", names[j], err.message);
            expect_text(sc, o, value, names[j]);
            smac_scenario_free(sc);
            checked++;
        }
    }
    assert_true(checked > 150);
}

/* Every option under every flag spelling, as `--x v` and `--x=v`. */
static void test_every_flag_on_the_command_line(void **state)
{
    (void)state;
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    for (size_t i = 0; i < n; i++) {
        const smac_option *o = &opts[i];
        const char *value = sample_value(o);
        if (!value || strcmp(o->name, "scenario") == 0)
            continue;
        for (const char *const *f = o->flags; *f; f++) {
            for (int variant = 0; variant < 4; variant++) {
                char flag[96], joined[160];
                snprintf(flag, sizeof flag, "--%s", *f);
                if (variant & 1)
                    for (char *c = flag + 2; *c; c++)
                        *c = *c == '-' ? '_' : *c == '_' ? '-' : *c;
                smac_scenario *sc = smac_scenario_new();
                smac_error err;
                int rc;
                if (variant & 2) {
                    snprintf(joined, sizeof joined, "%s=%s", flag, value);
                    char *argv[] = {"smac", joined, NULL};
                    rc = smac_scenario_parse_args(sc, 2, argv, &err);
                } else if (o->type == SMAC_OPT_PATHLIST) {
                    char *argv[] = {"smac", flag, "a.json", "b.json", "--seed", "3", NULL};
                    rc = smac_scenario_parse_args(sc, 6, argv, &err);
                    assert_int_equal(sc->seed, 3);
                } else {
                    char *argv[] = {"smac", flag, (char *)value, NULL};
                    rc = smac_scenario_parse_args(sc, 3, argv, &err);
                }
                if (rc != 0)
                    fail_msg("flag %s: %s", flag, err.message);
                expect_text(sc, o, value, flag);
                smac_scenario_free(sc);
            }
        }
    }
}

/* The parsed values land in the right fields. */
static void test_fields(void **state)
{
    (void)state;
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    const char *text = "algoExec = python3 -u 'a b' \"c\\\"d\"\n"
                       "cutoffTime = 2.5\n"
                       "memory-limit = 1024\n"
                       "tunerTimeout = 100\n"
                       "wallClockLimit = 60\n"
                       "numRunsLimit = 80\n"
                       "i = inst.txt\n"
                       "test_instance_seed_file = test.txt\n"
                       "instanceFeatureFile = feat.txt\n"
                       "paramFile = space.pcs\n"
                       "runObj = runtime\n"
                       "intraInstanceObj = MEAN3\n"
                       "cost-for-crash = -1e3\n"
                       "initial-incumbent = SOBOL\n"
                       "algo-deterministic = on\n"
                       "save-instantly = TRUE\n"
                       "outdir = out\n"
                       "shared_model = t\n"
                       "input_psmac_dirs = smac3-output*\n"
                       "transform-y = LOGS\n"
                       "rf-do-bootstrapping = False\n"
                       "minr = 2\n"
                       "maxR = 10\n"
                       "n-workers = 4\n"
                       "rand_prob = 0\n"
                       "intens-adaptive-capping-slackfactork = 1.5\n";
    assert_int_equal(smac_scenario_read_text(sc, text, strlen(text), "s.txt", &err), 0);
    assert_int_equal(sc->algo.n, 4);
    assert_string_equal(sc->algo.items[0], "python3");
    assert_string_equal(sc->algo.items[2], "a b");
    assert_string_equal(sc->algo.items[3], "c\"d");
    assert_dbl(sc->cutoff, 2.5);
    assert_dbl(sc->memory_limit, 1024);
    assert_dbl(sc->tuner_timeout, 100);
    assert_dbl(sc->wallclock_limit, 60);
    assert_dbl(sc->runcount_limit, 80);
    assert_string_equal(sc->instance_file, "inst.txt");
    assert_string_equal(sc->test_instance_file, "test.txt");
    assert_string_equal(sc->feature_file, "feat.txt");
    assert_string_equal(sc->paramfile, "space.pcs");
    assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_RUNTIME);
    assert_string_equal(sc->overall_obj, "MEAN3");
    assert_dbl(sc->cost_for_crash, -1000);
    assert_int_equal(sc->initial_incumbent, SMAC_INIT_SOBOL);
    assert_true(sc->deterministic);
    assert_true(sc->save_results_instantly);
    assert_string_equal(sc->output_dir, "out");
    assert_true(sc->shared_model);
    assert_string_equal(sc->input_psmac_dirs, "smac3-output*");
    assert_int_equal(sc->transform_y, SMAC_TRANSFORM_LOGS);
    assert_true(sc->rf_do_bootstrapping);
    assert_int_equal(sc->minR, 2);
    assert_int_equal(sc->maxR, 10);
    assert_int_equal(sc->n_workers, 4);
    assert_dbl(sc->rand_prob, 0);
    assert_dbl(sc->intens_adaptive_capping_slackfactor, 1.5);
    assert_int_equal(scen_resolve(sc, &err), 0);
    assert_dbl(sc->par_factor, 3);
    smac_scenario_free(sc);

    sc = smac_scenario_new();
    char *argv[] = {"smac", "--verbose", "DEBUG", "--mode=ROAR", "--seed", "4294967295",
                    "--hydra_validation", "VAL20", "--restore-state", "old/run_1",
                    "--warmstart_runhistory", "a b.json", "c.json", "--warmstart_scenario=s.txt",
                    "--psmac_validate", "1", "--incumbents_per_round", "2", "--n_optimizers", "3"};
    assert_int_equal(smac_scenario_parse_args(sc, (int)(sizeof argv / sizeof argv[0]), argv, &err), 0);
    assert_int_equal(sc->verbose, SMAC_LOG_DEBUG);
    assert_int_equal(sc->mode, SMAC_MODE_ROAR);
    assert_true(sc->seed == 4294967295ULL);
    assert_int_equal(sc->hydra_validation, SMAC_HYDRA_VAL20);
    assert_string_equal(sc->restore_state, "old/run_1");
    assert_int_equal(sc->warmstart_runhistory.n, 2);
    assert_string_equal(sc->warmstart_runhistory.items[0], "a b.json");
    assert_string_equal(smac_scenario_get(sc, "warmstart_runhistory"), "'a b.json' c.json");
    assert_int_equal(sc->warmstart_scenario.n, 1);
    assert_true(sc->psmac_validate);
    assert_int_equal(sc->incumbents_per_round, 2);
    assert_int_equal(sc->n_optimizers, 3);
    smac_scenario_free(sc);
}

static void test_truthy(void **state)
{
    (void)state;
    static const char *const yes[] = {"y", "Y", "yes", "YES", "t", "true", "True", "TRUE", "on", "On", "1"};
    static const char *const no[] = {"n", "no", "No", "f", "false", "False", "off", "OFF", "0"};
    static const char *const bad[] = {"maybe", "2", "", "tru", "yes please", "-1"};
    smac_error err;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        assert_int_equal(smac_scenario_set(sc, "shared_model", yes[i], &err), 0);
        assert_true(sc->shared_model);
        smac_scenario_free(sc);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        assert_int_equal(smac_scenario_set(sc, "abort_on_first_run_crash", no[i], &err), 0);
        assert_false(sc->abort_on_first_run_crash);
        smac_scenario_free(sc);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        assert_int_equal(smac_scenario_set(sc, "deterministic", bad[i], &err), SMAC_ERR_PARSE);
        assert_non_null(strstr(err.message, "option 'deterministic': expected a boolean"));
        assert_false(sc->deterministic);
        smac_scenario_free(sc);
    }
    /* rf_do_bootstrapping is Python bool(str): only the empty text is false */
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "rf_do_bootstrapping", "False", &err), 0);
    assert_true(sc->rf_do_bootstrapping);
    assert_int_equal(smac_scenario_set(sc, "rf_do_bootstrapping", "", &err), 0);
    assert_false(sc->rf_do_bootstrapping);
    smac_scenario_free(sc);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *name, *value, *message;
    } cases[] = {
        {"cutoff_time", "abc", "option 'cutoff_time': expected a number, got 'abc'"},
        {"cutoff_time", "0", "option 'cutoff_time': expected a finite number > 0, got '0'"},
        {"cutoff_time", "inf", "expected a finite number > 0"},
        {"seed", "1.5", "option 'seed': expected an integer, got '1.5'"},
        {"seed", "-1", "expected a seed in [0, 4294967295]"},
        {"seed", "4294967296", "expected a seed in [0, 4294967295]"},
        {"n_workers", "0", "option 'n_workers': expected an integer >= 1, got '0'"},
        {"rf_num_trees", "99999999999", "expected an integer >= 1"},
        {"intensification_percentage", "1", "expected a number in (0, 1), got '1'"},
        {"intensification_percentage", "0", "expected a number in (0, 1)"},
        {"rand_prob", "1.5", "expected a number in [0, 1]"},
        {"rf_ratio_features", "0", "expected a number in (0, 1]"},
        {"wallclock_limit", "-5", "expected a number >= 0"},
        {"runcount_limit", "nan", "expected a number >= 0"},
        {"cost_for_crash", "nan", "expected a number (not nan)"},
        {"memory_limit", "0", "expected a number > 0"},
        {"run_obj", "time", "option 'run_obj': expected one of runtime, quality; got 'time'"},
        {"run_obj", "Runtime", "expected one of runtime, quality"},
        {"initial_incumbent", "default", "expected one of DEFAULT, RANDOM, LHD, SOBOL, FACTORIAL"},
        {"verbose", "WARNING", "expected one of INFO, DEBUG"},
        {"mode", "SMAC4MF", "expected one of SMAC4AC"},
        {"overall_obj", "Par10", "got 'Par10'"},
        {"overall_obj", "PAR0", "got 'PAR0'"},
        {"overall_obj", "PARx", "got 'PARx'"},
        {"overall_obj", "median", "got 'median'"},
        {"algo", "python3 'unterminated", "No closing quotation"},
        {"algo", "python3 trailing\\", "No escaped character"},
        {"sls_max_steps", "-1", "expected an integer >= 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        smac_error err;
        int rc = smac_scenario_set(sc, cases[i].name, cases[i].value, &err);
        if (rc == 0 || !strstr(err.message, cases[i].message))
            fail_msg("%s = %s: rc %d, message '%s'", cases[i].name, cases[i].value, rc,
                     rc ? err.message : "");
        /* the default stays */
        assert_false(smac_scenario_is_set(sc, cases[i].name));
        smac_scenario_free(sc);
    }
}

static void test_objectives(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long factor;
    } cases[] = {{"par10", 10}, {"PAR10", 10}, {"PAR1", 1}, {"par", 1}, {"PAR", 1},
                 {"mean", 1}, {"MEAN", 1}, {"mean5", 5}, {"MEAN100", 100}, {"Par10", -1},
                 {"Mean", -1}, {"par-3", -1}, {"pa", -1}, {"", -1}, {"par 10", 10}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (scen_par_factor(cases[i].text) != cases[i].factor)
            fail_msg("'%s': %ld", cases[i].text, scen_par_factor(cases[i].text));
}

/* The command line wins over the file whatever the order; within one rank
 * the later value wins. */
static void test_overriding(void **state)
{
    (void)state;
    char dir[] = "/tmp/smac-scen-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/scenario.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("run_obj = quality\ncutoff_time = 5\nshared_model = False\nseed = 9\nrand_prob = 0.1\n", f);
    fclose(f);
    smac_error err;
    for (int order = 0; order < 2; order++) {
        smac_scenario *sc = smac_scenario_new();
        char *before[] = {"smac", "--cutoff", "7", "--shared_model", "True", "--scenario", path, NULL};
        char *after[] = {"smac", "--scenario", path, "--cutoff", "7", "--shared_model", "True", NULL};
        assert_int_equal(smac_scenario_parse_args(sc, 7, order ? after : before, &err), 0);
        assert_dbl(sc->cutoff, 7);
        assert_true(sc->shared_model);
        assert_dbl(sc->rand_prob, 0.1); /* SMAC options from a file are honoured */
        assert_int_equal(sc->seed, 1);             /* main options in a file are ignored */
        assert_string_equal(sc->scenario_file, path);
        assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_QUALITY);
        smac_scenario_free(sc);
    }
    /* API values rank with the command line, before or after the file */
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "cutoff_time", "3", &err), 0);
    assert_int_equal(smac_scenario_read_file(sc, path, &err), 0);
    assert_dbl(sc->cutoff, 3);
    assert_int_equal(smac_scenario_set(sc, "rand_prob", "0.2", &err), 0);
    assert_dbl(sc->rand_prob, 0.2);
    /* a later flag replaces an earlier one */
    char *twice[] = {"smac", "--seed", "5", "--seed=6"};
    assert_int_equal(smac_scenario_parse_args(sc, 4, twice, &err), 0);
    assert_int_equal(sc->seed, 6);
    smac_scenario_free(sc);
    /* a file value that loses is still checked, as SMAC3 type-checks it */
    f = fopen(path, "w");
    fputs("run_obj = quality\ncutoff_time = abc\n", f);
    fclose(f);
    sc = smac_scenario_new();
    char *args[] = {"smac", "--scenario", path, "--cutoff", "7"};
    assert_int_not_equal(smac_scenario_parse_args(sc, 5, args, &err), 0);
    assert_non_null(strstr(err.message, "scenario.txt:2: option 'cutoff_time': expected a number"));
    smac_scenario_free(sc);
    remove(path);
    remove(dir);
}

static void test_bad_command_lines(void **state)
{
    (void)state;
    static const struct {
        int argc;
        const char *argv[4];
        const char *message;
    } cases[] = {
        {2, {"smac", "--cutoff_tme", "5"}, "unknown option '--cutoff_tme' (did you mean '--cutoff_time'?)"},
        {3, {"smac", "--Seed", "5"}, "unknown option '--Seed' (did you mean '--seed'?)"},
        {3, {"smac", "--shared-modle", "True"}, "did you mean '--shared-model'?"},
        {2, {"smac", "positional"}, "unexpected argument 'positional'"},
        {2, {"smac", "-seed"}, "unexpected argument '-seed'"},
        {2, {"smac", "--seed"}, "option '--seed' expects a value"},
        {3, {"smac", "--seed", "--mode"}, "option '--seed' expects a value"},
        {3, {"smac", "--shared_model", "perhaps"}, "option '--shared_model': expected a boolean"},
        {3, {"smac", "--scenario", "/no/such/scenario.txt"}, "Could not find scenario file: /no/such/scenario.txt"},
        {3, {"smac", "--cutoffTime", "5"}, "unknown option '--cutoffTime'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        smac_error err;
        int rc = smac_scenario_parse_args(sc, cases[i].argc, (char **)cases[i].argv, &err);
        if (rc == 0 || !strstr(err.message, cases[i].message))
            fail_msg("case %zu: rc %d, '%s'", i, rc, rc ? err.message : "");
        smac_scenario_free(sc);
    }
    /* values may start with a single dash */
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    char *neg[] = {"smac", "--cost_for_crash", "-5"};
    assert_int_equal(smac_scenario_parse_args(sc, 3, neg, &err), 0);
    assert_dbl(sc->cost_for_crash, -5);
    char *dashed[] = {"smac", "--algo=--weird"};
    assert_int_equal(smac_scenario_parse_args(sc, 2, dashed, &err), 0);
    assert_string_equal(sc->algo.items[0], "--weird");
    smac_scenario_free(sc);
}

static void test_help(void **state)
{
    (void)state;
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    char *argv[] = {"smac", "--no-such-flag", "--help"};
    assert_int_equal(smac_scenario_parse_args(sc, 3, argv, &err), 0);
    assert_int_equal(sc->help, 1);
    char *all[] = {"smac", "--help-all"};
    assert_int_equal(smac_scenario_parse_args(sc, 2, all, &err), 0);
    assert_int_equal(sc->help, 2);
    smac_scenario_free(sc);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    smac_scenario_print_help(out, "smac", 0);
    fclose(out);
    assert_non_null(strstr(text, "usage: smac --scenario FILE"));
    assert_non_null(strstr(text, "--cutoff-time, --cutoff_time, --cutoff FLOAT"));
    assert_non_null(strstr(text, "--run-obj, --run_obj {runtime,quality}"));
    assert_non_null(strstr(text, "--n_workers, --n-workers INT"));
    assert_non_null(strstr(text, "(default: 2147483647.0)"));
    assert_null(strstr(text, "--warmstart-runhistory")); /* hidden */
    free(text);
    out = open_memstream(&text, &len);
    smac_scenario_print_help(out, "smac", 1);
    fclose(out);
    assert_non_null(strstr(text, "--warmstart-runhistory"));
    assert_non_null(strstr(text, "scenario file: cutoff_time, algo-cutoff-time"));
    free(text);
}

static void test_shlex(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int n;
        const char *words[5];
    } cases[] = {
        {"", 0, {NULL}},
        {"   ", 0, {NULL}},
        {"a b  c", 3, {"a", "b", "c"}},
        {"python3 -u 'a b'", 3, {"python3", "-u", "a b"}},
        {"\"a \\\" b\"", 1, {"a \" b"}},
        {"\"a\\x\"", 1, {"a\\x"}},
        {"'a\\x'", 1, {"a\\x"}},
        {"a\\ b", 1, {"a b"}},
        {"''", 1, {""}},
        {"x'y'\"z\"", 1, {"xyz"}},
        {"a#b", 1, {"a#b"}},
        {"\tx\ny\r", 2, {"x", "y"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smac_strlist l;
        const char *why = NULL;
        assert_int_equal(scen_shlex_split(cases[i].text, &l, &why), 0);
        assert_int_equal(l.n, cases[i].n);
        for (int k = 0; k < cases[i].n; k++)
            assert_string_equal(l.items[k], cases[i].words[k]);
        scen_strlist_free(&l);
    }
    smac_strlist l;
    const char *why = NULL;
    assert_int_not_equal(scen_shlex_split("\"open", &l, &why), 0);
    assert_string_equal(why, "No closing quotation");
    assert_int_equal(l.n, 0);
    /* quoting gives the words back */
    static const char *const words[] = {"plain", "with space", "it's", "", "a\"b", "$HOME"};
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (i)
            smac_strbuf_putc(&sb, ' ');
        scen_shlex_quote(&sb, words[i]);
    }
    char *joined = smac_strbuf_take(&sb);
    assert_int_equal(scen_shlex_split(joined, &l, &why), 0);
    assert_int_equal(l.n, sizeof words / sizeof words[0]);
    for (size_t i = 0; i < l.n; i++)
        assert_string_equal(l.items[i], words[i]);
    scen_strlist_free(&l);
    free(joined);
}

static void test_closest(void **state)
{
    (void)state;
    assert_string_equal(scen_option_closest("cutoff_tme", SCEN_CTX_FILE), "cutoff_time");
    assert_string_equal(scen_option_closest("runobj", SCEN_CTX_FILE), "runObj");
    assert_string_equal(scen_option_closest("RUN_OBJ", SCEN_CTX_FILE), "run_obj");
    assert_string_equal(scen_option_closest("paramfiel", SCEN_CTX_FILE), "paramfile");
    assert_string_equal(scen_option_closest("nworkers", SCEN_CTX_FLAG), "n_workers");
    assert_string_equal(scen_option_closest("wallclock_limt", SCEN_CTX_FLAG), "wallclock_limit");
    /* a file alias is not suggested for a flag */
    assert_string_equal(scen_option_closest("cutoffTme", SCEN_CTX_FLAG), "cutoff_time");
    assert_string_equal(scen_option_closest("cutoffTme", SCEN_CTX_FILE), "cutoffTime");
    /* absurdly long names do not overflow anything */
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_non_null(scen_option_closest(longname, SCEN_CTX_ANY));
}

static void test_api_misuse(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "no_such", "1", &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "unknown option 'no_such'"));
    assert_int_equal(smac_scenario_set(sc, "seed", NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_scenario_set(NULL, "seed", "1", &err), SMAC_ERR_INVALID);
    assert_null(smac_scenario_get(sc, "no_such"));
    assert_null(smac_scenario_get(sc, "paramfile"));
    assert_false(smac_scenario_is_set(sc, "no_such"));
    /* a path set to the empty text means none */
    assert_int_equal(smac_scenario_set(sc, "--paramfile", "", &err), 0);
    assert_null(sc->paramfile);
    assert_int_equal(smac_scenario_set(sc, "--paramfile", "x.pcs", &err), 0);
    assert_string_equal(sc->paramfile, "x.pcs");
    assert_int_equal(smac_scenario_set(sc, "output_dir", "", &err), 0);
    assert_string_equal(sc->output_dir, "");
    smac_scenario_free(sc);
    smac_scenario_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_consistent),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_name_in_a_file),
        cmocka_unit_test(test_every_flag_on_the_command_line),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_truthy),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_objectives),
        cmocka_unit_test(test_overriding),
        cmocka_unit_test(test_bad_command_lines),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_shlex),
        cmocka_unit_test(test_closest),
        cmocka_unit_test(test_api_misuse),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
