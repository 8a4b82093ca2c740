/*
 * Callback jobs on threads (callback_job.c): several target functions in
 * flight at once, smac_job_wait waking up when one returns, results that
 * belong to the right job, private copies of the request, crashes, and the
 * job API's edge cases (kill, free while running, many jobs, a callback and
 * a process waited for together).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/runner.h"
#include "util/clock.h"
#include "util/log.h"

static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return 0;
}

/* What the test target shares between its concurrent calls. */
typedef struct shared {
    atomic_int running;       /* calls inside the function now */
    atomic_int max_running;   /* the most seen at once */
    atomic_int calls;
    atomic_int signals_blocked; /* calls that found SIGINT and SIGTERM blocked */
    double sleep_s;
    int fail_with;            /* non-zero: return this */
} shared;

static void sleep_for(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Sleeps, then reports cost = 10 * x + seed + (instance's number) so each
 * job's result is recognisably its own. */
static int target(const smac_cs *cs, const double *config, const char *instance, uint64_t seed, double cutoff,
                  double budget, smac_run_value *out, void *data)
{
    (void)cs;
    (void)cutoff;
    (void)budget;
    shared *s = data;
    int now = atomic_fetch_add(&s->running, 1) + 1;
    int seen = atomic_load(&s->max_running);
    while (now > seen && !atomic_compare_exchange_weak(&s->max_running, &seen, now))
        ;
    atomic_fetch_add(&s->calls, 1);
    sigset_t set;
    pthread_sigmask(SIG_BLOCK, NULL, &set);
    if (sigismember(&set, SIGINT) && sigismember(&set, SIGTERM))
        atomic_fetch_add(&s->signals_blocked, 1);
    /* Read the request before and after sleeping: it must not change. */
    double x0 = config ? config[0] : 0;
    char inst0[64] = "";
    if (instance)
        snprintf(inst0, sizeof inst0, "%s", instance);
    sleep_for(s->sleep_s);
    double x1 = config ? config[0] : 0;
    int same = x0 == x1 && (!instance || strcmp(inst0, instance) == 0);
    atomic_fetch_sub(&s->running, 1);
    if (s->fail_with)
        return s->fail_with;
    out->cost = same ? 10 * x1 + (double)seed + (instance ? atof(instance + 1) : 0) : -1;
    out->time = s->sleep_s;
    return 0;
}

static smac_cs *one_param_space(void)
{
    static const char pcs[] = "x [0, 1] [0.5]\n";
    smac_cs *cs = NULL;
    smac_error err;
    if (smac_cs_read_text(pcs, sizeof pcs - 1, "x.pcs", SMAC_CS_PCS, &cs, &err) != 0)
        fail_msg("%s", err.message);
    return cs;
}

static smac_runner_config cb_config(shared *s)
{
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    cfg.kind = SMAC_TAE_CALLBACK;
    cfg.fn = target;
    cfg.fn_data = s;
    cfg.cost_for_crash = 1000;
    return cfg;
}

/* Waits until every job is done; returns the number of wait calls. */
static int wait_all(smac_job **jobs, int n, double limit)
{
    double t0 = smac_clock_monotonic();
    int calls = 0;
    for (;;) {
        int done = 0;
        for (int i = 0; i < n; i++)
            done += smac_job_done(jobs[i]);
        if (done == n)
            return calls;
        smac_error err;
        int rc = smac_job_wait(jobs, n, 1.0, &err);
        if (rc < 0)
            fail_msg("%s", err.message);
        calls++;
        if (smac_clock_monotonic() - t0 > limit)
            fail_msg("jobs not done after %g s", limit);
    }
}

/* Four callbacks of 0.2 s each run side by side: ~0.2 s in all, not 0.8. */
static void test_four_in_flight(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.2};
    smac_cs *cs = one_param_space();
    smac_runner_config cfg = cb_config(&s);
    double x[4] = {0.1, 0.2, 0.3, 0.4};
    const char *inst[4] = {"i1", "i2", "i3", "i4"};
    smac_job *jobs[4];
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < 4; i++) {
        smac_run_request req = {.cs = cs, .config = &x[i], .instance = inst[i], .seed = (uint64_t)(100 * i),
                                .cutoff = 5};
        smac_error err;
        if (smac_job_start(&cfg, &req, &jobs[i], &err) != 0)
            fail_msg("%s", err.message);
        assert_false(smac_job_done(jobs[i])); /* it runs on its thread; start returns at once */
        assert_true(smac_job_fd(jobs[i]) >= 0);
        assert_int_equal(smac_job_pid(jobs[i]), 0);
    }
    assert_true(smac_clock_monotonic() - t0 < 0.15);
    wait_all(jobs, 4, 5);
    double wall = smac_clock_monotonic() - t0;
    print_message("4 callbacks of 0.2 s: %.3f s\n", wall);
    assert_true(wall >= 0.19);
    assert_true(wall < 0.6);
    assert_int_equal(atomic_load(&s.max_running), 4);
    assert_int_equal(atomic_load(&s.signals_blocked), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(smac_job_fd(jobs[i]), -1);
        smac_run_value v;
        smac_run_measure m;
        smac_error err;
        if (smac_job_finish(jobs[i], &v, &m, &err) != 0)
            fail_msg("%s", err.message);
        assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
        assert_true(fabs(v.cost - (10 * x[i] + 100 * i + (i + 1))) < 1e-9);
        assert_true(fabs(v.time - 0.2) < 1e-12);
        assert_true(m.wall_time >= 0.19 && m.wall_time < 0.6);
        assert_true(v.endtime - v.starttime >= 0.19);
        assert_string_equal(v.additional_info, "{}");
        free(v.additional_info);
        smac_run_measure_free(&m);
        /* Once only. */
        assert_int_equal(smac_job_finish(jobs[i], &v, NULL, NULL), SMAC_ERR_INVALID);
        smac_job_free(jobs[i]);
    }
    smac_cs_free(cs);
}

/* The wait returns when the function does, not at its timeout; a zero or
 * short timeout returns 0 while the function still runs. */
static void test_wait_wakes_up(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.25};
    smac_runner_config cfg = cb_config(&s);
    smac_run_request req = {.cutoff = 5, .seed = 3};
    smac_job *job;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    double t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_wait(&job, 1, 0, NULL), 0);
    assert_int_equal(smac_job_wait(&job, 1, 0.05, NULL), 0);
    double t1 = smac_clock_monotonic();
    assert_true(t1 - t0 >= 0.045);
    assert_int_equal(smac_job_wait(&job, 1, 10, NULL), 1);
    double t2 = smac_clock_monotonic();
    print_message("woke %.3f s after the start (function: 0.25 s)\n", t2 - t0);
    assert_true(t2 - t0 < 0.6);
    assert_true(smac_job_done(job));
    /* Done stays done; waiting again returns at once. */
    assert_int_equal(smac_job_wait(&job, 1, -1, NULL), 1);
    smac_run_value v;
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), 0);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(v.cost == 3.0);
    free(v.additional_info);
    smac_job_free(job);

    /* An infinite wait, too. */
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    assert_int_equal(smac_job_wait(&job, 1, -1, NULL), 1);
    smac_job_free(job); /* done but never finished: no leak */
}

/* A function that returns non-zero is a crash; the job API reports it like
 * the blocking call does. */
static void test_nonzero_is_crash(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.01, .fail_with = 5};
    smac_runner_config cfg = cb_config(&s);
    smac_run_request req = {.cutoff = 5};
    smac_job *job;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    smac_run_value v;
    smac_run_measure m;
    assert_int_equal(smac_job_finish(job, &v, &m, NULL), 0); /* blocks until done */
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 1000.0);
    assert_non_null(strstr(v.additional_info, "returned 5"));
    assert_int_equal(m.exit_status, 5);
    free(v.additional_info);
    smac_job_free(job);

    /* Runtime objective: the crash costs par_factor x cutoff. */
    cfg.run_obj_runtime = 1;
    cfg.par_factor = 10;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), 0);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 50.0);
    free(v.additional_info);
    smac_job_free(job);
}

/* Bad calls fail in smac_job_start, before any thread exists. */
static void test_start_errors(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0};
    smac_runner_config cfg = cb_config(&s);
    smac_run_request req = {.cutoff = INFINITY};
    smac_job *job = (smac_job *)&s;
    smac_error err;
    cfg.run_obj_runtime = 1;
    assert_int_equal(smac_job_start(&cfg, &req, &job, &err), SMAC_ERR_INVALID);
    assert_null(job);
    assert_non_null(strstr(err.message, "cutoff"));
    cfg.run_obj_runtime = 0;
    cfg.fn = NULL;
    job = (smac_job *)&s;
    assert_int_equal(smac_job_start(&cfg, &req, &job, &err), SMAC_ERR_INVALID);
    assert_null(job);
    assert_int_equal(atomic_load(&s.calls), 0);
}

/* The caller may reuse its buffers as soon as smac_job_start returns. */
static void test_request_is_copied(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.1};
    smac_cs *cs = one_param_space();
    smac_runner_config cfg = cb_config(&s);
    double *x = malloc(sizeof *x);
    char *inst = strdup("i7");
    assert_non_null(x);
    assert_non_null(inst);
    *x = 0.5;
    smac_run_request req = {.cs = cs, .config = x, .instance = inst, .seed = 1, .cutoff = 5};
    smac_job *job;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    *x = 0.9;
    inst[1] = '9';
    free(x); /* ASan would catch a thread still reading these */
    free(inst);
    smac_run_value v;
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), 0);
    assert_true(fabs(v.cost - (5 + 1 + 7)) < 1e-9);
    free(v.additional_info);
    smac_job_free(job);
    smac_cs_free(cs);
}

/* A callback cannot be interrupted: kill marks it (0), after the end -1;
 * freeing a job whose function still runs waits for it. */
static void test_kill_and_free_while_running(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.15};
    smac_runner_config cfg = cb_config(&s);
    smac_run_request req = {.cutoff = 5};
    smac_job *job;
    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    assert_int_equal(smac_job_kill(job, 0), 0);
    double t0 = smac_clock_monotonic();
    smac_job_free(job);
    assert_true(smac_clock_monotonic() - t0 >= 0.1);
    assert_int_equal(atomic_load(&s.running), 0);

    assert_int_equal(smac_job_start(&cfg, &req, &job, NULL), 0);
    assert_int_equal(smac_job_wait(&job, 1, 5, NULL), 1);
    assert_int_equal(smac_job_kill(job, 1), -1);
    smac_run_value v;
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), 0);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    free(v.additional_info);
    smac_job_free(job);
}

/* More jobs than the wait's small on-stack arrays hold, with NULL entries. */
static void test_many_jobs(void **state)
{
    (void)state;
    enum { N = 40 };
    shared s = {.sleep_s = 0.05};
    smac_runner_config cfg = cb_config(&s);
    smac_job *jobs[N + 2] = {NULL};
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < N; i++) {
        smac_run_request req = {.cutoff = 5, .seed = (uint64_t)i};
        assert_int_equal(smac_job_start(&cfg, &req, &jobs[i + 1], NULL), 0);
    }
    wait_all(jobs + 1, N, 10);
    int done = smac_job_wait(jobs, N + 2, 0, NULL);
    assert_int_equal(done, N);
    double wall = smac_clock_monotonic() - t0;
    print_message("%d callbacks of 0.05 s: %.3f s (max %d at once)\n", N, wall, atomic_load(&s.max_running));
    assert_true(wall < 1.0); /* serially 2 s */
    for (int i = 0; i < N; i++) {
        smac_run_value v;
        assert_int_equal(smac_job_finish(jobs[i + 1], &v, NULL, NULL), 0);
        assert_true(v.cost == (double)i);
        free(v.additional_info);
        smac_job_free(jobs[i + 1]);
    }
    assert_int_equal(atomic_load(&s.calls), N);
}

/* A callback job and a command-line job in one wait: whichever ends first
 * wakes it up. */
static void test_mixed_with_a_process(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.05};
    smac_runner_config cb = cb_config(&s);
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/wrappers/slow.sh", SMAC_SOURCE_DIR);
    char *argv[] = {"sh", path, NULL};
    smac_runner_config proc;
    smac_runner_config_init(&proc);
    proc.algo_argv = argv;
    proc.algo_argc = 2;
    smac_run_request req = {.cutoff = 5, .seed = 2};
    smac_job *jobs[2];
    assert_int_equal(smac_job_start(&proc, &req, &jobs[0], NULL), 0);
    assert_int_equal(smac_job_start(&cb, &req, &jobs[1], NULL), 0);
    double t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_wait(jobs, 2, 10, NULL), 1);
    assert_true(smac_job_done(jobs[1]));
    assert_false(smac_job_done(jobs[0])); /* slow.sh takes 0.5 s */
    assert_true(smac_clock_monotonic() - t0 < 0.4);
    /* With one job done the wait only looks; the process ends later. */
    assert_int_equal(smac_job_wait(jobs, 2, 10, NULL), 1);
    wait_all(jobs, 2, 10);
    assert_int_equal(smac_job_wait(jobs, 2, 10, NULL), 2);
    for (int i = 0; i < 2; i++) {
        smac_run_value v;
        assert_int_equal(smac_job_finish(jobs[i], &v, NULL, NULL), 0);
        assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
        assert_true(v.cost == (i == 0 ? 1.0 : 2.0));
        free(v.additional_info);
        smac_job_free(jobs[i]);
    }
}

/* The blocking call still runs on the caller's thread (no thread needed). */
static void test_blocking_run(void **state)
{
    (void)state;
    shared s = {.sleep_s = 0.01};
    smac_runner_config cfg = cb_config(&s);
    smac_run_request req = {.cutoff = 5, .seed = 4};
    smac_run_value v;
    assert_int_equal(smac_runner_run(&cfg, &req, &v, NULL, NULL), 0);
    assert_true(v.cost == 4.0);
    assert_int_equal(atomic_load(&s.signals_blocked), 0);
    free(v.additional_info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_in_flight),
        cmocka_unit_test(test_wait_wakes_up),
        cmocka_unit_test(test_nonzero_is_crash),
        cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_request_is_copied),
        cmocka_unit_test(test_kill_and_free_while_running),
        cmocka_unit_test(test_many_jobs),
        cmocka_unit_test(test_mixed_with_a_process),
        cmocka_unit_test(test_blocking_run),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
