/*
 * Tests of the initial designs (src/design/): sizes per facade with
 * SMAC3's min/NaN quirk, the Sobol sequence against published values and
 * the net property of its scrambled form, Latin hypercube stratification,
 * the factorial grid's content and order, the unit-cube mapping, origins
 * and de-duplication.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cs/cs_internal.h"
#include "design/initial_design.h"

/* ------------------------------------------------------------ spaces */

static smac_cs *finish(cs_builder *b)
{
    smac_error err;
    smac_cs *cs = NULL;
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

/* a real, b categorical {x,y,z}, c ordinal {lo,me,hi}, d integer [1,4],
 * e constant: canonical order a, b, c, d, e */
static smac_cs *mixed_space(void)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    const char *cats[] = {"x", "y", "z"}, *ords[] = {"lo", "me", "hi"};
    assert_int_equal(smac_cs_builder_add_real(b, "a", 0.0, 10.0, 1, 2.0, 0, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "b", 3, cats, NULL, "y", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "c", 3, ords, NULL, "lo", &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "d", 1, 4, 1, 1, 0, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "e", "k", CS_VALUE_STRING, &err), 0);
    return finish(b);
}

/* b categorical {x,y}; f real [0,1] active iff b == x; optionally
 * forbidden b == y */
static smac_cs *conditional_space(int forbid_y)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    const char *cats[] = {"x", "y"}, *xv[] = {"x"}, *yv[] = {"y"};
    assert_int_equal(smac_cs_builder_add_categorical(b, "b", 2, cats, NULL, "x", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "f", 0.0, 1.0, 1, 0.5, 0, 0.0, &err), 0);
    cs_cond_spec cond = {CS_COND_EQ, "b", 1, xv, 0, NULL};
    assert_int_equal(smac_cs_builder_add_condition(b, "f", &cond, &err), 0);
    if (forbid_y) {
        cs_forbid_spec fb = {CS_FORBID_EQUALS, "b", NULL, 1, yv, 0, NULL};
        assert_int_equal(smac_cs_builder_add_forbidden(b, &fb, &err), 0);
    }
    return finish(b);
}

static smac_cs *reals_space(int n)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%05d", i);
        assert_int_equal(smac_cs_builder_add_real(b, name, 0.0, 1.0, 0, 0.0, 0, 0.0, &err), 0);
    }
    return finish(b);
}

static void value_text(const smac_cs *cs, const double *vec, const char *name, char *buf, size_t n)
{
    int i = smac_cs_param_index(cs, name);
    assert_true(i >= 0);
    if (isnan(vec[i]))
        snprintf(buf, n, "-");
    else
        smac_cs_value_text(cs, i, vec[i], buf, n);
}

/* "a=0.0 b=x c=lo d=1" style text of a configuration over the given names */
static void config_text(const smac_cs *cs, const double *vec, const char *const *names, int k, char *out,
                        size_t n)
{
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        char v[64];
        value_text(cs, vec, names[i], v, sizeof v);
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s=%s", i ? " " : "", names[i], v);
    }
}

/* ------------------------------------------------------------- sizes */

static void test_sizes(void **state)
{
    (void)state;
    smac_error err;
    int n = -1;
    /* SMAC4HPO: min(10 * 5, 0.25 * 100) */
    assert_int_equal(smac_design_size(5, 100, -1, -1, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 25);
    assert_int_equal(smac_design_size(5, INFINITY, -1, -1, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 50);
    /* SMAC4BB: min(8 * 5, 0.25 * 20) */
    assert_int_equal(smac_design_size(5, 20, -1, -1, 8, 0.25, &n, &err), 0);
    assert_int_equal(n, 5);
    /* truncation and the floor of 1: min(50, 0.25 * 2) = 0.5 -> 1 */
    assert_int_equal(smac_design_size(5, 2, -1, -1, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(smac_design_size(3, 50, -1, -1, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 12); /* 12.5 -> 12 */
    /* SMAC4AC: 0 * inf is NaN and Python's min(0, NaN) is 0 -> max(1, 0) = 1 */
    assert_int_equal(smac_design_size(7, INFINITY, -1, -1, 0, 0.0, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(smac_design_size(7, 50, -1, -1, 0, 0.0, &n, &err), 0);
    assert_int_equal(n, 1);
    /* explicit budget and a given list win, in that order */
    assert_int_equal(smac_design_size(7, 50, 5, 9, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 5);
    assert_int_equal(smac_design_size(7, 50, -1, 9, 10, 0.25, &n, &err), 0);
    assert_int_equal(n, 9);
    /* larger than the run limit */
    assert_int_equal(smac_design_size(7, 10, 12, -1, 10, 0.25, &n, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "Initial budget 12 cannot be higher than the run limit 10"));
    assert_int_equal(smac_design_size(7, 0, -1, -1, 0, 0.0, &n, &err), SMAC_ERR_INVALID);
    /* nothing to size by ("None") */
    assert_int_equal(smac_design_size(7, 10, -1, -1, NAN, 0.25, &n, &err), SMAC_ERR_INVALID);
    /* absurd sizes */
    assert_int_equal(smac_design_size(7, INFINITY, -1, -1, 1e300, 0.25, &n, &err), SMAC_ERR_INVALID);
}

static void test_facade_defaults(void **state)
{
    (void)state;
    smac_error err;
    smac_design_kind k;
    double nx, frac;
    int n;
    assert_int_equal(smac_design_facade_defaults("SMAC4HPO", NULL, 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_SOBOL);
    assert_true(nx == 10 && frac == 0.25);
    assert_int_equal(smac_design_size(4, 100, -1, -1, nx, frac, &n, &err), 0);
    assert_int_equal(n, 25);
    assert_int_equal(smac_design_facade_defaults("SMAC4BB", NULL, 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_SOBOL);
    assert_true(nx == 8 && frac == 0.25);
    assert_int_equal(smac_design_facade_defaults("SMAC4MF", NULL, 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_RANDOM);
    assert_true(nx == 10 && frac == 0.25);
    assert_int_equal(smac_design_facade_defaults("HB4AC", NULL, 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_RANDOM);
    assert_int_equal(smac_design_size(4, INFINITY, -1, -1, nx, frac, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(smac_design_facade_defaults("SMAC4AC", NULL, 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_DEFAULT);
    assert_int_equal(smac_design_facade_defaults("ROAR", "LHD", 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_LHD);
    assert_true(nx == 0 && frac == 0);
    assert_int_equal(smac_design_facade_defaults("SMAC4AC", "FACTORIAL", 4, &k, &nx, &frac, &err), 0);
    assert_int_equal(k, SMAC_DESIGN_FACTORIAL);
    /* errors */
    assert_int_equal(smac_design_facade_defaults("SMAC4AC", "lhd", 4, &k, &nx, &frac, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "lhd"));
    assert_int_equal(smac_design_facade_defaults("SMAC5", NULL, 4, &k, &nx, &frac, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_design_facade_defaults("SMAC4HPO", NULL, 21202, &k, &nx, &frac, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "21201"));
    assert_int_equal(smac_design_kind_parse("SOBOL"), SMAC_DESIGN_SOBOL);
    assert_int_equal(smac_design_kind_parse("sobol"), -1);
    assert_string_equal(smac_design_kind_name(SMAC_DESIGN_FACTORIAL), "FACTORIAL");
}

/* ------------------------------------------------------------- Sobol */

static void test_sobol_published_values(void **state)
{
    (void)state;
    /* Joe & Kuo's sequence in Gray-code order, as scipy's Sobol(scramble=False) */
    static const double want[16][5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0},
        {0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.25, 0.25, 0.75},
        {0.25, 0.75, 0.75, 0.75, 0.25},
        {0.375, 0.375, 0.625, 0.875, 0.375},
        {0.875, 0.875, 0.125, 0.375, 0.875},
        {0.625, 0.125, 0.875, 0.625, 0.625},
        {0.125, 0.625, 0.375, 0.125, 0.125},
        {0.1875, 0.3125, 0.9375, 0.4375, 0.5625},
        {0.6875, 0.8125, 0.4375, 0.9375, 0.0625},
        {0.9375, 0.0625, 0.6875, 0.1875, 0.3125},
        {0.4375, 0.5625, 0.1875, 0.6875, 0.8125},
        {0.3125, 0.1875, 0.3125, 0.5625, 0.9375},
        {0.8125, 0.6875, 0.8125, 0.0625, 0.4375},
        {0.5625, 0.4375, 0.0625, 0.8125, 0.1875},
        {0.0625, 0.9375, 0.5625, 0.3125, 0.6875},
    };
    smac_error err;
    for (int d = 2; d <= 5; d++) {
        smac_sobol *s = smac_sobol_new(d, 0, 0, &err);
        assert_non_null(s);
        double p[5];
        for (int i = 0; i < 16; i++) {
            smac_sobol_next(s, p);
            for (int j = 0; j < d; j++)
                if (p[j] != want[i][j])
                    fail_msg("d=%d point %d dim %d: %g, want %g", d, i, j, p[j], want[i][j]);
        }
        smac_sobol_free(s);
    }
    /* far dimensions check the embedded table and the recurrence */
    struct {
        int i, d;
        double v;
    } far[] = {{63, 99, 0.078125},      {63, 499, 0.328125},      {63, 1110, 0.015625},
               {37, 1110, 0.984375},    {5, 1000, 0.375},         {50, 21, 0.609375},
               {33, 255, 0.078125},     {1023, 1110, 0.5888671875}, {777, 800, 0.4794921875},
               {1000, 13, 0.3837890625}};
    smac_sobol *s = smac_sobol_new(1111, 0, 0, &err);
    assert_non_null(s);
    double *p = malloc(1111 * sizeof *p);
    for (int i = 0; i < 1024; i++) {
        smac_sobol_next(s, p);
        for (size_t k = 0; k < sizeof far / sizeof *far; k++)
            if (far[k].i == i && p[far[k].d] != far[k].v)
                fail_msg("point %d dim %d: %.17g, want %.17g", i, far[k].d, p[far[k].d], far[k].v);
    }
    free(p);
    smac_sobol_free(s);
    /* limits */
    assert_int_equal(smac_sobol_max_dim(), 1111);
    assert_null(smac_sobol_new(0, 1, 1, &err));
    assert_null(smac_sobol_new(1112, 1, 1, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "1111"));
}

/* among the first 2^k points, each interval [j/2^k, (j+1)/2^k) of every
 * dimension holds exactly one point */
static void check_balanced(const double *pts, int n, int d)
{
    int *seen = calloc((size_t)n, sizeof *seen);
    for (int j = 0; j < d; j++) {
        memset(seen, 0, (size_t)n * sizeof *seen);
        for (int i = 0; i < n; i++) {
            double u = pts[(size_t)i * d + j];
            assert_true(u >= 0.0 && u < 1.0);
            seen[(int)(u * n)]++;
        }
        for (int i = 0; i < n; i++)
            if (seen[i] != 1)
                fail_msg("dimension %d, %d points: interval %d holds %d", j, n, i, seen[i]);
    }
    free(seen);
}

static void test_sobol_scrambled_is_a_net(void **state)
{
    (void)state;
    smac_error err;
    enum { D = 12, N = 256 };
    double *pts = malloc((size_t)N * D * sizeof *pts), *plain = malloc((size_t)N * D * sizeof *plain);
    smac_sobol *s = smac_sobol_new(D, 1, 12345, &err);
    smac_sobol *u = smac_sobol_new(D, 0, 0, &err);
    assert_non_null(s);
    for (int i = 0; i < N; i++) {
        smac_sobol_next(s, &pts[(size_t)i * D]);
        smac_sobol_next(u, &plain[(size_t)i * D]);
    }
    for (int k = 1; (1 << k) <= N; k++)
        check_balanced(pts, 1 << k, D);
    /* the first two dimensions form a (0, m, 2)-net: every elementary
     * rectangle of area 1/64 holds exactly one of the first 64 points */
    for (int a = 0; a <= 6; a++) {
        int cells_x = 1 << a, cells_y = 1 << (6 - a);
        int count[64] = {0};
        for (int i = 0; i < 64; i++) {
            int cx = (int)(pts[(size_t)i * D] * cells_x), cy = (int)(pts[(size_t)i * D + 1] * cells_y);
            count[cx * cells_y + cy]++;
        }
        for (int c = 0; c < 64; c++)
            assert_int_equal(count[c], 1);
    }
    /* scrambling changes the points; the seed decides how */
    assert_true(memcmp(pts, plain, (size_t)N * D * sizeof *pts) != 0);
    assert_true(pts[0] != 0.0);
    smac_sobol *s2 = smac_sobol_new(D, 1, 12345, &err), *s3 = smac_sobol_new(D, 1, 54321, &err);
    double p2[D], p3[D];
    smac_sobol_next(s2, p2);
    smac_sobol_next(s3, p3);
    assert_memory_equal(p2, pts, sizeof p2);
    assert_true(memcmp(p3, pts, sizeof p3) != 0);
    smac_sobol_free(s);
    smac_sobol_free(s2);
    smac_sobol_free(s3);
    smac_sobol_free(u);
    free(pts);
    free(plain);

    /* the largest dimension scrambles too and stays balanced */
    s = smac_sobol_new(1111, 1, 7, &err);
    pts = malloc((size_t)64 * 1111 * sizeof *pts);
    for (int i = 0; i < 64; i++)
        smac_sobol_next(s, &pts[(size_t)i * 1111]);
    check_balanced(pts, 64, 1111);
    free(pts);
    smac_sobol_free(s);
}

/* --------------------------------------------------------------- LHD */

static void test_lhd_stratified(void **state)
{
    (void)state;
    enum { N = 37, D = 6 };
    double pts[N * D], again[N * D];
    smac_rng r;
    smac_rng_seed(&r, 3, 0);
    smac_lhd_sample(N, D, &r, pts);
    for (int j = 0; j < D; j++) {
        int seen[N] = {0};
        for (int i = 0; i < N; i++) {
            double u = pts[i * D + j];
            assert_true(u > 0.0 && u <= 1.0);
            int stratum = (int)ceil(u * N) - 1; /* ((k-1)/n, k/n] */
            assert_true(stratum >= 0 && stratum < N);
            seen[stratum]++;
        }
        for (int k = 0; k < N; k++)
            assert_int_equal(seen[k], 1);
    }
    /* the permutations differ between dimensions, and per seed */
    int same = 1;
    for (int i = 0; i < N; i++)
        if ((int)ceil(pts[i * D] * N) != (int)ceil(pts[i * D + 1] * N))
            same = 0;
    assert_false(same);
    smac_rng_seed(&r, 3, 0);
    smac_lhd_sample(N, D, &r, again);
    assert_memory_equal(pts, again, sizeof pts);
    smac_rng_seed(&r, 4, 0);
    smac_lhd_sample(N, D, &r, again);
    assert_true(memcmp(pts, again, sizeof pts) != 0);
}

/* --------------------------------------------------------- factorial */

static void test_factorial_grid(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    smac_error err;
    smac_rng r, sr;
    smac_rng_seed(&r, 1, 0);
    smac_rng_seed(&sr, 1, 1);
    smac_design_options o = {SMAC_DESIGN_FACTORIAL, -1, 0.0, 0.0, INFINITY};
    smac_design d;
    smac_design_init(&d);
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    /* default + middle + 2 * 3 * 2 * 2 * 1 */
    assert_int_equal(d.n, 26);
    const char *names[] = {"a", "b", "c", "d", "e"};
    char text[256];
    config_text(cs, &d.configs[0], names, 5, text, sizeof text);
    assert_string_equal(text, "a=2.0 b=y c=lo d=1 e=k");
    assert_string_equal(d.origins[0], SMAC_ORIGIN_INITIAL_DESIGN);
    /* middle: numeric mean (integer rounded half-even), first category,
     * ordinal element len/2 */
    config_text(cs, &d.configs[d.n_params], names, 5, text, sizeof text);
    assert_string_equal(text, "a=5.0 b=x c=me d=2 e=k");
    assert_string_equal(d.origins[1], SMAC_ORIGIN_INITIAL_DESIGN);
    /* the grid, last parameter fastest */
    static const char *grid[] = {
        "a=0.0 b=x c=lo d=1 e=k",  "a=0.0 b=x c=lo d=4 e=k",  "a=0.0 b=x c=hi d=1 e=k",
        "a=0.0 b=x c=hi d=4 e=k",  "a=0.0 b=y c=lo d=1 e=k",  "a=0.0 b=y c=lo d=4 e=k",
        "a=0.0 b=y c=hi d=1 e=k",  "a=0.0 b=y c=hi d=4 e=k",  "a=0.0 b=z c=lo d=1 e=k",
        "a=0.0 b=z c=lo d=4 e=k",  "a=0.0 b=z c=hi d=1 e=k",  "a=0.0 b=z c=hi d=4 e=k",
        "a=10.0 b=x c=lo d=1 e=k", "a=10.0 b=x c=lo d=4 e=k", "a=10.0 b=x c=hi d=1 e=k",
        "a=10.0 b=x c=hi d=4 e=k", "a=10.0 b=y c=lo d=1 e=k", "a=10.0 b=y c=lo d=4 e=k",
        "a=10.0 b=y c=hi d=1 e=k", "a=10.0 b=y c=hi d=4 e=k", "a=10.0 b=z c=lo d=1 e=k",
        "a=10.0 b=z c=lo d=4 e=k", "a=10.0 b=z c=hi d=1 e=k", "a=10.0 b=z c=hi d=4 e=k",
    };
    for (int i = 0; i < 24; i++) {
        config_text(cs, &d.configs[(size_t)(i + 2) * d.n_params], names, 5, text, sizeof text);
        assert_string_equal(text, grid[i]);
        assert_string_equal(d.origins[i + 2], SMAC_ORIGIN_FACTORIAL);
        assert_int_equal(smac_cs_check(cs, &d.configs[(size_t)(i + 2) * d.n_params], NULL), 0);
    }
    /* the run limit still applies (SMAC3 checks it in the constructor) */
    o.ta_run_limit = 0;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), SMAC_ERR_INVALID);
    assert_int_equal(d.n, 0);
    smac_design_free(&d);
    smac_cs_free(cs);
}

static void test_factorial_conditions_and_duplicates(void **state)
{
    (void)state;
    smac_cs *cs = conditional_space(0);
    smac_error err;
    smac_rng r, sr;
    smac_rng_seed(&r, 1, 0);
    smac_rng_seed(&sr, 1, 1);
    smac_design_options o = {SMAC_DESIGN_FACTORIAL, -1, 0.0, 0.0, INFINITY};
    smac_design d;
    smac_design_init(&d);
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    /* default (x, 0.5) = middle -> one; grid (x,0) (x,1) (y,-) (y,-) -> three */
    const char *names[] = {"b", "f"};
    static const char *want[] = {"b=x f=0.5", "b=x f=0.0", "b=x f=1.0", "b=y f=-"};
    static const char *origin[] = {SMAC_ORIGIN_INITIAL_DESIGN, SMAC_ORIGIN_FACTORIAL, SMAC_ORIGIN_FACTORIAL,
                                   SMAC_ORIGIN_FACTORIAL};
    assert_int_equal(d.n, 4);
    for (int i = 0; i < 4; i++) {
        char text[128];
        config_text(cs, &d.configs[(size_t)i * d.n_params], names, 2, text, sizeof text);
        assert_string_equal(text, want[i]);
        assert_string_equal(d.origins[i], origin[i]);
    }
    smac_design_free(&d);
    smac_cs_free(cs);

    /* a forbidden grid point is dropped */
    cs = conditional_space(1);
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 3);
    smac_design_free(&d);
    smac_cs_free(cs);
}

/* --------------------------------------------- unit cube -> configs */

static void test_from_unit_mapping(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    assert_int_equal(smac_design_dim(cs), 4); /* the constant takes no column */
    smac_error err;
    smac_design d;
    smac_design_init(&d);
    /* columns: a, b, c, d */
    double u[] = {
        0.25, 1.0, 0.0, 0.0,   /* u = 1 -> last choice; d's lowest */
        0.5, 0.5, 0.5, 1.0,    /* b: floor(1.5) = 1; c: floor(1.5) = 1 */
        0.5, 0.34, 0.99, 0.40, /* d: 0.40 decodes to 2 */
        0.5, 0.34, 0.99, 0.45, /* 0.45 also decodes to 2: same configuration */
    };
    assert_int_equal(smac_design_from_unit(cs, u, 4, SMAC_ORIGIN_LHD, &d, &err), 0);
    assert_int_equal(d.n, 4);
    const char *names[] = {"a", "b", "c", "d", "e"};
    char text[128];
    config_text(cs, &d.configs[0], names, 5, text, sizeof text);
    assert_string_equal(text, "a=2.5 b=z c=lo d=1 e=k");
    config_text(cs, &d.configs[5], names, 5, text, sizeof text);
    assert_string_equal(text, "a=5.0 b=y c=me d=4 e=k");
    config_text(cs, &d.configs[10], names, 5, text, sizeof text);
    assert_string_equal(text, "a=5.0 b=y c=hi d=2 e=k");
    /* integers are snapped: the two rows are the same vector */
    assert_memory_equal(&d.configs[10], &d.configs[15], 5 * sizeof(double));
    for (int i = 0; i < 4; i++)
        assert_string_equal(d.origins[i], SMAC_ORIGIN_LHD);
    smac_design_free(&d);
    smac_cs_free(cs);

    /* inactive -> NaN; forbidden -> dropped */
    cs = conditional_space(1);
    double v[] = {0.2, 0.3, 0.7, 0.3};
    assert_int_equal(smac_design_from_unit(cs, v, 2, SMAC_ORIGIN_SOBOL, &d, &err), 0);
    assert_int_equal(d.n, 1);
    int f = smac_cs_param_index(cs, "f");
    assert_true(d.configs[f] == 0.3);
    smac_design_free(&d);
    smac_cs_free(cs);
    cs = conditional_space(0);
    assert_int_equal(smac_design_from_unit(cs, v, 2, SMAC_ORIGIN_SOBOL, &d, &err), 0);
    assert_int_equal(d.n, 2);
    assert_true(isnan(d.configs[d.n_params + f]));
    smac_design_free(&d);
    smac_cs_free(cs);
}

/* ------------------------------------------------- designs and origins */

static void test_design_kinds_and_origins(void **state)
{
    (void)state;
    smac_cs *cs = mixed_space();
    smac_error err;
    smac_rng r, sr;
    smac_rng_seed(&r, 10, 0);
    smac_rng_seed(&sr, 10, 1);
    smac_design d;
    smac_design_init(&d);
    struct {
        smac_design_kind kind;
        const char *origin;
    } k[] = {{SMAC_DESIGN_DEFAULT, SMAC_ORIGIN_DEFAULT},
             {SMAC_DESIGN_RANDOM, SMAC_ORIGIN_RANDOM_DESIGN},
             {SMAC_DESIGN_LHD, SMAC_ORIGIN_LHD},
             {SMAC_DESIGN_SOBOL, SMAC_ORIGIN_SOBOL}};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        /* SMAC4HPO-like sizing: min(10 * 5, 0.25 * 40) = 10 */
        smac_design_options o = {k[i].kind, -1, 10.0, 0.25, 40};
        assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
        if (k[i].kind == SMAC_DESIGN_DEFAULT) {
            assert_int_equal(d.n, 1);
            double def[5];
            smac_cs_default(cs, def);
            assert_memory_equal(d.configs, def, sizeof def);
        } else {
            /* 10 points; a duplicate is possible but rare in this space */
            assert_true(d.n >= 8 && d.n <= 10);
        }
        for (int j = 0; j < d.n; j++) {
            assert_string_equal(d.origins[j], k[i].origin);
            assert_int_equal(smac_cs_check(cs, &d.configs[(size_t)j * d.n_params], NULL), 0);
            for (int m = 0; m < j; m++)
                assert_true(memcmp(&d.configs[(size_t)j * d.n_params], &d.configs[(size_t)m * d.n_params],
                                   (size_t)d.n_params * sizeof(double)) != 0);
        }
    }
    /* LHD over 10 points: the real parameter a is stratified */
    smac_design_options o = {SMAC_DESIGN_LHD, 10, NAN, 0.0, INFINITY};
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 10);
    int seen[10] = {0};
    for (int j = 0; j < 10; j++)
        seen[(int)ceil(d.configs[(size_t)j * d.n_params] * 10) - 1]++;
    for (int j = 0; j < 10; j++)
        assert_int_equal(seen[j], 1);
    /* determinism per seed */
    smac_design d2;
    smac_design_init(&d2);
    smac_rng_seed(&r, 77, 0);
    smac_rng_seed(&sr, 77, 1);
    o.kind = SMAC_DESIGN_SOBOL;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    smac_rng_seed(&r, 77, 0);
    smac_rng_seed(&sr, 77, 1);
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d2, &err), 0);
    assert_int_equal(d.n, d2.n);
    assert_memory_equal(d.configs, d2.configs, (size_t)d.n * d.n_params * sizeof(double));
    smac_design_free(&d2);
    smac_design_free(&d);
    smac_cs_free(cs);
}

static void test_duplicates_removed_and_fallback(void **state)
{
    (void)state;
    /* one categorical of two values (plus a constant): 16 design points
     * are only 2 distinct configurations, the first of each kept */
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    const char *cats[] = {"p", "q"};
    assert_int_equal(smac_cs_builder_add_categorical(b, "only", 2, cats, NULL, "p", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "7", CS_VALUE_INT, &err), 0);
    smac_cs *cs = finish(b);
    smac_rng r, sr;
    smac_rng_seed(&r, 2, 0);
    smac_rng_seed(&sr, 2, 1);
    smac_design d;
    smac_design_init(&d);
    smac_design_options o = {SMAC_DESIGN_SOBOL, 16, NAN, 0.0, INFINITY};
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 2);
    int oi = smac_cs_param_index(cs, "only");
    assert_true(d.configs[oi] != d.configs[2 + oi]);
    o.kind = SMAC_DESIGN_RANDOM;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 2);
    smac_design_free(&d);
    smac_cs_free(cs);

    /* a space of constants only: every point is the same configuration */
    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_constant(b, "c", "1", CS_VALUE_INT, &err), 0);
    cs = finish(b);
    o.kind = SMAC_DESIGN_LHD;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.origins[0], SMAC_ORIGIN_LHD);
    /* an empty design falls back to the default with no origin */
    o.kind = SMAC_DESIGN_RANDOM;
    o.init_budget = 0;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 1);
    assert_null(d.origins[0]);
    smac_design_free(&d);
    smac_cs_free(cs);
}

static void test_sobol_design_too_wide(void **state)
{
    (void)state;
    smac_cs *cs = reals_space(1112);
    smac_error err;
    smac_rng r, sr;
    smac_rng_seed(&r, 2, 0);
    smac_rng_seed(&sr, 2, 1);
    smac_design d;
    smac_design_init(&d);
    smac_design_options o = {SMAC_DESIGN_SOBOL, 4, NAN, 0.0, INFINITY};
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "1111"));
    assert_int_equal(d.n, 0);
    /* LHD has no such limit */
    o.kind = SMAC_DESIGN_LHD;
    assert_int_equal(smac_design_generate(cs, &o, &r, &sr, &d, &err), 0);
    assert_int_equal(d.n, 4);
    smac_design_free(&d);
    smac_cs_free(cs);
    /* bad arguments */
    assert_int_equal(smac_design_generate(NULL, &o, &r, &sr, &d, &err), SMAC_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_facade_defaults),
        cmocka_unit_test(test_sobol_published_values),
        cmocka_unit_test(test_sobol_scrambled_is_a_net),
        cmocka_unit_test(test_lhd_stratified),
        cmocka_unit_test(test_factorial_grid),
        cmocka_unit_test(test_factorial_conditions_and_duplicates),
        cmocka_unit_test(test_from_unit_mapping),
        cmocka_unit_test(test_design_kinds_and_origins),
        cmocka_unit_test(test_duplicates_removed_and_fallback),
        cmocka_unit_test(test_sobol_design_too_wide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
