/*
 * Scenario internals, shared by the files of src/scenario/ only.
 *
 * Each option of the table has one slot in the scenario's private state:
 * the text it was given (NULL while it holds its default), where that text
 * came from (default < file < command line/API) and, for file values, the
 * file and line. The slot is what smac_scenario_get() returns and what error
 * messages point at; the parsed value itself lives in the public struct at
 * the option's offset.
 */
#ifndef SMAC_SCENARIO_INTERNAL_H
#define SMAC_SCENARIO_INTERNAL_H

#include "scenario/scenario.h"
#include "util/error.h"

/* A higher source overrides a lower or equal one, never the reverse. */
typedef enum scen_source {
    SCEN_SRC_DEFAULT = 0,
    SCEN_SRC_FILE = 1,
    SCEN_SRC_ARGS = 2   /* command line and C API */
} scen_source;

/* Where a name is being looked up: scenario files also know SMAC3's old
 * aliases (algoExec, cutoffTime, ...); flags only know flag spellings. */
typedef enum scen_context {
    SCEN_CTX_FILE,
    SCEN_CTX_FLAG,
    SCEN_CTX_ANY
} scen_context;

typedef struct scen_value {
    char *text;          /* as given; NULL = default */
    scen_source source;
    const char *file;    /* the scenario file that set it (owned by the state), or NULL */
    int line;
} scen_value;

struct smac_scenario_state {
    scen_value *values;  /* one per option, table order */
    char **files;        /* names of the scenario files read, for locations */
    size_t n_files;
    char *default_output_dir;
    bool finished;
};

/* Error location of an option's value: "file:line: " when it came from a file. */
typedef struct scen_origin {
    scen_source source;
    const char *file;
    int line;
    const char *spelling; /* the name as the user wrote it ("cutoff-time", "--cutoff") */
} scen_origin;

/* options.c */
const smac_option *scen_option_lookup(const char *name, scen_context ctx);
size_t scen_option_index(const smac_option *opt);
/* The known spelling nearest to `name` (edit distance over every name and
 * spelling valid in ctx); never NULL. */
const char *scen_option_closest(const char *name, scen_context ctx);

/* scenario_values.c: parses `value` for `opt`; stores it when `origin` ranks
 * at least as high as the current value's source. */
int scen_option_set(smac_scenario *sc, const smac_option *opt, const char *value,
                    const scen_origin *origin, smac_error *err);
/* Sets the field of an option to "none" (no default text). */
void scen_option_clear_field(smac_scenario *sc, const smac_option *opt);
/* Error helper: "file:line: option 'x': <text>" or "option '--x': <text>". */
int scen_value_error(smac_error *err, int code, const scen_origin *origin, const char *fmt, ...)
    SMAC_PRINTF(4, 5);

/* shlex.c: POSIX shell-like word split (quotes, backslashes; no expansion).
 * On a syntax error returns -1 and sets *why. */
int scen_shlex_split(const char *text, smac_strlist *out, const char **why);
/* Appends `word` to sb quoted so scen_shlex_split gives it back. */
struct smac_strbuf;
void scen_shlex_quote(struct smac_strbuf *sb, const char *word);
void scen_strlist_free(smac_strlist *list);

/* instances.c */
int scen_read_instances(const char *path, smac_instance_set *out, smac_error *err);
void scen_instances_free(smac_instance_set *set);
int scen_read_features(const char *path, smac_features *out, smac_error *err);
/* Builds features->train for the training instances; each needs a row. */
int scen_features_for_train(smac_features *features, const smac_instance_set *train,
                            const char *path, smac_error *err);
void scen_features_free(smac_features *features);

/* scenario.c: validation and derived values, no file access (the fuzzer uses it). */
int scen_resolve(smac_scenario *sc, smac_error *err);
/* par factor of an overall_obj text ("par10" -> 10, "mean" -> 1); -1 if malformed. */
long scen_par_factor(const char *overall_obj);

#endif
