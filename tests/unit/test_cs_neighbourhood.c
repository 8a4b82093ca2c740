/* The one-exchange neighbourhood (algorithms.md §9.2): how many neighbours
 * each parameter type contributes, what they are, determinism for a seed,
 * activation and deactivation of children, forbidden neighbours and
 * exhausted parameters, and reuse of one generator for several centres. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"

#define ARR(...) ((const char *const[]){__VA_ARGS__})
#define MAXP 16

static smac_cs *finish(cs_builder *b)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

/* r real; s integer [1,5] (4 others); big integer [1,100]; c categorical
 * of 4; o ordinal of 3; k constant. No conditions. */
static smac_cs *flat_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "s", 1, 5, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "big", 1, 100, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 4, ARR("a", "b", "c", "d"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("lo", "mid", "hi"), NULL, "mid", &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "v", CS_VALUE_STRING, &err), 0);
    return finish(b);
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* Collects every neighbour; returns how many, and per parameter how many
 * neighbours changed it. Every neighbour must be valid. */
static int collect(const smac_cs *cs, smac_neighbourhood *nb, const double *centre, double (*out)[MAXP], int max,
                   int *per_param)
{
    int n = smac_cs_n_params(cs), count = 0;
    double v[MAXP];
    smac_error err = {0};
    while (smac_neighbourhood_next(nb, v)) {
        if (smac_cs_check(cs, v, &err) != 0)
            fail_msg("neighbour %d invalid: %s", count, err.message);
        int changed = -1, n_changed = 0;
        for (int i = 0; i < n; i++) {
            if (!same(v[i], centre[i]) && cs->params[i].condition < 0) {
                changed = i;
                n_changed++;
            }
        }
        assert_int_equal(n_changed, 1); /* exactly one unconditional parameter moved */
        if (per_param)
            per_param[changed]++;
        if (out && count < max)
            memcpy(out[count], v, sizeof(double) * (size_t)n);
        count++;
        assert_true(count < 10000);
    }
    return count;
}

static void test_counts_and_values(void **state)
{
    (void)state;
    smac_cs *cs = flat_space();
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    assert_non_null(nb);
    double centre[MAXP];
    smac_cs_default(cs, centre); /* s = 3, big = 50, c = a, o = mid */
    smac_neighbourhood_reset(nb, centre, 17);
    static double all[100][MAXP];
    int per[MAXP] = {0};
    int total = collect(cs, nb, centre, all, 100, per);
    int ir = smac_cs_param_index(cs, "r"), is = smac_cs_param_index(cs, "s");
    int ib = smac_cs_param_index(cs, "big"), ic = smac_cs_param_index(cs, "c");
    int io = smac_cs_param_index(cs, "o"), ik = smac_cs_param_index(cs, "k");
    assert_int_equal(per[ir], 8);
    assert_int_equal(per[is], 4);
    assert_int_equal(per[ib], 8);
    assert_int_equal(per[ic], 3);
    assert_int_equal(per[io], 2);
    assert_int_equal(per[ik], 0);
    assert_int_equal(total, 25);
    assert_int_equal(smac_neighbourhood_next(nb, centre), 0); /* stays exhausted */

    int s_seen[6] = {0}, c_seen[4] = {0}, o_seen[3] = {0}, big_seen[101] = {0};
    for (int k = 0; k < total; k++) {
        double *v = all[k];
        if (v[ir] != centre[ir])
            assert_true(v[ir] >= 0 && v[ir] <= 1);
        if (v[is] != centre[is])
            s_seen[(int)cs_param_from_unit(&cs->params[is], v[is])]++;
        if (v[ic] != centre[ic])
            c_seen[(int)v[ic]]++;
        if (v[io] != centre[io])
            o_seen[(int)v[io]]++;
        if (v[ib] != centre[ib]) {
            int x = (int)cs_param_from_unit(&cs->params[ib], v[ib]);
            assert_true(x != 50);
            assert_int_equal(big_seen[x], 0); /* distinct */
            big_seen[x]++;
            /* snapped onto the integer's vector value */
            assert_true(v[ib] == cs_param_to_unit(&cs->params[ib], x));
        }
    }
    /* small integer range: every other integer exactly once */
    assert_int_equal(s_seen[3], 0);
    for (int x = 1; x <= 5; x++)
        if (x != 3)
            assert_int_equal(s_seen[x], 1);
    /* categorical: every other category exactly once */
    assert_int_equal(c_seen[0], 0);
    for (int x = 1; x < 4; x++)
        assert_int_equal(c_seen[x], 1);
    /* ordinal: both neighbours of the middle */
    assert_int_equal(o_seen[0], 1);
    assert_int_equal(o_seen[2], 1);

    /* an ordinal at the end has one neighbour */
    centre[io] = 2;
    smac_neighbourhood_reset(nb, centre, 17);
    memset(per, 0, sizeof per);
    collect(cs, nb, centre, NULL, 0, per);
    assert_int_equal(per[io], 1);
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);
}

static void test_determinism(void **state)
{
    (void)state;
    smac_cs *cs = flat_space();
    smac_neighbourhood *a = smac_neighbourhood_new(cs), *b = smac_neighbourhood_new(cs);
    double centre[MAXP];
    smac_rng rng;
    smac_rng_seed(&rng, 9, 0);
    assert_int_equal(smac_cs_sample(cs, &rng, centre, NULL), 0);
    static double x[100][MAXP], y[100][MAXP], z[100][MAXP];
    smac_neighbourhood_reset(a, centre, 1234);
    smac_neighbourhood_reset(b, centre, 1234);
    int nx = collect(cs, a, centre, x, 100, NULL);
    int ny = collect(cs, b, centre, y, 100, NULL);
    assert_int_equal(nx, ny);
    int n = smac_cs_n_params(cs);
    for (int k = 0; k < nx; k++)
        for (int i = 0; i < n; i++)
            assert_true(same(x[k][i], y[k][i]));
    /* the same generator after reset repeats itself too */
    smac_neighbourhood_reset(a, centre, 1234);
    int nz = collect(cs, a, centre, z, 100, NULL);
    assert_int_equal(nz, nx);
    assert_memory_equal(z, x, sizeof(double) * (size_t)n * (size_t)nx);
    /* another seed: another order */
    smac_neighbourhood_reset(b, centre, 1235);
    ny = collect(cs, b, centre, y, 100, NULL);
    int differ = 0;
    for (int k = 0; k < nx && k < ny; k++)
        for (int i = 0; i < n; i++)
            differ |= !same(x[k][i], y[k][i]);
    assert_true(differ);
    smac_neighbourhood_free(a);
    smac_neighbourhood_free(b);
    smac_cs_free(cs);
}

static void test_real_steps_are_small(void **state)
{
    (void)state;
    cs_builder *bld = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_real(bld, "r", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(bld, "huge", 900000000, 18000000000.0, 0, 0, 1, 0, &err), 0);
    smac_cs *cs = finish(bld);
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    int ir = smac_cs_param_index(cs, "r"), ih = smac_cs_param_index(cs, "huge");
    double centre[2];
    smac_cs_default(cs, centre);
    double sum_sq = 0;
    int n_real = 0, n_int = 0;
    for (uint64_t seed = 0; seed < 200; seed++) {
        smac_neighbourhood_reset(nb, centre, seed);
        double v[2];
        while (smac_neighbourhood_next(nb, v)) {
            if (v[ir] != centre[ir]) {
                sum_sq += (v[ir] - centre[ir]) * (v[ir] - centre[ir]);
                n_real++;
            } else {
                double x = cs_param_from_unit(&cs->params[ih], v[ih]);
                assert_true(x >= 900000000.0 && x <= 18000000000.0 && x == rint(x));
                assert_true(fabs(v[ih] - centre[ih]) < 0.5);
                n_int++;
            }
        }
    }
    assert_int_equal(n_real, 200 * 8);
    assert_int_equal(n_int, 200 * 8);
    double sd = sqrt(sum_sq / n_real);
    assert_true(sd > 0.045 && sd < 0.055); /* N(0, 0.05^2), centre 0.5: truncation negligible */
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);
}

/* sw {on, off} switches x (active iff sw == on); x > 0.5 switches y. */
static smac_cs *conditional_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "sw", 2, ARR("on", "off"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 1, 0.75, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "y", 3, ARR("p", "q", "r"), NULL, "q", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "free", 0, 1, 0, 0, 0, 0, &err), 0);
    cs_cond_spec s1 = {.op = CS_COND_EQ, .parent = "sw", .n_values = 1, .values = ARR("on")};
    cs_cond_spec s2 = {.op = CS_COND_GT, .parent = "x", .n_values = 1, .values = ARR("0.5")};
    assert_int_equal(smac_cs_builder_add_condition(b, "x", &s1, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "y", &s2, &err), 0);
    return finish(b);
}

static void test_activation(void **state)
{
    (void)state;
    smac_cs *cs = conditional_space();
    int isw = smac_cs_param_index(cs, "sw"), ix = smac_cs_param_index(cs, "x"), iy = smac_cs_param_index(cs, "y");
    int ifree = smac_cs_param_index(cs, "free");
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    double centre[4], v[4];

    /* centre sw = off: x and y inactive; switching sw on brings x back at
     * its default 0.75 and therefore y at its default q */
    smac_cs_default(cs, centre);
    centre[isw] = 1;
    cs_fix_activity(cs, centre);
    assert_true(isnan(centre[ix]) && isnan(centre[iy]));
    smac_neighbourhood_reset(nb, centre, 5);
    int n = 0, sw_moves = 0;
    while (smac_neighbourhood_next(nb, v)) {
        assert_int_equal(smac_cs_check(cs, v, NULL), 0);
        if (v[isw] != centre[isw]) {
            sw_moves++;
            assert_true(v[ix] == 0.75);
            assert_true(v[iy] == 1.0);
        } else {
            assert_true(v[ifree] != centre[ifree]);
            assert_true(isnan(v[ix]));
        }
        n++;
    }
    assert_int_equal(sw_moves, 1);
    assert_int_equal(n, 1 + 8); /* inactive x and y contribute nothing */

    /* centre sw = on, x = 0.55, y = r: switching sw off turns x and y off;
     * moving x below 0.5 turns y off; y moves to its two other values */
    smac_cs_default(cs, centre);
    centre[ix] = 0.55;
    centre[iy] = 2;
    assert_int_equal(smac_cs_check(cs, centre, NULL), 0);
    int seen_y_off = 0, seen_sw_off = 0, y_moves = 0;
    for (uint64_t seed = 0; seed < 50; seed++) {
        smac_neighbourhood_reset(nb, centre, seed);
        while (smac_neighbourhood_next(nb, v)) {
            assert_int_equal(smac_cs_check(cs, v, NULL), 0);
            if (v[isw] != centre[isw]) {
                seen_sw_off++;
                assert_true(isnan(v[ix]) && isnan(v[iy]));
            } else if (v[ix] != centre[ix]) {
                if (v[ix] <= 0.5) {
                    seen_y_off++;
                    assert_true(isnan(v[iy]));
                } else {
                    assert_true(v[iy] == 2); /* stays as it was */
                }
            } else if (v[iy] != centre[iy]) {
                y_moves++;
            }
        }
    }
    assert_int_equal(seen_sw_off, 50);
    assert_int_equal(y_moves, 100);
    assert_true(seen_y_off > 0);
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);
}

static void test_forbidden_neighbours(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 4, ARR("a", "b", "c", "d"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 3, 1, 1, 0, 0, &err), 0);
    cs_forbid_spec f1 = {.op = CS_FORBID_EQUALS, .param = "c", .n_values = 1, .values = ARR("b")};
    cs_forbid_spec f2 = {.op = CS_FORBID_EQUALS, .param = "n", .n_values = 1, .values = ARR("2")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f1, &err), 0);
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f2, &err), 0);
    smac_cs *cs = finish(b);
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    double centre[2], v[2];
    smac_cs_default(cs, centre); /* c = a, n = 1 */
    int totals[8] = {0};
    for (uint64_t seed = 0; seed < 200; seed++) {
        smac_neighbourhood_reset(nb, centre, seed);
        int count = 0;
        while (smac_neighbourhood_next(nb, v)) {
            assert_int_equal(smac_cs_check(cs, v, NULL), 0); /* never forbidden */
            count++;
        }
        /* c has 3 candidates, one forbidden: hitting it exhausts c, so c
         * yields 0, 1 or 2; n has 2 candidates, one forbidden: 0 or 1 */
        assert_true(count <= 3);
        totals[count]++;
    }
    /* every outcome occurs for some seed */
    for (int k = 0; k <= 3; k++)
        assert_true(totals[k] > 0);
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);
}

static void test_edge_cases(void **state)
{
    (void)state;
    smac_cs *cs = flat_space();
    smac_neighbourhood *nb = smac_neighbourhood_new(cs);
    double v[MAXP];
    /* before any reset: nothing */
    assert_int_equal(smac_neighbourhood_next(nb, v), 0);
    smac_neighbourhood_reset(NULL, v, 1);
    assert_int_equal(smac_neighbourhood_next(NULL, v), 0);
    smac_neighbourhood_free(NULL);
    assert_null(smac_neighbourhood_new(NULL));
    /* a centre with an out-of-range real still terminates */
    double centre[MAXP];
    smac_cs_default(cs, centre);
    centre[smac_cs_param_index(cs, "r")] = 7.0;
    smac_neighbourhood_reset(nb, centre, 3);
    int n = 0;
    while (smac_neighbourhood_next(nb, v))
        n++;
    assert_int_equal(n, 25);
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);

    /* a space of constants and one-value categoricals has no neighbours */
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "v", CS_VALUE_STRING, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "one", 1, ARR("x"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o1", 1, ARR("x"), NULL, NULL, &err), 0);
    cs = finish(b);
    nb = smac_neighbourhood_new(cs);
    smac_cs_default(cs, centre);
    smac_neighbourhood_reset(nb, centre, 3);
    assert_int_equal(smac_neighbourhood_next(nb, v), 0);
    smac_neighbourhood_free(nb);
    smac_cs_free(cs);
}

/* Real spaces: every neighbour of sampled centres is valid, and the same
 * space read from the old PCS file and from ConfigSpace's JSON gives the
 * very same neighbours (same canonical order, same encodings). */
static void test_real_spaces(void **state)
{
    (void)state;
    static const char *const names[] = {"auto-sklearn_2017_04", "clasp-sat-params-nat", "spear-params-mixed",
                                        "minisat-HACK_999ED_CSSC-cssc14"};
    for (size_t f = 0; f < sizeof names / sizeof *names; f++) {
        char pcs[1024], json[1024];
        snprintf(pcs, sizeof pcs, "%s/pcs/%s.pcs", SMAC_SHARED_DIR, names[f]);
        snprintf(json, sizeof json, "%s/pcs/%s.expected.json", SMAC_SHARED_DIR, names[f]);
        smac_cs *a = NULL, *b = NULL;
        smac_error err = {0};
        if (smac_cs_read_file(pcs, SMAC_CS_AUTO, &a, &err) != 0) {
            print_message("skipped: %s\n", err.message);
            skip();
        }
        if (smac_cs_read_file(json, SMAC_CS_AUTO, &b, &err) != 0)
            fail_msg("%s", err.message);
        int n = smac_cs_n_params(a);
        assert_int_equal(smac_cs_n_params(b), n);
        double *centre = malloc(sizeof(double) * (size_t)n * 3);
        assert_non_null(centre);
        double *va = centre + n, *vb = centre + 2 * n;
        smac_neighbourhood *na = smac_neighbourhood_new(a), *nbh = smac_neighbourhood_new(b);
        smac_rng rng;
        smac_rng_seed(&rng, 11, 0);
        long total = 0;
        for (int s = 0; s < 20; s++) {
            assert_int_equal(smac_cs_sample(a, &rng, centre, &err), 0);
            smac_neighbourhood_reset(na, centre, (uint64_t)s);
            smac_neighbourhood_reset(nbh, centre, (uint64_t)s);
            for (;;) {
                int more_a = smac_neighbourhood_next(na, va), more_b = smac_neighbourhood_next(nbh, vb);
                assert_int_equal(more_a, more_b);
                if (!more_a)
                    break;
                if (smac_cs_check(a, va, &err) != 0)
                    fail_msg("%s: neighbour invalid: %s", names[f], err.message);
                for (int i = 0; i < n; i++)
                    assert_true(same(va[i], vb[i]));
                total++;
            }
        }
        assert_true(total > 20);
        smac_neighbourhood_free(na);
        smac_neighbourhood_free(nbh);
        free(centre);
        smac_cs_free(a);
        smac_cs_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_values),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_real_steps_are_small),
        cmocka_unit_test(test_activation),
        cmocka_unit_test(test_forbidden_neighbours),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_real_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
