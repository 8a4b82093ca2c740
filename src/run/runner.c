/*
 * From a finished command-line run to the stored run value, and the blocking
 * smac_runner_run. The order of evidence (runner.h lists the deviations from
 * SMAC3 this implies):
 *   1. a result line, when the target printed one, decides — whatever
 *      happened afterwards (a target may print its result and then hang);
 *      one that SMAC3 could not read takes SMAC3's exception path;
 *   2. otherwise what we saw: stopped on request, killed at the cutoff,
 *      our memory limit hit, killed by a signal or a non-zero exit;
 *   3. a clean exit without a result line is SMAC3's "no result" case.
 * §5.3 (outcome.c) is applied to all of them.
 */
#include "run/run_internal.h"

#include <ctype.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/error.h"
#include "util/log.h"

#define OLD_LOGGER "smac.tae.execute_ta_run_old.ExecuteTARunOld"
#define ACLIB_LOGGER "smac.tae.execute_ta_run_aclib.ExecuteTARunAClib"

void smac_runner_config_init(smac_runner_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->kind = SMAC_TAE_OLD;
    cfg->par_factor = 1.0;
    cfg->cost_for_crash = 2147483647.0;
    cfg->kill_grace = 1.0;
    cfg->kill_delay = 2.0;
}

void smac_run_measure_free(smac_run_measure *m)
{
    if (!m)
        return;
    free(m->stdout_tail);
    free(m->stderr_tail);
    m->stdout_tail = m->stderr_tail = NULL;
}

/* Case-insensitive substring search (strcasestr is not POSIX). */
static int contains_nocase(const char *hay, const char *needle)
{
    if (!hay)
        return 0;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* What programs say when an allocation fails (Python, C/C++ runtimes, awk,
 * the shells, Java). */
static int says_out_of_memory(const char *text)
{
    static const char *const phrases[] = {"MemoryError", "out of memory", "cannot allocate memory",
                                          "bad_alloc", "memory exhausted", "OutOfMemoryError",
                                          "failed to allocate", "allocation failed"};
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (contains_nocase(text, phrases[i]))
            return 1;
    return 0;
}

/* The start of the last n lines of text (SMAC3 logs the last 5 of each stream). */
static const char *last_lines(const char *text, int n)
{
    if (!text)
        return "";
    size_t len = strlen(text);
    while (len > 0 && text[len - 1] == '\n')
        len--;
    const char *p = text + len;
    while (p > text) {
        if (p[-1] == '\n' && --n == 0)
            break;
        p--;
    }
    return p;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGINT: return "SIGINT";
    case SIGXCPU: return "SIGXCPU";
    case SIGPIPE: return "SIGPIPE";
    default: return "signal";
    }
}

int smac_job_outcome(const smac_runner_config *cfg, const smac_run_request *req,
                     const smac_job_report *rep, double starttime, smac_run_value *out,
                     smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    int ws = rep->wait_status;
    int sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
    int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    double cut = smac_cutoff_int(req->cutoff);
    int have_result = rep->result != NULL;
    int on_request = (rep->flags & SHEPHERD_KILLED_ON_REQUEST) != 0;
    int at_cutoff = (rep->flags & SHEPHERD_KILLED_AT_CUTOFF) != 0;
    int cpu_limited = cfg->limit_cpu_time && isfinite(cut);
    if (cpu_limited && (sig == SIGXCPU || (sig == SIGKILL && rep->cpu_time >= cut)))
        at_cutoff = 1;
    int memout = 0;
    if (cfg->memory_limit_mb > 0 && !have_result && (sig || code != 0) && !at_cutoff && !on_request)
        memout = says_out_of_memory(rep->err_tail) || says_out_of_memory(rep->out_tail) ||
                 (double)rep->max_rss_kb >= 0.9 * cfg->memory_limit_mb * 1024.0;

    smac_ta_result res;
    memset(&res, 0, sizeof res);
    smac_error perr;
    smac_error_clear(&perr);
    char msg[256];
    int rc = 0;
    if (have_result) {
        if (rep->flags & SHEPHERD_RESULT_OVERLONG) {
            snprintf(msg, sizeof msg, "the result line is longer than %d bytes", SMAC_RUN_LINE_MAX);
            rc = smac_ta_result_exception(&res, cfg, rep->wall_time, msg, err);
        } else if (strlen(rep->result) != rep->result_len) {
            rc = smac_ta_result_exception(&res, cfg, rep->wall_time, "the result line contains a NUL byte", err);
        } else {
            double cutoff_used = isfinite(cut) ? cut : 99999999999999.0;
            rc = cfg->kind == SMAC_TAE_ACLIB
                     ? smac_parse_result_aclib(rep->result, cfg->run_obj_runtime, &res, &perr)
                     : smac_parse_result_old(rep->result, cutoff_used, cfg->run_obj_runtime, &res, &perr);
            if (rc == SMAC_ERR_PARSE)
                rc = smac_ta_result_exception(&res, cfg, rep->wall_time, perr.message, err);
            else if (rc)
                *err = perr;
        }
    } else if (on_request) {
        rc = smac_ta_result_exception(&res, cfg, rep->wall_time, "the run was stopped before it finished", err);
    } else if (at_cutoff) {
        snprintf(msg, sizeof msg, "killed at the cutoff of %.0f s (%s)", cut,
                 (rep->flags & SHEPHERD_KILLED_AT_CUTOFF) ? "wall clock" : "CPU time");
        /* No quality was reported: a quality run costs what a crash costs. */
        double cost = cfg->run_obj_runtime ? cut : cfg->cost_for_crash;
        rc = smac_ta_result_set(&res, SMAC_STATUS_TIMEOUT, cost, cut, msg, err);
    } else if (memout) {
        snprintf(msg, sizeof msg, "memory limit of %g MB exceeded", cfg->memory_limit_mb);
        rc = smac_ta_result_set(&res, SMAC_STATUS_MEMOUT, cfg->cost_for_crash, rep->wall_time, msg, err);
    } else if (sig) {
        snprintf(msg, sizeof msg, "killed by %s (%d) without a result line", signal_name(sig), sig);
        rc = smac_ta_result_set(&res, SMAC_STATUS_CRASHED, cfg->cost_for_crash, rep->wall_time, msg, err);
    } else if (code != 0) {
        snprintf(msg, sizeof msg, "exited with status %d without a result line", code);
        rc = smac_ta_result_set(&res, SMAC_STATUS_CRASHED, cfg->cost_for_crash, rep->wall_time, msg, err);
    } else {
        double cutoff_used = isfinite(cut) ? cut : 99999999999999.0;
        rc = cfg->kind == SMAC_TAE_ACLIB ? smac_parse_result_aclib(NULL, cfg->run_obj_runtime, &res, err)
                                         : smac_parse_result_old(NULL, cutoff_used, cfg->run_obj_runtime, &res, err);
    }
    if (rc) {
        smac_ta_result_clear(&res);
        return rc;
    }
    /* A run we stopped ourselves has nothing to explain. */
    if ((res.status == SMAC_STATUS_CRASHED || res.status == SMAC_STATUS_ABORT) && !on_request) {
        const char *logger = cfg->kind == SMAC_TAE_ACLIB ? ACLIB_LOGGER : OLD_LOGGER;
        SMAC_WARNING(logger, "Target algorithm crashed. Last 5 lines of stdout and stderr");
        SMAC_WARNING(logger, "%s", last_lines(rep->out_tail, 5));
        SMAC_WARNING(logger, "%s", last_lines(rep->err_tail, 5));
    }
    rc = smac_outcome_apply(cfg, req, &res, starttime, starttime + rep->wall_time, out, err);
    smac_ta_result_clear(&res);
    if (rc)
        return rc;
    if (m) {
        memset(m, 0, sizeof *m);
        m->wall_time = rep->wall_time;
        m->cpu_time = rep->cpu_time;
        m->max_rss_kb = rep->max_rss_kb;
        m->pid = rep->pid;
        m->exit_status = code;
        m->term_signal = sig;
        m->killed_at_cutoff = at_cutoff;
        m->killed_on_request = on_request;
        m->memout = memout;
        m->had_result_line = have_result;
        m->leftovers = (rep->flags & SHEPHERD_LEFTOVERS) != 0;
        m->stdout_tail = rep->out_tail ? strdup(rep->out_tail) : NULL;
        m->stderr_tail = rep->err_tail ? strdup(rep->err_tail) : NULL;
        if ((rep->out_tail && !m->stdout_tail) || (rep->err_tail && !m->stderr_tail)) {
            smac_run_measure_free(m);
            free(out->additional_info);
            out->additional_info = NULL;
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory recording a run");
        }
    }
    return 0;
}

int smac_runner_run(const smac_runner_config *cfg, const smac_run_request *req, smac_run_value *out,
                    smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    if (cfg->kind == SMAC_TAE_CALLBACK)
        return smac_callback_run(cfg, req, out, m, err);
    smac_job *job;
    int rc = smac_job_start(cfg, req, &job, err);
    if (rc)
        return rc;
    rc = smac_job_finish(job, out, m, err);
    smac_job_free(job);
    return rc;
}
