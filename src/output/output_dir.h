/* The output folder: <output_dir>/run_<id>/ (formats.md §6.1), with the
 * copies of the scenario's input files. */
#ifndef SMAC_OUTPUT_DIR_H
#define SMAC_OUTPUT_DIR_H

#include "smac.h"

/* "smac3-output_YYYY-MM-DD_HH:MM:SS_ffffff" (local time, microseconds), malloc'd. */
char *smac_output_default_name(const char *prefix);

/* Creates <output_dir>/run_<run_id> and returns its path (malloc'd). An
 * existing run folder is moved aside to <dir>.OLD (.OLD.OLD, ...) with SMAC3's
 * warning, unless `reuse` is set (restore continues in the same folder). */
int smac_output_prepare(const char *output_dir, long run_id, int reuse, char **run_dir, smac_error *err);

/* Copies `src` into `dir` under its base name; returns the copy's path (malloc'd). */
int smac_output_copy_file(const char *src, const char *dir, char **copy_path, smac_error *err);

#endif
