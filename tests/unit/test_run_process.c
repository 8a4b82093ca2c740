/*
 * Command-line targets through the job API and smac_runner_run, with the
 * misbehaving wrappers of tests/wrappers/: each must end with the right
 * status, within the expected time, and leave NOTHING running — checked by
 * scanning /proc for any process in the target's process group or session
 * and, for the wrapper that forks orphans, by the pids it wrote down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/runner.h"
#include "util/clock.h"
#include "util/log.h"

static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF);
    return 0;
}

/* ------------------------------------------------------------ helpers */

typedef struct target {
    char path[4096];
    char *argv[3];
    smac_runner_config cfg;
    smac_run_request req;
} target;

static void make_target(target *t, const char *script, int runtime_obj, double cutoff)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/tests/wrappers/%s", SMAC_SOURCE_DIR, script);
    t->argv[0] = "sh";
    t->argv[1] = t->path;
    smac_runner_config_init(&t->cfg);
    t->cfg.algo_argv = t->argv;
    t->cfg.algo_argc = 2;
    t->cfg.run_obj_runtime = runtime_obj;
    t->cfg.par_factor = 10;
    t->cfg.cost_for_crash = 1000;
    t->cfg.kill_grace = 0.2;
    t->cfg.kill_delay = 0.3;
    t->req.instance = "inst";
    t->req.seed = 42;
    t->req.cutoff = cutoff;
}

/* Processes (zombies included) whose process group or session is `id`. */
static int procs_in_group_or_session(pid_t id)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[1024];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *rp = strrchr(buf, ')');
        if (!rp)
            continue;
        char state;
        int ppid, pgrp, session;
        if (sscanf(rp + 1, " %c %d %d %d", &state, &ppid, &pgrp, &session) == 4 && (pgrp == id || session == id))
            count++;
    }
    closedir(d);
    return count;
}

static int pid_alive(pid_t pid)
{
    return kill(pid, 0) == 0 || errno != ESRCH;
}

static void assert_nothing_left(pid_t pid)
{
    assert_true(pid > 0);
    int n = procs_in_group_or_session(pid);
    if (n)
        fail_msg("%d process(es) of target %d's group/session still exist", n, (int)pid);
    assert_false(pid_alive(pid));
}

/* Runs t to completion; returns the value, fills m, checks the clean-up. */
static smac_run_value run(target *t, smac_run_measure *m, double *elapsed)
{
    smac_run_value v;
    smac_error err;
    double t0 = smac_clock_monotonic();
    if (smac_runner_run(&t->cfg, &t->req, &v, m, &err) != 0)
        fail_msg("%s", err.message);
    if (elapsed)
        *elapsed = smac_clock_monotonic() - t0;
    assert_nothing_left(m->pid);
    assert_int_equal(m->leftovers, 0);
    return v;
}

/* ------------------------------------------------------------------ tests */

static void test_good(void **state)
{
    (void)state;
    target t;
    make_target(&t, "good.sh", 1, 4.5);
    smac_run_measure m;
    double before = smac_clock_wall(), elapsed;
    smac_run_value v = run(&t, &m, &elapsed);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(v.cost == 0.5 && v.time == 0.5);
    /* The argument vector as the target saw it (cutoff 4.5 -> 5). */
    assert_string_equal(v.additional_info, "{\"additional_info\": \"args=inst 0 5 0 42\"}");
    assert_true(v.starttime >= before - 0.01 && v.endtime >= v.starttime && v.endtime <= smac_clock_wall() + 0.01);
    assert_int_equal(m.exit_status, 0);
    assert_int_equal(m.term_signal, 0);
    assert_false(m.killed_at_cutoff || m.killed_on_request || m.memout);
    assert_true(m.had_result_line);
    assert_non_null(strstr(m.stdout_tail, "good target starting\n"));
    assert_string_equal(m.stderr_tail, "a line on stderr\n");
    assert_true(m.wall_time > 0 && m.wall_time < 3 && elapsed < 3);
    assert_true(m.cpu_time >= 0);
    free(v.additional_info);
    smac_run_measure_free(&m);

    /* Quality without cutoff: the "none" cutoff text reaches the target. */
    make_target(&t, "good.sh", 0, INFINITY);
    t.req.instance_specific = "spec";
    t.req.seed = 0;
    v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(v.cost == 1.25 && v.time == 0.5);
    assert_string_equal(v.additional_info, "{\"additional_info\": \"args=inst spec 99999999999999.0 0 0\"}");
    free(v.additional_info);
    smac_run_measure_free(&m);

    /* JSON through the old reader: garbled -> exception path. */
    make_target(&t, "aclib.sh", 0, 5);
    v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 1000.0);
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_aclib(void **state)
{
    (void)state;
    target t;
    make_target(&t, "aclib.sh", 0, INFINITY);
    t.cfg.kind = SMAC_TAE_ACLIB;
    smac_run_measure m;
    smac_run_value v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(v.cost == 2.5 && v.time == 0.75);
    assert_string_equal(v.additional_info,
                        "{\"misc\": \"--instance inst --cutoff 99999999999999 --seed 42 --config\", \"n\": 3}");
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_execdir(void **state)
{
    (void)state;
    target t;
    make_target(&t, "good.sh", 0, 5);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/wrappers", SMAC_SOURCE_DIR);
    t.argv[1] = "good.sh"; /* relative to execdir */
    t.cfg.execdir = dir;
    t.req.instance = NULL;
    smac_run_measure m;
    smac_run_value v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_string_equal(v.additional_info, "{\"additional_info\": \"args=0 0 5 0 42\"}");
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_start_failures(void **state)
{
    (void)state;
    target t;
    make_target(&t, "good.sh", 0, 5);
    smac_job *job = (smac_job *)1;
    smac_error err;

    char *missing[] = {"/nonexistent/smac-target"};
    t.cfg.algo_argv = missing;
    t.cfg.algo_argc = 1;
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, &err), SMAC_ERR_RUNTIME);
    assert_null(job);
    assert_non_null(strstr(err.message, "cannot execute '/nonexistent/smac-target'"));
    assert_non_null(strstr(err.message, "No such file"));

    char *unknown[] = {"smac-no-such-program-on-path"};
    t.cfg.algo_argv = unknown;
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, &err), SMAC_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "No such file"));

    /* A file without exec permission. */
    char plain[4200];
    snprintf(plain, sizeof plain, "%s/test_run_process_noexec_%d.sh", SMAC_BINARY_DIR, (int)getpid());
    FILE *f = fopen(plain, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\necho hi\n", f);
    fclose(f);
    assert_int_equal(chmod(plain, 0644), 0);
    char *noexec[] = {plain};
    t.cfg.algo_argv = noexec;
    int rc = smac_job_start(&t.cfg, &t.req, &job, &err);
    unlink(plain);
    assert_int_equal(rc, SMAC_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "cannot execute"));
    assert_non_null(strstr(err.message, "Permission denied"));

    t.cfg.algo_argv = t.argv;
    t.cfg.algo_argc = 2;
    t.cfg.execdir = "/nonexistent/folder";
    assert_int_equal(smac_runner_run(&t.cfg, &t.req, &(smac_run_value){0}, NULL, &err), SMAC_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "/nonexistent/folder"));

    /* Runtime objective without cutoff: refused before anything starts. */
    t.cfg.execdir = NULL;
    t.cfg.run_obj_runtime = 1;
    t.req.cutoff = INFINITY;
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, &err), SMAC_ERR_INVALID);
    /* No shepherd left behind as a zombie. */
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

/* Several misbehaving targets at once through the job API. */
static void test_parallel_misbehaviour(void **state)
{
    (void)state;
    enum { N = 5 };
    static const char *scripts[N] = {"hang.sh", "stopped.sh", "print_hang.sh", "hang.sh", "hang.sh"};
    target t[N];
    smac_job *jobs[N];
    for (int i = 0; i < N; i++) {
        /* cutoff 0.5 -> 1: SIGTERM at 1.2 s, SIGKILL at 1.5 s */
        make_target(&t[i], scripts[i], i >= 3, 0.5);
        t[i].req.capped = i == 3;
        assert_int_equal(smac_job_start(&t[i].cfg, &t[i].req, &jobs[i], NULL), 0);
        assert_true(smac_job_pid(jobs[i]) > 0);
        assert_true(smac_job_fd(jobs[i]) >= 0);
    }
    double t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_wait(jobs, N, 0, NULL), 0); /* nothing is done yet */
    assert_int_equal(smac_job_wait(jobs, N, 0.05, NULL), 0);
    int done = 0;
    while (done < N) {
        int r = smac_job_wait(jobs, N, 5, NULL);
        assert_true(r >= 0);
        done = 0;
        for (int i = 0; i < N; i++)
            done += smac_job_done(jobs[i]);
    }
    double elapsed = smac_clock_monotonic() - t0;
    assert_true(elapsed < 3.0); /* in parallel: ~1.5 s, not 5 x that */
    for (int i = 0; i < N; i++) {
        smac_run_value v;
        smac_run_measure m;
        int pid = smac_job_pid(jobs[i]);
        assert_int_equal(smac_job_finish(jobs[i], &v, &m, NULL), 0);
        smac_job_free(jobs[i]);
        assert_nothing_left(pid);
        assert_true(m.killed_at_cutoff);
        switch (i) {
        case 0: /* quality: no quality reported -> cost_for_crash */
            assert_int_equal(v.status, SMAC_STATUS_TIMEOUT);
            assert_true(v.cost == 1000.0 && v.time == 1.0);
            assert_int_equal(m.term_signal, SIGKILL);
            break;
        case 1: /* stopped: SIGTERM (with SIGCONT) ends it before SIGKILL */
            assert_int_equal(v.status, SMAC_STATUS_TIMEOUT);
            assert_int_equal(m.term_signal, SIGTERM);
            break;
        case 2: /* printed its result before hanging */
            assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
            assert_true(v.cost == 4.5 && v.time == 0.2);
            break;
        case 3:
            assert_int_equal(v.status, SMAC_STATUS_CAPPED);
            assert_true(v.cost == 10.0);
            break;
        case 4: /* runtime: par x cutoff, time = the cutoff */
            assert_int_equal(v.status, SMAC_STATUS_TIMEOUT);
            assert_true(v.cost == 10.0 && v.time == 1.0);
            assert_int_equal(m.term_signal, SIGKILL);
            assert_true(m.wall_time >= 1.45);
            assert_non_null(strstr(m.stdout_tail, "hanging"));
            assert_non_null(strstr(v.additional_info, "killed at the cutoff"));
            break;
        }
        free(v.additional_info);
        smac_run_measure_free(&m);
    }
}

static void test_crash_and_signal(void **state)
{
    (void)state;
    target t;
    smac_run_measure m;
    /* A partial result line at exit: garbled -> exception path. */
    make_target(&t, "crash.sh", 1, 3);
    smac_run_value v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 30.0);
    assert_int_equal(m.exit_status, 1);
    assert_non_null(strstr(v.additional_info, "\"error\""));
    free(v.additional_info);
    smac_run_measure_free(&m);

    make_target(&t, "segv.sh", 0, 3);
    v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 1000.0 && v.time < 3);
    assert_int_equal(m.term_signal, SIGSEGV);
    assert_non_null(strstr(v.additional_info, "SIGSEGV"));
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_words_and_garbage(void **state)
{
    (void)state;
    static const struct { const char *script; int runtime_obj; smac_status st; double cost, time; } cases[] = {
        {"garbage.sh", 0, SMAC_STATUS_CRASHED, 1000.0, 1.0},
        {"abort.sh", 0, SMAC_STATUS_ABORT, 0.0, 0.0},
        {"crash_word.sh", 0, SMAC_STATUS_CRASHED, 1000.0, 0.3},
        {"crash_word.sh", 1, SMAC_STATUS_CRASHED, 30.0, 0.3},
        {"silent.sh", 1, SMAC_STATUS_TIMEOUT, 30.0, 30.0},
        {"silent.sh", 0, SMAC_STATUS_CRASHED, 1000.0, 1234567890.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        target t;
        make_target(&t, cases[i].script, cases[i].runtime_obj, 3);
        smac_run_measure m;
        smac_run_value v = run(&t, &m, NULL);
        if (v.status != cases[i].st || v.cost != cases[i].cost || v.time != cases[i].time)
            fail_msg("%s: status %d cost %g time %g", cases[i].script, v.status, v.cost, v.time);
        free(v.additional_info);
        smac_run_measure_free(&m);
    }
    /* Wrong field count: exception path, wall time as runtime. */
    target t;
    make_target(&t, "fieldcount.sh", 0, 3);
    smac_run_measure m;
    smac_run_value v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(v.cost == 1000.0 && v.time == m.wall_time);
    assert_non_null(strstr(v.additional_info, "4 comma-separated fields"));
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_flood(void **state)
{
    (void)state;
    target t;
    make_target(&t, "flood.sh", 0, 30);
    smac_run_measure m;
    double elapsed;
    smac_run_value v = run(&t, &m, &elapsed);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(v.cost == 3.5 && v.time == 0.25);
    assert_true(strlen(m.stdout_tail) == 65536);
    const char *end = m.stdout_tail + strlen(m.stdout_tail) - strlen("Result of this algorithm run: SUCCESS, 0.25, 0, 3.5, 1\n");
    assert_string_equal(end, "Result of this algorithm run: SUCCESS, 0.25, 0, 3.5, 1\n");
    assert_true(strlen(m.stderr_tail) == 65536);
    assert_true(elapsed < 20);
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_orphans(void **state)
{
    (void)state;
    char pidfile[4200];
    snprintf(pidfile, sizeof pidfile, "%s/test_run_process_orphans_%d.txt", SMAC_BINARY_DIR, (int)getpid());
    unlink(pidfile);
    target t;
    make_target(&t, "orphans.sh", 0, 10);
    t.req.instance = pidfile;
    smac_run_measure m;
    double elapsed;
    smac_run_value v = run(&t, &m, &elapsed);
    assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
    assert_true(elapsed < 5);
    FILE *f = fopen(pidfile, "r");
    int pids = 0, alive = 0, pid;
    while (f && fscanf(f, "%d", &pid) == 1) {
        pids++;
        alive += pid_alive(pid);
    }
    if (f)
        fclose(f);
    unlink(pidfile);
    assert_int_equal(pids, 4);
    assert_int_equal(alive, 0);
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_memory_limit(void **state)
{
    (void)state;
    if (system("command -v python3 > /dev/null 2>&1") != 0) {
        print_message("skipped: no python3\n");
        skip();
    }
    target t;
    make_target(&t, "memhog.sh", 0, 10);
    t.cfg.memory_limit_mb = 300;
    smac_run_measure m;
    smac_run_value v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_MEMOUT);
    assert_true(v.cost == 1000.0);
    assert_true(m.memout);
    assert_non_null(strstr(m.stderr_tail, "MemoryError"));
    free(v.additional_info);
    smac_run_measure_free(&m);
    /* Runtime objective: par x cutoff. */
    t.cfg.run_obj_runtime = 1;
    v = run(&t, &m, NULL);
    assert_int_equal(v.status, SMAC_STATUS_MEMOUT);
    assert_true(v.cost == 100.0);
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_cpu_limit(void **state)
{
    (void)state;
    target t;
    make_target(&t, "cpuburn.sh", 1, 1);
    t.cfg.limit_cpu_time = 1;
    t.cfg.kill_grace = 6; /* the wall clock would stop it only at 7 s */
    smac_run_measure m;
    double elapsed;
    smac_run_value v = run(&t, &m, &elapsed);
    assert_int_equal(v.status, SMAC_STATUS_TIMEOUT);
    assert_true(v.cost == 10.0 && v.time == 1.0);
    assert_int_equal(m.term_signal, SIGXCPU);
    assert_true(m.killed_at_cutoff);
    if (m.cpu_time < 0.5) /* tick-sampled accounting under load reads a little low */
        fail_msg("cpu_time %g after a 1 s CPU limit", m.cpu_time);
    assert_true(elapsed < 6.5);
    free(v.additional_info);
    smac_run_measure_free(&m);
}

static void test_kill_on_request(void **state)
{
    (void)state;
    target t;
    make_target(&t, "hang.sh", 0, 100);
    smac_job *job;
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, NULL), 0);
    int pid = smac_job_pid(job);
    assert_int_equal(smac_job_wait(&job, 1, 0.2, NULL), 0);
    double t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_kill(job, 0), 0); /* SIGTERM is ignored: SIGKILL 0.3 s later */
    smac_run_value v;
    smac_run_measure m;
    assert_int_equal(smac_job_finish(job, &v, &m, NULL), 0);
    double took = smac_clock_monotonic() - t0;
    assert_true(took >= 0.25 && took < 2);
    assert_int_equal(smac_job_kill(job, 1), -1); /* already over */
    smac_job_free(job);
    assert_nothing_left(pid);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    assert_true(m.killed_on_request && !m.killed_at_cutoff);
    assert_int_equal(m.term_signal, SIGKILL);
    free(v.additional_info);
    smac_run_measure_free(&m);

    /* Hard kill: at once. */
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, NULL), 0);
    pid = smac_job_pid(job);
    t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_kill(job, 1), 0);
    assert_int_equal(smac_job_finish(job, &v, &m, NULL), 0);
    assert_true(smac_clock_monotonic() - t0 < 1);
    smac_job_free(job);
    assert_nothing_left(pid);
    assert_true(m.killed_on_request);
    free(v.additional_info);
    smac_run_measure_free(&m);

    /* Freeing a running job kills it. */
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, NULL), 0);
    pid = smac_job_pid(job);
    t0 = smac_clock_monotonic();
    smac_job_free(job);
    assert_true(smac_clock_monotonic() - t0 < 1);
    assert_nothing_left(pid);
}

static void test_parallel_jobs(void **state)
{
    (void)state;
    enum { N = 4 };
    target t;
    make_target(&t, "slow.sh", 1, 5);
    smac_job *jobs[N + 1];
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < N; i++)
        assert_int_equal(smac_job_start(&t.cfg, &t.req, &jobs[i], NULL), 0);
    jobs[N] = NULL; /* NULL entries are skipped */
    int finished = 0;
    while (finished < N) {
        int r = smac_job_wait(jobs, N + 1, -1, NULL);
        assert_true(r >= 1);
        for (int i = 0; i < N; i++) {
            if (jobs[i] && smac_job_done(jobs[i])) {
                smac_run_value v;
                int pid = smac_job_pid(jobs[i]);
                assert_int_equal(smac_job_finish(jobs[i], &v, NULL, NULL), 0);
                smac_job_free(jobs[i]);
                jobs[i] = NULL;
                assert_nothing_left(pid);
                assert_int_equal(v.status, SMAC_STATUS_SUCCESS);
                assert_true(v.cost == 0.5);
                free(v.additional_info);
                finished++;
            }
        }
    }
    /* Four 0.5 s runs side by side take well under 4 x 0.5 s. */
    double took = smac_clock_monotonic() - t0;
    if (took >= 1.6)
        fail_msg("4 parallel runs of 0.5 s took %.2f s", took);
    assert_int_equal(smac_job_wait(jobs, N, -1, NULL), 0);
    assert_int_equal(smac_job_wait(NULL, 0, 1, NULL), 0);
}

static volatile sig_atomic_t got_alarm;

static void on_alarm(int sig)
{
    (void)sig;
    got_alarm = 1;
}

/* The engine's pattern: a signal handler sets a flag, the wait returns, the
 * engine kills what is in flight. */
static void test_signal_interrupts_wait(void **state)
{
    (void)state;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: poll() returns EINTR */
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    target t;
    make_target(&t, "hang.sh", 0, 100);
    smac_job *job;
    assert_int_equal(smac_job_start(&t.cfg, &t.req, &job, NULL), 0);
    int pid = smac_job_pid(job);
    got_alarm = 0;
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_usec = 100000;
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    double t0 = smac_clock_monotonic();
    assert_int_equal(smac_job_wait(&job, 1, 10, NULL), 0);
    assert_true(got_alarm);
    assert_true(smac_clock_monotonic() - t0 < 2);
    assert_int_equal(smac_job_kill(job, 1), 0);
    smac_run_value v;
    assert_int_equal(smac_job_finish(job, &v, NULL, NULL), 0);
    assert_int_equal(v.status, SMAC_STATUS_CRASHED);
    free(v.additional_info);
    smac_job_free(job);
    assert_nothing_left(pid);
    sigaction(SIGALRM, &old, NULL);
}

/* The caller dies with a run in flight: the shepherd must kill the target. */
static void test_caller_dies(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        target t;
        make_target(&t, "hang.sh", 0, 100);
        smac_job *job;
        int pid = 0;
        if (smac_job_start(&t.cfg, &t.req, &job, NULL) == 0)
            pid = smac_job_pid(job);
        ssize_t w = write(fds[1], &pid, sizeof pid);
        (void)w;
        _exit(0); /* without smac_job_free */
    }
    close(fds[1]);
    int pid = 0;
    assert_int_equal(read(fds[0], &pid, sizeof pid), (ssize_t)sizeof pid);
    close(fds[0]);
    assert_true(pid > 0);
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    double t0 = smac_clock_monotonic();
    while ((pid_alive(pid) || procs_in_group_or_session(pid) > 0) && smac_clock_monotonic() - t0 < 5) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    assert_nothing_left(pid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_aclib),
        cmocka_unit_test(test_execdir),
        cmocka_unit_test(test_start_failures),
        cmocka_unit_test(test_parallel_misbehaviour),
        cmocka_unit_test(test_crash_and_signal),
        cmocka_unit_test(test_words_and_garbage),
        cmocka_unit_test(test_flood),
        cmocka_unit_test(test_orphans),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_cpu_limit),
        cmocka_unit_test(test_kill_on_request),
        cmocka_unit_test(test_parallel_jobs),
        cmocka_unit_test(test_signal_interrupts_wait),
        cmocka_unit_test(test_caller_dies),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
