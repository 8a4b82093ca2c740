/* Uniform sampling (algorithms.md §9.1): determinism for a seed, validity
 * of every sample (conditions, forbidden clauses), the distribution of each
 * parameter type checked statistically, and the error of an over-constrained
 * space. Also smac_cs_check's messages on broken vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"

#define ARR(...) ((const char *const[]){__VA_ARGS__})

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static smac_cs *finish(cs_builder *b)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

/* r real [0,1]; lr log real [1e-4, 1]; n integer [1,10]; m log integer
 * [1, 1000]; c categorical {a,b,c,d}; w weighted {x,y,z} 1:0:3; o ordinal
 * {lo,mid,hi}; k constant; child real active iff c in {a,b}; grand integer
 * active iff child > 0.5; forbidden {c=b, n=5}. */
static smac_cs *mixed_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "lr", 1e-4, 1, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 10, 1, 1, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "m", 1, 1000, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 4, ARR("a", "b", "c", "d"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(
        smac_cs_builder_add_categorical(b, "w", 3, ARR("x", "y", "z"), NULL, NULL, ((const double[]){1, 0, 3}), &err),
        0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("lo", "mid", "hi"), NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "v", CS_VALUE_STRING, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "child", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "grand", 0, 3, 0, 0, 0, 0, &err), 0);
    cs_cond_spec s1 = {.op = CS_COND_IN, .parent = "c", .n_values = 2, .values = ARR("a", "b")};
    assert_int_equal(smac_cs_builder_add_condition(b, "child", &s1, &err), 0);
    cs_cond_spec s2 = {.op = CS_COND_GT, .parent = "child", .n_values = 1, .values = ARR("0.5")};
    assert_int_equal(smac_cs_builder_add_condition(b, "grand", &s2, &err), 0);
    cs_forbid_spec parts[2] = {{.op = CS_FORBID_EQUALS, .param = "c", .n_values = 1, .values = ARR("b")},
                               {.op = CS_FORBID_EQUALS, .param = "n", .n_values = 1, .values = ARR("5")}};
    cs_forbid_spec f = {.op = CS_FORBID_AND, .n_parts = 2, .parts = parts};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f, &err), 0);
    return finish(b);
}

static double chi_square(const int *counts, const double *expected, int k)
{
    double chi = 0;
    for (int i = 0; i < k; i++)
        if (expected[i] > 0)
            chi += (counts[i] - expected[i]) * (counts[i] - expected[i]) / expected[i];
    return chi;
}

static void test_determinism(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    int n = smac_cs_n_params(cs);
    smac_rng a, b, c;
    smac_rng_seed(&a, 5, 0);
    smac_rng_seed(&b, 5, 0);
    smac_rng_seed(&c, 6, 0);
    double va[16], vb[16], vc[16];
    int differ = 0;
    for (int s = 0; s < 200; s++) {
        assert_int_equal(smac_cs_sample(cs, &a, va, NULL), 0);
        assert_int_equal(smac_cs_sample(cs, &b, vb, NULL), 0);
        assert_int_equal(smac_cs_sample(cs, &c, vc, NULL), 0);
        for (int i = 0; i < n; i++) {
            assert_true((isnan(va[i]) && isnan(vb[i])) || va[i] == vb[i]);
            if (!(isnan(va[i]) && isnan(vc[i])) && va[i] != vc[i])
                differ = 1;
        }
    }
    assert_true(differ);
    smac_cs_free(cs);
}

static void test_samples_are_valid_and_uniform(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    smac_rng rng;
    smac_rng_seed(&rng, 2024, 0);
    enum { N = 40000 };
    int ir = smac_cs_param_index(cs, "r"), ilr = smac_cs_param_index(cs, "lr");
    int in = smac_cs_param_index(cs, "n"), im = smac_cs_param_index(cs, "m");
    int ic = smac_cs_param_index(cs, "c"), iw = smac_cs_param_index(cs, "w");
    int io = smac_cs_param_index(cs, "o"), ik = smac_cs_param_index(cs, "k");
    int ich = smac_cs_param_index(cs, "child"), ig = smac_cs_param_index(cs, "grand");
    int rbins[10] = {0}, nbins[10] = {0}, cbins[4] = {0}, wbins[3] = {0}, obins[3] = {0};
    int lr_below_mid = 0, m_below_mid = 0, child_active = 0, grand_active = 0, b_and_5 = 0;
    int c_b = 0;
    double v[16];
    smac_error err = {0};
    for (int s = 0; s < N; s++) {
        assert_int_equal(smac_cs_sample(cs, &rng, v, &err), 0);
        if (smac_cs_check(cs, v, &err) != 0)
            fail_msg("sample %d invalid: %s", s, err.message);
        rbins[(int)(v[ir] * 10) % 10]++;
        double nv = cs_param_from_unit(&cs->params[in], v[in]);
        nbins[(int)nv - 1]++;
        /* integers are snapped: the vector is exactly that of the integer */
        assert_true(v[in] == cs_param_to_unit(&cs->params[in], nv));
        cbins[(int)v[ic]]++;
        wbins[(int)v[iw]]++;
        obins[(int)v[io]]++;
        assert_true(v[ik] == 0.0);
        lr_below_mid += cs_param_from_unit(&cs->params[ilr], v[ilr]) < 1e-2;
        m_below_mid += cs_param_from_unit(&cs->params[im], v[im]) < sqrt(1000.0);
        int ch = !isnan(v[ich]);
        assert_int_equal(ch, v[ic] == 0 || v[ic] == 1);
        child_active += ch;
        int g = !isnan(v[ig]);
        assert_int_equal(g, ch && cs_param_from_unit(&cs->params[ich], v[ich]) > 0.5);
        grand_active += g;
        c_b += v[ic] == 1;
        b_and_5 += v[ic] == 1 && nv == 5;
    }
    assert_int_equal(b_and_5, 0); /* the forbidden combination never comes out */

    double e10[10];
    for (int i = 0; i < 10; i++)
        e10[i] = N / 10.0;
    assert_true(chi_square(rbins, e10, 10) < 35); /* 9 dof, p ~ 1e-4 */
    /* n: c=b with n=5 is redrawn, so n=5 loses 1/4 * 1/10 of its mass
     * (and the others gain it back proportionally) */
    double en[10];
    double p5 = 0.1 * (1 - 0.25), rest = (1 - p5) / 9;
    for (int i = 0; i < 10; i++)
        en[i] = N * (i == 4 ? p5 : rest);
    assert_true(chi_square(nbins, en, 10) < 35);
    /* c: b loses the draws with n=5 */
    double pb = 0.25 * 0.9 / (1 - 0.025), pother = (1 - pb) / 3;
    double ec[4] = {N * pother, N * pb, N * pother, N * pother};
    assert_true(chi_square(cbins, ec, 4) < 25);
    double ew[3] = {N * 0.25, 0, N * 0.75};
    assert_int_equal(wbins[1], 0); /* weight 0: never */
    assert_true(chi_square(wbins, ew, 3) < 20);
    double eo[3] = {N / 3.0, N / 3.0, N / 3.0};
    assert_true(chi_square(obins, eo, 3) < 20);
    /* log scale: half of the mass below the geometric middle */
    assert_true(fabs(lr_below_mid / (double)N - 0.5) < 0.015);
    /* log integer: P(m <= 31) on the widened log range [0.50001, 1000.49999] */
    double pm = (log(31.5) - log(0.50001)) / (log(1000.49999) - log(0.50001));
    assert_true(fabs(m_below_mid / (double)N - pm) < 0.015);
    assert_true(fabs(child_active / (double)N - (pother + pb)) < 0.015);
    assert_true(fabs(grand_active / (double)child_active - 0.5) < 0.02);
    assert_true(c_b > 0);
    smac_cs_free(cs);
}

static void test_over_constrained(void **state)
{
    (void)state;
    /* 1000 values of which only the default is allowed: a draw succeeds
     * with probability 1/1000, so 100 tries mostly fail */
    enum { K = 1000 };
    char **names = malloc(K * sizeof *names);
    for (int i = 0; i < K; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "v%d", i);
    }
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", K, (const char *const *)names, NULL, NULL, NULL, &err),
                     0);
    cs_forbid_spec f = {.op = CS_FORBID_IN, .param = "c", .n_values = K - 1, .values = (const char *const *)names + 1};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f, &err), 0);
    smac_cs *cs = finish(b);
    for (int i = 0; i < K; i++)
        free(names[i]);
    free(names);
    smac_rng rng;
    smac_rng_seed(&rng, 1, 0);
    double v[1];
    int failures = 0, successes = 0;
    for (int t = 0; t < 30; t++) {
        int rc = smac_cs_sample(cs, &rng, v, &err);
        if (rc == 0) {
            successes++;
            assert_true(v[0] == 0.0);
        } else {
            failures++;
            assert_int_equal(rc, SMAC_ERR_RUNTIME);
            assert_contains(err.message, "could not sample a valid configuration");
        }
    }
    assert_true(failures > 15);
    (void)successes;
    smac_cs_free(cs);
}

static void test_check_messages(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    smac_error err = {0};
    double v[16], d[16];
    smac_cs_default(cs, d);
    int ir = smac_cs_param_index(cs, "r"), ic = smac_cs_param_index(cs, "c");
    int ich = smac_cs_param_index(cs, "child"), ig = smac_cs_param_index(cs, "grand");
    int ik = smac_cs_param_index(cs, "k"), io = smac_cs_param_index(cs, "o");
    assert_int_equal(smac_cs_check(cs, d, &err), 0);
    /* default: c = a, so child is active at 0.5 and grand (child > 0.5) is not */
    assert_false(isnan(d[ich]));
    assert_true(isnan(d[ig]));

    memcpy(v, d, sizeof v);
    v[ir] = 1.5;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'r' has the vector value 1.5, outside [0, 1]");
    v[ir] = NAN;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'r' is unconditional but has no value");

    memcpy(v, d, sizeof v);
    v[ic] = 4;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'c' has the vector value 4.0, not a choice index in 0..3");
    v[ic] = 0.5;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    v[ic] = 2; /* c = c: child must be inactive */
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'child' is inactive (its condition 'c in {a, b}' does not hold)");
    v[ich] = NAN;
    assert_int_equal(smac_cs_check(cs, v, &err), 0);

    memcpy(v, d, sizeof v);
    v[ich] = NAN; /* c = a: child must be active */
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'child' is active (its condition 'c in {a, b}' holds) but has no value");

    memcpy(v, d, sizeof v);
    v[ich] = 0.9;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'grand' is active (its condition 'child > 0.5' holds)");

    memcpy(v, d, sizeof v);
    v[ik] = 1;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "constant parameter 'k'");
    memcpy(v, d, sizeof v);
    v[io] = -1;
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'o'");

    /* cs_fix_activity repairs what the conditions decide */
    memcpy(v, d, sizeof v);
    v[ic] = 3;
    cs_fix_activity(cs, v);
    assert_true(isnan(v[ich]));
    v[ic] = 1;
    cs_fix_activity(cs, v);
    assert_true(v[ich] == 0.5); /* back at its default */
    assert_int_equal(smac_cs_check(cs, v, &err), 0);
    assert_int_equal(smac_cs_check(NULL, v, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_cs_sample(cs, NULL, v, &err), SMAC_ERR_INVALID);
    smac_cs_free(cs);
}

static void test_or_condition_sampling(void **state)
{
    (void)state;
    /* x active iff a == 1 || b == 1: active 3/4 of the time */
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "a", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "b", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, &err), 0);
    cs_cond_spec parts[2] = {{.op = CS_COND_EQ, .parent = "a", .n_values = 1, .values = ARR("1")},
                             {.op = CS_COND_EQ, .parent = "b", .n_values = 1, .values = ARR("1")}};
    cs_cond_spec s = {.op = CS_COND_OR, .n_parts = 2, .parts = parts};
    assert_int_equal(smac_cs_builder_add_condition(b, "x", &s, &err), 0);
    smac_cs *cs = finish(b);
    smac_rng rng;
    smac_rng_seed(&rng, 3, 0);
    int active = 0;
    for (int i = 0; i < 20000; i++) {
        double v[3];
        assert_int_equal(smac_cs_sample(cs, &rng, v, NULL), 0);
        assert_int_equal(smac_cs_check(cs, v, NULL), 0);
        active += !isnan(v[2]);
    }
    assert_true(fabs(active / 20000.0 - 0.75) < 0.015);
    smac_cs_free(cs);
}

/* Every real space of shared/pcs: read as SMAC3 would (format detection),
 * sizes as ConfigSpace 0.4.21 counted them (SUMMARY.json), a valid default,
 * and samples that all pass the validity check. */
static void test_real_spaces(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/pcs/SUMMARY.json", SMAC_SHARED_DIR);
    json_error_t jerr;
    json_t *summary = json_load_file(path, 0, &jerr);
    if (!summary) {
        print_message("skipped: %s not found\n", path);
        skip();
    }
    const char *file;
    json_t *info;
    int n_files = 0;
    json_object_foreach(summary, file, info)
    {
        snprintf(path, sizeof path, "%s/pcs/%s", SMAC_SHARED_DIR, file);
        smac_cs *cs = NULL;
        smac_error err = {0};
        if (smac_cs_read_file(path, SMAC_CS_AUTO, &cs, &err) != 0) {
            json_decref(summary);
            fail_msg("%s: %s", file, err.message);
        }
        const char *fmt = json_string_value(json_object_get(info, "detected_format"));
        assert_non_null(fmt);
        assert_int_equal(smac_cs_source_format(cs), strcmp(fmt, "pcs_new") == 0 ? SMAC_CS_PCS_NEW : SMAC_CS_PCS);
        assert_int_equal(smac_cs_n_params(cs), json_integer_value(json_object_get(info, "n_parameters")));
        assert_int_equal(smac_cs_n_conditions(cs), json_integer_value(json_object_get(info, "n_conditions")));
        assert_int_equal(smac_cs_n_forbiddens(cs), json_integer_value(json_object_get(info, "n_forbiddens")));
        int n = smac_cs_n_params(cs);
        double *v = malloc(sizeof(double) * (size_t)n);
        assert_non_null(v);
        smac_cs_default(cs, v);
        if (smac_cs_check(cs, v, &err) != 0)
            fail_msg("%s: default invalid: %s", file, err.message);
        smac_rng rng;
        smac_rng_seed(&rng, (uint64_t)n_files, 0);
        for (int s = 0; s < 300; s++) {
            assert_int_equal(smac_cs_sample(cs, &rng, v, &err), 0);
            if (smac_cs_check(cs, v, &err) != 0)
                fail_msg("%s: sample %d invalid: %s", file, s, err.message);
        }
        free(v);
        smac_cs_free(cs);
        n_files++;
    }
    json_decref(summary);
    assert_true(n_files >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_samples_are_valid_and_uniform),
        cmocka_unit_test(test_over_constrained),
        cmocka_unit_test(test_check_messages),
        cmocka_unit_test(test_or_condition_sampling),
        cmocka_unit_test(test_real_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
