/*
 * A pSMAC group on one machine (`smac --mode PSMAC --n_optimizers N`,
 * parallel.md §2) and the pieces that turn the run folders of a finished
 * group into one answer (used by the group and by the smac-merge tool).
 *
 * The group starts N ordinary `smac` processes (fork + exec of the same
 * binary) with seeds seed, seed+1, ..., all writing run folders into one
 * group folder (psmac3-output_<timestamp>, as SMAC3 names it) and sharing
 * their runs through that folder's run_* files. It waits for them, passing
 * SIGINT/SIGTERM on so that every member stops cleanly and saves its runs,
 * then merges their run histories and names one incumbent for the group.
 *
 * Rules for "the best configuration" (SMAC3 v1.1 has none that works: its
 * PSMAC ranks the incumbents on an empty history unless --psmac_validate
 * runs them again; see parallel.md §2 and issue #446):
 *   - group (smac_psmac_rank_incumbents): the candidates are the members'
 *     own incumbents, which their intensifiers raced. They are ranked on the
 *     merged history by (1) how many of the instances in I they have runs
 *     on, I being the union of the instances any candidate ran, most first;
 *     (2) the mean over those instances of the mean cost per instance,
 *     lowest first; (3) more (instance, seed) pairs; (4) member order.
 *     No validation runs are made.
 *   - smac-merge (smac_psmac_best_config): without trajectories to trust,
 *     the configuration with the most (instance, seed) pairs in the merged
 *     history, and among those the lowest mean cost; ties go to the lower
 *     id (known first).
 */
#ifndef SMAC_PSMAC_GROUP_H
#define SMAC_PSMAC_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "runhistory/runhistory.h"
#include "scenario/scenario.h"

/* Runs the group described by a parsed command line (sc->mode == PSMAC):
 * `argc`/`argv` are that command line (argv[0] = program), passed on to the
 * members except --mode, --seed, --output_dir, --n_optimizers,
 * --shared_model, --psmac_validate and --incumbents_per_round, which the
 * group sets. `smac_exe` is the binary to start (NULL: this process's own
 * executable, else argv[0]). Finishes the scenario first, so a bad scenario
 * is reported once and nothing is started. Prints the group's incumbent in
 * the form a single run prints its own and writes the merged history to
 * <group folder>/merged_runhistory.json. Returns 0 when every member
 * finished normally; SMAC_ERR_RUNTIME when one failed or was stopped by a
 * signal (the report is still made from what was saved). Blocks SIGINT,
 * SIGTERM and SIGCHLD while it waits (restored before it returns); needs no
 * signal handler. */
int smac_psmac_group_run(smac_scenario *sc, const char *smac_exe, int argc, char **argv, smac_error *err);

/* The argument vector for one member (NULL-terminated, malloc'd; free with
 * smac_psmac_argv_free): exe, the caller's arguments without the group's
 * own options (see above), then --mode SMAC4AC --seed <seed>
 * --output_dir <group_dir> and, unless `pattern` is NULL, --shared_model
 * True --input_psmac_dirs <pattern>. NULL when out of memory. */
char **smac_psmac_member_argv(const char *exe, int argc, char **argv, uint64_t seed, const char *group_dir,
                              const char *pattern);
void smac_psmac_argv_free(char **argv);

/* ---------------------------------------------------- merging a group */

/* Run folders named by `args` (each a folder or a glob): a match holding a
 * runhistory.json is a run folder; otherwise its run_* children holding one
 * are. Sorted per argument, duplicates (same real path) dropped. Appends
 * malloc'd paths to *out (n = out->n). Returns 0 (also when nothing is found). */
int smac_psmac_find_run_dirs(char *const *args, int n_args, smac_strlist *out, smac_error *err);
void smac_psmac_strlist_free(smac_strlist *l);

/* The configuration space a run folder carries: the file scenario.txt's
 * paramfile/pcs_fn entry names, looked up by its base name in the folder,
 * else configspace.json, else any other .json the engine writes for a .pcs
 * (not one of SMAC's own outputs), else a .pcs. Reads it into *out. */
int smac_psmac_read_run_space(const char *run_dir, smac_cs **out, smac_error *err);

/* Loads <dir>/runhistory.json of every folder into `rh` with origin
 * INTERNAL (so the merged history can be written out). A key already
 * stored keeps its run (first folder wins), except that a RUNNING or CAPPED
 * run takes a later final result — the pSMAC merge rules. Configurations
 * are matched by value. n_read[i] (may be NULL) = runs in folder i's file;
 * a folder whose file cannot be read is an error naming it. */
int smac_psmac_merge_run_dirs(smac_runhistory *rh, char *const *dirs, size_t n, size_t *n_read, smac_error *err);

/* The incumbent a run folder's trajectory ends with (last line of
 * traj.json) as a configuration vector of `cs`. Returns 1 when found, 0
 * when the folder has no trajectory entry yet, < 0 on a malformed file. */
int smac_psmac_run_incumbent(const smac_cs *cs, const char *run_dir, double *vec, smac_error *err);

/* The group rule (top of this file) over the candidate ids `ids` (0 =
 * none, skipped). Returns the index into `ids` of the winner, or -1 when no
 * candidate has a counted run. *score (may be NULL) = its mean cost over
 * the instances it covers; *n_covered / *n_instances (may be NULL) = how
 * many of I it covers and |I|. */
int smac_psmac_rank_incumbents(const smac_runhistory *rh, const int *ids, size_t n, double *score, int *n_covered,
                               int *n_instances);

/* The smac-merge rule (top of this file): the winner's id, or 0 when no
 * configuration has a counted run. *cost (may be NULL) = its mean cost. */
int smac_psmac_best_config(const smac_runhistory *rh, double *cost);

#endif
