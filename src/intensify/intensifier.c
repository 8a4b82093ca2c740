/*
 * The intensifier object: options, the scenario's instances, the generator,
 * the counters that end up in stats.json, and the dispatch to the engine
 * that fits the options (racing.c for the classic intensifier with one
 * worker, racing_parallel.c with several, simple.c for the SimpleIntensifier).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intensify/intensify_internal.h"
#include "util/floatfmt.h"
#include "util/log.h"

void smac_intensifier_options_init(smac_intensifier_options *o)
{
    memset(o, 0, sizeof *o);
    o->kind = SMAC_INTENSIFIER_CLASSIC;
    o->cutoff = INFINITY;
    o->min_r = 1;
    o->max_r = 2000;
    o->min_chall = 2;
    o->slack = 1.2;
    o->n_workers = 1;
    o->run_limit = INTENS_MAXINT;
}

/* ------------------------------------------------------------ lifecycle */

static int cmp_inst_name(const smac_intensifier *it, int a, int b)
{
    const char *na = smac_rh_instance_name(it->rh, a), *nb = smac_rh_instance_name(it->rh, b);
    if (!na || !nb)
        return na ? 1 : (nb ? -1 : 0);
    return strcmp(na, nb);
}

static int check_options(const smac_intensifier_options *o, smac_error *err)
{
    if (o->kind != SMAC_INTENSIFIER_CLASSIC && o->kind != SMAC_INTENSIFIER_SIMPLE)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: unknown kind %d", (int)o->kind);
    if (o->n_workers < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: n_workers must be >= 1, not %d", o->n_workers);
    if (o->min_r < 0 || o->max_r < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: minR must be >= 0 and maxR >= 1 (got %d, %d)",
                              o->min_r, o->max_r);
    if (o->run_limit < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: run_limit must be >= 1");
    if (o->n_instances < 0 || (o->n_instances > 0 && !o->instances))
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: no instance list");
    for (int i = 0; i < o->n_instances; i++)
        if (!o->instances[i])
            return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: instance %d has no name", i + 1);
    if (o->race_against < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: race_against must be a config id or 0");
    if (isnan(o->slack) || isnan(o->cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: slack factor and cutoff must be numbers");
    return 0;
}

smac_intensifier *smac_intensifier_new(const smac_intensifier_options *o, smac_runhistory *rh, smac_error *err)
{
    if (!o || !rh) {
        smac_error_set(err, SMAC_ERR_INVALID, "intensifier: no options or no run history");
        return NULL;
    }
    if (check_options(o, err) != 0)
        return NULL;
    smac_intensifier *it = calloc(1, sizeof *it);
    if (!it)
        goto nomem;
    it->o = *o;
    it->o.instances = NULL;
    it->rh = rh;
    it->logger = o->kind == SMAC_INTENSIFIER_SIMPLE ? INTENS_LOGGER_SIMPLE : INTENS_LOGGER_CLASSIC;
    size_t cap = o->n_instances > 0 ? (size_t)o->n_instances : 1;
    it->inst = malloc(cap * sizeof *it->inst);
    it->inst_sorted = malloc(cap * sizeof *it->inst_sorted);
    if (!it->inst || !it->inst_sorted)
        goto nomem;
    if (o->n_instances == 0) {
        it->inst[0] = it->inst_sorted[0] = -1;
        it->n_inst = 1;
    } else {
        for (int i = 0; i < o->n_instances; i++) {
            int idx;
            if (smac_rh_intern_instance(rh, o->instances[i], &idx) != 0)
                goto nomem;
            int dup = 0;
            for (int k = 0; k < it->n_inst && !dup; k++)
                dup = it->inst[k] == idx;
            if (!dup)
                it->inst[it->n_inst++] = idx;
        }
        /* Name order for the incumbent's instance choice (insertion sort:
         * done once, and qsort has no context argument). */
        for (int i = 0; i < it->n_inst; i++) {
            int v = it->inst[i], j = i;
            while (j > 0 && cmp_inst_name(it, it->inst_sorted[j - 1], v) > 0) {
                it->inst_sorted[j] = it->inst_sorted[j - 1];
                j--;
            }
            it->inst_sorted[j] = v;
        }
    }
    smac_rng_seed(&it->rng, o->seed, 0);
    it->inc_changed = o->inc_changed;
    it->n_calls = o->n_calls_of_intensify;
    it->n_configs = o->n_configs_per_intensify;
    it->ema = o->ema_n_configs_per_intensify;
    it->seq.stage = STAGE_RUN_FIRST_CONFIG;
    it->seq.N = -1;
    it->seq.inc_sum_cost = INFINITY;
    it->par.next_race_id = 1;
    return it;
nomem:
    smac_intensifier_free(it);
    smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    return NULL;
}

void smac_intensifier_free(smac_intensifier *it)
{
    if (!it)
        return;
    intens_par_free(it);
    SMAC_VEC_FREE(&it->seq.to_run);
    SMAC_VEC_FREE(&it->flights);
    SMAC_VEC_FREE(&it->handed_out);
    SMAC_VEC_FREE(&it->tmp_a);
    SMAC_VEC_FREE(&it->tmp_b);
    SMAC_VEC_FREE(&it->tmp_c);
    SMAC_VEC_FREE(&it->tmp_x);
    SMAC_VEC_FREE(&it->counts);
    SMAC_VEC_FREE(&it->avail);
    free(it->inst);
    free(it->inst_sorted);
    free(it);
}

/* ------------------------------------------------------ shared helpers */

void intens_event_reset(smac_intensifier *it, smac_intensifier_event *ev, int incumbent)
{
    memset(ev, 0, sizeof *ev);
    ev->incumbent = incumbent;
    ev->old_incumbent = incumbent;
    ev->traj_cost = NAN;
    ev->inc_changed = it->inc_changed;
    ev->inc_cost = NAN;
}

void intens_next_iteration(smac_intensifier *it, smac_intensifier_event *ev)
{
    it->n_iterations++;
    it->drop_stream = 1;
    it->num_run = 0;
    it->num_chall_run = 0;
    it->chall_indx = 0;
    it->elapsed_time = 0.0;
    it->ta_time = 0.0;
    /* SMAC3 v1.1 reports the challengers of the iteration only after
     * resetting their count, so stats.json always gets 0 configurations per
     * intensify; kept, since the file is compared with SMAC3's. */
    const long n_configs = 0;
    it->n_calls++;
    it->n_configs += n_configs;
    if (it->n_calls == 1)
        it->ema = (double)n_configs;
    else
        it->ema = 0.8 * it->ema + 0.2 * (double)n_configs;
    if (ev)
        ev->iterations_ended++;
}

int intens_pull(smac_intensifier *it, const smac_challenger_source *src, int *id, smac_error *err)
{
    *id = 0;
    if (it->drop_stream) {
        if (src && src->end_iteration)
            src->end_iteration(src->ctx);
        it->drop_stream = 0;
    }
    if (!src || !src->next)
        return 0;
    int c = 0;
    int rc = src->next(src->ctx, &c, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return 0;
    if (c <= 0 || !smac_rh_config(it->rh, c))
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: the challenger source gave unknown config id %d",
                              c);
    *id = c;
    return 1;
}

void intens_fill_run(smac_run_info *out, int config, smac_rh_isb pair, double cutoff, int capped)
{
    out->config_id = config;
    out->instance = pair.instance;
    out->seed = pair.seed;
    out->cutoff = cutoff;
    out->capped = capped;
    out->budget = 0.0;
}

int intens_check_time_bound(smac_intensifier *it, double time_bound, smac_intensifier_event *ev)
{
    int ended = 0;
    if (it->num_run > it->o.run_limit) {
        SMAC_DEBUG(it->logger, "Maximum #runs for intensification reached");
        intens_next_iteration(it, ev);
        ended = 1;
    }
    /* As SMAC3: without use_ta_time_bound either clock ends the iteration. */
    if (!it->o.use_ta_time_bound && it->elapsed_time - time_bound >= 0) {
        SMAC_DEBUG(it->logger, "Wallclock time limit for intensification reached (used: %f sec, available: %f sec)",
                   it->elapsed_time, time_bound);
        intens_next_iteration(it, ev);
        ended = 1;
    } else if (it->ta_time - time_bound >= 0) {
        SMAC_DEBUG(it->logger, "TA time limit for intensification reached (used: %f sec, available: %f sec)",
                   it->ta_time, time_bound);
        intens_next_iteration(it, ev);
        ended = 1;
    }
    return ended;
}

void intens_log_cutoff(smac_intensifier *it, double cutoff)
{
    if (!smac_log_enabled(SMAC_LOG_DEBUG))
        return;
    char buf[SMAC_DOUBLE_TEXT];
    if (isinf(cutoff) && cutoff > 0)
        snprintf(buf, sizeof buf, "None"); /* SMAC3: a scenario without cutoff has None */
    else
        smac_format_double(cutoff, buf);
    SMAC_DEBUG(it->logger, "Cutoff for challenger: %s", buf);
}

const char *intens_instance_name(const smac_intensifier *it, int instance)
{
    const char *n = smac_rh_instance_name(it->rh, instance);
    return n ? n : "None";
}

/* ------------------------------------------------------------ dispatch */

static void finish_event(smac_intensifier *it, smac_intensifier_event *ev, int incumbent)
{
    ev->incumbent = incumbent;
    ev->inc_changed = it->inc_changed;
    ev->inc_cost = incumbent > 0 ? smac_rh_cost(it->rh, incumbent) : NAN;
}

static int parallel(const smac_intensifier *it)
{
    return it->o.kind == SMAC_INTENSIFIER_CLASSIC && it->o.n_workers > 1;
}

int smac_intensifier_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                              int n_running, smac_intent *intent, smac_run_info *out,
                              smac_intensifier_event *ev, smac_error *err)
{
    smac_intensifier_event local;
    if (!ev)
        ev = &local;
    if (!it || !incumbent || !intent || !out)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: missing argument");
    intens_event_reset(it, ev, *incumbent);
    *intent = SMAC_INTENT_SKIP;
    memset(out, 0, sizeof *out);
    out->instance = -1;
    out->cutoff = it->o.cutoff;
    int rc;
    if (it->o.kind == SMAC_INTENSIFIER_SIMPLE)
        rc = intens_simple_next_run(it, src, incumbent, n_running, intent, out, ev, err);
    else if (parallel(it))
        rc = intens_par_next_run(it, src, incumbent, n_running, intent, out, ev, err);
    else
        rc = intens_seq_next_run(it, src, incumbent, n_running, intent, out, ev, err);
    finish_event(it, ev, *incumbent);
    return rc;
}

int smac_intensifier_process_result(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v,
                                    int incumbent, double time_bound, smac_intensifier_event *ev,
                                    smac_error *err)
{
    smac_intensifier_event local;
    if (!ev)
        ev = &local;
    if (!it || !ri || !v)
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: missing argument");
    intens_event_reset(it, ev, incumbent);
    if (!smac_rh_config(it->rh, ri->config_id))
        return smac_error_set(err, SMAC_ERR_INVALID, "intensifier: result for unknown config id %d", ri->config_id);
    int rc;
    if (it->o.kind == SMAC_INTENSIFIER_SIMPLE)
        rc = intens_simple_process(it, ri, v, incumbent, ev, err);
    else if (parallel(it))
        rc = intens_par_process(it, ri, v, incumbent, time_bound, ev, err);
    else
        rc = intens_seq_process(it, ri, v, incumbent, time_bound, ev, err);
    if (rc >= 0)
        finish_event(it, ev, rc);
    return rc;
}

void smac_intensifier_get_counters(const smac_intensifier *it, smac_intensifier_counters *c)
{
    memset(c, 0, sizeof *c);
    if (!it)
        return;
    c->inc_changed = it->inc_changed;
    c->n_calls_of_intensify = it->n_calls;
    c->n_configs_per_intensify = it->n_configs;
    c->ema_n_configs_per_intensify = it->ema;
    c->n_iterations = it->n_iterations;
    c->num_run = it->num_run;
    c->num_chall_run = it->num_chall_run;
    c->chall_indx = it->chall_indx;
    if (parallel(it))
        c->n_races = (int)it->par.races.len;
    else if (it->o.kind == SMAC_INTENSIFIER_CLASSIC)
        c->n_races = it->seq.continue_challenger || it->seq.to_run.len > 0 || it->seq.stage == STAGE_RUN_BASIS;
    c->n_inflight = (int)it->flights.len;
}
