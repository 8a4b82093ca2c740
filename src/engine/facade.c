/* Facade settings (see facade.h); every number here is from facades.md. */
#include "engine/facade.h"
#include "util/error.h"

#include <math.h>

static void rf_from_scenario(const smac_scenario *sc, smac_rf_model_options *rf)
{
    smac_rf_model_default_options(rf);
    rf->forest.num_trees = sc->rf_num_trees;
    rf->forest.do_bootstrapping = sc->rf_do_bootstrapping;
    rf->forest.ratio_features = sc->rf_ratio_features;
    rf->forest.min_samples_split = sc->rf_min_samples_split;
    rf->forest.min_samples_leaf = sc->rf_min_samples_leaf;
    rf->forest.max_depth = sc->rf_max_depth;
}

static smac_y_transform transform_of(int transform_y)
{
    switch (transform_y) {
    case SMAC_TRANSFORM_LOG: return SMAC_Y_LOG;
    case SMAC_TRANSFORM_LOGS: return SMAC_Y_LOG_SCALED;
    case SMAC_TRANSFORM_INVS: return SMAC_Y_INV_SCALED;
    default: return SMAC_Y_COST;
    }
}

int smac_facade_configure(const smac_scenario *sc, smac_facade *f, smac_error *err)
{
    int runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    /* SMAC4AC (and the base of every other facade). */
    f->mode = sc->mode;
    f->name = "SMAC4AC";
    f->use_model = 1;
    /* Runtime forces log(y) (facades.md §3). */
    int transform_y = runtime ? SMAC_TRANSFORM_LOG : sc->transform_y;
    f->transform = transform_of(transform_y);
    f->impute_censored = runtime;
    int log_y = transform_y == SMAC_TRANSFORM_LOG || transform_y == SMAC_TRANSFORM_LOGS;
    f->acq = log_y ? SMAC_ACQ_LOGEI : SMAC_ACQ_EI;
    f->acq_opt_challengers = sc->acq_opt_challengers;
    f->n_sls_iterations = 10;
    f->rand_prob = sc->rand_prob;
    f->design.kind = (smac_design_kind)sc->initial_incumbent;
    f->design.init_budget = -1;
    f->design.n_configs_x_params = 0;
    f->design.max_config_fracs = 0;
    f->design.ta_run_limit = sc->runcount_limit;
    f->intensifier = SMAC_INTENSIFIER_CLASSIC;
    f->min_chall = sc->intens_min_chall;
    f->intensification_percentage = sc->intensification_percentage;
    if (sc->deterministic && !runtime)
        f->intensification_percentage = 1e-10;
    rf_from_scenario(sc, &f->rf);
    f->rf.forest.log_y = log_y;

    switch (sc->mode) {
    case SMAC_MODE_SMAC4AC:
    case SMAC_MODE_PSMAC: /* each PSMAC member is a SMAC4AC */
        break;
    case SMAC_MODE_SMAC4HPO:
        f->name = "SMAC4HPO";
        f->transform = SMAC_Y_LOG_SCALED;
        f->impute_censored = 0; /* its RunHistory2EPM4LogScaledCost does not impute */
        f->acq = SMAC_ACQ_LOGEI;
        f->acq_opt_challengers = 10000;
        f->rand_prob = 0.2;
        f->design.kind = SMAC_DESIGN_SOBOL;
        f->design.n_configs_x_params = 10;
        f->design.max_config_fracs = 0.25;
        f->min_chall = 1;
        f->intensification_percentage = 1e-10;
        f->rf.forest.log_y = 1;
        f->rf.forest.ratio_features = 1.0;
        f->rf.forest.min_samples_split = 2;
        f->rf.forest.min_samples_leaf = 1;
        f->rf.forest.max_depth = 1 << 20;
        break;
    case SMAC_MODE_ROAR:
        f->name = "ROAR";
        f->use_model = 0;
        f->acq_opt_challengers = 1;
        break;
    case SMAC_MODE_SMAC4BB:
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "--mode SMAC4BB needs the Gaussian-process model, which this version "
                              "does not have yet; use SMAC4HPO");
    case SMAC_MODE_HYDRA:
        return smac_error_set(err, SMAC_ERR_INVALID, "--mode Hydra is not supported by this version");
    default:
        return smac_error_set(err, SMAC_ERR_INVALID, "unknown mode %d", sc->mode);
    }
    return 0;
}
