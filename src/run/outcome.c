/*
 * From what a target returned to the run value stored in the run history:
 * SMAC3 v1.1's BaseRunner.run_wrapper (formats.md §5.3), the same for every
 * kind of target. In short, for a runtime objective every run that is not a
 * SUCCESS costs par_factor x ceil(cutoff), a runtime above that bound becomes
 * a TIMEOUT, and a TIMEOUT of a capped run is stored as CAPPED; for a
 * quality objective only CRASHED runs are re-costed (cost_for_crash). A
 * non-finite runtime (runtime objective) or cost (quality) is a crash.
 */
#include "run/runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/floatfmt.h"
#include "util/log.h"
#include "util/strbuf.h"

#define RUNNER_LOGGER "smac.tae.base.BaseRunner"

double smac_cutoff_int(double cutoff)
{
    if (!isfinite(cutoff))
        return INFINITY;
    return ceil(cutoff) + 0.0;
}

int smac_ta_result_set(smac_ta_result *r, smac_status status, double cost, double runtime,
                       const char *message, smac_error *err)
{
    char *info;
    if (message) {
        smac_strbuf sb;
        smac_strbuf_init(&sb);
        smac_strbuf_puts(&sb, "{\"error\": ");
        smac_strbuf_json_string(&sb, message);
        smac_strbuf_putc(&sb, '}');
        info = smac_strbuf_take(&sb);
    } else {
        info = strdup("{}");
    }
    smac_ta_result_clear(r);
    if (!info)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory recording a run");
    r->status = status;
    r->status_known = 1;
    r->cost = cost;
    r->runtime = runtime;
    r->additional_info = info;
    return 0;
}

int smac_ta_result_exception(smac_ta_result *r, const smac_runner_config *cfg, double elapsed,
                             const char *message, smac_error *err)
{
    return smac_ta_result_set(r, SMAC_STATUS_CRASHED, cfg->cost_for_crash, elapsed,
                              message ? message : "the target call failed", err);
}

int smac_outcome_apply(const smac_runner_config *cfg, const smac_run_request *req,
                       smac_ta_result *r, double starttime, double endtime, smac_run_value *out,
                       smac_error *err)
{
    memset(out, 0, sizeof *out);
    double cutoff = smac_cutoff_int(req->cutoff);
    if (cfg->run_obj_runtime && !isfinite(cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "For scenarios optimizing running time (run objective), a cutoff time is "
                              "required, but not given to this call.");
    if (req->budget == 0 && r->status == SMAC_STATUS_DONOTADVANCE)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "Cannot handle DONOTADVANCE state when using intensify or SH/HB on instances.");

    smac_status status = r->status;
    double cost = r->cost, runtime = r->runtime;
    if ((cfg->run_obj_runtime && !isfinite(runtime)) || (!cfg->run_obj_runtime && !isfinite(cost))) {
        char crash[SMAC_DOUBLE_TEXT];
        smac_format_double(cfg->cost_for_crash, crash);
        SMAC_WARNING(RUNNER_LOGGER,
                     "Target Algorithm returned NaN or inf as %s. Algorithm run is treated as CRASHED, cost "
                     "is set to %s for quality scenarios. (Change value through \"cost_for_crash\"-option.)",
                     cfg->run_obj_runtime ? "runtime" : "quality", crash);
        status = SMAC_STATUS_CRASHED;
    }
    if (cfg->run_obj_runtime) {
        double bound = cfg->par_factor * cutoff;
        if (runtime > bound) {
            SMAC_WARNING(RUNNER_LOGGER, "Returned running time is larger than %g times the passed cutoff time. "
                                        "Clamping to %g x cutoff.", cfg->par_factor, cfg->par_factor);
            runtime = bound;
            status = SMAC_STATUS_TIMEOUT;
        }
        cost = status == SMAC_STATUS_SUCCESS ? runtime : bound;
        if (status == SMAC_STATUS_TIMEOUT && req->capped)
            status = SMAC_STATUS_CAPPED;
    } else if (status == SMAC_STATUS_CRASHED) {
        cost = cfg->cost_for_crash;
    }
    out->cost = cost;
    out->time = runtime;
    out->status = status;
    out->starttime = starttime;
    out->endtime = endtime;
    out->additional_info = r->additional_info;
    r->additional_info = NULL;
    return 0;
}
