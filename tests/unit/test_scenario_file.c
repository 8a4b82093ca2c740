/* Scenario-file syntax (formats.md §2) with SMAC3 v1.1's quirks, and the
 * messages malformed files give (file:line: ...). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "util/log.h"

#define DATA SMAC_SOURCE_DIR "/tests/data/scenario"

static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return 0;
}

/* Reads `text` as "scenario.txt" into a new scenario; NULL on error (err set). */
static smac_scenario *read_text(const char *text, smac_error *err)
{
    smac_scenario *sc = smac_scenario_new();
    assert_non_null(sc);
    if (smac_scenario_read_text(sc, text, strlen(text), "scenario.txt", err) != 0) {
        smac_scenario_free(sc);
        return NULL;
    }
    return sc;
}

static void expect_error(const char *text, const char *message)
{
    smac_error err;
    smac_scenario *sc = read_text(text, &err);
    if (sc) {
        smac_scenario_free(sc);
        fail_msg("no error for:\n%s", text);
    }
    if (strcmp(err.message, message) != 0)
        fail_msg("expected '%s'\n     got '%s'", message, err.message);
}

/* "algo = ./a.sh --x=1" reads as "./a.sh --x 1": every '=' splits. */
static void test_equals_quirk(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = read_text("algo = ./a.sh --x=1 --y==2\n"
                                  "execdir = a=b=\n",
                                  &err);
    assert_non_null(sc);
    assert_string_equal(smac_scenario_get(sc, "algo"), "./a.sh --x 1 --y  2");
    assert_int_equal(sc->algo.n, 5);
    assert_string_equal(sc->algo.items[1], "--x");
    assert_string_equal(sc->algo.items[2], "1");
    assert_string_equal(sc->execdir, "a b "); /* Python " ".join(["a", "b", ""]) */
    smac_scenario_free(sc);
}

static void test_whitespace_and_comments(void **state)
{
    (void)state;
    smac_error err;
    const char *text = "# a comment line\n"
                       "   \n"
                       "\t\n"
                       "  run_obj   =   quality   # trailing comment\n"
                       "algo = python3   -u\t target.py  \"a   b\"\n"
                       "paramfile = dir#1/space.pcs\n"
                       "cutoff_time 5\n"
                       "wallclock_limit\t  60   \n"
                       "deterministic=true\n"
                       "#cutoff_time = 999\n";
    smac_scenario *sc = read_text(text, &err);
    if (!sc)
        fail_msg("%s", err.message);
    assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_QUALITY);
    /* blank runs collapse, even inside quotes (as SMAC3) */
    assert_string_equal(smac_scenario_get(sc, "algo"), "python3 -u target.py \"a b\"");
    assert_string_equal(sc->algo.items[3], "a b");
    /* '#' cuts a path: SMAC3 has no escaping */
    assert_string_equal(sc->paramfile, "dir");
    assert_true(sc->cutoff == 5);
    assert_true(sc->wallclock_limit == 60);
    assert_true(sc->deterministic);
    smac_scenario_free(sc);
}

static void test_line_endings(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = read_text("run_obj = quality\r\ncutoff_time = 2\rseed_x = 1\n", &err);
    assert_null(sc);
    /* \r\n, then a lone \r (Python's universal newlines): the typo is on line 3 */
    assert_non_null(strstr(err.message, "scenario.txt:3: unknown option 'seed_x'"));
    sc = read_text("run_obj = quality\r\ncutoff_time = 2\r\n", &err);
    assert_non_null(sc);
    assert_true(sc->cutoff == 2);
    smac_scenario_free(sc);
}

/* A later line for the same option replaces the earlier one, and only the
 * kept value is checked (as SMAC3's dictionary does). */
static void test_later_lines_win(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = read_text("cutoff_time = abc\ncutoffTime = 4\nrun_obj = runtime\nrun-obj = quality\n",
                                  &err);
    if (!sc)
        fail_msg("%s", err.message);
    assert_true(sc->cutoff == 4);
    assert_int_equal(sc->run_obj, SMAC_RUN_OBJ_QUALITY);
    smac_scenario_free(sc);
}

static void test_main_options_ignored(void **state)
{
    (void)state;
    smac_error err;
    smac_scenario *sc = read_text("seed = 5\nmode = ROAR\nscenario = other.txt\nverbose = DEBUG\n"
                                  "restore_state = x\nhelp = 1\nrun_obj = quality\n",
                                  &err);
    assert_non_null(sc);
    assert_int_equal(sc->seed, 1);
    assert_int_equal(sc->mode, SMAC_MODE_SMAC4AC);
    assert_null(sc->scenario_file);
    assert_null(sc->restore_state);
    assert_int_equal(sc->help, 0);
    assert_false(smac_scenario_is_set(sc, "seed"));
    smac_scenario_free(sc);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("run_obj = quality\n\n\ncutoff_tme = 5\n",
                 "scenario.txt:4: unknown option 'cutoff_tme' (did you mean 'cutoff_time'?)");
    expect_error("run_obj = quality\ncutoff_time = abc\n",
                 "scenario.txt:2: option 'cutoff_time': expected a number, got 'abc'");
    expect_error("cutoffTime = 1e\n", "scenario.txt:1: option 'cutoffTime': expected a number, got '1e'");
    expect_error("deterministic = maybe\n",
                 "scenario.txt:1: option 'deterministic': expected a boolean (true/false, yes/no, "
                 "on/off, 1/0), got 'maybe'");
    expect_error("deterministic\n",
                 "scenario.txt:1: option 'deterministic': expected a boolean (true/false, yes/no, "
                 "on/off, 1/0), got ''");
    expect_error("\n\noverall_obj = Par10\n",
                 "scenario.txt:3: option 'overall_obj': expected PARx, parx, MEANx or meanx with an "
                 "integer x >= 1 (e.g. PAR10, mean), got 'Par10'");
    expect_error("run_obj = speed\n",
                 "scenario.txt:1: option 'run_obj': expected one of runtime, quality; got 'speed'");
    expect_error("initial_incumbent = lhd\n",
                 "scenario.txt:1: option 'initial_incumbent': expected one of DEFAULT, RANDOM, LHD, "
                 "SOBOL, FACTORIAL; got 'lhd'");
    expect_error("rf_num_trees = 2.5\n", "scenario.txt:1: option 'rf_num_trees': expected an integer, got '2.5'");
    expect_error("= 5\n", "scenario.txt:1: missing option name before '='");
    expect_error("algo = a 'b\n",
                 "scenario.txt:1: option 'algo': cannot split 'a 'b' into words: No closing quotation");
    expect_error("intensification_percentage = 1.0\n",
                 "scenario.txt:1: option 'intensification_percentage': expected a number in (0, 1), got '1.0'");
    expect_error("Run_Obj = quality\n", "scenario.txt:1: unknown option 'Run_Obj' (did you mean 'run_obj'?)");
    expect_error("cutoff time = 5\n", "scenario.txt:1: unknown option 'cutoff time' (did you mean 'cutoff_time'?)");
    smac_error err;
    const char nul[] = "run_obj = quality\nalgo = a\0b\n";
    smac_scenario *sc = smac_scenario_new();
    assert_int_equal(smac_scenario_read_text(sc, nul, sizeof nul - 1, "scenario.txt", &err), SMAC_ERR_PARSE);
    assert_string_equal(err.message, "scenario.txt:2: NUL byte in a scenario file");
    assert_string_equal(err.file, "scenario.txt");
    assert_int_equal(err.line, 2);
    smac_scenario_free(sc);
}

/* The data files give their messages with their own names. */
static void test_files_on_disk(void **state)
{
    (void)state;
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"bad-unknown.txt", "bad-unknown.txt:4: unknown option 'cutoff_tme' (did you mean 'cutoff_time'?)"},
        {"bad-number.txt", "bad-number.txt:7: option 'cutoff_time': expected a number, got 'abc'"},
        {"bad-bool.txt", "bad-bool.txt:3: option 'deterministic': expected a boolean"},
        {"no-such-file.txt", "Could not find scenario file: no-such-file.txt"},
        {".", "Could not find scenario file: ."},
    };
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    if (chdir(DATA) != 0)
        fail_msg("cannot enter %s", DATA);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        smac_scenario *sc = smac_scenario_new();
        smac_error err;
        assert_int_not_equal(smac_scenario_read_file(sc, cases[i].file, &err), 0);
        if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("%s: got '%s'", cases[i].file, err.message);
        smac_scenario_free(sc);
    }
    smac_scenario *sc = smac_scenario_new();
    smac_error err;
    assert_int_equal(smac_scenario_read_file(sc, "good.txt", &err), 0);
    assert_int_equal(sc->algo.n, 5);
    assert_string_equal(sc->algo.items[4], "fast run");
    assert_true(sc->wallclock_limit == 120);
    assert_true(sc->runcount_limit == 50);
    assert_true(sc->deterministic);
    assert_int_equal(smac_scenario_read_file(NULL, "good.txt", &err), SMAC_ERR_INVALID);
    smac_scenario_free(sc);
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equals_quirk),
        cmocka_unit_test(test_whitespace_and_comments),
        cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_later_lines_win),
        cmocka_unit_test(test_main_options_ignored),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_files_on_disk),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
