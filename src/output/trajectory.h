/* The three trajectory files SMAC3 v1.1 appends to at every incumbent change
 * (formats.md §6.4): traj_old.csv, traj_aclib2.json and traj.json. */
#ifndef SMAC_OUTPUT_TRAJECTORY_H
#define SMAC_OUTPUT_TRAJECTORY_H

#include "smac.h"

typedef struct smac_traj_entry {
    double cpu_time;        /* sum of target-reported runtimes so far */
    double wallclock_time;  /* seconds since the optimisation started */
    long evaluations;       /* finished target runs */
    double cost;            /* estimated cost of the incumbent */
    int cost_is_placeholder;/* the entry before any run: cost written as the int 2147483648 */
    int incumbent_id;       /* running count of incumbent changes */
    const double *config;   /* the incumbent */
    const char *origin;     /* e.g. "Default", "Random Search", or NULL */
    double budget;          /* 0 for the classic intensifier */
} smac_traj_entry;

typedef struct smac_trajectory smac_trajectory;

/* Opens (appending to) the trajectory files in run_dir. run_dir NULL or ""
 * gives a trajectory that keeps nothing on disk (SMAC3's empty output_dir). */
smac_trajectory *smac_trajectory_open(const char *run_dir, const smac_cs *cs, smac_error *err);
/* Appends one entry to every file; each line is written with one write() and fsync'd. */
int smac_trajectory_add(smac_trajectory *t, const smac_traj_entry *e, smac_error *err);
void smac_trajectory_close(smac_trajectory *t);

/* The three lines one entry produces (without newline), for tests and tools. */
char *smac_traj_old_line(const smac_cs *cs, const smac_traj_entry *e);
char *smac_traj_aclib2_line(const smac_cs *cs, const smac_traj_entry *e);
char *smac_traj_json_line(const smac_cs *cs, const smac_traj_entry *e);

#endif
