/*
 * smac — Sequential Model-based Algorithm Configuration, in C.
 *
 * The public API. Everything else in the library is private. Conventions:
 *   - functions that can fail return an int status (0 = ok, negative = failure)
 *     and fill a caller-provided smac_error (may be NULL);
 *   - every *_new has a matching *_free; strings returned as `char *` are the
 *     caller's to free();
 *   - the library never exits or aborts on bad input.
 */
#ifndef SMAC_H
#define SMAC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMAC_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

enum {
    SMAC_OK = 0,
    SMAC_ERR_PARSE = -1,   /* malformed input text */
    SMAC_ERR_IO = -2,      /* a file could not be read or written */
    SMAC_ERR_INVALID = -3, /* well-formed but semantically wrong input */
    SMAC_ERR_NOMEM = -4,
    SMAC_ERR_RUNTIME = -5  /* anything else (target failed to start, ...) */
};

/* An error value. `message` is the full human text, already prefixed with
 * "file:line:column: " when the input had a location (line/column 0 = none). */
typedef struct smac_error {
    int code;
    int line;
    int column;
    char file[512];
    char message[1024];
} smac_error;

/* ------------------------------------------------------- random numbers */

/* xoshiro256** seeded through splitmix64: same seed and stream, same
 * sequence on every platform. No global state; copy freely. */
typedef struct smac_rng {
    uint64_t s[4];
} smac_rng;

void smac_rng_seed(smac_rng *rng, uint64_t seed, uint64_t stream);
uint64_t smac_rng_u64(smac_rng *rng);
double smac_rng_uniform(smac_rng *rng);            /* [0, 1) with 53 random bits */
uint64_t smac_rng_below(smac_rng *rng, uint64_t n); /* uniform in [0, n), unbiased; n > 0 */
double smac_rng_normal(smac_rng *rng);             /* standard normal (polar method) */

/* --------------------------------------------------- configuration space */

typedef struct smac_cs smac_cs;

typedef enum smac_param_type {
    SMAC_PARAM_REAL,
    SMAC_PARAM_INTEGER,
    SMAC_PARAM_CATEGORICAL,
    SMAC_PARAM_ORDINAL,
    SMAC_PARAM_CONSTANT
} smac_param_type;

typedef enum smac_cs_format {
    SMAC_CS_AUTO,    /* as SMAC3: .json -> JSON; else old PCS, falling back to pcs_new */
    SMAC_CS_PCS,     /* old (SMAC2/ParamILS) PCS */
    SMAC_CS_PCS_NEW, /* ConfigSpace pcs_new */
    SMAC_CS_JSON     /* ConfigSpace JSON, format version 0.2 */
} smac_cs_format;

/* Reading and writing. `filename` is used for format detection and messages. */
int smac_cs_read_file(const char *path, smac_cs_format fmt, smac_cs **out, smac_error *err);
int smac_cs_read_text(const char *text, size_t len, const char *filename, smac_cs_format fmt,
                      smac_cs **out, smac_error *err);
/* Returns a malloc'd text of the space in the given format (not AUTO), or NULL with err set. */
char *smac_cs_write(const smac_cs *cs, smac_cs_format fmt, smac_error *err);
/* The format a successful read ended up using (AUTO resolved). */
smac_cs_format smac_cs_source_format(const smac_cs *cs);

void smac_cs_free(smac_cs *cs);

/* Inspection. Parameters are numbered 0..n-1 in SMAC3's canonical order. */
int smac_cs_n_params(const smac_cs *cs);
int smac_cs_n_conditions(const smac_cs *cs);  /* conditioned children */
int smac_cs_n_forbiddens(const smac_cs *cs);
const char *smac_cs_param_name(const smac_cs *cs, int i);
smac_param_type smac_cs_param_type(const smac_cs *cs, int i);
int smac_cs_param_index(const smac_cs *cs, const char *name); /* -1 if unknown */

/* Configurations are vectors of n_params doubles in the unit encoding:
 * numeric -> [0,1] (log scale where the parameter is log), categorical and
 * ordinal -> choice index, constant -> 0, inactive -> NaN. */
void smac_cs_default(const smac_cs *cs, double *vec);
int smac_cs_sample(const smac_cs *cs, smac_rng *rng, double *vec, smac_error *err);
/* 0 if valid; otherwise SMAC_ERR_INVALID with a message naming the parameter,
 * condition or forbidden clause that is violated. */
int smac_cs_check(const smac_cs *cs, const double *vec, smac_error *err);

/* Value text as SMAC3 passes it to targets (Python str: ints plain, floats
 * repr, strings verbatim). Returns the length written (snprintf semantics). */
int smac_cs_value_text(const smac_cs *cs, int i, double unit, char *buf, size_t n);
/* Parses a value given as text into its unit encoding. */
int smac_cs_parse_value(const smac_cs *cs, int i, const char *text, double *unit, smac_error *err);

/* The configuration as ConfigSpace prints it ("Configuration:\n  name, Value: repr\n..."),
 * malloc'd. */
char *smac_cs_config_repr(const smac_cs *cs, const double *vec);

/* One-exchange neighbourhood (lazy): each call to _next writes one neighbour
 * of the centre configuration and returns 1, or returns 0 when exhausted. */
typedef struct smac_neighbourhood smac_neighbourhood;
smac_neighbourhood *smac_neighbourhood_new(const smac_cs *cs);
void smac_neighbourhood_reset(smac_neighbourhood *nb, const double *centre, uint64_t seed);
int smac_neighbourhood_next(smac_neighbourhood *nb, double *out);
void smac_neighbourhood_free(smac_neighbourhood *nb);

/* ------------------------------------------------------ target-run results */

/* SMAC3's StatusType, with its numeric values (formats.md §5.4). */
typedef enum smac_status {
    SMAC_STATUS_SUCCESS = 1,
    SMAC_STATUS_TIMEOUT = 2,
    SMAC_STATUS_CRASHED = 3,
    SMAC_STATUS_ABORT = 4,
    SMAC_STATUS_MEMOUT = 5,
    SMAC_STATUS_CAPPED = 6,
    SMAC_STATUS_DONOTADVANCE = 7,
    SMAC_STATUS_STOP = 8,
    SMAC_STATUS_RUNNING = 9
} smac_status;

/* "SUCCESS", "TIMEOUT", ... or NULL for a value outside the enum. */
const char *smac_status_name(smac_status status);
/* Parses "SUCCESS" or "StatusType.SUCCESS" (case-sensitive); -1 if unknown. */
int smac_status_parse(const char *text);

/* What one target run produced, as stored in a run history. */
typedef struct smac_run_value {
    double cost;
    double time;             /* runtime reported (or measured) */
    smac_status status;
    double starttime;        /* Unix epoch seconds */
    double endtime;
    char *additional_info;   /* a JSON object's text, or NULL for null; owned (free()) */
} smac_run_value;

/* An in-process target for library users: evaluate `config` on `instance`
 * (NULL when the scenario has none) with `seed`, `cutoff` (seconds, or
 * INFINITY) and `budget` (0 when unused), and fill out->cost, out->time,
 * out->status (additional_info may be left NULL). Return 0; a non-zero return
 * counts as a crash. With several workers it is called from several threads
 * at once and must be thread-safe. */
typedef int (*smac_target_fn)(const smac_cs *cs, const double *config, const char *instance,
                              uint64_t seed, double cutoff, double budget,
                              smac_run_value *out, void *data);

/* ------------------------------------------------------------ scenarios */

/* A scenario: what to optimise and how. Options travel by name, with any of
 * the spellings SMAC3 accepts in a scenario file or on its command line:
 *     smac_scenario_set(sc, "run_obj", "quality", &err);
 *     smac_scenario_set(sc, "shared_model", "true", &err);
 * Values set through the API win over values read from a file. */
typedef struct smac_scenario smac_scenario;

smac_scenario *smac_scenario_new(void);
void smac_scenario_free(smac_scenario *sc);
int smac_scenario_set(smac_scenario *sc, const char *name, const char *value, smac_error *err);
int smac_scenario_read_file(smac_scenario *sc, const char *path, smac_error *err);
/* Uses a space built in code (takes ownership, also on failure) instead of `paramfile`. */
int smac_scenario_set_cs(smac_scenario *sc, smac_cs *cs, smac_error *err);
/* Text of an option as set, else its default; NULL for unknown names. */
const char *smac_scenario_get(const smac_scenario *sc, const char *name);

/* ------------------------------------------------------------ optimising */

typedef struct smac_optimizer smac_optimizer;

/* Checks the scenario (reading the files it names) and builds an optimiser
 * for it; the scenario must outlive the optimiser. NULL with err set when the
 * scenario cannot be used. */
smac_optimizer *smac_optimizer_new(smac_scenario *sc, smac_error *err);
/* Makes `fn` the target instead of the scenario's command line (`algo`). */
int smac_optimizer_set_target(smac_optimizer *opt, smac_target_fn fn, void *data);
/* Runs the optimisation to the end of its budgets, writing the output folder
 * (none when output_dir is ""). */
int smac_optimizer_run(smac_optimizer *opt, smac_error *err);
/* Asks a running optimisation to stop after saving what it has (safe from a
 * signal handler or another thread). */
void smac_optimizer_stop(smac_optimizer *opt);
/* The incumbent (n_params doubles) and its estimated cost; returns 0 when
 * there is none yet. Either pointer may be NULL. */
int smac_optimizer_incumbent(const smac_optimizer *opt, double *config, double *cost);
void smac_optimizer_free(smac_optimizer *opt);

/* Ask and tell: drive the loop yourself instead of smac_optimizer_run.
 *     smac_trial t;
 *     while (smac_ask(opt, &t, &err) == 1) {
 *         smac_run_value v = {.cost = evaluate(t.config, t.instance, t.seed), .status = SMAC_STATUS_SUCCESS};
 *         smac_tell(opt, &t, &v, &err);
 *     }
 *     smac_optimizer_finish(opt, &err);
 * Up to n_workers trials may be open at once. The strings and the config of
 * a trial stay valid until it is told. */
typedef struct smac_trial {
    long token;                    /* identifies the trial for smac_tell */
    int config_id;                 /* the configuration's id in runhistory.json */
    const double *config;          /* n_params values, unit encoding (smac_cs_value_text prints them) */
    const char *instance;          /* NULL when the scenario has no instances */
    const char *instance_specific; /* NULL when none */
    uint64_t seed;
    double cutoff;                 /* seconds, INFINITY when none */
    int capped;                    /* 1 if adaptive capping lowered the cutoff */
    double budget;
} smac_trial;

/* 1 with *trial filled; 0 when a budget is exhausted (or a stop was asked);
 * negative on error, e.g. SMAC_ERR_INVALID when n_workers trials are open. */
int smac_ask(smac_optimizer *opt, smac_trial *trial, smac_error *err);
/* The result of an asked trial (status, cost, time; start/end times and
 * additional_info optional). */
int smac_tell(smac_optimizer *opt, const smac_trial *trial, const smac_run_value *result, smac_error *err);
/* Saves runhistory.json and stats.json and logs the final statistics. */
int smac_optimizer_finish(smac_optimizer *opt, smac_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SMAC_H */
