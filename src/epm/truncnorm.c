/*
 * Truncated-normal mean, stable in the tails (see truncnorm.h for why).
 *
 * For the standard normal on [a, b] the mean is (phi(a) - phi(b)) /
 * (Phi(b) - Phi(a)). Three regimes:
 *   - a narrow interval (width h, centre c, h max(1, |c|) < 1e-3): the
 *     density is nearly log-linear across it, and the mean is
 *     c - h^2 c / 12 to O((h c)^4 / c), far below double precision there,
 *     where every closed form cancels;
 *   - both bounds in one tail: by symmetry take the lower tail, a < b <= 0.
 *     With Phi(x) = erfcx(-x / sqrt 2) exp(-x^2 / 2) / 2 for x <= 0 and
 *     E = exp((b^2 - a^2) / 2) <= 1, numerator and denominator share the
 *     factor exp(-b^2 / 2), which cancels analytically:
 *         mean = sqrt(2 / pi) (E - 1) / (erfcx(-b/sqrt2) - erfcx(-a/sqrt2) E)
 *     Nothing here underflows or overflows, and E - 1 comes from expm1;
 *   - bounds on both sides of 0: Phi(b) - Phi(a) >= about h / 3, no
 *     cancellation; erf keeps both terms accurate near 0.
 */
#include "epm/truncnorm.h"

#include <math.h>

#define SQRT_PI 1.7724538509055160273
#define SQRT_2_OVER_PI 0.79788456080286535588
#define INV_SQRT_2 0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

double smac_erfcx(double x)
{
    if (isnan(x))
        return x;
    if (x < 0.0) {
        /* erfcx(-t) = 2 exp(t^2) - erfcx(t); the first term dominates. */
        if (x < -26.6)
            return INFINITY;
        double hi = x * x, lo = fma(x, x, -hi);
        return 2.0 * exp(hi) * (1.0 + lo) - smac_erfcx(-x);
    }
    if (x < 25.0) {
        /* erfc is accurate to an ulp or so in this range and does not
         * underflow; x^2 is carried as hi + lo so exp(x^2) keeps its digits. */
        double hi = x * x, lo = fma(x, x, -hi);
        return exp(hi) * (1.0 + lo) * erfc(x);
    }
    /* Asymptotic series 1/(x sqrt pi) sum (-1)^k (2k-1)!! / (2x^2)^k; at
     * x >= 25 the tenth term is below 1e-25 of the first. */
    double inv = 1.0 / (2.0 * x * x), term = 1.0, sum = 1.0;
    for (int k = 1; k <= 10; k++) {
        term *= -(2.0 * k - 1.0) * inv;
        sum += term;
    }
    return sum / (x * SQRT_PI);
}

/* a < b <= 0; a may be -inf. */
static double lower_tail_mean(double a, double b)
{
    double half_diff = 0.5 * (b - a) * (b + a); /* (b^2 - a^2) / 2 <= 0, may be -inf */
    double em1 = expm1(half_diff);              /* E - 1 in [-1, 0] */
    double ra = smac_erfcx(-a * INV_SQRT_2), rb = smac_erfcx(-b * INV_SQRT_2);
    /* rb - ra E written as (rb - ra) - ra (E - 1): no 0 * inf when a = -inf
     * (ra = 0) and both parts are non-negative, so no cancellation between them. */
    double den = (rb - ra) - ra * em1;
    return SQRT_2_OVER_PI * em1 / den;
}

double smac_std_truncnorm_mean(double a, double b)
{
    if (!(a < b))
        return NAN;
    double h = b - a, c = 0.5 * a + 0.5 * b;
    if (isfinite(h) && isfinite(c) && h * fmax(1.0, fabs(c)) < 1e-3)
        return c - h * h * c / 12.0;
    if (a >= 0.0)
        return -lower_tail_mean(-b, -a);
    if (b <= 0.0)
        return lower_tail_mean(a, b);
    double num = INV_SQRT_2PI * (exp(-0.5 * a * a) - exp(-0.5 * b * b));
    double den = 0.5 * (erf(b * INV_SQRT_2) - erf(a * INV_SQRT_2));
    return num / den;
}

double smac_truncnorm_mean(double mu, double sigma, double lo, double hi)
{
    if (!isfinite(mu) || !isfinite(sigma) || !(sigma > 0.0))
        return NAN;
    double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
    double m = smac_std_truncnorm_mean(a, b);
    return isfinite(m) ? mu + sigma * m : NAN;
}
