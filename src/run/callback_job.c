/*
 * A callback run in flight: the target function runs on a thread of its own
 * so that n_workers of them can run at once, and the caller waits for all of
 * its jobs — processes and threads alike — with the one poll() of
 * smac_job_wait. The thread's only link to the caller is a pipe: it writes
 * one byte when the function has returned, so the read end becomes readable
 * exactly when the job is done.
 *
 * Ownership: everything the thread reads (the request with copies of the
 * configuration and the instance texts) and writes (the call record) lives
 * in the job and is touched by the caller only after pthread_join, which
 * orders the thread's writes before the caller's reads. The thread calls no
 * library code but the target function and the clocks (no logging), so the
 * library needs no locks; §5.3 is applied on the caller's thread when the
 * job is finished.
 *
 * A function cannot be interrupted: killing a callback job only marks it, and
 * freeing one that is still running waits for the function to return.
 */
#include "run/run_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

struct smac_cbjob {
    const smac_runner_config *cfg;
    smac_run_request req;      /* config / instance texts point at the copies below */
    double *config;
    char *instance, *instance_specific;
    pthread_t thread;
    int joined;
    int pipe_r, pipe_w;        /* the thread writes one byte on pipe_w when done */
    int done;
    int kill_requested;
    smac_callback_call call;   /* written by the thread, read after the join */
};

static void *cbjob_thread(void *arg)
{
    smac_cbjob *j = arg;
    smac_callback_invoke(j->cfg, &j->req, &j->call);
    char c = 1;
    while (write(j->pipe_w, &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void cbjob_release(smac_cbjob *j)
{
    close_fd(&j->pipe_r);
    close_fd(&j->pipe_w);
    free(j->call.v.additional_info);
    free(j->config);
    free(j->instance);
    free(j->instance_specific);
    free(j);
}

static int set_cloexec(int fd, int nonblock)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return -1;
    if (nonblock) {
        fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
            return -1;
    }
    return 0;
}

int smac_cbjob_start(const smac_runner_config *cfg, const smac_run_request *req, smac_cbjob **out,
                     smac_error *err)
{
    *out = NULL;
    int rc = smac_callback_check(cfg, req, err);
    if (rc)
        return rc;
    smac_cbjob *j = calloc(1, sizeof *j);
    if (!j)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
    j->pipe_r = j->pipe_w = -1;
    j->cfg = cfg;
    j->req = *req;
    /* The caller's buffers may change while the function runs (the run
     * history grows): the thread works on copies. */
    int np = req->cs && req->config ? smac_cs_n_params(req->cs) : 0;
    if (np > 0) {
        j->config = malloc((size_t)np * sizeof *j->config);
        if (!j->config)
            goto nomem;
        memcpy(j->config, req->config, (size_t)np * sizeof *j->config);
        j->req.config = j->config;
    }
    if (req->instance && !(j->instance = strdup(req->instance)))
        goto nomem;
    if (req->instance_specific && !(j->instance_specific = strdup(req->instance_specific)))
        goto nomem;
    j->req.instance = j->instance;
    j->req.instance_specific = j->instance_specific;

    int p[2];
    if (pipe(p) != 0) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "cannot create a pipe for a target run: %s", strerror(errno));
        cbjob_release(j);
        return rc;
    }
    j->pipe_r = p[0];
    j->pipe_w = p[1];
    if (set_cloexec(j->pipe_r, 1) != 0 || set_cloexec(j->pipe_w, 0) != 0) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "cannot set up a pipe for a target run: %s", strerror(errno));
        cbjob_release(j);
        return rc;
    }

    /* Signals (SIGINT/SIGTERM asking for a clean stop) must reach the
     * caller's thread, whose poll() they interrupt: the new thread starts
     * with every signal blocked. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int e = pthread_create(&j->thread, NULL, cbjob_thread, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e != 0) {
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "cannot start a thread for a target run: %s", strerror(e));
        cbjob_release(j);
        return rc;
    }
    *out = j;
    return 0;
nomem:
    cbjob_release(j);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
}

int smac_cbjob_fd(const smac_cbjob *j)
{
    return j && !j->done ? j->pipe_r : -1;
}

int smac_cbjob_done(const smac_cbjob *j)
{
    return j && j->done;
}

static void cbjob_join(smac_cbjob *j)
{
    if (j->joined)
        return;
    pthread_join(j->thread, NULL);
    j->joined = 1;
    j->done = 1;
    close_fd(&j->pipe_r);
    close_fd(&j->pipe_w);
}

void smac_cbjob_check(smac_cbjob *j)
{
    if (!j || j->done)
        return;
    char c;
    ssize_t n;
    while ((n = read(j->pipe_r, &c, 1)) < 0 && errno == EINTR)
        ;
    /* A byte: the function returned. EOF cannot happen while we hold the
     * write end; any other error leaves the join to tell. */
    if (n != 0 && !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
        cbjob_join(j);
}

int smac_cbjob_kill(smac_cbjob *j)
{
    if (!j || j->done)
        return -1;
    /* A function cannot be interrupted; the mark only tells the caller. */
    j->kill_requested = 1;
    return 0;
}

int smac_cbjob_finish(smac_cbjob *j, smac_run_value *out, smac_run_measure *m, smac_error *err)
{
    cbjob_join(j);
    return smac_callback_judge(j->cfg, &j->req, &j->call, out, m, err);
}

void smac_cbjob_free(smac_cbjob *j)
{
    if (!j)
        return;
    cbjob_join(j);
    cbjob_release(j);
}
