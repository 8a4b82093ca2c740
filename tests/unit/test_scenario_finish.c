/* smac_scenario_finish(): validation, SMAC3's derived values, and loading
 * the instance, feature and parameter files -- with the message each broken
 * scenario gives (the scenario line that named a missing file, the feature
 * file's line and column of a bad number, ...). Runs inside
 * tests/data/scenario/ because scenario paths are relative to the working
 * directory, as in SMAC3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "util/log.h"

#define DATA SMAC_SOURCE_DIR "/tests/data/scenario"

static char saved_cwd[4096];

static int enter_data(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    if (!getcwd(saved_cwd, sizeof saved_cwd) || chdir(DATA) != 0)
        return -1;
    return 0;
}

static int leave_data(void **state)
{
    (void)state;
    return chdir(saved_cwd);
}

static int read_str(smac_scenario *sc, const char *text, const char *name, smac_error *err)
{
    return smac_scenario_read_text(sc, text, strlen(text), name, err);
}

/* Reads `file` and finishes; returns the status, message in err. */
static int load(const char *file, smac_scenario **out, smac_error *err)
{
    smac_scenario *sc = smac_scenario_new();
    assert_non_null(sc);
    int rc = smac_scenario_read_file(sc, file, err);
    if (rc == 0)
        rc = smac_scenario_finish(sc, err);
    if (out)
        *out = sc;
    else
        smac_scenario_free(sc);
    return rc;
}

static void test_broken_scenarios(void **state)
{
    (void)state;
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"bad-runtime-no-cutoff.txt",
         "bad-runtime-no-cutoff.txt:2: --cutoff-time is required when --run-objective is set to \"runtime\""},
        {"bad-overall-obj.txt", "bad-overall-obj.txt:4: option 'overall_obj': expected PARx"},
        {"bad-missing-paramfile.txt", "bad-missing-paramfile.txt:2: Could not find pcs file: no-such-space.pcs"},
        {"bad-missing-instances.txt",
         "bad-missing-instances.txt:3: Could not find instance file: no-such-instances.txt"},
        {"bad-missing-features.txt",
         "bad-missing-features.txt:4: Could not find feature file: no-such-features.txt"},
        {"bad-feature-missing-instance.txt",
         "features-missing.txt: no features for training instance 'inst3'"},
        {"bad-feature-short-row.txt",
         "features-short-row.txt:3: instance 'inst2' has 1 feature values but the header names 2"},
        {"bad-feature-number.txt", "features-bad-number.txt:3:9: expected a number, got 'abc'"},
        {"bad-feature-empty.txt", "features-empty.txt: the feature file is empty"},
        {"bad-empty-instances.txt", "bad-empty-instances.txt:3: instance file instances-empty.txt lists no instances"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smac_error err;
        smac_scenario *sc;
        int rc = load(cases[i].file, &sc, &err);
        if (rc == 0 || strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("%s: rc %d, '%s'", cases[i].file, rc, rc ? err.message : "");
        /* nothing half-loaded stays behind */
        assert_int_equal(sc->train.n, 0);
        assert_false(sc->has_features);
        smac_scenario_free(sc);
    }
}

static void test_run_obj_required(void **state)
{
    (void)state;
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_INVALID);
    assert_string_equal(err.message, "missing option 'run_obj': set it to 'runtime' or 'quality'");
    /* a cutoff given on the command line satisfies runtime */
    assert_int_equal(smac_scenario_set(sc, "run_obj", "runtime", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_INVALID);
    assert_string_equal(err.message, "--cutoff-time is required when --run-objective is set to \"runtime\"");
    assert_int_equal(smac_scenario_set(sc, "cutoff", "3", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_true(sc->par_factor == 10);
    smac_scenario_free(sc);

    sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_INVALID);
    assert_string_equal(err.message, "missing option 'paramfile': no configuration space given");
    smac_scenario_free(sc);
}

static void test_good_scenario(void **state)
{
    (void)state;
    smac_scenario *sc;
    smac_error err;
    if (load("good.txt", &sc, &err) != 0)
        fail_msg("%s", err.message);
    assert_non_null(sc->cs);
    assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_QUALITY);
    assert_true(sc->cutoff == 5);
    /* training instances: file order with the duplicate, and de-duplicated */
    assert_int_equal(sc->train.n_all, 5);
    assert_int_equal(sc->train.n, 4);
    static const char *const names[] = {"inst1", "inst2", "inst3", "inst4"};
    static const char *const specific[] = {"SAT extra", "0", "7", "tabbed"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(sc->train.items[i].name, names[i]);
        assert_string_equal(sc->train.items[i].specific, specific[i]);
    }
    assert_string_equal(sc->train.all[4].name, "inst1");
    assert_string_equal(sc->train.all[4].specific, "duplicate");
    assert_int_equal(sc->test.n, 2);
    assert_string_equal(sc->test.items[1].name, "test2");
    assert_string_equal(sc->test.items[1].specific, "UNSAT");
    /* features: names trimmed, one matrix row per distinct training instance */
    assert_true(sc->has_features);
    assert_int_equal(sc->features.n_features, 3);
    assert_string_equal(sc->features.names[0], "f1");
    assert_string_equal(sc->features.names[2], "f3");
    assert_int_equal(sc->features.n_rows, 5);
    const double *f = sc->features.train;
    assert_true(f[0] == 1 && f[1] == 2 && f[2] == 3);
    assert_true(f[3] == 4 && f[4] == 0.5 && f[5] == -6);
    assert_true(isinf(f[6]) && f[7] == 0 && f[8] == 1);
    assert_true(f[9] == 7 && f[10] == 8 && f[11] == 9);
    const double *row = smac_scenario_features_of(sc, "inst2");
    assert_non_null(row);
    assert_true(row[1] == 0.5);
    assert_non_null(smac_scenario_features_of(sc, "unused"));
    assert_null(smac_scenario_features_of(sc, "test1"));
    assert_null(smac_scenario_features_of(sc, NULL));

    /* finished: no more changes; finishing again is harmless */
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "seed", "3", &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "finished"));
    assert_int_not_equal(read_str(sc, "seed = 1\n", "x", &err), 0);
    char *argv[] = {"smac", "--seed", "2"};
    assert_int_not_equal(smac_scenario_parse_args(sc, 3, argv, &err), 0);
    assert_int_equal(smac_scenario_set_cs(sc, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(sc->seed, 1);
    smac_scenario_free(sc);
}

static void test_derived_values(void **state)
{
    (void)state;
    smac_error err;
    /* use_ta_time: the wall-clock budget becomes the target-time budget */
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(read_str(sc, "run_obj = quality\nparamfile = space.pcs\n"
                                                 "wallclock_limit = 60\nuse_ta_time = true\n", "s", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_true(sc->tuner_timeout == 60);
    assert_true(isinf(sc->wallclock_limit));
    smac_scenario_free(sc);
    /* ... unless a target-time budget was given */
    sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "wallclock_limit", "60", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "tuner_timeout", "30", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "use_ta_time", "1", &err), 0);
    /* a failure first: the retry must not apply use_ta_time twice */
    assert_int_equal(smac_scenario_set(sc, "instance_file", "nothere.txt", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_IO);
    assert_string_equal(err.message, "Could not find instance file: nothere.txt");
    assert_int_equal(smac_scenario_set(sc, "instance_file", "", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_true(sc->tuner_timeout == 30);
    assert_true(isinf(sc->wallclock_limit));
    assert_int_equal(sc->train.n, 0);
    smac_scenario_free(sc);
    /* pSMAC: SMAC3's default glob */
    sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "shared_model", "True", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_string_equal(sc->input_psmac_dirs, "smac3-output*/run*/");
    assert_true(sc->par_factor == 10);
    smac_scenario_free(sc);
    /* overall_obj drives par_factor, whatever par_factor says */
    sc = smac_scenario_new();
    assert_int_equal(read_str(sc, "run_obj = runtime\ncutoff = 1\nparamfile = space.pcs\n"
                                                 "overall_obj = mean\npar_factor = 10\n", "s", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_true(sc->par_factor == 1);
    smac_scenario_free(sc);
}

static void test_inconsistent_options(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(read_str(sc, "run_obj = quality\nparamfile = space.pcs\n"
                                                 "feature_file = features.txt\n", "s.txt", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "s.txt:3: a feature file needs an instance file"));
    smac_scenario_free(sc);

    sc = smac_scenario_new();
    char *argv[] = {"smac", "--run_obj", "quality", "--paramfile", "space.pcs",
                    "--warmstart_runhistory", "rh.json"};
    assert_int_equal(smac_scenario_parse_args(sc, 7, argv, &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "--warmstart_runhistory needs --warmstart_scenario"));
    smac_scenario_free(sc);

    /* a missing test instance file, named on the command line (no line to show) */
    sc = smac_scenario_new();
    char *argv2[] = {"smac", "--scenario", "good.txt", "--test_inst_fn", "gone.txt"};
    assert_int_equal(smac_scenario_parse_args(sc, 5, argv2, &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_IO);
    assert_string_equal(err.message, "Could not find test instance file: gone.txt");
    smac_scenario_free(sc);

    /* a folder is not a file (SMAC3 uses os.path.isfile) */
    sc = smac_scenario_new();
    assert_int_equal(read_str(sc, "run_obj = quality\nparamfile = .\n", "s.txt", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_IO);
    assert_string_equal(err.message, "s.txt:2: Could not find pcs file: .");
    smac_scenario_free(sc);
}

/* Writes `text` to dir/name; returns the path in a static buffer. */
static const char *write_file(const char *dir, const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_instance_and_feature_details(void **state)
{
    (void)state;
    char dir[] = "/tmp/smac-scen-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char inst[512], feat[512];
    snprintf(inst, sizeof inst, "%s", write_file(dir, "inst.txt", "a 1\r\nb\r\n\r\n# c\r\na 2\rz\n"));
    snprintf(feat, sizeof feat, "%s",
             write_file(dir, "feat.txt", "name,x\r\na,1\r\nb,2\r\nz,3\r\nb,20\r\n  z , 4 \r\n"));
    smac_error err;
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "instance_file", inst, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "feature_file", feat, &err), 0);
    if (smac_scenario_finish(sc, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(sc->train.n_all, 4);
    assert_int_equal(sc->train.n, 3);
    assert_string_equal(sc->train.items[0].specific, "1");
    assert_string_equal(sc->train.items[2].name, "z");
    /* a repeated feature row: the last one wins (a Python dict) */
    assert_int_equal(sc->features.n_rows, 3);
    assert_true(sc->features.train[1] == 20);
    assert_true(sc->features.train[2] == 4);
    smac_scenario_free(sc);

    /* many instances: the name index grows */
    FILE *fi = fopen(inst, "w"), *ff = fopen(feat, "w");
    fputs("instance,v\n", ff);
    for (int i = 0; i < 3000; i++) {
        fprintf(fi, "i%d\n", i);
        fprintf(ff, "i%d,%d\n", i, i);
    }
    fclose(fi);
    fclose(ff);
    sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "instance_file", inst, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "feature_file", feat, &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_int_equal(sc->train.n, 3000);
    for (int i = 0; i < 3000; i += 7)
        assert_true(sc->features.train[i] == i);
    assert_true(smac_scenario_features_of(sc, "i2999")[0] == 2999);
    smac_scenario_free(sc);

    /* malformed rows */
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"instance,x\na,1\n,2\n", "feat.txt:3:1: missing instance name"},
        {"instance,x\na,1,2\n", "feat.txt:2: instance 'a' has 2 feature values but the header names 1"},
        {"instance,x\na,\n", "feat.txt:2:3: expected a number, got ''"},
        {"instance,x\na,0x10\n", "feat.txt:2:3: expected a number, got '0x10'"},
        {"instance,x\n  a,zz\n", "feat.txt:2:5: expected a number, got 'zz'"},
        {"instance,x\na,1\x00\n", "feat.txt:2: NUL byte in a feature file"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fi = fopen(inst, "w");
        fputs("a\n", fi);
        fclose(fi);
        ff = fopen(feat, "w");
        fwrite(bad[i].text, 1, strlen(bad[i].text) + (strstr(bad[i].message, "NUL") ? 2 : 0), ff);
        fclose(ff);
        sc = smac_scenario_new();
        assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
        assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
        assert_int_equal(smac_scenario_set(sc, "instance_file", inst, &err), 0);
        assert_int_equal(smac_scenario_set(sc, "feature_file", feat, &err), 0);
        assert_int_not_equal(smac_scenario_finish(sc, &err), 0);
        const char *msg = strstr(err.message, "feat.txt");
        if (!msg || strcmp(msg, bad[i].message) != 0)
            fail_msg("case %zu: '%s'", i, err.message);
        smac_scenario_free(sc);
    }

    /* a folder where the feature file should be */
    sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "paramfile", "space.pcs", &err), 0);
    assert_int_equal(smac_scenario_set(sc, "instance_file", inst, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "feature_file", dir, &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_IO);
    assert_non_null(strstr(err.message, "Could not find feature file: /tmp/smac-scen-"));
    smac_scenario_free(sc);

    /* an unreadable feature file (root reads everything: skip then) */
    ff = fopen(feat, "w");
    fputs("instance,x\na,1\n", ff);
    fclose(ff);
    chmod(feat, 0);
    if (access(feat, R_OK) != 0) {
        sc = smac_scenario_new();
        char scen[1200];
        snprintf(scen, sizeof scen, "run_obj = quality\nparamfile = space.pcs\ninstance_file = %s\n"
                                    "feature_file = %s\n", inst, feat);
        assert_int_equal(smac_scenario_read_text(sc, scen, strlen(scen), "s.txt", &err), 0);
        assert_int_equal(smac_scenario_finish(sc, &err), SMAC_ERR_IO);
        assert_non_null(strstr(err.message, "s.txt:4: "));
        assert_non_null(strstr(err.message, "cannot open"));
        smac_scenario_free(sc);
    } else {
        print_message("running as root: the unreadable-file check is skipped\n");
    }
    remove(inst);
    remove(feat);
    remove(dir);
}

static void test_set_cs(void **state)
{
    (void)state;
    smac_error err;
    smac_cs *cs = NULL;
    if (smac_cs_read_text("x [0, 1] [0.5]\n", 15, "x.pcs", SMAC_CS_PCS, &cs, &err) != 0) {
        print_message("configuration-space reader not available (%s): skipped\n", err.message);
        skip();
    }
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_set_cs(sc, cs, &err), 0);
    assert_int_equal(smac_scenario_set(sc, "run_obj", "quality", &err), 0);
    assert_int_equal(smac_scenario_finish(sc, &err), 0);
    assert_ptr_equal(sc->cs, cs);
    smac_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_scenarios),
        cmocka_unit_test(test_run_obj_required),
        cmocka_unit_test(test_good_scenario),
        cmocka_unit_test(test_derived_values),
        cmocka_unit_test(test_inconsistent_options),
        cmocka_unit_test(test_instance_and_feature_details),
        cmocka_unit_test(test_set_cs),
    };
    return cmocka_run_group_tests(tests, enter_data, leave_data);
}
