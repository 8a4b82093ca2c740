/*
 * The in-process target: a C function (smac_target_fn), judged by the same
 * §5.3 rules as command-line runs. The function's own status, cost and time
 * are taken as reported (it knows best what it measured); we only measure
 * wall and CPU time for the record. No limits are enforced: a callback that
 * hangs hangs the run.
 *
 * Two halves, so a job can run the first on a thread of its own
 * (callback_job.c) and the second back on the caller's thread:
 *   smac_callback_invoke  calls the function and measures it; it touches
 *                         nothing but its arguments (no logging, no shared
 *                         state), so N of them can run at once;
 *   smac_callback_judge   turns what it returned into a run value (§5.3,
 *                         which may log).
 */
#include "run/run_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/error.h"

static double thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int smac_callback_check(const smac_runner_config *cfg, const smac_run_request *req, smac_error *err)
{
    if (!cfg->fn)
        return smac_error_set(err, SMAC_ERR_INVALID, "no target function was given");
    if (cfg->run_obj_runtime && !isfinite(req->cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "For scenarios optimizing running time (run objective), a cutoff time is "
                              "required, but not given to this call.");
    return 0;
}

void smac_callback_invoke(const smac_runner_config *cfg, const smac_run_request *req, smac_callback_call *c)
{
    /* A function that sets nothing but the cost is a success in 0 s; one
     * that forgets the cost has a NaN cost, which §5.3 turns into a crash. */
    memset(c, 0, sizeof *c);
    c->v.cost = NAN;
    c->v.time = 0.0;
    c->v.status = SMAC_STATUS_SUCCESS;
    c->start = smac_clock_wall();
    double t0 = smac_clock_monotonic(), c0 = thread_cpu();
    c->frc = cfg->fn(req->cs, req->config, req->instance, req->seed, req->cutoff, req->budget, &c->v,
                     cfg->fn_data);
    c->wall = smac_clock_monotonic() - t0;
    c->cpu = thread_cpu() - c0;
    c->end = smac_clock_wall();
}

int smac_callback_judge(const smac_runner_config *cfg, const smac_run_request *req, smac_callback_call *c,
                        smac_run_value *out, smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    smac_ta_result res;
    memset(&res, 0, sizeof res);
    int rc;
    char msg[128];
    char *info = c->v.additional_info;
    c->v.additional_info = NULL;
    if (c->frc != 0) {
        free(info);
        snprintf(msg, sizeof msg, "the target function returned %d", c->frc);
        rc = smac_ta_result_exception(&res, cfg, c->wall, msg, err);
    } else if (!smac_status_name(c->v.status)) {
        free(info);
        snprintf(msg, sizeof msg, "the target function returned the unknown status %d", (int)c->v.status);
        rc = smac_ta_result_exception(&res, cfg, c->wall, msg, err);
    } else {
        res.status = c->v.status;
        res.status_known = 1;
        res.cost = c->v.cost;
        res.runtime = c->v.time;
        res.additional_info = info ? info : strdup("{}");
        rc = res.additional_info ? 0 : smac_error_set(err, SMAC_ERR_NOMEM, "out of memory recording a run");
    }
    if (rc == 0)
        rc = smac_outcome_apply(cfg, req, &res, c->start, c->end, out, err);
    smac_ta_result_clear(&res);
    if (rc == 0 && m) {
        m->wall_time = c->wall;
        m->cpu_time = c->cpu;
        m->exit_status = c->frc;
        m->had_result_line = c->frc == 0;
    }
    return rc;
}

int smac_callback_run(const smac_runner_config *cfg, const smac_run_request *req, smac_run_value *out,
                      smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    int rc = smac_callback_check(cfg, req, err);
    if (rc)
        return rc;
    smac_callback_call c;
    smac_callback_invoke(cfg, req, &c);
    return smac_callback_judge(cfg, req, &c, out, m, err);
}
