/*
 * The optimiser's side of the MPI backend (mpi_pool.h): a pool of worker
 * ranks and the "remote" job kind of runner.h. The worker's side is
 * mpi_worker.c, the messages mpi_msg.c.
 *
 * Protocol. A job goes to an idle worker as RUN (preceded once by HELLO, the
 * runner config); the worker answers with BEAT once a second while the
 * target runs and with one RESULT at the end. KILL asks it to end a run;
 * STOP (from smac_mpi_pool_free) to leave, which it acknowledges with BYE.
 * A worker is busy from RUN to RESULT, even when its job was freed meanwhile
 * (the result is then dropped), so it never gets two runs at once.
 *
 * Waiting. MPI gives no descriptor to poll, so smac_job_wait sleeps in short
 * slices and calls smac_remote_progress between them, which reads every
 * message that has arrived (MPI_Iprobe, then MPI_Recv of exactly that
 * message: no receive ever blocks). Nothing here spins.
 *
 * Failures. Errors on MPI_COMM_WORLD return (MPI_ERRORS_RETURN) instead of
 * aborting. A worker is lost when a send to it fails, when it sends a
 * message we cannot read, or when a busy worker has been silent for the
 * heartbeat timeout — counted only over time we were listening, so a long
 * model fit on rank 0 does not make healthy workers look dead. Its run then
 * ends CRASHED ({"error": "MPI worker N was lost"}) and the pool's on_lost
 * callback asks the optimiser to stop: everything is saved, and
 * --restore_state continues the run. (With Open MPI's default, mpirun itself
 * ends the job when a rank dies; rank 0 then gets SIGTERM, which the smac
 * command also turns into a clean stop.)
 */
#include "run/mpi_pool.h"
#include "run/mpi_msg.h"
#include "run/run_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

int smac_mpi_launched(void)
{
    /* mpirun/mpiexec of Open MPI, MPICH/Hydra (PMI), PMIx launchers. */
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && atoi(v) > 1)
            return 1;
    }
    /* srun --mpi=pmix/pmi2 sets the rank variable and Slurm's task count. */
    const char *tasks = getenv("SLURM_STEP_NUM_TASKS");
    if ((getenv("PMIX_RANK") || getenv("PMI_RANK")) && tasks && atoi(tasks) > 1)
        return 1;
    return 0;
}

#ifdef SMAC_HAVE_MPI

#include <mpi.h>
#include <stdio.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"

#define LOGGER "smac.tae.mpi_runner.MPIRunner"

static int mpi_ready;

int smac_mpi_built(void) { return 1; }

int smac_mpi_init(int *argc, char ***argv, int *rank, int *size, smac_error *err)
{
    *rank = 0;
    *size = 1;
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI_Init failed");
    mpi_ready = 1;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (MPI_Comm_rank(MPI_COMM_WORLD, rank) != MPI_SUCCESS || MPI_Comm_size(MPI_COMM_WORLD, size) != MPI_SUCCESS)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "cannot query the MPI rank and size");
    return 0;
}

void smac_mpi_finalize(void)
{
    if (mpi_ready)
        MPI_Finalize();
    mpi_ready = 0;
}

void smac_mpi_abort(int code)
{
    if (mpi_ready)
        MPI_Abort(MPI_COMM_WORLD, code);
}

typedef struct worker_slot {
    int rank;
    const smac_runner_config *hello; /* the config this worker has, NULL = none yet */
    int64_t job_id;                  /* the run it has, 0 = idle */
    smac_remote_job *job;            /* that run's job, NULL once freed */
    double last_heard;               /* monotonic */
    int runs;                        /* runs it was given */
    int lost;
    int gone;                        /* said BYE */
} worker_slot;

struct smac_mpi_pool {
    int n;
    worker_slot *w;
    int64_t next_id;
    double timeout;
    double last_progress;            /* monotonic, when the queue was last read */
    void (*on_lost)(void *);
    void *on_lost_data;
    int lost_reported;
    unsigned char *buf;              /* receive buffer */
    size_t cap;
};

struct smac_remote_job {
    smac_mpi_pool *pool;
    const smac_runner_config *cfg;
    smac_run_request req;            /* scalars only (the pointers are not kept) */
    double started;                  /* monotonic */
    int slot;                        /* -1 once done */
    int64_t id;
    int done;
    smac_run_value value;
    smac_run_measure measure;
};

smac_mpi_pool *smac_mpi_pool_new(double heartbeat_timeout, smac_error *err)
{
    int size = 0, rank = -1;
    if (!mpi_ready || MPI_Comm_size(MPI_COMM_WORLD, &size) != MPI_SUCCESS ||
        MPI_Comm_rank(MPI_COMM_WORLD, &rank) != MPI_SUCCESS) {
        smac_error_set(err, SMAC_ERR_INVALID, "MPI is not initialised");
        return NULL;
    }
    if (rank != 0 || size < 2) {
        smac_error_set(err, SMAC_ERR_INVALID, "an MPI pool needs rank 0 of at least 2 processes (rank %d of %d)",
                       rank, size);
        return NULL;
    }
    smac_mpi_pool *p = calloc(1, sizeof *p);
    if (p)
        p->w = calloc((size_t)size - 1, sizeof *p->w);
    if (!p || !p->w) {
        free(p);
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->n = size - 1;
    for (int i = 0; i < p->n; i++)
        p->w[i].rank = i + 1;
    p->next_id = 1;
    p->timeout = heartbeat_timeout > 0 ? heartbeat_timeout : 30.0;
    p->last_progress = smac_clock_monotonic();
    return p;
}

void smac_mpi_pool_on_lost(smac_mpi_pool *pool, void (*fn)(void *data), void *data)
{
    pool->on_lost = fn;
    pool->on_lost_data = data;
}

int smac_mpi_pool_workers(const smac_mpi_pool *pool) { return pool ? pool->n : 0; }

int smac_mpi_pool_workers_used(const smac_mpi_pool *pool)
{
    int used = 0;
    for (int i = 0; pool && i < pool->n; i++)
        used += pool->w[i].runs > 0;
    return used;
}

static int send_msg(worker_slot *w, const smac_msg *m, int kind)
{
    if (m->failed)
        return SMAC_ERR_NOMEM;
    if (MPI_Send(m->data, (int)m->len, MPI_BYTE, w->rank, kind, MPI_COMM_WORLD) != MPI_SUCCESS)
        return SMAC_ERR_RUNTIME;
    return 0;
}

/* Ends the job a lost worker had, and tells the optimiser once. */
static void lose_worker(smac_mpi_pool *p, worker_slot *w, const char *why)
{
    if (w->lost)
        return;
    w->lost = 1;
    SMAC_ERROR(LOGGER, "MPI worker %d was lost (%s)%s.", w->rank, why,
               w->job ? ": its run is recorded as CRASHED and the optimisation stops" : "");
    if (w->job) {
        smac_remote_job *j = w->job;
        char msg[128];
        snprintf(msg, sizeof msg, "MPI worker %d was lost (%s)", w->rank, why);
        smac_ta_result res;
        memset(&res, 0, sizeof res);
        double now = smac_clock_wall(), elapsed = smac_clock_monotonic() - j->started;
        /* §5.3 as for any crash (PAR cost for a runtime objective). */
        if (smac_ta_result_exception(&res, j->cfg, elapsed, msg, NULL) != 0 ||
            smac_outcome_apply(j->cfg, &j->req, &res, now - elapsed, now, &j->value, NULL) != 0) {
            /* Out of memory for the message: the crash without it. */
            j->value.status = SMAC_STATUS_CRASHED;
            j->value.cost = j->cfg->cost_for_crash;
            j->value.time = elapsed;
            j->value.starttime = now - elapsed;
            j->value.endtime = now;
        }
        smac_ta_result_clear(&res);
        j->done = 1;
        j->slot = -1;
        w->job = NULL;
    }
    w->job_id = 0;
    if (!p->lost_reported && p->on_lost) {
        p->lost_reported = 1;
        p->on_lost(p->on_lost_data);
    }
}

static void handle_result(smac_mpi_pool *p, worker_slot *w, smac_msg_reader *r)
{
    int64_t id;
    smac_run_value v;
    smac_run_measure m;
    if (smac_msg_get_result(r, &id, &v, &m) != 0) {
        lose_worker(p, w, "unreadable result");
        return;
    }
    if (id != w->job_id || id == 0) {
        /* Not the run it has: a stale answer; keep the worker as it is. */
        free(v.additional_info);
        smac_run_measure_free(&m);
        return;
    }
    if (w->job) {
        w->job->value = v;
        w->job->measure = m;
        w->job->done = 1;
        w->job->slot = -1;
    } else {
        free(v.additional_info);
        smac_run_measure_free(&m);
    }
    w->job = NULL;
    w->job_id = 0;
}

/* Reads every message that has arrived, then looks for silent workers. */
static int pool_progress(smac_mpi_pool *p, smac_error *err)
{
    double now = smac_clock_monotonic();
    double gap = now - p->last_progress;
    if (gap > 1.0)
        /* We were away (fitting a model...): silence then proves nothing. */
        for (int i = 0; i < p->n; i++)
            p->w[i].last_heard += gap;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
            return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI_Iprobe failed");
        if (!flag)
            break;
        int count = 0;
        MPI_Get_count(&st, MPI_BYTE, &count);
        if (count < 0)
            count = 0;
        if ((size_t)count > p->cap) {
            unsigned char *b = realloc(p->buf, (size_t)count);
            if (!b)
                return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory receiving an MPI message");
            p->buf = b;
            p->cap = (size_t)count;
        }
        int rc = MPI_Recv(p->buf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int src = st.MPI_SOURCE;
        if (src < 1 || src > p->n)
            continue; /* not one of our workers */
        worker_slot *w = &p->w[src - 1];
        if (rc != MPI_SUCCESS) {
            lose_worker(p, w, "receive failed");
            continue;
        }
        w->last_heard = smac_clock_monotonic();
        smac_msg_reader r;
        if (smac_msg_open(&r, p->buf, (size_t)count) != 0) {
            lose_worker(p, w, "unreadable message");
            continue;
        }
        switch (r.kind) {
        case SMAC_MSG_BEAT:
            break;
        case SMAC_MSG_RESULT:
            handle_result(p, w, &r);
            break;
        case SMAC_MSG_BYE:
            w->gone = 1;
            if (w->job_id)
                lose_worker(p, w, "it left during a run");
            break;
        default:
            lose_worker(p, w, "unexpected message");
        }
    }
    now = smac_clock_monotonic();
    p->last_progress = now;
    for (int i = 0; i < p->n; i++) {
        worker_slot *w = &p->w[i];
        if (w->job_id && !w->lost && now - w->last_heard > p->timeout) {
            char why[64];
            snprintf(why, sizeof why, "silent for %.0f s", now - w->last_heard);
            lose_worker(p, w, why);
        }
    }
    return 0;
}

int smac_remote_start(const smac_runner_config *cfg, const smac_run_request *req, smac_remote_job **out,
                      smac_error *err)
{
    *out = NULL;
    smac_mpi_pool *p = cfg->remote;
    int rc = pool_progress(p, err);
    if (rc)
        return rc;
    worker_slot *w = NULL;
    for (int i = 0; i < p->n && !w; i++)
        if (!p->w[i].lost && !p->w[i].gone && p->w[i].job_id == 0)
            w = &p->w[i];
    if (!w)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "no MPI worker is free (%d workers)", p->n);
    smac_remote_job *j = calloc(1, sizeof *j);
    if (!j)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory starting a target run");
    j->pool = p;
    j->cfg = cfg;
    j->req = *req;
    j->req.cs = NULL;
    j->req.config = NULL;
    j->req.instance = j->req.instance_specific = NULL;
    j->started = smac_clock_monotonic();
    j->id = p->next_id++;
    smac_msg m;
    if (w->hello != cfg) {
        smac_msg_init(&m, SMAC_MSG_HELLO);
        rc = smac_msg_put_hello(&m, cfg, (int)smac_log_get_level());
        if (rc == 0)
            rc = send_msg(w, &m, SMAC_MSG_HELLO);
        smac_msg_free(&m);
        if (rc) {
            free(j);
            if (rc == SMAC_ERR_NOMEM)
                return smac_error_set(err, rc, "out of memory sending to MPI worker %d", w->rank);
            lose_worker(p, w, "send failed");
            return smac_error_set(err, SMAC_ERR_RUNTIME, "cannot send to MPI worker %d", w->rank);
        }
        w->hello = cfg;
    }
    smac_msg_init(&m, SMAC_MSG_RUN);
    rc = smac_msg_put_run(&m, j->id, req, err);
    if (rc == 0 && (rc = send_msg(w, &m, SMAC_MSG_RUN)) != 0) {
        if (rc == SMAC_ERR_NOMEM) {
            smac_error_set(err, rc, "out of memory sending to MPI worker %d", w->rank);
        } else {
            lose_worker(p, w, "send failed");
            smac_error_set(err, rc, "cannot send a run to MPI worker %d", w->rank);
        }
    }
    smac_msg_free(&m);
    if (rc) {
        free(j);
        return rc;
    }
    if (smac_log_enabled(SMAC_LOG_DEBUG))
        SMAC_DEBUG(LOGGER, "Run %lld on %s (seed %llu) sent to MPI worker %d.", (long long)j->id,
                   req->instance ? req->instance : "no instance", (unsigned long long)req->seed, w->rank);
    w->job_id = j->id;
    w->job = j;
    w->runs++;
    w->last_heard = smac_clock_monotonic();
    j->slot = (int)(w - p->w);
    *out = j;
    return 0;
}

int smac_remote_progress(smac_remote_job *j, smac_error *err)
{
    if (!j || j->done)
        return 0;
    return pool_progress(j->pool, err);
}

int smac_remote_done(const smac_remote_job *j) { return j && j->done; }

int smac_remote_kill(smac_remote_job *j, int hard)
{
    if (!j || j->done || j->slot < 0)
        return -1;
    worker_slot *w = &j->pool->w[j->slot];
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_KILL);
    smac_msg_put_i64(&m, j->id);
    smac_msg_put_i64(&m, hard);
    int rc = send_msg(w, &m, SMAC_MSG_KILL);
    smac_msg_free(&m);
    if (rc == SMAC_ERR_RUNTIME)
        lose_worker(j->pool, w, "send failed");
    return rc ? -1 : 0;
}

int smac_remote_finish(smac_remote_job *j, smac_run_value *out, smac_run_measure *m, smac_error *err)
{
    (void)err;
    *out = j->value;
    memset(&j->value, 0, sizeof j->value);
    if (m)
        *m = j->measure;
    else
        smac_run_measure_free(&j->measure);
    memset(&j->measure, 0, sizeof j->measure);
    return 0;
}

void smac_remote_free(smac_remote_job *j)
{
    if (!j)
        return;
    if (!j->done && j->slot >= 0) {
        /* Its worker stays busy until the (dropped) result comes back. */
        smac_remote_kill(j, 1);
        if (j->slot >= 0)
            j->pool->w[j->slot].job = NULL;
    }
    free(j->value.additional_info);
    smac_run_measure_free(&j->measure);
    free(j);
}

int smac_mpi_pool_free(smac_mpi_pool *p)
{
    if (!p)
        return 0;
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_STOP);
    for (int i = 0; i < p->n; i++) {
        worker_slot *w = &p->w[i];
        if (!w->lost && !w->gone && send_msg(w, &m, SMAC_MSG_STOP) != 0)
            w->lost = 1;
    }
    smac_msg_free(&m);
    /* Wait for every goodbye (a worker first ends the run it has: up to the
     * kill delay), reading and dropping whatever else comes, so no worker is
     * left blocked in a send when everyone finalises. */
    double deadline = smac_clock_monotonic() + 15.0;
    int clean = 1;
    for (;;) {
        int waiting = 0;
        for (int i = 0; i < p->n; i++)
            waiting += !p->w[i].lost && !p->w[i].gone;
        if (waiting == 0)
            break;
        if (smac_clock_monotonic() > deadline) {
            SMAC_ERROR(LOGGER, "%d MPI worker(s) did not stop.", waiting);
            clean = 0;
            break;
        }
        p->on_lost = NULL; /* nothing left to stop */
        if (pool_progress(p, NULL) != 0) {
            clean = 0;
            break;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < p->n; i++)
        clean = clean && !p->w[i].lost;
    free(p->buf);
    free(p->w);
    free(p);
    return clean ? 0 : -1;
}

#else /* !SMAC_HAVE_MPI */

static int no_mpi(smac_error *err)
{
    return smac_error_set(err, SMAC_ERR_INVALID, "this smac was built without MPI (install Open MPI and rebuild)");
}

int smac_mpi_built(void) { return 0; }

int smac_mpi_init(int *argc, char ***argv, int *rank, int *size, smac_error *err)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *size = 1;
    return no_mpi(err);
}

void smac_mpi_finalize(void) {}
void smac_mpi_abort(int code) { (void)code; }

smac_mpi_pool *smac_mpi_pool_new(double heartbeat_timeout, smac_error *err)
{
    (void)heartbeat_timeout;
    no_mpi(err);
    return NULL;
}

void smac_mpi_pool_on_lost(smac_mpi_pool *pool, void (*fn)(void *data), void *data)
{
    (void)pool;
    (void)fn;
    (void)data;
}

int smac_mpi_pool_workers(const smac_mpi_pool *pool) { (void)pool; return 0; }
int smac_mpi_pool_workers_used(const smac_mpi_pool *pool) { (void)pool; return 0; }
int smac_mpi_pool_free(smac_mpi_pool *pool) { (void)pool; return 0; }

int smac_remote_start(const smac_runner_config *cfg, const smac_run_request *req, smac_remote_job **out,
                      smac_error *err)
{
    (void)cfg;
    (void)req;
    *out = NULL;
    return no_mpi(err);
}

int smac_remote_progress(smac_remote_job *j, smac_error *err)
{
    (void)j;
    return no_mpi(err);
}

int smac_remote_done(const smac_remote_job *j) { (void)j; return 1; }

int smac_remote_kill(smac_remote_job *j, int hard)
{
    (void)j;
    (void)hard;
    return -1;
}

int smac_remote_finish(smac_remote_job *j, smac_run_value *out, smac_run_measure *m, smac_error *err)
{
    (void)j;
    memset(out, 0, sizeof *out);
    if (m)
        memset(m, 0, sizeof *m);
    return no_mpi(err);
}

void smac_remote_free(smac_remote_job *j) { (void)j; }

#endif
