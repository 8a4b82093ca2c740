/*
 * Acquisition functions (algorithms.md §8): turn the surrogate's prediction
 * (mean mu and variance var per configuration, marginalised over instances)
 * into the value the acquisition optimiser maximises.
 *
 * How it fits: the main loop trains the model, computes eta (the best
 * predicted mean over the configurations it has run), calls
 * smac_acq_update, and then hands the acquisition optimiser
 * (acq_optimizer.h) a callback that predicts a batch and calls
 * smac_acq_values on it. Nothing here knows about the model.
 *
 * Formulas (s = sqrt(var), Phi/phi = standard normal cdf/pdf, xi = par):
 *   EI     (eta - mu - xi) Phi(z) + s phi(z),  z = (eta - mu - xi) / s
 *   LogEI  e^f Phi(v) - e^(mu + var/2) Phi(v - s),  f = eta - xi, v = (f - mu) / s
 *          (EI of a log-normal; mu, eta in log space)
 *   PI     Phi((eta - mu - xi) / s)
 *   LCB    -(mu - sqrt(beta) s),  beta = 2 ln(D t^2 / xi)
 *   TS     -(one draw of N(mu, var)) per point
 * EI and LogEI are 0 where s = 0. Any NaN result becomes -DBL_MAX (never
 * chosen). EI and LogEI are evaluated in forms that stay accurate where
 * SMAC3's direct formulas cancel or overflow (far tails, large eta), so
 * their values are >= 0; a negative one would be reported as an error, as
 * SMAC3 raises.
 */
#ifndef SMAC_ACQ_ACQUISITION_H
#define SMAC_ACQ_ACQUISITION_H

#include <stdint.h>

#include "smac.h"

typedef enum smac_acq_kind {
    SMAC_ACQ_EI,
    SMAC_ACQ_LOGEI,
    SMAC_ACQ_PI,
    SMAC_ACQ_LCB,
    SMAC_ACQ_TS
} smac_acq_kind;

typedef struct smac_acq {
    smac_acq_kind kind;
    double eta;    /* x_best: best predicted mean (log space for LogEI) */
    double par;    /* xi: 0 by default, 1 for LCB */
    int n_dims;    /* LCB's D: number of columns of the model's input */
    double n_data; /* LCB's t: run-history entries on the current budget */
    double beta;   /* LCB: 2 ln(D t^2 / xi), cached by smac_acq_update */
    smac_rng rng;  /* TS draws */
} smac_acq;

/* Sets the kind, SMAC3's default par (1.0 for LCB, else 0.0), eta = NaN
 * (values are NaN -> -DBL_MAX until updated) and seeds the TS generator. */
void smac_acq_init(smac_acq *a, smac_acq_kind kind, uint64_t seed);

/* What SMAC3's acquisition.update(model, eta, num_data) does after each
 * training: new eta, and for LCB the data count and input width. */
void smac_acq_update(smac_acq *a, double eta, int n_dims, double n_data);

/* Computes out[i] for n predictions. Returns 0, or SMAC_ERR_RUNTIME if an EI
 * or LogEI value came out negative (out is filled all the same). TS advances
 * a->rng, hence the non-const pointer. */
int smac_acq_values(smac_acq *a, const double *mu, const double *var, int n, double *out,
                    smac_error *err);

/* "EI", "LogEI", "PI", "LCB", "TS" (SMAC3's class names) and back; -1 if unknown. */
const char *smac_acq_kind_name(smac_acq_kind kind);
int smac_acq_kind_parse(const char *name);

/* Standard normal helpers, accurate in both tails (exposed for tests). */
double smac_norm_cdf(double x);
double smac_norm_pdf(double x);
double smac_norm_logcdf(double x);

#endif
