/*
 * An MPI worker (ranks > 0): serves the optimiser's runs one at a time until
 * it is told to stop (protocol: mpi_pool.c, messages: mpi_msg.h). Each run
 * is an ordinary supervised command-line job of this process — the same
 * shepherd, cutoff, memory and CPU limits and §5.3 rules as a local run, in
 * the execdir as this node sees it — so a target cannot outlive its run here
 * either. While it runs, the worker sends a heartbeat every second and looks
 * for KILL and STOP; idle, it polls with short sleeps instead of blocking in
 * MPI, which would spin a core (Open MPI busy-waits).
 */
#include "run/mpi_pool.h"
#include "run/mpi_msg.h"
#include "run/run_internal.h"

#ifdef SMAC_HAVE_MPI

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"

#define LOGGER "smac.tae.mpi_runner.MPIWorker"
#define BEAT_EVERY 1.0   /* seconds between heartbeats */
#define IDLE_SLEEP_MAX 2 /* ms between looks at the queue when idle */

typedef struct worker {
    int rank;
    unsigned char *buf;
    size_t cap;
    smac_worker_setup setup;
    int have_setup;
} worker;

static void sleep_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - 1000.0 * (time_t)(ms / 1000)) * 1e6)};
    nanosleep(&ts, NULL);
}

/* Receives the message an Iprobe found. */
static int recv_found(worker *w, const MPI_Status *st, smac_msg_reader *r, smac_error *err)
{
    int count = 0;
    MPI_Get_count(st, MPI_BYTE, &count);
    if (count < 0)
        count = 0;
    if ((size_t)count > w->cap) {
        unsigned char *b = realloc(w->buf, (size_t)count);
        if (!b)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory receiving an MPI message");
        w->buf = b;
        w->cap = (size_t)count;
    }
    if (MPI_Recv(w->buf, count, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
        MPI_SUCCESS)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: receive failed", w->rank);
    if (smac_msg_open(r, w->buf, (size_t)count) != 0)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: unreadable message", w->rank);
    return 0;
}

static int send_to_root(worker *w, const smac_msg *m, int kind, smac_error *err)
{
    if (m->failed)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory writing an MPI message");
    if (MPI_Send(m->data, (int)m->len, MPI_BYTE, 0, kind, MPI_COMM_WORLD) != MPI_SUCCESS)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: send to rank 0 failed", w->rank);
    return 0;
}

/* A run that did not get as far as a target result: SMAC3's exception path. */
static void crashed(const smac_runner_config *cfg, const smac_run_request *req, double elapsed,
                    const char *why, smac_run_value *v)
{
    smac_ta_result res;
    memset(&res, 0, sizeof res);
    double now = smac_clock_wall();
    memset(v, 0, sizeof *v);
    if (smac_ta_result_exception(&res, cfg, elapsed, why, NULL) != 0 ||
        smac_outcome_apply(cfg, req, &res, now - elapsed, now, v, NULL) != 0) {
        v->status = SMAC_STATUS_CRASHED;
        v->cost = cfg->cost_for_crash;
        v->time = elapsed;
        v->starttime = now - elapsed;
        v->endtime = now;
    }
    smac_ta_result_clear(&res);
}

/* Runs one request to its end and sends the result; *stop = 1 when STOP
 * came meanwhile. */
static int serve_run(worker *w, smac_remote_request *q, int *stop, smac_error *err)
{
    const smac_runner_config *cfg = &w->setup.cfg;
    smac_run_value v;
    smac_run_measure m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    char **argv = NULL;
    smac_error jerr;
    smac_error_clear(&jerr);
    int rc = cfg->kind == SMAC_TAE_ACLIB
                 ? smac_build_argv_aclib_text(cfg->algo_argv, cfg->algo_argc, q->req.instance, q->req.cutoff,
                                              q->req.seed, (const char *const *)q->pairs, q->n_params, &argv, &jerr)
                 : smac_build_argv_old_text(cfg->algo_argv, cfg->algo_argc, q->req.instance,
                                            q->req.instance_specific, q->req.cutoff, q->req.seed,
                                            (const char *const *)q->pairs, q->n_params, &argv, &jerr);
    smac_job *job = NULL;
    double t0 = smac_clock_monotonic();
    if (rc == 0)
        rc = smac_job_start_argv(cfg, &q->req, argv, &job, &jerr);
    smac_argv_free(argv);
    if (rc) {
        SMAC_ERROR(LOGGER, "%s", jerr.message);
        crashed(cfg, &q->req, smac_clock_monotonic() - t0, jerr.message, &v);
    } else {
        double last_beat = smac_clock_monotonic();
        while (!smac_job_done(job)) {
            if (smac_job_wait(&job, 1, 0.05, &jerr) < 0)
                break;
            if (smac_clock_monotonic() - last_beat >= BEAT_EVERY) {
                smac_msg b;
                smac_msg_init(&b, SMAC_MSG_BEAT);
                smac_msg_put_i64(&b, q->job_id);
                rc = send_to_root(w, &b, SMAC_MSG_BEAT, err);
                smac_msg_free(&b);
                if (rc) {
                    smac_job_free(job);
                    return rc;
                }
                last_beat = smac_clock_monotonic();
            }
            int flag = 0;
            MPI_Status st;
            if (MPI_Iprobe(0, SMAC_MSG_KILL, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag) {
                smac_msg_reader r;
                if ((rc = recv_found(w, &st, &r, err)) != 0) {
                    smac_job_free(job);
                    return rc;
                }
                int64_t id = smac_msg_get_i64(&r);
                int hard = smac_msg_get_i64(&r) != 0;
                if (!r.bad && id == q->job_id)
                    smac_job_kill(job, hard);
            }
            if (MPI_Iprobe(0, SMAC_MSG_STOP, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag && !*stop) {
                /* Received later, by the main loop; end the run now. */
                *stop = 1;
                smac_job_kill(job, 1);
            }
        }
        rc = smac_job_done(job) ? smac_job_finish(job, &v, &m, &jerr) : SMAC_ERR_RUNTIME;
        smac_job_free(job);
        if (rc) {
            SMAC_ERROR(LOGGER, "%s", jerr.message);
            smac_run_measure_free(&m);
            memset(&m, 0, sizeof m);
            crashed(cfg, &q->req, smac_clock_monotonic() - t0, jerr.message, &v);
        }
    }
    smac_msg out;
    smac_msg_init(&out, SMAC_MSG_RESULT);
    smac_msg_put_result(&out, q->job_id, &v, &m);
    rc = send_to_root(w, &out, SMAC_MSG_RESULT, err);
    smac_msg_free(&out);
    free(v.additional_info);
    smac_run_measure_free(&m);
    return rc;
}

static int say_bye(worker *w, smac_error *err)
{
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_BYE);
    int rc = send_to_root(w, &m, SMAC_MSG_BYE, err);
    smac_msg_free(&m);
    return rc;
}

int smac_mpi_worker_main(smac_error *err)
{
    worker w;
    memset(&w, 0, sizeof w);
    if (MPI_Comm_rank(MPI_COMM_WORLD, &w.rank) != MPI_SUCCESS)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "MPI is not initialised");
    int rc = 0, stop = 0;
    double idle_ms = 0.05;
    while (!stop && rc == 0) {
        int flag = 0;
        MPI_Status st;
        if (MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS) {
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: MPI_Iprobe failed", w.rank);
            break;
        }
        if (!flag) {
            sleep_ms(idle_ms);
            idle_ms = idle_ms * 2 > IDLE_SLEEP_MAX ? IDLE_SLEEP_MAX : idle_ms * 2;
            continue;
        }
        idle_ms = 0.05;
        smac_msg_reader r;
        if ((rc = recv_found(&w, &st, &r, err)) != 0)
            break;
        switch (r.kind) {
        case SMAC_MSG_HELLO:
            smac_worker_setup_free(&w.setup);
            w.have_setup = smac_msg_get_hello(&r, &w.setup) == 0;
            if (!w.have_setup) {
                rc = smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: unreadable HELLO", w.rank);
                break;
            }
            smac_log_set_level((smac_log_level)w.setup.log_level);
            break;
        case SMAC_MSG_RUN: {
            smac_remote_request q;
            if (!w.have_setup || smac_msg_get_run(&r, &q) != 0) {
                rc = smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: %s", w.rank,
                                    w.have_setup ? "unreadable RUN" : "RUN before HELLO");
                break;
            }
            rc = serve_run(&w, &q, &stop, err);
            smac_remote_request_free(&q);
            break;
        }
        case SMAC_MSG_KILL:
            break; /* for a run that has ended already */
        case SMAC_MSG_STOP:
            stop = 1;
            break;
        default:
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "MPI worker %d: unexpected message %d", w.rank, r.kind);
        }
    }
    if (stop && rc == 0) {
        /* A STOP seen during a run is still in the queue: take it out. */
        int flag = 0;
        MPI_Status st;
        smac_msg_reader r;
        while (MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) == MPI_SUCCESS && flag &&
               recv_found(&w, &st, &r, NULL) == 0)
            ;
        rc = say_bye(&w, err);
    }
    smac_worker_setup_free(&w.setup);
    free(w.buf);
    return rc;
}

#else /* !SMAC_HAVE_MPI */

#include "util/error.h"

int smac_mpi_worker_main(smac_error *err)
{
    return smac_error_set(err, SMAC_ERR_INVALID, "this smac was built without MPI (install Open MPI and rebuild)");
}

#endif
