/* Real inputs: every scenario of shared/scenarios/ loads unchanged when run
 * from inside its folder (as its README says), with the right instance and
 * feature counts; the scenario.txt we write for the pSMAC fixtures is byte
 * for byte the one SMAC3 v1.1 wrote; and SMAC3's own scenario.txt files (ta,
 * cutoff, pcs_fn, ...) read back and write out unchanged. Everything here is
 * skipped with a message when the shared folder is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "util/fsutil.h"
#include "util/log.h"

#define SCENARIOS SMAC_SHARED_DIR "/scenarios"
#define FIXTURES SMAC_SHARED_DIR "/fixtures"

static char saved_cwd[4096];

static int setup(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return getcwd(saved_cwd, sizeof saved_cwd) ? 0 : -1;
}

static int back(void **state)
{
    (void)state;
    return chdir(saved_cwd);
}

/* chdir into dir, or skip the test when the shared folder is missing. */
static void enter_or_skip(const char *dir)
{
    if (chdir(dir) != 0) {
        print_message("%s is not available: skipped\n", dir);
        skip();
    }
}

static smac_scenario *load(const char *file)
{
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    assert_non_null(sc);
    if (smac_scenario_read_file(sc, file, &err) != 0 || smac_scenario_finish(sc, &err) != 0) {
        smac_scenario_free(sc);
        fail_msg("%s: %s", file, err.message);
    }
    return sc;
}

static void test_shared_scenarios(void **state)
{
    (void)state;
    static const struct {
        const char *dir, *algo0;
        int run_obj;
        double cutoff, wallclock, runcount;
        size_t train, test, n_features, n_rows;
        bool deterministic;
    } cases[] = {
        {"tiny-branin", "sh", SMAC_RUN_OBJ_QUALITY, 5, 600, 200, 10, 10, 3, 20, true},
        {"tiny-mixed-runtime", "sh", SMAC_RUN_OBJ_RUNTIME, 3, 600, 500, 20, 20, 3, 40, true},
        {"sat-minisat", "python3", SMAC_RUN_OBJ_RUNTIME, 5, 3600, 2000, 12, 12, 11, 24, false},
        {"mip-cbc", "python3", SMAC_RUN_OBJ_RUNTIME, 10, 7200, 2000, 11, 11, 13, 22, false},
        {"asp-clasp-quality", "python3", SMAC_RUN_OBJ_QUALITY, 5, 3600, 2000, 6, 6, 8, 12, false},
    };
    enter_or_skip(SCENARIOS);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(chdir(SCENARIOS), 0);
        if (chdir(cases[i].dir) != 0) {
            print_message("%s missing: skipped\n", cases[i].dir);
            continue;
        }
        smac_scenario *sc = load("scenario.txt");
        assert_non_null(sc->cs);
        assert_string_equal(sc->algo.items[0], cases[i].algo0);
        assert_int_equal(sc->run_obj, cases[i].run_obj);
        assert_true(sc->cutoff == cases[i].cutoff);
        assert_true(sc->wallclock_limit == cases[i].wallclock);
        assert_true(sc->runcount_limit == cases[i].runcount);
        assert_true(sc->par_factor == 10);
        assert_int_equal(sc->deterministic, cases[i].deterministic);
        assert_string_equal(sc->execdir, ".");
        assert_int_equal(sc->train.n, cases[i].train);
        assert_int_equal(sc->train.n_all, cases[i].train);
        assert_int_equal(sc->test.n, cases[i].test);
        assert_true(sc->has_features);
        assert_int_equal(sc->features.n_features, cases[i].n_features);
        assert_int_equal(sc->features.n_rows, cases[i].n_rows);
        /* every training instance's row made it into the matrix */
        for (size_t k = 0; k < sc->train.n; k++) {
            const double *row = smac_scenario_features_of(sc, sc->train.items[k].name);
            assert_non_null(row);
            assert_memory_equal(row, sc->features.train + k * sc->features.n_features,
                                sc->features.n_features * sizeof(double));
        }
        smac_scenario_free(sc);
    }
}

/* The first <top>/run_<id> folder under `dir` whose top starts with "smac3-output". */
static int find_run(const char *dir, const char *run, char *out, size_t n)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int found = -1;
    while (found != 0 && (e = readdir(d))) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", e->d_name, run);
        char full[2048];
        snprintf(full, sizeof full, "%s/%s", dir, path);
        if (strncmp(e->d_name, "smac3-output", 12) == 0 && stat(full, &st) == 0) {
            snprintf(out, n, "%s", path);
            found = 0;
        }
    }
    closedir(d);
    return found;
}

static void expect_same_text(const char *got, const char *expected_file)
{
    char *want;
    size_t len;
    smac_error err;
    if (smac_read_file(expected_file, &want, &len, &err) != 0)
        fail_msg("%s", err.message);
    if (strcmp(got, want) != 0)
        fail_msg("scenario.txt differs from %s:\n--- ours\n%s--- SMAC3\n%s", expected_file, got, want);
    free(want);
}

/* Loading the fixture's input scenario and writing scenario.txt with the
 * output folder's copies gives exactly what SMAC3 wrote. */
static void test_writer_matches_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *fixture, *scenario, *run, *pcs_copy;
        bool instances;
    } cases[] = {
        {"smac3-v1.1-psmac-mixed-runtime", "scenario.txt", "run_1", "mixed.json", true},
        {"smac3-v1.1-psmac-mixed-runtime", "scenario.txt", "run_2", "mixed.json", true},
        {"smac3-v1.1-psmac-branin", "branin/scenario.txt", "run_1", "configspace.json", false},
        {"smac3-v1.1-psmac-branin", "branin/scenario.txt", "run_2", "configspace.json", false},
    };
    enter_or_skip(FIXTURES);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(chdir(FIXTURES), 0);
        if (chdir(cases[i].fixture) != 0) {
            print_message("%s missing: skipped\n", cases[i].fixture);
            continue;
        }
        char run[1024];
        if (find_run(".", cases[i].run, run, sizeof run) != 0)
            fail_msg("%s: no %s folder", cases[i].fixture, cases[i].run);
        char pcs[1200], train[1200], test[1200], feat[1200], expected[1200];
        snprintf(pcs, sizeof pcs, "%s/%s", run, cases[i].pcs_copy);
        snprintf(train, sizeof train, "%s/instances-train.txt", run);
        snprintf(test, sizeof test, "%s/instances-test.txt", run);
        snprintf(feat, sizeof feat, "%s/features.txt", run);
        snprintf(expected, sizeof expected, "%s/scenario.txt", run);
        smac_scenario_copies copies = {pcs, cases[i].instances ? train : NULL,
                                       cases[i].instances ? test : NULL, cases[i].instances ? feat : NULL};
        smac_scenario *sc = load(cases[i].scenario);
        char *text = smac_scenario_write_txt(sc, &copies);
        assert_non_null(text);
        expect_same_text(text, expected);
        free(text);
        smac_scenario_free(sc);
    }
}

/* SMAC3's own scenario.txt (internal names: ta, cutoff, algo_runs_timelimit,
 * ta_run_limit, train_inst_fn, pcs_fn, save_instantly, feature_names ...)
 * is a valid scenario file for us and writes back unchanged. */
static void test_smac3_scenario_txt_round_trip(void **state)
{
    (void)state;
    static const char *const fixtures[] = {"smac3-v1.1-psmac-mixed-runtime", "smac3-v1.1-psmac-branin"};
    enter_or_skip(FIXTURES);
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        assert_int_equal(chdir(FIXTURES), 0);
        if (chdir(fixtures[i]) != 0)
            continue;
        for (int r = 1; r <= 2; r++) {
            char run[1024], file[1200];
            snprintf(file, sizeof file, "run_%d", r);
            if (find_run(".", file, run, sizeof run) != 0)
                fail_msg("%s: no run_%d", fixtures[i], r);
            snprintf(file, sizeof file, "%s/scenario.txt", run);
            smac_scenario *sc = load(file);
            assert_true(sc->deterministic);
            assert_true(sc->par_factor == 10);
            char *text = smac_scenario_write_txt(sc, NULL);
            assert_non_null(text);
            expect_same_text(text, file);
            free(text);
            smac_scenario_free(sc);
        }
    }
}

static void test_writer_details(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = smac_scenario_new();
    const char *text = "algo = ./t.sh 'a b'\nrun_obj = quality\nmemory_limit = 512\nuse_ta_time = 1\n"
                       "wallclock_limit = 100\nrunObj = quality\nsave_results_instantly = on\n"
                       "overall_obj = MEAN\ninitial_incumbent = LHD\n";
    assert_int_equal(smac_scenario_read_text(sc, text, strlen(text), "s.txt", &err), 0);
    char *before = smac_scenario_write_txt(sc, NULL);
    assert_non_null(before); /* the writer also works on an unfinished scenario */
    free(before);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(chdir(SMAC_SOURCE_DIR "/tests/data/scenario"), 0);
    if (smac_scenario_finish(sc, &err) != 0)
        fail_msg("%s", err.message);
    char *out = smac_scenario_write_txt(sc, NULL);
    assert_string_equal(out, "ta = ./t.sh a b\n"
                             "execdir = .\n"
                             "deterministic = False\n"
                             "run_obj = quality\n"
                             "overall_obj = MEAN\n"
                             "par_factor = 1\n"
                             "cost_for_crash = 2147483647.0\n"
                             "memory_limit = 512.0\n"
                             "algo_runs_timelimit = 100.0\n"
                             "wallclock_limit = inf\n"
                             "always_race_default = False\n"
                             "ta_run_limit = inf\n"
                             "initial_incumbent = LHD\n"
                             "pcs_fn = space.pcs\n"
                             "save_instantly = True\n");
    free(out);
    assert_null(smac_scenario_write_txt(NULL, NULL));
    smac_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_shared_scenarios, back),
        cmocka_unit_test_teardown(test_writer_matches_fixtures, back),
        cmocka_unit_test_teardown(test_smac3_scenario_txt_round_trip, back),
        cmocka_unit_test_teardown(test_writer_details, back),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
