/*
 * Running target algorithms (formats.md §5): the command-line conventions
 * "old" (§5.1) and AClib2 (§5.2), the in-process C callback, and the rules
 * that turn what a target said into a stored run (§5.3).
 *
 * Layers, bottom up (one file each):
 *   argv.c          the argument vector SMAC3 v1.1 passes to a target;
 *   outscan.c       a bounded scanner of the target's output: keeps the last
 *                   result line and a tail of stdout/stderr, never more;
 *   result_parse.c  a result line -> status, cost, runtime, additional_info;
 *   outcome.c       §5.3 (PAR clamp, costs of crashes, CAPPED, ...);
 *   shepherd.c      the supervisor process of one command-line run;
 *   process.c       the job API over it: start / wait / finish / kill;
 *   callback.c      the in-process target;
 *   callback_job.c  a callback run in flight, on a thread of its own;
 *   mpi_pool.c      runs on MPI worker processes (mpi_pool.h);
 *   runner.c        how a finished job becomes a run value, and the blocking
 *                   smac_runner_run built on the job API.
 *
 * Process model: smac_job_start forks a small supervisor (the "shepherd")
 * that makes itself a child subreaper, starts the target in its own process
 * group with stdin = /dev/null and stdout/stderr on pipes, reads those pipes
 * while the target runs, enforces the wall-clock cutoff (SIGTERM at
 * ceil(cutoff) + kill_grace, SIGKILL kill_delay later), and, once the target
 * has exited, SIGKILLs its process group and every descendant that escaped
 * into another group or session (they are re-parented to the subreaper), so
 * nothing the target started survives the run. It then sends one report (exit
 * status, times, the result line, output tails) to the caller through a pipe
 * and exits. The caller therefore needs no threads and no SIGCHLD handler, and
 * a busy caller can never stall a target on a full pipe or delay its kill.
 * Should the calling process die, the shepherd sees its control pipe close
 * and kills the target.
 *
 * Several runs in flight (n_workers): every kind of job is waited for by the
 * same smac_job_wait. A C callback runs on a thread of its own, started by
 * smac_job_start and joined when the job is done, so with n_workers > 1 the
 * target function is called from several threads at once and MUST be
 * thread-safe (its `data` is shared by all calls; the configuration and
 * instance it gets are private copies). The threads start with every signal
 * blocked, so SIGINT/SIGTERM still reach the caller's wait. A function cannot
 * be interrupted: smac_job_kill only marks such a job, and smac_job_free
 * waits for the function to return. With runner.remote set (an MPI pool,
 * mpi_pool.h) command-line runs go to worker processes instead; their limits
 * are enforced there by the same shepherd.
 *
 * Deviations from SMAC3 v1.1 (it neither limits nor supervises targets):
 *   - no result line and the target died by a signal or exited non-zero ->
 *     CRASHED with the measured wall time (SMAC3: runtime 1234567890, which a
 *     runtime scenario turns into TIMEOUT); a clean exit 0 without a result
 *     line keeps SMAC3's outcome exactly;
 *   - killed by us at the cutoff without a result line -> TIMEOUT, time =
 *     ceil(cutoff); cost = par_factor x cutoff (runtime) or cost_for_crash
 *     (quality: the target reported no quality);
 *   - our memory limit hit (no result line, abnormal end, and an
 *     out-of-memory message in the output tail or a peak RSS at the limit) ->
 *     MEMOUT, cost as for TIMEOUT;
 *   - status word `CRASH` is read as CRASHED without the "could not parse"
 *     warning (the shared scenarios' README asks for it);
 *   - an AClib2 line uses strict JSON (jansson): bare NaN/Infinity make the
 *     line unreadable -> exception path (CRASHED) instead of a non-finite value
 *     (also CRASHED in SMAC3; only the stored time differs);
 *   - where SMAC3 takes its generic exception path (wrong field count, a
 *     number that does not parse, ...), additional_info is {"error": "..."}
 *     without a Python traceback;
 *   - a result line longer than 64 KiB is not read (exception path), and
 *     output is read as bytes (SMAC3 fails on output that is not UTF-8).
 */
#ifndef SMAC_RUN_RUNNER_H
#define SMAC_RUN_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "smac.h"

/* ------------------------------------------------------------ configuration */

typedef enum smac_tae_kind { SMAC_TAE_OLD, SMAC_TAE_ACLIB, SMAC_TAE_CALLBACK } smac_tae_kind;

typedef struct smac_runner_config {
    smac_tae_kind kind;
    char *const *algo_argv;  /* the split `algo` of the scenario (not owned) */
    int algo_argc;
    const char *execdir;     /* NULL or "." = current folder */
    int run_obj_runtime;     /* 1 = runtime objective, 0 = quality */
    double par_factor;       /* default 1 (scenario: 10 for PAR10) */
    double cost_for_crash;   /* default 2147483647.0 */
    double memory_limit_mb;  /* RLIMIT_AS of the target; 0 = none */
    int limit_cpu_time;      /* also RLIMIT_CPU: SIGXCPU at ceil(cutoff) s of CPU, SIGKILL kill_delay later */
    double kill_grace;       /* seconds after ceil(cutoff) before SIGTERM; default 1 */
    double kill_delay;       /* seconds from SIGTERM to SIGKILL; default 2 */
    smac_target_fn fn;       /* SMAC_TAE_CALLBACK; must be thread-safe when several jobs are in flight */
    void *fn_data;
    struct smac_mpi_pool *remote; /* non-NULL: command-line runs go to MPI workers (not owned) */
} smac_runner_config;

/* Fills the defaults above (everything else zero / NULL). */
void smac_runner_config_init(smac_runner_config *cfg);

typedef struct smac_run_request {
    const smac_cs *cs;             /* NULL = a call without parameters */
    const double *config;          /* unit encoding, NaN = inactive */
    const char *instance;          /* NULL = no instance (passed as "0") */
    const char *instance_specific; /* NULL = "0" */
    uint64_t seed;                 /* passed as given (0 for deterministic scenarios is the caller's business) */
    double cutoff;                 /* this run's cutoff, INFINITY = none (not allowed with runtime objective) */
    int capped;                    /* 1 if adaptive capping lowered the cutoff */
    double budget;                 /* 0 = none */
} smac_run_request;

/* What we observed of a run besides its result. Strings are owned: release
 * with smac_run_measure_free. */
typedef struct smac_run_measure {
    double wall_time;        /* seconds from the start to the target's exit (monotonic clock) */
    double cpu_time;         /* user + system CPU of the target and all descendants it (or we) reaped */
    long max_rss_kb;         /* largest peak resident set of those processes */
    int pid;                 /* the target's pid (and process-group id); 0 for callbacks */
    int exit_status;         /* exit code, or -1 when killed by a signal */
    int term_signal;         /* the signal that killed the target, 0 if it exited */
    int killed_at_cutoff;    /* we signalled it at the cutoff, or RLIMIT_CPU fired */
    int killed_on_request;   /* smac_job_kill was called before it ended */
    int memout;              /* our memory limit was (very probably) hit */
    int had_result_line;
    int leftovers;           /* descendants we could not reap within 5 s (should be 0) */
    char *stdout_tail;       /* the last <= 64 KiB of stdout / stderr, NUL-terminated, or NULL */
    char *stderr_tail;
} smac_run_measure;

void smac_run_measure_free(smac_run_measure *m);

/* ----------------------------------------------------------- argument vectors */

/* A NULL-terminated argument vector; every string and the array are malloc'd. */
void smac_argv_free(char **argv);

/* The cutoff text of a target call: ceil(cutoff) as an integer ("5"; "0" for
 * -0.3), or `none` when cutoff is infinite or NaN ("99999999999999.0" for the
 * old convention, "99999999999999" for AClib2, as SMAC3 prints them). */
void smac_cutoff_text(double cutoff, const char *none, char *buf, size_t n);

/* The argument vectors from explicit parameter texts: `params` holds n_params
 * (name, value) pairs as 2*n_params strings, in the order to pass them.
 *   old:   algo... <instance|0> <instance_specific|0> <cutoff> 0 <seed> -name value ...
 *   AClib: algo... --instance <instance|0> --cutoff <cutoff> --seed <seed> --config -name value ... */
int smac_build_argv_old_text(char *const *algo, int algo_argc, const char *instance,
                             const char *instance_specific, double cutoff, uint64_t seed,
                             const char *const *params, int n_params, char ***out, smac_error *err);
int smac_build_argv_aclib_text(char *const *algo, int algo_argc, const char *instance, double cutoff,
                               uint64_t seed, const char *const *params, int n_params, char ***out,
                               smac_error *err);

/* The argument vectors of a request: active parameters of req->config in the
 * space's canonical order, values as smac_cs_value_text prints them. */
int smac_build_argv_old(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                        smac_error *err);
int smac_build_argv_aclib(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                          smac_error *err);
/* Dispatches on cfg->kind (OLD or ACLIB). */
int smac_build_argv(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                    smac_error *err);

/* --------------------------------------------------------------- result lines */

/* What a target's run() returned in SMAC3, before §5.3. */
typedef struct smac_ta_result {
    smac_status status;
    double cost;             /* runtime objective: the runtime; quality: the quality/cost */
    double runtime;
    char *additional_info;   /* JSON object text, owned */
    int status_known;        /* 0: the status word was not recognised (-> CRASHED, warned) */
} smac_ta_result;

void smac_ta_result_clear(smac_ta_result *r);

/* Old convention (§5.1). `line` is the last result line (NULL = none);
 * `cutoff_used` the integer cutoff of the call or 99999999999999.0. Returns 0
 * with *out filled; SMAC_ERR_PARSE where SMAC3 raises (wrong field count, a
 * number that does not parse, no ':' ...), the run then takes the exception
 * path (smac_ta_result_exception); SMAC_ERR_NOMEM. */
int smac_parse_result_old(const char *line, double cutoff_used, int run_obj_runtime,
                          smac_ta_result *out, smac_error *err);
/* AClib2 convention (§5.2); `line` as above (everything after its first ':' is
 * a JSON object). Same return values. */
int smac_parse_result_aclib(const char *line, int run_obj_runtime, smac_ta_result *out,
                            smac_error *err);

/* The result-line prefixes of a convention: 1 if `line` starts with one. */
int smac_is_result_line(smac_tae_kind kind, const char *line, size_t len);

/* ---------------------------------------------------------------- §5.3 rules */

/* The cutoff a run is judged by: ceil(cutoff), or INFINITY when none. */
double smac_cutoff_int(double cutoff);

/* SMAC3's exception path: CRASHED, cost_for_crash, runtime = elapsed,
 * additional_info {"error": message}. Replaces (and frees) what r held. */
int smac_ta_result_exception(smac_ta_result *r, const smac_runner_config *cfg, double elapsed,
                             const char *message, smac_error *err);
/* Sets r to (status, cost, runtime) with additional_info {"error": message}
 * (or {} when message is NULL), for outcomes the runner decides itself. */
int smac_ta_result_set(smac_ta_result *r, smac_status status, double cost, double runtime,
                       const char *message, smac_error *err);

/* Applies §5.3 to r (moving its additional_info into out) and fills out with
 * start/end times. SMAC_ERR_INVALID for a runtime objective without cutoff or
 * DONOTADVANCE with budget 0 (SMAC3 raises there too). */
int smac_outcome_apply(const smac_runner_config *cfg, const smac_run_request *req,
                       smac_ta_result *r, double starttime, double endtime, smac_run_value *out,
                       smac_error *err);

/* --------------------------------------------------------------------- jobs */

/* One run in flight. Command-line kinds run in a supervised child process
 * (or on an MPI worker when cfg->remote is set); the callback kind runs on a
 * thread of its own, started by smac_job_start. */
typedef struct smac_job smac_job;

/* Starts a run. Returns SMAC_ERR_RUNTIME when the target could not be started
 * at all (fork failed, execdir missing, program not found or not executable):
 * no job is created then. cfg and req->cs must outlive the job; everything
 * else in req is copied. */
int smac_job_start(const smac_runner_config *cfg, const smac_run_request *req, smac_job **out,
                   smac_error *err);

/* Waits at most `timeout` seconds (0 = just look, < 0 = no limit) until at
 * least one of the n jobs is done, reading whatever the others have sent
 * meanwhile (so calling it in a loop always makes progress). Processes and
 * callback threads are waited for in one poll(); while MPI jobs are pending
 * the poll sleeps at most a few milliseconds at a time and the MPI queue is
 * read in between. Returns the number of jobs that are done — 0 on timeout,
 * or when a signal interrupted the wait first — or a negative error. NULL
 * entries are skipped. */
int smac_job_wait(smac_job *const *jobs, int n, double timeout, smac_error *err);

/* 1 once the job's report is complete (smac_job_finish will not block). */
int smac_job_done(const smac_job *job);

/* Blocks until the job is done and turns it into a run value (§5.3) and
 * measurements (m may be NULL). out->additional_info is the caller's. Can be
 * called once; the job must still be freed. */
int smac_job_finish(smac_job *job, smac_run_value *out, smac_run_measure *m, smac_error *err);

/* Asks the job to end now: hard = 0 sends SIGTERM to the target's process
 * group (SIGKILL kill_delay later), hard = 1 SIGKILL at once. Only writes one
 * byte to a pipe, so it may be called from a signal handler (not so for MPI
 * jobs, which send a message). A callback cannot be interrupted: the job is
 * only marked and runs to its end. Returns 0, or -1 if the job has already
 * ended. */
int smac_job_kill(smac_job *job, int hard);

/* The target's pid (= its process-group id); 0 for callbacks and MPI jobs. */
int smac_job_pid(const smac_job *job);
/* A descriptor that becomes readable when the job has news (for callers that
 * poll other things too); -1 once done, and always -1 for MPI jobs (which
 * only smac_job_wait sees progress on). */
int smac_job_fd(const smac_job *job);

/* Frees a job; a job still running is killed (SIGKILL) and reaped first; a
 * callback still running is waited for (it cannot be killed); an MPI job is
 * killed on its worker without waiting. */
void smac_job_free(smac_job *job);

/* ------------------------------------------------------------ blocking run */

/* Runs one target call to completion: start, wait, finish. */
int smac_runner_run(const smac_runner_config *cfg, const smac_run_request *req, smac_run_value *out,
                    smac_run_measure *m, smac_error *err);

/* The in-process target (SMAC_TAE_CALLBACK) on the calling thread, §5.3
 * applied; m may be NULL. */
int smac_callback_run(const smac_runner_config *cfg, const smac_run_request *req, smac_run_value *out,
                      smac_run_measure *m, smac_error *err);

#endif
