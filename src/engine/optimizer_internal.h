/*
 * The optimiser object: one SMAC run (an SMBO loop over a scenario) and the
 * components it owns. smbo.c runs the loop; the files of src/engine/ build
 * and tear down the pieces, feed the intensifier with challengers and write
 * the output folder.
 */
#ifndef SMAC_ENGINE_OPTIMIZER_INTERNAL_H
#define SMAC_ENGINE_OPTIMIZER_INTERNAL_H

#include <signal.h>

#include "acq/acq_optimizer.h"
#include "acq/acquisition.h"
#include "acq/challengers.h"
#include "design/initial_design.h"
#include "engine/facade.h"
#include "epm/epm_data.h"
#include "intensify/intensifier.h"
#include "model/rf_model.h"
#include "output/stats.h"
#include "output/trajectory.h"
#include "psmac/psmac.h"
#include "run/runner.h"
#include "runhistory/runhistory.h"
#include "scenario/scenario.h"
#include "util/vec.h"

/* A run handed to the runner and not yet incorporated. */
typedef struct smac_inflight {
    smac_job *job;
    smac_run_info info;
} smac_inflight;

/* A trial handed out by smac_ask and not yet told. */
struct smac_asked {
    smac_run_info info;
    double *config;               /* the copy the trial points to */
    long token;
};

typedef struct smac_optimizer {
    smac_scenario *sc;            /* borrowed; finished */
    const smac_cs *cs;
    smac_facade facade;
    smac_rng rng;                 /* the main generator (spec §14) */
    smac_rng sample_rng;          /* the configuration sampler's */

    smac_runhistory *rh;
    smac_intensifier *intensifier;
    smac_runner_config runner;
    SMAC_VEC(smac_inflight) inflight;

    /* model side (NULL / unused for ROAR) */
    smac_rf_model *model;
    smac_epm_data data;
    smac_epm_options epm;
    smac_epm_instance_map feature_rows; /* history instance index -> row of sc->features.train */
    const char **train_names;     /* sc->train names, the feature rows' names */
    smac_acq acq;
    smac_acq_optimizer *acq_opt;
    smac_chooser chooser;
    smac_challengers stream;
    int stream_active;
    double *pred_mu, *pred_var;   /* prediction buffers of the acquisition callback */
    int pred_cap;

    /* initial design configurations not yet handed out (history ids) */
    SMAC_VEC(int) initial;
    size_t initial_next;

    int incumbent;                /* history id, 0 = none yet */
    smac_stats stats;
    double start_time;            /* monotonic clock at the start of the loop, minus restored time */
    double time_spent;            /* choosing challengers, this intensification iteration */

    char *run_dir;                /* NULL when output_dir is "" */
    smac_trajectory *traj;
    smac_psmac *psmac;
    int traj_id;                  /* id of the last trajectory entry */

    char *restored_traj[3];       /* --restore_state: traj_aclib2.json, traj_old.csv, traj.json texts */

    int begun;                    /* smac_engine_begin done */
    SMAC_VEC(struct smac_asked) asked; /* ask/tell: trials handed out, not yet told */
    long next_token;

    volatile sig_atomic_t stop_requested;
    int aborted;                  /* a target said ABORT, or the first run crashed */
    smac_target_fn target_fn;
    void *target_data;
} smac_optimizer;

/* optimizer.c */
int smac_engine_prepare_output(smac_optimizer *o, smac_error *err);
int smac_engine_save(smac_optimizer *o, smac_error *err);
void smac_engine_print_summary(smac_optimizer *o);
void smac_engine_traj_add(smac_optimizer *o, int config_id, double cost, int id, int placeholder);

/* training.c: the model's training data from the history (trains the model) */
int smac_engine_build_training_data(smac_optimizer *o, smac_error *err);

/* restore.c: --restore_state (history, stats, incumbent; trajectory texts kept for the new folder) */
int smac_engine_restore(smac_optimizer *o, smac_error *err);
int smac_engine_write_restored_trajectory(smac_optimizer *o, smac_error *err);

/* challenger_source.c */
void smac_engine_source(smac_optimizer *o, smac_challenger_source *src);
void smac_engine_drop_stream(smac_optimizer *o);

/* smbo.c: the loop, and its steps for ask/tell (ask_tell.c) */
int smac_smbo_run(smac_optimizer *o, smac_error *err);
int smac_smbo_budget_exhausted(const smac_optimizer *o);
/* pSMAC read, the intensifier's decision, time bookkeeping; SKIP when a budget is exhausted. */
int smac_smbo_decide(smac_optimizer *o, const smac_challenger_source *src, int n_running, smac_intent *intent,
                     smac_run_info *ri, smac_error *err);
/* The RUNNING placeholder of a run handed out, and the submitted count. */
int smac_smbo_record_start(smac_optimizer *o, const smac_run_info *ri, smac_error *err);
/* A finished run into history, stats, intensifier and trajectory. */
int smac_smbo_incorporate(smac_optimizer *o, const smac_run_info *ri, smac_run_value *v, smac_error *err);

/* optimizer.c: output folder and first trajectory entry, once (run and ask/tell) */
int smac_engine_begin(smac_optimizer *o, smac_error *err);

#endif
