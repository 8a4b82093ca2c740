/*
 * The in-process target: a C function (smac_target_fn) evaluated in the
 * calling thread, then judged by the same §5.3 rules as command-line runs.
 * The function's own status, cost and time are taken as reported (it knows
 * best what it measured); we only measure wall and CPU time for the record.
 * No limits are enforced: a callback that hangs hangs its caller.
 */
#include "run/runner.h"

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

int smac_callback_run(const smac_runner_config *cfg, const smac_run_request *req, smac_run_value *out,
                      smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    if (!cfg->fn)
        return smac_error_set(err, SMAC_ERR_INVALID, "no target function was given");
    if (cfg->run_obj_runtime && !isfinite(req->cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "For scenarios optimizing running time (run objective), a cutoff time is "
                              "required, but not given to this call.");

    /* A function that sets nothing but the cost is a success in 0 s; one
     * that forgets the cost has a NaN cost, which §5.3 turns into a crash. */
    smac_run_value v;
    memset(&v, 0, sizeof v);
    v.cost = NAN;
    v.time = 0.0;
    v.status = SMAC_STATUS_SUCCESS;

    double start = smac_clock_wall(), t0 = smac_clock_monotonic(), c0 = thread_cpu();
    int frc = cfg->fn(req->cs, req->config, req->instance, req->seed, req->cutoff, req->budget, &v, cfg->fn_data);
    double t1 = smac_clock_monotonic(), c1 = thread_cpu(), end = smac_clock_wall();

    smac_ta_result res;
    memset(&res, 0, sizeof res);
    int rc;
    char msg[128];
    if (frc != 0) {
        free(v.additional_info);
        snprintf(msg, sizeof msg, "the target function returned %d", frc);
        rc = smac_ta_result_exception(&res, cfg, t1 - t0, msg, err);
    } else if (!smac_status_name(v.status)) {
        free(v.additional_info);
        snprintf(msg, sizeof msg, "the target function returned the unknown status %d", (int)v.status);
        rc = smac_ta_result_exception(&res, cfg, t1 - t0, msg, err);
    } else {
        res.status = v.status;
        res.status_known = 1;
        res.cost = v.cost;
        res.runtime = v.time;
        res.additional_info = v.additional_info ? v.additional_info : strdup("{}");
        rc = res.additional_info ? 0 : smac_error_set(err, SMAC_ERR_NOMEM, "out of memory recording a run");
    }
    if (rc == 0)
        rc = smac_outcome_apply(cfg, req, &res, start, end, out, err);
    smac_ta_result_clear(&res);
    if (rc == 0 && m) {
        m->wall_time = t1 - t0;
        m->cpu_time = c1 - c0;
        m->exit_status = frc;
        m->had_result_line = frc == 0;
    }
    return rc;
}
