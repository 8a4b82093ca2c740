/*
 * Intensification: deciding which target run comes next and whether a
 * challenger has beaten the incumbent (spec algorithms.md §4, §5.1).
 *
 * Two kinds:
 *   CLASSIC  SMAC3's Intensifier: races each challenger against the
 *            incumbent on the incumbent's (instance, seed) pairs, doubling
 *            the batch while undecided, with adaptive capping for runtime
 *            objectives and a race of the default after every change.
 *            With n_workers = 1 it is SMAC3 v1.1's state machine run for run
 *            (racing.c, which lists the few places where v1.1 loops forever
 *            or loses a decision and what we do instead). With n_workers > 1
 *            it keeps several races going at once and decides each race only
 *            on finished runs (racing_parallel.c).
 *   SIMPLE   SMAC3's SimpleIntensifier: one run per new configuration,
 *            compared with the incumbent as each result comes back.
 *
 * How the SMBO loop uses it (algorithms.md §2):
 *
 *     smac_intensifier_next_run(it, &src, &inc, n_running, &intent, &ri, &ev, &err)
 *       RUN : add a RUNNING placeholder for ri to the history, submit ri
 *       WAIT: block until one of our runs finishes
 *       SKIP: nothing to run now; call again
 *     for every finished run (already added to the history with force):
 *       inc = smac_intensifier_process_result(it, &ri, &value, inc, time_bound, &ev, &err)
 *
 * and after either call, if ev.traj_entry is set, appends a trajectory entry
 * for ev.incumbent with cost ev.traj_cost and id ev.inc_changed, and copies
 * ev.inc_changed into stats.inc_changed; the other stats.json counters come
 * from smac_intensifier_get_counters (num_run == 0 marks a new iteration for
 * the SMBO's time_left). The challenger source gives the initial design
 * first and, like SMAC3's loop, drops a configuration from that list once a
 * RUN hands it out.
 *
 * The intensifier never adds runs to the history; it reads it (configuration
 * pairs and costs) and interns the scenario's instance names once.
 */
#ifndef SMAC_INTENSIFY_INTENSIFIER_H
#define SMAC_INTENSIFY_INTENSIFIER_H

#include <stdint.h>

#include "runhistory/runhistory.h"
#include "smac.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum smac_intent { SMAC_INTENT_RUN, SMAC_INTENT_WAIT, SMAC_INTENT_SKIP } smac_intent;

typedef enum smac_intensifier_kind {
    SMAC_INTENSIFIER_CLASSIC = 0,
    SMAC_INTENSIFIER_SIMPLE = 1
} smac_intensifier_kind;

/* One target run to start. */
typedef struct smac_run_info {
    int config_id;
    int instance;   /* index in the history's instance table (smac_rh_instance_name), -1 = none */
    int64_t seed;
    double cutoff;  /* seconds; INFINITY = none. Adaptive capping may lower it (the runner
                       passes ceil(cutoff) to command-line targets). */
    int capped;     /* 1: cutoff was lowered by adaptive capping (a timeout becomes CAPPED) */
    double budget;  /* 0.0 for these intensifiers */
} smac_run_info;

/* Where challengers come from. The SMBO layer gives the remaining initial
 * design first, then the model's challenger stream (algorithms.md §9.5).
 *   next: writes a challenger (already interned in the history) and returns
 *         1; returns 0 when the current stream is exhausted; a negative
 *         status (with err set) is an error and is passed on.
 *   end_iteration: the intensifier's iteration ended: drop the stream; the
 *         next `next` builds a new one (for the model stream: refits). */
typedef struct smac_challenger_source {
    int (*next)(void *ctx, int *config_id, smac_error *err);
    void (*end_iteration)(void *ctx);
    void *ctx;
} smac_challenger_source;

typedef struct smac_intensifier_options {
    smac_intensifier_kind kind;
    const char *const *instances; /* training instances in file order (copied; duplicates
                                     are dropped); n_instances = 0 means [none] */
    int n_instances;
    int deterministic;            /* seed 0 for every run, else random seeds */
    int run_obj_runtime;          /* 1: runtime objective -> adaptive capping */
    double cutoff;                /* seconds; INFINITY = none */
    int min_r, max_r;             /* minR, maxR: runs per configuration */
    int min_chall;                /* challengers per iteration before the time bound counts */
    double slack;                 /* adaptive_capping_slackfactor */
    int use_ta_time_bound;        /* time bound on reported target time, not wallclock */
    int race_against;             /* config id of the default, raced after each change (0 = none) */
    int n_workers;                /* >= 1 */
    uint64_t seed;                /* the intensifier's own generator */
    long run_limit;               /* runs per iteration (SMAC3: 2^31-1) */
    /* Counters carried over from stats.json when restoring a run (0 when fresh). */
    long inc_changed;
    long n_calls_of_intensify;
    long n_configs_per_intensify;
    double ema_n_configs_per_intensify;
} smac_intensifier_options;

/* SMAC4AC defaults: classic, no instances, non-deterministic, quality, no
 * cutoff, minR 1, maxR 2000, min_chall 2, slack 1.2, wallclock time bound,
 * no default to race, 1 worker, seed 0, run_limit 2^31-1, counters 0. */
void smac_intensifier_options_init(smac_intensifier_options *o);

/* What a call did to the incumbent. */
typedef struct smac_intensifier_event {
    int incumbent;        /* the incumbent after the call (0 = none yet) */
    int traj_entry;       /* 1: append a trajectory entry for `incumbent` */
    int changed;          /* 1: the incumbent changed (old_incumbent -> incumbent);
                             0 with traj_entry = 1: the first entry with a real cost
                             (formats.md §6.4: written when stats.inc_changed was 0) */
    int old_incumbent;
    double traj_cost;     /* the entry's cost: the mean on the pairs compared (the new
                             incumbent's; for the first entry the incumbent's) */
    long inc_changed;     /* the running count (stats.inc_changed) after the call */
    double inc_cost;      /* the incumbent's estimated cost (history mean), NaN if none */
    int iterations_ended; /* intensification iterations that ended during the call */
} smac_intensifier_event;

/* Counters for stats.json (formats.md §6.5) and logs. */
typedef struct smac_intensifier_counters {
    long inc_changed;
    long n_calls_of_intensify;        /* = iterations ended, plus the restored count */
    long n_configs_per_intensify;     /* SMAC3 v1.1 adds the count after resetting it: stays as restored */
    double ema_n_configs_per_intensify;
    long n_iterations;                /* iterations ended since creation */
    int num_run, num_chall_run, chall_indx; /* of the current iteration */
    int n_races;                      /* open races (parallel mode; 0 or 1 otherwise) */
    int n_inflight;                   /* runs handed out and not yet processed */
} smac_intensifier_counters;

typedef struct smac_intensifier smac_intensifier;

/* A new intensifier over `rh` (borrowed: must outlive it; the scenario's
 * instance names are interned into it). NULL with err set for invalid
 * options (n_workers < 1, minR < 1, maxR < 1, run_limit < 1, unknown kind,
 * a NULL instance name) or when out of memory. */
smac_intensifier *smac_intensifier_new(const smac_intensifier_options *o, smac_runhistory *rh,
                                       smac_error *err);
void smac_intensifier_free(smac_intensifier *it);

/* Decides the next run. `*incumbent` is the caller's incumbent (0 = none);
 * it is updated when the decision already changes it (a challenger that
 * needs no further runs to win, or adopting a first configuration that has
 * imported runs). n_running = our runs in flight. `ev` may be NULL.
 * Returns 0 (with *intent set, and *out for RUN) or a negative status (the
 * source failed, out of memory). */
int smac_intensifier_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                              int n_running, smac_intent *intent, smac_run_info *out,
                              smac_intensifier_event *ev, smac_error *err);

/* Takes a finished run `ri` with value `v` (already added to the history
 * with force) and returns the (possibly new) incumbent, or a negative status
 * with err set (out of memory; ri or v NULL). `time_bound` = seconds the
 * current iteration may spend on target runs (max(1e-5, time_left)).
 * `ev` may be NULL. */
int smac_intensifier_process_result(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v,
                                    int incumbent, double time_bound, smac_intensifier_event *ev,
                                    smac_error *err);

void smac_intensifier_get_counters(const smac_intensifier *it, smac_intensifier_counters *c);

#ifdef __cplusplus
}
#endif
#endif
