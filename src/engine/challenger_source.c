/*
 * Where the intensifier's challengers come from (algorithms.md §2, §9.5):
 * first the initial design, in order; then, per intensification iteration,
 * a challenger stream. Creating a stream trains the model on the current run
 * history; the acquisition optimiser runs only when the stream is first asked
 * for a non-random challenger. ROAR's stream is uniformly random.
 */
#include "engine/optimizer_internal.h"
#include "util/error.h"
#include "util/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int grow_predictions(smac_optimizer *o, int n)
{
    if (n <= o->pred_cap)
        return 0;
    int cap = o->pred_cap ? o->pred_cap : 1024;
    while (cap < n)
        cap *= 2;
    double *mu = realloc(o->pred_mu, (size_t)cap * sizeof *mu);
    if (!mu)
        return -1;
    o->pred_mu = mu;
    double *var = realloc(o->pred_var, (size_t)cap * sizeof *var);
    if (!var)
        return -1;
    o->pred_var = var;
    o->pred_cap = cap;
    return 0;
}

/* The acquisition function at n configurations, batched (smac_acq_eval_fn). */
static void eval_acquisition(const double *configs, int n, double *values, void *ctx)
{
    smac_optimizer *o = ctx;
    if (grow_predictions(o, n) != 0 ||
        smac_rf_model_predict_marginal(o->model, configs, n, o->pred_mu, o->pred_var, NULL) != 0) {
        for (int i = 0; i < n; i++)
            values[i] = -INFINITY; /* no prediction: never preferred */
        return;
    }
    if (smac_acq_values(&o->acq, o->pred_mu, o->pred_var, n, values, NULL) != 0)
        for (int i = 0; i < n; i++)
            if (isnan(values[i]))
                values[i] = -INFINITY;
}

/* One line per acquisition maximisation, to compare runs with SMAC3's. */
static void log_maximisation(const smac_optimizer *o, const smac_acq_list *out)
{
    double best_rs = -INFINITY, best_ls = -INFINITY;
    for (int i = 0; i < out->n; i++) {
        double *best = strcmp(out->origins[i], SMAC_ORIGIN_LOCAL_SEARCH) == 0 ? &best_ls : &best_rs;
        if (out->values[i] > *best)
            *best = out->values[i];
    }
    smac_acq_ls_stats ls;
    smac_acq_last_local_search(o->acq_opt, &ls);
    SMAC_DEBUG("smac.optimizer.ei_optimization",
               "Maximised the acquisition on %d training rows: eta %.6g, %d local searches, %ld moves, "
               "%ld neighbours evaluated; best random %.6g, best local %.6g",
               o->data.n_rows, o->acq.eta, ls.n_searches, ls.steps, ls.evaluated, best_rs, best_ls);
}

/* The stream's list: the acquisition optimiser's challengers (§9.4). */
static int fill_from_optimizer(void *ctx, smac_acq_list *out, smac_error *err)
{
    smac_optimizer *o = ctx;
    /* Local search starts from the configurations with training rows; their
     * predicted costs were computed for x_best when the stream opened. */
    smac_acq_history hist = {o->data.x_configs, o->data.n_configs, o->data.x_mean};
    int rc = smac_acq_maximize(o->acq_opt, &hist, o->facade.acq_opt_challengers, eval_acquisition, o, out, err);
    if (rc == 0 && smac_log_enabled(SMAC_LOG_DEBUG))
        log_maximisation(o, out);
    return rc;
}

/* SMAC3 offers one random configuration per stream when there is no model
 * (ROAR, or no training data yet); with several workers one per worker, so
 * idle workers get something to run (one worker: exactly SMAC3's stream). */
static int random_stream_length(const smac_optimizer *o)
{
    return o->sc->n_workers > 1 ? o->sc->n_workers : 1;
}

/* Trains the model on the history and opens a stream over the optimiser. */
static int open_model_stream(smac_optimizer *o, smac_error *err)
{
    int rc = smac_engine_build_training_data(o, err);
    if (rc != 0)
        return rc;
    if (o->data.n_rows == 0)
        return smac_challengers_init_random(&o->stream, o->cs, &o->sample_rng, random_stream_length(o), err);
    double eta;
    int best_id;
    rc = smac_epm_x_best(&o->data, o->model, &eta, &best_id, err);
    if (rc != 0)
        return rc;
    smac_acq_update(&o->acq, eta, smac_rf_model_n_columns(o->model), o->data.n_budget_runs);
    smac_chooser_next_iteration(&o->chooser);
    return smac_challengers_init(&o->stream, o->cs, &o->chooser, &o->sample_rng, fill_from_optimizer, o, err);
}

static int next_challenger(void *ctx, int *config_id, smac_error *err)
{
    smac_optimizer *o = ctx;
    if (o->initial_next < o->initial.len) {
        *config_id = o->initial.items[o->initial_next++];
        return 1;
    }
    if (!o->stream_active) {
        int rc = o->facade.use_model ? open_model_stream(o, err)
                                     : smac_challengers_init_random(&o->stream, o->cs, &o->sample_rng,
                                                                    random_stream_length(o), err);
        if (rc != 0)
            return rc;
        o->stream_active = 1;
    }
    int np = smac_cs_n_params(o->cs);
    double config[np > 0 ? np : 1];
    const char *origin = NULL;
    int rc = smac_challengers_next(&o->stream, config, &origin, err);
    if (rc <= 0)
        return rc;
    rc = smac_rh_intern_config(o->rh, config, origin, config_id);
    if (rc < 0)
        return smac_error_set(err, rc, "cannot record a challenger");
    return 1;
}

void smac_engine_drop_stream(smac_optimizer *o)
{
    if (o->stream_active) {
        smac_challengers_free(&o->stream);
        o->stream_active = 0;
    }
}

static void end_iteration(void *ctx)
{
    smac_engine_drop_stream(ctx);
}

void smac_engine_source(smac_optimizer *o, smac_challenger_source *src)
{
    src->next = next_challenger;
    src->end_iteration = end_iteration;
    src->ctx = o;
}
