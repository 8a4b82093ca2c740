/*
 * Tests of the acquisition functions (src/acq/acquisition.c) against their
 * formulas (algorithms.md §8): hand-computed points, reference values
 * computed with 40-digit arithmetic (mpmath) for the far tails where the
 * naive double formulas fail, LogEI against a numerical integral of the
 * log-normal's expected improvement, LCB's beta, the NaN rule, and
 * Thompson sampling's determinism and distribution.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "acq/acquisition.h"

static void assert_rel(double got, double want, double tol)
{
    double err = fabs(got - want) / fmax(fabs(want), DBL_MIN);
    if (!(err <= tol))
        fail_msg("got %.17g, want %.17g (relative error %.3g > %.3g)", got, want, err, tol);
}

static double one(smac_acq *a, double mu, double var)
{
    double out = 0.0;
    smac_error err;
    assert_int_equal(smac_acq_values(a, &mu, &var, 1, &out, &err), 0);
    return out;
}

/* ------------------------------------------------------------ normal */

static void test_normal_helpers(void **state)
{
    (void)state;
    assert_rel(smac_norm_cdf(0.0), 0.5, 1e-15);
    assert_rel(smac_norm_pdf(0.0), 0.3989422804014327, 1e-15);
    assert_rel(smac_norm_cdf(-3.0), 0.0013498980316300945267, 1e-14);
    assert_rel(smac_norm_cdf(-10.0), 7.619853024160526066e-24, 1e-13);
    assert_rel(smac_norm_cdf(3.0), 0.99865010196836990547, 1e-15);
    /* log cdf: accurate where the cdf itself underflows or rounds to 1 */
    assert_rel(smac_norm_logcdf(-40.0), -804.60844201375378817, 1e-14);
    assert_rel(smac_norm_logcdf(-10.0), -53.231285150512470578, 1e-14);
    assert_rel(smac_norm_logcdf(-5.0), -15.064998393988725736, 1e-14);
    assert_rel(smac_norm_logcdf(-4.5), -12.592419735713078666, 1e-14);
    assert_rel(smac_norm_logcdf(-3.0), -6.6077262215103495433, 1e-14);
    assert_rel(smac_norm_logcdf(0.0), -0.69314718055994530942, 1e-15);
    assert_rel(smac_norm_logcdf(3.0), -0.0013508099647481937988, 1e-13);
    assert_rel(smac_norm_logcdf(10.0), -7.6198530241605260704e-24, 1e-13);
    assert_true(isnan(smac_norm_logcdf(NAN)));
}

/* ---------------------------------------------------------------- EI */

static void test_ei_formula(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_EI, 1);
    assert_true(a.par == 0.0);
    smac_acq_update(&a, 1.0, 2, 5);
    /* eta 1, mu 0.5, s 0.5: z = 1, EI = 0.5 Phi(1) + 0.5 phi(1) */
    double want = 0.5 * 0.8413447460685429 + 0.5 * 0.24197072451914337;
    assert_rel(one(&a, 0.5, 0.25), want, 1e-14);
    assert_rel(one(&a, 0.5, 0.25), 0.54165773529384314919, 1e-14);

    smac_acq_update(&a, 0.0, 2, 5);
    assert_rel(one(&a, 1.0, 1.0), 0.083315470587686298383, 1e-14);
    /* far tails: z = -4.5, -10, -30, -37 (the naive formula cancels to
     * garbage or 0 here) */
    assert_rel(one(&a, 4.5, 1.0), 6.9421204562020262682e-7, 1e-12);
    assert_rel(one(&a, 10.0, 1.0), 7.4745602545893280366e-25, 1e-12);
    assert_rel(one(&a, 30.0, 1.0), 1.6319567340914011894e-199, 1e-12);
    assert_rel(one(&a, 37.0, 1.0), 1.5451991905122024593e-301, 1e-10);
    assert_rel(one(&a, 6.0, 0.04), 3.2639134681828330551e-200, 1e-12);
    /* beyond the double range the value is 0, never negative */
    double v = one(&a, 60.0, 1.0);
    assert_true(v >= 0.0 && v < 1e-300);

    /* deep in the money: EI = eta - mu */
    smac_acq_update(&a, 5.0, 2, 5);
    assert_rel(one(&a, -5.0, 0.01), 10.0, 1e-15);
    /* z = 0: EI = s phi(0) */
    smac_acq_update(&a, 2.0, 2, 5);
    assert_rel(one(&a, 2.0, 1e-10), 3.9894228040143268521e-6, 1e-12);
}

static void test_ei_par_and_zero_std(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_EI, 1);
    a.par = 0.5;
    smac_acq_update(&a, 1.5, 2, 5);
    /* xi shifts eta: same as eta 1.0 without xi */
    assert_rel(one(&a, 0.5, 0.25), 0.54165773529384314919, 1e-14);
    /* s = 0: exactly 0 whatever the mean (SMAC3's rule) */
    assert_true(one(&a, 0.0, 0.0) == 0.0);
    assert_true(one(&a, 100.0, 0.0) == 0.0);
    /* EI grows with uncertainty and with a lower mean */
    assert_true(one(&a, 0.5, 1.0) > one(&a, 0.5, 0.25));
    assert_true(one(&a, 0.0, 0.25) > one(&a, 0.5, 0.25));
}

static void test_nan_becomes_lowest(void **state)
{
    (void)state;
    smac_acq_kind kinds[] = {SMAC_ACQ_EI, SMAC_ACQ_LOGEI, SMAC_ACQ_PI, SMAC_ACQ_LCB, SMAC_ACQ_TS};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        smac_acq a;
        smac_acq_init(&a, kinds[k], 3);
        smac_acq_update(&a, 1.0, 2, 5);
        double mu[3] = {NAN, 0.0, 0.0};
        double var[3] = {1.0, NAN, -1.0}; /* a negative variance has no sqrt */
        double out[3];
        smac_error err;
        assert_int_equal(smac_acq_values(&a, mu, var, 3, out, &err), 0);
        for (int i = 0; i < 3; i++)
            assert_true(out[i] == -DBL_MAX);
    }
    /* before update eta is NaN: every EI value is the lowest */
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_EI, 3);
    assert_true(one(&a, 0.0, 1.0) == -DBL_MAX);
}

/* ------------------------------------------------------------- LogEI */

/* E[max(0, e^f - e^Y)], Y ~ N(mu, s^2), by composite Simpson over y. */
static double lognormal_ei_integral(double f, double mu, double s)
{
    double lo = mu - 12.0 * s, hi = f;
    if (hi <= lo)
        return 0.0;
    int n = 20000;
    double h = (hi - lo) / n, sum = 0.0;
    for (int i = 0; i <= n; i++) {
        double y = lo + i * h;
        double g = (exp(f) - exp(y)) * exp(-0.5 * (y - mu) * (y - mu) / (s * s)) / (s * sqrt(2.0 * M_PI));
        sum += g * ((i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0));
    }
    return sum * h / 3.0;
}

static void test_logei_against_integral(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_LOGEI, 1);
    const double cases[][3] = {{0.0, 0.0, 1.0}, {1.0, 2.0, 0.5}, {-3.0, -3.0, 4.0}, {2.0, 1.0, 0.3},
                               {0.5, -1.0, 2.0}, {0.0, 1.5, 0.1}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        smac_acq_update(&a, cases[i][0], 2, 5);
        double got = one(&a, cases[i][1], cases[i][2]);
        double want = lognormal_ei_integral(cases[i][0], cases[i][1], sqrt(cases[i][2]));
        assert_rel(got, want, 1e-7);
    }
}

static void test_logei_reference_values(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_LOGEI, 1);
    struct {
        double eta, mu, var, want, tol;
    } c[] = {
        {0.0, 0.0, 1.0, 0.23842170813487662832, 1e-14},
        {1.0, 2.0, 0.5, 0.052999079850744751028, 1e-13},
        {-3.0, -3.0, 4.0, 0.016524228356259228339, 1e-13},
        /* tiny s: the two terms nearly cancel */
        {2.0, 1.0, 1e-6, 4.6707729113303509771, 1e-9},
        /* far tail of Phi: the terms underflow separately */
        {0.0, 20.0, 1.0, 1.3052249067734110141e-90, 1e-10},
        /* no chance of not improving: EI -> e^f - e^(mu + s^2/2) */
        {0.0, -30.0, 1.0, 0.99999999999984571888, 1e-14},
        /* large eta in log space: e^(mu + var/2) alone overflows a double */
        {700.0, 700.5, 0.09, 5.4224043568938170914e+301, 1e-11},
        {705.0, 709.5, 1.0, 8.7210217844631924462e+299, 1e-11},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        smac_acq_update(&a, c[i].eta, 2, 5);
        assert_rel(one(&a, c[i].mu, c[i].var), c[i].want, c[i].tol);
    }
    /* results beyond the double range saturate instead of becoming inf/NaN */
    smac_acq_update(&a, 800.0, 2, 5);
    assert_true(one(&a, 800.5, 0.09) == DBL_MAX);
    /* underflow gives 0, not a negative value */
    smac_acq_update(&a, 0.0, 2, 5);
    double v = one(&a, 30.0, 0.25);
    assert_true(v >= 0.0 && v < 1e-300);
    /* s = 0 -> 0 */
    assert_true(one(&a, -5.0, 0.0) == 0.0);
}

/* ---------------------------------------------------------- PI / LCB */

static void test_pi(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_PI, 1);
    smac_acq_update(&a, 1.0, 2, 5);
    assert_rel(one(&a, 1.0, 4.0), 0.5, 1e-15);
    assert_rel(one(&a, 0.0, 1.0), 0.8413447460685429, 1e-14);
    assert_rel(one(&a, 4.0, 1.0), 0.0013498980316300945267, 1e-13);
    a.par = 1.0;
    assert_rel(one(&a, 0.0, 1.0), 0.5, 1e-15);
    /* s = 0: numpy's d/0 is +-inf, giving 1 or 0; 0/0 is NaN */
    a.par = 0.0;
    assert_true(one(&a, 0.0, 0.0) == 1.0);
    assert_true(one(&a, 2.0, 0.0) == 0.0);
    assert_true(one(&a, 1.0, 0.0) == -DBL_MAX);
}

static void test_lcb_beta(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_LCB, 1);
    assert_true(a.par == 1.0);
    smac_acq_update(&a, 0.0, 3, 5);
    double beta = 2.0 * log(3.0 * 25.0 / 1.0);
    assert_rel(a.beta, beta, 1e-15);
    assert_rel(one(&a, 2.0, 0.25), -(2.0 - sqrt(beta) * 0.5), 1e-14);
    assert_rel(one(&a, -1.0, 0.0), 1.0, 1e-15);
    a.par = 0.5;
    smac_acq_update(&a, 0.0, 4, 10);
    beta = 2.0 * log(4.0 * 100.0 / 0.5);
    assert_rel(one(&a, 1.0, 1.0), -(1.0 - sqrt(beta)), 1e-14);
    /* no data yet: log(0) = -inf, sqrt -> NaN, every value the lowest */
    smac_acq_update(&a, 0.0, 4, 0);
    assert_true(one(&a, 1.0, 1.0) == -DBL_MAX);
}

/* ---------------------------------------------------------------- TS */

static void test_ts_determinism_and_distribution(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double mu[N], var[N], o1[N], o2[N], o3[N];
    for (int i = 0; i < N; i++) {
        mu[i] = 1.0;
        var[i] = 4.0;
    }
    smac_acq a, b, c;
    smac_acq_init(&a, SMAC_ACQ_TS, 42);
    smac_acq_init(&b, SMAC_ACQ_TS, 42);
    smac_acq_init(&c, SMAC_ACQ_TS, 43);
    assert_int_equal(smac_acq_values(&a, mu, var, N, o1, NULL), 0);
    assert_int_equal(smac_acq_values(&b, mu, var, N, o2, NULL), 0);
    assert_int_equal(smac_acq_values(&c, mu, var, N, o3, NULL), 0);
    assert_memory_equal(o1, o2, sizeof o1);
    assert_true(memcmp(o1, o3, sizeof o1) != 0);
    /* a second call continues the stream: new draws */
    assert_int_equal(smac_acq_values(&a, mu, var, N, o2, NULL), 0);
    assert_true(memcmp(o1, o2, sizeof o1) != 0);
    /* values are -(draw of N(1, 4)) */
    double m = 0, m2 = 0;
    for (int i = 0; i < N; i++) {
        m += -o1[i];
        m2 += o1[i] * o1[i];
    }
    m /= N;
    double v = m2 / N - m * m;
    assert_true(fabs(m - 1.0) < 0.05);
    assert_true(fabs(v - 4.0) < 0.2);
    /* zero variance: exactly -mu */
    double z = 0.0, mz = 3.0, out;
    assert_int_equal(smac_acq_values(&a, &mz, &z, 1, &out, NULL), 0);
    assert_true(out == -3.0);
}

static void test_batches_and_names(void **state)
{
    (void)state;
    smac_acq a;
    smac_acq_init(&a, SMAC_ACQ_EI, 1);
    smac_acq_update(&a, 0.0, 2, 5);
    double mu[4] = {1.0, 10.0, -1.0, 0.0}, var[4] = {1.0, 1.0, 0.0, 1.0}, out[4];
    assert_int_equal(smac_acq_values(&a, mu, var, 4, out, NULL), 0);
    assert_rel(out[0], 0.083315470587686298383, 1e-14);
    assert_rel(out[1], 7.4745602545893280366e-25, 1e-12);
    assert_true(out[2] == 0.0);
    assert_rel(out[3], 0.3989422804014327, 1e-14);
    assert_int_equal(smac_acq_values(&a, mu, var, 0, out, NULL), 0);

    assert_string_equal(smac_acq_kind_name(SMAC_ACQ_LOGEI), "LogEI");
    assert_int_equal(smac_acq_kind_parse("LCB"), SMAC_ACQ_LCB);
    assert_int_equal(smac_acq_kind_parse("EI"), SMAC_ACQ_EI);
    assert_int_equal(smac_acq_kind_parse("ei"), -1);
    assert_int_equal(smac_acq_kind_parse(NULL), -1);
    assert_null(smac_acq_kind_name((smac_acq_kind)17));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_helpers),
        cmocka_unit_test(test_ei_formula),
        cmocka_unit_test(test_ei_par_and_zero_std),
        cmocka_unit_test(test_nan_becomes_lowest),
        cmocka_unit_test(test_logei_against_integral),
        cmocka_unit_test(test_logei_reference_values),
        cmocka_unit_test(test_pi),
        cmocka_unit_test(test_lcb_beta),
        cmocka_unit_test(test_ts_determinism_and_distribution),
        cmocka_unit_test(test_batches_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
