/*
 * Censored-data imputation (SMAC3 v1.1's RFRImputator; spec algorithms.md
 * §6). A capped or timed-out run only says "slower than y"; the model is
 * asked what it believes instead, and that belief, cut to [y, threshold],
 * replaces y. Its estimate improves once the imputed rows are part of its
 * training data, hence the small fixed-point loop:
 *
 *   train on the uncensored rows
 *   round 1..max_iter:
 *     predict mu, var for the censored rows; var >= var_floor
 *     imp = mean of N(mu, sqrt var) truncated to [y_censored, threshold]
 *     not finite -> max(y_censored, mu); >= threshold -> threshold
 *     from round 2: change = mean(|imp - prev| / prev) (before the
 *       threshold cut, against prev after it, as SMAC3); stop when
 *       change <= change_threshold, without retraining
 *     retrain on uncensored + imputed rows
 *   at the end: imp >= cutoff -> threshold
 *
 * The relative change divides by the signed previous value, as SMAC3 does;
 * with log runtimes below 1 s that value is negative, the "change" then is
 * too, and the loop stops - a quirk kept for fidelity.
 *
 * The imputed values are written straight into the tail of the caller's y,
 * which is also the training data of each retraining: no copies.
 */
#include <math.h>

#include "epm/epm_data.h"
#include "epm/truncnorm.h"
#include "util/error.h"
#include "util/log.h"

#define LOGGER "smac.epm.rfr_imputator.RFRImputator"

int smac_epm_impute(smac_rf_model *model, const double *X, const int *instance, double *y, int n_u, int n_c,
                    const double *censored_y, const smac_epm_impute_params *p, double *work,
                    smac_epm_impute_info *info, smac_error *err)
{
    smac_epm_impute_info local = {0, 0, 0.0};
    if (!info)
        info = &local;
    *info = local;
    if (!model || !X || !y || !censored_y || !p || !work || n_u < 0 || n_c < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "imputation: missing argument");
    if (n_c == 0)
        return 0;
    if (n_u == 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "imputation needs at least one uncensored run");
    if (p->max_iter < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "imputation: max_iter must be >= 1, not %d", p->max_iter);

    int n_params = smac_rf_model_n_params(model);
    const double *cX = X + (size_t)n_u * (size_t)n_params;
    const int *cinst = instance ? instance + n_u : NULL;
    double *mu = work, *var = work + n_c, *imp = work + 2 * (size_t)n_c;
    double *prev = y + n_u; /* after a round: that round's values, cut at threshold */
    int rc;

    if ((rc = smac_rf_model_train(model, X, instance, y, n_u, err)) != 0)
        return rc;
    info->trainings = 1;
    SMAC_DEBUG(LOGGER, "Going to impute %d y-values", n_c);

    for (int it = 1;; it++) {
        if ((rc = smac_rf_model_predict(model, cX, cinst, n_c, mu, var, err)) != 0)
            return rc;
        info->iterations = it;
        int n_fallback = 0;
        for (int i = 0; i < n_c; i++) {
            double v = var[i] < p->var_floor ? p->var_floor : var[i]; /* NaN stays NaN, as in numpy */
            double m = smac_truncnorm_mean(mu[i], sqrt(v), censored_y[i], p->threshold);
            if (!isfinite(m)) {
                /* The prediction lies far below the censored value (or is
                 * unusable): the censored value is the best guess left. */
                m = fmax(censored_y[i], mu[i]);
                n_fallback++;
            }
            imp[i] = m;
        }
        if (n_fallback > 0)
            SMAC_DEBUG(LOGGER, "Going to replace %d nan-value(s) with max(captime, predicted mean)", n_fallback);

        double change = 0.0;
        if (it > 1) {
            double sum = 0.0;
            for (int i = 0; i < n_c; i++)
                sum += fabs(imp[i] - prev[i]) / prev[i];
            change = sum / n_c;
            info->change = change;
        }
        for (int i = 0; i < n_c; i++)
            prev[i] = imp[i] >= p->threshold ? p->threshold : imp[i];
        SMAC_DEBUG(LOGGER, "Change: %f", change);

        if (!(it == 1 || change > p->change_threshold))
            break;
        if ((rc = smac_rf_model_train(model, X, instance, y, n_u + n_c, err)) != 0)
            return rc;
        info->trainings++;
        if (it + 1 > p->max_iter)
            break;
    }
    SMAC_DEBUG(LOGGER, "Imputation used %d/%d iterations, last_change=%f", info->iterations, p->max_iter,
               info->change);

    for (int i = 0; i < n_c; i++)
        if (prev[i] >= p->cutoff)
            prev[i] = p->threshold;
    return 0;
}
