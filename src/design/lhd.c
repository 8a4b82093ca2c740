/*
 * Latin hypercube points for the LHD initial design (initial_design.h).
 * Same construction as scipy's LatinHypercube with centered=False, which is
 * what SMAC3 v1.1 calls: every dimension is cut into n equal strata and each
 * stratum receives exactly one point, at a uniform offset inside it; the
 * assignment of strata to points is an independent random permutation per
 * dimension. Only the distribution matches scipy, not the bits (our RNG is
 * not numpy's).
 */
#include "design/initial_design.h"

void smac_lhd_sample(int n, int d, smac_rng *rng, double *out)
{
    if (n <= 0 || d <= 0)
        return;
    for (int j = 0; j < d; j++) {
        /* The permutation lives in the output column itself, so no scratch
         * buffer is needed. */
        for (int i = 0; i < n; i++)
            out[(size_t)i * d + j] = (double)(i + 1);
        for (int i = n - 1; i > 0; i--) {
            int k = (int)smac_rng_below(rng, (uint64_t)i + 1);
            double t = out[(size_t)i * d + j];
            out[(size_t)i * d + j] = out[(size_t)k * d + j];
            out[(size_t)k * d + j] = t;
        }
    }
    /* scipy subtracts the offset from the stratum's upper end, so points lie
     * in ((k-1)/n, k/n] and u = 1 is possible; the mapping to configurations
     * handles it. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            double *x = &out[(size_t)i * d + j];
            *x = (*x - smac_rng_uniform(rng)) / n;
        }
}
