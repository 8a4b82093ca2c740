/*
 * §5.3 (formats.md): from a target's answer to the stored run value, for
 * runtime and quality objectives; the runner's own decisions for runs that
 * gave no answer (killed at the cutoff, memory limit, signals, exit codes);
 * and the in-process callback target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/run_internal.h"
#include "run/runner.h"
#include "util/log.h"

static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return 0;
}

static smac_runner_config config(int runtime_obj)
{
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    cfg.run_obj_runtime = runtime_obj;
    cfg.par_factor = 10;
    cfg.cost_for_crash = 1000;
    return cfg;
}

static smac_run_request request(double cutoff, int capped)
{
    smac_run_request req;
    memset(&req, 0, sizeof req);
    req.cutoff = cutoff;
    req.capped = capped;
    return req;
}

/* Applies §5.3 to (status, cost, runtime) and returns the run value. */
static smac_run_value apply(int runtime_obj, double cutoff, int capped, smac_status st, double cost, double runtime)
{
    smac_runner_config cfg = config(runtime_obj);
    smac_run_request req = request(cutoff, capped);
    smac_ta_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(smac_ta_result_set(&r, st, cost, runtime, NULL, NULL), 0);
    smac_run_value v;
    smac_error err;
    if (smac_outcome_apply(&cfg, &req, &r, 100.0, 101.5, &v, &err) != 0)
        fail_msg("%s", err.message);
    assert_null(r.additional_info); /* moved */
    assert_string_equal(v.additional_info, "{}");
    assert_true(v.starttime == 100.0 && v.endtime == 101.5);
    free(v.additional_info);
    return v;
}

#define EXPECT(v, st, c, t)                                                                         \
    do {                                                                                            \
        smac_run_value v_ = (v);                                                                    \
        if (v_.status != (st) || !(v_.cost == (c) || (isnan(c) && isnan(v_.cost))) ||              \
            !(v_.time == (t) || (isnan(t) && isnan(v_.time))))                                      \
            fail_msg("line %d: got status %d cost %g time %g", __LINE__, v_.status, v_.cost, v_.time); \
    } while (0)

static void test_cutoff_int(void **state)
{
    (void)state;
    assert_true(smac_cutoff_int(4.2) == 5.0);
    assert_true(smac_cutoff_int(5.0) == 5.0);
    assert_true(smac_cutoff_int(0.3) == 1.0);
    double z = smac_cutoff_int(-0.5);
    assert_true(z == 0.0 && !signbit(z));
    assert_true(isinf(smac_cutoff_int(INFINITY)));
    assert_true(isinf(smac_cutoff_int(NAN)));
}

static void test_runtime_objective(void **state)
{
    (void)state;
    /* cutoff 4.2 -> 5; par 10 -> bound 50 */
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, 2, 2), SMAC_STATUS_SUCCESS, 2.0, 2.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, -1, -1), SMAC_STATUS_SUCCESS, -1.0, -1.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, 60, 60), SMAC_STATUS_TIMEOUT, 50.0, 50.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, 50, 50), SMAC_STATUS_SUCCESS, 50.0, 50.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_TIMEOUT, 5, 5), SMAC_STATUS_TIMEOUT, 50.0, 5.0);
    EXPECT(apply(1, 4.2, 1, SMAC_STATUS_TIMEOUT, 5, 5), SMAC_STATUS_CAPPED, 50.0, 5.0);
    EXPECT(apply(1, 4.2, 1, SMAC_STATUS_SUCCESS, 3, 3), SMAC_STATUS_SUCCESS, 3.0, 3.0);
    /* Crashes cost par x cutoff too, whatever they reported. */
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_CRASHED, 1, 1), SMAC_STATUS_CRASHED, 50.0, 1.0);
    EXPECT(apply(1, 4.2, 1, SMAC_STATUS_CRASHED, 1, 1), SMAC_STATUS_CRASHED, 50.0, 1.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_MEMOUT, 1, 1), SMAC_STATUS_MEMOUT, 50.0, 1.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_ABORT, 0, 0), SMAC_STATUS_ABORT, 50.0, 0.0);
    /* The "no result line" runtime 1234567890 becomes a TIMEOUT (CAPPED if capped). */
    EXPECT(apply(1, 3, 0, SMAC_STATUS_CRASHED, 1234567890.0, 1234567890.0), SMAC_STATUS_TIMEOUT, 30.0, 30.0);
    EXPECT(apply(1, 3, 1, SMAC_STATUS_CRASHED, 1234567890.0, 1234567890.0), SMAC_STATUS_CAPPED, 30.0, 30.0);
    /* Non-finite runtime: crash; +inf then exceeds the bound -> TIMEOUT. */
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, NAN, NAN), SMAC_STATUS_CRASHED, 50.0, NAN);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, INFINITY, INFINITY), SMAC_STATUS_TIMEOUT, 50.0, 50.0);
    EXPECT(apply(1, 4.2, 0, SMAC_STATUS_SUCCESS, -INFINITY, -INFINITY), SMAC_STATUS_CRASHED, 50.0, -INFINITY);
    /* An adaptive-capping cutoff of 0.3 is judged as 1. */
    EXPECT(apply(1, 0.3, 1, SMAC_STATUS_TIMEOUT, 1, 1), SMAC_STATUS_CAPPED, 10.0, 1.0);
    EXPECT(apply(1, 0.3, 1, SMAC_STATUS_SUCCESS, 11, 11), SMAC_STATUS_CAPPED, 10.0, 10.0);
}

static void test_quality_objective(void **state)
{
    (void)state;
    EXPECT(apply(0, 5, 0, SMAC_STATUS_SUCCESS, 3, 0.5), SMAC_STATUS_SUCCESS, 3.0, 0.5);
    EXPECT(apply(0, INFINITY, 0, SMAC_STATUS_SUCCESS, 3, 0.5), SMAC_STATUS_SUCCESS, 3.0, 0.5);
    EXPECT(apply(0, 5, 0, SMAC_STATUS_CRASHED, 3, 0.5), SMAC_STATUS_CRASHED, 1000.0, 0.5);
    /* TIMEOUT / MEMOUT / ABORT keep the reported quality; no CAPPED for quality. */
    EXPECT(apply(0, 5, 0, SMAC_STATUS_TIMEOUT, 3, 5), SMAC_STATUS_TIMEOUT, 3.0, 5.0);
    EXPECT(apply(0, 5, 1, SMAC_STATUS_TIMEOUT, 3, 5), SMAC_STATUS_TIMEOUT, 3.0, 5.0);
    EXPECT(apply(0, 5, 0, SMAC_STATUS_MEMOUT, 3, 5), SMAC_STATUS_MEMOUT, 3.0, 5.0);
    EXPECT(apply(0, 5, 0, SMAC_STATUS_ABORT, 3, 5), SMAC_STATUS_ABORT, 3.0, 5.0);
    /* Quality runtimes are not clamped by par x cutoff. */
    EXPECT(apply(0, 5, 0, SMAC_STATUS_SUCCESS, 3, 1234567890.0), SMAC_STATUS_SUCCESS, 3.0, 1234567890.0);
    /* Non-finite cost: crash with cost_for_crash; a NaN runtime does not matter. */
    EXPECT(apply(0, 5, 0, SMAC_STATUS_SUCCESS, NAN, 1), SMAC_STATUS_CRASHED, 1000.0, 1.0);
    EXPECT(apply(0, 5, 0, SMAC_STATUS_SUCCESS, -INFINITY, 1), SMAC_STATUS_CRASHED, 1000.0, 1.0);
    EXPECT(apply(0, 5, 0, SMAC_STATUS_SUCCESS, 2, NAN), SMAC_STATUS_SUCCESS, 2.0, NAN);
    /* The "no result line" case: CRASHED, time 1234567890. */
    EXPECT(apply(0, 5, 0, SMAC_STATUS_CRASHED, 1234567890.0, 1234567890.0), SMAC_STATUS_CRASHED, 1000.0,
           1234567890.0);
}

static void test_apply_errors(void **state)
{
    (void)state;
    smac_runner_config cfg = config(1);
    smac_run_request req = request(INFINITY, 0);
    smac_ta_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(smac_ta_result_set(&r, SMAC_STATUS_SUCCESS, 1, 1, NULL, NULL), 0);
    smac_run_value v;
    smac_error err;
    assert_int_equal(smac_outcome_apply(&cfg, &req, &r, 0, 0, &v, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "cutoff time is required"));
    assert_null(v.additional_info);

    cfg = config(0);
    r.status = SMAC_STATUS_DONOTADVANCE;
    assert_int_equal(smac_outcome_apply(&cfg, &req, &r, 0, 0, &v, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "DONOTADVANCE"));
    req.budget = 3;
    assert_int_equal(smac_outcome_apply(&cfg, &req, &r, 0, 0, &v, &err), 0);
    assert_int_equal(v.status, SMAC_STATUS_DONOTADVANCE);
    free(v.additional_info);
    smac_ta_result_clear(&r);
}

static void test_exception_path(void **state)
{
    (void)state;
    smac_runner_config cfg = config(0);
    smac_run_request req = request(5, 0);
    smac_ta_result r;
    memset(&r, 0, sizeof r);
    r.additional_info = strdup("{\"old\": 1}"); /* replaced, not leaked */
    assert_int_equal(smac_ta_result_exception(&r, &cfg, 0.75, "ValueError: \"bad\"", NULL), 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_true(r.cost == 1000.0 && r.runtime == 0.75);
    assert_string_equal(r.additional_info, "{\"error\": \"ValueError: \\\"bad\\\"\"}");
    smac_run_value v;
    assert_int_equal(smac_outcome_apply(&cfg, &req, &r, 0, 0, &v, NULL), 0);
    assert_true(v.cost == 1000.0);
    free(v.additional_info);
    /* Runtime objective: par x cutoff. */
    cfg = config(1);
    assert_int_equal(smac_ta_result_exception(&r, &cfg, 0.75, NULL, NULL), 0);
    assert_int_equal(smac_outcome_apply(&cfg, &req, &r, 0, 0, &v, NULL), 0);
    assert_true(v.cost == 50.0 && v.time == 0.75 && v.status == SMAC_STATUS_CRASHED);
    free(v.additional_info);
    smac_ta_result_clear(&r);
}

/* ---------------------------------------------- runner decisions (no process) */

typedef struct job_case {
    int runtime_obj;
    double cutoff;
    int capped;
    double mem_mb;
    int limit_cpu;
    int wait_status;        /* as waitpid fills it */
    int flags;
    double wall, cpu;
    long rss_kb;
    const char *result;
    const char *err_tail;
} job_case;

static smac_run_value judge(const job_case *c, smac_tae_kind kind, smac_run_measure *m)
{
    smac_runner_config cfg = config(c->runtime_obj);
    cfg.kind = kind;
    cfg.memory_limit_mb = c->mem_mb;
    cfg.limit_cpu_time = c->limit_cpu;
    smac_run_request req = request(c->cutoff, c->capped);
    smac_job_report rep;
    memset(&rep, 0, sizeof rep);
    rep.wait_status = c->wait_status;
    rep.flags = c->flags | (c->result ? SHEPHERD_HAVE_RESULT : 0);
    rep.wall_time = c->wall;
    rep.cpu_time = c->cpu;
    rep.max_rss_kb = c->rss_kb;
    rep.pid = 4242;
    rep.result = c->result;
    rep.result_len = c->result ? strlen(c->result) : 0;
    rep.out_tail = "out 1\nout 2\n";
    rep.err_tail = c->err_tail ? c->err_tail : "";
    smac_run_value v;
    smac_error err;
    if (smac_job_outcome(&cfg, &req, &rep, 1000.0, &v, m, &err) != 0)
        fail_msg("%s", err.message);
    assert_true(v.starttime == 1000.0 && v.endtime == 1000.0 + c->wall);
    return v;
}

#define EXITED(code) (((code) & 0xff) << 8)
#define SIGNALED(sig) ((sig) & 0x7f)

static void test_job_result_line_wins(void **state)
{
    (void)state;
    smac_run_measure m;
    /* A result line decides even if we killed the target afterwards. */
    job_case c = {.runtime_obj = 0, .cutoff = 5, .wait_status = SIGNALED(SIGKILL),
                  .flags = SHEPHERD_KILLED_AT_CUTOFF, .wall = 6.2, .result = "Result for SMAC: SUCCESS, 0.2, 0, 4.5, 0"};
    smac_run_value v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_SUCCESS, 4.5, 0.2);
    assert_string_equal(v.additional_info, "{}");
    assert_true(m.killed_at_cutoff && m.had_result_line);
    assert_int_equal(m.term_signal, SIGKILL);
    assert_int_equal(m.exit_status, -1);
    assert_int_equal(m.pid, 4242);
    assert_string_equal(m.stdout_tail, "out 1\nout 2\n");
    free(v.additional_info);
    smac_run_measure_free(&m);

    /* A garbled line: exception path, error text kept. */
    c = (job_case){.runtime_obj = 1, .cutoff = 5, .wall = 0.4, .result = "Result for SMAC: SUCCESS, 1, 0"};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 50.0, 0.4);
    assert_non_null(strstr(v.additional_info, "3 comma-separated fields"));
    free(v.additional_info);

    /* A line with a NUL inside (the report's length says more than strlen). */
    job_case nul = {.runtime_obj = 0, .cutoff = 5, .wall = 0.1, .result = "Result for SMAC: SUCCESS, 1, 0, 2, 3"};
    smac_runner_config cfg = config(0);
    smac_run_request req = request(5, 0);
    smac_job_report rep;
    memset(&rep, 0, sizeof rep);
    rep.flags = SHEPHERD_HAVE_RESULT;
    rep.result = nul.result;
    rep.result_len = strlen(nul.result) + 3;
    rep.wall_time = 0.1;
    assert_int_equal(smac_job_outcome(&cfg, &req, &rep, 0, &v, NULL, NULL), 0);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.1);
    assert_non_null(strstr(v.additional_info, "NUL"));
    free(v.additional_info);
    /* An overlong line. */
    rep.result_len = strlen(nul.result);
    rep.flags |= SHEPHERD_RESULT_OVERLONG;
    assert_int_equal(smac_job_outcome(&cfg, &req, &rep, 0, &v, NULL, NULL), 0);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.1);
    assert_non_null(strstr(v.additional_info, "longer than"));
    free(v.additional_info);

    /* AClib2 kind reads JSON. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .wall = 0.3,
                   .result = "Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": 2, \"x\": 1}"};
    v = judge(&c, SMAC_TAE_ACLIB, NULL);
    EXPECT(v, SMAC_STATUS_SUCCESS, 2.0, 0.0);
    assert_string_equal(v.additional_info, "{\"x\": 1}");
    free(v.additional_info);
    /* ABORT is reported as such for the engine to stop. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .wall = 0.3, .result = "Result of this algorithm run: ABORT, 0, 0, 0, 0"};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_ABORT, 0.0, 0.0);
    free(v.additional_info);
}

static void test_job_killed_at_cutoff(void **state)
{
    (void)state;
    smac_run_measure m;
    job_case c = {.runtime_obj = 1, .cutoff = 2.5, .wait_status = SIGNALED(SIGKILL),
                  .flags = SHEPHERD_KILLED_AT_CUTOFF, .wall = 6.0};
    smac_run_value v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 30.0, 3.0);
    assert_non_null(strstr(v.additional_info, "wall clock"));
    assert_true(m.killed_at_cutoff);
    assert_true(m.wall_time == 6.0);
    free(v.additional_info);
    smac_run_measure_free(&m);
    c.capped = 1;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CAPPED, 30.0, 3.0);
    free(v.additional_info);
    /* Quality: no quality reported -> cost_for_crash, status TIMEOUT. */
    c.runtime_obj = 0;
    c.capped = 0;
    v = judge(&c, SMAC_TAE_ACLIB, NULL);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 1000.0, 3.0);
    free(v.additional_info);
    /* RLIMIT_CPU: SIGXCPU, or SIGKILL at the hard limit with the CPU spent. */
    c = (job_case){.runtime_obj = 1, .cutoff = 2, .limit_cpu = 1, .wait_status = SIGNALED(SIGXCPU), .wall = 2.1, .cpu = 2.0};
    v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 20.0, 2.0);
    assert_non_null(strstr(v.additional_info, "CPU time"));
    assert_true(m.killed_at_cutoff);
    free(v.additional_info);
    smac_run_measure_free(&m);
    c.wait_status = SIGNALED(SIGKILL);
    c.cpu = 3.0;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 20.0, 2.0);
    free(v.additional_info);
    /* SIGKILL from elsewhere with little CPU is a crash. */
    c.cpu = 0.5;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 20.0, 2.1);
    free(v.additional_info);
}

static void test_job_memout(void **state)
{
    (void)state;
    smac_run_measure m;
    job_case c = {.runtime_obj = 0, .cutoff = 5, .mem_mb = 200, .wait_status = EXITED(1), .wall = 0.2,
                  .rss_kb = 5000, .err_tail = "Traceback (most recent call last):\nMemoryError\n"};
    smac_run_value v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_MEMOUT, 1000.0, 0.2);
    assert_true(m.memout);
    assert_non_null(strstr(v.additional_info, "memory limit of 200 MB"));
    free(v.additional_info);
    smac_run_measure_free(&m);
    c.runtime_obj = 1;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_MEMOUT, 50.0, 0.2);
    free(v.additional_info);
    /* A signal with the peak RSS at the limit. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .mem_mb = 100, .wait_status = SIGNALED(SIGSEGV), .wall = 0.2,
                   .rss_kb = 99 * 1024};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_MEMOUT, 1000.0, 0.2);
    free(v.additional_info);
    /* Same crash, no memory sign: CRASHED. */
    c.rss_kb = 1024;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.2);
    free(v.additional_info);
    /* No limit set: an out-of-memory message alone is a crash. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .wait_status = EXITED(2), .wall = 0.2, .err_tail = "mawk: out of memory"};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.2);
    free(v.additional_info);
    /* A clean exit is never a MEMOUT. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .mem_mb = 100, .wait_status = EXITED(0), .wall = 0.2, .err_tail = "MemoryError"};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 1234567890.0);
    free(v.additional_info);
}

static void test_job_crashes(void **state)
{
    (void)state;
    smac_run_measure m;
    job_case c = {.runtime_obj = 0, .cutoff = 5, .wait_status = SIGNALED(SIGSEGV), .wall = 0.05};
    smac_run_value v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.05);
    assert_non_null(strstr(v.additional_info, "SIGSEGV"));
    assert_int_equal(m.term_signal, SIGSEGV);
    free(v.additional_info);
    smac_run_measure_free(&m);
    /* Non-zero exit without result: CRASHED with the measured time (not SMAC3's TIMEOUT). */
    c = (job_case){.runtime_obj = 1, .cutoff = 5, .wait_status = EXITED(3), .wall = 0.05};
    v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_CRASHED, 50.0, 0.05);
    assert_non_null(strstr(v.additional_info, "status 3"));
    assert_int_equal(m.exit_status, 3);
    free(v.additional_info);
    smac_run_measure_free(&m);
    /* Stopped on request. */
    c = (job_case){.runtime_obj = 0, .cutoff = 5, .wait_status = SIGNALED(SIGTERM), .flags = SHEPHERD_KILLED_ON_REQUEST, .wall = 0.5};
    v = judge(&c, SMAC_TAE_OLD, &m);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.5);
    assert_true(m.killed_on_request);
    assert_non_null(strstr(v.additional_info, "stopped"));
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_job_clean_exit_without_result(void **state)
{
    (void)state;
    /* SMAC3's outcome exactly. Old, runtime: TIMEOUT at par x cutoff. */
    job_case c = {.runtime_obj = 1, .cutoff = 3, .wait_status = EXITED(0), .wall = 0.01};
    smac_run_value v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 30.0, 30.0);
    assert_string_equal(v.additional_info, "{}");
    free(v.additional_info);
    c.capped = 1;
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CAPPED, 30.0, 30.0);
    free(v.additional_info);
    /* Old, quality: CRASHED, time 1234567890. */
    c = (job_case){.runtime_obj = 0, .cutoff = INFINITY, .wait_status = EXITED(0), .wall = 0.01};
    v = judge(&c, SMAC_TAE_OLD, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 1234567890.0);
    free(v.additional_info);
    /* AClib2: runtime missing -> 0. */
    v = judge(&c, SMAC_TAE_ACLIB, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.0);
    free(v.additional_info);
    c = (job_case){.runtime_obj = 1, .cutoff = 3, .wait_status = EXITED(0), .wall = 0.01};
    v = judge(&c, SMAC_TAE_ACLIB, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 30.0, 0.0);
    free(v.additional_info);
}

/* ---------------------------------------------------------------- callback */

typedef struct cb_state {
    int calls;
    int ret;
    smac_status status;
    double cost, time;
    int set_cost;
    const char *info;
    const char *seen_instance;
    double seen_cutoff, seen_budget;
    uint64_t seen_seed;
} cb_state;

static int target(const smac_cs *cs, const double *config, const char *instance, uint64_t seed, double cutoff,
                  double budget, smac_run_value *out, void *data)
{
    (void)cs;
    (void)config;
    cb_state *s = data;
    s->calls++;
    s->seen_instance = instance;
    s->seen_seed = seed;
    s->seen_cutoff = cutoff;
    s->seen_budget = budget;
    if (s->set_cost)
        out->cost = s->cost;
    if (s->time >= 0)
        out->time = s->time;
    if (s->status)
        out->status = s->status;
    if (s->info)
        out->additional_info = strdup(s->info);
    return s->ret;
}

static smac_run_value run_cb(cb_state *s, int runtime_obj, double cutoff, smac_run_measure *m)
{
    smac_runner_config cfg = config(runtime_obj);
    cfg.kind = SMAC_TAE_CALLBACK;
    cfg.fn = target;
    cfg.fn_data = s;
    smac_run_request req = request(cutoff, 0);
    req.instance = "inst-1";
    req.seed = 77;
    req.budget = 2.5;
    smac_run_value v;
    smac_error err;
    if (smac_runner_run(&cfg, &req, &v, m, &err) != 0)
        fail_msg("%s", err.message);
    return v;
}

static void test_callback(void **state)
{
    (void)state;
    cb_state s = {.set_cost = 1, .cost = 0.25, .time = 0.125};
    smac_run_measure m;
    smac_run_value v = run_cb(&s, 0, INFINITY, &m);
    EXPECT(v, SMAC_STATUS_SUCCESS, 0.25, 0.125);
    assert_string_equal(v.additional_info, "{}");
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.seen_instance, "inst-1");
    assert_true(s.seen_seed == 77 && isinf(s.seen_cutoff) && s.seen_budget == 2.5);
    assert_true(m.wall_time >= 0 && m.wall_time < 1);
    assert_true(v.endtime >= v.starttime);
    free(v.additional_info);

    /* Its own status and info; §5.3 for runtime. */
    s = (cb_state){.set_cost = 1, .cost = 9, .time = 71, .status = SMAC_STATUS_SUCCESS, .info = "{\"k\": 1}"};
    v = run_cb(&s, 1, 7, NULL);
    EXPECT(v, SMAC_STATUS_TIMEOUT, 70.0, 70.0);
    assert_string_equal(v.additional_info, "{\"k\": 1}");
    free(v.additional_info);

    /* A non-zero return is a crash (its info dropped); forgetting the cost too. */
    s = (cb_state){.set_cost = 1, .cost = 1, .time = 1, .ret = -7, .info = "{\"lost\": true}"};
    v = run_cb(&s, 0, 5, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, v.time);
    assert_non_null(strstr(v.additional_info, "returned -7"));
    free(v.additional_info);
    s = (cb_state){.time = -1};
    v = run_cb(&s, 0, 5, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, 0.0);
    free(v.additional_info);
    /* A bogus status is a crash. */
    s = (cb_state){.set_cost = 1, .cost = 1, .time = 1, .status = (smac_status)42};
    v = run_cb(&s, 0, 5, NULL);
    EXPECT(v, SMAC_STATUS_CRASHED, 1000.0, v.time);
    assert_non_null(strstr(v.additional_info, "unknown status 42"));
    free(v.additional_info);

    /* Through the job API: on a thread of its own (test_run_threads.c), done
     * once a wait says so. */
    smac_runner_config cfg = config(0);
    cfg.kind = SMAC_TAE_CALLBACK;
    cfg.fn = target;
    s = (cb_state){.set_cost = 1, .cost = 3, .time = 0};
    cfg.fn_data = &s;
    smac_run_request req = request(5, 0);
    smac_job *job;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    assert_int_equal(smac_job_pid(job), 0);
    assert_int_equal(smac_job_wait(&job, 1, 5, NULL), 1);
    assert_true(smac_job_done(job));
    assert_int_equal(smac_job_kill(job, 1), -1);
    assert_int_equal(smac_job_wait(&job, 1, 0, NULL), 1);
    assert_int_equal(smac_job_finish(job, &v, &m, NULL), 0);
    EXPECT(v, SMAC_STATUS_SUCCESS, 3.0, 0.0);
    free(v.additional_info);
    smac_run_measure_free(&m);
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), SMAC_ERR_INVALID);
    smac_job_free(job);

    /* Errors before any call. */
    cfg.fn = NULL;
    assert_int_equal(smac_runner_run(&cfg, &req, &v, NULL, NULL), SMAC_ERR_INVALID);
    cfg.fn = target;
    cfg.run_obj_runtime = 1;
    req.cutoff = INFINITY;
    s.calls = 0;
    assert_int_equal(smac_runner_run(&cfg, &req, &v, NULL, NULL), SMAC_ERR_INVALID);
    assert_int_equal(s.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cutoff_int),
        cmocka_unit_test(test_runtime_objective),
        cmocka_unit_test(test_quality_objective),
        cmocka_unit_test(test_apply_errors),
        cmocka_unit_test(test_exception_path),
        cmocka_unit_test(test_job_result_line_wins),
        cmocka_unit_test(test_job_killed_at_cutoff),
        cmocka_unit_test(test_job_memout),
        cmocka_unit_test(test_job_crashes),
        cmocka_unit_test(test_job_clean_exit_without_result),
        cmocka_unit_test(test_callback),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
