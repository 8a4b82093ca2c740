/*
 * Private to src/intensify/: the intensifier's struct, shared by the three
 * engines (racing.c: SMAC3 v1.1's one-worker state machine, racing_parallel.c:
 * several races at once, simple.c: SimpleIntensifier), and the helpers they
 * share: pair sets (pairs.c) and the comparison of §4.4 (compare.c).
 */
#ifndef SMAC_INTENSIFY_INTERNAL_H
#define SMAC_INTENSIFY_INTERNAL_H

#include "intensify/intensifier.h"
#include "util/error.h"
#include "util/vec.h"

#define INTENS_LOGGER_CLASSIC "smac.intensification.intensification.Intensifier"
#define INTENS_LOGGER_SIMPLE "smac.intensification.simple_intensifier.SimpleIntensifier"
#define INTENS_MAXINT 2147483647LL

typedef SMAC_VEC(smac_rh_isb) intens_pairs;
typedef SMAC_VEC(int) intens_ints;

/* SMAC3's IntensifierStage. */
typedef enum intens_stage {
    STAGE_RUN_FIRST_CONFIG,
    STAGE_RUN_INCUMBENT,
    STAGE_RUN_CHALLENGER,
    STAGE_RUN_BASIS,
    STAGE_PROCESS_FIRST_CONFIG_RUN,
    STAGE_PROCESS_INCUMBENT_RUN
} intens_stage;

/* The one-worker state machine (racing.c). */
typedef struct intens_seq {
    intens_stage stage;
    int N;
    intens_pairs to_run;       /* popped from the end */
    double inc_sum_cost;
    int current_challenger;
    int continue_challenger;
} intens_seq;

/* One race of the parallel engine. */
typedef struct intens_race {
    int id;                    /* unique, > 0: in-flight runs point at it */
    int config;
    int basis;                 /* racing the default after an incumbent change */
    int N;
    intens_pairs to_run;       /* this batch's pairs not yet handed out */
    int n_inflight;
    int capped;                /* a run came back CAPPED: abandon once the rest is back */
    int cap_stop;              /* adaptive capping found it hopeless: no further batches */
} intens_race;

/* A run handed out and not yet processed (parallel and simple engines). */
typedef struct intens_flight {
    int config;
    smac_rh_isb pair;
    int race;                  /* race id, 0 = an incumbent run */
} intens_flight;

typedef struct intens_par {
    SMAC_VEC(intens_race) races; /* in creation order */
    int next_race_id;
    int first_config;          /* the configuration that becomes the first incumbent */
    int inc_due;               /* incumbent runs owed (one after each race decision) */
} intens_par;

struct smac_intensifier {
    smac_intensifier_options o; /* o.instances is not kept */
    smac_runhistory *rh;
    const char *logger;
    int *inst;                 /* instance indices in list order; [-1] without instances */
    int n_inst;
    int *inst_sorted;          /* the same, ordered by name */
    smac_rng rng;

    /* counters (formats.md §6.5) */
    long inc_changed;
    long n_calls;
    long n_configs;
    double ema;
    long n_iterations;

    /* the current iteration */
    int drop_stream;           /* the iteration ended: the source drops its stream before the next pull */
    int num_run, num_chall_run, chall_indx;
    double elapsed_time, ta_time; /* elapsed: see intens_add_elapsed */

    intens_seq seq;
    intens_par par;
    SMAC_VEC(intens_flight) flights;
    SMAC_VEC(unsigned char) handed_out; /* simple.c: by config id, configurations already run */

    /* scratch, reused */
    intens_pairs tmp_a, tmp_b, tmp_c; /* pairs.c and compare.c */
    intens_pairs tmp_x;               /* the engines' own */
    intens_ints counts, avail;
};

/* The shortest time a run counts for in the iteration's wallclock budget:
 * SMAC3's smallest time bound (1e-5 s). SMAC3 adds the measured duration,
 * so a target faster than 10 microseconds (an in-process C function) would
 * end the iteration or not depending on the timer and the machine's load,
 * and the same seed would give different run histories. Counted this way,
 * such a run ends the iteration as every run of a Python target does in
 * SMAC3, and results stay deterministic. */
#define INTENS_MIN_RUN_TIME 1e-5

/* Adds one finished run's wallclock duration to the iteration's. */
static inline void intens_add_elapsed(smac_intensifier *it, double starttime, double endtime)
{
    double d = endtime - starttime;
    it->elapsed_time += d > INTENS_MIN_RUN_TIME ? d : INTENS_MIN_RUN_TIME;
}

/* ------------------------------------------------------ intensifier.c */
void intens_event_reset(smac_intensifier *it, smac_intensifier_event *ev, int incumbent);
/* Ends the iteration: counters, stats EMA; the source drops its stream
 * before the next pull (process_result has no source at hand). */
void intens_next_iteration(smac_intensifier *it, smac_intensifier_event *ev);
/* Pulls the next challenger of the iteration's stream: 1 = *id set, 0 = none. */
int intens_pull(smac_intensifier *it, const smac_challenger_source *src, int *id, smac_error *err);
void intens_fill_run(smac_run_info *out, int config, smac_rh_isb pair, double cutoff, int capped);
/* Time-bound rule of process_results (§4.3/§4.6); returns 1 if it ended the iteration. */
int intens_check_time_bound(smac_intensifier *it, double time_bound, smac_intensifier_event *ev);
const char *intens_instance_name(const smac_intensifier *it, int instance);
/* "Cutoff for challenger: <repr or None>" at DEBUG. */
void intens_log_cutoff(smac_intensifier *it, double cutoff);

/* ------------------------------------------------------------ pairs.c */
/* A sorted set of pairs for membership tests: a ∪ b (the arrays may not
 * live in `set`, except a = set->items with b empty). */
int intens_set_build(intens_pairs *set, const smac_rh_isb *a, size_t na, const smac_rh_isb *b, size_t nb);
int intens_set_contains(const intens_pairs *set, smac_rh_isb x);
int intens_pair_eq(smac_rh_isb a, smac_rh_isb b);
int intens_pairs_contains(const smac_rh_isb *p, size_t n, smac_rh_isb x);
/* Instances the incumbent may run on next (SMAC3's _get_inc_available_inst):
 * those not yet run as often as its most-run instance, by name; if none and
 * not deterministic, all instances in list order. `extra` = pairs in flight
 * that count as runs. The instance indices go to it->avail. */
int intens_inc_available(smac_intensifier *it, int inc, const smac_rh_isb *extra, size_t n_extra);
/* §4.2 instances_to_run: missing = pairs(inc) - pairs(chal) - exclude, sorted by
 * (instance name, seed, budget) and shuffled with the intensifier's generator;
 * to_run = the first min(N, |missing|); *inc_sum_cost = the incumbent's summed
 * cost on its pairs minus the missing remainder. */
int intens_instances_to_run(smac_intensifier *it, int inc, int chal, int N, const smac_rh_isb *exclude,
                            size_t n_exclude, intens_pairs *to_run, double *inc_sum_cost);
/* min(cutoff, inc_sum_cost * slack - challenger's summed cost), Python's min. */
double intens_adapted_cutoff(smac_intensifier *it, int chal, double inc_sum_cost);
/* Draws an incumbent run (instance uniformly from avail, seed 0 or random). */
smac_rh_isb intens_draw_inc_run(smac_intensifier *it, const int *avail, size_t n_avail);

/* ---------------------------------------------------------- compare.c */
typedef enum intens_outcome { INTENS_KEEP, INTENS_CHANGE, INTENS_UNDECIDED } intens_outcome;
/* §4.4 _compare_configs(inc, chal), with its logs and the trajectory
 * bookkeeping (first entry, incumbent change) written into ev.
 * by_instance = 1 compares per instance (mean over seeds) instead of per pair. */
int intens_compare(smac_intensifier *it, int inc, int chal, int by_instance, smac_intensifier_event *ev,
                   intens_outcome *outcome, smac_error *err);
/* "Updated estimated cost of incumbent on %d runs: %.4f". */
void intens_log_inc_cost(smac_intensifier *it, int inc);

/* ---------------------------------------------------------- engines */
int intens_seq_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                        int n_running, smac_intent *intent, smac_run_info *out, smac_intensifier_event *ev,
                        smac_error *err);
int intens_seq_process(smac_intensifier *it, const smac_run_info *ri,
                       const smac_run_value *v, int incumbent, double time_bound, smac_intensifier_event *ev,
                       smac_error *err);
int intens_par_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                        int n_running, smac_intent *intent, smac_run_info *out, smac_intensifier_event *ev,
                        smac_error *err);
int intens_par_process(smac_intensifier *it, const smac_run_info *ri,
                       const smac_run_value *v, int incumbent, double time_bound, smac_intensifier_event *ev,
                       smac_error *err);
void intens_par_free(smac_intensifier *it);
int intens_simple_next_run(smac_intensifier *it, const smac_challenger_source *src, int *incumbent,
                           int n_running, smac_intent *intent, smac_run_info *out,
                           smac_intensifier_event *ev, smac_error *err);
int intens_simple_process(smac_intensifier *it, const smac_run_info *ri, const smac_run_value *v,
                          int incumbent, smac_intensifier_event *ev, smac_error *err);

#endif
