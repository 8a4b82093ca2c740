/* How configuration values are spelled in SMAC3's output files: JSON-typed
 * (runhistory.json "configs", traj.json "incumbent") and Python repr (the
 * `name='<repr>'` items of traj_old.csv and traj_aclib2.json). */
#ifndef SMAC_CS_CONFIG_FORMAT_H
#define SMAC_CS_CONFIG_FORMAT_H

#include "cs/cs_internal.h"
#include "util/strbuf.h"

/* One value as JSON: real -> float repr, integer -> int, choices by their kind. */
void cs_value_append_json(const smac_cs *cs, int i, double unit, smac_strbuf *sb);
/* One value as Python repr(): strings quoted ('a'), numbers and bools as str(). */
void cs_value_append_repr(const smac_cs *cs, int i, double unit, smac_strbuf *sb);
/* The active parameters as a JSON object in canonical order. indent < 0: one
 * line with ", " and ": " separators; indent >= 0: Python's indent layout,
 * with `depth` levels of indentation already open. */
void cs_config_append_json(const smac_cs *cs, const double *vec, smac_strbuf *sb, int indent, int depth);
/* Appends `name='<repr>'` for active parameter i (traj_old.csv / traj_aclib2.json item). */
void cs_config_append_item(const smac_cs *cs, int i, double unit, smac_strbuf *sb);

#endif
