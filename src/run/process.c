/*
 * The job API: start / wait / finish / kill of target runs, the caller's side
 * of the shepherd (shepherd.c). Each command-line job is one forked shepherd
 * and one socket pair: the shepherd sends "hello" once the target is running
 * (or why it could not start) and one report when all is over; the caller
 * sends single bytes to ask for a kill, and closing the socket tells the
 * shepherd to kill everything and go. Nothing here needs threads or signal
 * handlers; many jobs are waited for with one poll().
 *
 * The other kinds of job share the API: a callback job is a thread whose
 * pipe joins the same poll() (callback_job.c); an MPI job has no descriptor,
 * so while one is pending the poll() sleeps in short slices and the MPI
 * message queue is read between them (mpi_pool.c).
 */
#define _GNU_SOURCE 1

#include "run/run_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"

#define TAE_LOGGER "smac.tae.execute_ta_run_old.ExecuteTARunOld"

/* Largest report a shepherd may send. */
#define REPORT_MAX (sizeof(shepherd_report) + SMAC_RUN_LINE_MAX + 2 * (size_t)SMAC_RUN_TAIL_MAX)

struct smac_job {
    const smac_runner_config *cfg;
    smac_run_request req;    /* scalars only; the pointers are not kept */
    double starttime;        /* Unix epoch */
    int sock;                /* -1 once closed */
    pid_t shepherd;          /* 0 once reaped */
    pid_t target;
    unsigned char *buf;      /* the report as received */
    size_t len, cap;
    int done;
    int finished;
    int broken;              /* the shepherd ended without a complete report */
    smac_cbjob *cb;          /* callback kind: the thread running the function */
    smac_remote_job *remote; /* MPI kind: the run on a worker */
};

/* Longest sleep between two looks at the MPI message queue. */
#define REMOTE_POLL_MAX_MS 4

static void reap_shepherd(smac_job *job)
{
    if (job->shepherd <= 0)
        return;
    int st;
    while (waitpid(job->shepherd, &st, 0) < 0 && errno == EINTR)
        ;
    job->shepherd = 0;
}

static void close_sock(smac_job *job)
{
    if (job->sock >= 0)
        close(job->sock);
    job->sock = -1;
}

/* Reads what the shepherd sent so far; marks the job done at EOF. */
static int job_read(smac_job *job, smac_error *err)
{
    for (;;) {
        if (job->cap - job->len < 65536) {
            size_t ncap = job->cap ? 2 * job->cap : 131072;
            if (ncap > REPORT_MAX + 65536)
                ncap = REPORT_MAX + 65536;
            if (ncap <= job->len) {
                /* More than any honest report: stop listening. */
                job->broken = 1;
                goto eof;
            }
            unsigned char *nb = realloc(job->buf, ncap);
            if (!nb)
                return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a target run's report");
            job->buf = nb;
            job->cap = ncap;
        }
        ssize_t n = recv(job->sock, job->buf + job->len, job->cap - job->len, MSG_DONTWAIT);
        if (n > 0) {
            job->len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        goto eof; /* EOF, or the socket failed: the shepherd is gone either way */
    }
eof:
    close_sock(job);
    reap_shepherd(job);
    job->done = 1;
    return 0;
}

static int read_exact(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

static const char *stage_text(int stage)
{
    switch (stage) {
    case SHEPHERD_FAIL_CHDIR: return "cannot change to the execution folder";
    case SHEPHERD_FAIL_RLIMIT: return "cannot set the resource limits";
    case SHEPHERD_FAIL_EXEC: return "cannot execute";
    case SHEPHERD_FAIL_FORK: return "cannot fork";
    default: return "cannot prepare the target process";
    }
}

static void log_call(char **argv)
{
    if (!smac_log_enabled(SMAC_LOG_DEBUG))
        return;
    size_t n = 1;
    for (char **p = argv; *p; p++)
        n += strlen(*p) + 1;
    char *line = malloc(n);
    if (!line)
        return;
    line[0] = '\0';
    for (char **p = argv; *p; p++) {
        if (p != argv)
            strcat(line, " ");
        strcat(line, *p);
    }
    SMAC_DEBUG(TAE_LOGGER, "Calling: %s", line);
    free(line);
}

static smac_job *job_new(const smac_runner_config *cfg, const smac_run_request *req)
{
    smac_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->cfg = cfg;
    job->req = *req;
    job->req.cs = NULL;
    job->req.config = NULL;
    job->req.instance = NULL;
    job->req.instance_specific = NULL;
    job->sock = -1;
    return job;
}

static int check_cutoff(const smac_runner_config *cfg, const smac_run_request *req, smac_error *err)
{
    if (cfg->run_obj_runtime && !isfinite(req->cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "For scenarios optimizing running time (run objective), a cutoff time is "
                              "required, but not given to this call.");
    return 0;
}

static int spawn(smac_job *job, char **argv, smac_error *err);

int smac_job_start(const smac_runner_config *cfg, const smac_run_request *req, smac_job **out,
                   smac_error *err)
{
    *out = NULL;
    int rc = check_cutoff(cfg, req, err);
    if (rc)
        return rc;
    smac_job *job = job_new(cfg, req);
    if (!job)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
    if (cfg->kind == SMAC_TAE_CALLBACK)
        rc = smac_cbjob_start(cfg, req, &job->cb, err);
    else if (cfg->remote)
        rc = smac_remote_start(cfg, req, &job->remote, err);
    if (cfg->kind == SMAC_TAE_CALLBACK || cfg->remote) {
        if (rc) {
            free(job);
            return rc;
        }
        job->starttime = smac_clock_wall();
        *out = job;
        return 0;
    }

    char **argv = NULL;
    rc = smac_build_argv(cfg, req, &argv, err);
    if (rc == 0)
        rc = spawn(job, argv, err);
    smac_argv_free(argv);
    if (rc) {
        free(job);
        return rc;
    }
    *out = job;
    return 0;
}

int smac_job_start_argv(const smac_runner_config *cfg, const smac_run_request *req, char **argv,
                        smac_job **out, smac_error *err)
{
    *out = NULL;
    if (cfg->kind == SMAC_TAE_CALLBACK || !argv || !argv[0])
        return smac_error_set(err, SMAC_ERR_INVALID, "a command-line run needs a command-line target");
    int rc = check_cutoff(cfg, req, err);
    if (rc)
        return rc;
    smac_job *job = job_new(cfg, req);
    if (!job)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
    rc = spawn(job, argv, err);
    if (rc) {
        free(job);
        return rc;
    }
    *out = job;
    return 0;
}

/* Forks the shepherd of a command-line run. On failure the job is left
 * with nothing to release but itself. */
static int spawn(smac_job *job, char **argv, smac_error *err)
{
    const smac_runner_config *cfg = job->cfg;
    const smac_run_request *req = &job->req;
    int rc;
    log_call(argv);

    /* Everything the shepherd uses is allocated now, before the fork. */
    smac_outscan scan;
    smac_tail out_tail, err_tail;
    memset(&scan, 0, sizeof scan);
    memset(&out_tail, 0, sizeof out_tail);
    memset(&err_tail, 0, sizeof err_tail);
    shepherd_args a;
    memset(&a, 0, sizeof a);
    a.argv = argv;
    a.execdir = cfg->execdir;
    double cut = smac_cutoff_int(req->cutoff);
    double grace = cfg->kill_grace > 0 ? cfg->kill_grace : 0;
    a.term_after = isfinite(cut) ? (cut > 0 ? cut : 0) + grace : INFINITY;
    a.kill_delay = cfg->kill_delay > 0 ? cfg->kill_delay : 0;
    a.memory_limit_mb = cfg->memory_limit_mb > 0 ? cfg->memory_limit_mb : 0;
    if (cfg->limit_cpu_time && isfinite(cut)) {
        /* No grace here: a runtime scenario's cutoff is CPU time already, and
         * SIGXCPU without a result line is judged a TIMEOUT anyway. */
        long c = (long)(cut > 0 ? cut : 0);
        a.cpu_limit_s = c > 0 ? c : 1;
    }
    a.chunk_cap = 65536;
    a.chunk = malloc(a.chunk_cap);
    a.pathbuf_cap = 8192 + strlen(argv[0]);
    a.pathbuf = malloc(a.pathbuf_cap);
    int sv[2] = {-1, -1};
    if (!a.chunk || !a.pathbuf || smac_outscan_init(&scan, cfg->kind) != 0 ||
        smac_tail_init(&out_tail, SMAC_RUN_TAIL_MAX) != 0 || smac_tail_init(&err_tail, SMAC_RUN_TAIL_MAX) != 0) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
        goto cleanup;
    }
    a.scan = &scan;
    a.out_tail = &out_tail;
    a.err_tail = &err_tail;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "cannot create a socket pair for a target run: %s",
                            strerror(errno));
        goto cleanup;
    }
    job->starttime = smac_clock_wall();
    pid_t pid = fork();
    if (pid < 0) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "cannot fork to run the target: %s", strerror(errno));
        goto cleanup;
    }
    if (pid == 0) {
        close(sv[0]);
        a.sock = sv[1];
        smac_shepherd_main(&a);
    }
    job->shepherd = pid;
    close(sv[1]);
    sv[1] = -1;
    job->sock = sv[0];
    sv[0] = -1;

    shepherd_hello h;
    if (read_exact(job->sock, &h, sizeof h) != 0 || h.magic != SMAC_SHEPHERD_MAGIC) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "the supervisor of the target run ended before starting it");
        goto fail_job;
    }
    if (h.stage != SHEPHERD_STARTED) {
        if (h.stage == SHEPHERD_FAIL_EXEC)
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "%s '%s': %s", stage_text(h.stage), argv[0],
                                strerror(h.err_no));
        else if (h.stage == SHEPHERD_FAIL_CHDIR)
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "%s '%s': %s", stage_text(h.stage),
                                cfg->execdir ? cfg->execdir : ".", strerror(h.err_no));
        else
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "%s: %s", stage_text(h.stage), strerror(h.err_no));
        goto fail_job;
    }
    job->target = h.pid;
    rc = 0;
    goto cleanup;

fail_job:
    close_sock(job);
    reap_shepherd(job);
cleanup:
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    free(a.chunk);
    free(a.pathbuf);
    smac_outscan_free(&scan);
    smac_tail_free(&out_tail);
    smac_tail_free(&err_tail);
    return rc;
}

int smac_job_done(const smac_job *job)
{
    return job && job->done;
}

int smac_job_pid(const smac_job *job)
{
    return job ? (int)job->target : 0;
}

int smac_job_fd(const smac_job *job)
{
    if (!job || job->done)
        return -1;
    return job->cb ? smac_cbjob_fd(job->cb) : job->remote ? -1 : job->sock;
}

/* The descriptor smac_job_wait polls for a job, -1 for none. */
static int wait_fd(const smac_job *job)
{
    return job->cb ? smac_cbjob_fd(job->cb) : job->remote ? -1 : job->sock;
}

/* Reads what a job has for us without blocking; sets job->done. */
static int job_progress(smac_job *job, smac_error *err)
{
    if (job->done)
        return 0;
    if (job->cb) {
        smac_cbjob_check(job->cb);
        job->done = smac_cbjob_done(job->cb);
        return 0;
    }
    if (job->remote) {
        int rc = smac_remote_progress(job->remote, err);
        job->done = smac_remote_done(job->remote);
        return rc;
    }
    return job_read(job, err);
}

int smac_job_wait(smac_job *const *jobs, int n, double timeout, smac_error *err)
{
    struct pollfd small[16];
    struct pollfd *fds = small;
    smac_job **who = NULL;
    smac_job *small_who[16];
    int rc = 0;
    if (n > 16) {
        fds = malloc((size_t)n * sizeof *fds);
        who = malloc((size_t)n * sizeof *who);
        if (!fds || !who) {
            if (fds != small)
                free(fds);
            free(who);
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory waiting for target runs");
        }
    } else {
        who = small_who;
    }
    double deadline = timeout >= 0 ? smac_clock_monotonic() + timeout : INFINITY;
    int remote_ms = 0; /* grows while MPI jobs stay quiet, so an idle wait costs little CPU */
    for (;;) {
        int done = 0, k = 0, remote = 0;
        for (int i = 0; i < n && rc == 0; i++) {
            if (!jobs[i])
                continue;
            if (jobs[i]->remote && !jobs[i]->done) {
                rc = job_progress(jobs[i], err);
                remote++;
            }
            if (jobs[i]->done) {
                done++;
            } else if (wait_fd(jobs[i]) >= 0) {
                fds[k].fd = wait_fd(jobs[i]);
                fds[k].events = POLLIN;
                fds[k].revents = 0;
                who[k++] = jobs[i];
            }
        }
        if (rc)
            break;
        if (k == 0 && (done > 0 || remote == 0)) {
            rc = done;
            break;
        }
        /* Jobs already done: still collect what the others sent, without waiting. */
        int ms;
        if (done > 0) {
            ms = 0;
        } else if (!isfinite(deadline)) {
            ms = -1;
        } else {
            double left = deadline - smac_clock_monotonic();
            ms = left <= 0 ? 0 : (left * 1000.0 > (double)INT_MAX ? INT_MAX : (int)ceil(left * 1000.0));
        }
        if (remote > 0 && done == 0) {
            remote_ms = remote_ms < 1 ? 1 : (remote_ms * 2 > REMOTE_POLL_MAX_MS ? REMOTE_POLL_MAX_MS : remote_ms * 2);
            if (ms < 0 || ms > remote_ms)
                ms = remote_ms;
        }
        int r = poll(k ? fds : NULL, (nfds_t)k, ms);
        if (r < 0) {
            if (errno == EINTR) {
                rc = done; /* let the caller look at its signal flags */
                break;
            }
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "poll on target runs failed: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < k && rc == 0; i++)
            if (fds[i].revents) {
                rc = job_progress(who[i], err);
                if (who[i]->done)
                    done++;
            }
        if (rc)
            break;
        if (done > 0 || (ms == 0 && remote == 0) ||
            (isfinite(deadline) && smac_clock_monotonic() >= deadline)) {
            /* A last look at the MPI queue, so a zero timeout still sees news. */
            for (int i = 0; i < n && rc == 0 && done == 0; i++)
                if (jobs[i] && jobs[i]->remote && !jobs[i]->done) {
                    rc = job_progress(jobs[i], err);
                    done += jobs[i]->done;
                }
            if (rc == 0)
                rc = done;
            break;
        }
    }
    if (fds != small)
        free(fds);
    if (who != small_who)
        free(who);
    return rc;
}

int smac_job_kill(smac_job *job, int hard)
{
    if (!job || job->done)
        return -1;
    if (job->cb)
        return smac_cbjob_kill(job->cb);
    if (job->remote)
        return smac_remote_kill(job->remote, hard);
    if (job->sock < 0)
        return -1;
    char c = hard ? 'K' : 'T';
    return send(job->sock, &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1 ? 0 : -1;
}

/* The report as the outcome rules want it; 0, or -1 if it is incomplete. */
static int decode_report(const smac_job *job, smac_job_report *rep, char **result, char **out_tail,
                         char **err_tail)
{
    *result = *out_tail = *err_tail = NULL;
    shepherd_report r;
    if (job->broken || job->len < sizeof r)
        return -1;
    memcpy(&r, job->buf, sizeof r);
    if (r.magic != SMAC_SHEPHERD_MAGIC || r.result_len > SMAC_RUN_LINE_MAX || r.out_len > SMAC_RUN_TAIL_MAX ||
        r.err_len > SMAC_RUN_TAIL_MAX || sizeof r + r.result_len + r.out_len + r.err_len != job->len)
        return -1;
    const char *p = (const char *)job->buf + sizeof r;
    if (r.flags & SHEPHERD_HAVE_RESULT) {
        *result = strndup(p, (size_t)r.result_len); /* a NUL inside shortens it: outcome checks */
        if (!*result)
            return -2;
    }
    p += r.result_len;
    *out_tail = strndup(p, (size_t)r.out_len);
    p += r.out_len;
    *err_tail = strndup(p, (size_t)r.err_len);
    if (!*out_tail || !*err_tail) {
        free(*result);
        free(*out_tail);
        free(*err_tail);
        *result = *out_tail = *err_tail = NULL;
        return -2;
    }
    memset(rep, 0, sizeof *rep);
    rep->wait_status = r.wait_status;
    rep->flags = r.flags;
    rep->wall_time = r.wall_time;
    rep->cpu_time = r.user_cpu + r.sys_cpu;
    rep->max_rss_kb = (long)r.max_rss_kb;
    rep->pid = (int)job->target;
    rep->result = *result;
    rep->result_len = (size_t)r.result_len;
    rep->out_tail = *out_tail;
    rep->err_tail = *err_tail;
    return 0;
}

int smac_job_finish(smac_job *job, smac_run_value *out, smac_run_measure *m, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    if (!job || job->finished)
        return smac_error_set(err, SMAC_ERR_INVALID, "this target run was already finished");
    smac_job *self = job;
    while (!job->done) {
        int rc = smac_job_wait(&self, 1, -1, err);
        if (rc < 0)
            return rc;
    }
    job->finished = 1;
    if (job->cb)
        return smac_cbjob_finish(job->cb, out, m, err);
    if (job->remote)
        return smac_remote_finish(job->remote, out, m, err);
    smac_job_report rep;
    char *result, *out_tail, *err_tail;
    int d = decode_report(job, &rep, &result, &out_tail, &err_tail);
    if (d == -2)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a target run's report");
    if (d == -1) {
        /* The shepherd died (killed from outside?): the target died with it
         * (PR_SET_PDEATHSIG), so this is a crash we cannot explain better. */
        SMAC_WARNING(TAE_LOGGER, "The supervisor of target run %d ended without a report.", (int)job->target);
        memset(&rep, 0, sizeof rep);
        rep.wait_status = SIGKILL; /* as if killed: a crash without result line */
        rep.wall_time = smac_clock_wall() - job->starttime;
        rep.pid = (int)job->target;
    }
    int rc = smac_job_outcome(job->cfg, &job->req, &rep, job->starttime, out, m, err);
    free(result);
    free(out_tail);
    free(err_tail);
    return rc;
}

void smac_job_free(smac_job *job)
{
    if (!job)
        return;
    /* Closing the socket is the shepherd's order to kill everything and exit. */
    close_sock(job);
    reap_shepherd(job);
    free(job->buf);
    smac_cbjob_free(job->cb);
    smac_remote_free(job->remote);
    free(job);
}
