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

#endif
