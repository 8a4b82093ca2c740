/*
 * The mean of a truncated normal distribution, the one piece of probability
 * the censored-data imputer (imputer.c) needs: a censored run's response is
 * replaced by the mean of the model's predictive normal truncated to
 * [censored value, threshold] (spec algorithms.md §6).
 *
 * Why not the textbook formula directly: mu + sigma (phi(a) - phi(b)) /
 * (Phi(b) - Phi(a)) loses every digit once both bounds lie a few standard
 * deviations in the same tail (the difference of cdfs underflows or cancels),
 * which is exactly where imputation lives: a run capped far above what the
 * model predicts. We rewrite it with the scaled complementary error function
 * erfcx(x) = exp(x^2) erfc(x), which stays finite and accurate in the tails.
 */
#ifndef SMAC_EPM_TRUNCNORM_H
#define SMAC_EPM_TRUNCNORM_H

/* exp(x^2) erfc(x) for any x: accurate to a few ulps for x >= 0 (where it
 * decays like 1 / (x sqrt(pi))); +inf where it overflows (x < about -26.6). */
double smac_erfcx(double x);

/* Mean of N(0, 1) truncated to [a, b]. Either bound may be infinite.
 * NaN unless a < b. */
double smac_std_truncnorm_mean(double a, double b);

/* Mean of N(mu, sigma^2) truncated to [lo, hi]. NaN when mu or sigma is not
 * finite, sigma <= 0, or the interval is empty (lo >= hi, a NaN bound) -
 * the cases scipy's truncnorm reports as NaN, which the imputer replaces. */
double smac_truncnorm_mean(double mu, double sigma, double lo, double hi);

#endif
