/*
 * The SMBO main loop (algorithms.md §2), with N target runs in flight.
 *
 *   loop:
 *     pSMAC: merge the other processes' runs
 *     ask the intensifier for the next run (RUN / WAIT / SKIP)
 *     RUN:  record a RUNNING placeholder, start the target
 *     WAIT: block until one of our runs finishes
 *     incorporate every finished run (history, stats, intensifier, trajectory)
 *     pSMAC: publish our runs
 *     stop when a budget is exhausted or a stop was requested
 *
 * With one worker a started run is awaited at once, which is SMAC3 v1.1's
 * serial behaviour run for run.
 */
#include "engine/optimizer_internal.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "smac.optimizer.smbo.SMBO"

static double elapsed(const smac_optimizer *o) { return smac_clock_monotonic() - o->start_time; }

/* Budgets (algorithms.md §11). */
int smac_smbo_budget_exhausted(const smac_optimizer *o)
{
    const smac_scenario *sc = o->sc;
    return sc->wallclock_limit - elapsed(o) < 0 || sc->tuner_timeout - o->stats.ta_time_used < 0 ||
           sc->runcount_limit - (double)o->stats.submitted_ta_runs <= 0;
}

static void handle_event(smac_optimizer *o, const smac_intensifier_event *ev)
{
    o->stats.inc_changed = ev->inc_changed;
    if (ev->traj_entry)
        smac_engine_traj_add(o, ev->incumbent, ev->traj_cost, (int)ev->inc_changed, 0);
}

/* A finished run: history, statistics, intensifier (algorithms.md §2 incorporate). */
int smac_smbo_incorporate(smac_optimizer *o, const smac_run_info *ri, smac_run_value *v, smac_error *err)
{
    o->stats.ta_time_used += v->time;
    o->stats.finished_ta_runs++;
    const char *inst = smac_rh_instance_name(o->rh, ri->instance);
    int rc = smac_rh_add(o->rh, ri->config_id, inst, ri->seed, ri->budget, v, SMAC_RH_INTERNAL, 1, err);
    if (rc < 0)
        return rc;
    o->stats.n_configs = smac_rh_n_configs(o->rh);
    if (v->status == SMAC_STATUS_ABORT) {
        SMAC_ERROR(LOGGER, "The target algorithm reported ABORT: stopping (finished runs are saved).");
        o->aborted = 1;
        return 0;
    }
    if (v->status == SMAC_STATUS_STOP) {
        o->stop_requested = 1;
        return 0;
    }
    if (o->sc->abort_on_first_run_crash && o->stats.finished_ta_runs == 1 && v->status == SMAC_STATUS_CRASHED) {
        SMAC_ERROR(LOGGER, "First run crashed, abort. Please check your setup -- we assume that your "
                           "default configuration does not crash. (To deactivate this exception, use "
                           "the SMAC scenario option 'abort_on_first_run_crash'). Additional run info: %s",
                   v->additional_info ? v->additional_info : "{}");
        o->aborted = 1;
        return 0;
    }
    double p = o->facade.intensification_percentage;
    double time_bound = fmax(1e-5, o->time_spent * p / (1 - p));
    smac_intensifier_event ev;
    rc = smac_intensifier_process_result(o->intensifier, ri, v, o->incumbent, time_bound, &ev, err);
    if (rc < 0)
        return rc;
    o->incumbent = rc;
    handle_event(o, &ev);
    if (o->sc->save_results_instantly)
        return smac_engine_save(o, err);
    return 0;
}

static int start_run(smac_optimizer *o, const smac_run_info *ri, smac_error *err)
{
    int rc = smac_smbo_record_start(o, ri, err);
    if (rc < 0)
        return rc;
    const char *inst = smac_rh_instance_name(o->rh, ri->instance);
    const char *specific = NULL;
    for (size_t i = 0; inst && i < o->sc->train.n; i++)
        if (strcmp(o->sc->train.items[i].name, inst) == 0) {
            specific = o->sc->train.items[i].specific;
            break;
        }
    smac_run_request req = {
        .cs = o->cs, .config = smac_rh_config(o->rh, ri->config_id), .instance = inst,
        .instance_specific = specific, .seed = (uint64_t)ri->seed, .cutoff = ri->cutoff,
        .capped = ri->capped, .budget = ri->budget,
    };
    smac_job *job = NULL;
    smac_error serr;
    if (smac_job_start(&o->runner, &req, &job, &serr) != 0) {
        /* The target could not even start: a crash of this run, not of SMAC. */
        SMAC_ERROR(LOGGER, "%s", serr.message);
        double now = smac_clock_wall();
        smac_run_value v = {o->runner.run_obj_runtime ? o->runner.par_factor * ri->cutoff : o->runner.cost_for_crash,
                            0.0, SMAC_STATUS_CRASHED, now, now, NULL};
        return smac_smbo_incorporate(o, ri, &v, err);
    }
    smac_inflight f = {job, *ri};
    SMAC_VEC_PUSH(&o->inflight, f, nomem);
    return 0;
nomem:
    smac_job_free(job);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

/* Waits up to `timeout` seconds (< 0: until one is done) and incorporates
 * every finished run. */
static int collect(smac_optimizer *o, double timeout, smac_error *err)
{
    if (o->inflight.len == 0)
        return 0;
    smac_job *jobs[o->inflight.len];
    for (size_t i = 0; i < o->inflight.len; i++)
        jobs[i] = o->inflight.items[i].job;
    /* Wake up now and then so a stop request is seen while targets run. */
    double step = timeout < 0 ? 0.5 : timeout;
    int done;
    do {
        done = smac_job_wait(jobs, (int)o->inflight.len, step, err);
        if (done < 0)
            return done;
    } while (done == 0 && timeout < 0 && !o->stop_requested);
    for (size_t i = 0; i < o->inflight.len;) {
        smac_inflight f = o->inflight.items[i];
        if (!smac_job_done(f.job)) {
            i++;
            continue;
        }
        o->inflight.items[i] = o->inflight.items[--o->inflight.len];
        smac_run_value v;
        memset(&v, 0, sizeof v);
        int rc = smac_job_finish(f.job, &v, NULL, err);
        smac_job_free(f.job);
        if (rc == 0)
            rc = smac_smbo_incorporate(o, &f.info, &v, err);
        free(v.additional_info);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Ends targets still running after a stop request; their RUNNING
 * placeholders stay in the history as SMAC3 writes unfinished runs. */
static void cancel_inflight(smac_optimizer *o)
{
    for (size_t i = 0; i < o->inflight.len; i++) {
        smac_job_kill(o->inflight.items[i].job, 0);
        smac_job_free(o->inflight.items[i].job);
    }
    if (o->inflight.len)
        SMAC_WARNING(LOGGER, "Stopped %zu target run(s) in flight; they stay recorded as RUNNING.",
                     o->inflight.len);
    o->inflight.len = 0;
}

int smac_smbo_decide(smac_optimizer *o, const smac_challenger_source *src, int n_running, smac_intent *intent,
                     smac_run_info *ri, smac_error *err)
{
    if (o->psmac) {
        int n_new;
        int rc = smac_psmac_read(o->psmac, o->rh, &n_new, err);
        if (rc != 0)
            return rc;
        o->stats.n_configs = smac_rh_n_configs(o->rh);
    }
    double t0 = smac_clock_monotonic();
    smac_intensifier_event ev;
    int rc = smac_intensifier_next_run(o->intensifier, src, &o->incumbent, n_running, intent, ri, &ev, err);
    if (rc < 0)
        return rc;
    handle_event(o, &ev);
    /* Time spent choosing challengers in this intensification iteration:
     * it bounds the time the iteration may race (algorithms.md §4.6). */
    smac_intensifier_counters now_c;
    smac_intensifier_get_counters(o->intensifier, &now_c);
    if (now_c.num_run == 0)
        o->time_spent = smac_clock_monotonic() - t0;
    else
        o->time_spent += smac_clock_monotonic() - t0;
    if (smac_smbo_budget_exhausted(o))
        *intent = SMAC_INTENT_SKIP;
    return 0;
}

int smac_smbo_record_start(smac_optimizer *o, const smac_run_info *ri, smac_error *err)
{
    const char *inst = smac_rh_instance_name(o->rh, ri->instance);
    smac_run_value placeholder = {2147483647.0, 0.0, SMAC_STATUS_RUNNING, 0.0, 0.0, NULL};
    int rc = smac_rh_add(o->rh, ri->config_id, inst, ri->seed, ri->budget, &placeholder, SMAC_RH_INTERNAL, 0, err);
    if (rc < 0)
        return rc;
    o->stats.submitted_ta_runs++;
    return 0;
}

int smac_smbo_run(smac_optimizer *o, smac_error *err)
{
    smac_challenger_source src;
    smac_engine_source(o, &src);
    int n_workers = o->sc->n_workers > 0 ? o->sc->n_workers : 1;
    int rc = 0;
    for (;;) {
        if (o->stop_requested || o->aborted)
            break;
        smac_intent intent;
        smac_run_info ri;
        if ((rc = smac_smbo_decide(o, &src, (int)o->inflight.len, &intent, &ri, err)) != 0)
            break;
        if (intent == SMAC_INTENT_RUN) {
            if ((rc = start_run(o, &ri, err)) != 0)
                break;
            if ((int)o->inflight.len >= n_workers)
                rc = collect(o, -1, err);
            else
                rc = collect(o, 0, err);
        } else if (intent == SMAC_INTENT_WAIT) {
            rc = collect(o, -1, err);
        } else {
            rc = collect(o, 0, err);
        }
        if (rc != 0)
            break;
        if (o->psmac && o->run_dir && (rc = smac_psmac_publish(o->psmac, o->rh, o->run_dir, err)) != 0)
            break;
        if (smac_smbo_budget_exhausted(o) && !o->stop_requested) {
            while (o->inflight.len > 0 && !o->stop_requested && rc == 0)
                rc = collect(o, -1, err);
            break;
        }
    }
    if (o->stop_requested)
        cancel_inflight(o);
    o->stats.wallclock_time_used = elapsed(o);
    return rc;
}
