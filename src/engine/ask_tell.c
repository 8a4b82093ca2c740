/*
 * Ask and tell: the SMBO loop driven by the caller, for library users whose
 * target is not a command or a callback (a simulation in their own event
 * loop, a remote job system...). smac_ask hands out the next run exactly as
 * the loop would (RUNNING placeholder, budgets counting submitted runs);
 * smac_tell incorporates its result. Up to n_workers trials may be open at
 * once, as with the runner's workers.
 */
#include "engine/optimizer_internal.h"
#include "util/clock.h"
#include "util/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SKIPs in a row before smac_ask gives up: the intensifier skips while it
 * races a challenger that needs no run, never for long. */
#define MAX_SKIPS 100000

int smac_ask(smac_optimizer *o, smac_trial *trial, smac_error *err)
{
    memset(trial, 0, sizeof *trial);
    int rc = smac_engine_begin(o, err);
    if (rc != 0)
        return rc;
    smac_challenger_source src;
    smac_engine_source(o, &src);
    for (int skips = 0; skips < MAX_SKIPS; skips++) {
        if (o->stop_requested || o->aborted || smac_smbo_budget_exhausted(o))
            return 0;
        smac_intent intent;
        smac_run_info ri;
        if ((rc = smac_smbo_decide(o, &src, (int)o->asked.len, &intent, &ri, err)) != 0)
            return rc;
        if (intent == SMAC_INTENT_WAIT)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "%zu trial(s) are open: tell their results before asking for more "
                                  "(or set n_workers higher)",
                                  o->asked.len);
        if (intent != SMAC_INTENT_RUN)
            continue;
        if ((rc = smac_smbo_record_start(o, &ri, err)) != 0)
            return rc;
        size_t np = (size_t)smac_cs_n_params(o->cs);
        struct smac_asked a = {ri, malloc((np ? np : 1) * sizeof(double)), ++o->next_token};
        if (!a.config)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        memcpy(a.config, smac_rh_config(o->rh, ri.config_id), np * sizeof(double));
        SMAC_VEC_PUSH(&o->asked, a, nomem);
        trial->token = a.token;
        trial->config_id = ri.config_id;
        trial->config = a.config;
        trial->instance = smac_rh_instance_name(o->rh, ri.instance);
        trial->instance_specific = NULL;
        for (size_t i = 0; trial->instance && i < o->sc->train.n; i++)
            if (strcmp(o->sc->train.items[i].name, trial->instance) == 0)
                trial->instance_specific = o->sc->train.items[i].specific;
        trial->seed = (uint64_t)ri.seed;
        trial->cutoff = ri.cutoff;
        trial->capped = ri.capped;
        trial->budget = ri.budget;
        return 1;
    nomem:
        free(a.config);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    return smac_error_set(err, SMAC_ERR_RUNTIME, "the intensifier proposed no run in %d attempts", MAX_SKIPS);
}

int smac_tell(smac_optimizer *o, const smac_trial *trial, const smac_run_value *result, smac_error *err)
{
    size_t k = 0;
    while (k < o->asked.len && o->asked.items[k].token != trial->token)
        k++;
    if (k == o->asked.len)
        return smac_error_set(err, SMAC_ERR_INVALID, "this trial was not handed out by smac_ask, or was told already");
    if (!result || (int)result->status < SMAC_STATUS_SUCCESS || (int)result->status > SMAC_STATUS_STOP ||
        result->status == SMAC_STATUS_RUNNING)
        return smac_error_set(err, SMAC_ERR_INVALID, "a result needs a final status (SUCCESS, TIMEOUT, CRASHED, ...)");
    struct smac_asked a = o->asked.items[k];
    o->asked.items[k] = o->asked.items[--o->asked.len];
    free(a.config);
    smac_run_value v = *result;
    if (v.starttime == 0 && v.endtime == 0)
        v.starttime = v.endtime = smac_clock_wall();
    int rc = smac_smbo_incorporate(o, &a.info, &v, err);
    if (rc == 0 && o->psmac && o->run_dir)
        rc = smac_psmac_publish(o->psmac, o->rh, o->run_dir, err);
    return rc;
}

int smac_optimizer_finish(smac_optimizer *o, smac_error *err)
{
    int rc = smac_engine_begin(o, err);
    if (rc != 0)
        return rc;
    o->stats.wallclock_time_used = smac_clock_monotonic() - o->start_time;
    rc = smac_engine_save(o, err);
    smac_engine_print_summary(o);
    return rc;
}
