/* Run statistics and stats.json (formats.md §6.5). */
#ifndef SMAC_OUTPUT_STATS_H
#define SMAC_OUTPUT_STATS_H

#include "smac.h"

typedef struct smac_stats {
    long submitted_ta_runs;
    long finished_ta_runs;
    long n_configs;
    double wallclock_time_used;
    double ta_time_used;
    long inc_changed;
    long n_configs_per_intensify;
    long n_calls_of_intensify;
    double ema_n_configs_per_intensify;
} smac_stats;

/* stats.json text: one line, no trailing newline, SMAC3's key order (incl. its typo). */
char *smac_stats_to_json(const smac_stats *s);
int smac_stats_save(const smac_stats *s, const char *path, smac_error *err);
/* Reads a stats.json; an unknown key is an error ("Stats does not recognize <key>"). */
int smac_stats_load(smac_stats *s, const char *path, smac_error *err);

#endif
