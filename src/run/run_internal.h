/*
 * Internals shared by the files of src/run/ only: the bounded output scanner
 * (outscan.c), the shepherd process (shepherd.c) and the message protocol
 * between the shepherd and the caller (process.c).
 *
 * Everything the shepherd touches after fork() is allocated before the fork:
 * the caller may have other threads, so the child restricts itself to system
 * calls and plain code over those buffers (no malloc, no stdio).
 */
#ifndef SMAC_RUN_INTERNAL_H
#define SMAC_RUN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "run/runner.h"

/* Bytes kept of one result line and of the tail of stdout and of stderr. */
#define SMAC_RUN_LINE_MAX 65536
#define SMAC_RUN_TAIL_MAX 65536

/* ------------------------------------------------------------ output scanner */

/* The last `cap` bytes written to a stream (a ring). */
typedef struct smac_tail {
    char *buf;
    size_t cap;
    uint64_t total; /* bytes ever fed */
} smac_tail;

int smac_tail_init(smac_tail *t, size_t cap);
void smac_tail_free(smac_tail *t);
void smac_tail_feed(smac_tail *t, const char *data, size_t len);
size_t smac_tail_len(const smac_tail *t);
/* The kept bytes in order as at most two pieces (b may be empty). */
void smac_tail_pieces(const smac_tail *t, const char **a, size_t *alen, const char **b, size_t *blen);

/* Finds the last result line of a stream fed in arbitrary chunks. Lines end
 * at '\n' or '\r' (Python's universal newlines); the unterminated last line
 * counts once smac_outscan_end is called. Only lines that start like a result
 * line are buffered; one longer than SMAC_RUN_LINE_MAX is kept truncated and
 * flagged. */
typedef struct smac_outscan {
    smac_tae_kind kind;
    char *cand;          /* the line being read, while it may be a result line */
    size_t cand_len;
    int cand_over;
    int mode;            /* 0 line start/undecided, 1 matched a prefix, 2 skipping the line */
    char *result;        /* the last complete result line (not NUL-terminated) */
    size_t result_len;
    int result_over;
    int have_result;
} smac_outscan;

int smac_outscan_init(smac_outscan *s, smac_tae_kind kind);
void smac_outscan_free(smac_outscan *s);
void smac_outscan_feed(smac_outscan *s, const char *data, size_t len);
void smac_outscan_end(smac_outscan *s);

/* ----------------------------------------------------------------- shepherd */

#define SMAC_SHEPHERD_MAGIC 0x534d4143 /* "SMAC" */

/* Where starting the target failed (hello.stage). */
enum { SHEPHERD_STARTED = 0, SHEPHERD_FAIL_SETUP = 1, SHEPHERD_FAIL_CHDIR = 2,
       SHEPHERD_FAIL_RLIMIT = 3, SHEPHERD_FAIL_EXEC = 4, SHEPHERD_FAIL_FORK = 5 };

/* First message: the target was started (or why not). */
typedef struct shepherd_hello {
    int32_t magic;
    int32_t stage;
    int32_t err_no;
    int32_t pid;
} shepherd_hello;

enum {
    SHEPHERD_KILLED_AT_CUTOFF = 1,
    SHEPHERD_KILLED_ON_REQUEST = 2,
    SHEPHERD_HAVE_RESULT = 4,
    SHEPHERD_RESULT_OVERLONG = 8,
    SHEPHERD_LEFTOVERS = 16
};

/* Second and last message, followed by result_len + out_len + err_len bytes. */
typedef struct shepherd_report {
    int32_t magic;
    int32_t wait_status;
    int32_t flags;
    int32_t reserved;
    double wall_time;
    double user_cpu, sys_cpu;
    int64_t max_rss_kb;
    uint64_t result_len, out_len, err_len;
} shepherd_report;

/* Everything the shepherd needs, prepared by the caller before fork. */
typedef struct shepherd_args {
    char **argv;              /* the target call */
    const char *execdir;      /* NULL = stay */
    double term_after;        /* seconds after the start to send SIGTERM; INFINITY = never */
    double kill_delay;        /* SIGTERM -> SIGKILL */
    double memory_limit_mb;   /* 0 = none */
    long cpu_limit_s;         /* 0 = none */
    int sock;                 /* our end of the socket pair with the caller */
    smac_outscan *scan;
    smac_tail *out_tail, *err_tail;
    char *chunk;              /* read buffer */
    size_t chunk_cap;
    char *pathbuf;            /* PATH search scratch */
    size_t pathbuf_cap;
} shepherd_args;

/* Runs in the child of fork(); never returns. */
void smac_shepherd_main(const shepherd_args *a)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

/* ------------------------------------------------------------ job outcome */

/* What the caller learned from a finished shepherd, turned into a run value
 * (runner.c). `result` is the last result line (NULL = none); tails may be NULL. */
typedef struct smac_job_report {
    int wait_status;
    int flags;
    double wall_time, cpu_time;
    long max_rss_kb;
    int pid;
    const char *result;
    size_t result_len;
    const char *out_tail, *err_tail;
} smac_job_report;

int smac_job_outcome(const smac_runner_config *cfg, const smac_run_request *req,
                     const smac_job_report *rep, double starttime, smac_run_value *out,
                     smac_run_measure *m, smac_error *err);

/* ------------------------------------------------------------ callbacks */

/* One call of a target function as it happened (callback.c). */
typedef struct smac_callback_call {
    int frc;                 /* what the function returned */
    smac_run_value v;        /* what it filled in; additional_info owned */
    double start, end;       /* wall clock (Unix epoch) */
    double wall, cpu;        /* monotonic duration, CPU time of the calling thread */
} smac_callback_call;

/* SMAC_ERR_INVALID when the call cannot be made (no function; runtime
 * objective without cutoff). */
int smac_callback_check(const smac_runner_config *cfg, const smac_run_request *req, smac_error *err);
/* Calls the function and measures it; safe on any thread (no logging). */
void smac_callback_invoke(const smac_runner_config *cfg, const smac_run_request *req, smac_callback_call *c);
/* §5.3 on a call record; takes c->v.additional_info. Caller's thread. */
int smac_callback_judge(const smac_runner_config *cfg, const smac_run_request *req, smac_callback_call *c,
                        smac_run_value *out, smac_run_measure *m, smac_error *err);

/* A callback job: the function on a thread of its own (callback_job.c). */
typedef struct smac_cbjob smac_cbjob;
int smac_cbjob_start(const smac_runner_config *cfg, const smac_run_request *req, smac_cbjob **out,
                     smac_error *err);
/* Readable once the function has returned; -1 when done. */
int smac_cbjob_fd(const smac_cbjob *j);
/* Looks at the descriptor without blocking; joins the thread when it is done. */
void smac_cbjob_check(smac_cbjob *j);
int smac_cbjob_done(const smac_cbjob *j);
/* Functions cannot be interrupted: marks the job and returns 0, -1 if done. */
int smac_cbjob_kill(smac_cbjob *j);
/* Waits for the function (join) and applies §5.3. */
int smac_cbjob_finish(smac_cbjob *j, smac_run_value *out, smac_run_measure *m, smac_error *err);
/* Waits for a function still running, then frees. */
void smac_cbjob_free(smac_cbjob *j);

/* ----------------------------------------------------------- remote jobs */

/* A run handed to an MPI worker (mpi_pool.c; stubs without MPI). There is no
 * descriptor to poll: smac_job_wait calls smac_remote_progress, which reads
 * every message that has arrived for the job's pool without blocking. */
typedef struct smac_remote_job smac_remote_job;
int smac_remote_start(const smac_runner_config *cfg, const smac_run_request *req, smac_remote_job **out,
                      smac_error *err);
int smac_remote_progress(smac_remote_job *j, smac_error *err);
int smac_remote_done(const smac_remote_job *j);
int smac_remote_kill(smac_remote_job *j, int hard);
int smac_remote_finish(smac_remote_job *j, smac_run_value *out, smac_run_measure *m, smac_error *err);
void smac_remote_free(smac_remote_job *j);

/* ------------------------------------------------------- local processes */

/* smac_job_start for a command-line run whose argument vector is already
 * built (an MPI worker gets the parameter texts, not the configuration):
 * argv is borrowed; req->cs and req->config are not used. */
int smac_job_start_argv(const smac_runner_config *cfg, const smac_run_request *req, char **argv,
                        smac_job **out, smac_error *err);

/* The (name, value) texts of the active parameters of req->config in the
 * canonical order: *pairs holds 2 * *n pointers (names into the space,
 * values into *block); free *pairs and *block. */
int smac_param_texts(const smac_run_request *req, const char ***pairs, char **block, int *n, smac_error *err);

#endif
