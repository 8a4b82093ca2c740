/*
 * Acquisition functions of algorithms.md §8 (see acquisition.h for the
 * formulas and how they are used).
 *
 * Numerics: SMAC3 evaluates the textbook formulas with scipy. Two of them
 * misbehave in double precision:
 *   - EI = s (z Phi(z) + phi(z)) cancels catastrophically for z << 0 (both
 *     terms ~phi(z)/|z| while the result is ~phi(z)/z^2), and
 *   - LogEI subtracts two exponentials that overflow for eta > ~709 and
 *     cancel when they are close.
 * Both are computed here through the Mills ratio R(x) = (1 - Phi(x)) / phi(x),
 * evaluated by its continued fraction for x > 4, which gives every tail
 * quantity as a product of positive numbers. Where the direct formula is
 * accurate (the usual case) it is used as is, so values match SMAC3's there.
 */
#include "acq/acquisition.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "util/error.h"

#define SQRT1_2 0.70710678118654752440
#define LOG_SQRT_2PI 0.91893853320467274178
#define INV_SQRT_2PI 0.39894228040143267794

/* Above this, x uses the continued fraction (40 terms give full double
 * precision for x > 4; checked against 50-digit values in the tests). */
#define TAIL_X 4.0
#define CF_TERMS 40
/* Below -this, log Phi(x) uses the continued fraction: erfc(-x / sqrt 2)
 * would leave the normal range of doubles soon after. */
#define LOGCDF_ERFC_X 35.0

double smac_norm_pdf(double x) { return INV_SQRT_2PI * exp(-0.5 * x * x); }

double smac_norm_cdf(double x) { return 0.5 * erfc(-x * SQRT1_2); }

/* For x > 0: R(x) = 1 / (x + T) with T = 1 / (x + 2 / (x + 3 / (x + ...))).
 * Returns R and stores T, which is also 1 - x R(x) divided by R(x) -- the
 * quantity that cancels in EI. */
static double mills_ratio(double x, double *tail)
{
    double t = 0.0;
    for (int k = CF_TERMS; k >= 2; k--)
        t = k / (x + t);
    double T = 1.0 / (x + t);
    if (tail)
        *tail = T;
    return 1.0 / (x + T);
}

double smac_norm_logcdf(double x)
{
    if (isnan(x))
        return x;
    /* erfc keeps its relative accuracy until its result nears the smallest
     * normal double (argument ~26.5), so log(Phi) is accurate down to here;
     * it is also far cheaper than the 40-term continued fraction. */
    if (x < -LOGCDF_ERFC_X) /* Phi(x) = phi(x) R(-x) */
        return -0.5 * x * x - LOG_SQRT_2PI + log(mills_ratio(-x, NULL));
    if (x <= 0.0)
        return log(smac_norm_cdf(x));
    return log1p(-0.5 * erfc(x * SQRT1_2));
}

/* E[max(0, d - Y)] for Y ~ N(0, s^2) written as s h(z), z = d / s, with
 * h(z) = z Phi(z) + phi(z). */
static double expected_improvement(double d, double s)
{
    double z = d / s;
    if (z >= -TAIL_X || isnan(z))
        return d * smac_norm_cdf(z) + s * smac_norm_pdf(z);
    /* h(z) = phi(x) (1 - x R(x)) with x = -z, and 1 - x R = T R exactly. */
    double x = -z, T;
    double R = mills_ratio(x, &T);
    return s * smac_norm_pdf(x) * T * R;
}

/* e^f Phi(v) - e^(mu + s^2/2) Phi(v - s) with v = (f - mu)/s, i.e.
 * E[max(0, e^f - e^Y)] for Y ~ N(mu, s^2). Written as
 * e^l1 (1 - e^(l2 - l1)) with l1 = f + log Phi(v), l2 = mu + s^2/2 + log Phi(v - s):
 * no overflow before the result itself overflows, and expm1 keeps the
 * difference accurate when the two terms are close. */
static double log_expected_improvement(double f, double mu, double s)
{
    double v = (f - mu) / s;
    double lp1 = smac_norm_logcdf(v);
    double lp2 = smac_norm_logcdf(v - s);
    double diff = (mu - f) + 0.5 * s * s + (lp2 - lp1); /* l2 - l1, mathematically < 0 */
    double l1 = f + lp1;
    if (isnan(diff) || isnan(l1))
        return NAN;
    if (diff >= 0.0)
        return 0.0; /* rounding at the boundary where both terms agree */
    double scale = -expm1(diff);
    /* e^l1 alone may overflow while the product does not */
    double r = (l1 < 700.0) ? exp(l1) * scale : exp(l1 + log(scale));
    return isinf(r) ? DBL_MAX : r; /* a finite "best possible" rather than inf */
}

void smac_acq_init(smac_acq *a, smac_acq_kind kind, uint64_t seed)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->par = (kind == SMAC_ACQ_LCB) ? 1.0 : 0.0;
    a->eta = NAN;
    a->beta = NAN;
    smac_rng_seed(&a->rng, seed, 0);
}

void smac_acq_update(smac_acq *a, double eta, int n_dims, double n_data)
{
    a->eta = eta;
    a->n_dims = n_dims;
    a->n_data = n_data;
    /* IEEE semantics as numpy: t = 0 gives log(0) = -inf and sqrt(-inf) is
     * NaN, so every LCB value becomes -DBL_MAX, which is what SMAC3 does. The
     * division is spelled out so that xi = 0 gives +inf without dividing by 0. */
    double num = (double)n_dims * n_data * n_data;
    double ratio = (a->par > 0.0) ? num / a->par : (num > 0.0 ? INFINITY : NAN);
    a->beta = 2.0 * log(ratio);
}

int smac_acq_values(smac_acq *a, const double *mu, const double *var, int n, double *out,
                    smac_error *err)
{
    int negative = 0;
    for (int i = 0; i < n; i++) {
        double m = mu[i];
        double s = sqrt(var[i]); /* NaN for negative or NaN variances */
        double r;
        switch (a->kind) {
        case SMAC_ACQ_EI:
            r = (s == 0.0) ? 0.0 : expected_improvement(a->eta - m - a->par, s);
            break;
        case SMAC_ACQ_LOGEI:
            r = (s == 0.0) ? 0.0 : log_expected_improvement(a->eta - a->par, m, s);
            break;
        case SMAC_ACQ_PI: {
            double d = a->eta - m - a->par;
            if (s == 0.0) /* numpy: d / 0 = +-inf (or NaN for 0/0) */
                r = (d > 0.0) ? 1.0 : (d < 0.0 ? 0.0 : NAN);
            else
                r = smac_norm_cdf(d / s);
            break;
        }
        case SMAC_ACQ_LCB:
            r = -(m - sqrt(a->beta) * s);
            break;
        case SMAC_ACQ_TS:
            r = -(m + s * smac_rng_normal(&a->rng));
            break;
        default:
            r = NAN;
            break;
        }
        if (isnan(r))
            r = -DBL_MAX;
        else if ((a->kind == SMAC_ACQ_EI || a->kind == SMAC_ACQ_LOGEI) && r < 0.0)
            negative++;
        out[i] = r;
    }
    if (negative)
        return smac_error_set(err, SMAC_ERR_RUNTIME,
                              "Expected Improvement is smaller than 0 for %d sample%s", negative,
                              negative == 1 ? "" : "s");
    return 0;
}

static const char *const KIND_NAMES[] = {"EI", "LogEI", "PI", "LCB", "TS"};

const char *smac_acq_kind_name(smac_acq_kind kind)
{
    if ((int)kind < 0 || (int)kind >= (int)(sizeof KIND_NAMES / sizeof *KIND_NAMES))
        return NULL;
    return KIND_NAMES[kind];
}

int smac_acq_kind_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < (int)(sizeof KIND_NAMES / sizeof *KIND_NAMES); i++)
        if (strcmp(name, KIND_NAMES[i]) == 0)
            return i;
    return -1;
}
