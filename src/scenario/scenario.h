/*
 * Scenarios: what to optimise and how (formats.md §1, §2, §4, §6.2).
 *
 * One table of options (options.c) drives three ways of setting them:
 *   - a scenario file in SMAC3 v1.1's syntax   smac_scenario_read_file()
 *   - command-line flags                       smac_scenario_parse_args()
 *   - the C API, by name                       smac_scenario_set(sc, "shared_model", "true")
 * Values given on the command line or through the API always win over values
 * from a file, whatever the order of the calls (SMAC3: "the command line
 * overrides the file"). Every value is checked when it is set, so an error
 * names the file and line it came from.
 *
 * smac_scenario_finish() then validates the combination (run_obj, cutoff,
 * overall_obj ...), applies SMAC3's derived settings (par_factor, use_ta_time,
 * the default pSMAC glob) and loads the files the scenario names: the
 * configuration space, the instance lists and the instance features. After
 * that the scenario is immutable and the rest of the engine reads the resolved
 * fields of struct smac_scenario directly.
 */
#ifndef SMAC_SCENARIO_H
#define SMAC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "smac.h"

typedef struct smac_scenario smac_scenario;

/* ------------------------------------------------------------ option table */

typedef enum smac_option_kind {
    SMAC_OPT_MAIN,     /* command line / API only; ignored with a warning in a file */
    SMAC_OPT_SMAC,     /* SMAC options: anywhere, not written to scenario.txt */
    SMAC_OPT_SCENARIO  /* scenario options: anywhere, written to scenario.txt */
} smac_option_kind;

typedef enum smac_option_type {
    SMAC_OPT_BOOL,     /* truthy: y yes t true on 1 / n no f false off 0 (any case) */
    SMAC_OPT_PYBOOL,   /* Python bool(str): any non-empty text is true (rf_do_bootstrapping) */
    SMAC_OPT_INT,
    SMAC_OPT_SEED,     /* integer in [0, 2^32-1] (numpy's seed range) */
    SMAC_OPT_FLOAT,
    SMAC_OPT_STRING,
    SMAC_OPT_PATH,     /* a file or folder name; empty text means none (as SMAC3) */
    SMAC_OPT_CHOICE,   /* one of `choices` (case-sensitive unless `lowercase`) */
    SMAC_OPT_ARGV,     /* POSIX shell-like split into words: quotes, backslashes, no shell */
    SMAC_OPT_PATHLIST, /* 0..n file names (flag: the following words) */
    SMAC_OPT_OBJECTIVE,/* overall_obj: PARx / parx / MEANx / meanx / mean / par */
    SMAC_OPT_HELP      /* --help / --help-all: an action, takes no value */
} smac_option_type;

/* Range a numeric value must lie in (checked when it is set). */
typedef enum smac_option_check {
    SMAC_CHECK_NONE,
    SMAC_CHECK_NOT_NAN,      /* any number but nan */
    SMAC_CHECK_NONNEG,       /* >= 0 (inf allowed) */
    SMAC_CHECK_POSITIVE,     /* > 0 (inf allowed) */
    SMAC_CHECK_POS_FINITE,   /* > 0 and finite */
    SMAC_CHECK_OPEN01,       /* (0, 1) */
    SMAC_CHECK_HALF01,       /* (0, 1] */
    SMAC_CHECK_UNIT,         /* [0, 1] */
    SMAC_CHECK_GE0,          /* integers >= 0 */
    SMAC_CHECK_GE1           /* integers >= 1 */
} smac_option_check;

typedef struct smac_option {
    const char *name;                 /* canonical name (the usual scenario-file key) */
    smac_option_kind kind;
    smac_option_type type;
    const char *const *aliases;       /* extra scenario-file keys (exact spelling), NULL-terminated */
    const char *const *flags;         /* flag spellings without "--", NULL-terminated; every
                                         flag is also accepted with '_' and '-' swapped */
    const char *const *choices;       /* SMAC_OPT_CHOICE: allowed values, NULL-terminated */
    const int *choice_values;         /* stored value per choice, or NULL to store the index */
    bool lowercase;                   /* choice: value is lower-cased before matching */
    smac_option_check check;
    const char *default_text;         /* as `smac_scenario_get` returns it; NULL = none */
    size_t offset;                    /* where the value lives in struct smac_scenario,
                                         SMAC_OPT_NO_FIELD when it is only checked/kept as text */
    bool hidden;                      /* shown by --help-all only */
    const char *help;
} smac_option;

#define SMAC_OPT_NO_FIELD ((size_t)-1)

/* The whole table, in help order (main, SMAC, scenario options). */
const smac_option *smac_scenario_options(size_t *n);
/* Looks an option up by any of its names or flag spellings (with or without
 * "--"; '_' and '-' interchangeable; scenario-file aliases included). */
const smac_option *smac_scenario_option_find(const char *name);
/* Prints the option table as --help does; `all` adds the hidden options. */
void smac_scenario_print_help(FILE *out, const char *prog, int all);

/* ------------------------------------------------------- resolved values */

typedef enum smac_run_obj {
    SMAC_RUN_OBJ_UNSET = -1,
    SMAC_RUN_OBJ_RUNTIME = 0,
    SMAC_RUN_OBJ_QUALITY = 1
} smac_run_obj;

typedef enum smac_mode {
    SMAC_MODE_SMAC4AC, SMAC_MODE_ROAR, SMAC_MODE_HYDRA, SMAC_MODE_PSMAC,
    SMAC_MODE_SMAC4HPO, SMAC_MODE_SMAC4BB
} smac_mode;

typedef enum smac_initial_design {
    SMAC_INIT_DEFAULT, SMAC_INIT_RANDOM, SMAC_INIT_LHD, SMAC_INIT_SOBOL, SMAC_INIT_FACTORIAL
} smac_initial_design;

typedef enum smac_transform_y {
    SMAC_TRANSFORM_NONE, SMAC_TRANSFORM_LOG, SMAC_TRANSFORM_LOGS, SMAC_TRANSFORM_INVS
} smac_transform_y;

typedef enum smac_hydra_validation {
    SMAC_HYDRA_VAL_TRAIN, SMAC_HYDRA_VAL10, SMAC_HYDRA_VAL20, SMAC_HYDRA_VAL30,
    SMAC_HYDRA_VAL40, SMAC_HYDRA_VAL50, SMAC_HYDRA_VAL_NONE
} smac_hydra_validation;

/* A list of owned strings (argv of the target, lists of files). */
typedef struct smac_strlist {
    char **items;
    size_t n;
} smac_strlist;

/* One instance: its name (opaque to us; passed to the target and used as the
 * key in run histories) and its instance-specific text ("0" when the
 * instance file gives none). */
typedef struct smac_instance {
    char *name;
    char *specific;
} smac_instance;

/* An instance file's content. `all` keeps every line in file order,
 * duplicates included; `items` is the de-duplicated list (first occurrence
 * kept) that intensification uses. The strings of `items` belong to `all`. */
typedef struct smac_instance_set {
    smac_instance *all;
    size_t n_all;
    smac_instance *items;
    size_t n;
} smac_instance_set;

/* A feature file's content, plus the training-feature matrix the model uses. */
typedef struct smac_features {
    size_t n_features;
    char **names;           /* header names, trimmed */
    size_t n_rows;          /* distinct instance names in the file */
    char **row_names;
    double *rows;           /* n_rows x n_features, row-major; a repeated name keeps its last row */
    double *train;          /* n_train x n_features: row i belongs to train.items[i] */
    struct scen_name_index *index; /* private: row lookup by name */
} smac_features;

struct smac_scenario_state; /* private: texts, sources and file lines of the values */

/* Every field below is valid after smac_scenario_finish(). Strings are owned
 * by the scenario; NULL means "none". */
struct smac_scenario {
    /* main options (formats.md §1.1) */
    char *scenario_file;
    uint64_t seed;                    /* also the run id: <output_dir>/run_<seed> */
    int verbose;                      /* smac_log_level: SMAC_LOG_INFO or SMAC_LOG_DEBUG */
    int mode;                         /* smac_mode */
    char *restore_state;
    smac_strlist warmstart_runhistory;
    smac_strlist warmstart_scenario;
    smac_strlist warmstart_incumbent;
    int hydra_iterations;
    int hydra_validation;             /* smac_hydra_validation */
    int incumbents_per_round;
    int n_optimizers;
    bool psmac_validate;
    int help;                         /* 1 after --help, 2 after --help-all: print and stop */

    /* SMAC options (formats.md §1.2) */
    bool abort_on_first_run_crash;
    bool limit_resources;
    int minR;
    int maxR;
    char *output_dir;                 /* "" = write no output at all */
    char *input_psmac_dirs;           /* glob; SMAC3's default glob when shared_model and unset */
    bool shared_model;
    bool use_ta_time;
    double intensification_percentage;
    int transform_y;                  /* smac_transform_y, as given (the facade forces LOG for runtime) */
    int rf_num_trees;
    bool rf_do_bootstrapping;
    double rf_ratio_features;
    int rf_min_samples_split;
    int rf_min_samples_leaf;
    int rf_max_depth;
    int sls_n_steps_plateau_walk;
    int sls_max_steps;                /* -1 = none (unused in v1.1) */
    int acq_opt_challengers;
    double intens_adaptive_capping_slackfactor;
    int intens_min_chall;
    double rand_prob;
    int n_workers;                    /* target runs kept going at once (>= 1) */

    /* scenario options (formats.md §1.3) */
    smac_strlist algo;                /* target command line, split into words; n = 0: none */
    char *execdir;
    bool deterministic;
    int run_obj;                      /* smac_run_obj */
    char *overall_obj;                /* as given, e.g. "PAR10" */
    double par_factor;                /* from overall_obj: par10 -> 10, mean -> 1 */
    double cost_for_crash;
    double cutoff;                    /* seconds; INFINITY if none */
    double memory_limit;              /* MB; INFINITY if none */
    double tuner_timeout;             /* seconds of target time; INFINITY if none */
    double wallclock_limit;           /* seconds; INFINITY if none */
    bool always_race_default;         /* dead in v1.1 (kept for scenario.txt) */
    double runcount_limit;            /* INFINITY if none */
    char *instance_file;
    char *test_instance_file;
    char *feature_file;
    int initial_incumbent;            /* smac_initial_design */
    char *paramfile;
    bool save_results_instantly;

    /* loaded by smac_scenario_finish() */
    smac_instance_set train;          /* empty (n = 0) when there is no instance file */
    smac_instance_set test;
    smac_features features;           /* n_features = 0 when there is no feature file */
    bool has_features;
    smac_cs *cs;                      /* owned */

    struct smac_scenario_state *state;
};

/* ------------------------------------------------------------------ verbs */

/* A scenario holding the defaults. NULL if memory runs out. Free with
 * smac_scenario_free(). */
smac_scenario *smac_scenario_new(void);
void smac_scenario_free(smac_scenario *sc);

/* Sets one option by any of its names (as smac_scenario_option_find).
 * `value` is text, parsed as the flag would be. API values rank with the
 * command line: a file read later does not override them. */
int smac_scenario_set(smac_scenario *sc, const char *name, const char *value, smac_error *err);

/* Reads a scenario file (formats.md §2). Errors say "file:line: ...". */
int smac_scenario_read_file(smac_scenario *sc, const char *path, smac_error *err);
/* The same for text already in memory; `filename` is used in messages. */
int smac_scenario_read_text(smac_scenario *sc, const char *text, size_t len, const char *filename,
                            smac_error *err);

/* Parses a command line: argv[0] is the program name and is skipped. Takes
 * `--name value` and `--name=value`; `--scenario FILE` is read as a file
 * (after all flags, which override it). After `--help`/`--help-all` nothing
 * else is read: sc->help is set and the caller prints the help. */
int smac_scenario_parse_args(smac_scenario *sc, int argc, char **argv, smac_error *err);

/* Gives the scenario a configuration space built in code (takes ownership,
 * also on failure); `paramfile` is then not needed. */
int smac_scenario_set_cs(smac_scenario *sc, smac_cs *cs, smac_error *err);

/* Validates, derives and loads (see the top of this file). Calling it again
 * does nothing; setting options after it fails. */
int smac_scenario_finish(smac_scenario *sc, smac_error *err);

/* Text of an option as it was set, else its default text; NULL for an
 * unknown name or an option without a value. Valid until the option changes. */
const char *smac_scenario_get(const smac_scenario *sc, const char *name);
/* Whether the option was given (file, command line or API) rather than defaulted. */
bool smac_scenario_is_set(const smac_scenario *sc, const char *name);

/* Looks an instance's features up by name; NULL if the feature file has no row. */
const double *smac_scenario_features_of(const smac_scenario *sc, const char *instance);

/* ----------------------------------------------------------- scenario.txt */

/* Where the output folder put its copies of the scenario's files; a NULL
 * entry writes the scenario's own path. */
typedef struct smac_scenario_copies {
    const char *paramfile;           /* for a .pcs input: the generated .json */
    const char *instance_file;
    const char *test_instance_file;
    const char *feature_file;
} smac_scenario_copies;

/* The scenario.txt SMAC3 v1.1 writes into the run folder (formats.md §6.2):
 * scenario options only, SMAC3's names and order, Python str() values.
 * `copies` may be NULL. Returns malloc'd text, NULL if memory runs out. */
char *smac_scenario_write_txt(const smac_scenario *sc, const smac_scenario_copies *copies);

#endif
