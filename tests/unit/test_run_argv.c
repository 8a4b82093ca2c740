/*
 * Argument vectors of target calls (formats.md §5.1, §5.2), checked against
 * the 25 vectors SMAC3 v1.1 really passed (fixture smac3-v1.1-target-calls:
 * argv.log written by logwrap.sh, space mixed.pcs, scenario cutoff 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/runner.h"
#include "util/fsutil.h"

static char *joined(char **argv)
{
    size_t n = 1;
    for (char **p = argv; *p; p++)
        n += strlen(*p) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    s[0] = '\0';
    for (char **p = argv; *p; p++) {
        strcat(s, *p);
        strcat(s, "|");
    }
    return s;
}

static void test_cutoff_text(void **state)
{
    (void)state;
    static const struct { double cutoff; const char *text; } cases[] = {
        {3.0, "3"}, {0.3, "1"}, {2.0000001, "3"}, {5.9999, "6"}, {0.0, "0"}, {-0.5, "0"}, {-1.5, "-1"},
        {1e20, "100000000000000000000"}, {INFINITY, "NONE"}, {NAN, "NONE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        smac_cutoff_text(cases[i].cutoff, "NONE", buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
}

static void test_old_text(void **state)
{
    (void)state;
    char *algo[] = {"sh", "logwrap.sh"};
    const char *params[] = {"level", "8", "solver", "a", "x1", "0.0"};
    char **argv;
    assert_int_equal(smac_build_argv_old_text(algo, 2, "instances/train-04.txt", NULL, 3.0, 0, params, 3, &argv, NULL), 0);
    char *s = joined(argv);
    assert_string_equal(s, "sh|logwrap.sh|instances/train-04.txt|0|3|0|0|-level|8|-solver|a|-x1|0.0|");
    free(s);
    smac_argv_free(argv);

    /* No instance, instance-specific text, no cutoff, big seed; values verbatim (no quoting). */
    const char *odd[] = {"name", "a b'c\"", "e", ""};
    assert_int_equal(smac_build_argv_old_text(algo, 1, NULL, "17 extra", INFINITY, 18446744073709551615ULL, odd, 2,
                                              &argv, NULL),
                     0);
    s = joined(argv);
    assert_string_equal(s, "sh|0|17 extra|99999999999999.0|0|18446744073709551615|-name|a b'c\"|-e||");
    free(s);
    smac_argv_free(argv);
}

static void test_aclib_text(void **state)
{
    (void)state;
    char *algo[] = {"python3", "wrapper.py", "--mem", "100"};
    const char *params[] = {"x", "1.5", "c", "red"};
    char **argv;
    assert_int_equal(smac_build_argv_aclib_text(algo, 4, "i.cnf", 0.3, 12, params, 2, &argv, NULL), 0);
    char *s = joined(argv);
    assert_string_equal(s, "python3|wrapper.py|--mem|100|--instance|i.cnf|--cutoff|1|--seed|12|--config|-x|1.5|-c|red|");
    free(s);
    smac_argv_free(argv);
    assert_int_equal(smac_build_argv_aclib_text(algo, 1, NULL, INFINITY, 0, NULL, 0, &argv, NULL), 0);
    s = joined(argv);
    assert_string_equal(s, "python3|--instance|0|--cutoff|99999999999999|--seed|0|--config|");
    free(s);
    smac_argv_free(argv);
}

static void test_bad_algo(void **state)
{
    (void)state;
    char **argv = (char **)1;
    smac_error err;
    char *empty[] = {""};
    char *null_tok[] = {"sh", NULL};
    assert_int_equal(smac_build_argv_old_text(NULL, 0, NULL, NULL, 1, 0, NULL, 0, &argv, &err), SMAC_ERR_INVALID);
    assert_null(argv);
    assert_non_null(strstr(err.message, "empty"));
    assert_int_equal(smac_build_argv_old_text(empty, 1, NULL, NULL, 1, 0, NULL, 0, &argv, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_build_argv_aclib_text(null_tok, 2, NULL, 1, 0, NULL, 0, &argv, &err), SMAC_ERR_INVALID);
    assert_null(argv);

    /* A request without a space passes no parameters; a callback has no argv. */
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    char *algo[] = {"t"};
    cfg.algo_argv = algo;
    cfg.algo_argc = 1;
    smac_run_request req;
    memset(&req, 0, sizeof req);
    req.cutoff = 2;
    req.seed = 5;
    assert_int_equal(smac_build_argv(&cfg, &req, &argv, NULL), 0);
    char *s = joined(argv);
    assert_string_equal(s, "t|0|0|2|0|5|");
    free(s);
    smac_argv_free(argv);
    cfg.kind = SMAC_TAE_CALLBACK;
    assert_int_equal(smac_build_argv(&cfg, &req, &argv, NULL), SMAC_ERR_INVALID);
}

/* ------------------------------------------------------------ the fixture */

static const char *fixture_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/fixtures/smac3-v1.1-target-calls", SMAC_SHARED_DIR);
    return dir;
}

/* Rebuilds every logged call from its values and compares the vector. */
static void test_fixture_argv_log(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/argv.log", fixture_dir());
    char *log;
    size_t len;
    if (smac_read_file(path, &log, &len, NULL) != 0) {
        print_message("skipped: %s not found\n", path);
        skip();
    }
    snprintf(path, sizeof path, "%s/mixed.pcs", fixture_dir());
    smac_cs *cs;
    smac_error err;
    if (smac_cs_read_file(path, SMAC_CS_AUTO, &cs, &err) != 0)
        fail_msg("%s", err.message);
    int np = smac_cs_n_params(cs);
    double *config = malloc((size_t)np * sizeof *config);
    assert_non_null(config);

    char *algo[] = {"sh", "logwrap.sh"};
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    cfg.algo_argv = algo;
    cfg.algo_argc = 2;
    int lines = 0;
    char *save = NULL;
    for (char *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* instance|specific|cutoff|runlength|seed|-name|value|...| */
        char *tok[64];
        int nt = 0;
        char *copy = strdup(line), *p = copy;
        assert_non_null(copy);
        for (char *bar; (bar = strchr(p, '|')) && nt < 64; p = bar + 1) {
            *bar = '\0';
            tok[nt++] = p;
        }
        assert_true(nt >= 5 && (nt - 5) % 2 == 0);
        for (int i = 0; i < np; i++)
            config[i] = NAN;
        for (int k = 5; k < nt; k += 2) {
            int idx = smac_cs_param_index(cs, tok[k] + 1);
            assert_true(idx >= 0);
            if (smac_cs_parse_value(cs, idx, tok[k + 1], &config[idx], &err) != 0)
                fail_msg("%s", err.message);
        }
        smac_run_request req;
        memset(&req, 0, sizeof req);
        req.cs = cs;
        req.config = config;
        req.instance = tok[0];
        req.instance_specific = strcmp(tok[1], "0") == 0 ? NULL : tok[1];
        /* A capped run's cutoff is fractional; the call shows it rounded up. */
        req.cutoff = atof(tok[2]) - 0.25;
        req.seed = (uint64_t)atoll(tok[4]);
        char **argv;
        assert_int_equal(smac_build_argv_old(&cfg, &req, &argv, &err), 0);
        char *s = joined(argv);
        char want[4096];
        snprintf(want, sizeof want, "sh|logwrap.sh|%s", line);
        if (strcmp(s, want) != 0)
            fail_msg("line %d:\n got  %s\n want %s", lines + 1, s, want);
        free(s);
        smac_argv_free(argv);

        /* The same call in AClib2 form. */
        assert_int_equal(smac_build_argv_aclib(&cfg, &req, &argv, &err), 0);
        s = joined(argv);
        char *params = strstr(line, "|-");
        snprintf(want, sizeof want, "sh|logwrap.sh|--instance|%s|--cutoff|%s|--seed|%s|--config%s", tok[0], tok[2],
                 tok[4], params ? params : "|");
        assert_string_equal(s, want);
        free(s);
        smac_argv_free(argv);
        free(copy);
        lines++;
    }
    assert_int_equal(lines, 25);
    free(config);
    smac_cs_free(cs);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cutoff_text),
        cmocka_unit_test(test_old_text),
        cmocka_unit_test(test_aclib_text),
        cmocka_unit_test(test_bad_algo),
        cmocka_unit_test(test_fixture_argv_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
