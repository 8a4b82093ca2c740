/*
 * Facades: SMAC3 v1.1's named bundles of component settings (facades.md §1-2).
 * A facade only decides settings; the optimiser builds the components from
 * them. SMAC4AC is the command line's default, SMAC4HPO the usual choice for
 * hyperparameter optimisation, ROAR races random configurations (v1.1's
 * "random search").
 */
#ifndef SMAC_ENGINE_FACADE_H
#define SMAC_ENGINE_FACADE_H

#include "acq/acquisition.h"
#include "design/initial_design.h"
#include "epm/epm_data.h"
#include "intensify/intensifier.h"
#include "model/rf_model.h"
#include "scenario/scenario.h"

typedef struct smac_facade {
    int mode;                       /* smac_mode */
    const char *name;               /* "SMAC4AC", ... */
    int use_model;                  /* 0: ROAR (random challengers, no model) */
    smac_y_transform transform;
    int impute_censored;
    smac_acq_kind acq;
    int acq_opt_challengers;        /* random samples per acquisition optimisation */
    int n_sls_iterations;           /* local-search start points per source */
    double rand_prob;               /* interleaving of random challengers */
    smac_design_options design;
    smac_intensifier_kind intensifier;
    int min_chall;
    double intensification_percentage;
    smac_rf_model_options rf;
} smac_facade;

/* Fills f for the scenario's mode (sc must be finished). Errors: a mode this
 * build cannot run (Hydra, SMAC4BB's Gaussian process, PSMAC handled by the caller). */
int smac_facade_configure(const smac_scenario *sc, smac_facade *f, smac_error *err);

#endif
