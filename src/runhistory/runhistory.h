/*
 * The run history: every target run SMAC knows about, keyed by
 * (configuration, instance, seed, budget), with SMAC3 v1.1's rules for adding
 * and merging runs (spec algorithms.md §1, parallel.md §1.4) and its
 * runhistory.json file (formats.md §6.3).
 *
 * Configurations are interned: a configuration vector (unit encoding of the
 * space) gets a small integer id, and equal configurations get the same id.
 * "Equal" is SMAC3's notion: equal values of the active parameters, so the
 * identity key is the vector decoded to values (reals and integers decoded
 * with cs_param_from_unit, choices as their index, inactive as NaN; -0.0 is
 * 0.0 and all NaNs are one). Two vectors that decode to the same integer
 * value are the same configuration; the first vector seen is the one kept.
 * Configurations read from a file keep the values written there, so a file
 * is written back byte for byte and a configuration written by one pSMAC
 * process is recognised by the others.
 *
 * Aggregates per configuration are cached and updated on each add (O(1) for
 * a new (instance, seed) pair, O(pairs of that configuration) when a run is
 * replaced or a budget changes a pair's highest budget); nothing ever walks
 * all runs except the writer.
 *
 * Ownership: the history owns everything it stores; pointers it returns stay
 * valid until the next call that adds to it (or until it is freed), except
 * the instance names and config origins, which live as long as the history.
 */
#ifndef SMAC_RUNHISTORY_H
#define SMAC_RUNHISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "smac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a run came from (SMAC3's DataOrigin, renumbered so that the plain
 * flag `external` = 0/1 of older call sites means internal / pSMAC):
 *   INTERNAL            this process's own runs: counted, written to file;
 *   EXTERNAL_SAME       pSMAC peers' runs: counted like own runs, never written;
 *   EXTERNAL_DIFFERENT  warm-start imports: stored (model data) but never
 *                       counted in costs or instance lists, never written. */
typedef enum smac_rh_origin {
    SMAC_RH_INTERNAL = 0,
    SMAC_RH_EXTERNAL_SAME = 1,
    SMAC_RH_EXTERNAL_DIFFERENT = 2
} smac_rh_origin;

/* Scenario facts the history keeps for its consumers (EPM conversion,
 * imputation of censored runs). Stored costs are already final (the runner
 * applied PARX / cost_for_crash, formats.md §5.3): aggregation is a plain mean. */
typedef struct smac_rh_options {
    int run_obj_runtime;   /* 1: runtime objective, 0: quality */
    double par_factor;     /* from overall_obj: PAR10 -> 10, mean -> 1 */
    double cutoff;         /* seconds; INFINITY when the scenario has none */
    double cost_for_crash; /* 2147483647.0 by default */
} smac_rh_options;

/* Defaults: quality objective, par_factor 10, no cutoff, cost_for_crash 2^31-1. */
void smac_rh_options_init(smac_rh_options *o);

/* (instance, seed, budget): instance is an index into the history's instance
 * table (-1 = no instance). */
typedef struct smac_rh_isb {
    int instance;
    int64_t seed;
    double budget;
} smac_rh_isb;

/* One stored run. */
typedef struct smac_rh_run {
    int config_id;
    int instance;              /* instance index, -1 = none */
    const char *instance_name; /* NULL = none */
    int64_t seed;              /* as SMAC3 stores it (a Python int) */
    double budget;
    smac_run_value value;      /* additional_info: compact JSON text or NULL; owned by the history */
    smac_rh_origin origin;
} smac_rh_run;

typedef struct smac_runhistory smac_runhistory;

/* A new, empty history over `cs` (borrowed: must outlive the history).
 * `o` may be NULL (defaults). NULL when out of memory. */
smac_runhistory *smac_runhistory_new(const smac_cs *cs, const smac_rh_options *o);
void smac_runhistory_free(smac_runhistory *rh);

const smac_cs *smac_rh_space(const smac_runhistory *rh);
const smac_rh_options *smac_rh_get_options(const smac_runhistory *rh);

/* ------------------------------------------------------ configurations */

/* Interns the configuration `vec` (n_params doubles, unit encoding, NaN =
 * inactive) and stores its id (>= 1) in *id. A configuration not yet known
 * gets max id + 1 and keeps `origin` (copied; may be NULL) as its origin
 * string; for a known one the first origin stays. Returns 1 if the
 * configuration was new, 0 if it was known, SMAC_ERR_INVALID for a NULL
 * argument, SMAC_ERR_NOMEM. The vector is not checked against the space
 * (smac_cs_check is the caller's business). */
int smac_rh_intern_config(smac_runhistory *rh, const double *vec, const char *origin, int *id);
/* The id of `vec` without interning it, or 0 when unknown. */
int smac_rh_find_config(const smac_runhistory *rh, const double *vec);

int smac_rh_n_configs(const smac_runhistory *rh);
/* The ids of all configurations in the order they became known (n = smac_rh_n_configs). */
const int *smac_rh_config_ids(const smac_runhistory *rh);
/* The largest id in use (0 when empty); the next new configuration gets this + 1. */
int smac_rh_max_config_id(const smac_runhistory *rh);
/* The configuration's vector, or NULL for an unknown id. */
const double *smac_rh_config(const smac_runhistory *rh, int id);
/* Its origin string ("Default", "Random Search", ...) or NULL. */
const char *smac_rh_config_origin(const smac_runhistory *rh, int id);

/* ----------------------------------------------------------- instances */

/* Instances are interned strings; index -1 stands for "no instance" (NULL). */
int smac_rh_intern_instance(smac_runhistory *rh, const char *name, int *index);
/* The index of `name`: -1 for NULL, -2 when the history has never seen it. */
int smac_rh_find_instance(const smac_runhistory *rh, const char *name);
const char *smac_rh_instance_name(const smac_runhistory *rh, int index); /* NULL for -1 or out of range */
int smac_rh_n_instances(const smac_runhistory *rh);

/* ---------------------------------------------------------------- runs */

/* Adds the run (config_id, instance, seed, budget) -> *v with SMAC3's rules:
 * stored if the key is new, or `force_update`, or the stored run is RUNNING
 * and this one is not (a placeholder takes its final result, also from a
 * pSMAC peer), or the stored run is CAPPED and this one is not, or both are
 * CAPPED and this cost is larger; otherwise ignored silently. A replaced run
 * keeps its place in the insertion order and takes the new origin.
 * `external` is a smac_rh_origin. v->additional_info must be NULL or JSON
 * text (Python's dialect); it is copied in canonical compact form. With
 * options.run_obj_runtime, an integral cost of a run that is neither
 * SUCCESS nor RUNNING (SMAC3's int par_factor * ceil(cutoff)) is written to
 * runhistory.json as an int, like SMAC3 does, and so is a TIMEOUT/CAPPED
 * time equal to it (the clamped runtime).
 * Returns 1 if stored, 0 if ignored, or a negative error (unknown config id,
 * a status outside the enum, a NaN budget, malformed additional_info, NOMEM). */
int smac_rh_add(smac_runhistory *rh, int config_id, const char *instance, int64_t seed, double budget,
                const smac_run_value *v, int external, int force_update, smac_error *err);

/* Number of stored runs (all origins, RUNNING placeholders included). */
size_t smac_rh_size(const smac_runhistory *rh);
/* The i-th run in first-insertion order of its key, or NULL. */
const smac_rh_run *smac_rh_run_at(const smac_runhistory *rh, size_t i);
/* The run stored under a key, or NULL. */
const smac_rh_run *smac_rh_find(const smac_runhistory *rh, int config_id, const char *instance,
                                int64_t seed, double budget);
const smac_rh_run *smac_rh_find_idx(const smac_runhistory *rh, int config_id, int instance_index,
                                    int64_t seed, double budget);

/* ---------------------------------------------------------- aggregates */
/* A run "counts" when its origin is INTERNAL or EXTERNAL_SAME and its status
 * is neither CAPPED nor RUNNING. A configuration's counted runs are grouped
 * by (instance, seed) pair; each pair contributes the cost of its run at the
 * highest budget. */

/* Mean over the configuration's pairs (NaN when it has none; for budget 0
 * the running mean SMAC3 keeps). */
double smac_rh_cost(const smac_runhistory *rh, int id);
/* Lowest cost over all its counted runs, any budget (NaN when none). */
double smac_rh_min_cost(const smac_runhistory *rh, int id);
/* Number of its pairs (SMAC3's num_runs_per_config); 0 for unknown ids. */
int smac_rh_n_runs(const smac_runhistory *rh, int id);
/* Its pairs with their highest budget, in the order the pairs were first
 * counted (SMAC3's get_runs_for_config(only_max_observed_budget=True)).
 * No allocation: valid until the next add. *n = 0 and NULL for unknown ids. */
const smac_rh_isb *smac_rh_config_runs(const smac_runhistory *rh, int id, size_t *n);
/* All its counted (instance, seed, budget) keys, pair by pair, budgets in the
 * order they were counted (only_max_observed_budget=False). Writes at most
 * `cap` entries to `out` and returns the total number. */
size_t smac_rh_config_runs_all(const smac_runhistory *rh, int id, smac_rh_isb *out, size_t cap);
/* Mean / sum of the stored costs of the given keys of configuration `id`
 * (SMAC3's average_cost / sum_cost). Mean of no keys is NaN; a key that is
 * not stored makes both NaN. */
double smac_rh_average_cost(const smac_runhistory *rh, int id, const smac_rh_isb *keys, size_t n);
double smac_rh_sum_cost(const smac_runhistory *rh, int id, const smac_rh_isb *keys, size_t n);

/* ------------------------------------------------------------- merging */

/* Re-adds every run of `other` (same space layout) with origin `external`,
 * never forced; configurations are matched by value, unknown ones get new
 * ids here (max id + 1, in the order their first run appears). *n_new (may
 * be NULL) = number of runs stored (new or changed). */
int smac_rh_merge(smac_runhistory *rh, const smac_runhistory *other, int external, int *n_new,
                  smac_error *err);

/* ------------------------------------------------------ runhistory.json */

/* The file text in SMAC3 v1.1's layout (indent 2, no trailing newline):
 * only INTERNAL runs, configs with their ids as stored. malloc'd, or NULL
 * with err set. */
char *smac_rh_to_json(const smac_runhistory *rh, smac_error *err);
/* Writes smac_rh_to_json's text atomically (temp file + rename). */
int smac_rh_save_json(const smac_runhistory *rh, const char *path, smac_error *err);

/* Reads a runhistory.json (v1.1 layout; 3-element run keys mean budget 0;
 * Python's bare Infinity/-Infinity/NaN accepted) and adds its runs with
 * origin `external`. The whole text is parsed and checked first: on any
 * error nothing is added and err says file:line:column (or, for a value
 * the space does not allow, the config id and parameter).
 *   - Into an empty history with origin INTERNAL (restoring a run): the
 *     file's config ids are kept, and every config in "configs" is interned.
 *   - Otherwise (pSMAC peers, warm start, a second file): configurations are
 *     matched by value; unknown ones get new ids (max id + 1) in the order
 *     their first run appears; configs without runs are not interned.
 * Numbers of run values keep their JSON type (an int stays an int when
 * written back); parameter values are written in their parameter's type
 * (a real given as 5 is written 5.0). *n_new (may be NULL) = runs stored
 * (new or changed; SMAC3's log counts new keys only: compare smac_rh_size). */
int smac_rh_load_json(smac_runhistory *rh, const char *path, int external, int *n_new, smac_error *err);
/* The same from memory; `text` needs no NUL terminator, `name` is used in messages. */
int smac_rh_load_json_text(smac_runhistory *rh, const char *text, size_t len, const char *name,
                           int external, int *n_new, smac_error *err);

#ifdef __cplusplus
}
#endif
#endif
