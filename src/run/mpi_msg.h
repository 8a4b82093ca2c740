/*
 * The messages between the optimiser (rank 0) and its MPI workers, as byte
 * strings (MPI_BYTE): encoding and decoding only, no MPI, so they are tested
 * without it. Little-endian is not assumed: integers and doubles travel in
 * the sender's byte order, which is fine for the homogeneous clusters MPI
 * jobs run on (a mismatch shows as a bad magic number, not as garbage).
 *
 *   HELLO   rank 0 -> worker  how to run targets: the runner config
 *   RUN     rank 0 -> worker  one run: job id, request scalars, instance,
 *                             instance-specific text, parameter texts
 *   KILL    rank 0 -> worker  job id, hard flag
 *   STOP    rank 0 -> worker  no body: kill what runs, say BYE, exit
 *   BEAT    worker -> rank 0  job id, while a run is in progress (1/s)
 *   RESULT  worker -> rank 0  job id, the run value, the measurements
 *   BYE     worker -> rank 0  no body: the worker is leaving
 *
 * Every body starts with a magic number and the message kind.
 */
#ifndef SMAC_RUN_MPI_MSG_H
#define SMAC_RUN_MPI_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "run/runner.h"

enum { SMAC_MSG_HELLO = 1, SMAC_MSG_RUN, SMAC_MSG_KILL, SMAC_MSG_STOP, SMAC_MSG_BEAT, SMAC_MSG_RESULT,
       SMAC_MSG_BYE };

/* A message being written; `failed` is sticky (out of memory). */
typedef struct smac_msg {
    unsigned char *data;
    size_t len, cap;
    int failed;
} smac_msg;

void smac_msg_init(smac_msg *m, int kind);
void smac_msg_free(smac_msg *m);
void smac_msg_put_i64(smac_msg *m, int64_t x);
void smac_msg_put_f64(smac_msg *m, double x);
void smac_msg_put_str(smac_msg *m, const char *s); /* NULL travels as NULL */

/* A message being read; `bad` is sticky (truncated or malformed). */
typedef struct smac_msg_reader {
    const unsigned char *data;
    size_t len, pos;
    int bad;
    int kind;
} smac_msg_reader;

/* 0 with r->kind set, or -1 when the header is not ours. */
int smac_msg_open(smac_msg_reader *r, const void *data, size_t len);
int64_t smac_msg_get_i64(smac_msg_reader *r);
double smac_msg_get_f64(smac_msg_reader *r);
/* A malloc'd copy, or NULL for a NULL string (and on error: check r->bad). */
char *smac_msg_get_str(smac_msg_reader *r);

/* ---------------------------------------------------------------- bodies */

/* How a worker runs targets: the parts of a runner config that travel
 * (algo, execdir, objective, costs, limits) plus the log level. Owned. */
typedef struct smac_worker_setup {
    smac_runner_config cfg;   /* algo_argv / execdir point into this struct */
    char **algo;              /* NULL-terminated */
    char *execdir;
    int log_level;
} smac_worker_setup;

void smac_worker_setup_free(smac_worker_setup *s);
int smac_msg_put_hello(smac_msg *m, const smac_runner_config *cfg, int log_level);
int smac_msg_get_hello(smac_msg_reader *r, smac_worker_setup *out);

/* One run: the request's scalars and texts, the parameters as (name, value)
 * texts. Owned. */
typedef struct smac_remote_request {
    int64_t job_id;
    smac_run_request req;     /* instance / instance_specific point into this struct; cs, config NULL */
    char *instance, *instance_specific;
    char **pairs;             /* 2 * n_params strings */
    int n_params;
} smac_remote_request;

void smac_remote_request_free(smac_remote_request *q);
/* Encodes req (its configuration printed as the target would get it). */
int smac_msg_put_run(smac_msg *m, int64_t job_id, const smac_run_request *req, smac_error *err);
int smac_msg_get_run(smac_msg_reader *r, smac_remote_request *out);

/* A finished run. The value's additional_info and the measure's tails are
 * owned by the caller after a get. */
int smac_msg_put_result(smac_msg *m, int64_t job_id, const smac_run_value *v, const smac_run_measure *ms);
int smac_msg_get_result(smac_msg_reader *r, int64_t *job_id, smac_run_value *v, smac_run_measure *ms);

#endif
